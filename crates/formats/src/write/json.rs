//! medlyt's transcript JSON.

use super::TranscriptWriter;
use medlyt_core::Transcript;

/// Writes pretty-printed transcript JSON (see `docs/transcript-format.md`).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonWriter;

impl TranscriptWriter for JsonWriter {
    fn write(&self, t: &Transcript) -> Vec<u8> {
        let mut out = t.to_json().into_bytes();
        out.push(b'\n');
        out
    }
}
