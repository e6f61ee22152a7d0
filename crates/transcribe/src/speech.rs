//! Finding speech per track: Silero VAD (through whisper.cpp) where its model is installed,
//! an energy detector otherwise; then crosstalk removal between the two channels of a call.

use crate::TranscribeError;
use medlyt_audio::{energy_vad, frame_levels, remove_crosstalk, CrosstalkParams, VadParams};
use medlyt_core::Span;
use std::path::{Path, PathBuf};
use whisper_rs::{WhisperVadContext, WhisperVadContextParams, WhisperVadParams};

/// Samples per level frame (20 ms at 16 kHz).
pub const FRAME: usize = 320;
/// Silero runs on chunks of this many seconds so memory stays flat on long calls.
const VAD_CHUNK_S: usize = 300;

/// Which detector found the speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    /// Silero VAD.
    Silero,
    /// The energy detector (no VAD model installed).
    Energy,
}

/// Finds speech in 16 kHz channels.
pub struct SpeechFinder {
    silero: Option<WhisperVadContext>,
    path: Option<PathBuf>,
}

impl SpeechFinder {
    /// Uses the Silero model at `path` if given.
    pub fn new(path: Option<&Path>) -> Result<Self, TranscribeError> {
        let silero = match path {
            Some(p) => {
                let mut params = WhisperVadContextParams::default();
                // The VAD model is tiny and runs one graph per 32 ms of audio: a second thread
                // gains nothing, and its barrier waits crawl when the machine is busy.
                params.set_n_threads(1);
                params.set_use_gpu(false);
                let path_str = p.to_str().ok_or_else(|| TranscribeError::ModelLoad {
                    path: p.to_path_buf(),
                    reason: "path is not valid UTF-8".into(),
                })?;
                Some(WhisperVadContext::new(path_str, params).map_err(|e| {
                    TranscribeError::ModelLoad {
                        path: p.to_path_buf(),
                        reason: format!("cannot load the VAD model: {e}"),
                    }
                })?)
            }
            None => None,
        };
        Ok(SpeechFinder {
            silero,
            path: path.map(Path::to_path_buf),
        })
    }

    /// A second finder with the same model, to work on another channel at the same time.
    pub fn another(&self) -> Result<Self, TranscribeError> {
        SpeechFinder::new(self.path.as_deref())
    }

    /// The detector in use.
    pub fn detector(&self) -> Detector {
        if self.silero.is_some() {
            Detector::Silero
        } else {
            Detector::Energy
        }
    }

    /// Speech spans (seconds) of one channel of 16 kHz samples.
    pub fn find(&mut self, samples: &[i16], levels: &[f32]) -> Result<Vec<Span>, TranscribeError> {
        let Some(vad) = self.silero.as_mut() else {
            return Ok(energy_vad(levels, &VadParams::default()));
        };
        let mut params = WhisperVadParams::default();
        params.set_threshold(0.5);
        params.set_min_speech_duration(200);
        params.set_min_silence_duration(250);
        params.set_speech_pad(30);
        let chunk = VAD_CHUNK_S * 16000;
        let mut spans = Vec::new();
        let mut buf: Vec<f32> = Vec::with_capacity(chunk.min(samples.len()));
        for (k, part) in samples.chunks(chunk).enumerate() {
            buf.clear();
            buf.extend(part.iter().map(|&s| f32::from(s) / 32768.0));
            if buf.len() < 512 {
                continue;
            }
            let offset = (k * chunk) as f64 / 16000.0;
            let segs = vad
                .segments_from_samples(params, &buf)
                .map_err(|e| TranscribeError::Whisper(format!("speech detection failed: {e}")))?;
            for s in segs {
                spans.push(Span::new(
                    offset + f64::from(s.start) / 100.0,
                    offset + f64::from(s.end) / 100.0,
                ));
            }
        }
        // Chunk borders cut speech in two: join pieces that touch.
        Ok(medlyt_core::union(&spans, 0.05))
    }
}

/// Speech found per channel, with the frame levels it was judged on.
pub struct ChannelSpeech {
    /// Speech spans per channel (crosstalk removed).
    pub spans: Vec<Vec<Span>>,
    /// RMS level per 20 ms frame per channel, in dBFS.
    pub levels: Vec<Vec<f32>>,
}

/// Level difference (dB) below which a frame of one channel is taken as bleed from the other.
pub const BLEED_DB: f32 = 15.0;

/// Finds speech on every channel (the first two side by side, one thread each), then removes
/// crosstalk between the first two.
pub fn speech_per_channel(
    finder: &mut SpeechFinder,
    channels: &[&[i16]],
) -> Result<ChannelSpeech, TranscribeError> {
    let levels: Vec<Vec<f32>> = channels.iter().map(|c| frame_levels(c, FRAME)).collect();
    let mut found = Vec::with_capacity(channels.len());
    if let ([a, b, ..], [la, lb, ..]) = (channels, levels.as_slice()) {
        let mut second = finder.another()?;
        let (first, other) = std::thread::scope(|scope| {
            let other = scope.spawn(|| second.find(b, lb));
            let first = finder.find(a, la);
            (first, other.join())
        });
        found.push(first?);
        found.push(other.map_err(|_| {
            TranscribeError::Whisper("speech detection stopped unexpectedly".to_string())
        })??);
    }
    for (c, l) in channels.iter().zip(&levels).skip(found.len()) {
        found.push(finder.find(c, l)?);
    }
    if found.len() >= 2 {
        let params = CrosstalkParams {
            bleed_db: BLEED_DB,
            ..CrosstalkParams::default()
        };
        let a = remove_crosstalk(&found[0], &levels[0], &levels[1], &params);
        let b = remove_crosstalk(&found[1], &levels[1], &levels[0], &params);
        found[0] = a;
        found[1] = b;
    }
    Ok(ChannelSpeech {
        spans: found,
        levels,
    })
}

/// Silences the frames of `samples` (starting at sample `first`) where this channel only
/// carries bleed from the other, so Whisper does not transcribe the other party's words here.
/// `first` may be any sample, not only a frame border.
pub fn gate_bleed(samples: &mut [f32], first: usize, own: &[f32], other: &[f32]) {
    for (i, s) in samples.iter_mut().enumerate() {
        let frame = (first + i) / FRAME;
        if let (Some(&o), Some(&x)) = (own.get(frame), other.get(frame)) {
            if o < x - BLEED_DB {
                *s = 0.0;
            }
        }
    }
}
