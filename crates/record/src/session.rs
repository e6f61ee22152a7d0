//! The recording loop: reads the devices' ring buffers, aligns two devices, writes the WAV file
//! and commits its header every second, and reports levels.

use crate::align::Aligner;
use crate::capture::{self, Capture};
use crate::error::RecordError;
use crate::meter::{ChannelLevel, LiveStats, Meter};
use crate::wav::LiveWav;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long the loop sleeps between reads of the ring buffers.
const POLL: Duration = Duration::from_millis(10);
/// A device that delivers nothing for this long is taken as gone.
const STALL: Duration = Duration::from_secs(3);

/// One device to record from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceSpec {
    /// Device name as `medlyt devices` lists it; `None` for the default input device.
    pub name: Option<String>,
    /// Sample rate to open it at; `None` for its default.
    pub rate: Option<u32>,
}

/// Settings of a recording.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordOptions {
    /// The WAV file to write.
    pub output: PathBuf,
    /// One device (its channels carry the roles) or two (one role each). Empty: the default.
    pub devices: Vec<DeviceSpec>,
    /// Role of each input channel (one device) or of each device (two devices), in order.
    pub roles: Vec<String>,
    /// Stop after this much audio; `None` to record until stopped.
    pub max_duration: Option<Duration>,
    /// How often the WAV header is brought up to date and synced (at most a second).
    pub commit_every: Duration,
    /// How often the status callback is called.
    pub status_every: Duration,
    /// How often live figures (talk share, interruptions) are worked out; `None`: never.
    pub live_every: Option<Duration>,
    /// Seconds of audio each device's ring buffer holds.
    pub ring_s: f64,
}

impl RecordOptions {
    /// Defaults: the default device, roles employee and citizen, header every second.
    pub fn new(output: PathBuf) -> Self {
        RecordOptions {
            output,
            devices: Vec::new(),
            roles: vec!["employee".to_string(), "citizen".to_string()],
            max_duration: None,
            commit_every: Duration::from_secs(1),
            status_every: Duration::from_millis(200),
            live_every: None,
            ring_s: 4.0,
        }
    }
}

/// What the recorder shows while it records.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// Seconds recorded.
    pub elapsed_s: f64,
    /// Level per output channel since the last status.
    pub levels: Vec<ChannelLevel>,
    /// Frames lost to full ring buffers so far.
    pub overruns: u64,
    /// Measured clock drift of the second device, in ppm.
    pub drift_ppm: Option<f64>,
    /// Live figures, when due.
    pub live: Option<LiveStats>,
}

/// Why a recording ended.
#[derive(Debug, Clone, PartialEq)]
pub enum EndReason {
    /// The stop flag was set (Ctrl-C, SIGTERM).
    Stopped,
    /// `max_duration` was reached.
    TimeLimit,
    /// A device went away or stopped delivering audio.
    DeviceLost {
        /// The device.
        device: String,
        /// What happened.
        message: String,
    },
    /// Writing failed (disk full); the file is valid up to the last whole frame written.
    WriteFailed {
        /// What happened.
        message: String,
    },
}

/// A finished recording.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSummary {
    /// The WAV file written.
    pub path: PathBuf,
    /// Devices recorded from.
    pub devices: Vec<String>,
    /// Sample rate of the file.
    pub rate: u32,
    /// Role of each channel of the file, in order.
    pub roles: Vec<String>,
    /// Frames in the file.
    pub frames: u64,
    /// Frames lost to full ring buffers.
    pub overruns: u64,
    /// Errors the audio system reported during the recording.
    pub stream_errors: u64,
    /// Measured drift of the second device's clock against the first, in ppm.
    pub drift_ppm: Option<f64>,
    /// How much later the second device started than the first, in milliseconds.
    pub start_offset_ms: Option<f64>,
    /// Why it ended.
    pub end: EndReason,
}

impl RecordSummary {
    /// Length of the recording in seconds.
    pub fn duration_s(&self) -> f64 {
        self.frames as f64 / f64::from(self.rate.max(1))
    }
}

/// The order input channels are written in: employee first, citizen second, the rest as given
/// (what `medlyt analyze` expects by default).
pub fn output_order(roles: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..roles.len()).collect();
    let rank = |r: &str| match r {
        "employee" => 0,
        "citizen" => 1,
        _ => 2,
    };
    order.sort_by_key(|&i| rank(&roles[i]));
    order
}

fn to_i16(x: f32) -> i16 {
    (x * 32768.0).round().clamp(-32768.0, 32767.0) as i16
}

