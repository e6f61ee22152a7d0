//! Explainable question classification for Danish and English call transcripts.
//!
//! Every [`Classification`] keeps the rule that fired and the cue it matched, so a consultant can
//! see why a sentence was called closed.

use medlyt_core::Lang;
use serde::{Deserialize, Serialize};

/// The kind of a sentence as a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Invites the other to tell (what/how/why, "kan du fortælle", "fortæl ...").
    Open,
    /// Asks for one fact or yes/no.
    Closed,
    /// Suggests its own answer (tag questions "..., ikke?", "vel?").
    Leading,
    /// Not a question.
    NotQuestion,
}

/// The result for one sentence, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// The sentence as classified.
    pub sentence: String,
    /// The kind.
    pub kind: QuestionKind,
    /// Identifier of the rule that fired, e.g. `da.request_tell`.
    pub rule: String,
    /// The word or phrase that triggered the rule, e.g. "kan du fortælle".
    pub cue: String,
    /// Whether it is a why-question ("hvorfor", "why").
    pub why: bool,
}

/// Splits text into sentences (keeping the end punctuation).
pub fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Classifies one sentence.
pub fn classify(sentence: &str, lang: Lang) -> Classification {
    let _ = lang;
    Classification {
        sentence: sentence.to_string(),
        kind: QuestionKind::NotQuestion,
        rule: "placeholder".into(),
        cue: String::new(),
        why: false,
    }
}
