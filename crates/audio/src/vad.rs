//! Energy-based speech activity: frame levels, an adaptive threshold, and span loudness.

use crate::TARGET_RATE;
use medlyt_core::Span;

/// The level reported for digital silence, in dBFS.
pub const SILENCE_DBFS: f32 = -100.0;

/// The level below which `q` (0 to 1) of `levels` lie: the one at rank `q` times their count;
/// `None` for no levels.
pub fn level_quantile(levels: &[f32], q: f64) -> Option<f32> {
    let mut sorted = levels.to_vec();
    let k = ((sorted.len() as f64 * q) as usize).min(sorted.len().checked_sub(1)?);
    let (_, level, _) = sorted.select_nth_unstable_by(k, f32::total_cmp);
    Some(*level)
}

/// RMS level of each `frame`-sample frame of `samples`, in dBFS (a full-scale sine is -3 dBFS).
/// A last partial frame counts as a frame. Silence is [`SILENCE_DBFS`]; `frame == 0` gives none.
pub fn frame_levels(samples: &[i16], frame: usize) -> Vec<f32> {
    if frame == 0 {
        return Vec::new();
    }
    samples.chunks(frame).map(rms_dbfs).collect()
}

fn rms_dbfs(samples: &[i16]) -> f32 {
    if samples.is_empty() {
        return SILENCE_DBFS;
    }
    let energy: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    let rms = (energy / samples.len() as f64).sqrt() / 32768.0;
    if rms <= 0.0 {
        return SILENCE_DBFS;
    }
    ((20.0 * rms.log10()) as f32).max(SILENCE_DBFS)
}

/// RMS level of `span` (seconds, at [`TARGET_RATE`]) of `samples` in dBFS; `None` when the span
/// holds no samples.
pub fn loudness_dbfs(samples: &[i16], span: Span) -> Option<f32> {
    let rate = f64::from(TARGET_RATE);
    let end = ((span.end * rate).round().max(0.0) as usize).min(samples.len());
    let start = ((span.start * rate).round().max(0.0) as usize).min(end);
    (start < end).then(|| rms_dbfs(&samples[start..end]))
}

/// Settings for [`energy_vad`].
#[derive(Debug, Clone, PartialEq)]
pub struct VadParams {
    /// Length of one level frame in seconds (320 samples at 16 kHz = 0.02).
    pub frame_s: f64,
    /// The noise floor is this quantile (0..1) of the levels around each frame.
    pub floor_quantile: f32,
    /// Seconds of levels the noise floor is taken over (centred on the frame).
    pub floor_window_s: f64,
    /// Speech is this many dB above the noise floor.
    pub threshold_db: f32,
    /// The threshold never goes below this (dBFS), so hiss in a quiet line is not speech.
    pub min_threshold_dbfs: f32,
    /// Speech continues this long after the level falls below the threshold.
    pub hangover_s: f64,
    /// Pauses shorter than this are bridged.
    pub min_silence_s: f64,
    /// Speech shorter than this (after bridging) is dropped.
    pub min_speech_s: f64,
}

impl Default for VadParams {
    fn default() -> Self {
        VadParams {
            frame_s: 0.02,
            floor_quantile: 0.1,
            floor_window_s: 30.0,
            threshold_db: 12.0,
            min_threshold_dbfs: -50.0,
            hangover_s: 0.15,
            min_silence_s: 0.3,
            min_speech_s: 0.15,
        }
    }
}

/// Noise floor per second-long block: the quantile of the levels in the window around it.
fn noise_floor(levels: &[f32], params: &VadParams) -> Vec<f32> {
    let frame_s = params.frame_s.max(1e-6);
    let block = ((1.0 / frame_s).round() as usize).max(1);
    let half = ((params.floor_window_s / frame_s / 2.0).round() as usize).max(block);
    let q = params.floor_quantile.clamp(0.0, 1.0);
    let mut floors = Vec::with_capacity(levels.len() / block + 1);
    let mut window: Vec<f32> = Vec::new();
    for b in (0..levels.len()).step_by(block) {
        let mid = b + block / 2;
        let lo = mid.saturating_sub(half);
        let hi = (mid + half).min(levels.len());
        window.clear();
        window.extend_from_slice(&levels[lo..hi]);
        window.sort_by(f32::total_cmp);
        let i = ((window.len().saturating_sub(1)) as f32 * q).round() as usize;
        floors.push(window.get(i).copied().unwrap_or(SILENCE_DBFS));
    }
    let mut per_frame = Vec::with_capacity(levels.len());
    for i in 0..levels.len() {
        per_frame.push(floors.get(i / block).copied().unwrap_or(SILENCE_DBFS));
    }
    per_frame
}

/// Speech spans (seconds) from frame levels (from [`frame_levels`]).
///
/// A frame is speech when its level is `threshold_db` above the local noise floor (a low
/// quantile of the levels around it), and never below `min_threshold_dbfs`. Runs of such frames
/// separated by pauses shorter than `min_silence_s` (or `hangover_s`) are joined; runs shorter
/// than `min_speech_s` are dropped; each span is then held `hangover_s` past its last loud frame
/// (up to the next span and the end of the levels).
pub fn energy_vad(levels: &[f32], params: &VadParams) -> Vec<Span> {
    let floors = noise_floor(levels, params);
    let frame_s = params.frame_s;
    let mut runs: Vec<Span> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, (&level, &floor)) in levels.iter().zip(&floors).enumerate() {
        let threshold = (floor + params.threshold_db).max(params.min_threshold_dbfs);
        match (level > threshold, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(frame_span(s, i, frame_s));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(frame_span(s, levels.len(), frame_s));
    }
    let bridge = params.min_silence_s.max(params.hangover_s);
    let mut spans = bridge_and_filter(runs, bridge, params.min_speech_s);
    let total = levels.len() as f64 * frame_s;
    let starts: Vec<f64> = spans
        .iter()
        .skip(1)
        .map(|s| s.start)
        .chain([total])
        .collect();
    for (span, next) in spans.iter_mut().zip(starts) {
        span.end = (span.end + params.hangover_s.max(0.0)).min(next);
    }
    spans
}

