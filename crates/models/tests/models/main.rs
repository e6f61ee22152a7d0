//! Integration tests of medlyt-models, one module per area. The inputs are synthetic and
//! built by the tests themselves, except in `hf_real`, which uses the real base weights that
//! scripts/get-models.sh leaves in `.cache/ct2/base`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ct2_import;
mod dtypes;
mod hf_errors;
mod hf_import;
mod hf_layout;
mod hf_real;
mod inspect_files;
mod mel_filters;
mod silero;
mod support;
mod torch_writer;
mod vocab_bytes;
