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
    /// Bytes of a cut-off last frame, left after the data (not deleted).
    pub dropped_bytes: u64,
    /// Whether the repaired file is RF64 (its data runs past 4 GiB).
    pub rf64: bool,
    /// Each change made, in words; empty when the header was right.
    pub changes: Vec<String>,
}

/// Chunk ids that follow (or sit between) audio in WAV files from recorders and editors.
const KNOWN_CHUNKS: &[&[u8; 4]] = &[
    b"LIST", b"id3 ", b"ID3 ", b"bext", b"iXML", b"cue ", b"smpl", b"inst", b"fact", b"data",
    b"JUNK", b"junk", b"PAD ", b"pad ", b"axml", b"umid", b"acid", b"cart", b"levl", b"link",
    b"MD5 ", b"_PMX", b"DISP", b"afsp", b"chna", b"dbmd", b"FLLR", b"plst", b"labl", b"note",
    b"ltxt", b"wavl", b"slnt", b"ds64", b"fmt ",
];

/// Whether metadata chunks start at `at` in `file` and run to its end: each with a printable
/// id and a size that fits (the last may be cut off itself), and either every id one that
/// recorders write ([`KNOWN_CHUNKS`]) or the chain ending exactly at the end of the file.
fn chunks_from(file: &mut File, at: u64, file_len: u64) -> io::Result<bool> {
    let mut pos = at;
    let mut known = true;
    let mut n = 0;
    while pos + 8 <= file_len {
        let mut h = [0u8; 8];
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut h)?;
        let id: [u8; 4] = [h[0], h[1], h[2], h[3]];
        if !id.iter().all(|b| (0x20..=0x7e).contains(b)) {
            return Ok(false);
        }
        known &= KNOWN_CHUNKS.contains(&&id);
        let size = u64::from(u32::from_le_bytes([h[4], h[5], h[6], h[7]]));
        if pos + 8 + size > file_len {
            return Ok(known);
        }
        n += 1;
        pos += 8 + size + (size & 1);
    }
    Ok(n > 0 && (known || pos == file_len))
}

/// Fixes the header of a cut-off WAV recording in place; see [`repair_to`].
pub fn repair(path: &Path) -> Result<Repair, RecordError> {
    repair_to(path, None)
}

