//! Turns the speaker turns a reader found into a [`Transcript`].

use crate::error::Place;
use crate::limits::{check_counts, check_time, MAX_LINE_BYTES};
use crate::roles::{assign_roles, Speaker};
use crate::FormatError;
use medlyt_core::{LanguageInfo, Recording, Role, Segment, Track, Transcript, Word};
use std::collections::HashMap;

/// One timed piece of text by one speaker, as a reader found it.
#[derive(Debug, Clone)]
pub(crate) struct Turn {
    pub speaker: String,
    /// The role the file marks for the speaker, if any.
    pub marked: Option<Role>,
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// The line (from 1) of the file the turn starts on, for errors.
    pub line: usize,
}

/// Builds the transcript: one track per speaker (in order of first appearance, names compared
/// case-insensitively), one segment per turn, words spread over each segment. A turn ending past
/// [`crate::MAX_CALL_SECONDS`], a turn's text longer than [`MAX_LINE_BYTES`], or more turns or
/// words than the limits, is an error naming the turn's line.
pub(crate) fn build(
    turns: Vec<Turn>,
    codec: &str,
    employee: Option<&str>,
) -> Result<Transcript, FormatError> {
    let mut speakers: Vec<Speaker> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut segments = Vec::with_capacity(turns.len());
    let mut words = 0usize;
    for turn in turns {
        let text = turn.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let place = Place::Line(turn.line);
        if text.len() > MAX_LINE_BYTES {
            return Err(FormatError::TextTooLong {
                place,
                bytes: text.len(),
                limit: MAX_LINE_BYTES,
            });
        }
        check_time(place, "start", turn.start)?;
        check_time(place, "end", turn.end)?;
        words += text.split(' ').count();
        check_counts(place, segments.len() + 1, words)?;
        let track = *by_name
            .entry(turn.speaker.to_lowercase())
            .or_insert_with(|| {
                speakers.push(Speaker {
                    name: turn.speaker.clone(),
                    marked: None,
                });
                speakers.len() - 1
            });
        let marked = turn.marked.or_else(|| role_named(&turn.speaker));
        if let (Some(slot), Some(marked)) = (speakers.get_mut(track), marked) {
            slot.marked.get_or_insert(marked);
        }
        let (start, end) = (turn.start.max(0.0), turn.end.max(turn.start).max(0.0));
        segments.push(Segment {
            track,
            start,
            end,
            words: spread_words(&text, start, end),
            text,
            probability: 1.0,
            loudness_dbfs: None,
        });
    }
    let (roles, role_note) = assign_roles(&speakers, employee)?;

    let duration = segments.iter().map(|s| s.end).fold(0.0, f64::max);
    let language = detect_language(segments.iter().map(|s| s.text.as_str()));
    let mut t = Transcript::new(
        Recording {
            source: "-".to_string(),
            duration,
            sample_rate: 0,
            channels: 0,
            codec: codec.to_string(),
        },
        language,
    );
    t.tracks = speakers
        .into_iter()
        .zip(roles)
        .enumerate()
        .map(|(id, (s, role))| Track {
            id,
            channel: None,
            role,
            speaker: s.name,
            speech: Vec::new(),
        })
        .collect();
    t.segments = segments;
    t.sort_segments();
    t.notes.push(role_note);
    Ok(t)
}

/// The role a speaker label names, for labels that are a role (as medlyt writes them for
/// transcribed calls) in English or Danish.
fn role_named(speaker: &str) -> Option<Role> {
    match speaker.trim().to_lowercase().as_str() {
        "employee" | "medarbejder" => Some(Role::Employee),
        "citizen" | "borger" => Some(Role::Citizen),
        _ => None,
    }
}

/// Splits `text` into words and gives each a share of `start..end` in proportion to its length in
/// characters, back to back.
pub(crate) fn spread_words(text: &str, start: f64, end: f64) -> Vec<Word> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let total: usize = words.iter().map(|w| w.chars().count()).sum();
    let span = (end - start).max(0.0);
    let mut used = 0usize;
    words
        .iter()
        .map(|w| {
            let len = w.chars().count();
            let from = start + span * used as f64 / total.max(1) as f64;
            used += len;
            let to = start + span * used as f64 / total.max(1) as f64;
            Word {
                text: (*w).to_string(),
                start: from,
                end: to,
                probability: 1.0,
            }
        })
        .collect()
}

