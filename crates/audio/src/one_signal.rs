//! Whether two channels carry one signal: a stereo file written by a phone or laptop that
//! recorded one microphone (each voice about as loud on both channels), not a call with a
//! channel per party (each voice far louder on its own channel than the other's bleed). Such
//! a file is a mono recording whose voices have to be told apart from the sound.

use crate::{frame_levels, level_quantile};

/// Samples per level frame (20 ms at 16 kHz).
const FRAME: usize = 320;
/// Two channels' levels in a frame are apart when they differ by this much (dB).
const APART_DB: f32 = 6.0;
/// The channels carry one signal when fewer than this share of the sounding frames are apart.
/// In a call with a channel per party, every frame in which one party talks alone is.
const MAX_APART_SHARE: f64 = 0.1;
/// A frame sounds when its louder channel is this far above the recording's noise floor (dB).
const ABOVE_FLOOR_DB: f32 = 10.0;
/// Nor does a frame sound below this level (dBFS), however quiet the floor.
const LEAST_DBFS: f32 = -55.0;
/// Fewest sounding frames (1 s) to judge from.
const LEAST_FRAMES: usize = 50;
/// The noise floor is this quantile of the louder channel's frame levels.
const FLOOR_QUANTILE: f64 = 0.1;

/// What the levels of two channels showed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChannelLevels {
    /// 20 ms frames in which either channel sounds.
    pub sounding_frames: usize,
    /// The share of them in which the channels' levels differ by 6 dB or more.
    pub apart_share: f64,
}

impl ChannelLevels {
    /// Whether the channels carry one signal (too few sounding frames: no).
    pub fn one_signal(&self) -> bool {
        self.sounding_frames >= LEAST_FRAMES && self.apart_share < MAX_APART_SHARE
    }
}

/// Compares the levels of two 16 kHz channels frame by frame.
pub fn compare_channels(a: &[i16], b: &[i16]) -> ChannelLevels {
    let la = frame_levels(a, FRAME);
    let lb = frame_levels(b, FRAME);
    let louder: Vec<f32> = la.iter().zip(&lb).map(|(x, y)| x.max(*y)).collect();
    let floor = level_quantile(&louder, FLOOR_QUANTILE).unwrap_or(LEAST_DBFS);
    let sounds = (floor + ABOVE_FLOOR_DB).max(LEAST_DBFS);
    let mut sounding = 0usize;
    let mut apart = 0usize;
    for (x, y) in la.iter().zip(&lb) {
        if x.max(*y) < sounds {
            continue;
        }
        sounding += 1;
        apart += usize::from((x - y).abs() >= APART_DB);
    }
    ChannelLevels {
        sounding_frames: sounding,
        apart_share: apart as f64 / sounding.max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tone burst of `secs` at `gain` starting at `from` seconds, in a `total`-second track
    /// of faint noise.
    fn track(total: f64, bursts: &[(f64, f64, f32)]) -> Vec<i16> {
        let n = (total * 16_000.0) as usize;
        let mut seed = 1u32;
        (0..n)
            .map(|i| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = f32::from((seed >> 16) as u16 as i16) / 32768.0 * 0.001;
                let t = i as f64 / 16_000.0;
                let tone: f32 = bursts
                    .iter()
                    .filter(|(from, secs, _)| t >= *from && t < from + secs)
                    .map(|(_, _, gain)| {
                        gain * (t * 2.0 * std::f64::consts::PI * 220.0).sin() as f32
                    })
                    .sum();
                ((tone + noise) * 32767.0) as i16
            })
            .collect()
    }

    #[test]
    fn one_microphone_on_both_channels_is_one_signal() {
        let a = track(10.0, &[(1.0, 3.0, 0.3), (5.0, 3.0, 0.1)]);
        let b: Vec<i16> = a.iter().map(|&s| (f32::from(s) * 0.8) as i16).collect();
        let c = compare_channels(&a, &b);
        assert!(c.one_signal(), "{c:?}");
    }

    #[test]
    fn a_party_on_each_channel_is_two_signals() {
        // Party A left with a faint bleed on the right, and the other way round.
        let a = track(10.0, &[(1.0, 3.0, 0.3), (5.0, 3.0, 0.003)]);
        let b = track(10.0, &[(1.0, 3.0, 0.003), (5.0, 3.0, 0.3)]);
        let c = compare_channels(&a, &b);
        assert!(!c.one_signal(), "{c:?}");
        assert!(c.apart_share > 0.9, "{c:?}");
    }

    #[test]
    fn a_call_where_one_party_barely_speaks_stays_two_signals() {
        let a = track(20.0, &[(0.5, 18.0, 0.3)]);
        let b = track(20.0, &[(10.0, 0.5, 0.3)]);
        assert!(!compare_channels(&a, &b).one_signal());
    }

    #[test]
    fn too_little_sound_is_not_judged() {
        let a = track(5.0, &[(1.0, 0.5, 0.3)]);
        let c = compare_channels(&a, &a);
        assert!(!c.one_signal(), "{c:?}");
    }
}
