//! Measure 6: whether the transcript's text can be trusted.

use crate::config::QualityConfig;
use crate::talk::ratio;
use crate::text::{tokens, word_count, Lexicon};
use crate::WordList;
use medlyt_core::{Lang, Transcript};
use serde::{Deserialize, Serialize};

/// A plain statement about the input a reader must know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The mean word probability is below the threshold.
    LowMeanProbability {
        /// The mean.
        mean: f64,
        /// The threshold.
        threshold: f64,
    },
    /// Too many words have a low probability.
    ManyUncertainWords {
        /// Share of low-probability words.
        share: f64,
        /// The threshold.
        threshold: f64,
    },
    /// The detected language is not the analysed one.
    LanguageMismatch {
        /// The language the analysis used.
        expected: String,
        /// The language the model heard.
        detected: String,
    },
    /// Text that speech recognition is known to invent (e.g. subtitle credits).
    InventedText {
        /// Start of the segment.
        at: f64,
        /// The phrase.
        phrase: String,
    },
    /// No track has the employee role.
    NoEmployee,
    /// No track has the citizen role.
    NoCitizen,
    /// Tracks with an unknown role were left out.
    UnknownSpeakers {
        /// How many.
        tracks: usize,
    },
}

/// Measure 6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Mean word probability (1 for hand-written text).
    pub mean_word_probability: f64,
    /// Share of words below `quality.low_word_probability`.
    pub low_word_share: f64,
    /// Words counted.
    pub words: usize,
    /// Whether text-based measures (questions, cues, structure, language) are uncertain.
    pub text_uncertain: bool,
    /// What the reader must know.
    pub warnings: Vec<Warning>,
    /// How sure the words are in the parts of the call that findings of absence rest on:
    /// where a part is unsure, what was not found there is reported as not checked.
    #[serde(default)]
    pub parts: PartSureness,
    /// How the transcript was made, as its maker noted it: for a mono recording, how the voices
    /// were told apart (method, confidence) and why a voice was taken as the employee.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// How sure the words of one part of the call are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sureness {
    /// Words counted.
    pub words: usize,
    /// Mean word probability (1 where there are no words).
    pub mean_word_probability: f64,
    /// Share of words below `quality.low_word_probability`.
    pub low_word_share: f64,
    /// Words in neither the language's word list nor the analysis's lexicons (where a word
    /// list is installed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_words: Option<usize>,
    /// Whether the words are too unsure to tell whether something is absent: the mean is
    /// below `quality.min_mean_probability`, too many words are unsure or unknown, or the
    /// call is in another language than the one analysed.
    pub unsure: bool,
}

/// How sure the words are in each part of the call a finding of absence rests on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PartSureness {
    /// The employee's opening (the structure's opening window).
    pub opening: Sureness,
    /// The employee's closing (the structure's closing window).
    pub closing: Sureness,
    /// Everything the employee said (questions, jargon, language).
    pub employee: Sureness,
    /// Everything the citizen said.
    pub citizen: Sureness,
}

impl Default for Sureness {
    fn default() -> Self {
        Sureness {
            words: 0,
            mean_word_probability: 1.0,
            low_word_share: 0.0,
            unknown_words: None,
            unsure: false,
        }
    }
}

/// The sureness of the words of `segments`, judged by their probabilities and, where a word
/// list is given, by how many are not words of the language; `other_language` makes any words
/// unsure.
pub(crate) fn sureness<'a>(
    segments: impl IntoIterator<Item = &'a medlyt_core::Segment>,
    config: &QualityConfig,
    words_list: Option<&WordList>,
    other_language: bool,
) -> Sureness {
    let mut sum = 0.0;
    let mut words = 0usize;
    let mut low = 0usize;
    let (mut unknown, mut looked_up) = (0usize, 0usize);
    for s in segments {
        if let Some(list) = words_list {
            let (n, of) = unknown_words(s, list);
            unknown += n;
            looked_up += of;
        }
        if s.words.is_empty() {
            let n = word_count(&s.text);
            let p = sane(s.probability);
            sum += p * n as f64;
            words += n;
            if p < config.low_word_probability {
                low += n;
            }
        } else {
            for w in &s.words {
                let p = sane(w.probability);
                sum += p;
                words += 1;
                low += usize::from(p < config.low_word_probability);
            }
        }
    }
    let unknown = words_list.map(|_| (unknown, looked_up));
    let mean = if words > 0 { sum / words as f64 } else { 1.0 };
    let low_word_share = ratio(low as f64, words as f64);
    let unknown_share = unknown.map_or(0.0, |(n, of)| ratio(n as f64, of as f64));
    let unsure = words > 0
        && (mean < config.min_mean_probability
            || low_word_share > config.max_low_word_share
            || unknown_share > config.max_unknown_share
            || other_language);
    Sureness {
        words,
        mean_word_probability: mean,
        low_word_share,
        unknown_words: unknown.map(|(n, _)| n),
        unsure,
    }
}

