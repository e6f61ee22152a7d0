//! Mono recordings: one track for the single channel; where asked, who speaks when, from the
//! voices themselves ([`medlyt_diarize`]), and which voice is the employee.

use crate::channels::ChannelPlan;
use crate::options::Options;
use crate::TranscribeError;
use medlyt_core::{notes, Role, Segment, Span, Track, Transcript, Word};
use medlyt_diarize::neural::{diarize_neural, is_narrowband, NeuralOptions, SpeakerModels};
use medlyt_diarize::{assign, speaker_name, Diarization, DiarizeOptions};

/// The note on a mono recording whose voices are not told apart.
const UNDIARIZED_NOTE: &str = "mono recording: one track with both voices; the speaker of each \
     segment is unknown (no diarization was applied), so per-party measures are not available";

/// The single track of a mono recording, whose speaker is unknown until its voices are told
/// apart.
pub(crate) fn track(speech: Vec<Span>) -> Track {
    Track {
        id: 0,
        channel: Some(0),
        role: Role::Unknown,
        speaker: Role::Unknown.to_string(),
        speech,
    }
}

/// The note on the single track of a mono recording: none where its voices are told apart (the
/// voices get their own note).
pub(crate) fn note(diarize: bool) -> Option<String> {
    (!diarize).then(|| UNDIARIZED_NOTE.to_string())
}

/// Tells the voices of a transcribed mono recording apart: diarizes the channel (`samples`),
/// gives each voice a track, shares the words of the single track out between the voices,
/// chooses the employee and labels each voice with its role. The note on the voices comes first
/// among the notes (where a call's note on its channels would be), the one on the roles last.
pub(crate) fn tell_voices_apart(
    t: &mut Transcript,
    samples: &[i16],
    models: Option<&SpeakerModels>,
    opts: &Options,
) {
    let speech = t
        .tracks
        .first()
        .map(|track| track.speech.clone())
        .unwrap_or_default();
    let narrowband = is_narrowband(t.recording.sample_rate);
    let d = diarize_voices(samples, &speech, narrowband, models, opts);
    t.tracks = voice_tracks(&d);
    t.notes.insert(0, voices_note(&d));
    if models.is_none() {
        t.notes.insert(1, notes::diarization_fallback());
    }
    t.segments = share_out(std::mem::take(&mut t.segments), &d, samples);
    t.sort_segments();
    let note = assign_roles(t, opts.employee);
    t.notes.push(note);
    label_with_roles(&mut t.tracks);
}

/// The installed speaker models, loaded and checked now where the recording is to be
/// diarized (before Whisper runs, so an unusable file fails early); `None` for a two-party
/// call, or where none are installed.
pub(crate) fn load_speaker_models<'m>(
    channels: &ChannelPlan,
    opts: &'m Options,
) -> Result<Option<&'m SpeakerModels>, TranscribeError> {
    let Some(installed) = opts.speaker_models.as_deref() else {
        return Ok(None);
    };
    if channels.mono_to_diarize().is_none() {
        return Ok(None);
    }
    installed
        .get()
        .map(Some)
        .map_err(|reason| TranscribeError::ModelLoad {
            path: installed.dir().to_path_buf(),
            reason,
        })
}

/// Who speaks when in `samples` (16 kHz): with the neural speaker models where installed,
/// else with the signal-feature method within the `speech` found on them.
fn diarize_voices(
    samples: &[i16],
    speech: &[Span],
    narrowband: bool,
    models: Option<&SpeakerModels>,
    opts: &Options,
) -> Diarization {
    match models {
        Some(models) => {
            let o = NeuralOptions {
                speakers: opts.speakers,
                threads: opts.threads.max(1),
                narrowband,
                ..NeuralOptions::default()
            };
            diarize_neural(models, samples, &o)
        }
        None => medlyt_diarize::diarize(
            samples,
            speech,
            &DiarizeOptions {
                speakers: opts.speakers,
                ..Default::default()
            },
        ),
    }
}

/// One track per voice (at least one), labelled in the order the voices are first heard, with
/// the speech of its turns.
fn voice_tracks(d: &Diarization) -> Vec<Track> {
    (0..d.speakers.max(1))
        .map(|k| {
            let spans: Vec<Span> = d
                .turns
                .iter()
                .filter(|t| t.speaker == k)
                .map(|t| t.span)
                .collect();
            Track {
                id: k,
                channel: Some(0),
                role: Role::Unknown,
                speaker: speaker_name(k),
                speech: medlyt_core::union(&spans, 0.0),
            }
        })
        .collect()
}

