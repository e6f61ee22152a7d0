//! Scoring the classifier against a labelled evaluation set.
//!
//! The set is a TSV file: `label<TAB>sentence[<TAB>split]`, label one of `open`, `closed`,
//! `leading`, `none`; split `dev` or `test`. Lines starting with `#` and blank lines are skipped.

use crate::{classify_with, Classification, QuestionKind, QuestionRules};

/// The four kinds in report order.
pub const KINDS: [QuestionKind; 4] = [
    QuestionKind::Open,
    QuestionKind::Closed,
    QuestionKind::Leading,
    QuestionKind::NotQuestion,
];

/// Errors when reading an evaluation set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A line lacks the tab between label and sentence.
    #[error("line {line}: expected label<TAB>sentence")]
    MissingTab {
        /// 1-based line number.
        line: usize,
    },
    /// The label is not one of the four kinds.
    #[error("line {line}: unknown label '{label}' (expected open, closed, leading or none)")]
    UnknownLabel {
        /// 1-based line number.
        line: usize,
        /// The label found.
        label: String,
    },
}

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalItem {
    /// The expected kind.
    pub label: QuestionKind,
    /// The sentence.
    pub sentence: String,
    /// `dev`, `test`, or empty when the file has no split column.
    pub split: String,
}

/// The label text of a kind as used in the TSV files.
pub fn label_name(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Open => "open",
        QuestionKind::Closed => "closed",
        QuestionKind::Leading => "leading",
        QuestionKind::NotQuestion => "none",
    }
}

/// Parses an evaluation set.
pub fn parse_eval(text: &str) -> Result<Vec<EvalItem>, EvalError> {
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t');
        let label = cols.next().unwrap_or_default().trim();
        let sentence = cols.next().ok_or(EvalError::MissingTab { line: line_no })?;
        let split = cols.next().unwrap_or_default().trim().to_string();
        let label = KINDS
            .into_iter()
            .find(|k| label_name(*k) == label)
            .ok_or_else(|| EvalError::UnknownLabel {
                line: line_no,
                label: label.to_string(),
            })?;
        items.push(EvalItem {
            label,
            sentence: sentence.trim().to_string(),
            split,
        });
    }
    Ok(items)
}

/// Results of one evaluation run.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// `confusion[expected][predicted]`, indexed in [`KINDS`] order.
    pub confusion: [[usize; 4]; 4],
    /// Each sentence classified wrongly, with its expected kind.
    pub errors: Vec<(QuestionKind, Classification)>,
}

fn index(kind: QuestionKind) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

impl EvalReport {
    /// Number of sentences scored.
    pub fn total(&self) -> usize {
        self.confusion.iter().flatten().sum()
    }

    /// Number classified correctly.
    pub fn correct(&self) -> usize {
        (0..4).map(|i| self.confusion[i][i]).sum()
    }

    /// Share classified correctly (0 for an empty set).
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// Precision for one kind: correct predictions of it over all predictions of it.
    pub fn precision(&self, kind: QuestionKind) -> f64 {
        let k = index(kind);
        ratio(
            self.confusion[k][k],
            (0..4).map(|i| self.confusion[i][k]).sum(),
        )
    }

    /// Recall for one kind: correct predictions of it over all sentences labelled with it.
    pub fn recall(&self, kind: QuestionKind) -> f64 {
        let k = index(kind);
        ratio(self.confusion[k][k], self.confusion[k].iter().sum())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Classifies every item whose split matches `split` (all items when `split` is `None`).
pub fn evaluate(items: &[EvalItem], rules: &QuestionRules, split: Option<&str>) -> EvalReport {
    let mut report = EvalReport::default();
    for item in items
        .iter()
        .filter(|it| split.is_none_or(|s| it.split == s))
    {
        let got = classify_with(&item.sentence, rules);
        report.confusion[index(item.label)][index(got.kind)] += 1;
        if got.kind != item.label {
            report.errors.push((item.label, got));
        }
    }
    report
}
