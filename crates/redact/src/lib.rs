//! Redaction of personal data in medlyt transcripts and texts.
//!
//! Call archives are anonymised before their figures leave the machine: [`Redactor::redact`]
//! finds CPR numbers, phone numbers, e-mail addresses, street addresses and names introduced by a
//! cue ("jeg hedder", "mit navn er", "my name is"), in Danish and English, and replaces each with a
//! placeholder such as `[CPR]`. [`redact_transcript`] does it for a whole call: every segment and
//! word, and speaker labels, and it also removes later mentions of a name learnt from a cue.
//!
//! CPR numbers are found by their form (six digits of a plausible date, then four digits) and are
//! never rejected for failing the old modulus-11 check: numbers issued since 2007 often fail it.
//!
//! The precision and recall on the committed test set (`data/*.tsv`) are printed by
//! `cargo run -p medlyt-redact --example eval_redaction`; see [`eval`] for the file format.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod eval;
mod names;
mod patterns;
mod transcript;

pub use transcript::{redact_transcript, TranscriptRedaction};

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of personal data a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A Danish CPR number (personnummer).
    Cpr,
    /// A phone number.
    Phone,
    /// An e-mail address (written or spoken: "snabel-a", "at ... dot").
    Email,
    /// A street address or postcode.
    Address,
    /// A person's name introduced by a cue, or learnt from one.
    Name,
}

impl Kind {
    /// Every kind, in the order they are looked for.
    pub const ALL: [Kind; 5] = [
        Kind::Cpr,
        Kind::Email,
        Kind::Phone,
        Kind::Address,
        Kind::Name,
    ];

    /// The lowercase name used in test files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Cpr => "cpr",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Address => "address",
            Kind::Name => "name",
        }
    }

    /// The text that replaces a span of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Cpr => "[CPR]",
            Kind::Phone => "[PHONE]",
            Kind::Email => "[EMAIL]",
            Kind::Address => "[ADDRESS]",
            Kind::Name => "[NAME]",
        }
    }

    /// The kind named `s` (as in [`Kind::as_str`]).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One span of personal data: byte offsets into the text it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// What it is.
    pub kind: Kind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Hit {
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// Finds and replaces personal data. Holds the compiled patterns; build it once and share it.
#[derive(Debug)]
pub struct Redactor {
    patterns: patterns::Patterns,
    names: names::NameCues,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    /// A redactor for Danish and English text.
    pub fn new() -> Self {
        Redactor {
            patterns: patterns::Patterns::new(),
            names: names::NameCues::new(),
        }
    }

    /// The spans of personal data in `text`, sorted and without overlaps.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let add = |found: Vec<Hit>, hits: &mut Vec<Hit>| {
            for h in found {
                if !hits.iter().any(|o| o.overlaps(h.start, h.end)) {
                    hits.push(h);
                }
            }
        };
        add(self.patterns.cpr(text), &mut hits);
        add(self.patterns.email(text), &mut hits);
        add(self.patterns.phone(text), &mut hits);
        add(self.patterns.address(text), &mut hits);
        add(self.names.find(text), &mut hits);
        hits.sort_by_key(|h| h.start);
        hits
    }

    /// `text` with every span found replaced by its placeholder.
    pub fn redact(&self, text: &str) -> String {
        replace(text, &self.find(text))
    }

    /// Names introduced by a cue in `text` (each as written), for removing later mentions.
    pub fn cued_names<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.names
            .find(text)
            .into_iter()
            .filter_map(|h| text.get(h.start..h.end))
            .collect()
    }
}

/// `text` with the spans `hits` (sorted, not overlapping) replaced by their placeholders.
pub fn replace(text: &str, hits: &[Hit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for h in hits {
        if h.start < at || h.end > text.len() {
            continue;
        }
        out.push_str(text.get(at..h.start).unwrap_or_default());
        out.push_str(h.kind.placeholder());
        at = h.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_each_kind_with_its_placeholder() {
        let r = Redactor::new();
        let out = r
            .redact("Mit navn er Anna Jensen, CPR 120385-1234, tlf. 20 30 40 50, anna@example.dk.");
        assert_eq!(out, "Mit navn er [NAME], CPR [CPR], tlf. [PHONE], [EMAIL].");
    }

    #[test]
    fn keeps_text_without_personal_data() {
        let r = Redactor::new();
        let s = "Det koster 2.500 kr. om måneden fra 1. marts 2024, kl. 10.30.";
        assert_eq!(r.redact(s), s);
    }
}
