//! A language's word list: whether a transcript's words are words of the language at all.
//!
//! Whisper can be sure of words that do not exist ("Både med at med tilfammer" for "Goddag,
//! det er Mette"): word probabilities alone do not show that text is garbled. A share of words
//! that are in no dictionary does. Danish compounds are open-ended, so a word is also known
//! where it splits into two known words, with or without a linking `s` or `e`.

use std::collections::HashSet;
use std::fmt;

/// The shortest part of a compound that is looked up on its own.
const MIN_PART: usize = 3;

/// Words of one language, lowercased.
#[derive(Clone, Default)]
pub struct WordList {
    words: HashSet<String>,
}

impl WordList {
    /// One word per line (a system dictionary such as `/usr/share/dict/danish`); lines with
    /// spaces or an apostrophe-s are kept as they are, empty lines are skipped.
    pub fn parse(text: &str) -> WordList {
        let words = text
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        WordList { words }
    }

    /// Adds words (e.g. the analysis's own cue and jargon lexicons).
    pub fn extend<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        self.words.extend(words.into_iter().map(str::to_lowercase));
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether it holds no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether `word` (a lowercased token) is a word of the language: listed, a hyphenated
    /// pair of known words, or a compound of two known words (with a linking `s` or `e`).
    pub fn knows(&self, word: &str) -> bool {
        if self.words.contains(word) {
            return true;
        }
        if let Some((a, b)) = word.split_once('-') {
            return self.knows(a) && self.knows(b);
        }
        self.compound(word)
    }

    fn compound(&self, word: &str) -> bool {
        let cuts = word.char_indices().map(|(i, _)| i).skip(MIN_PART);
        for cut in cuts {
            let (head, tail) = word.split_at(cut);
            if tail.chars().count() < MIN_PART {
                break;
            }
            let linked = |t: &str| {
                self.words.contains(t)
                    || ["s", "e"].iter().any(|l| {
                        t.strip_prefix(l).is_some_and(|r| {
                            r.chars().count() >= MIN_PART && self.words.contains(r)
                        })
                    })
            };
            if self.words.contains(head) && linked(tail) {
                return true;
            }
        }
        false
    }
}

impl fmt::Debug for WordList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WordList({} words)", self.words.len())
    }
}

impl PartialEq for WordList {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> WordList {
        WordList::parse("borger\nservice\njob\ncentret\nhjælp\nGoddag\nsag\nbehandler\n")
    }

    #[test]
    fn listed_words_and_compounds_are_known() {
        let l = list();
        assert!(l.knows("goddag"));
        assert!(l.knows("borgerservice"));
        assert!(l.knows("jobcentret"));
        assert!(l.knows("sagsbehandler"));
        assert!(l.knows("borger-service"));
        assert!(!l.knows("tilfammer"));
        assert!(!l.knows("borgerxyz"));
        assert!(!l.knows("bo"));
    }

    #[test]
    fn words_can_be_added() {
        let mut l = list();
        assert!(!l.knows("mitid"));
        l.extend(["MitID"]);
        assert!(l.knows("mitid"));
        assert_eq!(l.len(), 9);
    }
}
