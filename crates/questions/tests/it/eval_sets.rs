//! The labelled evaluation sets: size, coverage and an accuracy floor per split, so that a rule
//! change that breaks sentences fails here. Floors sit a few points below the measured figures
//! (see docs/questions.md).

use medlyt_core::Lang;
use medlyt_questions::eval::{evaluate, parse_eval, EvalItem, KINDS};
use medlyt_questions::QuestionRules;

const DA: &str = include_str!("../../data/eval-da.tsv");
const EN: &str = include_str!("../../data/eval-en.tsv");

fn check_set(text: &str, lang: Lang, min_size: usize, floors: &[(&str, f64)]) {
    let items: Vec<EvalItem> = parse_eval(text).unwrap();
    let labelled = items.iter().filter(|i| i.split != "fresh").count();
    assert!(
        labelled >= min_size,
        "{lang}: {labelled} dev+test sentences, want {min_size}"
    );
    let rules = QuestionRules::embedded(lang).unwrap();
    for &(split, floor) in floors {
        let in_split: Vec<&EvalItem> = items.iter().filter(|i| i.split == split).collect();
        for kind in KINDS {
            assert!(
                in_split.iter().any(|i| i.label == kind),
                "{lang} {split}: no {kind:?}"
            );
        }
        let report = evaluate(&items, &rules, Some(split));
        let errors: Vec<String> = report
            .errors
            .iter()
            .map(|(want, got)| {
                format!(
                    "want {want:?}, got {:?} by {}: {}",
                    got.kind, got.rule, got.sentence
                )
            })
            .collect();
        assert!(
            report.accuracy() >= floor,
            "{lang} {split}: accuracy {:.3} below floor {floor}\n{}",
            report.accuracy(),
            errors.join("\n")
        );
    }
}

#[test]
fn danish_set() {
    check_set(
        DA,
        Lang::Da,
        220,
        &[("dev", 0.96), ("test", 0.95), ("fresh", 0.93)],
    );
}

#[test]
fn english_set() {
    check_set(
        EN,
        Lang::En,
        110,
        &[("dev", 0.95), ("test", 0.93), ("fresh", 0.9)],
    );
}

#[test]
fn parse_errors_name_the_line() {
    let err = parse_eval("# c\nopen\tHvad?\nmaybe\tHvad?").unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 3: unknown label 'maybe' (expected open, closed, leading or none)"
    );
    let err = parse_eval("open Hvad?").unwrap_err();
    assert_eq!(err.to_string(), "line 1: expected label<TAB>sentence");
}
