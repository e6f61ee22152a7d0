//! Analysis speed on synthetic transcripts (written by the analysis work).
fn main() {}
