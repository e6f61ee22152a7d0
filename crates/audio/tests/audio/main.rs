//! Integration tests of medlyt-audio against the committed fixtures (see
//! `scripts/make-format-fixtures.sh`): every format decodes to the right channels, length,
//! frequencies and level; every bad file gives its own error; damaged files never panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod bad;
mod channels;
mod formats;
mod fuzz;
mod hostile;
mod signal;

use std::path::PathBuf;

/// A file under the repository's `fixtures/` folder.
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel)
}

/// Decodes with default options and no progress output.
pub fn decode(path: &std::path::Path) -> Result<medlyt_audio::Decoded, medlyt_audio::AudioError> {
    medlyt_audio::decode(path, &medlyt_audio::DecodeOptions::default(), &mut |_| {})
}
