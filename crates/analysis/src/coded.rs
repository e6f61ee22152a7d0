//! Scoring the analysis against hand-coded employee utterances (docs/coding-manual.md): each
//! utterance, with the citizen's turn before it, is analysed as a two-turn call, and the code
//! the analysis gives it is compared with the coder's.
//!
//! The file is TSV: a `#` comment, a header line, then `id, code, family, split,
//! citizen_before, utterance`. Codes: `open`, `closed`, `leading`, `simple_reflection`,
//! `complex_reflection`, `affirmation`, `none`.

use crate::{analyze, Analysis, Config, ReflectionKind};
use medlyt_core::{Role, Transcript};
use medlyt_questions::QuestionKind;

/// The seven codes, in report order.
pub const CODES: [&str; 7] = [
    "open",
    "closed",
    "leading",
    "simple_reflection",
    "complex_reflection",
    "affirmation",
    "none",
];

/// One coded utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct CodedItem {
    /// Its identifier.
    pub id: String,
    /// The coder's code.
    pub code: String,
    /// The disagreement family it belongs to (a-e, reflection, affirmation, plain).
    pub family: String,
    /// `tune` or `test`.
    pub split: String,
    /// What the citizen said just before.
    pub citizen_before: String,
    /// The employee's utterance.
    pub utterance: String,
}

/// Reads a coded file; a line with the wrong number of columns or an unknown code is an
/// error naming the line.
pub fn read_coded(text: &str) -> Result<Vec<CodedItem>, String> {
    let mut out = Vec::new();
    let mut header = true;
    for (no, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if header {
            header = false;
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [id, code, family, split, before, utterance] = cols[..] else {
            return Err(format!(
                "line {}: expected 6 columns, found {}",
                no + 1,
                cols.len()
            ));
        };
        if !CODES.contains(&code) {
            return Err(format!("line {}: unknown code '{code}'", no + 1));
        }
        out.push(CodedItem {
            id: id.to_string(),
            code: code.to_string(),
            family: family.to_string(),
            split: split.to_string(),
            citizen_before: before.to_string(),
            utterance: utterance.to_string(),
        });
    }
    Ok(out)
}

/// The call of one item: the citizen's turn (where there is one), then the employee's.
fn call(item: &CodedItem, config: &Config) -> Transcript {
    let mut t = Transcript::two_party(&item.id, config.lang.code(), 20.0);
    if !item.citizen_before.trim().is_empty() {
        t.push_text(Role::Citizen, 0.0, 8.0, &item.citizen_before);
    }
    t.push_text(Role::Employee, 10.0, 18.0, &item.utterance);
    t
}

/// The code the analysis gives the employee's utterance: its last question decides (a long
/// turn that ends in a question is that question); without one, a reflection, then an
/// affirmation; otherwise `none`.
pub fn code_of(a: &Analysis) -> &'static str {
    let last_question = a
        .utterances
        .iter()
        .filter(|u| u.role == Role::Employee)
        .flat_map(|u| &u.sentences)
        .rfind(|c| c.kind != QuestionKind::NotQuestion);
    match last_question.map(|c| c.kind) {
        Some(QuestionKind::Open) => return "open",
        Some(QuestionKind::Closed) => return "closed",
        Some(QuestionKind::Leading) => return "leading",
        _ => {}
    }
    if let Some(r) = a.listening.reflections.first() {
        return match r.kind {
            ReflectionKind::Simple => "simple_reflection",
            ReflectionKind::Complex => "complex_reflection",
        };
    }
    if a.listening.affirmations > 0 {
        return "affirmation";
    }
    "none"
}

/// The analysis's code for one item.
pub fn predict(item: &CodedItem, config: &Config) -> &'static str {
    code_of(&analyze(&call(item, config), config))
}

/// Agreement figures over (coder, analysis) pairs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scores {
    /// Items scored.
    pub items: usize,
    /// Question detection: precision, recall.
    pub question_precision: f64,
    /// Question detection recall.
    pub question_recall: f64,
    /// Open vs closed (leading counts as closed) over the coder's questions that the analysis
    /// also took for questions: accuracy.
    pub open_closed_accuracy: f64,
    /// Cohen's kappa of the same.
    pub open_closed_kappa: f64,
    /// Open-vs-closed items scored.
    pub open_closed_items: usize,
    /// Reflection detection (either kind): precision.
    pub reflection_precision: f64,
    /// Reflection recall.
    pub reflection_recall: f64,
    /// Reflection F1.
    pub reflection_f1: f64,
    /// Simple vs complex over reflections both found: accuracy.
    pub reflection_kind_accuracy: f64,
    /// Affirmation precision.
    pub affirmation_precision: f64,
    /// Affirmation recall.
    pub affirmation_recall: f64,
    /// Confusion matrix: `matrix[coder][analysis]` in [`CODES`] order.
    pub matrix: [[usize; 7]; 7],
}

