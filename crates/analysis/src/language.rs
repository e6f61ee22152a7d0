//! Measure 5b: readability (LIX) of the employee's speech and legal or bureaucratic jargon.

use crate::config::LanguageConfig;
use crate::talk::ratio;
use crate::text::{quote, Lexicon};
use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

/// The common LIX bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LixBand {
    /// Below the first band.
    VeryEasy,
    /// Easy.
    Easy,
    /// Medium.
    Medium,
    /// Hard.
    Hard,
    /// Very hard.
    VeryHard,
}

/// A jargon term the employee used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JargonHit {
    /// Start of the utterance.
    pub at: f64,
    /// The lexicon entry that matched.
    pub term: String,
    /// The words as said.
    pub word: String,
    /// The utterance, shortened.
    pub quote: String,
    /// Whether the employee explained it (an explaining phrase after it in the same utterance,
    /// or in the employee's next utterance of the same turn).
    pub explained: bool,
}

/// Measure 5b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    /// LIX of the employee's speech (0 without words).
    pub lix: f64,
    /// Its band.
    pub band: LixBand,
    /// Words counted.
    pub words: usize,
    /// Sentences counted.
    pub sentences: usize,
    /// Words longer than `language.long_word` letters.
    pub long_words: usize,
    /// Every jargon term in time order.
    pub jargon: Vec<JargonHit>,
    /// Terms not explained.
    pub unexplained: usize,
}

pub(crate) fn band(lix: f64, bands: &[f64; 4]) -> LixBand {
    match bands.iter().filter(|b| lix >= **b).count() {
        0 => LixBand::VeryEasy,
        1 => LixBand::Easy,
        2 => LixBand::Medium,
        3 => LixBand::Hard,
        _ => LixBand::VeryHard,
    }
}

pub(crate) fn measure(tl: &Timeline, config: &LanguageConfig, turn_pause: f64) -> Language {
    let employee: Vec<_> = tl.utts.iter().filter(|u| u.party == 0).collect();
    let mut words = 0;
    let mut long_words = 0;
    let mut sentences = 0;
    for u in &employee {
        let lettered: Vec<&String> = u
            .toks
            .iter()
            .filter(|t| t.chars().any(char::is_alphabetic))
            .collect();
        if lettered.is_empty() {
            continue;
        }
        words += lettered.len();
        long_words += lettered
            .iter()
            .filter(|t| t.chars().filter(|c| c.is_alphabetic()).count() > config.long_word)
            .count();
        sentences += medlyt_questions::sentences(&u.text).len().max(1);
    }
    let lix = if words > 0 {
        ratio(words as f64, sentences as f64) + 100.0 * long_words as f64 / words as f64
    } else {
        0.0
    };
    let terms = Lexicon::new(&config.jargon);
    let explain = Lexicon::new(&config.explain);
    let mut jargon = Vec::new();
    for (k, u) in employee.iter().enumerate() {
        for hit in terms.find(&u.toks) {
            let later_here = explain
                .find(&u.toks)
                .iter()
                .any(|e| e.at >= hit.at + hit.len);
            let next = employee
                .get(k + 1)
                .filter(|v| v.start - u.end <= turn_pause)
                .is_some_and(|v| explain.first(&v.toks).is_some());
            jargon.push(JargonHit {
                at: u.start,
                word: hit.text,
                term: hit.phrase,
                quote: quote(&u.text, 14),
                explained: later_here || next,
            });
        }
    }
    Language {
        lix,
        band: band(lix, &config.lix_bands),
        words,
        sentences,
        long_words,
        unexplained: jargon.iter().filter(|j| !j.explained).count(),
        jargon,
    }
}
