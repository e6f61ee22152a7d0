//! Prints the redactor's precision and recall per kind on the committed test set.
//!
//! `cargo run -p medlyt-redact --example eval_redaction [FILE.tsv ...]` (default: `data/*.tsv`).

use medlyt_redact::eval::{evaluate, parse, Example};
use medlyt_redact::Redactor;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut files: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if files.is_empty() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
        files = vec![dir.join("da.tsv"), dir.join("en.tsv")];
    }
    let mut examples: Vec<Example> = Vec::new();
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", f.display());
                return ExitCode::FAILURE;
            }
        };
        match parse(&text) {
            Ok(mut ex) => examples.append(&mut ex),
            Err(e) => {
                eprintln!("error: {}: {e}", f.display());
                return ExitCode::FAILURE;
            }
        }
    }
    let eval = evaluate(&Redactor::new(), &examples);
    println!("{} examples", examples.len());
    print!("{}", eval.report());
    ExitCode::SUCCESS
}
