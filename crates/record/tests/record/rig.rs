//! Test rig: ALSA capture devices backed by the `file` plugin (raw audio played as if it came
//! from a sound card), and a child process that records through them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// One file-backed capture device.
pub struct FileDevice {
    pub name: &'static str,
    pub samples: Vec<i16>,
    pub rate: u32,
    pub channels: u16,
}

/// Writes the raw files and an asound.conf defining the devices; returns the config path.
/// Each device is a `plug` (so any format an application asks for works) over a `file` PCM
/// reading its raw file, over `null`. Such a device hands out its audio as fast as it is read,
/// not in real time, so the recorder is given a ring buffer that holds all of it.
pub fn asound_conf(dir: &Path, devices: &[FileDevice]) -> PathBuf {
    let mut conf = String::from("</usr/share/alsa/alsa.conf>\n");
    for d in devices {
        let raw = dir.join(format!("{}.raw", d.name));
        let bytes: Vec<u8> = d.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        std::fs::write(&raw, bytes).unwrap();
        write!(
            conf,
            "pcm.{n}_file {{\n type file\n slave.pcm \"null\"\n file \"/dev/null\"\n infile \"{raw}\"\n format \"raw\"\n}}\n\
             pcm.{n} {{\n type plug\n slave {{\n  pcm \"{n}_file\"\n  format S16_LE\n  rate {rate}\n  channels {ch}\n }}\n hint.description \"medlyt test device\"\n}}\n",
            n = d.name,
            raw = raw.display(),
            rate = d.rate,
            ch = d.channels
        )
        .unwrap();
    }
    let path = dir.join("asound.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

/// Writes a 16-bit WAV file (for a simulated `file:` device).
pub fn write_wav(path: &Path, channels: u16, rate: u32, samples: &[i16]) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}

/// What the child is asked to record.
pub struct Job<'a> {
    pub conf: &'a Path,
    pub out: &'a Path,
    /// `name@rate` per device.
    pub devices: &'a [String],
    pub roles: &'a str,
    pub seconds: f64,
    /// Seconds each device's ring buffer holds.
    pub ring_s: f64,
}

/// Starts a child process (this test binary, running `child_records`) that records the job
/// and prints its summary.
pub fn spawn(job: &Job) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_records",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ALSA_CONFIG_PATH", job.conf)
        .env("MEDLYT_REC_OUT", job.out)
        .env("MEDLYT_REC_DEVICES", job.devices.join(","))
        .env("MEDLYT_REC_ROLES", job.roles)
        .env("MEDLYT_REC_SECONDS", job.seconds.to_string())
        .env("MEDLYT_REC_RING", job.ring_s.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs the job to the end; returns the child's `key=value` summary fields.
pub fn run(job: &Job) -> Vec<(String, String)> {
    let out = spawn(job).wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "recorder failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("SUMMARY "))
        .unwrap_or_else(|| panic!("no summary in: {stdout}"));
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A field of a summary.
pub fn field<'a>(summary: &'a [(String, String)], key: &str) -> &'a str {
    summary
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in summary"))
}

/// The child side: records what the environment describes, and prints a summary line.
pub fn child_records() {
    let Ok(out) = std::env::var("MEDLYT_REC_OUT") else {
        return;
    };
    let devices = std::env::var("MEDLYT_REC_DEVICES").unwrap();
    let mut opts = medlyt_record::RecordOptions::new(PathBuf::from(out));
    opts.devices = devices
        .split(',')
        .map(|d| {
            let (name, rate) = d.split_once('@').unwrap_or((d, ""));
            medlyt_record::DeviceSpec {
                name: Some(name.to_string()),
                rate: rate.parse().ok(),
            }
        })
        .collect();
    opts.roles = std::env::var("MEDLYT_REC_ROLES")
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let seconds: f64 = std::env::var("MEDLYT_REC_SECONDS")
        .unwrap()
        .parse()
        .unwrap();
    opts.max_duration = Some(std::time::Duration::from_secs_f64(seconds));
    opts.ring_s = std::env::var("MEDLYT_REC_RING").unwrap().parse().unwrap();
    let stop = medlyt_record::stop_on_signals().unwrap();
    let s = medlyt_record::record(&opts, &stop, &mut |st| {
        println!("STATUS elapsed={:.2}", st.elapsed_s);
    })
    .unwrap();
    println!(
        "\nSUMMARY frames={} rate={} roles={} overruns={} drift_ppm={} offset_ms={} end={}",
        s.frames,
        s.rate,
        s.roles.join(","),
        s.overruns,
        s.drift_ppm
            .map_or("none".to_string(), |d| format!("{d:.1}")),
        s.start_offset_ms
            .map_or("none".to_string(), |d| format!("{d:.2}")),
        match &s.end {
            medlyt_record::EndReason::DeviceLost { .. } => "DeviceLost".to_string(),
            other => format!("{other:?}"),
        },
    );
}

/// Reads a 16-bit WAV file as (rate, channels of samples).
pub fn read_wav(path: &Path) -> (u32, Vec<Vec<f64>>) {
    let mut r = hound::WavReader::open(path).unwrap();
    let spec = r.spec();
    let n = usize::from(spec.channels);
    let mut chans = vec![Vec::new(); n];
    for (i, s) in r.samples::<i16>().enumerate() {
        chans[i % n].push(f64::from(s.unwrap()));
    }
    (spec.sample_rate, chans)
}

/// The best normalised correlation of `got` against `want` over lags `-max_lag..=max_lag`
/// (got[i + lag] against want[i]), and that lag. The lag is found on the loudest stretch of
/// `want` (`max_lag` * 4 samples long); the correlation is then taken over all of it.
pub fn best_correlation(got: &[f64], want: &[f64], max_lag: isize) -> (f64, isize) {
    let win = (max_lag as usize * 4).max(1);
    let start = (0..want.len().saturating_sub(win))
        .step_by(win / 4)
        .max_by(|&a, &b| {
            let e = |s: usize| want[s..s + win].iter().map(|x| x * x).sum::<f64>();
            e(a).total_cmp(&e(b))
        })
        .unwrap_or(0);
    let end = (start + win).min(want.len());
    let mut best = (f64::MIN, 0);
    for lag in -max_lag..=max_lag {
        let c = correlation_at(got, &want[start..end], lag + start as isize);
        if c > best.0 {
            best = (c, lag);
        }
    }
    (correlation_at(got, want, best.1), best.1)
}

fn correlation_at(got: &[f64], want: &[f64], lag: isize) -> f64 {
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, &w) in want.iter().enumerate() {
        let j = i as isize + lag;
        if j < 0 || j as usize >= got.len() {
            continue;
        }
        let g = got[j as usize];
        sxy += g * w;
        sxx += g * g;
        syy += w * w;
    }
    if sxx == 0.0 || syy == 0.0 {
        return 0.0;
    }
    sxy / (sxx * syy).sqrt()
}

/// Held by every test of this binary while it runs: the real-time two-device test measures
/// drift and alignment against the wall clock, and recorder children or simulations running
/// beside it on a 2-core machine delay its device threads enough to fail it now and then.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}
