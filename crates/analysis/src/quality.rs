//! Measure 6: whether the transcript's text can be trusted.

use crate::config::QualityConfig;
use crate::talk::ratio;
use crate::text::{tokens, word_count, Lexicon};
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
    /// How the transcript was made, as its maker noted it: for a mono recording, how the voices
    /// were told apart (method, confidence) and why a voice was taken as the employee.
    #[serde(default)]
    pub notes: Vec<String>,
}

pub(crate) fn measure(t: &Transcript, lang: Lang, config: &QualityConfig) -> Quality {
    let mut sum = 0.0;
    let mut words = 0usize;
    let mut low = 0usize;
    for s in &t.segments {
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
    let mean = if words > 0 { sum / words as f64 } else { 1.0 };
    let low_word_share = ratio(low as f64, words as f64);
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
    if let Some(detected) = t.language.detected_at_least(0.5) {
        if !detected.eq_ignore_ascii_case(lang.code()) {
            uncertain = true;
            warnings.push(Warning::LanguageMismatch {
                expected: lang.code().to_string(),
                detected: detected.to_string(),
            });
        }
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
        words,
        text_uncertain: uncertain,
        warnings,
        notes: t.notes.clone(),
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
