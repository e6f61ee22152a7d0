//! Integration tests of medlyt-diarize: synthetic voices and the committed mono fixtures.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod fixtures;
mod neural;
mod rttm;
mod synthetic;
