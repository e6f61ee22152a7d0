//! Runs the importers from the command line.
//!
//! ```text
//! cargo run -p medlyt-models --release --example import -- ct2 DIR OUT [q8_0|f16]
//! cargo run -p medlyt-models --release --example import -- silero FILE OUT
//! cargo run -p medlyt-models --release --example import -- inspect FILE
//! ```

use std::path::Path;
use std::process::ExitCode;

use medlyt_models::{import_ct2, import_silero, inspect, Quant};

fn run(args: &[String]) -> Result<(), String> {
    let usage = "usage: import ct2 DIR OUT [q8_0|f16] | silero FILE OUT | inspect FILE";
    match args {
        [cmd, dir, out, rest @ ..] if cmd == "ct2" && rest.len() <= 1 => {
            let quant = match rest.first() {
                Some(q) => q.parse::<Quant>().map_err(|e| e.to_string())?,
                None => Quant::default(),
            };
            let s = import_ct2(Path::new(dir), Path::new(out), quant).map_err(|e| e.to_string())?;
            println!(
                "{out}: {} tensors, n_vocab {}, n_mels {}, layers {}/{}, ftype {}, multilingual {}, {} bytes, sha256 {}",
                s.n_tensors, s.n_vocab, s.n_mels, s.layers.0, s.layers.1, s.ftype, s.multilingual, s.bytes, s.sha256
            );
        }
        [cmd, file, out] if cmd == "silero" => {
            let s = import_silero(Path::new(file), Path::new(out)).map_err(|e| e.to_string())?;
            println!(
                "{out}: {} tensors, {} bytes, sha256 {}",
                s.n_tensors, s.bytes, s.sha256
            );
        }
        [cmd, file] if cmd == "inspect" => {
            let i = inspect(Path::new(file)).map_err(|e| e.to_string())?;
            println!(
                "{file}: {} {} ({} tensors), n_vocab {} ({} stored), layers {}/{}, width {}, n_mels {}, ftype {}, multilingual {}, {} bytes",
                i.kind, i.size_name, i.tensors.len(), i.n_vocab, i.stored_tokens, i.layers.0, i.layers.1,
                i.width, i.n_mels, i.ftype, i.multilingual, i.file_bytes
            );
            for p in &i.problems {
                println!("  problem: {p}");
            }
        }
        _ => return Err(usage.to_string()),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