/// Fixes the header of a cut-off WAV recording, in place or (with `out`) into a new file. The
/// chunks are walked to find where the audio really ends: the data chunk runs to the end of the
/// file (whole frames) unless the chunks after its stated size (`LIST`, a second `data`, ...)
/// are metadata, which stays metadata. Nothing is cut off the file. Data past 4 GiB gets an
/// RF64 header (a `ds64` chunk in place of a `JUNK` chunk reserved before the format chunk, or,
/// with `out`, inserted); without room for it in place, the file is left as it is.
pub fn repair_to(path: &Path, out: Option<&Path>) -> Result<Repair, RecordError> {
    let not_wav = |reason: &str| RecordError::NotWav {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let io_err = |e| RecordError::io(path, e);
    let mut file = File::options()
        .read(true)
        .write(out.is_none())
        .open(path)
        .map_err(io_err)?;
    let file_len = file.metadata().map_err(io_err)?.len();
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head).map_err(io_err)?;
    head.truncate(n);
    let was_rf64 = n >= 12 && matches!(&head[0..4], b"RF64" | b"BW64");
    if n < 12 || !(was_rf64 || &head[0..4] == b"RIFF") || &head[8..12] != b"WAVE" {
        return Err(not_wav(
            "it does not start with a RIFF/WAVE (or RF64/BW64) header",
        ));
    }
    let u32_at = |h: &[u8], i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let u64_at = |h: &[u8], i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[i..i + 8]);
        u64::from_le_bytes(b)
    };
    let mut pos = 12usize;
    let mut fmt: Option<(u16, u32, u16)> = None;
    let mut ds64: Option<(usize, u64)> = None;
    let mut junk_at: Option<usize> = None;
    let data_at = loop {
        if pos + 8 > head.len() {
            return Err(not_wav("no data chunk in the first 64 KiB"));
        }
        let id = &head[pos..pos + 4];
        let size = u32_at(&head, pos + 4) as usize;
        if id == b"data" {
            break pos;
        }
        if id == b"fmt " && pos + 24 <= head.len() {
            let u16_at = |i: usize| u16::from_le_bytes([head[i], head[i + 1]]);
            fmt = Some((u16_at(pos + 10), u32_at(&head, pos + 12), u16_at(pos + 20)));
        }
        if id == b"ds64" && pos + 28 <= head.len() {
            ds64 = Some((pos, u64_at(&head, pos + 16)));
        }
        if matches!(id, b"JUNK" | b"junk") && pos == 12 && size >= 28 {
            junk_at = Some(pos);
        }
        pos += 8 + size + (size & 1);
    };
    let (channels, rate, block_align) =
        fmt.ok_or_else(|| not_wav("no fmt chunk before the data"))?;
    if block_align == 0 {
        return Err(not_wav("the fmt chunk states a frame size of 0"));
    }
    let align = u64::from(block_align);
    let stated32 = u32_at(&head, data_at + 4);
    let stated = match ds64 {
        Some((_, size)) if stated32 == u32::MAX => size,
        _ => u64::from(stated32),
    };
    let data_start = data_at as u64 + 8;
    let available = file_len.saturating_sub(data_start);
    // The data ends where it says, if metadata chunks follow it there; else at the file's end.
    let stated_end = data_start + stated + (stated & 1);
    let metadata_after =
        stated < available && chunks_from(&mut file, stated_end, file_len).map_err(io_err)?;
    let (data, riff_end) = if metadata_after {
        (stated, file_len)
    } else {
        let d = available - available % align;
        (d, data_start + d)
    };
    let dropped = if metadata_after { 0 } else { available - data };
    let needs_rf64 = riff_end - 8 > u64::from(u32::MAX) || data > u64::from(u32::MAX);
    let rf64 = needs_rf64 || was_rf64;
    let frames = |bytes: u64| bytes / align;
    let mut changes = Vec::new();
    let old_riff = u32_at(&head, 4);
    // The header as it will be: bytes to write at offsets (in place), or a new header.
    let mut patches: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut insert_ds64 = false;
    if rf64 {
        let ds64_at = match (ds64, junk_at) {
            (Some((at, _)), _) => Some(at),
            (None, Some(at)) => {
                changes
                    .push("the JUNK chunk reserved before the format became a ds64 chunk".into());
                Some(at)
            }
            (None, None) if out.is_some() => {
                insert_ds64 = true;
                changes.push("a ds64 chunk was inserted after the WAVE id".into());
                None
            }
            (None, None) => {
                return Err(RecordError::io(
                    path,
                    io::Error::new(
                        io::ErrorKind::FileTooLarge,
                        format!(
                            "its audio runs past 4 GiB ({data} bytes), which needs an RF64 \
                             header, and there is no room for one in place (no JUNK chunk before \
                             the format); nothing was changed: write a repaired copy with \
                             `medlyt repair FILE -o NEW.wav`"
                        ),
                    ),
                ))
            }
        };
        if !was_rf64 {
            changes.push(format!(
                "RIFF became RF64 (the audio runs past 4 GiB: {data} bytes)"
            ));
        }
        let mut ds = Vec::with_capacity(36);
        ds.extend_from_slice(b"ds64");
        ds.extend_from_slice(&28u32.to_le_bytes());
        let shift = if insert_ds64 { 36 } else { 0 };
        ds.extend_from_slice(&(riff_end + shift - 8).to_le_bytes());
        ds.extend_from_slice(&data.to_le_bytes());
        ds.extend_from_slice(&frames(data).to_le_bytes());
        ds.extend_from_slice(&0u32.to_le_bytes());
        patches.push((0, b"RF64".to_vec()));
        patches.push((4, u32::MAX.to_le_bytes().to_vec()));
        patches.push((data_at as u64 + 4, u32::MAX.to_le_bytes().to_vec()));
        if let Some(at) = ds64_at {
            let junk_size = u64::from(u32_at(&head, at + 4));
            let mut chunk = ds.clone();
            if junk_size > 28 {
                // The rest of the reserved space stays reserved, as padding inside ds64.
                chunk[4..8].copy_from_slice(&u32_at(&head, at + 4).to_le_bytes());
            }
            patches.push((at as u64, chunk));
        } else {
            patches.push((12, ds));
        }
        if stated != data {
            changes.push(format!(
                "data size {stated} -> {data} bytes ({} -> {} frames)",
                frames(stated.min(available)),
                frames(data)
            ));
        }
    } else {
        let riff = (riff_end - 8) as u32;
        let data32 = data as u32;
        if old_riff != riff {
            changes.push(format!("RIFF size {old_riff} -> {riff} bytes"));
            patches.push((4, riff.to_le_bytes().to_vec()));
        }
        if stated32 != data32 {
            changes.push(format!(
                "data size {stated32} -> {data32} bytes ({} -> {} frames)",
                frames(stated.min(available)),
                frames(data)
            ));
            patches.push((data_at as u64 + 4, data32.to_le_bytes().to_vec()));
        }
    }
    if dropped > 0 {
        changes.push(format!(
            "{dropped} bytes of a cut-off last frame were left after the data (not deleted)"
        ));
    }
    if metadata_after {
        changes.push(format!(
            "the chunks after the data (from byte {stated_end}) were kept as metadata"
        ));
    }
    match out {
        None => {
            for (at, bytes) in &patches {
                file.seek(SeekFrom::Start(*at))
                    .and_then(|_| file.write_all(bytes))
                    .map_err(io_err)?;
            }
            if !patches.is_empty() {
                file.sync_all().map_err(io_err)?;
            }
        }
        Some(out) => write_copy(&mut file, out, &patches, insert_ds64, file_len)?,
    }
    Ok(Repair {
        frames_before: frames(stated.min(available)),
        frames_after: frames(data),
        channels,
        rate,
        dropped_bytes: dropped,
        rf64,
        changes,
    })
}

