//! Audio input for medlyt: decodes a call recording into 16 kHz channels, and measures speech
//! activity in them.
//!
//! [`decode`] reads WAV (integer and float PCM, G.711 mu-law and A-law, read directly),
//! MP3, FLAC and Ogg Vorbis (through symphonia), resamples every channel to [`TARGET_RATE`] with
//! rubato while it decodes, and keeps the result as `i16` per channel: a block is decoded,
//! resampled and appended, so memory grows only with the 16 kHz output (2 bytes per sample,
//! about 460 MB for a two-hour stereo call), never with the source at its own rate.
//! Channels stay apart, because in a stereo call each party has its own channel.
//! [`Decoded::channel_f32`] hands out f32 windows for the speech recogniser.
//!
//! Sample rates from [`MIN_RATE`] to [`MAX_RATE`] are read; others are
//! [`AudioError::UnsupportedRate`]. Samples that are not numbers (NaN or infinite floats) become
//! silence and are counted in [`Decoded::non_finite`]; floats beyond full scale are clipped to
//! -1.0 ..= 1.0, before resampling.
//!
//! Damaged input gives a distinct [`AudioError`] and never a panic. A WAV file whose data chunk
//! is shorter than its header states is rejected as [`AudioError::Truncated`] rather than decoded
//! in part: a cut-off call would otherwise be analysed as if it were whole.
//!
//! [`frame_levels`], [`energy_vad`], [`remove_crosstalk`] and [`loudness_dbfs`] are plain signal
//! processing on the decoded samples: speech activity as a fallback, and removal of the other
//! party's voice bleeding faintly into a channel. [`compare_channels`] tells a stereo file
//! that holds one microphone on both channels from a call with a channel per party.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod crosstalk;
mod ending;
mod error;
pub mod g711;
mod one_signal;
mod resample;
mod riff;
mod source;
mod symph;
#[cfg(test)]
mod test_signal;
mod vad;
mod wav;

pub use crosstalk::{remove_crosstalk, CrosstalkParams};
pub use error::AudioError;
pub use one_signal::{compare_channels, ChannelLevels};
pub use riff::{MAX_CHANNELS, MAX_RATE, MIN_RATE};
pub use vad::{energy_vad, frame_levels, level_quantile, loudness_dbfs, VadParams, SILENCE_DBFS};

use source::{BlockSource, BLOCK_FRAMES};
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// The sample rate of every decoded channel, in Hz (what Whisper expects).
pub const TARGET_RATE: u32 = 16_000;
/// Recordings shorter than this (in seconds) are [`AudioError::Empty`].
pub const MIN_DURATION_S: f64 = 0.1;

/// What a recording is: its format as stored in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioInfo {
    /// Sample rate of the file in Hz (not of the decoded channels, which are [`TARGET_RATE`]).
    pub sample_rate: u32,
    /// Number of channels.
    pub channels: u16,
    /// Length in seconds.
    pub duration_s: f64,
    /// Container and codec, e.g. "wav/pcm_s16le", "wav/mulaw", "wav/alaw", "mp3", "flac", "vorbis".
    pub codec: String,
    /// Length in frames at `sample_rate`.
    pub frames: u64,
}

/// Settings for [`decode`].
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeOptions {
    /// Refuse recordings longer than this many seconds ([`AudioError::TooLong`]); `None` for no
    /// limit. The default, 12 hours, keeps a stereo decode under about 3 GB.
    pub max_duration_s: Option<f64>,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_duration_s: Some(12.0 * 3600.0),
        }
    }
}

/// A decoded recording: every channel at [`TARGET_RATE`] as 16-bit samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The file's format; `frames` and `duration_s` are what was actually decoded.
    pub info: AudioInfo,
    /// One vector per channel (0 = left), all the same length, at [`TARGET_RATE`].
    pub channels: Vec<Vec<i16>>,
    /// Samples of the file (all channels, at its own rate) that were not numbers (NaN or
    /// infinite floats) and were replaced by silence.
    pub non_finite: u64,
    /// The file stops before its stream ends (an Ogg stream without its last page, an MP3 cut
    /// inside a frame): what was decoded is all there is, but it is not the whole call.
    pub ends_early: bool,
}

