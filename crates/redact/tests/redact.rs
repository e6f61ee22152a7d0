//! The redactor on the committed Danish and English test set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_redact::eval::{evaluate, parse};
use medlyt_redact::{Kind, Redactor};
use std::path::Path;

fn examples() -> Vec<medlyt_redact::eval::Example> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut all = Vec::new();
    for f in ["da.tsv", "en.tsv"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        all.extend(parse(&text).unwrap());
    }
    all
}

#[test]
fn full_recall_of_cpr_phone_and_email() {
    let ex = examples();
    let eval = evaluate(&Redactor::new(), &ex);
    print!("{}", eval.report());
    for kind in [Kind::Cpr, Kind::Phone, Kind::Email] {
        let c = eval.of(kind);
        assert!(c.gold >= 8, "too few {kind} examples");
        assert_eq!(c.recalled, c.gold, "{kind}: recall below 100 %");
        assert!(c.precision() >= 0.9, "{kind}: precision {}", c.precision());
    }
    for kind in [Kind::Address, Kind::Name] {
        assert!(eval.of(kind).recall() >= 0.8, "{kind}");
    }
    // Negative examples exist in both languages.
    for lang in ["da", "en"] {
        assert!(
            ex.iter()
                .filter(|e| e.lang == lang && e.gold.is_empty())
                .count()
                >= 10
        );
    }
}

#[test]
fn redacted_test_set_holds_no_marked_digits() {
    let r = Redactor::new();
    for ex in examples() {
        let out = r.redact(&ex.text);
        for g in ex
            .gold
            .iter()
            .filter(|g| matches!(g.kind, Kind::Cpr | Kind::Phone | Kind::Email))
        {
            let data = &ex.text[g.start..g.end];
            assert!(
                !out.contains(data),
                "line {}: {data} left in {out}",
                ex.line
            );
        }
    }
}
