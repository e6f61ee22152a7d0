//! Mono recordings: who speaks when, from the voices themselves ([`medlyt_diarize`]), and which
//! voice is the employee.

use medlyt_core::{notes, Role, Segment, Transcript, Word};
use medlyt_diarize::{assign, Diarization};

/// Speaker labels in the order the voices are first heard.
pub const LABELS: [&str; 4] = ["A", "B", "C", "D"];

/// Splits a segment between the diarized speakers: each word goes to the speaker who covers
/// most of it, and a segment spanning a change of speaker becomes one segment per speaker.
pub fn split_by_speaker(seg: Segment, d: &Diarization, samples: &[i16]) -> Vec<Segment> {
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
pub fn assign_roles(t: &mut Transcript, employee: Option<usize>) -> String {
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
    notes::employee_chosen(LABELS.get(chosen).copied().unwrap_or("?"), &why)
}