fn frame_span(start: usize, end: usize, frame_s: f64) -> Span {
    Span::new(start as f64 * frame_s, end as f64 * frame_s)
}

/// Merges spans separated by less than `bridge` seconds, then drops those shorter than `min`.
pub(crate) fn bridge_and_filter(spans: Vec<Span>, bridge: f64, min: f64) -> Vec<Span> {
    medlyt_core::union(&spans, bridge - 1e-9)
        .into_iter()
        .filter(|s| s.duration() + 1e-9 >= min)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::test_signal::sine;

    /// Deterministic white noise of roughly `amp` RMS (0..1).
    fn noise(amp: f64, secs: f64, seed: u64) -> Vec<i16> {
        let mut x = seed.max(1);
        let n = (secs * 16_000.0) as usize;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
                (u * amp * 3f64.sqrt() * 32767.0) as i16
            })
            .collect()
    }

    const TOL_DB: f32 = 0.05;

    #[test]
    fn levels_of_known_signals() {
        let full = sine(1000.0, 1.0, 0.1);
        let l = frame_levels(&full, 320);
        assert_eq!(l.len(), 5);
        assert!(l.iter().all(|&x| (x + 3.01).abs() < TOL_DB), "{l:?}");
        let half = sine(1000.0, 0.5, 0.1);
        assert!(frame_levels(&half, 320)
            .iter()
            .all(|&x| (x + 9.03).abs() < TOL_DB));
        assert_eq!(frame_levels(&[0; 640], 320), vec![SILENCE_DBFS; 2]);
        assert_eq!(frame_levels(&[0; 700], 320).len(), 3);
        assert!(frame_levels(&full, 0).is_empty());
    }

    #[test]
    fn loudness_of_a_span() {
        let mut s = vec![0i16; 16_000];
        s.extend(sine(500.0, 0.1, 1.0));
        let loud = loudness_dbfs(&s, Span::new(1.0, 2.0)).unwrap();
        assert!((loud - (-23.01)).abs() < TOL_DB, "{loud}");
        assert_eq!(loudness_dbfs(&s, Span::new(0.0, 1.0)), Some(SILENCE_DBFS));
        assert_eq!(loudness_dbfs(&s, Span::new(3.0, 4.0)), None);
        assert_eq!(loudness_dbfs(&s, Span::new(1.5, 1.5)), None);
    }

    #[test]
    fn vad_finds_bursts_in_noise() {
        // 1 s noise, 1 s tone, 0.5 s noise, 0.8 s tone, 1 s noise; noise at -40 dBFS, tone at -12.
        let mut s = noise(0.01, 1.0, 1);
        s.extend(sine(300.0, 0.35, 1.0));
        s.extend(noise(0.01, 0.5, 2));
        s.extend(sine(300.0, 0.35, 0.8));
        s.extend(noise(0.01, 1.0, 3));
        let p = VadParams::default();
        let spans = energy_vad(&frame_levels(&s, 320), &p);
        assert_eq!(spans.len(), 2, "{spans:?}");
        let tol = 0.03 + p.hangover_s;
        assert!((spans[0].start - 1.0).abs() < 0.03, "{spans:?}");
        assert!((spans[0].end - 2.0).abs() <= tol, "{spans:?}");
        assert!((spans[1].start - 2.5).abs() < 0.03, "{spans:?}");
        assert!((spans[1].end - 3.3).abs() <= tol, "{spans:?}");
    }

    #[test]
    fn vad_bridges_short_pauses_and_drops_clicks() {
        // Tone, 0.1 s pause, tone: one span. A 40 ms click later: dropped.
        let mut s = vec![0i16; 8000];
        s.extend(sine(300.0, 0.3, 0.6));
        s.extend(vec![0i16; 1600]);
        s.extend(sine(300.0, 0.3, 0.6));
        s.extend(vec![0i16; 16_000]);
        s.extend(sine(300.0, 0.3, 0.04));
        s.extend(vec![0i16; 16_000]);
        let spans = energy_vad(&frame_levels(&s, 320), &VadParams::default());
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert!((spans[0].start - 0.5).abs() < 0.03);
        assert!(spans[0].end > 1.8 && spans[0].end < 2.0, "{spans:?}");
    }

    #[test]
    fn vad_threshold_follows_a_louder_noise_floor() {
        // Noise at -20 dBFS (above the absolute minimum threshold) with a tone 15 dB louder.
        let mut s = noise(0.1, 2.0, 5);
        let tone = sine(300.0, 0.8, 1.0);
        let bed = noise(0.1, 1.0, 6);
        s.extend(tone.iter().zip(&bed).map(|(a, b)| a.saturating_add(*b)));
        s.extend(noise(0.1, 2.0, 7));
        let spans = energy_vad(&frame_levels(&s, 320), &VadParams::default());
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert!((spans[0].start - 2.0).abs() < 0.05, "{spans:?}");
        // Noise alone is no speech: a fixed -50 dBFS threshold would call all of it speech.
        let quiet = energy_vad(
            &frame_levels(&noise(0.1, 5.0, 8), 320),
            &VadParams::default(),
        );
        assert!(quiet.is_empty(), "{quiet:?}");
    }
}
