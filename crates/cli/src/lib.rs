//! The `medlyt` command line: clap types live here and are turned into the library crates'
//! option types; errors are mapped to documented exit codes in [`exit`].

mod analyze_cmd;
mod args;
mod exit;
mod locate;
mod model_cmd;
mod progress;
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

fn run(cli: args::Cli) -> Result<(), ExpectedError> {
    match cli.command {
        args::Command::Transcribe(a) => transcribe_cmd::run(a),
        args::Command::Analyze(a) => analyze_cmd::run(a),
        args::Command::Model(m) => model_cmd::run(m),
    }
}
