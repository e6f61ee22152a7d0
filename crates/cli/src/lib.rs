//! The `medlyt` command line: clap types live here and are turned into the library crates'
//! option types; errors are mapped to documented exit codes in [`exit`].

mod analyze_cmd;
mod args;
mod batch_cmd;
mod diarize_cmd;
mod exit;
mod locate;
mod model_cmd;
mod output;
mod progress;
mod record_cmd;
mod transcribe_cmd;

pub use exit::{ExpectedError, EXIT_CODES};

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line, runs the command and returns the exit code.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// `medlyt analyze RECORDING -o DIR` with the default options, for `record --analyze`.
fn analyze_recording(path: &std::path::Path, dir: &std::path::Path) -> Result<(), ExpectedError> {
    let argv = [
        std::ffi::OsStr::new("medlyt"),
        std::ffi::OsStr::new("analyze"),
        path.as_os_str(),
        std::ffi::OsStr::new("-o"),
        dir.as_os_str(),
    ];
    match args::Cli::try_parse_from(argv) {
        Ok(args::Cli {
            command: args::Command::Analyze(a),
        }) => analyze_cmd::run(a),
        Ok(_) => Err(ExpectedError::Other("internal: analyze arguments".into())),
        Err(e) => Err(ExpectedError::Other(e.to_string())),
    }
}

fn run(cli: args::Cli) -> Result<(), ExpectedError> {
    match cli.command {
        args::Command::Transcribe(a) => transcribe_cmd::run(a),
        args::Command::Analyze(a) => analyze_cmd::run(a),
        args::Command::Model(m) => model_cmd::run(m),
        args::Command::Batch(a) => batch_cmd::run_batch(a),
        args::Command::Aggregate(a) => batch_cmd::run_aggregate(a),
        args::Command::Compare(a) => batch_cmd::run_compare(a),
        args::Command::Diarize(a) => diarize_cmd::run(a),
        args::Command::Devices => record_cmd::run_devices(),
        args::Command::Record(a) => {
            let report_dir = a.analyze.clone();
            let summary = record_cmd::run_record(a)?;
            match report_dir {
                Some(dir) => analyze_recording(&summary.path, &dir),
                None => Ok(()),
            }
        }
        args::Command::Repair(a) => record_cmd::run_repair(a),
    }
}
