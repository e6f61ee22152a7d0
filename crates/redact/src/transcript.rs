//! Redacting a whole call transcript: segments, words and speaker labels.

use crate::{replace, Hit, Kind, Redactor};
use medlyt_core::{Role, Transcript};
use regex::Regex;

/// What [`redact_transcript`] removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TranscriptRedaction {
    /// Spans replaced, per kind, in the order of [`Kind::ALL`].
    pub counts: Vec<(Kind, usize)>,
    /// Speaker labels replaced by the role name.
    pub speakers: usize,
}

impl TranscriptRedaction {
    /// Spans replaced in all.
    pub fn total(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

/// Redacts `t` in place. Names learnt from a cue anywhere in the call (and from speaker labels
/// that are names) are also removed where they are mentioned without a cue. Word texts are
/// replaced where they fall in a redacted span, so the number of words and their times stay as
/// they were and the measures do not change.
pub fn redact_transcript(redactor: &Redactor, t: &mut Transcript) -> TranscriptRedaction {
    let mut learnt: Vec<String> = Vec::new();
    for s in &t.segments {
        for name in redactor.cued_names(&s.text) {
            learnt.extend(name_tokens(name));
        }
    }
    let mut speakers = 0;
    for track in &mut t.tracks {
        let label = track.speaker.trim();
        let is_role = label.parse::<Role>().is_ok() || label.is_empty() || generic_label(label);
        if !is_role {
            learnt.extend(name_tokens(label));
            track.speaker = track.role.as_str().to_string();
            speakers += 1;
        }
    }
    learnt.sort();
    learnt.dedup();
    let mentions = mention_pattern(&learnt);
    let mut counts: Vec<(Kind, usize)> = Kind::ALL.iter().map(|k| (*k, 0)).collect();
    for s in &mut t.segments {
        let hits = find_all(redactor, mentions.as_ref(), &s.text);
        if hits.is_empty() {
            continue;
        }
        for h in &hits {
            if let Some(c) = counts.iter_mut().find(|(k, _)| *k == h.kind) {
                c.1 += 1;
            }
        }
        redact_words(redactor, mentions.as_ref(), &s.text, &hits, &mut s.words);
        s.text = replace(&s.text, &hits);
    }
    TranscriptRedaction { counts, speakers }
}

fn generic_label(label: &str) -> bool {
    let l = label.to_lowercase();
    [
        "speaker",
        "taler",
        "medarbejder",
        "borger",
        "employee",
        "citizen",
        "ukendt",
        "unknown",
    ]
    .iter()
    .any(|g| l.starts_with(g))
}

/// The words of a name worth matching elsewhere (two letters or more, capitalised).
fn name_tokens(name: &str) -> Vec<String> {
    name.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2 && w.chars().next().is_some_and(char::is_uppercase))
        .map(str::to_string)
        .collect()
}

fn mention_pattern(names: &[String]) -> Option<Regex> {
    if names.is_empty() {
        return None;
    }
    let alternatives: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    Regex::new(&format!(
        r"\b(?:{})(?:\s+(?:{}))*\b",
        alternatives.join("|"),
        alternatives.join("|")
    ))
    .ok()
}

/// Spans from the redactor plus mentions of learnt names, sorted and without overlaps.
fn find_all(redactor: &Redactor, mentions: Option<&Regex>, text: &str) -> Vec<Hit> {
    let mut hits = redactor.find(text);
    if let Some(re) = mentions {
        for m in re.find_iter(text) {
            if !hits.iter().any(|h| h.overlaps(m.start(), m.end())) {
                hits.push(Hit {
                    kind: Kind::Name,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        hits.sort_by_key(|h| h.start);
    }
    hits
}

fn redact_words(
    redactor: &Redactor,
    mentions: Option<&Regex>,
    text: &str,
    hits: &[Hit],
    words: &mut [medlyt_core::Word],
) {
    let mut cursor = 0;
    for w in words {
        let needle = w.text.trim();
        if needle.is_empty() {
            continue;
        }
        match text.get(cursor..).and_then(|rest| rest.find(needle)) {
            Some(pos) => {
                let start = cursor + pos;
                let end = start + needle.len();
                cursor = end;
                if let Some(h) = hits.iter().find(|h| h.overlaps(start, end)) {
                    w.text = h.kind.placeholder().to_string();
                }
            }
            None => {
                // The word is not in the segment's text as written: redact it on its own.
                let own = find_all(redactor, mentions, &w.text);
                if !own.is_empty() {
                    w.text = replace(&w.text, &own);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use medlyt_core::{LanguageInfo, Recording, Segment, Track, Word};

    fn seg(track: usize, text: &str) -> Segment {
        let words = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                text: w.to_string(),
                start: i as f64,
                end: i as f64 + 0.5,
                probability: 1.0,
            })
            .collect();
        Segment {
            track,
            start: 0.0,
            end: 1.0,
            text: text.to_string(),
            probability: 1.0,
            words,
            loudness_dbfs: None,
        }
    }

    #[test]
    fn learnt_names_and_speakers_are_removed_everywhere() {
        let rec = Recording {
            source: "x.json".into(),
            duration: 10.0,
            sample_rate: 0,
            channels: 0,
            codec: "json".into(),
        };
        let mut t = Transcript::new(rec, LanguageInfo::default());
        t.tracks.push(Track {
            id: 0,
            channel: None,
            role: Role::Employee,
            speaker: "Mette Hansen".into(),
            speech: vec![],
        });
        t.tracks.push(Track {
            id: 1,
            channel: None,
            role: Role::Citizen,
            speaker: "Borger".into(),
            speech: vec![],
        });
        t.segments.push(seg(
            1,
            "Jeg hedder Karsten Holm og mit nummer er 20 30 40 50",
        ));
        t.segments.push(seg(0, "Tak Karsten, og tak fra Mette"));
        let r = redact_transcript(&Redactor::new(), &mut t);
        assert_eq!(
            t.segments[0].text,
            "Jeg hedder [NAME] og mit nummer er [PHONE]"
        );
        assert_eq!(t.segments[1].text, "Tak [NAME], og tak fra [NAME]");
        assert_eq!(t.tracks[0].speaker, "employee");
        assert_eq!(t.tracks[1].speaker, "Borger");
        assert_eq!(t.segments[0].words.len(), 12);
        assert_eq!(t.segments[0].words[2].text, "[NAME]");
        assert_eq!(t.segments[0].words[8].text, "[PHONE]");
        assert_eq!(r.speakers, 1);
        assert_eq!(r.total(), 4);
    }
}
