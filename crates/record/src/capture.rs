//! Input devices through cpal: listing them, and capture streams whose callback only copies
//! samples into a lock-free ring buffer.

use crate::error::RecordError;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{SampleFormat, SizedSample, StreamConfig};
use rtrb::{Consumer, Producer, RingBuffer};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// An input device as the audio system describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceInfo {
    /// Name to pass to `--device`.
    pub name: String,
    /// Channel counts it offers.
    pub channels: Vec<u16>,
    /// Sample rate ranges it offers (Hz, inclusive).
    pub rates: Vec<(u32, u32)>,
    /// Whether it is the default input device.
    pub is_default: bool,
    /// Its default channel count and rate, when it has one.
    pub default_config: Option<(u16, u32)>,
}

/// The input devices, the default one marked.
pub fn list_devices() -> Result<Vec<DeviceInfo>, RecordError> {
    let host = cpal::default_host();
    let default_name = host.default_input_device().and_then(|d| d.name().ok());
    let devices = host.input_devices().map_err(|e| RecordError::Devices {
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for d in devices {
        let Ok(name) = d.name() else { continue };
        let Ok(configs) = d.supported_input_configs() else {
            continue;
        };
        let mut channels = Vec::new();
        let mut rates = Vec::new();
        for c in configs {
            if !channels.contains(&c.channels()) {
                channels.push(c.channels());
            }
            let r = (c.min_sample_rate().0, c.max_sample_rate().0);
            if !rates.contains(&r) {
                rates.push(r);
            }
        }
        channels.sort_unstable();
        rates.sort_unstable();
        let default_config = d
            .default_input_config()
            .ok()
            .map(|c| (c.channels(), c.sample_rate().0));
        out.push(DeviceInfo {
            is_default: default_name.as_deref() == Some(name.as_str()),
            name,
            channels,
            rates,
            default_config,
        });
    }
    Ok(out)
}

/// What the callback and the recorder share; only atomics are touched by the data callback.
pub(crate) struct Shared {
    /// Frames pushed into the ring.
    pub frames: AtomicU64,
    /// Frames lost because the ring was full.
    pub overruns: AtomicU64,
    /// Nanoseconds after the session's epoch of the first callback (0: none yet).
    pub first_ns: AtomicU64,
    /// Frames in the first callback.
    pub first_frames: AtomicU64,
    /// Set when the device reported that it is gone.
    pub lost: AtomicBool,
    /// Stream errors reported (xruns and the like).
    pub errors: AtomicU64,
    /// The last error message (written outside the data callback, never waited for).
    pub message: Mutex<Option<String>>,
}

impl Shared {
    fn new() -> Arc<Self> {
        Arc::new(Shared {
            frames: AtomicU64::new(0),
            overruns: AtomicU64::new(0),
            first_ns: AtomicU64::new(0),
            first_frames: AtomicU64::new(0),
            lost: AtomicBool::new(false),
            errors: AtomicU64::new(0),
            message: Mutex::new(None),
        })
    }
}

/// Opens a simulated device (`file:PATH` or `file:PATH#PPM`).
fn open_file(spec: &str, ring_s: f64, epoch: Instant) -> Result<Capture, RecordError> {
    let (path, ppm) = crate::simulated::parse(spec);
    let (channels, rate, samples) = crate::simulated::load(std::path::Path::new(path))?;
    let slots = ((f64::from(rate) * ring_s) as usize).max(4096) * usize::from(channels);
    let (producer, consumer) = RingBuffer::<f32>::new(slots);
    let shared = Shared::new();
    let device = crate::simulated::start(
        samples,
        channels,
        rate,
        ppm,
        producer,
        Arc::clone(&shared),
        epoch,
    );
    Ok(Capture {
        name: format!("file:{spec}"),
        channels,
        rate,
        consumer,
        shared,
        _stream: Stream::File(device),
    })
}

/// An open, running capture stream.
pub(crate) struct Capture {
    pub name: String,
    pub channels: u16,
    pub rate: u32,
    pub consumer: Consumer<f32>,
    pub shared: Arc<Shared>,
    _stream: Stream,
}

/// What keeps a capture running (held, never read).
#[allow(dead_code)]
enum Stream {
    Cpal(cpal::Stream),
    File(crate::simulated::FileDevice),
}

fn find_device(name: Option<&str>) -> Result<cpal::Device, RecordError> {
    let host = cpal::default_host();
    let Some(name) = name else {
        return host
            .default_input_device()
            .ok_or(RecordError::NoDefaultDevice);
    };
    let devices = host.input_devices().map_err(|e| RecordError::Devices {
        message: e.to_string(),
    })?;
    for d in devices {
        if d.name().ok().as_deref() == Some(name) {
            return Ok(d);
        }
    }
    Err(RecordError::NoSuchDevice {
        name: name.to_string(),
    })
}

/// Picks a configuration: the default one, at `rate` when asked, preferring 16-bit samples.
fn pick_config(
    device: &cpal::Device,
    name: &str,
    rate: Option<u32>,
) -> Result<(StreamConfig, SampleFormat), RecordError> {
    let open_err = |message: String| RecordError::Open {
        device: name.to_string(),
        message,
    };
    let default = device
        .default_input_config()
        .map_err(|e| open_err(e.to_string()))?;
    let Some(rate) = rate else {
        return Ok((default.config(), default.sample_format()));
    };
    let ranges: Vec<_> = device
        .supported_input_configs()
        .map_err(|e| open_err(e.to_string()))?
        .filter(|c| c.min_sample_rate().0 <= rate && rate <= c.max_sample_rate().0)
        .collect();
    let rank = |c: &cpal::SupportedStreamConfigRange| {
        (
            c.channels() != default.channels(),
            c.sample_format() != SampleFormat::I16,
            c.sample_format() != default.sample_format(),
        )
    };
    let best = ranges
        .into_iter()
        .min_by_key(rank)
        .ok_or_else(|| open_err(format!("it does not offer {rate} Hz")))?;
    let c = best.with_sample_rate(cpal::SampleRate(rate));
    Ok((c.config(), c.sample_format()))
}

/// Opens `name` (the default device when `None`) and starts capturing into a ring buffer of
/// `ring_s` seconds.
pub(crate) fn open(
    name: Option<&str>,
    rate: Option<u32>,
    ring_s: f64,
    epoch: Instant,
) -> Result<Capture, RecordError> {
    if let Some(spec) = name.and_then(|n| n.strip_prefix("file:")) {
        return open_file(spec, ring_s, epoch);
    }
    let device = find_device(name)?;
    let dev_name = device
        .name()
        .unwrap_or_else(|_| name.unwrap_or("default").to_string());
    let (mut config, format) = pick_config(&device, &dev_name, rate)?;
    config.buffer_size = cpal::BufferSize::Default;
    let channels = config.channels.max(1);
    let rate = config.sample_rate.0;
    let slots = ((f64::from(rate) * ring_s) as usize).max(4096) * usize::from(channels);
    let (producer, consumer) = RingBuffer::<f32>::new(slots);
    let shared = Shared::new();
    let stream = match format {
        SampleFormat::I16 => build::<i16>(&device, &config, producer, &shared, epoch),
        SampleFormat::I32 => build::<i32>(&device, &config, producer, &shared, epoch),
        SampleFormat::F32 => build::<f32>(&device, &config, producer, &shared, epoch),
        SampleFormat::U16 => build::<u16>(&device, &config, producer, &shared, epoch),
        other => Err(format!("sample format {other} is not supported")),
    }
    .map_err(|message| RecordError::Open {
        device: dev_name.clone(),
        message,
    })?;
    stream.play().map_err(|e| RecordError::Open {
        device: dev_name.clone(),
        message: e.to_string(),
    })?;
    Ok(Capture {
        name: dev_name,
        channels,
        rate,
        consumer,
        shared,
        _stream: Stream::Cpal(stream),
    })
}

/// What a capture callback does with `frames` frames: whole frames go into the ring as far as it
/// has room, the rest is counted as overrun. No locks, no allocation, no waiting.
pub(crate) fn push_frames(
    producer: &mut Producer<f32>,
    shared: &Shared,
    epoch: Instant,
    channels: usize,
    frames: usize,
    samples: impl Iterator<Item = f32>,
) {
    if shared.first_ns.load(Ordering::Relaxed) == 0 {
        let ns = u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        shared.first_frames.store(frames as u64, Ordering::Relaxed);
        shared.first_ns.store(ns.max(1), Ordering::Release);
    }
    let fit = (producer.slots() / channels.max(1)).min(frames);
    if let Ok(chunk) = producer.write_chunk_uninit(fit * channels) {
        chunk.fill_from_iter(samples);
    }
    shared.frames.fetch_add(fit as u64, Ordering::Release);
    if fit < frames {
        shared
            .overruns
            .fetch_add((frames - fit) as u64, Ordering::Relaxed);
    }
}

fn build<T>(
    device: &cpal::Device,
    config: &StreamConfig,
    mut producer: Producer<f32>,
    shared: &Arc<Shared>,
    epoch: Instant,
) -> Result<cpal::Stream, String>
where
    T: SizedSample + cpal::Sample,
    f32: cpal::FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    let data_shared = Arc::clone(shared);
    let err_shared = Arc::clone(shared);
    // The data callback: no locks, no allocation, no waiting.
    let on_data = move |data: &[T], _: &cpal::InputCallbackInfo| {
        let frames = data.len() / channels;
        let samples = data.iter().map(|s| s.to_sample::<f32>());
        push_frames(
            &mut producer,
            &data_shared,
            epoch,
            channels,
            frames,
            samples,
        );
    };
    let on_error = move |e: cpal::StreamError| {
        if matches!(e, cpal::StreamError::DeviceNotAvailable) {
            err_shared.lost.store(true, Ordering::Release);
        }
        err_shared.errors.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut m) = err_shared.message.try_lock() {
            *m = Some(e.to_string());
        }
    };
    device
        .build_input_stream::<T, _, _>(config, on_data, on_error, None)
        .map_err(|e| e.to_string())
}
