//! Suppressing text that Whisper invents where nobody speaks.
//!
//! Whisper was trained on subtitled video, so on silence or noise it tends to write subtitle
//! credits ("Undertekster af ...") or sign-offs ("Thank you for watching"). Such segments are
//! dropped when they match a known phrase, and any segment is dropped when the model itself
//! thought there was no speech and was unsure of the text.

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
}
