//! A 16-bit PCM WAV file written while recording, with its header brought up to date and synced
//! to disk at every [`LiveWav::commit`], and [`repair`] for a file whose header fell behind.

use crate::error::RecordError;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Size of the header [`LiveWav`] writes; the samples start here.
pub const HEADER_LEN: u64 = 44;
/// The most data bytes a WAV file can describe (its sizes are 32-bit).
pub const MAX_DATA_BYTES: u64 = u32::MAX as u64 - HEADER_LEN;

/// Where a [`LiveWav`] writes: a file, or anything else that can seek and be synced.
pub trait Sink: Write + Seek {
    /// Makes what was written durable (fsync for a file).
    fn sync(&mut self) -> io::Result<()>;
    /// Cuts the sink to `len` bytes.
    fn set_len(&mut self, len: u64) -> io::Result<()>;
}

impl Sink for File {
    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
}

/// The canonical 44-byte header of a 16-bit PCM WAV file with `data_bytes` of samples.
pub fn header(channels: u16, rate: u32, data_bytes: u32) -> [u8; 44] {
    let block_align = channels.saturating_mul(2);
    let mut h = [0u8; 44];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&data_bytes.saturating_add(36).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(b"fmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes());
    h[22..24].copy_from_slice(&channels.to_le_bytes());
    h[24..28].copy_from_slice(&rate.to_le_bytes());
    h[28..32].copy_from_slice(&(rate.saturating_mul(u32::from(block_align))).to_le_bytes());
    h[32..34].copy_from_slice(&block_align.to_le_bytes());
    h[34..36].copy_from_slice(&16u16.to_le_bytes());
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data_bytes.to_le_bytes());
    h
}

/// A WAV file being recorded. Samples are appended with [`LiveWav::write`]; [`LiveWav::commit`]
/// patches the RIFF and data sizes to what has been written and syncs, so the file on disk is
/// always a valid WAV holding everything up to the last commit.
pub struct LiveWav<S: Sink> {
    sink: S,
    path: PathBuf,
    channels: u16,
    rate: u32,
    /// Data bytes known to be in the sink.
    written: u64,
    /// Data bytes the header states.
    committed: u64,
    buf: Vec<u8>,
}

impl LiveWav<File> {
    /// Creates (or replaces) `path` with an empty recording.
    pub fn create(path: &Path, channels: u16, rate: u32) -> Result<Self, RecordError> {
        let file = File::create(path).map_err(|e| RecordError::io(path, e))?;
        LiveWav::new(file, path, channels, rate)
    }
}

impl<S: Sink> LiveWav<S> {
    /// Starts a recording in `sink` (`path` is only for messages).
    pub fn new(mut sink: S, path: &Path, channels: u16, rate: u32) -> Result<Self, RecordError> {
        sink.write_all(&header(channels, rate, 0))
            .and_then(|()| sink.sync())
            .map_err(|e| RecordError::io(path, e))?;
        Ok(LiveWav {
            sink,
            path: path.to_path_buf(),
            channels,
            rate,
            written: 0,
            committed: 0,
            buf: Vec::new(),
        })
    }

    /// Channels per frame.
    pub fn channels(&self) -> u16 {
        self.channels
    }

    /// Sample rate in Hz.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Frames the header states (what a reader of the file sees now).
    pub fn committed_frames(&self) -> u64 {
        self.committed / (u64::from(self.channels) * 2).max(1)
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.written / (u64::from(self.channels) * 2).max(1)
    }

    /// Appends interleaved samples (whole frames). On an error (disk full) the file is cut back
    /// to the whole frames that reached it and the header is patched to match, so the file stays
    /// valid; the error is returned.
    pub fn write(&mut self, interleaved: &[i16]) -> Result<(), RecordError> {
        self.buf.clear();
        for s in interleaved {
            self.buf.extend_from_slice(&s.to_le_bytes());
        }
        if self.written + self.buf.len() as u64 > MAX_DATA_BYTES {
            return Err(RecordError::io(
                &self.path,
                io::Error::new(io::ErrorKind::FileTooLarge, "a WAV file holds at most 4 GB"),
            ));
        }
        match self.sink.write_all(&self.buf) {
            Ok(()) => {
                self.written += self.buf.len() as u64;
                Ok(())
            }
            Err(e) => {
                self.salvage();
                Err(RecordError::io(&self.path, e))
            }
        }
    }

    /// After a failed write: keeps the whole frames that reached the sink, and patches the header.
    fn salvage(&mut self) {
        let align = u64::from(self.channels) * 2;
        if let Ok(pos) = self.sink.stream_position() {
            let data = pos.saturating_sub(HEADER_LEN).min(MAX_DATA_BYTES);
            self.written = data - data % align.max(1);
        }
        let _ = self.sink.set_len(HEADER_LEN + self.written);
        let _ = self.commit();
    }

