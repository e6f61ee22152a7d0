//! WAV decoding: integer and float PCM through hound, G.711 (and 64-bit float) read directly.

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
pub enum WavSource {
    /// Integer PCM and 32-bit float, through hound.
    Hound {
        /// The reader.
        reader: hound::WavReader<BufReader<File>>,
        /// Multiplier to full scale 1.0 (0 for float samples).
        scale: f32,
        /// Samples (all channels) still to read.
        left: u64,
        /// Channels.
        channels: usize,
        /// The file, for messages.
        path: PathBuf,
    },
    /// One-byte G.711 samples or 64-bit float, read straight from the data chunk.
    Raw {
        /// The data chunk.
        data: Take<BufReader<File>>,
        /// The coding.
        codec: WavCodec,
        /// Channels.
        channels: usize,
        /// Read buffer.
        buf: Vec<u8>,
        /// The file, for messages.
        path: PathBuf,
    },
}

impl WavSource {
    /// Opens the data of a WAV file whose header was read by [`probe`].
    pub fn new(path: &Path, mut file: File, header: &WavHeader) -> Result<Self, AudioError> {
        let channels = usize::from(header.channels);
        match header.codec {
            WavCodec::Int(_) | WavCodec::Float(32) => {
                file.seek(SeekFrom::Start(0))
                    .map_err(|e| AudioError::io(path, e))?;
                let reader = hound::WavReader::new(BufReader::new(file))
                    .map_err(|e| hound_error(path, e))?;
                let spec = reader.spec();
                let scale = match spec.sample_format {
                    hound::SampleFormat::Float => 0.0,
                    hound::SampleFormat::Int => {
                        let bits = i32::from(spec.bits_per_sample.clamp(8, 32)) - 1;
                        (2f64.powi(-bits)) as f32
                    }
                };
                if usize::from(spec.channels) != channels {
                    return Err(AudioError::corrupt(
                        path,
                        "inconsistent channel count in the header",
                    ));
                }
                let left = header.frames() * channels as u64;
                Ok(WavSource::Hound {
                    reader,
                    scale,
                    left,
                    channels,
                    path: path.to_path_buf(),
                })
            }
            codec => {
                file.seek(SeekFrom::Start(header.data_offset))
                    .map_err(|e| AudioError::io(path, e))?;
                let whole = header.frames() * u64::from(header.block_align);
                Ok(WavSource::Raw {
                    data: BufReader::new(file).take(whole),
                    codec,
                    channels,
                    buf: Vec::new(),
                    path: path.to_path_buf(),
                })
            }
        }
    }
}

fn hound_error(path: &Path, e: hound::Error) -> AudioError {
    match e {
        hound::Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            AudioError::truncated(path, "the file ends inside the samples")
        }
        hound::Error::IoError(io) => AudioError::io(path, io),
        hound::Error::Unsupported => AudioError::UnsupportedCodec {
            path: path.to_path_buf(),
            codec: "wav variant not supported by the pcm reader".to_string(),
        },
        other => AudioError::corrupt(path, format!("wav decoder: {other}")),
    }
}

impl BlockSource for WavSource {
    fn next_block(&mut self, out: &mut [Vec<f32>]) -> Result<usize, AudioError> {
        out.iter_mut().for_each(Vec::clear);
        match self {
            WavSource::Hound {
                reader,
                scale,
                left,
                channels,
                path,
            } => {
                let want = (BLOCK_FRAMES as u64 * *channels as u64).min(*left) as usize;
                let frames = want / *channels;
                let take = frames * *channels;
                if *scale == 0.0 {
                    for (i, s) in reader.samples::<f32>().take(take).enumerate() {
                        let v = s.map_err(|e| hound_error(path, e))?;
                        out[i % *channels].push(v);
                    }
                } else {
                    for (i, s) in reader.samples::<i32>().take(take).enumerate() {
                        let v = s.map_err(|e| hound_error(path, e))?;
                        out[i % *channels].push(v as f32 * *scale);
                    }
                }
                *left -= take as u64;
                Ok(frames)
            }
            WavSource::Raw {
                data,
                codec,
                channels,
                buf,
                path,
            } => {
                let width = match codec {
                    WavCodec::Float(64) => 8,
                    _ => 1,
                };
                buf.resize(BLOCK_FRAMES * *channels * width, 0);
                let n = read_full(data, buf).map_err(|e| AudioError::io(path, e))?;
                let frames = n / (*channels * width);
                let bytes = &buf[..frames * *channels * width];
                match codec {
                    WavCodec::MuLaw | WavCodec::ALaw => {
                        let table = if *codec == WavCodec::MuLaw {
                            &ULAW
                        } else {
                            &ALAW
                        };
                        for (i, b) in bytes.iter().enumerate() {
                            out[i % *channels].push(f32::from(table[usize::from(*b)]) / 32768.0);
                        }
                    }
                    _ => {
                        for (i, c) in bytes.chunks_exact(8).enumerate() {
                            let mut a = [0u8; 8];
                            a.copy_from_slice(c);
                            out[i % *channels].push(f64::from_le_bytes(a) as f32);
                        }
                    }
                }
                Ok(frames)
            }
        }
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
