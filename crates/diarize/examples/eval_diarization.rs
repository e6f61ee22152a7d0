//! Scores medlyt's mono diarization on recordings with known truth.
//!
//! ```text
//! eval_diarization [OPTIONS] TRUTH.json|REFERENCE.rttm...
//!   --method neural|signal   the neural models (default) or the signal-feature fallback
//!   --audio DIR              where the recordings of RTTM references are (default: beside
//!                            the RTTM file; FILE.wav, .flac, .ogg, ... for each file id)
//!   --models DIR             where the speaker models are (default: models/)
//!   --collar S               seconds left out around every truth boundary (default 0)
//!   --threshold X --step S --min-share X --speakers N   neural settings (see NeuralOptions;
//!                            also --narrow-threshold, --narrow-last-split, --pause S (0: none),
//!                            --recheck-*, --edge-*, --two-voice-share, ...)
//!   --long SECONDS           time one diarization of a call of that length, built by
//!                            concatenating the recordings, and print its peak memory
//!   --turns                  print the turns found
//!   --write-rttm DIR         also write the turns found as DIR/<recording>.rttm
//!   --nets                   time the two networks alone on one core (one 10 s chunk, a
//!                            batch of 32, CAM++ on 1.5 s and 3 s) and exit
//! ```
//!
//! Prints per recording and overall: DER on a 10 ms grid with overlapped speech scored and
//! the best one-to-one speaker mapping, split into missed speech, false alarm and speaker
//! confusion; the largest talk-share error in percentage points; speakers found against the
//! truth; interruptions in the truth against those found.

use medlyt_diarize::eval::{score, Truth};
use medlyt_diarize::neural::{diarize_neural, NeuralOptions, SpeakerModels};
use medlyt_diarize::rttm::{self, RttmTurn};
use medlyt_diarize::{diarize, Diarization, DiarizeOptions};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    neural: bool,
    models: PathBuf,
    collar: f64,
    opts: NeuralOptions,
    long: Option<f64>,
    audio: Option<PathBuf>,
    write_rttm: Option<PathBuf>,
    turns: bool,
    nets: bool,
    paths: Vec<PathBuf>,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        neural: true,
        models: PathBuf::from("models"),
        collar: 0.0,
        opts: NeuralOptions::default(),
        long: None,
        audio: None,
        write_rttm: None,
        turns: false,
        nets: false,
        paths: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        let num = |v: String| v.parse::<f64>().map_err(|_| format!("bad number {v}"));
        match arg.as_str() {
            "--method" => a.neural = value()? != "signal",
            "--models" => a.models = PathBuf::from(value()?),
            "--collar" => a.collar = num(value()?)?,
            "--threshold" => a.opts.threshold = num(value()?)? as f32,
            "--embed" => a.opts.embed_s = num(value()?)?,
            "--same-chunk" => a.opts.same_chunk_distance = num(value()?)? as f32,
            "--recheck-piece" => a.opts.recheck_piece_s = Some(num(value()?)?),
            "--recheck-min" => a.opts.recheck_min_s = num(value()?)?,
            "--reseg-window" => a.opts.reseg_window_s = Some(num(value()?)?).filter(|&w| w > 0.0),
            "--reseg-gap" => a.opts.reseg_island_gap_s = num(value()?)?,
            "--reseg-penalty" => a.opts.reseg_penalty = num(value()?)? as f32,
            "--reseg-bonus" => a.opts.reseg_keep_bonus = num(value()?)? as f32,
            "--no-recheck" => a.opts.recheck_piece_s = None,
            "--recheck-margin" => a.opts.recheck_margin = num(value()?)? as f32,
            "--narrow-two-voice-share" => a.opts.narrowband_two_voice_share = num(value()?)?,
            "--two-voice-share" => a.opts.two_voice_share = num(value()?)?,
            "--step" => a.opts.step_s = num(value()?)?,
            "--min-speaker" => a.opts.min_speaker_s = num(value()?)?,
            "--min-chunks" => a.opts.min_chunks = num(value()?)? as usize,
            "--dense-chunks" => a.opts.dense_chunks = num(value()?)? as usize,
            "--narrow-threshold" => a.opts.narrowband_threshold = num(value()?)? as f32,
            "--narrow-last-split" => a.opts.narrowband_last_split_threshold = num(value()?)? as f32,
            "--onset" => a.opts.onset = num(value()?)? as f32,
            "--min-gap" => a.opts.min_gap_s = num(value()?)?,
            "--edge-trim" => a.opts.edge_trim_s = num(value()?)?,
            "--edge-extend" => a.opts.edge_extend_s = num(value()?)?,
            "--pause" => a.opts.pause_s = Some(num(value()?)?).filter(|&p| p > 0.0),
            "--edge-db" => a.opts.edge_above_floor_db = num(value()?)? as f32,
            "--min-share" => a.opts.min_share = num(value()?)?,
            "--narrow-min-share" => a.opts.narrowband_min_share = num(value()?)?,
            "--verify-block" => a.opts.verify_block_s = Some(num(value()?)?).filter(|&b| b > 0.0),
            "--verify-max-blocks" => a.opts.verify_max_blocks = num(value()?)? as usize,
            "--same-voice" => a.opts.same_voice = num(value()?)? as f32,
            "--narrow-same-voice" => {
                a.opts.narrowband_same_voice = Some(num(value()?)? as f32).filter(|&s| s <= 1.0)
            }
            "--speakers" => a.opts.speakers = Some(num(value()?)? as usize),
            "--threads" => a.opts.threads = num(value()?)? as usize,
            "--long" => a.long = Some(num(value()?)?),
            "--audio" => a.audio = Some(PathBuf::from(value()?)),
            "--write-rttm" => a.write_rttm = Some(PathBuf::from(value()?)),
            "--turns" => a.turns = true,
            "--nets" => a.nets = true,
            _ => a.paths.push(PathBuf::from(arg)),
        }
    }
    if a.paths.is_empty() && !a.nets {
        return Err("usage: eval_diarization [OPTIONS] TRUTH.json|REFERENCE.rttm...".into());
    }
    Ok(a)
}

