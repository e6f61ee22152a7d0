//! The limits on what a transcript may hold, and the checks of its times.
//!
//! Every reader keeps to these limits, so the memory and time medlyt spends on a transcript
//! grow with the size of its text, never with a number written in it. The limits are described
//! in `docs/transcript-format.md` (section "Limits and checks").

use crate::error::Place;
use crate::FormatError;
use medlyt_core::Transcript;

/// The longest call medlyt reads: 24 hours of audio or transcript time, in seconds.
pub const MAX_CALL_SECONDS: f64 = 24.0 * 3600.0;
/// The longest line of a WebVTT, SRT or text transcript, the largest WebVTT or SRT cue and the
/// longest segment text of transcript JSON, in bytes (64 KiB).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// The most segments (cues, turns) in one transcript.
pub const MAX_SEGMENTS: usize = 100_000;
/// The most words in one transcript (counted as the text's words, and as word entries).
pub const MAX_WORDS: usize = 1_000_000;
/// How far (in seconds) a time of transcript JSON may lie past the recording's duration and be
/// cut back to it (with a note), rather than rejected: rounding in the tool that wrote it.
pub const END_SLACK_S: f64 = 1.0;

/// Checks that no line of `text` is longer than [`MAX_LINE_BYTES`]; one pass over the bytes.
pub(crate) fn check_lines(text: &str) -> Result<(), FormatError> {
    let mut line = 1usize;
    let mut start = 0usize;
    let bytes = text.as_bytes();
    let check = |line: usize, from: usize, to: usize| {
        let mut len = to - from;
        if len > 0 && bytes[to - 1] == b'\r' {
            len -= 1;
        }
        if len > MAX_LINE_BYTES {
            Err(FormatError::LineTooLong {
                line,
                bytes: len,
                limit: MAX_LINE_BYTES,
            })
        } else {
            Ok(())
        }
    };
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            check(line, start, i)?;
            line += 1;
            start = i + 1;
        }
    }
    check(line, start, bytes.len())
}

/// Checks a time a reader found in a file at `place`: finite, not negative, within
/// [`MAX_CALL_SECONDS`].
pub(crate) fn check_time(place: Place, what: &'static str, t: f64) -> Result<(), FormatError> {
    if !t.is_finite() {
        return Err(FormatError::BadTime {
            place,
            problem: format!("the {what} time is not a finite number"),
        });
    }
    if t < 0.0 {
        return Err(FormatError::BadTime {
            place,
            problem: format!("the {what} time {t:.3} s is negative"),
        });
    }
    if t > MAX_CALL_SECONDS {
        return Err(FormatError::TooLong {
            place,
            seconds: t,
            limit: MAX_CALL_SECONDS,
        });
    }
    Ok(())
}

/// Checks a start and end at `place`: each a valid time, and the end not before the start.
fn check_span(place: Place, start: f64, end: f64) -> Result<(), FormatError> {
    check_time(place, "start", start)?;
    check_time(place, "end", end)?;
    if end < start {
        return Err(FormatError::BadTime {
            place,
            problem: format!("it ends ({end:.3} s) before it starts ({start:.3} s)"),
        });
    }
    Ok(())
}

/// Checks that `place`'s `end` is within the recording's `duration`: past it by at most
/// [`END_SLACK_S`] is cut back (`true`), further is an error.
fn within(place: Place, end: f64, duration: f64) -> Result<bool, FormatError> {
    if end <= duration {
        Ok(false)
    } else if end <= duration + END_SLACK_S {
        Ok(true)
    } else {
        Err(FormatError::BadTime {
            place,
            problem: format!(
                "it ends at {end:.3} s, past the end of the recording ({duration:.3} s, \
                 `recording.duration`)"
            ),
        })
    }
}

/// Checks the counts read so far against [`MAX_SEGMENTS`] and [`MAX_WORDS`].
pub(crate) fn check_counts(place: Place, segments: usize, words: usize) -> Result<(), FormatError> {
    if segments > MAX_SEGMENTS {
        return Err(FormatError::TooManySegments {
            place,
            limit: MAX_SEGMENTS,
        });
    }
    if words > MAX_WORDS {
        return Err(FormatError::TooManyWords {
            place,
            limit: MAX_WORDS,
        });
    }
    Ok(())
}

