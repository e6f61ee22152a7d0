//! Level meter and live figures: peak and RMS per channel since the last look, and from the
//! 20 ms levels of the whole session, each party's speaking time and interruptions so far.

use medlyt_audio::{energy_vad, frame_levels, VadParams, SILENCE_DBFS};
use medlyt_core::Span;

/// A peak at or above this (dBFS) counts as clipping.
pub const CLIP_DBFS: f32 = -0.1;
/// An RMS below this (dBFS) shows the channel as quiet.
pub const QUIET_DBFS: f32 = -50.0;
/// A party that starts speaking while the other has been speaking at least this long, and
/// overlaps the other for at least [`MIN_INTERRUPTION_S`], interrupts.
pub const INTERRUPTED_AFTER_S: f64 = 0.5;
/// Shortest overlap counted as an interruption, in seconds.
pub const MIN_INTERRUPTION_S: f64 = 0.3;

/// Level of one channel since the last look.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelLevel {
    /// Role of the channel.
    pub role: String,
    /// Peak in dBFS.
    pub peak_dbfs: f32,
    /// RMS in dBFS.
    pub rms_dbfs: f32,
    /// A sample reached full scale.
    pub clipping: bool,
    /// Nothing above the quiet level.
    pub quiet: bool,
}

/// Figures of the session so far, from energy-based speech detection.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveStats {
    /// Seconds of speech per channel.
    pub speech_s: Vec<f64>,
    /// Share of all speech per channel (0..1); zeros before anyone spoke.
    pub talk_share: Vec<f64>,
    /// Interruptions made by each channel's party.
    pub interruptions: Vec<u32>,
}

/// Accumulates levels per channel.
pub(crate) struct Meter {
    rate: u32,
    frame: usize,
    peak: Vec<f32>,
    energy: Vec<f64>,
    count: usize,
    pending: Vec<Vec<i16>>,
    levels: Vec<Vec<f32>>,
    keep_levels: bool,
}

impl Meter {
    pub fn new(channels: usize, rate: u32, keep_levels: bool) -> Self {
        Meter {
            rate,
            frame: (rate as usize / 50).max(1),
            peak: vec![0.0; channels],
            energy: vec![0.0; channels],
            count: 0,
            pending: vec![Vec::new(); channels],
            levels: vec![Vec::new(); channels],
            keep_levels,
        }
    }

    /// Feeds interleaved samples.
    pub fn feed(&mut self, interleaved: &[i16]) {
        let n = self.peak.len();
        if n == 0 {
            return;
        }
        for frame in interleaved.chunks_exact(n) {
            for (c, &s) in frame.iter().enumerate() {
                let v = f32::from(s).abs() / 32768.0;
                self.peak[c] = self.peak[c].max(v);
                self.energy[c] += f64::from(v) * f64::from(v);
                if self.keep_levels {
                    self.pending[c].push(s);
                }
            }
            self.count += 1;
        }
        if self.keep_levels {
            for c in 0..n {
                let whole = self.pending[c].len() / self.frame * self.frame;
                if whole > 0 {
                    let l = frame_levels(&self.pending[c][..whole], self.frame);
                    self.levels[c].extend(l);
                    self.pending[c].drain(..whole);
                }
            }
        }
    }

    /// Levels since the last call, and a fresh start.
    pub fn take(&mut self, roles: &[String]) -> Vec<ChannelLevel> {
        let count = self.count.max(1) as f64;
        let out = (0..self.peak.len())
            .map(|c| {
                let peak_dbfs = dbfs(f64::from(self.peak[c]));
                let rms_dbfs = dbfs((self.energy[c] / count).sqrt());
                ChannelLevel {
                    role: roles.get(c).cloned().unwrap_or_else(|| format!("ch{c}")),
                    peak_dbfs,
                    rms_dbfs,
                    clipping: peak_dbfs >= CLIP_DBFS,
                    quiet: rms_dbfs < QUIET_DBFS,
                }
            })
            .collect();
        self.peak.iter_mut().for_each(|p| *p = 0.0);
        self.energy.iter_mut().for_each(|e| *e = 0.0);
        self.count = 0;
        out
    }

    /// Speech time, talk share and interruptions so far (needs `keep_levels`).
    pub fn live(&self) -> LiveStats {
        let params = VadParams {
            frame_s: self.frame as f64 / f64::from(self.rate.max(1)),
            ..VadParams::default()
        };
        let spans: Vec<Vec<Span>> = self.levels.iter().map(|l| energy_vad(l, &params)).collect();
        live_stats(&spans)
    }
}

/// Talk share and interruptions from each channel's speech spans.
pub fn live_stats(spans: &[Vec<Span>]) -> LiveStats {
    let speech_s: Vec<f64> = spans
        .iter()
        .map(|s| s.iter().map(|x| x.end - x.start).sum())
        .collect();
    let total: f64 = speech_s.iter().sum();
    let talk_share = speech_s
        .iter()
        .map(|&s| if total > 0.0 { s / total } else { 0.0 })
        .collect();
    let interruptions = (0..spans.len())
        .map(|c| {
            let others: Vec<&Span> = (0..spans.len())
                .filter(|&o| o != c)
                .flat_map(|o| spans[o].iter())
                .collect();
            spans[c]
                .iter()
                .filter(|x| {
                    others.iter().any(|y| {
                        x.start - y.start >= INTERRUPTED_AFTER_S
                            && x.end.min(y.end) - x.start >= MIN_INTERRUPTION_S
                    })
                })
                .count() as u32
        })
        .collect();
    LiveStats {
        speech_s,
        talk_share,
        interruptions,
    }
}

fn dbfs(linear: f64) -> f32 {
    if linear <= 0.0 {
        return SILENCE_DBFS;
    }
    ((20.0 * linear.log10()) as f32).max(SILENCE_DBFS)
}
