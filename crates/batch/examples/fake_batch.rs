//! Runs a batch with a fast fake transcriber, for the tests that kill a batch part-way:
//! `fake_batch OUT_DIR DELAY_MS LOG_FILE INPUT...`.

#[path = "../tests/batch/fake.rs"]
#[allow(dead_code, clippy::unwrap_used)]
mod fake;

use medlyt_batch::{collect, run_batch, BatchOptions, CallSettings};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: fake_batch OUT_DIR DELAY_MS LOG_FILE INPUT...");
        return ExitCode::from(2);
    }
    let delay = Duration::from_millis(args[1].parse().unwrap_or(100));
    let inputs: Vec<PathBuf> = args[3..].iter().map(PathBuf::from).collect();
    let inputs = match collect(&inputs) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let transcriber = fake::FakeTranscriber {
        delay,
        log: Some(PathBuf::from(&args[2])),
    };
    let opts = BatchOptions {
        out_dir: PathBuf::from(&args[0]),
        parallel: 2,
        settings: CallSettings::new(),
        cancel: None,
    };
    match run_batch(&inputs, &transcriber, &opts, &|_| {}) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
