//! End-to-end tests of the `medlyt` binary: one test binary, a module per area.

mod analyze;
mod bad_input;
mod common;
mod models;
mod transcribe;
