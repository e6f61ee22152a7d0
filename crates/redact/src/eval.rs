//! Precision and recall of the redactor on a marked-up test set.
//!
//! A test file is UTF-8 text, one example per line: `LANG<TAB>TEXT`, where personal data in TEXT
//! is marked as `[[kind:the data]]` (kinds as in [`Kind::as_str`]). A line without marks is a
//! negative example: anything found in it is a false positive. Blank lines and lines starting with
//! `#` are ignored.
//!
//! A marked span is recalled when spans of the same kind cover it completely; a found span is
//! correct when it overlaps a marked span of the same kind.

use crate::{Hit, Kind, Redactor};

/// One example: the plain text and its marked spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// `da` or `en`.
    pub lang: String,
    /// The text without marks.
    pub text: String,
    /// The marked spans (byte offsets into `text`).
    pub gold: Vec<Hit>,
    /// Line number in the file (1-based).
    pub line: usize,
}

/// A line of a test file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    /// Line number (1-based).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// Reads a test file's text.
pub fn parse(text: &str) -> Result<Vec<Example>, ParseError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fail = |reason: &str| ParseError {
            line,
            reason: reason.to_string(),
        };
        let (lang, marked) = raw
            .split_once('\t')
            .ok_or_else(|| fail("no tab after the language"))?;
        let (text, gold) = unmark(marked).map_err(|r| fail(&r))?;
        out.push(Example {
            lang: lang.trim().to_string(),
            text,
            gold,
            line,
        });
    }
    Ok(out)
}

fn unmark(marked: &str) -> Result<(String, Vec<Hit>), String> {
    let mut text = String::with_capacity(marked.len());
    let mut gold = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find("[[") {
        text.push_str(&rest[..open]);
        let inner = &rest[open + 2..];
        let close = inner.find("]]").ok_or("a mark is not closed")?;
        let (kind, data) = inner[..close].split_once(':').ok_or("a mark has no kind")?;
        let kind = Kind::parse(kind).ok_or_else(|| format!("unknown kind '{kind}'"))?;
        let start = text.len();
        text.push_str(data);
        gold.push(Hit {
            kind,
            start,
            end: text.len(),
        });
        rest = &inner[close + 2..];
    }
    text.push_str(rest);
    Ok((text, gold))
}

/// Counts for one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Marked spans.
    pub gold: usize,
    /// Marked spans recalled.
    pub recalled: usize,
    /// Spans found.
    pub found: usize,
    /// Spans found that are correct.
    pub correct: usize,
}

impl Counts {
    /// Recall (1 when nothing was marked).
    pub fn recall(&self) -> f64 {
        ratio(self.recalled, self.gold)
    }

    /// Precision (1 when nothing was found).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.found)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// A missed or wrong span, for reading the evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// Line of the example.
    pub line: usize,
    /// The kind.
    pub kind: Kind,
    /// The text of the span.
    pub span: String,
    /// `true` for a marked span not recalled, `false` for a wrong span found.
    pub missed: bool,
}

/// The result per kind (in the order of [`Kind::ALL`]) and the errors.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// Counts per kind.
    pub kinds: Vec<(Kind, Counts)>,
    /// Every missed or wrong span.
    pub misses: Vec<Miss>,
}

impl Evaluation {
    /// The counts of `kind`.
    pub fn of(&self, kind: Kind) -> Counts {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }

    /// The figures for reading: one line per kind (gold, found, recall, precision), then every
    /// missed or wrong span.
    pub fn report(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        for (kind, c) in &self.kinds {
            let _ = writeln!(
                out,
                "{:<8} gold {:>3} found {:>3} recall {:>5.1} % precision {:>5.1} %",
                kind.as_str(),
                c.gold,
                c.found,
                100.0 * c.recall(),
                100.0 * c.precision()
            );
        }
        for m in &self.misses {
            let what = if m.missed { "missed" } else { "wrong" };
            let _ = writeln!(out, "{what} line {} {}: {}", m.line, m.kind, m.span);
        }
        out
    }
}

/// Runs `redactor` on every example and scores it.
pub fn evaluate(redactor: &Redactor, examples: &[Example]) -> Evaluation {
    let mut eval = Evaluation {
        kinds: Kind::ALL.iter().map(|k| (*k, Counts::default())).collect(),
        misses: Vec::new(),
    };
    for ex in examples {
        let found = redactor.find(&ex.text);
        for (kind, c) in &mut eval.kinds {
            let gold: Vec<&Hit> = ex.gold.iter().filter(|h| h.kind == *kind).collect();
            let mine: Vec<&Hit> = found.iter().filter(|h| h.kind == *kind).collect();
            c.gold += gold.len();
            c.found += mine.len();
            for g in &gold {
                if covered(g, &mine) {
                    c.recalled += 1;
                } else {
                    eval.misses.push(miss(ex, g, true));
                }
            }
            for m in &mine {
                if gold.iter().any(|g| g.overlaps(m.start, m.end)) {
                    c.correct += 1;
                } else {
                    eval.misses.push(miss(ex, m, false));
                }
            }
        }
    }
    eval
}

fn covered(g: &Hit, mine: &[&Hit]) -> bool {
    (g.start..g.end).all(|b| mine.iter().any(|m| m.start <= b && b < m.end))
}

fn miss(ex: &Example, h: &Hit, missed: bool) -> Miss {
    Miss {
        line: ex.line,
        kind: h.kind,
        span: ex.text.get(h.start..h.end).unwrap_or_default().to_string(),
        missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_spans() {
        let ex = parse("da\tRing på [[phone:20 30 40 50]] i dag\n# note\n\nen\tnothing here\n")
            .unwrap_or_default();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].text, "Ring på 20 30 40 50 i dag");
        assert_eq!(
            &ex[0].text[ex[0].gold[0].start..ex[0].gold[0].end],
            "20 30 40 50"
        );
        assert!(ex[1].gold.is_empty());
        assert!(parse("da\t[[nope:x]]").is_err());
    }
}