fn frac(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn index(code: &str) -> usize {
    CODES.iter().position(|c| *c == code).unwrap_or(6)
}

/// Cohen's kappa of two binary label lists.
fn kappa(pairs: &[(bool, bool)]) -> f64 {
    let n = pairs.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let agree = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let a1 = pairs.iter().filter(|(a, _)| *a).count() as f64 / n;
    let b1 = pairs.iter().filter(|(_, b)| *b).count() as f64 / n;
    let chance = a1 * b1 + (1.0 - a1) * (1.0 - b1);
    if (1.0 - chance).abs() < 1e-12 {
        return 1.0;
    }
    (agree - chance) / (1.0 - chance)
}

/// Scores (coder, analysis) code pairs.
pub fn score(pairs: &[(&str, &str)]) -> Scores {
    let is_q = |c: &str| matches!(c, "open" | "closed" | "leading");
    let is_r = |c: &str| c.ends_with("_reflection");
    let count = |f: &dyn Fn(&(&str, &str)) -> bool| pairs.iter().filter(|p| f(p)).count();
    let mut s = Scores {
        items: pairs.len(),
        ..Scores::default()
    };
    for (gold, got) in pairs {
        s.matrix[index(gold)][index(got)] += 1;
    }
    let q_both = count(&|(g, p)| is_q(g) && is_q(p));
    s.question_precision = frac(q_both, count(&|(_, p)| is_q(p)));
    s.question_recall = frac(q_both, count(&|(g, _)| is_q(g)));
    let oc: Vec<(bool, bool)> = pairs
        .iter()
        .filter(|(g, p)| is_q(g) && is_q(p))
        .map(|(g, p)| (*g == "open", *p == "open"))
        .collect();
    s.open_closed_items = oc.len();
    s.open_closed_accuracy = frac(oc.iter().filter(|(a, b)| a == b).count(), oc.len());
    s.open_closed_kappa = kappa(&oc);
    let r_both = count(&|(g, p)| is_r(g) && is_r(p));
    s.reflection_precision = frac(r_both, count(&|(_, p)| is_r(p)));
    s.reflection_recall = frac(r_both, count(&|(g, _)| is_r(g)));
    let (p, r) = (s.reflection_precision, s.reflection_recall);
    s.reflection_f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    s.reflection_kind_accuracy = frac(count(&|(g, p)| is_r(g) && g == p), r_both);
    let a_both = count(&|(g, p)| *g == "affirmation" && *p == "affirmation");
    s.affirmation_precision = frac(a_both, count(&|(_, p)| *p == "affirmation"));
    s.affirmation_recall = frac(a_both, count(&|(g, _)| *g == "affirmation"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_agreement_and_kappa() {
        let pairs = [
            ("open", "open"),
            ("open", "closed"),
            ("closed", "closed"),
            ("closed", "none"),
            ("simple_reflection", "complex_reflection"),
            ("none", "simple_reflection"),
            ("affirmation", "affirmation"),
        ];
        let s = score(&pairs);
        assert_eq!(s.items, 7);
        assert!((s.question_recall - 0.75).abs() < 1e-9);
        assert!((s.question_precision - 1.0).abs() < 1e-9);
        assert_eq!(s.open_closed_items, 3);
        assert!((s.open_closed_accuracy - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.reflection_precision - 0.5).abs() < 1e-9);
        assert!((s.reflection_recall - 1.0).abs() < 1e-9);
        assert!((s.reflection_kind_accuracy - 0.0).abs() < 1e-9);
        assert_eq!(s.matrix[0][1], 1);
        assert!((kappa(&[(true, true), (false, false)]) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn coded_files_are_checked() {
        let ok = "# c\nid\tcode\tfamily\tsplit\tcitizen_before\tutterance\n1\topen\ta\ttune\t\tKan du fortælle?\n";
        assert_eq!(read_coded(ok).map(|v| v.len()), Ok(1));
        assert!(read_coded("# c\nh\n1\tweird\ta\ttune\t\tx\n").is_err());
        assert!(read_coded("# c\nh\n1\topen\ta\n").is_err());
    }
}
