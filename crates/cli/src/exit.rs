//! The errors the command line expects, each with its own documented exit code.

use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, as documented in the README and `medlyt --help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0   success
  1   other error (e.g. cannot write the output)
  2   bad command line
  3   input file not found
  4   not an audio file (or an unreadable transcript)
  5   truncated or corrupt audio file
  6   audio file without audio (zero length)
  7   unsupported audio codec or sample rate
  8   no model installed
  9   corrupt or wrong-format model file
  10  transcription failed
  11  invalid analysis config file
  12  batch finished, but some calls failed (see failures.jsonl)
  13  model download failed (no network or the server refused)";

/// An error the user can act on.
#[derive(Debug, thiserror::Error)]
pub enum ExpectedError {
    /// Input missing.
    #[error("{0}")]
    NotFound(String),
    /// Not audio / not a transcript.
    #[error("{0}")]
    NotAudio(String),
    /// Truncated or corrupt.
    #[error("{0}")]
    Corrupt(String),
    /// Zero-length audio.
    #[error("{0}")]
    Empty(String),
    /// Unsupported codec.
    #[error("{0}")]
    Unsupported(String),
    /// No model installed.
    #[error("no Whisper model found in {}: install the default models with `scripts/get-models.sh` (offline), or import one with `medlyt model import-ct2 DIR -o models/NAME.bin`", dir.display())]
    NoModel {
        /// Where models were looked for.
        dir: PathBuf,
    },
    /// Bad model file.
    #[error("{0}")]
    BadModel(String),
    /// Whisper failed.
    #[error("{0}")]
    Transcription(String),
    /// A batch finished, but some calls failed.
    #[error("{0}")]
    SomeFailed(String),
    /// A consultant's config file is wrong.
    #[error("{0}")]
    Config(String),
    /// A model download failed: no network, or the server refused.
    #[error("{0}")]
    Download(String),
    /// A command-line value that clap cannot check (e.g. an unknown model name).
    #[error("{0}")]
    Usage(String),
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

impl ExpectedError {
    /// The process exit code for this error.
    pub fn code(&self) -> u8 {
        match self {
            ExpectedError::Other(_) => 1,
            ExpectedError::Usage(_) => 2,
            ExpectedError::NotFound(_) => 3,
            ExpectedError::NotAudio(_) => 4,
            ExpectedError::Corrupt(_) => 5,
            ExpectedError::Empty(_) => 6,
            ExpectedError::Unsupported(_) => 7,
            ExpectedError::NoModel { .. } => 8,
            ExpectedError::BadModel(_) => 9,
            ExpectedError::Transcription(_) => 10,
            ExpectedError::Config(_) => 11,
            ExpectedError::SomeFailed(_) => 12,
            ExpectedError::Download(_) => 13,
        }
    }

    /// Exit code for the process.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

impl From<medlyt_audio::AudioError> for ExpectedError {
    fn from(e: medlyt_audio::AudioError) -> Self {
        use medlyt_audio::AudioError as A;
        let msg = e.to_string();
        match e {
            A::NotFound { .. } => ExpectedError::NotFound(msg),
            A::NotAudio { .. } => ExpectedError::NotAudio(msg),
            A::Truncated { .. } | A::Corrupt { .. } => ExpectedError::Corrupt(msg),
            A::Empty { .. } => ExpectedError::Empty(msg),
            A::UnsupportedCodec { .. } | A::UnsupportedRate { .. } => {
                ExpectedError::Unsupported(msg)
            }
            A::TooLong { .. } | A::Io { .. } => ExpectedError::Other(msg),
        }
    }
}

impl From<medlyt_transcribe::TranscribeError> for ExpectedError {
    fn from(e: medlyt_transcribe::TranscribeError) -> Self {
        use medlyt_transcribe::TranscribeError as T;
        match e {
            T::Audio(a) => a.into(),
            T::ModelLoad { .. } => ExpectedError::BadModel(e.to_string()),
            T::Whisper(_) | T::Language { .. } => ExpectedError::Transcription(e.to_string()),
        }
    }
}

impl From<medlyt_models::ModelError> for ExpectedError {
    fn from(e: medlyt_models::ModelError) -> Self {
        ExpectedError::BadModel(e.to_string())
    }
}

impl From<medlyt_formats::FormatError> for ExpectedError {
    fn from(e: medlyt_formats::FormatError) -> Self {
        use medlyt_formats::FormatError as F;
        match e {
            // A `--employee` that names nobody (or several) in the transcript.
            F::UnknownEmployee { .. } | F::AmbiguousEmployee { .. } => {
                ExpectedError::Usage(e.to_string())
            }
            _ => ExpectedError::NotAudio(format!("cannot read the transcript: {e}")),
        }
    }
}

impl From<medlyt_analysis::ConfigError> for ExpectedError {
    fn from(e: medlyt_analysis::ConfigError) -> Self {
        ExpectedError::Config(e.to_string())
    }
}
