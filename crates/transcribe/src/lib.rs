//! Whisper transcription of a call, channel by channel.
//!
//! The pipeline: decode the recording to 16 kHz ([`medlyt_audio`]), find speech on each
//! channel and remove crosstalk ([`speech`]), pack only the speech into windows of up to 30 s
//! ([`pack`]), run Whisper on each window ([`engine`]), turn tokens into timed words
//! ([`words`]), drop text invented in silence ([`hallucination`]), and map every time back onto
//! the recording. A stereo call gives one track per party; a mono one a single track, whose
//! voices are then told apart (one track per voice) unless asked not to.

mod channels;
mod decode;
pub mod engine;
pub mod hallucination;
mod jobs;
mod language;
mod load;
mod mono;
mod options;
pub mod pack;
mod pipeline;
mod plan;
mod progress;
mod run;
mod segments;
pub mod speech;
mod timings;
mod window;
pub mod words;

pub use language::LANGUAGE_NOTE;
pub use options::{ModelSpec, Options};
pub use pipeline::{transcribe, transcribe_timed};
pub use progress::Progress;
pub use timings::Timings;

use std::path::PathBuf;

/// Errors while transcribing.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// The recording could not be read.
    #[error(transparent)]
    Audio(#[from] medlyt_audio::AudioError),
    /// whisper.cpp refused the model file.
    #[error("cannot load model {}: {reason}", path.display())]
    ModelLoad {
        /// The model file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// whisper.cpp failed while decoding.
    #[error("whisper failed: {0}")]
    Whisper(String),
    /// A language the model cannot transcribe.
    #[error("language '{language}' is not supported by model {model} (an English-only model)")]
    Language {
        /// The language asked for.
        language: String,
        /// The model's name.
        model: String,
    },
}
