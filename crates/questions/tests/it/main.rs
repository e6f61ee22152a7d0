//! Integration tests for medlyt-questions: one module per area.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod eval_sets;
mod families;
mod lexicon;
mod rules_da;
mod rules_en;
mod short;
mod splitting;

use medlyt_core::Lang;
use medlyt_questions::{classify, QuestionKind};

/// Asserts that `sentence` gets `kind` by rule `rule` with cue `cue`.
pub fn check(lang: Lang, sentence: &str, kind: QuestionKind, rule: &str, cue: &str) {
    let c = classify(sentence, lang);
    assert_eq!(
        (c.kind, c.rule.as_str(), c.cue.as_str()),
        (kind, rule, cue),
        "sentence: {sentence}"
    );
}
