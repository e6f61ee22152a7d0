//! RTTM, the plain-text "who spoke when" format that diarization scorers read (NIST RT,
//! dscore, pyannote.metrics): one line per speaker turn,
//!
//! ```text
//! SPEAKER <file> <channel> <start s> <duration s> <NA> <NA> <speaker> <NA> <NA>
//! ```
//!
//! [`write`] turns a [`Diarization`] into such lines (speakers named A, B, C, D as in the
//! reports); [`parse`] reads the `SPEAKER` lines of a reference file, so recordings labelled
//! elsewhere can be scored (see `crates/diarize/examples/eval_diarization.rs`).

use crate::{speaker_name, Diarization};

/// A reference file's line that is not a valid `SPEAKER` record.
#[derive(Debug, thiserror::Error)]
#[error("RTTM line {line}: {reason}")]
pub struct RttmError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// One `SPEAKER` line.
#[derive(Debug, Clone, PartialEq)]
pub struct RttmTurn {
    /// The file (recording) it belongs to.
    pub file: String,
    /// The speaker's name.
    pub speaker: String,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
}

/// The turns of `d` as RTTM lines for the recording `file` (spaces in it become `_`: a field
/// may not hold one).
pub fn write(d: &Diarization, file: &str) -> String {
    let id: String = file
        .chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect();
    let id = if id.is_empty() {
        "recording".into()
    } else {
        id
    };
    d.turns
        .iter()
        .filter(|t| t.span.end > t.span.start)
        .map(|t| {
            format!(
                "SPEAKER {id} 1 {:.3} {:.3} <NA> <NA> {} <NA> <NA>\n",
                t.span.start,
                t.span.end - t.span.start,
                speaker_name(t.speaker)
            )
        })
        .collect()
}

/// The `SPEAKER` lines of an RTTM text; other record types (`SPKR-INFO`, `LEXEME`, ...), blank
/// lines and `;;` or `#` comments are skipped. A `SPEAKER` line needs at least eight fields, a
/// start of zero or more and a duration of zero or more (zero-length turns are dropped).
pub fn parse(text: &str) -> Result<Vec<RttmTurn>, RttmError> {
    let mut turns = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.first() != Some(&"SPEAKER") {
            continue;
        }
        let err = |reason: String| RttmError {
            line: i + 1,
            reason,
        };
        if fields.len() < 8 {
            return Err(err(format!(
                "a SPEAKER line has at least 8 fields, this one {}",
                fields.len()
            )));
        }
        let number = |k: usize, what: &str| {
            fields[k]
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| err(format!("{what} {:?} is not a number >= 0", fields[k])))
        };
        let start = number(3, "start")?;
        let duration = number(4, "duration")?;
        if duration > 0.0 {
            turns.push(RttmTurn {
                file: fields[1].to_string(),
                speaker: fields[7].to_string(),
                start,
                end: start + duration,
            });
        }
    }
    Ok(turns)
}

/// The files named in `turns`, in order of first appearance.
pub fn files(turns: &[RttmTurn]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in turns {
        if !out.contains(&t.file) {
            out.push(t.file.clone());
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use crate::Turn;
    use medlyt_core::Span;

    fn diarization(turns: &[(f64, f64, usize)]) -> Diarization {
        Diarization {
            turns: turns
                .iter()
                .map(|&(a, b, s)| Turn {
                    span: Span::new(a, b),
                    speaker: s,
                })
                .collect(),
            overlaps: Vec::new(),
            speakers: 2,
            confidence: 0.5,
            method: String::new(),
        }
    }

    #[test]
    fn written_turns_read_back() {
        let d = diarization(&[(0.5, 2.25, 0), (2.0, 4.0, 1), (4.0, 4.0, 1)]);
        let text = write(&d, "my call");
        assert_eq!(text.lines().count(), 2, "the empty turn is left out");
        assert!(text.starts_with("SPEAKER my_call 1 0.500 1.750 <NA> <NA> A <NA> <NA>\n"));
        let back = parse(&text).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].speaker, "B");
        assert_eq!(back[1].file, "my_call");
        assert!((back[1].start - 2.0).abs() < 1e-9 && (back[1].end - 4.0).abs() < 1e-9);
    }

    #[test]
    fn other_records_and_comments_are_skipped() {
        let text =
            ";; made by hand\n# another note\nSPKR-INFO f 1 <NA> <NA> <NA> unknown anna <NA>\n\
                    \nSPEAKER f 1 1.0 2.0 <NA> <NA> anna <NA> <NA>\nSPEAKER g 1 0 1 <NA> <NA> bo\n";
        let t = parse(text).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(files(&t), vec!["f".to_string(), "g".to_string()]);
        assert_eq!(t[0].end, 3.0);
    }

    #[test]
    fn bad_lines_name_their_number() {
        let short = parse("SPEAKER f 1 1.0 2.0\n").unwrap_err();
        assert_eq!(short.line, 1);
        assert!(short.reason.contains("8 fields"), "{short}");
        let bad = parse("\nSPEAKER f 1 x 2.0 <NA> <NA> a <NA> <NA>\n").unwrap_err();
        assert_eq!(bad.line, 2);
        assert!(bad.to_string().contains("start \"x\""), "{bad}");
        let negative = parse("SPEAKER f 1 1 -2 <NA> <NA> a <NA> <NA>\n").unwrap_err();
        assert!(negative.reason.contains("duration"), "{negative}");
    }
}
