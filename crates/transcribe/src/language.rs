//! The language Whisper decodes in: the one forced, Danish or English as heard (the default),
//! or any language heard where `auto` was asked; and the notes on how it was chosen.

use crate::channels::ChannelPlan;
use crate::engine::Engine;
use crate::options::Options;
use crate::plan::SpeechPlan;
use crate::TranscribeError;
use medlyt_core::{notes, LanguageInfo, DA_OR_EN};

/// Most seconds of speech the language is detected from: a whole first window (windows hold
/// up to 20 s). Measured on medlyt's Danish and English material (docs/transcription.md),
/// 6 s heard 7 of 35 Danish tuning recordings as English, 20 s none.
const LANGUAGE_SAMPLE_S: usize = 20;

/// How the note on a call that sounds like another language than the one forced begins.
pub const LANGUAGE_NOTE: &str = notes::LANGUAGE_MISMATCH;

/// How sure the language check must be before a transcript notes that the call sounds like
/// another language than the one forced.
const LANGUAGE_WARN_P: f32 = 0.8;

/// Share of the Danish and English probabilities English needs before a call is transcribed
/// as English when nothing was forced: below it, Danish (medlyt's first language) is kept.
pub const ENGLISH_MIN_SHARE: f32 = 0.6;

/// Fails for a language other than English asked of an English-only model.
pub(crate) fn check_model(opts: &Options) -> Result<(), TranscribeError> {
    let free = ["en", "auto", DA_OR_EN];
    if !opts.model.multilingual && !free.contains(&opts.language.as_str()) {
        return Err(TranscribeError::Language {
            language: opts.language.clone(),
            model: opts.model.name.clone(),
        });
    }
    Ok(())
}

/// The language to decode in, and how it was chosen.
pub(crate) struct LanguageDecision {
    /// The language code Whisper decodes in.
    pub code: String,
    /// The language detected where it was not forced, with its probability (for Danish or
    /// English: its share of the two).
    pub detected: Option<(String, f32)>,
    /// Where Danish was kept because the audio did not sound clearly English: English's
    /// probability.
    pub unclear_english: Option<f32>,
    /// Whether a forced language is also checked, on the busiest track's first window while
    /// Whisper decodes it (one decoder step).
    pub check: bool,
    /// Seconds of speech the detection heard (rounded up), where it ran.
    pub heard_s: usize,
}

/// Chooses the language: a forced one is kept; otherwise it is detected on the first seconds
/// of the busiest track's first window, among all languages for `auto` and between Danish
/// and English by default. Without speech: Danish by default, English for `auto`; an
/// English-only model decodes English.
pub(crate) fn decide(
    engine: &Engine,
    channels: &ChannelPlan,
    plan: &SpeechPlan,
    opts: &Options,
) -> Result<LanguageDecision, TranscribeError> {
    let free = opts.language == "auto" || opts.language == DA_OR_EN;
    let check = !free && opts.detect_language && opts.model.multilingual;
    let mut heard_s = 0;
    let scores = match plan.first_of_busiest() {
        Some((track, window)) if free && opts.model.multilingual => {
            let mut samples = channels.window_samples(track, window);
            samples.truncate(LANGUAGE_SAMPLE_S * 16000);
            heard_s = samples.len().div_ceil(16000);
            let mut state = engine.state()?;
            Some(engine.detect_language(&mut state, &samples, opts.threads)?)
        }
        _ => None,
    };
    let fallback = match opts.language.as_str() {
        _ if !opts.model.multilingual => "en",
        "auto" => "en",
        DA_OR_EN => "da",
        forced => forced,
    };
    let (detected, unclear_english) = match &scores {
        Some(p) if opts.language == DA_OR_EN => {
            let choice = da_or_en(prob(p, "da"), prob(p, "en"), top(p));
            (
                Some((choice.code.to_string(), choice.share)),
                choice.unclear,
            )
        }
        Some(p) => (best(p), None),
        None => (None, None),
    };
    let code = detected
        .as_ref()
        .map_or_else(|| fallback.to_string(), |(c, _)| c.clone());
    Ok(LanguageDecision {
        code,
        detected,
        unclear_english,
        check,
        heard_s,
    })
}

/// Danish or English, as chosen from the detector's probabilities.
#[derive(Debug, PartialEq)]
pub(crate) struct Choice {
    /// `da` or `en`.
    pub code: &'static str,
    /// The chosen language's share of the Danish and English probabilities.
    pub share: f32,
    /// Where Danish was kept because English was not clear: English's probability.
    pub unclear: Option<f32>,
}

/// Danish or English: English only where it is the most likely language of all (`p_top`) and
/// its share of the two is at least [`ENGLISH_MIN_SHARE`]; Danish otherwise, since medlyt's
/// calls are Danish first and Whisper's smaller models often hear Danish as another Nordic or
/// an unrelated language.
pub(crate) fn da_or_en(p_da: f32, p_en: f32, p_top: f32) -> Choice {
    let total = p_da + p_en;
    let en = if total > 0.0 && total.is_finite() {
        p_en / total
    } else {
        0.0
    };
    if en >= ENGLISH_MIN_SHARE && p_en >= p_top {
        return Choice {
            code: "en",
            share: en,
            unclear: None,
        };
    }
    Choice {
        code: "da",
        share: 1.0 - en,
        unclear: (p_da < p_top).then_some(p_en),
    }
}

