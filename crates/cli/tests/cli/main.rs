//! End-to-end tests of the `medlyt` binary: one test binary, a module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod analyze;
mod bad_input;
mod batch;
mod common;
mod fuzz;
mod language;
mod models;
mod mono;
mod transcribe;