impl Decoded {
    /// Samples per channel at [`TARGET_RATE`].
    pub fn len(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    /// True when no samples were decoded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Length of the decoded channels in seconds.
    pub fn duration_s(&self) -> f64 {
        self.len() as f64 / f64::from(TARGET_RATE)
    }

    /// Samples `range` (at [`TARGET_RATE`], clamped to the channel) of channel `ch` as f32 in
    /// -1.0 ..= 1.0; `None` when the channel does not exist.
    pub fn channel_f32(&self, ch: usize, range: Range<usize>) -> Option<Vec<f32>> {
        let samples = self.channels.get(ch)?;
        let end = range.end.min(samples.len());
        let start = range.start.min(end);
        Some(
            samples[start..end]
                .iter()
                .map(|&s| f32::from(s) / 32768.0)
                .collect(),
        )
    }
}

/// The average of all channels (one channel is returned as it is).
pub fn mix_to_mono(decoded: &Decoded) -> Vec<i16> {
    mix_channels(&decoded.channels)
}

/// The sample-by-sample average of `channels`, as long as the first (one channel is returned
/// as it is).
pub fn mix_channels(channels: &[Vec<i16>]) -> Vec<i16> {
    let n = channels.len();
    match n {
        0 => Vec::new(),
        1 => channels[0].clone(),
        _ => (0..channels[0].len())
            .map(|i| {
                let sum: i32 = channels
                    .iter()
                    .map(|c| i32::from(c.get(i).copied().unwrap_or(0)))
                    .sum();
                (sum / n as i32) as i16
            })
            .collect(),
    }
}

enum Opened {
    Wav(riff::WavHeader, File),
    Other(symph::SymphSource),
}

/// What a path that is not a regular file is, e.g. "a FIFO"; `None` for a regular file.
///
/// Checked before a file is opened: opening a FIFO for reading blocks until something writes
/// to it, and a device such as `/dev/zero` never ends.
pub fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// Opens the file, recognises the format and reads the header.
fn open_any(path: &Path) -> Result<(Opened, AudioInfo), AudioError> {
    let meta = std::fs::metadata(path).map_err(|e| AudioError::io(path, e))?;
    if let Some(kind) = not_a_file(&meta) {
        return Err(AudioError::not_audio(
            path,
            format!("it is {kind}, not a recording"),
        ));
    }
    let file_len = meta.len();
    if file_len == 0 {
        return Err(AudioError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut file = File::open(path).map_err(|e| AudioError::io(path, e))?;
    let mut head = [0u8; 12];
    let n = file.read(&mut head).map_err(|e| AudioError::io(path, e))?;
    let reopened = File::open(path).map_err(|e| AudioError::io(path, e))?;
    if let Some(format) = riff::unsupported_container(&head[..n]) {
        return Err(AudioError::UnsupportedCodec {
            path: path.to_path_buf(),
            codec: format.to_string(),
        });
    }
    if riff::is_riff_wave(&head[..n]) {
        let mut file = reopened;
        let (header, info) = wav::probe(path, &mut file, file_len)?;
        Ok((Opened::Wav(header, file), info))
    } else {
        let (src, info) = symph::SymphSource::probe(path, reopened)?;
        Ok((Opened::Other(src), info))
    }
}

/// Reads the format and length of a recording without decoding it (MP3 files without a length
/// header are scanned packet by packet, still without decoding).
pub fn open(path: &Path) -> Result<AudioInfo, AudioError> {
    let (opened, mut info) = open_any(path)?;
    if let Opened::Other(mut src) = opened {
        if !src.knows_length() {
            info.frames = src.count_frames()?;
            info.duration_s = info.frames as f64 / f64::from(info.sample_rate.max(1));
        }
    }
    if info.duration_s < MIN_DURATION_S {
        return Err(AudioError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(info)
}

/// Decodes a recording to [`TARGET_RATE`], channel by channel.
///
/// `progress` is called now and then with the seconds of audio decoded so far.
pub fn decode(
    path: &Path,
    opts: &DecodeOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Decoded, AudioError> {
    let (opened, info) = open_any(path)?;
    let rate = f64::from(info.sample_rate);
    let too_long = |seconds: f64| match opts.max_duration_s {
        Some(limit) if seconds > limit => Some(AudioError::TooLong {
            path: path.to_path_buf(),
            duration_s: seconds,
            limit_s: limit,
        }),
        _ => None,
    };
    if let Some(e) = too_long(info.duration_s) {
        return Err(e);
    }
    let mut source: Box<dyn BlockSource> = match opened {
        Opened::Wav(header, file) => Box::new(wav::WavSource::new(path, file, &header)?),
        Opened::Other(src) => Box::new(src),
    };
    let channels = usize::from(info.channels);
    let expected = (info.frames > 0).then_some(info.frames);
    let mut writer = resample::Writer::new(info.sample_rate, channels, expected)
        .map_err(|reason| AudioError::corrupt(path, reason))?;
    let mut block: Vec<Vec<f32>> = vec![Vec::with_capacity(BLOCK_FRAMES); channels];
    let mut reported = 0.0;
    let mut non_finite = 0;
    loop {
        let frames = source.next_block(&mut block)?;
        if frames == 0 {
            break;
        }
        non_finite += resample::sanitize(&mut block);
        writer
            .push(&block)
            .map_err(|reason| AudioError::corrupt(path, reason))?;
        let seconds = writer.frames_in() as f64 / rate;
        if let Some(e) = too_long(seconds) {
            return Err(e);
        }
        if seconds - reported >= 1.0 {
            reported = seconds;
            progress(seconds);
        }
    }
    let decoded = writer.frames_in();
    source.check_end(decoded)?;
    let frames = source.stated_frames().map_or(decoded, |n| n.min(decoded));
    let duration_s = frames as f64 / rate;
    progress(duration_s);
    if duration_s < MIN_DURATION_S {
        return Err(AudioError::Empty {
            path: path.to_path_buf(),
        });
    }
    let channels = writer
        .finish(frames)
        .map_err(|reason| AudioError::corrupt(path, reason))?;
    let ends_early = !info.codec.starts_with("wav") && ending::ends_early(path, &info.codec);
    Ok(Decoded {
        info: AudioInfo {
            frames,
            duration_s,
            ..info
        },
        channels,
        non_finite,
        ends_early,
    })
}
