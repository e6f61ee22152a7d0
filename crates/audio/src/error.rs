use std::path::PathBuf;

/// Why a recording could not be opened or decoded.
///
/// Each variant is a distinct kind of failure, so a caller can map them to distinct exit codes.
/// Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file does not exist.
    #[error("audio file not found: {}", path.display())]
    NotFound {
        /// The path asked for.
        path: PathBuf,
    },
    /// The file is not a recording in any format medlyt reads (text, random bytes, ...).
    #[error("not an audio file: {}: {reason}", path.display())]
    NotAudio {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        reason: String,
    },
    /// The file stops before the end its header announces.
    #[error("truncated audio file: {}: {reason}", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// The file is damaged: impossible header values or data the decoder cannot read.
    #[error("corrupt audio file: {}: {reason}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A valid file with no samples, or less than [`MIN_DURATION_S`](crate::MIN_DURATION_S) of audio.
    #[error("no audio in {}: the file holds no samples or less than 0.1 s", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A recognised container with a codec medlyt does not decode (e.g. IMA ADPCM or GSM in WAV).
    #[error("unsupported codec in {}: {codec} (convert it to PCM WAV, FLAC or MP3 first)", path.display())]
    UnsupportedCodec {
        /// The file.
        path: PathBuf,
        /// The codec's name, e.g. "ima adpcm (wav format tag 0x0011)".
        codec: String,
    },
    /// A sample rate medlyt does not resample from (below [`MIN_RATE`](crate::MIN_RATE) or above
    /// [`MAX_RATE`](crate::MAX_RATE)).
    #[error(
        "unsupported sample rate in {}: {rate} Hz (medlyt reads {} to {} Hz; resample the recording first)",
        path.display(),
        crate::MIN_RATE,
        crate::MAX_RATE
    )]
    UnsupportedRate {
        /// The file.
        path: PathBuf,
        /// The rate the file states, in Hz.
        rate: u32,
    },
    /// The recording is longer than [`DecodeOptions::max_duration_s`](crate::DecodeOptions::max_duration_s).
    #[error("recording too long: {} lasts at least {duration_s:.0} s, the limit is {limit_s:.0} s", path.display())]
    TooLong {
        /// The file.
        path: PathBuf,
        /// Seconds decoded or announced when the limit was hit.
        duration_s: f64,
        /// The limit in seconds.
        limit_s: f64,
    },
    /// Reading the file failed.
    #[error("failed to read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl AudioError {
    /// An I/O error, mapped to [`AudioError::NotFound`] when the file is missing.
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            AudioError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            AudioError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }

    pub(crate) fn corrupt(path: &std::path::Path, reason: impl Into<String>) -> Self {
        AudioError::Corrupt {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    pub(crate) fn truncated(path: &std::path::Path, reason: impl Into<String>) -> Self {
        AudioError::Truncated {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    pub(crate) fn unsupported_rate(path: &std::path::Path, rate: u32) -> Self {
        AudioError::UnsupportedRate {
            path: path.to_path_buf(),
            rate,
        }
    }

    pub(crate) fn not_audio(path: &std::path::Path, reason: impl Into<String>) -> Self {
        AudioError::NotAudio {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }
}
