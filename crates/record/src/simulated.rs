//! A simulated input device: a WAV file played in real time, on a clock that may run fast or
//! slow, through the same ring buffer path as a sound card. For tests, demonstrations and
//! benchmarks without a sound card: `--device file:PATH` or `file:PATH#PPM` (e.g. `#+300`).

use crate::capture::{push_frames, Shared};
use crate::error::RecordError;
use rtrb::Producer;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the simulated device delivers (its period).
const PERIOD: Duration = Duration::from_millis(10);

/// A running simulated device; stops when dropped.
pub(crate) struct FileDevice {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for FileDevice {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Parses `PATH` or `PATH#PPM`.
pub(crate) fn parse(spec: &str) -> (&str, f64) {
    match spec.rsplit_once('#') {
        Some((path, ppm)) => match ppm.trim_start_matches('+').parse::<f64>() {
            Ok(ppm) => (path, ppm),
            Err(_) => (spec, 0.0),
        },
        None => (spec, 0.0),
    }
}

/// Reads the WAV file (16-bit PCM); returns its channels, rate and interleaved samples.
pub(crate) fn load(path: &Path) -> Result<(u16, u32, Vec<f32>), RecordError> {
    let open_err = |message: String| RecordError::Open {
        device: format!("file:{}", path.display()),
        message,
    };
    let reader = hound::WavReader::open(path).map_err(|e| open_err(e.to_string()))?;
    let spec = reader.spec();
    if spec.bits_per_sample != 16 || spec.sample_format != hound::SampleFormat::Int {
        return Err(open_err(
            "a simulated device plays 16-bit PCM WAV files".into(),
        ));
    }
    let samples = reader
        .into_samples::<i16>()
        .map(|s| s.map(|v| f32::from(v) / 32768.0))
        .collect::<Result<Vec<f32>, _>>()
        .map_err(|e| open_err(e.to_string()))?;
    Ok((spec.channels.max(1), spec.sample_rate, samples))
}

/// Starts playing `samples` into `producer` at `rate` * (1 + `ppm` / 10^6) frames per second.
pub(crate) fn start(
    samples: Vec<f32>,
    channels: u16,
    rate: u32,
    ppm: f64,
    mut producer: Producer<f32>,
    shared: Arc<Shared>,
    epoch: Instant,
) -> FileDevice {
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = Arc::clone(&stop);
    let ch = usize::from(channels.max(1));
    let pace = f64::from(rate) * (1.0 + ppm * 1e-6);
    let thread = std::thread::spawn(move || {
        let start = Instant::now();
        let total = samples.len() / ch;
        let mut sent = 0usize;
        while !stop2.load(Ordering::Relaxed) && sent < total {
            std::thread::sleep(PERIOD);
            let due = ((start.elapsed().as_secs_f64() * pace) as usize).min(total);
            if due > sent {
                let data = &samples[sent * ch..due * ch];
                push_frames(
                    &mut producer,
                    &shared,
                    epoch,
                    ch,
                    data.len() / ch,
                    data.iter().copied(),
                );
                sent = due;
            }
        }
    });
    FileDevice {
        stop,
        thread: Some(thread),
    }
}
