//! Scores medlyt's diarization on mono call fixtures with known truth.
//!
//! ```text
//! cargo run --release -p medlyt-diarize --example eval_diarization -- TRUTH.json...
//! cargo run --release -p medlyt-diarize --example eval_diarization -- --long 1800 TRUTH.json...
//! ```
//!
//! Prints per fixture and overall: DER with a 0.25 s collar split into missed speech, false
//! alarm and speaker confusion, the talk-share error in percentage points, and interruptions
//! in the truth against those found. `--long SECONDS` instead builds a call of that length by
//! concatenating the fixtures' mono files and times one diarization of it.

use medlyt_diarize::eval::{score, Truth};
use medlyt_diarize::{diarize, DiarizeOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const COLLAR_S: f64 = 0.25;

fn read_mono(truth_path: &Path, truth: &Truth) -> Result<Vec<i16>, String> {
    let path = truth_path
        .parent()
        .unwrap_or(Path::new("."))
        .join(&truth.files.mono);
    let decoded = medlyt_audio::decode(&path, &medlyt_audio::DecodeOptions::default(), &mut |_| {})
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(medlyt_audio::mix_to_mono(&decoded))
}

fn run() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut long: Option<f64> = None;
    if args.first().is_some_and(|a| a == "--long") {
        let secs = args
            .get(1)
            .and_then(|s| s.parse().ok())
            .ok_or("--long needs seconds")?;
        long = Some(secs);
        args.drain(..2);
    }
    let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("usage: eval_diarization [--long SECONDS] TRUTH.json...".into());
    }
    let opts = DiarizeOptions::default();
    if let Some(secs) = long {
        let mut pieces = Vec::new();
        for p in &paths {
            let truth = Truth::load(p).map_err(|e| e.to_string())?;
            pieces.push(read_mono(p, &truth)?);
        }
        let want = (secs * 16_000.0) as usize;
        let mut call: Vec<i16> = Vec::with_capacity(want);
        for piece in pieces.iter().cycle() {
            if call.len() >= want || piece.is_empty() {
                break;
            }
            call.extend_from_slice(&piece[..piece.len().min(want - call.len())]);
        }
        let t = Instant::now();
        let d = diarize(&call, &[], &opts);
        println!(
            "speed: {:.1} s mono call diarized in {:.2} s ({} turns, {} speakers)",
            call.len() as f64 / 16_000.0,
            t.elapsed().as_secs_f64(),
            d.turns.len(),
            d.speakers
        );
        return Ok(());
    }
    println!(
        "{:<34} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>7} {:>6}",
        "fixture", "DER%", "miss%", "fa%", "conf%", "share", "share_e", "intr", "conf."
    );
    let (mut scored, mut missed, mut fa, mut conf, mut worst_share) = (0.0, 0.0, 0.0, 0.0, 0.0f64);
    for p in &paths {
        let truth = Truth::load(p).map_err(|e| e.to_string())?;
        let samples = read_mono(p, &truth)?;
        let d = diarize(&samples, &[], &opts);
        if std::env::var_os("MEDLYT_DIARIZE_DEBUG").is_some() {
            for t in &d.turns {
                eprintln!("  {:7.2} {:7.2} spk{}", t.span.start, t.span.end, t.speaker);
            }
        }
        let s = score(&d, &truth, COLLAR_S);
        let pct = |x: f64| 100.0 * x / s.scored_s.max(1e-9);
        println!(
            "{:<34} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>7.1}pp {:>3}/{:<3} {:>6.2}",
            truth.name,
            100.0 * s.der(),
            pct(s.missed_s),
            pct(s.false_alarm_s),
            pct(s.confusion_s),
            100.0 * s.true_share.first().copied().unwrap_or(0.0),
            s.share_error_pp(),
            s.true_interruptions,
            s.found_interruptions,
            d.confidence
        );
        scored += s.scored_s;
        missed += s.missed_s;
        fa += s.false_alarm_s;
        conf += s.confusion_s;
        worst_share = worst_share.max(s.share_error_pp());
    }
    let pct = |x: f64| 100.0 * x / f64::max(scored, 1e-9);
    println!(
        "{:<34} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6} {:>7.1}pp (largest)",
        "overall",
        pct(missed + fa + conf),
        pct(missed),
        pct(fa),
        pct(conf),
        "",
        worst_share
    );
    println!("columns: share = true talk share of channel 0 (%); intr = interruptions truth/found; conf. = clustering confidence");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
