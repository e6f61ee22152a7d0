//! Per-call results on disk: written atomically, read back to skip finished calls and to build
//! the batch's tables.

use crate::{BatchError, Figures};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// Why a call could not be analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Neither audio nor a transcript medlyt reads (wrong file type).
    NotAudio,
    /// A truncated or corrupt audio file.
    Corrupt,
    /// An audio file without audio, or an empty file.
    Empty,
    /// An audio codec medlyt does not decode.
    Unsupported,
    /// A transcript file that cannot be read.
    Transcript,
    /// Whisper failed on the recording.
    Transcription,
    /// The file could not be read, or is too long.
    Io,
    /// medlyt itself failed on the call (a fault to report, not a bad file).
    Internal,
    /// Not a regular file: a named pipe, socket or device, or a link to a folder the batch
    /// already searches (a symlink loop). Not read.
    NotAFile,
}

impl FailureKind {
    /// The snake-case name used in `failures.jsonl`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::NotAudio => "not_audio",
            FailureKind::Corrupt => "corrupt",
            FailureKind::Empty => "empty",
            FailureKind::Unsupported => "unsupported",
            FailureKind::Transcript => "transcript",
            FailureKind::Transcription => "transcription",
            FailureKind::Io => "io",
            FailureKind::Internal => "internal",
            FailureKind::NotAFile => "not_a_file",
        }
    }
}

/// A call that could not be analysed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// The kind of problem.
    pub kind: FailureKind,
    /// The reason in words.
    pub reason: String,
}

impl From<medlyt_audio::AudioError> for Failure {
    fn from(e: medlyt_audio::AudioError) -> Self {
        use medlyt_audio::AudioError as A;
        let kind = match e {
            A::NotAudio { .. } => FailureKind::NotAudio,
            A::Truncated { .. } | A::Corrupt { .. } => FailureKind::Corrupt,
            A::Empty { .. } => FailureKind::Empty,
            A::UnsupportedCodec { .. } | A::UnsupportedRate { .. } => FailureKind::Unsupported,
            A::NotFound { .. } | A::TooLong { .. } | A::Io { .. } => FailureKind::Io,
        };
        Failure {
            kind,
            reason: e.to_string(),
        }
    }
}

/// The outcome of one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// Analysed: its key figures.
    Done {
        /// The figures.
        figures: Figures,
    },
    /// Not analysed.
    Failed {
        /// Why.
        failure: Failure,
    },
}

/// The stored result of one call (`calls/NAME/result.json`, and a line of `results.jsonl`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallRecord {
    /// The input's relative path.
    pub input: String,
    /// The folder name of its outputs under `calls/`.
    pub name: String,
    /// SHA-256 of the file's content.
    pub content_sha256: String,
    /// Hash of the settings it was processed with.
    pub settings: String,
    /// What came of it.
    pub outcome: Outcome,
}

impl CallRecord {
    /// The figures, for a call that was analysed.
    pub fn figures(&self) -> Option<&Figures> {
        match &self.outcome {
            Outcome::Done { figures } => Some(figures),
            Outcome::Failed { .. } => None,
        }
    }

    /// The failure, for a call that was not analysed.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.outcome {
            Outcome::Done { .. } => None,
            Outcome::Failed { failure } => Some(failure),
        }
    }

    /// One compact JSON line.
    pub fn to_line(&self) -> String {
        // Plain data with string keys; non-finite floats become null.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it (a fixed name, so one left
/// by a killed run is overwritten by the next), flushed to disk, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), BatchError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| BatchError::io("create", dir, e))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.partial"));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    };
    write().map_err(|e| BatchError::io("write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| BatchError::io("rename", path, e))
}

/// Reads a stored record; `None` when there is none or it cannot be read (the call is redone).
pub fn read_record(path: &Path) -> Option<CallRecord> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Reads `results.jsonl`.
pub fn read_results(path: &Path) -> Result<Vec<CallRecord>, BatchError> {
    let text = std::fs::read_to_string(path).map_err(|e| BatchError::io("read", path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let rec: CallRecord = serde_json::from_str(line).map_err(|e| BatchError::BadOutput {
            path: path.to_path_buf(),
            line: i + 1,
            reason: e.to_string(),
        })?;
        out.push(rec);
    }
    Ok(out)
}