    /// Patches the header to the data written so far and syncs it to disk.
    pub fn commit(&mut self) -> Result<(), RecordError> {
        let data = u32::try_from(self.written).unwrap_or(u32::MAX);
        let h = header(self.channels, self.rate, data);
        let end = HEADER_LEN + self.written;
        let r = self
            .sink
            .flush()
            .and_then(|()| self.sink.seek(SeekFrom::Start(4)))
            .and_then(|_| self.sink.write_all(&h[4..8]))
            .and_then(|()| self.sink.seek(SeekFrom::Start(40)))
            .and_then(|_| self.sink.write_all(&h[40..44]))
            .and_then(|()| self.sink.seek(SeekFrom::Start(end)))
            .and_then(|_| self.sink.sync());
        r.map_err(|e| RecordError::io(&self.path, e))?;
        self.committed = self.written;
        Ok(())
    }

    /// The sink, as it is (without a last commit).
    pub fn into_sink(self) -> S {
        self.sink
    }

    /// Commits and closes the file; returns the frames it holds.
    pub fn finish(mut self) -> Result<u64, RecordError> {
        self.commit()?;
        Ok(self.frames())
    }
}

/// What [`repair`] found and did.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// Frames the header stated before.
    pub frames_before: u64,
    /// Frames the file holds now.
    pub frames_after: u64,
    /// Channels.
    pub channels: u16,
    /// Sample rate in Hz.
    pub rate: u32,
    /// Bytes of a cut-off last frame that were dropped.
    pub dropped_bytes: u64,
}

/// Fixes the header of a cut-off WAV recording: the data chunk is taken to run to the end of the
/// file (whole frames), and the RIFF and data sizes are set from the file's length.
pub fn repair(path: &Path) -> Result<Repair, RecordError> {
    let not_wav = |reason: &str| RecordError::NotWav {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let mut file = File::options()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| RecordError::io(path, e))?;
    let file_len = file.metadata().map_err(|e| RecordError::io(path, e))?.len();
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head).map_err(|e| RecordError::io(path, e))?;
    head.truncate(n);
    if n < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(not_wav("it does not start with a RIFF/WAVE header"));
    }
    let mut pos = 12usize;
    let mut fmt: Option<(u16, u32, u16)> = None;
    let data_at = loop {
        if pos + 8 > head.len() {
            return Err(not_wav("no data chunk in the first 64 KiB"));
        }
        let id = &head[pos..pos + 4];
        let size = u32::from_le_bytes([head[pos + 4], head[pos + 5], head[pos + 6], head[pos + 7]]);
        if id == b"data" {
            break pos;
        }
        if id == b"fmt " && pos + 24 <= head.len() {
            let u16_at = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
            let rate = u32::from_le_bytes([
                head[pos + 12],
                head[pos + 13],
                head[pos + 14],
                head[pos + 15],
            ]);
            fmt = Some((u16_at(pos + 10), rate, u16_at(pos + 20)));
        }
        pos += 8 + size as usize + (size as usize & 1);
    };
    let (channels, rate, block_align) =
        fmt.ok_or_else(|| not_wav("no fmt chunk before the data"))?;
    if block_align == 0 {
        return Err(not_wav("the fmt chunk states a frame size of 0"));
    }
    let align = u64::from(block_align);
    let stated = u32::from_le_bytes([
        head[data_at + 4],
        head[data_at + 5],
        head[data_at + 6],
        head[data_at + 7],
    ]);
    let data_start = data_at as u64 + 8;
    let available = file_len
        .saturating_sub(data_start)
        .min(u64::from(u32::MAX) - data_start);
    let data = available - available % align;
    let new_len = data_start + data;
    let riff = u32::try_from(new_len - 8).unwrap_or(u32::MAX);
    let data32 = u32::try_from(data).unwrap_or(u32::MAX);
    let r = file
        .set_len(new_len)
        .and_then(|()| file.seek(SeekFrom::Start(4)))
        .and_then(|_| file.write_all(&riff.to_le_bytes()))
        .and_then(|()| file.seek(SeekFrom::Start(data_at as u64 + 4)))
        .and_then(|_| file.write_all(&data32.to_le_bytes()))
        .and_then(|()| file.sync_all());
    r.map_err(|e| RecordError::io(path, e))?;
    Ok(Repair {
        frames_before: u64::from(stated).min(available) / align,
        frames_after: data / align,
        channels,
        rate,
        dropped_bytes: file_len - new_len,
    })
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
