//! Reads the chunk structure of a RIFF/WAVE file: the format and where the samples are.
//!
//! medlyt reads the header itself: to name the codec, to check the header values, and to find
//! files whose data chunk (or any chunk before it) is longer than what the file holds. The
//! samples are then read from the data chunk found here (see `wav.rs`).

use crate::AudioError;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Most channels medlyt accepts (a call has one or two; more are kept for the caller).
pub const MAX_CHANNELS: u16 = 16;
/// Lowest sample rate medlyt accepts, in Hz: below it a recording holds no intelligible speech,
/// and the resampler's buffers would grow with 16 000 / rate.
pub const MIN_RATE: u32 = 1_000;
/// Highest sample rate medlyt accepts, in Hz.
pub const MAX_RATE: u32 = 384_000;

const TAG_PCM: u16 = 0x0001;
const TAG_FLOAT: u16 = 0x0003;
const TAG_ALAW: u16 = 0x0006;
const TAG_MULAW: u16 = 0x0007;
const TAG_EXTENSIBLE: u16 = 0xFFFE;
/// Largest `fmt ` chunk read (real ones are 16 to 40 bytes, a few codecs add some more).
const MAX_FMT_LEN: u32 = 4096;

/// How the samples of a WAV file are coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WavCodec {
    /// Integer PCM of `bits` bits (8 is unsigned, the rest signed little-endian).
    Int(u16),
    /// IEEE float of 32 or 64 bits.
    Float(u16),
    /// G.711 mu-law, one byte per sample.
    MuLaw,
    /// G.711 A-law, one byte per sample.
    ALaw,
}

impl WavCodec {
    /// The codec name used in [`crate::AudioInfo::codec`].
    pub fn name(self) -> String {
        match self {
            WavCodec::Int(8) => "wav/pcm_u8".to_string(),
            WavCodec::Int(bits) => format!("wav/pcm_s{bits}le"),
            WavCodec::Float(bits) => format!("wav/pcm_f{bits}le"),
            WavCodec::MuLaw => "wav/mulaw".to_string(),
            WavCodec::ALaw => "wav/alaw".to_string(),
        }
    }
}

/// What the header of a WAV file says, checked against the file's length.
#[derive(Debug, Clone)]
pub struct WavHeader {
    /// The sample coding.
    pub codec: WavCodec,
    /// Channels, 1 ..= [`MAX_CHANNELS`].
    pub channels: u16,
    /// Sample rate in Hz, [`MIN_RATE`] ..= [`MAX_RATE`].
    pub sample_rate: u32,
    /// Bytes per frame (all channels).
    pub block_align: u16,
    /// Byte offset of the first sample.
    pub data_offset: u64,
    /// Length of the data chunk in bytes, as stated and present.
    pub data_len: u64,
}

impl WavHeader {
    /// Whole frames in the data chunk.
    pub fn frames(&self) -> u64 {
        self.data_len / u64::from(self.block_align.max(1))
    }
}

/// True when `head` starts like a RIFF/WAVE file.
pub fn is_riff_wave(head: &[u8]) -> bool {
    head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WAVE"
}

/// The WAVE containers medlyt does not read, named for the message: RF64 and BW64 (64-bit
/// sizes) and RIFX (big-endian).
pub fn unsupported_container(head: &[u8]) -> Option<&'static str> {
    if head.len() < 12 || &head[8..12] != b"WAVE" {
        return None;
    }
    match &head[0..4] {
        b"RF64" => Some("RF64 WAVE (64-bit sizes)"),
        b"BW64" => Some("BW64 WAVE (64-bit sizes)"),
        b"RIFX" => Some("RIFX WAVE (big-endian)"),
        _ => None,
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    match b.get(i..i + 2) {
        Some(s) => u16::from_le_bytes([s[0], s[1]]),
        None => 0,
    }
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    match b.get(i..i + 4) {
        Some(s) => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

/// A chunk's four-byte id for messages, e.g. `'LIST'` (bytes that are not printable as `?`).
fn chunk_name(id: &[u8; 4]) -> String {
    let name: String = id
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '?'
            }
        })
        .collect();
    format!("'{name}'")
}

/// Names a WAV format tag medlyt does not decode.
fn unsupported_name(tag: u16) -> String {
    let name = match tag {
        0x0002 => "ms adpcm",
        0x0011 => "ima adpcm",
        0x0031 => "gsm 6.10",
        0x0040 => "g.721 adpcm",
        0x0050 => "mpeg audio",
        0x0055 => "mp3",
        0x0064 | 0x0065 => "g.726 adpcm",
        0x0022 => "truespeech",
        _ => "unknown codec",
    };
    format!("{name} (wav format tag {tag:#06x})")
}

