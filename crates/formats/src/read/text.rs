//! Plain-text notes: one `Name: utterance` per line, optionally led by a time such as `[00:12]`,
//! `00:12` or `(1:02:03)`.
//!
//! A time alone on its line applies to the next speaker line. Blank lines and lines without a
//! `Name:` continue the previous turn; lines before the first
//! speaker are skipped. Where a turn has no time, its start is estimated from the words before
//! it ([`WORDS_PER_SECOND`] and [`TURN_GAP`]); a turn's end is always estimated from its words,
//! cut at the next turn's given start.

use crate::build::{build, Turn};
use crate::error::Place;
use crate::limits::{check_counts, check_time};
use crate::timestamp::parse_clock;
use crate::FormatError;
use medlyt_core::Transcript;

/// Speaking rate assumed where times are missing (words per second; calm Danish speech).
const WORDS_PER_SECOND: f64 = 2.5;
/// Pause assumed between turns where times are missing, in seconds.
const TURN_GAP: f64 = 0.4;
/// Shortest estimated turn, in seconds.
const MIN_TURN: f64 = 0.4;
/// Longest speaker name in characters, and most words in it.
const MAX_NAME_CHARS: usize = 40;
const MAX_NAME_WORDS: usize = 4;

/// A turn as written, before times are settled.
struct Written {
    speaker: String,
    start: Option<f64>,
    text: String,
    /// The line (from 1) it starts on.
    line: usize,
}

/// Reads plain-text notes into a transcript.
pub(super) fn read(text: &str, employee: Option<&str>) -> Result<Transcript, FormatError> {
    let mut turns: Vec<Written> = Vec::new();
    let mut skipped = 0usize;
    // A time alone on its line applies to the next speaker line.
    let mut pending: Option<f64> = None;
    for (i, line) in text.lines().enumerate() {
        let (time, rest) = split_time(line, i + 1)?;
        if time.is_some() && rest.trim().is_empty() {
            pending = time;
            continue;
        }
        match split_speaker(rest) {
            Some((name, said)) => {
                check_counts(Place::Line(i + 1), turns.len() + 1, 0)?;
                turns.push(Written {
                    speaker: name.to_string(),
                    start: time.or(pending.take()),
                    text: said.to_string(),
                    line: i + 1,
                });
            }
            None => match turns.last_mut() {
                Some(last) => {
                    last.text.push(' ');
                    last.text.push_str(line.trim());
                }
                None if line.trim().is_empty() => {}
                None => skipped += 1,
            },
        }
    }
    if turns.iter().all(|t| t.text.trim().is_empty()) {
        return Err(FormatError::NoSpeakers);
    }
    let all_timed = turns.iter().all(|t| t.start.is_some());
    let mut t = build(settle_times(turns), "transcript/text", employee)?;
    t.notes.push(if all_timed {
        format!(
            "times: start times are from the file; turn ends are estimated from word counts \
             ({WORDS_PER_SECOND} words per second), so speaking-time and pause measures are rough"
        )
    } else {
        format!(
            "times: the file has no times for some or all turns, so times are estimated from word \
             counts ({WORDS_PER_SECOND} words per second, {TURN_GAP} s between turns); only text \
             measures are reliable"
        )
    });
    if skipped > 0 {
        t.notes.push(format!(
            "{skipped} lines before the first 'Name: utterance' line were skipped"
        ));
    }
    Ok(t)
}

/// Whether `text` reads as speaker notes: its first line (after lines holding only a time) is
/// a `Name: utterance` line, and at least two speakers have lines.
pub(super) fn speaker_notes(text: &str) -> bool {
    // A note may open with a title line or two ("Notat fra opkald om boligstøtte, 12. marts")
    // before the first speaker.
    // A Markdown heading makes it a document, and "Note: ...", "Owner: ..." lines of a
    // README are not a conversation: it takes three speaker lines of at least two speakers.
    const TITLE_LINES: usize = 2;
    const SPEAKER_LINES: usize = 3;
    let mut speakers: Vec<&str> = Vec::new();
    let mut before_first = 0;
    let mut speaker_lines = 0;
    if text.trim_start().starts_with('#') {
        return false;
    }
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (time, rest) = split_time(line, 0).unwrap_or((None, ""));
        if time.is_some() && rest.trim().is_empty() {
            continue;
        }
        match split_speaker(rest) {
            Some((name, _)) => {
                if !speakers.contains(&name) {
                    speakers.push(name);
                }
                speaker_lines += 1;
                if speakers.len() >= 2 && speaker_lines >= SPEAKER_LINES {
                    return true;
                }
            }
            None if speakers.is_empty() => {
                before_first += 1;
                if before_first > TITLE_LINES {
                    return false;
                }
            }
            None => {}
        }
    }
    false
}

