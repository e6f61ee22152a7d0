//! Decodes one recording and prints what came out and how long it took.
//!
//! `cargo run --release -p medlyt-audio --example decode -- FILE`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: decode FILE");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let opts = medlyt_audio::DecodeOptions {
        max_duration_s: None,
    };
    match medlyt_audio::decode(&path, &opts, &mut |_| {}) {
        Ok(d) => {
            let wall = started.elapsed().as_secs_f64();
            println!("codec: {}", d.info.codec);
            println!("source rate: {} Hz", d.info.sample_rate);
            println!("channels: {}", d.channels.len());
            println!("duration: {:.3} s", d.info.duration_s);
            println!("samples per channel at 16 kHz: {}", d.len());
            println!("decode wall: {wall:.3} s");
            println!(
                "speed: {:.0} audio s per wall s",
                d.info.duration_s / wall.max(1e-9)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
