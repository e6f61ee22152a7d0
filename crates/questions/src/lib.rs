//! Explainable question classification for Danish and English call transcripts.
//!
//! [`sentences`] splits transcript text into sentences; [`classify`] tells whether a sentence is an
//! open, closed or leading question, or no question. Every [`Classification`] keeps the rule that
//! fired and the cue it matched, so a consultant can see why a sentence was called closed. The cue
//! lists are data (`data/rules-da.json`, `data/rules-en.json`), embedded by default and replaceable
//! with [`QuestionRules::from_json`] and [`classify_with`]. See `docs/questions.md` for every rule.

mod classify;
pub mod eval;
mod rules;
mod split;
mod text;

use medlyt_core::Lang;
use serde::{Deserialize, Serialize};

pub use rules::{QuestionRules, QuestionWord, RulesError};
pub use split::sentences;

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

/// Classifies one sentence with the embedded default rules for `lang`.
pub fn classify(sentence: &str, lang: Lang) -> Classification {
    classify_with(sentence, QuestionRules::default_for(lang))
}

/// Classifies one sentence with the given rules (for example a consultant's edited copy).
pub fn classify_with(sentence: &str, rules: &QuestionRules) -> Classification {
    classify::classify_with(sentence, rules)
}
