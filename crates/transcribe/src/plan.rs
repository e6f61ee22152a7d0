//! What goes to Whisper: each track's speech packed into windows.

use crate::pack::{pack, PackParams, Window};
use crate::window::speech_in;
use medlyt_core::Track;

/// The windows Whisper runs on.
pub(crate) struct SpeechPlan {
    /// The windows of each track, in track order.
    pub windows: Vec<Vec<Window>>,
    /// The track with the most speech, whose first window the language is heard from.
    pub busiest: Option<usize>,
}

impl SpeechPlan {
    /// Packs the speech of every track of a recording of `duration` seconds.
    pub(crate) fn pack(tracks: &[Track], duration: f64) -> Self {
        let params = PackParams::default();
        let windows: Vec<Vec<Window>> = tracks
            .iter()
            .map(|t| pack(&t.speech, duration, &params))
            .collect();
        let busiest = windows
            .iter()
            .enumerate()
            .max_by(|a, b| speech_in(a.1).total_cmp(&speech_in(b.1)))
            .map(|(track, _)| track);
        SpeechPlan { windows, busiest }
    }

    /// The busiest track's first window, with its track.
    pub(crate) fn first_of_busiest(&self) -> Option<(usize, &Window)> {
        let track = self.busiest?;
        self.windows[track].first().map(|w| (track, w))
    }

    /// Whether a window is the busiest track's first (where a given language is checked).
    pub(crate) fn is_first_of_busiest(&self, track: usize, index: usize) -> bool {
        index == 0 && Some(track) == self.busiest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use medlyt_core::{Role, Span};

    fn track(id: usize, speech: &[(f64, f64)]) -> Track {
        Track {
            id,
            channel: Some(id as u16),
            role: Role::Unknown,
            speaker: String::new(),
            speech: speech.iter().map(|&(a, b)| Span::new(a, b)).collect(),
        }
    }

    #[test]
    fn the_language_is_heard_on_the_track_with_the_most_speech() {
        let tracks = [track(0, &[(1.0, 3.0)]), track(1, &[(4.0, 9.0)])];
        let plan = SpeechPlan::pack(&tracks, 10.0);
        assert_eq!(plan.busiest, Some(1));
        assert!(plan.is_first_of_busiest(1, 0));
        assert!(!plan.is_first_of_busiest(0, 0));
        assert_eq!(plan.first_of_busiest().map(|(t, _)| t), Some(1));
    }

    #[test]
    fn no_speech_no_window_to_hear_the_language_on() {
        let plan = SpeechPlan::pack(&[track(0, &[])], 10.0);
        assert!(plan.windows[0].is_empty());
        assert!(plan.first_of_busiest().is_none());
    }
}