/// Writes the repaired file to `out`: the original bytes with the header patches applied, and
/// a `ds64` chunk (the first patch at offset 12) inserted after the WAVE id when asked.
fn write_copy(
    src: &mut File,
    out: &Path,
    patches: &[(u64, Vec<u8>)],
    insert_ds64: bool,
    file_len: u64,
) -> Result<(), RecordError> {
    let io_err = |e| RecordError::io(out, e);
    // A new file only: never over the input or another file.
    let mut dst = File::options()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(io_err)?;
    let r = (|| -> io::Result<()> {
        src.seek(SeekFrom::Start(0))?;
        let mut head = [0u8; 12];
        src.read_exact(&mut head)?;
        dst.write_all(&head)?;
        let mut inserted = Vec::new();
        if insert_ds64 {
            if let Some((_, ds)) = patches
                .iter()
                .find(|(at, b)| *at == 12 && b.starts_with(b"ds64"))
            {
                inserted = ds.clone();
            }
        }
        dst.write_all(&inserted)?;
        io::copy(&mut src.take(file_len - 12), &mut dst)?;
        let shift = inserted.len() as u64;
        for (at, bytes) in patches {
            if insert_ds64 && *at == 12 && bytes.starts_with(b"ds64") {
                continue;
            }
            let at = if *at < 12 { *at } else { at + shift };
            dst.seek(SeekFrom::Start(at))?;
            dst.write_all(bytes)?;
        }
        dst.sync_all()
    })();
    if let Err(e) = r {
        let _ = std::fs::remove_file(out);
        return Err(io_err(e));
    }
    Ok(())
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
