//! What the pipeline tells a progress display.

/// What the pipeline is doing, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Decoding: seconds of audio done of the total.
    Decoding {
        /// Seconds decoded.
        done: f64,
        /// Seconds in the file (0 when unknown).
        total: f64,
    },
    /// Looking for speech.
    FindingSpeech,
    /// Transcribing windows: `done` of `total`.
    Transcribing {
        /// Windows done.
        done: usize,
        /// Windows in all.
        total: usize,
    },
}