/// (words not in `list`, words looked up): tokens with digits are numbers, and a capitalised
/// word inside a sentence is a name, so neither is looked up.
fn unknown_words(s: &medlyt_core::Segment, list: &WordList) -> (usize, usize) {
    let mut unknown = 0;
    let mut looked_up = 0;
    let mut sentence_start = true;
    for word in s.text.split_whitespace() {
        let name = !sentence_start && word.chars().next().is_some_and(char::is_uppercase);
        sentence_start = word.ends_with(['.', '?', '!']);
        for token in tokens(word) {
            if name
                || token
                    .chars()
                    .any(|c| !c.is_alphabetic() && c != '-' && c != '\'')
            {
                continue;
            }
            looked_up += 1;
            unknown += usize::from(!list.knows(&token));
        }
    }
    (unknown, looked_up)
}

/// The detected language where it is not the analysed one and the detection can be trusted
/// (a hand-written statement, or at least an even chance).
fn language_mismatch(t: &Transcript, lang: Lang) -> Option<&str> {
    t.language
        .detected_at_least(0.5)
        .filter(|d| !d.eq_ignore_ascii_case(lang.code()))
}

pub(crate) fn measure(t: &Transcript, lang: Lang, config: &QualityConfig) -> Quality {
    let all = sureness(&t.segments, config, None, false);
    let (mean, low_word_share) = (all.mean_word_probability, all.low_word_share);
    let mut warnings = Vec::new();
    let mut uncertain = false;
    if mean < config.min_mean_probability {
        uncertain = true;
        warnings.push(Warning::LowMeanProbability {
            mean,
            threshold: config.min_mean_probability,
        });
    }
    if low_word_share > config.max_low_word_share {
        uncertain = true;
        warnings.push(Warning::ManyUncertainWords {
            share: low_word_share,
            threshold: config.max_low_word_share,
        });
    }
    // A detection the model itself doubts (short or unclear speech) says little: only one
    // without a probability (hand-written) or with at least an even chance counts.
    if let Some(detected) = language_mismatch(t, lang) {
        uncertain = true;
        warnings.push(Warning::LanguageMismatch {
            expected: lang.code().to_string(),
            detected: detected.to_string(),
        });
    }
    let invented = Lexicon::new(&config.hallucinations);
    for s in &t.segments {
        if let Some(hit) = invented.first(&tokens(&s.text)) {
            warnings.push(Warning::InventedText {
                at: s.start,
                phrase: hit.phrase,
            });
        }
    }
    let has = |r| t.tracks.iter().any(|k| k.role == r);
    if !has(medlyt_core::Role::Employee) {
        warnings.push(Warning::NoEmployee);
    }
    if !has(medlyt_core::Role::Citizen) {
        warnings.push(Warning::NoCitizen);
    }
    let unknown = t
        .tracks
        .iter()
        .filter(|k| k.role == medlyt_core::Role::Unknown)
        .count();
    if unknown > 0 {
        warnings.push(Warning::UnknownSpeakers { tracks: unknown });
    }
    Quality {
        mean_word_probability: mean,
        low_word_share,
        words: all.words,
        text_uncertain: uncertain,
        parts: PartSureness::default(),
        warnings,
        notes: t.notes.clone(),
    }
}

/// The sureness of each part: `opening` and `closing` are the segment indices of the
/// employee's utterances in the structure's windows.
pub(crate) fn parts(
    t: &Transcript,
    config: &crate::Config,
    opening: &[usize],
    closing: &[usize],
) -> PartSureness {
    let other = language_mismatch(t, config.lang).is_some();
    let (q, list) = (&config.quality, config.words.as_deref());
    let of = |idx: &[usize]| {
        let segs = idx.iter().filter_map(|&i| t.segments.get(i));
        sureness(segs, q, list, other)
    };
    let by = |role: medlyt_core::Role| {
        let segs = t.segments.iter().filter(move |s| t.role_of(s) == role);
        sureness(segs, q, list, other)
    };
    PartSureness {
        opening: of(opening),
        closing: of(closing),
        employee: by(medlyt_core::Role::Employee),
        citizen: by(medlyt_core::Role::Citizen),
    }
}

/// A probability in 0-1; a missing or broken one counts as 0 (not trusted).
fn sane(p: f32) -> f64 {
    let p = f64::from(p);
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}