/// Whether `text` has at least one `Name: utterance` line (used to sniff files).
pub(super) fn has_speaker_line(text: &str) -> bool {
    text.lines().any(|line| {
        split_time(line, 0)
            .ok()
            .and_then(|(_, rest)| split_speaker(rest))
            .is_some()
    })
}

/// Gives every turn a start and an end (see the module documentation).
fn settle_times(written: Vec<Written>) -> Vec<Turn> {
    let next_given: Vec<Option<f64>> = (0..written.len())
        .map(|i| written.get(i + 1).and_then(|w| w.start))
        .collect();
    let mut cursor: Option<f64> = None;
    let mut out = Vec::with_capacity(written.len());
    for (w, next) in written.into_iter().zip(next_given) {
        let words = w.text.split_whitespace().count() as f64;
        let length = (words / WORDS_PER_SECOND).max(MIN_TURN);
        let start = w
            .start
            .unwrap_or_else(|| cursor.map_or(0.0, |c| c + TURN_GAP));
        let mut end = start + length;
        if let Some(next) = next.filter(|&n| n > start) {
            end = end.min(next);
        }
        cursor = Some(end);
        out.push(Turn {
            speaker: w.speaker,
            marked: None,
            start,
            end,
            text: w.text,
            line: w.line,
        });
    }
    out
}

/// Splits a leading time off `line`. A bracketed `[..]`/`(..)` or bare leading token made only of
/// digits, `:`, `.` and `,` (with a `:`) is a time and must be valid; anything else is not a time.
fn split_time(line: &str, line_no: usize) -> Result<(Option<f64>, &str), FormatError> {
    let trimmed = line.trim_start();
    let (token, rest) = match trimmed.chars().next() {
        Some(open @ ('[' | '(')) => {
            let close = if open == '[' { ']' } else { ')' };
            match trimmed.find(close) {
                Some(end) => (&trimmed[1..end], &trimmed[end + 1..]),
                None => return Ok((None, trimmed)),
            }
        }
        Some(c) if c.is_ascii_digit() => {
            let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
            (&trimmed[..end], &trimmed[end..])
        }
        _ => return Ok((None, trimmed)),
    };
    let token = token.trim();
    let bracketed = !trimmed.starts_with(|c: char| c.is_ascii_digit());
    let looks_like_time = token.contains(':')
        && token.starts_with(|c: char| c.is_ascii_digit())
        && (bracketed
            || (!token.ends_with(':')
                && token
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))));
    if !looks_like_time {
        return Ok((None, trimmed));
    }
    let Some(secs) = parse_clock(token) else {
        return Err(FormatError::Timestamp {
            line: line_no,
            found: token.chars().take(40).collect(),
        });
    };
    check_time(Place::Line(line_no), "start", secs)?;
    let rest = rest
        .trim_start()
        .trim_start_matches(['-', '–', '—'])
        .trim_start();
    Ok((Some(secs), rest))
}

