//! What can go wrong while fetching a model file.

use std::path::PathBuf;

/// A failed `medlyt model fetch`.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The name is not one of the official files.
    #[error("unknown model '{name}'; known names: {}", known.join(", "))]
    UnknownName {
        /// The name asked for.
        name: String,
        /// Every name that can be fetched.
        known: Vec<&'static str>,
    },
    /// A `--sha256` value that is not 64 hex digits.
    #[error("'{value}' is not a SHA-256 sum (64 hex digits)")]
    BadSha256 {
        /// The value given.
        value: String,
    },
    /// The file is in the models folder already, but with other content.
    #[error(
        "{} exists but is not the expected file (sha256 {actual}, expected {expected}); \
         it may have been converted locally: pass --force to replace it",
        path.display()
    )]
    OtherFilePresent {
        /// The file in the models folder.
        path: PathBuf,
        /// Its SHA-256.
        actual: String,
        /// The pinned SHA-256.
        expected: String,
    },
    /// No connection, a failed name lookup, a refused or dropped connection, a timeout.
    #[error("cannot download {url}: {reason}")]
    Network {
        /// What was requested.
        url: String,
        /// Why it failed.
        reason: String,
        /// Bytes kept in the partial file for the next run.
        kept: u64,
    },
    /// The server answered with an error status.
    #[error("cannot download {url}: the server answered HTTP {status}")]
    HttpStatus {
        /// What was requested.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The downloaded file is not the expected one; the partial file was deleted.
    #[error(
        "{file} failed verification: sha256 {actual}, expected {expected}{}; the download was deleted",
        size_note(*expected_bytes, *actual_bytes)
    )]
    Mismatch {
        /// The file name.
        file: String,
        /// The pinned SHA-256.
        expected: String,
        /// The SHA-256 of what arrived.
        actual: String,
        /// The pinned size, when known.
        expected_bytes: Option<u64>,
        /// The size of what arrived.
        actual_bytes: u64,
    },
    /// Reading or writing a local file failed.
    #[error("i/o error on {}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

fn size_note(expected: Option<u64>, actual: u64) -> String {
    match expected {
        Some(e) if e != actual => format!(" ({actual} bytes, expected {e})"),
        _ => String::new(),
    }
}

impl FetchError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        FetchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
