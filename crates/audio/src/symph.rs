//! Everything that is not RIFF/WAVE (MP3, FLAC, Ogg Vorbis, ...) through symphonia.

use crate::riff::{MAX_CHANNELS, MAX_RATE, MIN_RATE};
use crate::source::BlockSource;
use crate::{AudioError, AudioInfo};
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{Decoder, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// Packets tried before a file that decodes nothing is called "not audio".
const MAX_LEADING_FAILURES: u64 = 64;

/// A compressed file being decoded packet by packet.
pub struct SymphSource {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    channels: usize,
    rate: u32,
    n_frames: Option<u64>,
    /// The first block, decoded while probing.
    first: Option<Vec<Vec<f32>>>,
    samples: Option<SampleBuffer<f32>>,
    ok: u64,
    bad: u64,
    last_error: String,
    path: PathBuf,
}

fn sym_error(path: &Path, e: SymError) -> AudioError {
    match e {
        SymError::IoError(io) if io.kind() == ErrorKind::UnexpectedEof => {
            AudioError::truncated(path, "the file ends inside a packet")
        }
        SymError::IoError(io) => AudioError::io(path, io),
        SymError::Unsupported(what) => AudioError::UnsupportedCodec {
            path: path.to_path_buf(),
            codec: what.to_string(),
        },
        other => AudioError::corrupt(path, other.to_string()),
    }
}

impl SymphSource {
    /// Probes the file and decodes its first packet, to learn the real channel count and rate.
    pub fn probe(path: &Path, file: File) -> Result<(SymphSource, AudioInfo), AudioError> {
        let mss = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let opts = FormatOptions {
            enable_gapless: true,
            ..Default::default()
        };
        let probed = symphonia::default::get_probe()
            .format(&hint, mss, &opts, &MetadataOptions::default())
            .map_err(|e| match e {
                SymError::IoError(io) if io.kind() != ErrorKind::UnexpectedEof => {
                    AudioError::io(path, io)
                }
                other => {
                    AudioError::not_audio(path, format!("no known audio format found ({other})"))
                }
            })?;
        let format = probed.format;
        let track = format
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
            .ok_or_else(|| AudioError::not_audio(path, "the container holds no audio track"))?;
        let params = track.codec_params.clone();
        let track_id = track.id;
        let codec = symphonia::default::get_codecs()
            .get_codec(params.codec)
            .map(|d| d.short_name.to_string())
            .unwrap_or_else(|| format!("codec {}", params.codec));
        let decoder = symphonia::default::get_codecs()
            .make(&params, &DecoderOptions::default())
            .map_err(|e| match e {
                SymError::Unsupported(_) => AudioError::UnsupportedCodec {
                    path: path.to_path_buf(),
                    codec: codec.clone(),
                },
                other => sym_error(path, other),
            })?;
        let mut src = SymphSource {
            format,
            decoder,
            track_id,
            channels: 0,
            rate: 0,
            n_frames: params.n_frames,
            first: None,
            samples: None,
            ok: 0,
            bad: 0,
            last_error: String::new(),
            path: path.to_path_buf(),
        };
        let mut block = Vec::new();
        let frames = src.decode_packet(&mut block)?;
        if frames == 0 {
            return Err(src.nothing_decoded());
        }
        src.first = Some(block);
        let frames = params.n_frames.unwrap_or(0);
        let info = AudioInfo {
            sample_rate: src.rate,
            channels: src.channels as u16,
            duration_s: frames as f64 / f64::from(src.rate),
            codec,
            frames,
        };
        Ok((src, info))
    }

    /// Whether the container states its length.
    pub fn knows_length(&self) -> bool {
        self.n_frames.is_some()
    }

    /// Counts the remaining frames without decoding (demuxing only), for a file whose header
    /// does not state its length. The frames of the first packet are included.
    pub fn count_frames(&mut self) -> Result<u64, AudioError> {
        let mut frames: u64 = self
            .first
            .as_ref()
            .and_then(|b| b.first())
            .map_or(0, |c| c.len() as u64);
        loop {
            match self.format.next_packet() {
                Ok(p) if p.track_id() == self.track_id => frames += p.dur(),
                Ok(_) => {}
                Err(SymError::IoError(io)) if io.kind() == ErrorKind::UnexpectedEof => {
                    return Ok(frames)
                }
                Err(SymError::ResetRequired) => return Ok(frames),
                Err(e) => return Err(sym_error(&self.path, e)),
            }
        }
    }

    fn nothing_decoded(&self) -> AudioError {
        if self.bad > 0 {
            AudioError::not_audio(
                &self.path,
                format!(
                    "no packet could be decoded ({} failed: {})",
                    self.bad, self.last_error
                ),
            )
        } else {
            AudioError::Empty {
                path: self.path.clone(),
            }
        }
    }

    /// Decodes packets until one yields samples; puts them into `out`. Returns 0 at the end.
    fn decode_packet(&mut self, out: &mut Vec<Vec<f32>>) -> Result<usize, AudioError> {
        loop {
            let packet = match self.format.next_packet() {
                Ok(p) => p,
                Err(SymError::IoError(io)) if io.kind() == ErrorKind::UnexpectedEof => {
                    return Ok(0)
                }
                Err(SymError::ResetRequired) => {
                    return Err(AudioError::corrupt(
                        &self.path,
                        "the stream changes its format mid-way",
                    ))
                }
                Err(e) if self.ok == 0 => {
                    return Err(AudioError::not_audio(
                        &self.path,
                        format!("cannot read the stream ({e})"),
                    ))
                }
                Err(e) => return Err(sym_error(&self.path, e)),
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            let buf = match self.decoder.decode(&packet) {
                Ok(buf) => buf,
                Err(SymError::DecodeError(m)) => {
                    self.failed(m.to_string())?;
                    continue;
                }
                Err(SymError::IoError(io)) if io.kind() == ErrorKind::UnexpectedEof => {
                    self.failed("packet ends early".to_string())?;
                    continue;
                }
                Err(e) => return Err(sym_error(&self.path, e)),
            };
            let spec = *buf.spec();
            let frames = buf.frames();
            if frames == 0 {
                continue;
            }
            let channels = spec.channels.count();
            if self.ok == 0 && self.channels == 0 {
                if channels == 0 || channels > usize::from(MAX_CHANNELS) {
                    return Err(AudioError::corrupt(
                        &self.path,
                        format!(
                            "the stream has {channels} channels (medlyt reads 1 to {MAX_CHANNELS})"
                        ),
                    ));
                }
                if spec.rate == 0 {
                    return Err(AudioError::corrupt(
                        &self.path,
                        "the stream has a sample rate of 0 Hz",
                    ));
                }
                if !(MIN_RATE..=MAX_RATE).contains(&spec.rate) {
                    return Err(AudioError::unsupported_rate(&self.path, spec.rate));
                }
                self.channels = channels;
                self.rate = spec.rate;
            } else if channels != self.channels || spec.rate != self.rate {
                return Err(AudioError::corrupt(
                    &self.path,
                    format!(
                        "the stream changes from {} channels at {} Hz to {channels} at {} Hz",
                        self.channels, self.rate, spec.rate
                    ),
                ));
            }
            self.ok += 1;
            let needed = buf.capacity() * channels;
            if self.samples.as_ref().is_none_or(|s| s.capacity() < needed) {
                self.samples = Some(SampleBuffer::new(buf.capacity() as u64, spec));
            }
            let Some(samples) = self.samples.as_mut() else {
                continue;
            };
            samples.copy_planar_ref(buf);
            let planar = samples.samples();
            out.resize_with(channels, Vec::new);
            for (ch, dst) in out.iter_mut().enumerate() {
                dst.clear();
                dst.extend_from_slice(planar.get(ch * frames..(ch + 1) * frames).unwrap_or(&[]));
            }
            return Ok(frames);
        }
    }

    /// Records a packet that failed to decode; gives up when a file decodes nothing at all.
    fn failed(&mut self, reason: String) -> Result<(), AudioError> {
        self.bad += 1;
        self.last_error = reason;
        if self.ok == 0 && self.bad >= MAX_LEADING_FAILURES {
            return Err(self.nothing_decoded());
        }
        Ok(())
    }
}

impl BlockSource for SymphSource {
    fn next_block(&mut self, out: &mut [Vec<f32>]) -> Result<usize, AudioError> {
        if let Some(first) = self.first.take() {
            let frames = first.first().map_or(0, Vec::len);
            for (dst, src) in out.iter_mut().zip(first) {
                *dst = src;
            }
            return Ok(frames);
        }
        let mut block: Vec<Vec<f32>> = out.iter_mut().map(std::mem::take).collect();
        let frames = self.decode_packet(&mut block)?;
        for (dst, src) in out.iter_mut().zip(block) {
            *dst = src;
        }
        Ok(frames)
    }

    fn stated_frames(&self) -> Option<u64> {
        self.n_frames
    }

    fn check_end(&self, frames: u64) -> Result<(), AudioError> {
        if self.ok == 0 {
            return Err(self.nothing_decoded());
        }
        // More than one packet in twenty failing is damage, not a glitch.
        if self.bad > 2 && self.bad * 20 > self.ok {
            return Err(AudioError::corrupt(
                &self.path,
                format!(
                    "{} of {} packets could not be decoded (last: {})",
                    self.bad,
                    self.ok + self.bad,
                    self.last_error
                ),
            ));
        }
        if let Some(stated) = self.n_frames {
            let rate = u64::from(self.rate);
            let tolerance = rate / 10 + stated / 100;
            if frames + tolerance < stated {
                return Err(AudioError::truncated(
                    &self.path,
                    format!(
                        "the stream header announces {:.2} s but the file holds only {:.2} s",
                        stated as f64 / rate as f64,
                        frames as f64 / rate as f64
                    ),
                ));
            }
        }
        Ok(())
    }
}
