//! How long each stage of a transcription took.

use std::time::Instant;

/// Wall-clock seconds spent in each stage of one transcription.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Decoding and resampling the file.
    pub decode: f64,
    /// Loading the VAD model, and waiting for the Whisper model (it loads while the audio is
    /// decoded and searched).
    pub load: f64,
    /// Finding speech and removing crosstalk (and, in a mono recording, telling the voices
    /// apart).
    pub speech: f64,
    /// Detecting the language.
    pub language: f64,
    /// Running Whisper on the packed windows.
    pub whisper: f64,
    /// Seconds of audio given to Whisper (speech, padding and gaps).
    pub whisper_audio: f64,
    /// Number of windows.
    pub windows: usize,
}

/// Seconds between one lap and the next.
pub(crate) struct Stopwatch {
    since: Instant,
}

impl Stopwatch {
    /// A stopwatch running from now.
    pub(crate) fn start() -> Self {
        Stopwatch {
            since: Instant::now(),
        }
    }

    /// Seconds since the start or the last lap, and starts the next lap.
    pub(crate) fn lap(&mut self) -> f64 {
        let seconds = self.since.elapsed().as_secs_f64();
        self.since = Instant::now();
        seconds
    }
}
