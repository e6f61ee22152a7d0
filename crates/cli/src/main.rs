//! The `medlyt` binary: all work is in the library; this maps the outcome to an exit code.

fn main() -> std::process::ExitCode {
    medlyt_cli::main()
}
