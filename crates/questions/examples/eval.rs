//! Scores the question classifier against a labelled TSV set.
//!
//! Usage: `eval <file.tsv> <da|en> [dev|test|fresh|all]`. Prints accuracy, per-class precision and
//! recall, a confusion matrix and the misclassified sentences with the rule that fired.

use medlyt_core::Lang;
use medlyt_questions::eval::{evaluate, label_name, parse_eval, EvalReport, KINDS};
use medlyt_questions::QuestionRules;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(lang)) = (args.first(), args.get(1)) else {
        return Err("usage: eval <file.tsv> <da|en> [dev|test|fresh|all]".into());
    };
    let lang: Lang = lang.parse()?;
    let only = args.get(2).map(String::as_str).unwrap_or("all");
    let text = std::fs::read_to_string(path).map_err(|e| format!("failed to read {path}: {e}"))?;
    let items = parse_eval(&text).map_err(|e| format!("{path}: {e}"))?;
    let rules = QuestionRules::embedded(lang).map_err(|e| e.to_string())?;
    let mut splits: Vec<Option<&str>> = Vec::new();
    if only == "all" {
        for item in &items {
            if !item.split.is_empty() && !splits.contains(&Some(item.split.as_str())) {
                splits.push(Some(item.split.as_str()));
            }
        }
        splits.push(None);
    } else {
        splits.push(Some(only));
    }
    for split in splits {
        let report = evaluate(&items, &rules, split);
        print_report(
            split.unwrap_or("all"),
            &report,
            only != "all" || split.is_none(),
        );
    }
    Ok(())
}

fn print_report(name: &str, r: &EvalReport, show_errors: bool) {
    println!(
        "== {name}: {} sentences, accuracy {:.1} % ({}/{})",
        r.total(),
        100.0 * r.accuracy(),
        r.correct(),
        r.total()
    );
    println!("{:<10} {:>9} {:>9}", "class", "precision", "recall");
    for k in KINDS {
        println!(
            "{:<10} {:>8.1}% {:>8.1}%",
            label_name(k),
            100.0 * r.precision(k),
            100.0 * r.recall(k)
        );
    }
    println!("confusion (rows expected, columns predicted):");
    print!("{:<10}", "");
    for k in KINDS {
        print!("{:>9}", label_name(k));
    }
    println!();
    for (i, k) in KINDS.iter().enumerate() {
        print!("{:<10}", label_name(*k));
        for n in r.confusion[i] {
            print!("{n:>9}");
        }
        println!();
    }
    if show_errors && !r.errors.is_empty() {
        println!("misclassified:");
        for (expected, got) in &r.errors {
            println!(
                "  expected {:<8} got {:<8} {:<34} cue '{}'  | {}",
                label_name(*expected),
                label_name(got.kind),
                got.rule,
                got.cue,
                got.sentence
            );
        }
    }
    println!();
}
