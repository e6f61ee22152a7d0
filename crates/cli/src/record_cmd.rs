//! `medlyt devices`, `medlyt record` and `medlyt repair`: live listen-in recording.

use crate::exit::ExpectedError;
use medlyt_record::{EndReason, RecordError, RecordOptions, RecordSummary, Status};
use std::path::PathBuf;
use std::time::Duration;

/// `medlyt record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The WAV file to write.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Input device (see `medlyt devices`); twice for two devices (e.g. --device MIC --device
    /// CALL). `file:PATH.wav` plays a WAV file as a simulated device.
    #[arg(long, value_name = "NAME")]
    pub device: Vec<String>,
    /// Sample rate per device, in the order of --device (one value applies to all).
    #[arg(long, value_name = "HZ")]
    pub rate: Vec<u32>,
    /// Roles of the device's channels (one device) or of the devices (two), in order.
    #[arg(long, default_value = "employee,citizen", value_name = "ROLE,ROLE")]
    pub channels: String,
    /// Stop after this many seconds (more than 0, at most 86400: a day).
    #[arg(long, value_name = "SECONDS", value_parser = duration_arg)]
    pub duration: Option<f64>,
    /// Show talk share and interruptions so far every few seconds.
    #[arg(long)]
    pub live: bool,
    /// When the recording ends, write the feedback report into DIR (report.md, .json, .html).
    #[arg(long, value_name = "DIR")]
    pub analyze: Option<PathBuf>,
}

/// Longest `--duration` in seconds: a day.
const MAX_DURATION_S: f64 = 24.0 * 3600.0;

/// `--duration`: seconds, more than 0 and at most [`MAX_DURATION_S`] (not NaN, not infinite).
fn duration_arg(s: &str) -> Result<f64, String> {
    let d: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if d.is_finite() && d > 0.0 && d <= MAX_DURATION_S {
        Ok(d)
    } else {
        Err(format!(
            "the duration must be more than 0 and at most {MAX_DURATION_S} seconds (24 h), not {s}"
        ))
    }
}

/// `medlyt repair`.
#[derive(Debug, clap::Args)]
pub struct RepairArgs {
    /// The cut-off WAV recording to fix (in place, unless `-o` is given).
    pub file: PathBuf,
    /// Write the repaired recording to this new file instead; the original is left as it is.
    #[arg(short, long, value_name = "NEW.wav")]
    pub output: Option<PathBuf>,
}

impl From<RecordError> for ExpectedError {
    fn from(e: RecordError) -> Self {
        match e {
            RecordError::NoSuchDevice { .. } | RecordError::NoDefaultDevice => {
                ExpectedError::NotFound(e.to_string())
            }
            RecordError::NotWav { .. } => ExpectedError::NotAudio(e.to_string()),
            _ => ExpectedError::Other(e.to_string()),
        }
    }
}

/// `medlyt devices`: the input devices, the default marked with `*`.
pub fn run_devices() -> Result<(), ExpectedError> {
    for d in medlyt_record::list_devices()? {
        let rates: Vec<String> = d
            .rates
            .iter()
            .map(|(lo, hi)| {
                if lo == hi {
                    format!("{lo}")
                } else {
                    format!("{lo}-{hi}")
                }
            })
            .collect();
        let chans: Vec<String> = d.channels.iter().map(u16::to_string).collect();
        println!(
            "{} {}  channels {}  rates {} Hz{}",
            if d.is_default { "*" } else { " " },
            d.name,
            chans.join(","),
            rates.join(","),
            d.default_config
                .map(|(c, r)| format!("  (default {c} ch, {r} Hz)"))
                .unwrap_or_default()
        );
    }
    Ok(())
}