/// A recording to score: a truth JSON (fixtures and the realistic splits), or one file of an
/// RTTM reference with the audio found for it.
enum Case {
    Json(PathBuf),
    Rttm {
        turns: Vec<RttmTurn>,
        file: String,
        audio: PathBuf,
    },
}

const AUDIO_EXTENSIONS: [&str; 8] = ["wav", "flac", "ogg", "opus", "mp3", "m4a", "aac", "caf"];

/// The audio of RTTM file id `id`: `<dir>/<id>.<ext>`, or where the RTTM names only this file
/// also `<dir>/<rttm stem>.<ext>`.
fn find_audio(dir: &Path, id: &str, stem: Option<&str>) -> Option<PathBuf> {
    [Some(id), stem]
        .into_iter()
        .flatten()
        .flat_map(|name| AUDIO_EXTENSIONS.map(|ext| dir.join(format!("{name}.{ext}"))))
        .find(|p| p.is_file())
}

/// The recordings `path` holds: a truth JSON one, an RTTM file one per file it names, with
/// the audio looked for in `audio_dir` (default: the RTTM's folder).
fn cases(path: &Path, audio_dir: Option<&Path>) -> Result<Vec<Case>, String> {
    if path.extension().and_then(|e| e.to_str()) != Some("rttm") {
        return Ok(vec![Case::Json(path.to_path_buf())]);
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let turns = rttm::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let ids = rttm::files(&turns);
    if ids.is_empty() {
        return Err(format!("{}: no SPEAKER lines", path.display()));
    }
    let dir = audio_dir.unwrap_or(path.parent().unwrap_or(Path::new(".")));
    let stem = (ids.len() == 1)
        .then(|| path.file_stem().and_then(|s| s.to_str()))
        .flatten();
    ids.into_iter()
        .map(|id| {
            let audio = find_audio(dir, &id, stem).ok_or_else(|| {
                format!(
                    "{}: no audio for {id:?} in {} (looked for {id}.wav, .flac, .ogg, ...)",
                    path.display(),
                    dir.display()
                )
            })?;
            Ok(Case::Rttm {
                turns: turns.iter().filter(|t| t.file == id).cloned().collect(),
                file: id,
                audio,
            })
        })
        .collect()
}

/// The mono samples (16 kHz) and whether the file is narrowband (8 kHz or less).
fn decode_mono(path: &Path) -> Result<(Vec<i16>, bool), String> {
    let decoded = medlyt_audio::decode(path, &medlyt_audio::DecodeOptions::default(), &mut |_| {})
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((
        medlyt_audio::mix_to_mono(&decoded),
        medlyt_diarize::neural::is_narrowband(decoded.info.sample_rate),
    ))
}

/// A case's truth, mono samples and narrowband flag.
fn load(case: &Case) -> Result<(Truth, Vec<i16>, bool), String> {
    match case {
        Case::Json(p) => {
            let truth = Truth::load(p).map_err(|e| e.to_string())?;
            let audio = p.parent().unwrap_or(Path::new(".")).join(&truth.files.mono);
            let (samples, narrowband) = decode_mono(&audio)?;
            Ok((truth, samples, narrowband))
        }
        Case::Rttm { turns, file, audio } => {
            let (samples, narrowband) = decode_mono(audio)?;
            let secs = samples.len() as f64 / 16_000.0;
            let truth = Truth::from_rttm(turns, file, &audio.to_string_lossy(), secs);
            Ok((truth, samples, narrowband))
        }
    }
}

struct Runner {
    models: Option<SpeakerModels>,
    opts: NeuralOptions,
}

impl Runner {
    fn run(&self, samples: &[i16], narrowband: bool) -> Diarization {
        match &self.models {
            Some(m) => {
                let o = NeuralOptions {
                    narrowband,
                    ..self.opts.clone()
                };
                diarize_neural(m, samples, &o)
            }
            None => {
                let o = DiarizeOptions {
                    speakers: self.opts.speakers,
                    ..DiarizeOptions::default()
                };
                diarize(samples, &[], &o)
            }
        }
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn long_call(r: &Runner, cases: &[Case], secs: f64) -> Result<(), String> {
    let want = (secs * 16_000.0) as usize;
    let mut call: Vec<i16> = Vec::with_capacity(want);
    'fill: loop {
        for case in cases {
            let (_, piece, _) = load(case)?;
            if call.len() >= want || piece.is_empty() {
                break 'fill;
            }
            call.extend_from_slice(&piece[..piece.len().min(want - call.len())]);
        }
    }
    let before = peak_rss_mib();
    let t = Instant::now();
    let d = r.run(&call, false);
    let took = t.elapsed().as_secs_f64();
    let dur = call.len() as f64 / 16_000.0;
    println!(
        "speed: {dur:.1} s mono call diarized in {took:.2} s (RTF {:.4}; {} turns, {} speakers); peak RSS {:.0} MiB (before diarizing {:.0} MiB, the call's samples {:.0} MiB)",
        took / dur,
        d.turns.len(),
        d.speakers,
        peak_rss_mib(),
        before,
        call.len() as f64 * 2.0 / 1048576.0
    );
    Ok(())
}

/// Median seconds of `f` over `n` runs.
fn median_time(n: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[n / 2]
}

fn time_nets(m: &SpeakerModels) -> Result<(), String> {
    use medlyt_diarize::neural::segmentation::CHUNK;
    let audio: Vec<f32> = (0..CHUNK * 32)
        .map(|i| ((i as f32 * 0.013).sin() + (i as f32 * 0.0021).sin()) * 0.1)
        .collect();
    let one = median_time(5, || {
        m.segmentation.run(&[&audio[..CHUNK]]);
    });
    let batch: Vec<&[f32]> = audio.chunks(CHUNK).collect();
    let many = median_time(3, || {
        m.segmentation.run(&batch);
    });
    println!(
        "segmentation: one 10 s chunk {:.1} ms; per chunk in a batch of 32: {:.1} ms",
        one * 1e3,
        many * 1e3 / 32.0
    );
    for secs in [1.5, 3.0] {
        let n = (secs * 16_000.0) as usize;
        let feats = m.fbank.compute(&audio[..n]);
        let t = median_time(9, || {
            m.embedding.embed(feats.view());
        });
        let f = median_time(9, || {
            m.fbank.compute(&audio[..n]);
        });
        println!(
            "CAM++ on {secs} s: {:.1} ms (+ filter bank {:.2} ms)",
            t * 1e3,
            f * 1e3
        );
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let a = parse()?;
    let models = if a.neural {
        let m = SpeakerModels::load(
            &a.models.join("speaker-segmentation-3.0.safetensors"),
            &a.models.join("speaker-campplus-cn-en.safetensors"),
        )
        .map_err(|e| format!("{e} (run scripts/get-models.sh, or --method signal)"))?;
        Some(m)
    } else {
        None
    };
    let r = Runner {
        models,
        opts: a.opts.clone(),
    };
    if a.nets {
        return time_nets(r.models.as_ref().ok_or("--nets needs the neural models")?);
    }
    let mut all = Vec::new();
    for p in &a.paths {
        all.extend(cases(p, a.audio.as_deref())?);
    }
    if let Some(secs) = a.long {
        return long_call(&r, &all, secs);
    }
    println!(
        "{:<36} {:>6} {:>6} {:>6} {:>6} {:>8} {:>6} {:>7} {:>6} {:>6}",
        "recording", "DER%", "miss%", "fa%", "conf%", "share_e", "spk", "intr", "conf.", "sec"
    );
    let (mut scored, mut missed, mut fa, mut conf, mut worst_share) = (0.0, 0.0, 0.0, 0.0, 0.0f64);
    let (mut count_ok, mut n, mut audio_s, mut took_s) = (0, 0, 0.0, 0.0);
    let (mut intr_true, mut intr_found) = (0, 0);
    for case in &all {
        let (truth, samples, narrowband) = load(case)?;
        let t = Instant::now();
        let d = r.run(&samples, narrowband);
        let took = t.elapsed().as_secs_f64();
        if a.turns {
            eprintln!("{}: {}", truth.name, d.method);
            for t in &d.turns {
                eprintln!("  {:7.2} {:7.2} spk{}", t.span.start, t.span.end, t.speaker);
            }
        }
        if let Some(dir) = &a.write_rttm {
            let out = dir.join(format!("{}.rttm", truth.name));
            std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&out, rttm::write(&d, &truth.name)))
                .map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let s = score(&d, &truth, a.collar);
        let pct = |x: f64| 100.0 * x / s.scored_s.max(1e-9);
        let true_k = truth.speaker_count();
        println!(
            "{:<36} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1}pp {:>3}/{:<2} {:>3}/{:<3} {:>6.2} {:>6.1}",
            truth.name,
            100.0 * s.der(),
            pct(s.missed_s),
            pct(s.false_alarm_s),
            pct(s.confusion_s),
            s.share_error_pp(),
            d.speakers,
            true_k,
            s.true_interruptions,
            s.found_interruptions,
            d.confidence,
            took
        );
        scored += s.scored_s;
        missed += s.missed_s;
        fa += s.false_alarm_s;
        conf += s.confusion_s;
        if true_k >= 2 {
            worst_share = worst_share.max(s.share_error_pp());
        }
        count_ok += usize::from(d.speakers == true_k);
        n += 1;
        audio_s += samples.len() as f64 / 16_000.0;
        took_s += took;
        intr_true += s.true_interruptions;
        intr_found += s.found_interruptions;
    }
    let pct = |x: f64| 100.0 * x / f64::max(scored, 1e-9);
    println!(
        "{:<36} {:>6.1} {:>6.1} {:>6.1} {:>6.1} {:>6.1}pp {:>3}/{:<2} {:>3}/{:<3}",
        "overall",
        pct(missed + fa + conf),
        pct(missed),
        pct(fa),
        pct(conf),
        worst_share,
        count_ok,
        n,
        intr_true,
        intr_found
    );
    println!(
        "method: {}; collar {:.2} s; speaker count right on {count_ok} of {n}; {audio_s:.0} s of audio in {took_s:.1} s (RTF {:.4})",
        if r.models.is_some() { "neural" } else { "signal features" },
        a.collar,
        took_s / audio_s.max(1e-9)
    );
    println!("columns: share_e = largest talk-share error (two or more voices; overall: the largest); spk = speakers found/true (overall: right/recordings); intr = interruptions truth/found; conf. = clustering confidence; sec = time to diarize");
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