/// Common short words of Danish and English (none in both lists).
const DANISH: &[&str] = &[
    "og", "det", "er", "jeg", "ikke", "at", "en", "til", "på", "har", "du", "vi", "kan", "med",
    "den", "så", "hvad", "hej", "nej", "ja", "godt", "tak", "skal", "vil", "af", "mig", "dig",
];
const ENGLISH: &[&str] = &[
    "the", "and", "is", "not", "to", "you", "we", "can", "with", "it", "what", "hello", "no",
    "yes", "thanks", "will", "have", "of", "that", "my", "me", "are",
];

/// Language of the text, by counting common Danish and English words. Requested is `auto` (no
/// one asked for a language); detected is set where at least 5 such words were found, with the
/// winning language's share of them as the probability.
pub(crate) fn detect_language<'a>(texts: impl Iterator<Item = &'a str>) -> LanguageInfo {
    let (mut da, mut en) = (0usize, 0usize);
    for text in texts {
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let w = word.to_lowercase();
            if DANISH.contains(&w.as_str()) {
                da += 1;
            } else if ENGLISH.contains(&w.as_str()) {
                en += 1;
            }
        }
    }
    let mut info = LanguageInfo {
        requested: "auto".to_string(),
        ..Default::default()
    };
    if da + en >= 5 {
        let (code, n) = if da >= en { ("da", da) } else { ("en", en) };
        info.detected = Some(code.to_string());
        info.probability = Some(n as f32 / (da + en) as f32);
    }
    info
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn words_share_the_segment_by_length() {
        let w = spread_words("ab abcd  ab", 1.0, 3.0);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].text, "ab");
        assert!((w[0].start - 1.0).abs() < 1e-9 && (w[0].end - 1.5).abs() < 1e-9);
        assert!((w[1].end - 2.5).abs() < 1e-9);
        assert!((w[2].end - 3.0).abs() < 1e-9);
        assert!(spread_words("   ", 0.0, 1.0).is_empty());
    }

    #[test]
    fn detects_danish_and_english_and_stays_silent_on_little_text() {
        let da = detect_language(["Hej, det er Anna. Jeg kan ikke høre dig."].into_iter());
        assert_eq!(da.detected.as_deref(), Some("da"));
        let en = detect_language(["Hello, it is what you have and that is it."].into_iter());
        assert_eq!(en.detected.as_deref(), Some("en"));
        let none = detect_language(["Goddag Anna"].into_iter());
        assert_eq!(none.detected, None);
    }

    #[test]
    fn speakers_merge_case_insensitively_and_empty_turns_drop() {
        let turn = |s: &str, t: &str, a: f64| Turn {
            speaker: s.into(),
            marked: None,
            start: a,
            end: a + 1.0,
            text: t.into(),
            line: 1,
        };
        let t = build(
            vec![
                turn("Anna", "Goddag", 0.0),
                turn("bo", " ", 1.0),
                turn("ANNA", "ja", 2.0),
                turn("Bo", "hej", 3.0),
            ],
            "transcript/text",
            None,
        )
        .unwrap();
        assert_eq!(t.tracks.len(), 2);
        assert_eq!(t.tracks[0].speaker, "Anna");
        assert_eq!(t.tracks[1].role, Role::Citizen);
        assert_eq!(t.segments.len(), 3);
        assert_eq!(t.recording.duration, 4.0);
    }

    #[test]
    fn turns_past_the_limits_name_their_line() {
        let turn = |line: usize, end: f64| Turn {
            speaker: "Anna".into(),
            marked: None,
            start: 0.0,
            end,
            text: "hej".into(),
            line,
        };
        let err = build(vec![turn(1, 1.0), turn(7, 1e9)], "transcript/text", None).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::TooLong {
                    place: Place::Line(7),
                    ..
                }
            ),
            "{err}"
        );
        let many: Vec<Turn> = (0..=crate::MAX_SEGMENTS)
            .map(|i| turn(i + 1, 1.0))
            .collect();
        let err = build(many, "transcript/text", None).unwrap_err();
        assert!(matches!(err, FormatError::TooManySegments { .. }), "{err}");
    }

    #[test]
    fn many_speakers_are_matched_in_linear_time() {
        let turns: Vec<Turn> = (0..50_000)
            .map(|i| Turn {
                speaker: format!("Speaker {i}"),
                marked: None,
                start: i as f64,
                end: i as f64 + 0.5,
                text: "hej".into(),
                line: i + 1,
            })
            .collect();
        let started = std::time::Instant::now();
        let t = build(turns, "transcript/webvtt", None).unwrap();
        assert_eq!(t.tracks.len(), 50_000);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
