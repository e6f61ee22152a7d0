//! Integration tests of medlyt-models, one module per area. All inputs are synthetic and
//! built by the tests themselves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ct2_import;
mod dtypes;
mod inspect_files;
mod mel_filters;
mod silero;
mod support;
mod vocab_bytes;