/// The note on how the voices were told apart.
fn voices_note(d: &Diarization) -> String {
    if d.speakers == 0 {
        return notes::mono_no_voice();
    }
    if d.speakers == 1 {
        return notes::mono_one_voice(&d.method);
    }
    notes::mono_diarized(d.speakers, &d.method, f64::from(d.confidence))
}

/// The segments of the single track, each split between the voices.
fn share_out(segments: Vec<Segment>, d: &Diarization, samples: &[i16]) -> Vec<Segment> {
    segments
        .into_iter()
        .flat_map(|seg| split_by_speaker(seg, d, samples))
        .collect()
}

/// Splits a segment between the diarized speakers: each word goes to the speaker who covers
/// most of it, and a segment spanning a change of speaker becomes one segment per speaker.
fn split_by_speaker(seg: Segment, d: &Diarization, samples: &[i16]) -> Vec<Segment> {
    let mut runs: Vec<(usize, Vec<Word>)> = Vec::new();
    let mut last = assign(d, seg.start, seg.end).unwrap_or(0);
    for w in seg.words {
        let who = assign(d, w.start, w.end.max(w.start + 0.01)).unwrap_or(last);
        last = who;
        match runs.last_mut() {
            Some((s, ws)) if *s == who => ws.push(w),
            _ => runs.push((who, vec![w])),
        }
    }
    runs.into_iter()
        .filter_map(|(speaker, words)| crate::window::segment_of(speaker, words, samples))
        .collect()
}

/// Phrases that open a call: a greeting, or the speaker's own name or unit.
const OPENING: &[&str] = &[
    "goddag",
    "god morgen",
    "godmorgen",
    "hej",
    "velkommen",
    "du taler med",
    "det er ",
    "fra ",
    "good morning",
    "good afternoon",
    "hello",
    "this is",
    "speaking",
    "how can i help",
    "hvad kan jeg hjælpe",
];

/// Chooses the employee among the diarized speakers and returns the note saying how.
///
/// With `employee` (a speaker label) the choice is the user's. Otherwise each voice scores two
/// points for opening the call with a greeting or its own name or unit, one point for speaking
/// first, and one point for asking the most questions (sentences ending in "?").
fn assign_roles(t: &mut Transcript, employee: Option<usize>) -> String {
    let n = t.tracks.len();
    let (chosen, why) = match employee {
        Some(e) if e < n => (e, vec![notes::SET_BY_USER.to_string()]),
        _ => {
            let mut score = vec![0u32; n];
            let mut reasons: Vec<Vec<String>> = vec![Vec::new(); n];
            if let Some(first) = t.segments.first() {
                score[first.track] += 1;
                reasons[first.track].push(notes::SPOKE_FIRST.into());
                let lower = first.text.to_lowercase();
                if let Some(cue) = OPENING.iter().find(|c| lower.contains(*c)) {
                    score[first.track] += 2;
                    reasons[first.track].push(notes::opened_with(cue.trim()));
                }
            }
            let questions: Vec<usize> = (0..n)
                .map(|k| {
                    t.segments
                        .iter()
                        .filter(|s| s.track == k)
                        .map(|s| s.text.matches('?').count())
                        .sum()
                })
                .collect();
            let most = questions.iter().copied().max().unwrap_or(0);
            if most > 0 && questions.iter().filter(|&&q| q == most).count() == 1 {
                if let Some(k) = questions.iter().position(|&q| q == most) {
                    score[k] += 1;
                    reasons[k].push(notes::asked_most(most));
                }
            }
            let best = (0..n)
                .max_by_key(|&k| (score[k], std::cmp::Reverse(k)))
                .unwrap_or(0);
            let why = if reasons[best].is_empty() {
                vec![notes::NO_CUE.to_string()]
            } else {
                std::mem::take(&mut reasons[best])
            };
            (best, why)
        }
    };
    for track in &mut t.tracks {
        track.role = if track.id == chosen {
            Role::Employee
        } else {
            Role::Citizen
        };
    }
    notes::employee_chosen(&speaker_name(chosen), &why)
}

/// Adds each voice's role to its label: "A (employee)".
fn label_with_roles(tracks: &mut [Track]) {
    for track in tracks {
        track.speaker = format!("{} ({})", track.speaker, track.role);
    }
}
