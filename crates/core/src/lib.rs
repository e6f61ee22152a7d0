//! The data model every medlyt stage shares.
//!
//! A [`Transcript`] is the interchange file between stages: audio decoding and
//! transcription produce it, analysis and reports read it. It is serialised as
//! JSON with a schema name and version (see `docs/transcript-format.md`), so a
//! call can be analysed again later without transcribing it again.

mod lang;
pub mod notes;
mod role;
mod span;
mod transcript;

pub use lang::Lang;
pub use role::Role;
pub use span::{total_duration, union, Span};
pub use transcript::{
    LanguageInfo, ModelInfo, Recording, Segment, Track, Transcript, TranscriptError, Word,
    DA_OR_EN, TRANSCRIPT_SCHEMA, TRANSCRIPT_VERSION,
};