/// Records until `stop` is set, the time limit is reached, a device is lost or writing fails.
/// The file is a valid WAV at every commit; at the end it holds everything recorded.
pub fn record(
    opts: &RecordOptions,
    stop: &AtomicBool,
    on_status: &mut dyn FnMut(&Status),
) -> Result<RecordSummary, RecordError> {
    let specs = if opts.devices.is_empty() {
        vec![DeviceSpec::default()]
    } else {
        opts.devices.clone()
    };
    check_roles(&opts.roles, specs.len())?;
    let epoch = Instant::now();
    let mut caps = Vec::new();
    for s in &specs {
        caps.push(capture::open(
            s.name.as_deref(),
            s.rate,
            opts.ring_s,
            epoch,
        )?);
    }
    if caps.len() == 1 && usize::from(caps[0].channels) < opts.roles.len() {
        return Err(RecordError::Options {
            message: format!(
                "device {:?} has {} channel(s) but --channels names {} roles; record two devices or name fewer roles",
                caps[0].name,
                caps[0].channels,
                opts.roles.len()
            ),
        });
    }
    let order = output_order(&opts.roles);
    let roles: Vec<String> = order.iter().map(|&i| opts.roles[i].clone()).collect();
    let rate = caps[0].rate;
    let mut wav = LiveWav::create(&opts.output, roles.len() as u16, rate)?;
    let mut meter = Meter::new(roles.len(), rate, opts.live_every.is_some());
    let limit = opts
        .max_duration
        .map(|d| (d.as_secs_f64() * f64::from(rate)).round() as u64);
    let mut st = LoopState {
        order,
        aligner: None,
        start_offset_ms: None,
        mono: Vec::new(),
        frames: Vec::new(),
        pcm: Vec::new(),
        last_seen: vec![(0u64, Instant::now()); caps.len()],
    };
    let commit_every = opts.commit_every.min(Duration::from_secs(1));
    let (mut last_commit, mut last_status, mut last_live) =
        (Instant::now(), Instant::now(), Instant::now());
    let end = loop {
        sleep(POLL);
        let mut end = if stop.load(Ordering::Relaxed) {
            Some(EndReason::Stopped)
        } else {
            st.lost(&caps)
        };
        if let Err(e) = st.drain(&mut caps, &mut wav, &mut meter, limit) {
            break EndReason::WriteFailed {
                message: e.to_string(),
            };
        }
        if limit.is_some_and(|l| wav.frames() >= l) {
            end = end.or(Some(EndReason::TimeLimit));
        }
        if let Some(end) = end {
            break end;
        }
        if last_commit.elapsed() >= commit_every {
            last_commit = Instant::now();
            if let Err(e) = wav.commit() {
                break EndReason::WriteFailed {
                    message: e.to_string(),
                };
            }
        }
        if last_status.elapsed() >= opts.status_every {
            last_status = Instant::now();
            let live = match opts.live_every {
                Some(every) if last_live.elapsed() >= every => {
                    last_live = Instant::now();
                    Some(meter.live())
                }
                _ => None,
            };
            on_status(&Status {
                elapsed_s: wav.frames() as f64 / f64::from(rate),
                levels: meter.take(&roles),
                overruns: overruns(&caps),
                drift_ppm: st.aligner.as_ref().and_then(Aligner::drift_ppm),
                live,
            });
        }
    };
    let stream_errors = caps
        .iter()
        .map(|c| c.shared.errors.load(Ordering::Relaxed))
        .sum();
    let summary = RecordSummary {
        path: opts.output.clone(),
        devices: caps.iter().map(|c| c.name.clone()).collect(),
        rate,
        roles,
        frames: 0,
        overruns: overruns(&caps),
        stream_errors,
        drift_ppm: st.aligner.as_ref().and_then(Aligner::drift_ppm),
        start_offset_ms: st.start_offset_ms,
        end,
    };
    drop(caps);
    let frames = wav.frames();
    match wav.finish() {
        // After a failed write the file was already cut back and patched; a second failure to
        // sync it changes nothing the summary says.
        Err(_) if matches!(summary.end, EndReason::WriteFailed { .. }) => {}
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    Ok(RecordSummary { frames, ..summary })
}

fn check_roles(roles: &[String], devices: usize) -> Result<(), RecordError> {
    let bad = |message: String| Err(RecordError::Options { message });
    if roles.is_empty() || roles.iter().any(|r| r.trim().is_empty()) {
        return bad("--channels needs a role for each channel, e.g. employee,citizen".into());
    }
    if roles
        .iter()
        .enumerate()
        .any(|(i, r)| roles[..i].contains(r))
    {
        return bad(format!(
            "--channels names a role twice: {}",
            roles.join(",")
        ));
    }
    match devices {
        1 => Ok(()),
        2 if roles.len() == 2 => Ok(()),
        2 => bad(format!(
            "two devices need two roles (one each), --channels gives {}",
            roles.len()
        )),
        n => bad(format!("record from one or two devices, not {n}")),
    }
}

fn overruns(caps: &[Capture]) -> u64 {
    caps.iter()
        .map(|c| c.shared.overruns.load(Ordering::Relaxed))
        .sum()
}

struct LoopState {
    order: Vec<usize>,
    aligner: Option<Aligner>,
    start_offset_ms: Option<f64>,
    mono: Vec<f32>,
    frames: Vec<f32>,
    pcm: Vec<i16>,
    last_seen: Vec<(u64, Instant)>,
}

impl LoopState {
    /// A device that reported itself gone, or that has delivered nothing for [`STALL`].
    fn lost(&mut self, caps: &[Capture]) -> Option<EndReason> {
        for (c, seen) in caps.iter().zip(self.last_seen.iter_mut()) {
            let frames = c.shared.frames.load(Ordering::Acquire);
            if c.shared.lost.load(Ordering::Acquire) {
                let message = c
                    .shared
                    .message
                    .try_lock()
                    .ok()
                    .and_then(|m| m.clone())
                    .unwrap_or_else(|| "the device is no longer available".to_string());
                return Some(EndReason::DeviceLost {
                    device: c.name.clone(),
                    message,
                });
            }
            if frames != seen.0 {
                *seen = (frames, Instant::now());
            } else if seen.1.elapsed() >= STALL {
                return Some(EndReason::DeviceLost {
                    device: c.name.clone(),
                    message: format!("no audio from it for {} s", STALL.as_secs()),
                });
            }
        }
        None
    }

    /// Moves what the devices delivered into the file.
    fn drain(
        &mut self,
        caps: &mut [Capture],
        wav: &mut LiveWav<std::fs::File>,
        meter: &mut Meter,
        limit: Option<u64>,
    ) -> Result<(), RecordError> {
        self.frames.clear();
        if caps.len() == 1 {
            let c = &mut caps[0];
            let ch = usize::from(c.channels);
            let n = c.consumer.slots() / ch * ch;
            if let Ok(chunk) = c.consumer.read_chunk(n) {
                let (a, b) = chunk.as_slices();
                for frame in a.chunks_exact(ch).chain(b.chunks_exact(ch)) {
                    self.frames.extend(self.order.iter().map(|&i| frame[i]));
                }
                chunk.commit_all();
            }
        } else {
            self.drain_two(caps)?;
        }
        let width = self.order.len();
        let mut take = self.frames.len() / width;
        if let Some(l) = limit {
            take = take.min(usize::try_from(l.saturating_sub(wav.frames())).unwrap_or(take));
        }
        self.pcm.clear();
        self.pcm
            .extend(self.frames[..take * width].iter().map(|&x| to_i16(x)));
        meter.feed(&self.pcm);
        wav.write(&self.pcm)
    }

    fn drain_two(&mut self, caps: &mut [Capture]) -> Result<(), RecordError> {
        if self.aligner.is_none() {
            let start = |c: &Capture| {
                let ns = c.shared.first_ns.load(Ordering::Acquire);
                let first = c.shared.first_frames.load(Ordering::Relaxed);
                (ns != 0).then(|| ns as f64 / 1e9 - first as f64 / f64::from(c.rate))
            };
            let (Some(ta), Some(tb)) = (start(&caps[0]), start(&caps[1])) else {
                return Ok(());
            };
            self.start_offset_ms = Some((tb - ta) * 1e3);
            self.aligner = Some(Aligner::new(caps[0].rate, caps[1].rate, tb - ta)?);
        }
        let Some(al) = self.aligner.as_mut() else {
            return Ok(());
        };
        for (k, c) in caps.iter_mut().enumerate().take(2) {
            let ch = usize::from(c.channels);
            let n = c.consumer.slots() / ch * ch;
            self.mono.clear();
            if let Ok(chunk) = c.consumer.read_chunk(n) {
                let (a, b) = chunk.as_slices();
                for frame in a.chunks_exact(ch).chain(b.chunks_exact(ch)) {
                    self.mono.push(frame.iter().sum::<f32>() / ch as f32);
                }
                chunk.commit_all();
            }
            if k == 0 {
                al.push_a(&self.mono);
            } else {
                al.push_b(&self.mono)?;
            }
        }
        al.adjust()?;
        self.mono.clear();
        al.pop(usize::MAX, &mut self.mono);
        for pair in self.mono.chunks_exact(2) {
            self.frames.extend(self.order.iter().map(|&i| pair[i]));
        }
        Ok(())
    }
}
