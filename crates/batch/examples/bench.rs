//! Throughput of a batch of real recordings: audio hours per wall-clock hour for a given number of
//! parallel files, and the peak memory of the process.
//!
//! `bench MODEL VAD_MODEL PARALLEL OUT_DIR RECORDING...` (see `scripts/bench-batch.sh`).

use medlyt_batch::{
    collect, run_batch, thread_budget, BatchOptions, CallSettings, WhisperTranscriber,
};
use medlyt_core::Role;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Peak resident memory in MiB (Linux: VmHWM), if known.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 5 {
        eprintln!("usage: bench MODEL VAD_MODEL PARALLEL OUT_DIR RECORDING...");
        return ExitCode::from(2);
    }
    let parallel: usize = args[2].parse().unwrap_or(1);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (parallel, threads) = thread_budget(cores, Some(parallel), None);
    let vad = (args[1] != "none").then(|| PathBuf::from(&args[1]));
    let transcriber = match WhisperTranscriber::new(
        &PathBuf::from(&args[0]),
        vad,
        "auto",
        vec![Role::Employee, Role::Citizen],
        threads,
    ) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let files: Vec<PathBuf> = args[4..].iter().map(PathBuf::from).collect();
    let inputs = match collect(&files) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = BatchOptions {
        out_dir: PathBuf::from(&args[3]),
        parallel,
        settings: CallSettings::new(),
        cancel: None,
    };
    let start = Instant::now();
    let outcome = match run_batch(&inputs, &transcriber, &opts, &|_| {}) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let wall = start.elapsed().as_secs_f64();
    let audio_h = outcome.aggregate.audio_hours;
    println!(
        "parallel {parallel} x {threads} threads: {} calls, {:.4} audio h in {:.1} s wall = {:.1} audio hours per wall hour; {} failed; {} reused; peak memory {}",
        outcome.records.len(),
        audio_h,
        wall,
        audio_h / (wall / 3600.0),
        outcome.failed(),
        outcome.reused,
        peak_mib().map_or_else(|| "unknown".to_string(), |m| format!("{m:.0} MiB"))
    );
    ExitCode::SUCCESS
}
