//! Scores the question, reflection and affirmation coding against a hand-coded file.
//! Usage: eval_coded FILE da|en [tune|test|all] [--errors]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use medlyt_analysis::coded::{predict, read_coded, score, CODES};
use medlyt_analysis::Config;
use medlyt_core::Lang;

fn pct(x: f64) -> String {
    format!("{:5.1} %", 100.0 * x)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, lang) = (&args[0], args[1].parse::<Lang>().expect("da or en"));
    let split = args.get(2).map_or("all", String::as_str);
    let errors = args.iter().any(|a| a == "--errors");
    let items = read_coded(&std::fs::read_to_string(file).expect("read")).expect("parse");
    let config = Config::for_lang(lang);
    let chosen: Vec<_> = items
        .iter()
        .filter(|i| split == "all" || i.split == split)
        .collect();
    let predicted: Vec<&str> = chosen.iter().map(|i| predict(i, &config)).collect();
    let pairs: Vec<(&str, &str)> = chosen
        .iter()
        .zip(&predicted)
        .map(|(i, p)| (i.code.as_str(), *p))
        .collect();
    let s = score(&pairs);
    println!("{lang} {split}: {} utterances", s.items);
    println!(
        "  question detection   precision {}  recall {}",
        pct(s.question_precision),
        pct(s.question_recall)
    );
    println!(
        "  open/closed          accuracy  {}  kappa {:.3}  (over {} questions found by both)",
        pct(s.open_closed_accuracy),
        s.open_closed_kappa,
        s.open_closed_items
    );
    println!(
        "  reflections          precision {}  recall {}  F1 {:.3}  simple/complex agree {}",
        pct(s.reflection_precision),
        pct(s.reflection_recall),
        s.reflection_f1,
        pct(s.reflection_kind_accuracy)
    );
    println!(
        "  affirmations         precision {}  recall {}",
        pct(s.affirmation_precision),
        pct(s.affirmation_recall)
    );
    println!("  confusion (rows: coder, columns: medlyt)");
    let short = [
        "open", "closed", "lead", "s_refl", "c_refl", "affirm", "none",
    ];
    print!("  {:>8}", "");
    for c in short {
        print!(" {c:>7}");
    }
    println!();
    for (r, row) in s.matrix.iter().enumerate() {
        print!("  {:>8}", short[r]);
        for v in row {
            print!(" {v:>7}");
        }
        println!();
    }
    if errors {
        for (i, p) in chosen.iter().zip(&predicted) {
            if i.code != *p {
                println!(
                    "{}\t{}\t{}->{}\t{}\t|| {}",
                    i.id, i.family, i.code, p, i.utterance, i.citizen_before
                );
            }
        }
    }
    let _ = CODES;
}
