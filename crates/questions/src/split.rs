//! Sentence splitting for transcript text.

/// Words ending in a dot that do not end a sentence (lowercase, without the final dot).
const ABBREVIATIONS: &[&str] = &[
    "jf", "f.eks", "fx", "bl.a", "dvs", "kr", "nr", "ca", "mht", "pga", "evt", "inkl", "ekskl",
    "tlf", "hhv", "ift", "vedr", "osv", "mv", "m.m", "stk", "kl", "st", "e.g", "i.e", "mr", "mrs",
    "ms", "dr", "etc", "vs", "approx", "incl", "dept", "p.t", "s.u", "t.o.m", "o.l",
];

/// Splits text into sentences, keeping the end punctuation.
///
/// A sentence ends at `.`, `?`, `!` or `…` (with any run of these and closing quotes or brackets).
/// A dot does not end a sentence inside a word ("2.5", "f.eks"), after a known abbreviation
/// ("jf.", "bl.a.", "kr.", "e.g.", "Mr."), or after a number followed by a lowercase word ("den 3.
/// maj").
pub fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        current.push(c);
        i += 1;
        if !is_end(c) {
            continue;
        }
        if c == '.' && !ends_sentence(&chars, i - 1) {
            continue;
        }
        while i < chars.len() && (is_end(chars[i]) || is_closer(chars[i])) {
            current.push(chars[i]);
            i += 1;
        }
        push(&mut out, &mut current);
    }
    push(&mut out, &mut current);
    out
}

fn is_end(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '»' | '”' | '’')
}

fn push(out: &mut Vec<String>, current: &mut String) {
    let s = current.trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
    current.clear();
}

/// Whether the dot at `at` ends a sentence.
fn ends_sentence(chars: &[char], at: usize) -> bool {
    let next = chars.get(at + 1).copied();
    // Inside a word or number: "2.5", "f.eks", "borger.dk".
    if next.is_some_and(|n| n.is_alphanumeric()) && at > 0 && chars[at - 1].is_alphanumeric() {
        return false;
    }
    // A run of dots ("...") ends a sentence once, at its last dot.
    if next == Some('.') {
        return true;
    }
    let start = chars[..at]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |p| p + 1);
    let word: String = chars[start..at].iter().collect::<String>().to_lowercase();
    let word = word.trim_start_matches(['(', '"', '\'']);
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    let following = chars[at + 1..].iter().find(|c| !c.is_whitespace());
    let ordinal = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    !(ordinal && following.is_some_and(|c| c.is_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::sentences;

    #[test]
    fn splits_and_keeps_punctuation() {
        assert_eq!(
            sentences("Hej. Hvordan går det? Godt!"),
            ["Hej.", "Hvordan går det?", "Godt!"]
        );
        assert_eq!(sentences("Ja… måske. Nej?!"), ["Ja…", "måske.", "Nej?!"]);
        assert_eq!(sentences("Vent lidt... Okay."), ["Vent lidt...", "Okay."]);
        assert_eq!(sentences("uden punktum"), ["uden punktum"]);
        assert!(sentences("  ").is_empty());
    }

    #[test]
    fn keeps_decimals_and_abbreviations() {
        assert_eq!(
            sentences("Det tager 2.5 timer. Afgørelsen er truffet jf. § 59 i loven. Tak."),
            [
                "Det tager 2.5 timer.",
                "Afgørelsen er truffet jf. § 59 i loven.",
                "Tak."
            ]
        );
        assert_eq!(
            sentences("Du kan f.eks. sende det, bl.a. via mail, dvs. i dag. Det koster ca. 300 kr. om måneden."),
            [
                "Du kan f.eks. sende det, bl.a. via mail, dvs. i dag.",
                "Det koster ca. 300 kr. om måneden."
            ]
        );
        assert_eq!(
            sentences("Send it, e.g. by post, i.e. today. Mr. Smith called. Sag nr. 12 er lukket."),
            [
                "Send it, e.g. by post, i.e. today.",
                "Mr. Smith called.",
                "Sag nr. 12 er lukket."
            ]
        );
        assert_eq!(
            sentences("Mødet er den 3. maj. Se § 59. Tak."),
            ["Mødet er den 3. maj.", "Se § 59.", "Tak."]
        );
    }
}