/// `medlyt record`; returns the summary so `--analyze` can run on `summary.path`.
pub fn run_record(args: RecordArgs) -> Result<RecordSummary, ExpectedError> {
    let mut opts = RecordOptions::new(args.output);
    let rate_for = |i: usize| match args.rate.len() {
        0 => None,
        1 => args.rate.first().copied(),
        _ => args.rate.get(i).copied(),
    };
    opts.devices = args
        .device
        .iter()
        .enumerate()
        .map(|(i, name)| medlyt_record::DeviceSpec {
            name: Some(name.clone()),
            rate: rate_for(i),
        })
        .collect();
    if opts.devices.is_empty() && !args.rate.is_empty() {
        opts.devices.push(medlyt_record::DeviceSpec {
            name: None,
            rate: rate_for(0),
        });
    }
    opts.roles = args
        .channels
        .split(',')
        .map(|r| r.trim().to_string())
        .collect();
    opts.max_duration = args.duration.map(Duration::from_secs_f64);
    opts.live_every = args.live.then_some(Duration::from_secs(5));
    let stop = medlyt_record::stop_on_signals()?;
    let summary = medlyt_record::record(&opts, &stop, &mut show_status)?;
    eprintln!();
    eprintln!(
        "recorded {:.1} s from {} into {} ({} Hz, channels {}); overruns {}{}{}",
        summary.duration_s(),
        summary.devices.join(" + "),
        summary.path.display(),
        summary.rate,
        summary.roles.join(","),
        summary.overruns,
        summary
            .drift_ppm
            .map(|d| format!(", clock drift of the second device {d:+.0} ppm"))
            .unwrap_or_default(),
        summary
            .start_offset_ms
            .map(|o| format!(", started {o:+.1} ms after the first"))
            .unwrap_or_default(),
    );
    match &summary.end {
        EndReason::Stopped | EndReason::TimeLimit => Ok(summary),
        EndReason::DeviceLost { device, message } => {
            eprintln!("device {device} was lost ({message}): the recording so far is saved");
            Ok(summary)
        }
        EndReason::WriteFailed { message } => Err(ExpectedError::Other(format!(
            "recording stopped: {message}; {} holds the first {:.1} s",
            summary.path.display(),
            summary.duration_s()
        ))),
    }
}

fn show_status(st: &Status) {
    let secs = st.elapsed_s as u64;
    let mut line = format!(
        "\r{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    for l in &st.levels {
        let filled = ((l.rms_dbfs + 60.0) / 6.0).clamp(0.0, 10.0) as usize;
        let flag = if l.clipping {
            " CLIP"
        } else if l.quiet {
            " quiet"
        } else {
            ""
        };
        line.push_str(&format!(
            "  {} [{}{}] {:>4.0} dB{flag}",
            l.role,
            "#".repeat(filled),
            "-".repeat(10 - filled),
            l.rms_dbfs
        ));
    }
    if st.overruns > 0 {
        line.push_str(&format!("  OVERRUNS {}", st.overruns));
    }
    eprint!("{line}   ");
    if let Some(live) = &st.live {
        let parts: Vec<String> = live
            .talk_share
            .iter()
            .zip(&live.interruptions)
            .enumerate()
            .map(|(i, (s, n))| {
                let role = st.levels.get(i).map_or("?", |l| l.role.as_str());
                format!("{role} talks {:.0} %, interrupts {n}x", s * 100.0)
            })
            .collect();
        eprintln!("\n  so far: {}", parts.join("; "));
    }
}

/// `medlyt repair FILE`.
pub fn run_repair(args: RepairArgs) -> Result<(), ExpectedError> {
    if !args.file.is_file() {
        return Err(ExpectedError::NotFound(format!(
            "recording not found: {}",
            args.file.display()
        )));
    }
    if let Some(out) = &args.output {
        if out.exists() || out.symlink_metadata().is_ok() {
            return Err(ExpectedError::Other(format!(
                "{} exists: -o writes a new file (leave out -o to repair in place)",
                out.display()
            )));
        }
    }
    let r = medlyt_record::repair_to(&args.file, args.output.as_deref())?;
    let shown = args.output.as_ref().unwrap_or(&args.file);
    println!(
        "{}: header said {} frames, now {} ({:.1} s, {} ch, {} Hz){}",
        shown.display(),
        r.frames_before,
        r.frames_after,
        r.frames_after as f64 / f64::from(r.rate.max(1)),
        r.channels,
        r.rate,
        if r.rf64 { ", RF64" } else { "" }
    );
    if r.changes.is_empty() {
        println!("  nothing to change: the header was right");
    }
    for c in &r.changes {
        println!("  - {c}");
    }
    Ok(())
}