/// The highest probability of any language.
fn top(probs: &[f32]) -> f32 {
    best(probs).map_or(0.0, |(_, p)| p)
}

/// The probability of one language.
fn prob(probs: &[f32], code: &str) -> f32 {
    whisper_rs::get_lang_id(code)
        .and_then(|id| usize::try_from(id).ok())
        .and_then(|id| probs.get(id).copied())
        .filter(|p| p.is_finite())
        .unwrap_or(0.0)
}

/// The most likely language, with its probability.
fn best(probs: &[f32]) -> Option<(String, f32)> {
    let (id, p) = probs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_finite())
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let code = whisper_rs::get_lang_str(i32::try_from(id).ok()?)?;
    Some((code.to_string(), *p))
}

/// What the transcript says about the language: the one requested and the one `heard` (by
/// detection or by the check), with its probability.
pub(crate) fn info(requested: &str, heard: Option<(String, f32)>) -> LanguageInfo {
    let (detected, probability) = heard.unzip();
    LanguageInfo {
        requested: requested.to_string(),
        detected,
        probability,
    }
}

/// The notes on the language: how it was chosen, a language heard that medlyt does not
/// analyse, and a forced language the call surely is not in.
pub(crate) fn notes(language: &LanguageInfo, decision: &LanguageDecision) -> Vec<String> {
    let mut out = Vec::new();
    match (&decision.detected, language.requested.as_str()) {
        (Some((code, _)), _) if decision.unclear_english.is_some() => {
            out.push(notes::language_default(
                code,
                decision.heard_s,
                decision.unclear_english.unwrap_or(0.0),
            ))
        }
        (Some((code, p)), requested) => out.push(notes::language_heard(
            code,
            *p,
            decision.heard_s,
            requested == DA_OR_EN,
        )),
        (None, "auto" | DA_OR_EN) => {}
        (None, forced) => out.push(notes::language_asked(forced)),
    }
    out.extend(mismatch(language));
    out
}

/// The note on a call that sounds like another language than the one forced, where the
/// language heard is sure enough.
pub(crate) fn mismatch(language: &LanguageInfo) -> Option<String> {
    let (Some(heard), Some(p)) = (&language.detected, language.probability) else {
        return None;
    };
    let requested = &language.requested;
    let forced = requested != "auto" && requested != DA_OR_EN;
    (forced && heard != requested && p >= LANGUAGE_WARN_P)
        .then(|| notes::language_mismatch(heard, p, requested))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_a_call_heard_surely_in_another_language() {
        let heard = |code: &str, p: f32| Some((code.to_string(), p));
        let note_for = |requested: &str, h| mismatch(&info(requested, h));
        let warned = note_for("da", heard("en", 0.9)).unwrap_or_default();
        assert!(warned.starts_with("the call sounds like language 'en' (probability 0.90)"));
        assert!(warned.contains("not the requested 'da'"));
        assert_eq!(note_for("da", heard("en", 0.7)), None);
        assert_eq!(note_for("da", heard("da", 0.99)), None);
        assert_eq!(note_for("auto", heard("en", 0.99)), None);
        assert_eq!(note_for(DA_OR_EN, heard("en", 0.99)), None);
        assert_eq!(note_for("da", None), None);
    }

    #[test]
    fn danish_is_kept_unless_english_is_clearly_the_most_likely() {
        let en = da_or_en(0.1, 0.8, 0.8);
        assert_eq!((en.code, en.unclear), ("en", None));
        assert!((en.share - 0.8 / 0.9).abs() < 1e-6);
        assert_eq!(da_or_en(0.3, 0.4, 0.4).code, "da");
        assert_eq!(da_or_en(0.4, 0.6, 0.6).code, "en");
        let unclear = da_or_en(0.01, 0.13, 0.2);
        assert_eq!((unclear.code, unclear.unclear), ("da", Some(0.13)));
        let heard = da_or_en(0.9, 0.05, 0.9);
        assert_eq!((heard.code, heard.unclear), ("da", None));
        assert_eq!(da_or_en(0.0, 0.0, 0.0).code, "da");
        assert_eq!(da_or_en(f32::NAN, 0.5, 0.5).code, "da");
    }

    #[test]
    fn scores_give_each_language_its_probability() {
        let mut probs = vec![0.0; 100];
        let id = |c: &str| whisper_rs::get_lang_id(c).map_or(0, |i| i as usize);
        probs[id("da")] = 0.2;
        probs[id("no")] = 0.7;
        probs[id("en")] = 0.1;
        assert!((prob(&probs, "da") - 0.2).abs() < 1e-6);
        assert_eq!(best(&probs), Some(("no".to_string(), 0.7)));
        assert!((top(&probs) - 0.7).abs() < 1e-6);
    }
}