/// Reads the header of the RIFF/WAVE file `file` of `file_len` bytes.
pub fn read_header<R: Read + Seek>(
    file: &mut R,
    file_len: u64,
    path: &Path,
) -> Result<WavHeader, AudioError> {
    let io = |e: std::io::Error| AudioError::io(path, e);
    let mut head = [0u8; 12];
    file.read_exact(&mut head).map_err(io)?;
    if !is_riff_wave(&head) {
        return Err(AudioError::not_audio(path, "no RIFF/WAVE header"));
    }
    let mut pos: u64 = 12;
    let mut fmt: Option<Vec<u8>> = None;
    loop {
        if pos + 8 > file_len {
            let what = if fmt.is_none() { "fmt" } else { "data" };
            return Err(AudioError::truncated(
                path,
                format!("the file ends after {file_len} bytes, before the {what} chunk"),
            ));
        }
        let mut ch = [0u8; 8];
        file.read_exact(&mut ch).map_err(io)?;
        pos += 8;
        let id = [ch[0], ch[1], ch[2], ch[3]];
        let len = u32_at(&ch, 4);
        match &id {
            b"fmt " => {
                if !(16..=MAX_FMT_LEN).contains(&len) {
                    return Err(AudioError::corrupt(
                        path,
                        format!("fmt chunk of {len} bytes (expected 16 to {MAX_FMT_LEN})"),
                    ));
                }
                if pos + u64::from(len) > file_len {
                    return Err(AudioError::truncated(
                        path,
                        format!(
                            "the file ends inside the 'fmt ' chunk: it states {len} bytes, {} are present",
                            file_len - pos
                        ),
                    ));
                }
                let mut buf = vec![0u8; len as usize];
                file.read_exact(&mut buf).map_err(io)?;
                pos += u64::from(len);
                if len % 2 == 1 {
                    file.seek(SeekFrom::Current(1)).map_err(io)?;
                    pos += 1;
                }
                fmt = Some(buf);
            }
            b"data" => {
                let Some(fmt) = fmt else {
                    return Err(AudioError::corrupt(path, "data chunk before the fmt chunk"));
                };
                let available = file_len - pos;
                let stated = u64::from(len);
                let header = parse_fmt(&fmt, pos, stated, path)?;
                if stated > available {
                    let rate = f64::from(header.sample_rate) * f64::from(header.block_align);
                    return Err(AudioError::truncated(
                        path,
                        format!(
                            "the 'data' chunk states {stated} bytes of samples ({:.2} s) but only {available} bytes ({:.2} s) are present",
                            stated as f64 / rate,
                            available as f64 / rate
                        ),
                    ));
                }
                return Ok(header);
            }
            _ => {
                // The samples come after every chunk before them: one that runs past the end
                // of the file leaves no room for them.
                if pos + u64::from(len) > file_len {
                    return Err(AudioError::truncated(
                        path,
                        format!(
                            "the {} chunk states {len} bytes but the file ends {} bytes into it, before the samples",
                            chunk_name(&id),
                            file_len - pos
                        ),
                    ));
                }
                let skip = u64::from(len) + u64::from(len % 2);
                pos += skip;
                file.seek(SeekFrom::Start(pos.min(file_len))).map_err(io)?;
            }
        }
    }
}

/// Checks the `fmt ` chunk and turns it into a header.
fn parse_fmt(
    fmt: &[u8],
    data_offset: u64,
    data_len: u64,
    path: &Path,
) -> Result<WavHeader, AudioError> {
    let mut tag = u16_at(fmt, 0);
    let channels = u16_at(fmt, 2);
    let sample_rate = u32_at(fmt, 4);
    let block_align = u16_at(fmt, 12);
    let bits = u16_at(fmt, 14);
    if tag == TAG_EXTENSIBLE {
        if fmt.len() < 40 {
            return Err(AudioError::corrupt(
                path,
                "extensible fmt chunk shorter than 40 bytes",
            ));
        }
        // The sub-format GUID starts with the classic format tag.
        tag = u16_at(fmt, 24);
        // Samples with fewer valid bits than their container decode as the container width.
    }
    if channels == 0 || channels > MAX_CHANNELS {
        return Err(AudioError::corrupt(
            path,
            format!("the header states {channels} channels (medlyt reads 1 to {MAX_CHANNELS})"),
        ));
    }
    if sample_rate == 0 {
        return Err(AudioError::corrupt(
            path,
            "the header states a sample rate of 0 Hz",
        ));
    }
    if !(MIN_RATE..=MAX_RATE).contains(&sample_rate) {
        return Err(AudioError::unsupported_rate(path, sample_rate));
    }
    let codec = match (tag, bits) {
        (TAG_PCM, 8 | 16 | 24 | 32) => WavCodec::Int(bits),
        (TAG_FLOAT, 32 | 64) => WavCodec::Float(bits),
        (TAG_MULAW, 8) => WavCodec::MuLaw,
        (TAG_ALAW, 8) => WavCodec::ALaw,
        (TAG_PCM | TAG_FLOAT | TAG_MULAW | TAG_ALAW, _) => {
            return Err(AudioError::corrupt(
                path,
                format!("{bits} bits per sample for wav format tag {tag:#06x}"),
            ))
        }
        _ => {
            return Err(AudioError::UnsupportedCodec {
                path: path.to_path_buf(),
                codec: unsupported_name(tag),
            })
        }
    };
    let expected_align = u32::from(channels) * u32::from(bits).div_ceil(8);
    if u32::from(block_align) != expected_align {
        return Err(AudioError::corrupt(
            path,
            format!("block align {block_align} does not match {channels} channels of {bits} bits"),
        ));
    }
    Ok(WavHeader {
        codec,
        channels,
        sample_rate,
        block_align,
        data_offset,
        data_len,
    })
}
