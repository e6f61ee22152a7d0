//! Errors of recording and repair.

use std::path::PathBuf;

/// What went wrong while listing devices, recording or repairing a recording.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The audio system could not be asked for its devices.
    #[error("cannot list the audio input devices: {message}")]
    Devices {
        /// What the audio system said.
        message: String,
    },
    /// No input device has this name.
    #[error("no input device named {name:?} (see `medlyt devices`)")]
    NoSuchDevice {
        /// The name asked for.
        name: String,
    },
    /// There is no default input device.
    #[error("no default input device: name one with --device (see `medlyt devices`)")]
    NoDefaultDevice,
    /// The device refused the settings.
    #[error("cannot open input device {device:?}: {message}")]
    Open {
        /// The device.
        device: String,
        /// What the audio system said.
        message: String,
    },
    /// The options do not fit together.
    #[error("{message}")]
    Options {
        /// What is wrong.
        message: String,
    },
    /// The output file could not be created or written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a WAV file that can be repaired.
    #[error("cannot repair {}: {reason}", path.display())]
    NotWav {
        /// The file.
        path: PathBuf,
        /// Why not.
        reason: String,
    },
    /// The resampler that aligns two devices failed.
    #[error("cannot align the two devices' clocks: {message}")]
    Resample {
        /// What the resampler said.
        message: String,
    },
    /// The stop signal handler could not be installed.
    #[error("cannot install the stop signal handler: {source}")]
    Signal {
        /// The cause.
        source: std::io::Error,
    },
}

impl RecordError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        RecordError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
