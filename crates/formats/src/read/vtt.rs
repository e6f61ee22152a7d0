//! WebVTT as Microsoft Teams exports it: `<v Anna Jensen>Hej</v>` voice tags name the speakers.
//!
//! Cue ids, cue settings, `NOTE`, `STYLE` and `REGION` blocks are accepted and ignored. Hours are
//! optional in times (`01:02.345`). Text outside a voice tag belongs to the speaker `unknown`.
//! Voice-tag classes naming a role (`<v.employee Anna>`, as medlyt writes them) mark that role.
//! A cue with several voices is split in time in proportion to each voice's text length.
//! Speakers named after a role (`employee`, `medarbejder`, `citizen`, `borger`) mark that role.

use crate::build::{build, Turn};
use crate::error::Place;
use crate::limits::{check_counts, check_time, MAX_LINE_BYTES};
use crate::roles::UNKNOWN_SPEAKER;
use crate::timestamp::parse_clock;
use crate::FormatError;
use medlyt_core::{Role, Transcript};

/// Reads WebVTT text into a transcript.
pub(super) fn read(text: &str, employee: Option<&str>) -> Result<Transcript, FormatError> {
    let mut all = blocks(text);
    // Blocks of non-blank lines; the first block is the header.
    let header_ok = all
        .next()
        .and_then(|(_, block)| {
            block
                .first()
                .and_then(|l| l.trim_start_matches('\u{feff}').strip_prefix("WEBVTT"))
        })
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !header_ok {
        return Err(FormatError::NoVttHeader);
    }

    let mut turns = Vec::new();
    let mut unknown_cues = 0usize;
    for (block_start, block) in all {
        let Some(timing) = block.iter().position(|l| l.contains("-->")) else {
            continue; // NOTE, STYLE, REGION or stray text
        };
        check_cue_size(block_start, &block)?;
        let line_no = block_start + timing + 1;
        let (start, end) = parse_timing(block[timing], line_no)?;
        check_counts(Place::Line(line_no), turns.len() + 1, 0)?;
        let pieces = voices(&block[timing + 1..].join("\n"));
        if pieces.iter().any(|p| p.speaker == UNKNOWN_SPEAKER) {
            unknown_cues += 1;
        }
        let chars: usize = pieces.iter().map(|p| p.text.chars().count()).sum();
        let mut used = 0usize;
        for p in pieces {
            let from = start + (end - start) * used as f64 / chars.max(1) as f64;
            used += p.text.chars().count();
            let to = start + (end - start) * used as f64 / chars.max(1) as f64;
            turns.push(Turn {
                speaker: p.speaker,
                marked: p.marked,
                start: from,
                end: to,
                text: p.text,
                line: line_no,
            });
        }
    }
    if turns.is_empty() {
        return Err(FormatError::NoCues);
    }
    let mut t = build(turns, "transcript/webvtt", employee)?;
    if unknown_cues > 0 {
        t.notes.push(format!(
            "{unknown_cues} cues have no voice tag; their speaker is 'unknown' with the role unknown"
        ));
    }
    Ok(t)
}

/// The blocks of `text`, separated by blank lines, one at a time, each with the index (from 0) of
/// its first line.
pub(super) fn blocks(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    let mut lines = text.lines().enumerate();
    std::iter::from_fn(move || {
        let mut current: Option<(usize, Vec<&str>)> = None;
        for (i, line) in lines.by_ref() {
            if line.trim().is_empty() {
                if current.is_some() {
                    break;
                }
            } else {
                current.get_or_insert_with(|| (i, Vec::new())).1.push(line);
            }
        }
        current
    })
}

/// Checks that a cue (a block starting at line index `start`) is at most [`MAX_LINE_BYTES`].
pub(super) fn check_cue_size(start: usize, block: &[&str]) -> Result<(), FormatError> {
    let bytes: usize = block.iter().map(|l| l.len() + 1).sum();
    if bytes > MAX_LINE_BYTES {
        return Err(FormatError::CueTooLong {
            line: start + 1,
            bytes,
            limit: MAX_LINE_BYTES,
        });
    }
    Ok(())
}

/// Reads `00:01:02.345 --> 00:01:05.000 [settings]`; both times must be within
/// [`crate::MAX_CALL_SECONDS`].
pub(super) fn parse_timing(line: &str, line_no: usize) -> Result<(f64, f64), FormatError> {
    let (left, right) = line.split_once("-->").unwrap_or((line, ""));
    let start_text = left.trim();
    let end_text = right.split_whitespace().next().unwrap_or("");
    let clock = |s: &str| {
        parse_clock(s).ok_or_else(|| FormatError::Timestamp {
            line: line_no,
            found: s.chars().take(40).collect(),
        })
    };
    let (start, end) = (clock(start_text)?, clock(end_text)?);
    check_time(Place::Line(line_no), "start", start)?;
    check_time(Place::Line(line_no), "end", end)?;
    if end < start {
        return Err(FormatError::CueOrder {
            line: line_no,
            start,
            end,
        });
    }
    Ok((start, end))
}

/// Text of one voice within a cue.
#[derive(Debug, PartialEq)]
struct Piece {
    speaker: String,
    marked: Option<Role>,
    text: String,
}