/// Splits `Name: utterance`. The name must look like a name: start with a letter, have at most
/// [`MAX_NAME_WORDS`] words and [`MAX_NAME_CHARS`] characters, and no sentence punctuation.
pub(super) fn split_speaker(line: &str) -> Option<(&str, &str)> {
    let (name, said) = line.split_once(':')?;
    let name = name.trim();
    let ok = name.starts_with(char::is_alphabetic)
        && name.chars().count() <= MAX_NAME_CHARS
        && name.split_whitespace().count() <= MAX_NAME_WORDS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '_'))
        && !said.starts_with("//");
    ok.then(|| (name, said.trim()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn splits_leading_times_in_three_styles() {
        assert_eq!(
            split_time("[00:12] Anna: hej", 1).unwrap(),
            (Some(12.0), "Anna: hej")
        );
        assert_eq!(
            split_time("00:12 - Anna: hej", 1).unwrap(),
            (Some(12.0), "Anna: hej")
        );
        assert_eq!(
            split_time("(1:02:03) Bo: ja", 1).unwrap(),
            (Some(3723.0), "Bo: ja")
        );
        assert_eq!(
            split_time("(griner) Bo: ja", 1).unwrap(),
            (None, "(griner) Bo: ja")
        );
        assert_eq!(split_time("2 børn", 1).unwrap(), (None, "2 børn"));
    }

    #[test]
    fn malformed_times_name_the_line() {
        let err = split_time("[00:7x] Anna: hej", 4).unwrap_err();
        assert!(err.to_string().contains("line 4"), "{err}");
        assert!(split_time("00:99 Anna: hej", 2).is_err());
        assert_eq!(split_time("12: tolv", 1).unwrap(), (None, "12: tolv"));
        assert_eq!(split_time("10.30 ring", 1).unwrap(), (None, "10.30 ring"));
    }

    #[test]
    fn times_past_a_day_name_the_line() {
        let err = split_time("[25:00:00] Anna: hej", 6).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::TooLong {
                    place: Place::Line(6),
                    ..
                }
            ),
            "{err}"
        );
        assert!(split_time("[24:00:00] Anna: hej", 6).is_ok());
    }

    #[test]
    fn speaker_names_must_look_like_names() {
        assert_eq!(
            split_speaker("Anna Jensen: Goddag"),
            Some(("Anna Jensen", "Goddag"))
        );
        assert_eq!(split_speaker("Borger 2:"), Some(("Borger 2", "")));
        assert_eq!(split_speaker("Se https://x.dk"), None);
        assert_eq!(split_speaker("https://x.dk: a"), None);
        assert_eq!(split_speaker("Det sagde hun i går, og: nej"), None);
        assert_eq!(split_speaker("Husk at ringe til hende igen: nu"), None);
        assert_eq!(split_speaker("12: tolv"), None);
    }

    #[test]
    fn estimates_missing_times_and_cuts_at_given_starts() {
        let w = |s: &str, t: Option<f64>, text: &str| Written {
            speaker: s.into(),
            start: t,
            text: text.into(),
            line: 1,
        };
        let turns = settle_times(vec![
            w("A", None, "en to tre fire fem"),
            w("B", None, "ja"),
            w("A", Some(2.5), "et to tre fire fem seks syv otte ni ti"),
            w("B", Some(4.0), "ok"),
        ]);
        assert_eq!((turns[0].start, turns[0].end), (0.0, 2.0));
        assert!((turns[1].start - 2.4).abs() < 1e-9);
        assert!((turns[1].end - 2.5).abs() < 1e-9, "cut at the next start");
        assert_eq!((turns[2].start, turns[2].end), (2.5, 4.0));
        assert!((turns[3].end - 4.4).abs() < 1e-9);
    }
}

#[cfg(test)]
mod sniff_tests {
    use super::speaker_notes;

    #[test]
    fn a_note_with_a_title_line_is_still_a_transcript() {
        let note = "Notat fra opkald om boligstøtte, 12. marts\n\nMedarbejder: Goddag.\n\
                    Borger: Hej.\nMedarbejder: Hvad kan jeg hjælpe med?\n";
        assert!(speaker_notes(note));
        let headed = "# Calls from March\n\nNote: recorded in March.\nOwner: team 3\n";
        assert!(!speaker_notes(headed));
        assert!(!speaker_notes("Title\nNote: x\nOwner: y\n"));
        let readme = "# medlyt\n\nSome text.\nMore text.\nUsage: run it\nNote: see below\n";
        assert!(!speaker_notes(readme));
        assert!(!speaker_notes(
            "Medarbejder: Goddag.\nMedarbejder: Er du der?\n"
        ));
    }
}
