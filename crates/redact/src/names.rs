//! Names introduced by a cue: "jeg hedder Anna", "mit navn er Anna Jensen", "my name is Tom".

use crate::{Hit, Kind};
use regex::Regex;

/// Cues after which a name follows, Danish and English (matched without regard to case).
const CUES: &[&str] = &[
    r"jeg\s+hedder",
    r"(?:han|hun|som|der)\s+hedder",
    r"(?:min|mit|hans|hendes)\s+(?:\p{L}+\s+)?hedder",
    r"mit\s+navn\s+er",
    r"navnet\s+er",
    r"du\s+taler\s+med",
    r"det\s+er",
    r"my\s+name\s+is",
    r"my\s+name's",
    r"(?:i'm|i\s+am|he's|she's|is)\s+called",
    r"you're\s+speaking\s+(?:to|with)",
    r"you\s+are\s+speaking\s+(?:to|with)",
    r"this\s+is",
    r"i'm",
];

/// Cues strong enough that a lowercase word after them is taken as a name.
const STRONG: &[&str] = &["hedder", "navn er", "name is", "navnet er"];

/// Words that are never a name, even after a cue.
const NOT_NAMES: &[&str] = &[
    "ikke",
    "også",
    "bare",
    "jo",
    "nok",
    "faktisk",
    "desværre",
    "vist",
    "lige",
    "en",
    "et",
    "den",
    "det",
    "de",
    "fra",
    "med",
    "og",
    "i",
    "not",
    "the",
    "a",
    "an",
    "just",
    "also",
    "from",
    "with",
    "and",
    "sorry",
    "calling",
    "ringer",
    "here",
    "her",
    "glad",
    "happy",
    "afraid",
    "sure",
    "fine",
    "good",
    "okay",
    "ok",
    "borgerservice",
    "jobcenter",
    "kommunen",
    "ydelsesservice",
    "udbetaling",
    "citizen",
    "council",
    "services",
    "service",
    "the",
    "frustrated",
    "frustreret",
];

#[derive(Debug)]
pub(crate) struct NameCues {
    cue: Regex,
    word: Regex,
}

impl NameCues {
    pub(crate) fn new() -> Self {
        let cues: Vec<&str> = CUES.to_vec();
        let cue = format!(r"(?i)\b(?:{})\b[ \t]*,?[ \t]*", cues.join("|"));
        NameCues {
            cue: crate::patterns::compile(&cue),
            word: crate::patterns::compile(r"^[\p{L}][\p{L}'-]*"),
        }
    }

    /// The names after cues in `text`.
    pub(crate) fn find(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        for m in self.cue.find_iter(text) {
            let cue = m.as_str().to_lowercase();
            let strong = STRONG
                .iter()
                .any(|s| cue.trim_end_matches([' ', ',']).ends_with(s));
            let weak_det_er = cue.starts_with("det");
            if let Some((start, end)) = self.name_at(text, m.end(), strong) {
                // "det er Anna fra ..." only: "det er Borgerservice" is not a name.
                if weak_det_er && !followed_by(text, end, &["fra", "fra,"]) {
                    continue;
                }
                out.push(Hit {
                    kind: Kind::Name,
                    start,
                    end,
                });
            }
        }
        out
    }

    /// One to three capitalised words at `at` (or one lowercase word after a strong cue).
    fn name_at(&self, text: &str, at: usize, strong: bool) -> Option<(usize, usize)> {
        let mut end = at;
        let mut words = 0;
        let mut cursor = at;
        while words < 3 {
            let rest = text.get(cursor..)?;
            let Some(m) = self.word.find(rest) else { break };
            let w = m.as_str();
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            let lower = w.to_lowercase();
            if NOT_NAMES.contains(&lower.as_str()) || w.chars().count() < 2 {
                break;
            }
            if !capital && (!strong || words > 0) {
                break;
            }
            end = cursor + m.end();
            words += 1;
            if !capital {
                break;
            }
            // Next word only after a single space.
            let after = text.get(end..).unwrap_or_default();
            if !after.starts_with(' ') {
                break;
            }
            cursor = end + 1;
        }
        (words > 0).then_some((at, end))
    }
}

fn followed_by(text: &str, end: usize, words: &[&str]) -> bool {
    let next = text
        .get(end..)
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    words.contains(&next.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        NameCues::new()
            .find(text)
            .iter()
            .map(|h| &text[h.start..h.end])
            .collect()
    }

    #[test]
    fn names_after_cues() {
        assert_eq!(
            names("Goddag, mit navn er Anna Jensen, og jeg ringer"),
            ["Anna Jensen"]
        );
        assert_eq!(names("Hej, det er Mette fra Borgerservice"), ["Mette"]);
        assert_eq!(names("Hi, my name is Tom Baker."), ["Tom Baker"]);
        assert!(names("Det er Borgerservice, hvad kan jeg hjælpe med?").is_empty());
        assert!(names("jeg hedder ikke noget").is_empty());
    }
}