/// Splits a cue's payload into the text of each voice, dropping other tags and decoding entities.
fn voices(payload: &str) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut voice: Option<(String, Option<Role>)> = None;
    let mut text = String::new();
    let mut flush = |voice: &Option<(String, Option<Role>)>, text: &mut String| {
        let clean = decode_entities(&text.split_whitespace().collect::<Vec<_>>().join(" "));
        text.clear();
        if clean.is_empty() {
            return;
        }
        let (speaker, marked) = voice
            .clone()
            .unwrap_or_else(|| (UNKNOWN_SPEAKER.to_string(), None));
        match pieces.last_mut() {
            Some(last) if last.speaker == speaker => {
                last.text.push(' ');
                last.text.push_str(&clean);
            }
            _ => pieces.push(Piece {
                speaker,
                marked,
                text: clean,
            }),
        }
    };
    let mut rest = payload;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        if let Some(annotation) = tag
            .strip_prefix('v')
            .filter(|a| a.is_empty() || a.starts_with(['.', ' ', '\t']))
        {
            flush(&voice, &mut text);
            voice = Some(parse_voice(annotation));
        } else if tag.trim() == "/v" {
            flush(&voice, &mut text);
            voice = None;
        } else if !text.ends_with(' ') && tag.trim_start().starts_with(|c: char| c.is_ascii_digit())
        {
            text.push(' '); // a karaoke timestamp tag between words
        }
    }
    text.push_str(rest);
    flush(&voice, &mut text);
    pieces
}

/// `text` without tags and with entities decoded, on one line.
pub(super) fn clean_text(text: &str) -> String {
    voices(text)
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `.class1.class2 Name` after `<v`: the name and any role a class names.
fn parse_voice(annotation: &str) -> (String, Option<Role>) {
    let (classes, name) = match annotation.strip_prefix('.') {
        Some(c) => c.split_once([' ', '\t']).unwrap_or((c, "")),
        None => ("", annotation),
    };
    let marked = classes.split('.').find_map(|c| match c {
        "employee" | "citizen" | "unknown" => c.parse::<Role>().ok(),
        _ => None,
    });
    let name = decode_entities(name.trim());
    if name.is_empty() {
        (UNKNOWN_SPEAKER.to_string(), None)
    } else {
        (name, marked)
    }
}

/// Longest character reference name decoded (`&#1114111;` has 8 characters before the `;`).
const MAX_ENTITY: usize = 10;

/// Decodes the character references WebVTT text uses (`&amp;`, `&lt;`, `&#229;` and so on).
/// Each `&` looks at most [`MAX_ENTITY`] bytes ahead for its `;`, so the time is linear in the
/// text's length.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semicolon = after.bytes().take(MAX_ENTITY + 1).position(|b| b == b';');
        let decoded = semicolon.and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "lrm" | "rlm" => Some('\u{200b}'),
                _ => numeric_entity(name),
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                if c != '\u{200b}' {
                    out.push(c);
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn numeric_entity(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn splits_voices_and_drops_other_tags() {
        let p =
            voices("<v.employee Anna Jensen>Hej <b>med</b> dig</v>\n<v Bo>Ja &amp; nej</v> tak");
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].speaker, "Anna Jensen");
        assert_eq!(p[0].marked, Some(Role::Employee));
        assert_eq!(p[0].text, "Hej med dig");
        assert_eq!(p[1].text, "Ja & nej");
        assert_eq!(p[2].speaker, UNKNOWN_SPEAKER);
    }

    #[test]
    fn survives_broken_tags_and_entities() {
        let p = voices("<v Anna>a &#xZZ; &#1114112; &amp <i");
        assert_eq!(p[0].text, "a &#xZZ; &#1114112; &amp <i");
        assert_eq!(decode_entities("&#229;&lrm;&lt;"), "å<");
    }

    #[test]
    fn entity_decoding_is_linear() {
        let amps = "&".repeat(10_000_000);
        let started = std::time::Instant::now();
        assert_eq!(decode_entities(&amps).len(), amps.len());
        let mixed = "&amp".repeat(1_000_000) + ";";
        assert_eq!(
            decode_entities(&mixed).len(),
            mixed.len() - 4,
            "the last one decodes"
        );
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
        assert_eq!(decode_entities("&#1114111;x"), "\u{10ffff}x");
    }

    #[test]
    fn blocks_come_one_at_a_time_with_their_first_line() {
        let b: Vec<(usize, Vec<&str>)> = blocks("\n\nWEBVTT\n\n\na\nb\n \nc").collect();
        assert_eq!(
            b,
            vec![(2, vec!["WEBVTT"]), (5, vec!["a", "b"]), (8, vec!["c"])]
        );
    }

    #[test]
    fn cues_past_the_limits_name_their_line() {
        let err = parse_timing("10000:00:00.000 --> 10000:00:01.000", 5).unwrap_err();
        assert!(
            matches!(
                err,
                FormatError::TooLong {
                    place: Place::Line(5),
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("24 h"), "{err}");
        let big = "x".repeat(MAX_LINE_BYTES);
        let err = check_cue_size(3, &["00:01.000 --> 00:02.000", &big]).unwrap_err();
        assert!(
            matches!(err, FormatError::CueTooLong { line: 4, .. }),
            "{err}"
        );
    }

    #[test]
    fn timing_errors_name_the_line() {
        let err = parse_timing("00:01.000 --> 00:0x.000", 7).unwrap_err();
        assert!(err.to_string().contains("line 7"), "{err}");
        let err = parse_timing("00:02.000 --> 00:01.000", 3).unwrap_err();
        assert!(matches!(err, FormatError::CueOrder { line: 3, .. }));
        assert_eq!(
            parse_timing("00:01.000 --> 00:00:02.500 align:start", 1).unwrap(),
            (1.0, 2.5)
        );
    }
}