/// Checks a transcript JSON: the duration, every segment's, word's and speech span's times,
/// the length of each text, and the counts. Times up to [`END_SLACK_S`] past the duration are
/// cut back to it, with a note; everything else that is wrong is an error naming the segment.
pub(crate) fn check_transcript(t: &mut Transcript) -> Result<(), FormatError> {
    let duration = t.recording.duration;
    check_time(Place::Duration, "duration", duration)?;
    let mut words = 0usize;
    let mut cut = 0usize;
    let mut cut_by = 0.0f64;
    let mut word_fixes = 0usize;
    for (i, s) in t.segments.iter_mut().enumerate() {
        let place = Place::Segment(i);
        if s.text.len() > MAX_LINE_BYTES {
            return Err(FormatError::TextTooLong {
                place,
                bytes: s.text.len(),
                limit: MAX_LINE_BYTES,
            });
        }
        words += s.text.split_whitespace().count().max(s.words.len());
        check_counts(place, i + 1, words)?;
        check_span(place, s.start, s.end)?;
        if within(place, s.end, duration)? {
            cut += 1;
            cut_by = cut_by.max(s.end - duration);
            s.end = duration;
            s.start = s.start.min(duration);
        }
        for (k, w) in s.words.iter_mut().enumerate() {
            let place = Place::Word(i, k);
            check_time(place, "start", w.start)?;
            check_time(place, "end", w.end)?;
            if w.end < w.start {
                w.end = w.start;
                word_fixes += 1;
            }
            if within(place, w.end, duration)? {
                cut += 1;
                cut_by = cut_by.max(w.end - duration);
                w.end = duration;
                w.start = w.start.min(duration);
            }
        }
    }
    for track in &mut t.tracks {
        let id = track.id;
        for (k, span) in track.speech.iter_mut().enumerate() {
            let place = Place::Speech(id, k);
            check_span(place, span.start, span.end)?;
            if within(place, span.end, duration)? {
                cut += 1;
                cut_by = cut_by.max(span.end - duration);
                span.end = duration;
                span.start = span.start.min(duration);
            }
        }
    }
    if cut > 0 {
        t.notes.push(format!(
            "times: {cut} times ended up to {cut_by:.3} s past the end of the recording \
             ({duration:.3} s) and were cut back to it"
        ));
    }
    if word_fixes > 0 {
        t.notes.push(format!(
            "times: {word_fixes} words ended before they started; their end was set to their start"
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_found_in_one_pass() {
        assert!(check_lines("a\r\nb\n").is_ok());
        let long = format!("ok\n{}\nok", "x".repeat(MAX_LINE_BYTES + 1));
        let err = check_lines(&long).unwrap_err();
        assert!(
            matches!(err, FormatError::LineTooLong { line: 2, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("line 2"), "{err}");
        let exact = format!("{}\r\n", "x".repeat(MAX_LINE_BYTES));
        assert!(check_lines(&exact).is_ok());
    }

    #[test]
    fn times_must_be_finite_positive_and_within_a_day() {
        let p = Place::Line(3);
        assert!(check_time(p, "start", 0.0).is_ok());
        assert!(check_time(p, "start", MAX_CALL_SECONDS).is_ok());
        let err = check_time(p, "start", 1e9).unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
        assert!(err.to_string().contains("24 h"), "{err}");
        assert!(check_time(p, "start", f64::NAN).is_err());
        assert!(check_time(p, "end", f64::INFINITY).is_err());
        let err = check_time(p, "start", -1.0).unwrap_err();
        assert!(err.to_string().contains("negative"), "{err}");
        assert!(check_span(p, 2.0, 1.0).is_err());
    }

    #[test]
    fn counts_are_limited() {
        assert!(check_counts(Place::Line(1), MAX_SEGMENTS, MAX_WORDS).is_ok());
        let err = check_counts(Place::Line(9), MAX_SEGMENTS + 1, 0).unwrap_err();
        assert!(err.to_string().contains("100000 segments"), "{err}");
        assert!(err.to_string().contains("line 9"), "{err}");
        let err = check_counts(Place::Segment(4), 1, MAX_WORDS + 1).unwrap_err();
        assert!(err.to_string().contains("1000000 words"), "{err}");
    }
}
