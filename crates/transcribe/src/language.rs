//! The language Whisper decodes in: the one asked for, or the one heard where `auto` was
//! asked; and the note on a call that sounds like another language than the one asked for.

use crate::channels::ChannelPlan;
use crate::engine::Engine;
use crate::options::Options;
use crate::plan::SpeechPlan;
use crate::TranscribeError;
use medlyt_core::LanguageInfo;

/// Seconds of speech the language is detected from.
const LANGUAGE_SAMPLE_S: usize = 6;

/// How the note on a call that sounds like another language begins.
pub const LANGUAGE_NOTE: &str = "the call sounds like language";

/// How sure the language check must be before a transcript notes that the call sounds like
/// another language than the one requested.
const LANGUAGE_WARN_P: f32 = 0.8;

/// Fails for a language other than English asked of an English-only model.
pub(crate) fn check_model(opts: &Options) -> Result<(), TranscribeError> {
    if !opts.model.multilingual && opts.language != "en" && opts.language != "auto" {
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
    /// The language detected where `auto` was asked, with its probability.
    pub detected: Option<(String, f32)>,
    /// Whether a given language is also checked, on the busiest track's first window while
    /// Whisper decodes it (one decoder step).
    pub check: bool,
}

/// Chooses the language: a given one is kept; with `auto` it is detected on the first seconds
/// of the busiest track's first window (English where there is no speech).
pub(crate) fn decide(
    engine: &Engine,
    channels: &ChannelPlan,
    plan: &SpeechPlan,
    opts: &Options,
) -> Result<LanguageDecision, TranscribeError> {
    let check = opts.language != "auto" && opts.detect_language && opts.model.multilingual;
    let detected = match plan.first_of_busiest() {
        Some((track, window)) if opts.language == "auto" => {
            let mut samples = channels.window_samples(track, window);
            samples.truncate(LANGUAGE_SAMPLE_S * 16000);
            let mut state = engine.state()?;
            Some(engine.detect_language(&mut state, &samples, opts.threads)?)
        }
        _ => None,
    };
    let mut code = match &detected {
        Some((heard, _)) => heard.clone(),
        None => opts.language.clone(),
    };
    if code == "auto" {
        code = "en".to_string();
    }
    Ok(LanguageDecision {
        code,
        detected,
        check,
    })
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

/// The note on a call that sounds like another language than the one requested, where the
/// language heard is sure enough.
pub(crate) fn note(language: &LanguageInfo) -> Option<String> {
    let (Some(heard), Some(p)) = (&language.detected, language.probability) else {
        return None;
    };
    let requested = &language.requested;
    (requested != "auto" && heard != requested && p >= LANGUAGE_WARN_P).then(|| {
        format!(
            "{LANGUAGE_NOTE} '{heard}' (probability {p:.2}), not the requested \
             '{requested}': if so, transcribe again with --language {heard} or --language auto"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_a_call_heard_surely_in_another_language() {
        let heard = |code: &str, p: f32| Some((code.to_string(), p));
        let note_for = |requested: &str, h| note(&info(requested, h));
        let warned = note_for("da", heard("en", 0.9)).unwrap_or_default();
        assert!(warned.starts_with("the call sounds like language 'en' (probability 0.90)"));
        assert!(warned.contains("not the requested 'da'"));
        assert_eq!(note_for("da", heard("en", 0.7)), None);
        assert_eq!(note_for("da", heard("da", 0.99)), None);
        assert_eq!(note_for("auto", heard("en", 0.99)), None);
        assert_eq!(note_for("da", None), None);
    }
}
