//! Which channels become which tracks, and the speech on each.

use crate::decode::DecodedAudio;
use crate::mono;
use crate::options::Options;
use crate::pack::Window;
use crate::speech::{speech_per_channel, Detector, SpeechFinder};
use crate::window::window_samples;
use crate::TranscribeError;
use medlyt_core::{Role, Span, Track};

/// The tracks Whisper transcribes, one per party channel, with the audio they come from.
pub(crate) struct ChannelPlan<'a> {
    /// 16 kHz samples per track.
    pub channels: Vec<&'a [i16]>,
    /// RMS level per 20 ms frame per track, in dBFS (to silence the other party's bleed).
    pub levels: Vec<Vec<f32>>,
    /// One track per channel, with the speech found on it (crosstalk removed).
    pub tracks: Vec<Track>,
    /// Whether the single track of a mono recording is to be split into its voices.
    pub diarize: bool,
    /// The note on how the channels became tracks, where there is one.
    pub note: Option<String>,
    /// The note on how speech was found, where there is one.
    pub detector_note: Option<String>,
}

/// Finds the speech on each party channel and sets up its track: a two-party call gives one
/// track per channel with the role given for it, a mono recording a single track whose speaker
/// is unknown.
pub(crate) fn plan<'a>(
    audio: &'a DecodedAudio,
    finder: &mut SpeechFinder,
    opts: &Options,
) -> Result<ChannelPlan<'a>, TranscribeError> {
    let channels = audio.party_channels();
    let found = speech_per_channel(finder, &channels)?;
    let two_party = channels.len() >= 2;
    let (tracks, note) = if two_party {
        (
            party_tracks(found.spans, &opts.roles),
            extra_channels_note(audio.channels.len()),
        )
    } else {
        let speech = found.spans.into_iter().next().unwrap_or_default();
        (vec![mono::track(speech)], mono::note(opts.diarize))
    };
    Ok(ChannelPlan {
        channels,
        levels: found.levels,
        tracks,
        diarize: !two_party && opts.diarize,
        note,
        detector_note: detector_note(finder.detector()),
    })
}

impl<'a> ChannelPlan<'a> {
    /// The audio Whisper hears for one window of a track.
    pub(crate) fn window_samples(&self, track: usize, window: &Window) -> Vec<f32> {
        window_samples(&self.channels, &self.levels, track, window)
    }

    /// The channel of a mono recording whose voices are to be told apart, where they are.
    pub(crate) fn mono_to_diarize(&self) -> Option<&'a [i16]> {
        self.channels.first().copied().filter(|_| self.diarize)
    }
}

/// One track per channel, each named by the role given for its channel.
fn party_tracks(speech: Vec<Vec<Span>>, roles: &[Role]) -> Vec<Track> {
    speech
        .into_iter()
        .enumerate()
        .map(|(i, spans)| {
            let role = roles.get(i).copied().unwrap_or(Role::Unknown);
            Track {
                id: i,
                channel: Some(i as u16),
                role,
                speaker: role.to_string(),
                speech: spans,
            }
        })
        .collect()
}

/// The note on a recording with channels beyond the two transcribed.
fn extra_channels_note(channels: usize) -> Option<String> {
    (channels > 2).then(|| {
        format!("the recording has {channels} channels; only the first two were transcribed")
    })
}

/// The note on speech found without the VAD model.
fn detector_note(detector: Detector) -> Option<String> {
    (detector == Detector::Energy).then(|| {
        "no VAD model installed: speech was found with the energy detector (less exact); \
         run scripts/get-models.sh to install the Silero VAD model"
            .to_string()
    })
}
