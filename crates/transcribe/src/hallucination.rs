//! Suppressing text that Whisper invents where nobody speaks.
//!
//! Whisper was trained on subtitled video, so on silence or noise it tends to write subtitle
//! credits ("Undertekster af ...") or sign-offs ("Thank you for watching"). Such segments are
//! dropped when they match a known phrase, and any segment is dropped when the model itself
//! thought there was no speech and was unsure of the text. On audio it cannot make out, Whisper
//! retries at higher temperatures and may then sample letters of other scripts into Danish or
//! English text, or write words it cannot place in the audio: those segments go too.

use medlyt_core::Segment;

/// Phrases (lowercase) that mark a known invented segment when the segment contains them.
const KNOWN: &[&str] = &[
    "undertekster af",
    "undertekster:",
    "tekster af",
    "tekstning af",
    "danske tekster",
    "oversat af",
    "tekstet af",
    "nicolai winther",
    "amara.org",
    "subtitles by",
    "subtitled by",
    "thank you for watching",
    "thanks for watching",
    "please subscribe",
    "like og abonner",
    "tak fordi du så med",
    "tak for at se med",
    "www.",
];

/// Why a segment was suppressed.
#[derive(Debug, Clone, PartialEq)]
pub enum Suppressed {
    /// Matched a known invented phrase.
    KnownPhrase(&'static str),
    /// The model reported no speech and low confidence.
    NoSpeech,
    /// The same short phrase repeated over and over.
    Repetition,
    /// Letters of a script the language is not written in (Chinese characters in Danish text).
    ForeignScript,
    /// Several words in no time: their word times all fall on the same edge of a stretch of
    /// speech, where Whisper put text it could not place in the audio (nobody says three words
    /// in a tenth of a second), so neither the words nor their times can be trusted.
    NoTime,
}

/// Languages written in the Latin alphabet, where letters of other scripts mark invented text.
const LATIN_SCRIPT: &[&str] = &[
    "da", "en", "sv", "no", "nb", "nn", "de", "nl", "fr", "es", "it", "pt", "fi", "is", "pl",
];

/// Fewest words in a segment for [`Suppressed::NoTime`].
const NO_TIME_WORDS: usize = 3;

/// Longest span in seconds of a segment of [`NO_TIME_WORDS`] or more words counted as no time.
const NO_TIME_S: f64 = 0.1;

/// Decides whether a segment is invented, by its text ([`check`]) and by its words
/// ([`check_words`]). `no_speech` is Whisper's no-speech probability for the window, `language`
/// the language it was decoded in.
pub fn check_segment(segment: &Segment, no_speech: f32, language: &str) -> Option<Suppressed> {
    check(&segment.text, no_speech, segment.probability).or_else(|| {
        let span = segment.end - segment.start;
        check_words(&segment.text, segment.words.len(), span, language)
    })
}

/// Checks a segment's words beyond its text: letters of another script where `language` is
/// written in the Latin alphabet, and several words squeezed into no time.
pub fn check_words(text: &str, words: usize, span_s: f64, language: &str) -> Option<Suppressed> {
    if LATIN_SCRIPT.contains(&language) && text.chars().any(|c| c.is_alphabetic() && !is_latin(c)) {
        return Some(Suppressed::ForeignScript);
    }
    if words >= NO_TIME_WORDS && span_s < NO_TIME_S {
        return Some(Suppressed::NoTime);
    }
    None
}

/// A letter of the Latin alphabet: ASCII, Latin-1, Latin Extended-A/B and Additional.
fn is_latin(c: char) -> bool {
    c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c) || ('\u{1E00}'..='\u{1EFF}').contains(&c)
}

/// Decides whether a segment's text is invented. `no_speech` is Whisper's no-speech probability,
/// `p` the mean token probability.
pub fn check(text: &str, no_speech: f32, p: f32) -> Option<Suppressed> {
    let lower = text.to_lowercase();
    if let Some(k) = KNOWN.iter().find(|k| lower.contains(*k)) {
        return Some(Suppressed::KnownPhrase(k));
    }
    if no_speech > 0.6 && p < 0.45 {
        return Some(Suppressed::NoSpeech);
    }
    if is_repetitive(&lower) {
        return Some(Suppressed::Repetition);
    }
    None
}

/// True when at least 8 words are made of one word or bigram repeated to fill most of the text.
fn is_repetitive(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 8 {
        return false;
    }
    let mut distinct: Vec<&str> = words.clone();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() * 4 <= words.len() && distinct.len() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_known_credits_and_keeps_real_speech() {
        assert_eq!(
            check(" Undertekster af Nicolai Winther", 0.1, 0.9),
            Some(Suppressed::KnownPhrase("undertekster af"))
        );
        assert!(check("Thank you for watching!", 0.0, 0.9).is_some());
        assert_eq!(check(" Jeg har ikke fået min boligstøtte.", 0.1, 0.8), None);
        assert_eq!(check(" Hej.", 0.8, 0.3), Some(Suppressed::NoSpeech));
        assert_eq!(check(" Hej.", 0.8, 0.9), None);
        assert_eq!(
            check("ja ja ja ja ja ja ja ja ja ja", 0.0, 0.9),
            Some(Suppressed::Repetition)
        );
        assert_eq!(check("ja ja ja", 0.0, 0.9), None);
    }

    #[test]
    fn drops_other_scripts_and_words_in_no_time() {
        let ok = "Så både velkommen, Søren; café, naïve, Şahin.";
        assert_eq!(check_words(ok, 7, 2.5, "da"), None);
        assert_eq!(
            check_words("Holdicht扶 vej af", 3, 1.0, "da"),
            Some(Suppressed::ForeignScript)
        );
        assert_eq!(
            check_words("Привет", 1, 0.5, "en"),
            Some(Suppressed::ForeignScript)
        );
        // A language written in another script keeps its own letters.
        assert_eq!(check_words("你好", 1, 0.5, "zh"), None);
        assert_eq!(
            check_words("Han er ikke som i.", 5, 0.0, "da"),
            Some(Suppressed::NoTime)
        );
        assert_eq!(check_words("Jeg kan.", 2, 0.0, "da"), None);
        assert_eq!(check_words("Ja ja ja.", 3, 0.4, "da"), None);
    }
}
