//! WAV decoding: integer PCM, float PCM and G.711, read straight from the data chunk.
//!
//! The samples are read from where [`riff::read_header`] found them, with no second parse of
//! the chunks: a decoder that walked the chunks again its own way (pad bytes after odd-sized
//! chunks, `fact` chunks longer than 4 bytes) could disagree with the checked header and fail
//! on a file the header accepted.

use crate::g711::{ALAW, ULAW};
use crate::riff::{self, WavCodec, WavHeader};
use crate::source::{BlockSource, BLOCK_FRAMES};
use crate::{AudioError, AudioInfo};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Take};
use std::path::{Path, PathBuf};

/// Reads and checks the header of the WAV file at `path`.
pub fn probe(
    path: &Path,
    file: &mut File,
    file_len: u64,
) -> Result<(WavHeader, AudioInfo), AudioError> {
    let mut reader = BufReader::new(file);
    let header = riff::read_header(&mut reader, file_len, path)?;
    let frames = header.frames();
    let info = AudioInfo {
        sample_rate: header.sample_rate,
        channels: header.channels,
        duration_s: frames as f64 / f64::from(header.sample_rate),
        codec: header.codec.name(),
        frames,
    };
    Ok((header, info))
}

/// A WAV file being decoded block by block.
pub struct WavSource {
    /// The data chunk, whole frames only.
    data: Take<BufReader<File>>,
    /// The coding.
    codec: WavCodec,
    /// Channels.
    channels: usize,
    /// Bytes per sample.
    width: usize,
    /// Frames the header states.
    frames: u64,
    /// Read buffer.
    buf: Vec<u8>,
    /// The file, for messages.
    path: PathBuf,
}

impl WavSource {
    /// Opens the data of a WAV file whose header was read by [`probe`].
    pub fn new(path: &Path, mut file: File, header: &WavHeader) -> Result<Self, AudioError> {
        let channels = usize::from(header.channels);
        let width = usize::from(header.block_align) / channels.max(1);
        file.seek(SeekFrom::Start(header.data_offset))
            .map_err(|e| AudioError::io(path, e))?;
        let frames = header.frames();
        let whole = frames * u64::from(header.block_align);
        Ok(WavSource {
            data: BufReader::new(file).take(whole),
            codec: header.codec,
            channels,
            width: width.max(1),
            frames,
            buf: Vec::new(),
            path: path.to_path_buf(),
        })
    }
}

/// One little-endian sample of `bytes.len()` bytes in `codec` as f32 (full scale 1.0; floats
/// as stored, non-numbers included, which the caller replaces).
fn sample(codec: WavCodec, bytes: &[u8]) -> f32 {
    match (codec, bytes) {
        (WavCodec::Int(8), &[b]) => (f32::from(b) - 128.0) / 128.0,
        (WavCodec::Int(16), &[a, b]) => f32::from(i16::from_le_bytes([a, b])) / 32_768.0,
        (WavCodec::Int(24), &[a, b, c]) => {
            // Into the top three bytes, then back down with the sign extended.
            let v = i32::from_le_bytes([0, a, b, c]) >> 8;
            v as f32 / 8_388_608.0
        }
        (WavCodec::Int(32), &[a, b, c, d]) => {
            (f64::from(i32::from_le_bytes([a, b, c, d])) / 2_147_483_648.0) as f32
        }
        (WavCodec::Float(32), &[a, b, c, d]) => f32::from_le_bytes([a, b, c, d]),
        (WavCodec::Float(64), &[a, b, c, d, e, f, g, h]) => {
            let v = f64::from_le_bytes([a, b, c, d, e, f, g, h]);
            // A finite value beyond f32's range would become infinite: clip it here instead.
            if v.is_finite() {
                v.clamp(-1.0, 1.0) as f32
            } else {
                v as f32
            }
        }
        (WavCodec::MuLaw, &[b]) => f32::from(ULAW[usize::from(b)]) / 32_768.0,
        (WavCodec::ALaw, &[b]) => f32::from(ALAW[usize::from(b)]) / 32_768.0,
        // The header check allows no other combination.
        _ => 0.0,
    }
}

impl BlockSource for WavSource {
    fn next_block(&mut self, out: &mut [Vec<f32>]) -> Result<usize, AudioError> {
        out.iter_mut().for_each(Vec::clear);
        let frame_bytes = self.channels * self.width;
        self.buf.resize(BLOCK_FRAMES * frame_bytes, 0);
        let n =
            read_full(&mut self.data, &mut self.buf).map_err(|e| AudioError::io(&self.path, e))?;
        let frames = n / frame_bytes;
        let bytes = &self.buf[..frames * frame_bytes];
        for (i, s) in bytes.chunks_exact(self.width).enumerate() {
            out[i % self.channels].push(sample(self.codec, s));
        }
        Ok(frames)
    }

    fn check_end(&self, frames: u64) -> Result<(), AudioError> {
        // The header was checked against the file's length; fewer frames means the file
        // shrank while it was read.
        if frames < self.frames {
            return Err(AudioError::truncated(
                &self.path,
                "the file ends inside the samples",
            ));
        }
        Ok(())
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_scale_to_full_scale_one() {
        assert_eq!(sample(WavCodec::Int(8), &[0]), -1.0);
        assert_eq!(sample(WavCodec::Int(8), &[128]), 0.0);
        assert_eq!(sample(WavCodec::Int(16), &(-32768i16).to_le_bytes()), -1.0);
        assert_eq!(sample(WavCodec::Int(16), &16384i16.to_le_bytes()), 0.5);
        assert_eq!(sample(WavCodec::Int(24), &[0, 0, 0x80]), -1.0);
        assert_eq!(sample(WavCodec::Int(24), &[0, 0, 0x40]), 0.5);
        assert_eq!(
            sample(WavCodec::Int(24), &[0xff, 0xff, 0xff]),
            -1.0 / 8_388_608.0
        );
        assert_eq!(sample(WavCodec::Int(32), &i32::MIN.to_le_bytes()), -1.0);
        assert_eq!(sample(WavCodec::Float(32), &0.25f32.to_le_bytes()), 0.25);
        assert_eq!(sample(WavCodec::Float(64), &1e300f64.to_le_bytes()), 1.0);
        assert!(sample(WavCodec::Float(64), &f64::NAN.to_le_bytes()).is_nan());
        assert!(sample(WavCodec::Float(64), &f64::INFINITY.to_le_bytes()).is_infinite());
    }
}
