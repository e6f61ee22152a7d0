//! Tokens and phrase matching for the rules.

/// The comma token. Commas matter for tag questions ("..., ikke?") and conditional clauses.
pub(crate) const COMMA: &str = ",";

/// A sentence as lowercase word tokens and commas, plus whether it carries a question mark.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub toks: Vec<String>,
    pub question_mark: bool,
}

/// Splits a sentence into lowercase words and commas. Apostrophes and hyphens stay inside words
/// ("ikk'", "don't", "cpr-nummer"), as does a dot between letters or digits ("f.eks", "2.5").
pub(crate) fn tokenize(sentence: &str) -> Tokens {
    let chars: Vec<char> = sentence.chars().collect();
    let mut toks = Vec::new();
    let mut word = String::new();
    let mut question_mark = false;
    for (i, &raw) in chars.iter().enumerate() {
        let c = if matches!(raw, '’' | '`' | '´') {
            '\''
        } else {
            raw
        };
        let inner_dot =
            c == '.' && !word.is_empty() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || c == '-' || c == '\'' || c == '§' || inner_dot {
            word.extend(c.to_lowercase());
            continue;
        }
        flush(&mut word, &mut toks);
        match c {
            '?' => question_mark = true,
            ',' | ';' | ':' | '–' | '—' => toks.push(COMMA.to_string()),
            _ => {}
        }
    }
    flush(&mut word, &mut toks);
    Tokens {
        toks,
        question_mark,
    }
}

fn flush(word: &mut String, toks: &mut Vec<String>) {
    let trimmed = word.trim_matches(|c| c == '-' || c == '\'');
    // Keep a trailing apostrophe on clipped words such as "ikk'".
    let keep = if word.ends_with('\'') && !trimmed.is_empty() && word.len() > 1 {
        format!("{trimmed}'")
    } else {
        trimmed.to_string()
    };
    if !keep.is_empty() && keep != "'" {
        toks.push(keep);
    }
    word.clear();
}

/// How many words `phrase` covers when it matches `words` starting at `at`.
pub(crate) fn match_at(words: &[&str], at: usize, phrase: &str) -> Option<usize> {
    let mut n = 0;
    for part in phrase.split_whitespace() {
        if words.get(at + n) != Some(&part) {
            return None;
        }
        n += 1;
    }
    (n > 0).then_some(n)
}

/// Like [`match_at`], but words from `skip` may stand between the phrase's words ("give mig et
/// eksempel" matches "give et eksempel"). Returns how many words were covered.
pub(crate) fn match_skipping(
    words: &[&str],
    at: usize,
    phrase: &str,
    skip: &[String],
) -> Option<usize> {
    let mut i = at;
    for (n, part) in phrase.split_whitespace().enumerate() {
        if n > 0 {
            while words.get(i) != Some(&part) && is_in(words.get(i), skip) {
                i += 1;
            }
        }
        if words.get(i) != Some(&part) {
            return None;
        }
        i += 1;
    }
    (i > at).then_some(i - at)
}

/// The longest phrase from `list` matching at `at`, with its length.
pub(crate) fn longest_at<'a>(
    words: &[&str],
    at: usize,
    list: &'a [String],
) -> Option<(&'a str, usize)> {
    list.iter()
        .filter_map(|p| match_at(words, at, p).map(|n| (p.as_str(), n)))
        .max_by_key(|&(_, n)| n)
}

/// Whether `word` is one of `list`.
pub(crate) fn is_in(word: Option<&&str>, list: &[String]) -> bool {
    word.is_some_and(|w| list.iter().any(|l| l == w))
}

/// Whether a word matches a fact-noun pattern: `*x` ends with x, `x*` starts with x, else equal.
pub(crate) fn matches_pattern(word: &str, pattern: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => word.contains(rest.trim_end_matches('*')),
        (Some(suffix), _) => word.ends_with(suffix),
        (None, Some(prefix)) => word.starts_with(prefix),
        (None, None) => word == pattern,
    }
}

/// A rule identifier part from a phrase: spaces to underscores, Danish letters spelled out.
pub(crate) fn ident(phrase: &str) -> String {
    let mut out = String::new();
    for c in phrase.chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            ' ' | '-' => out.push('_'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_whisper_text() {
        let t = tokenize("Øh, det er dit CPR-nummer, ikk'?");
        assert_eq!(
            t.toks,
            ["øh", ",", "det", "er", "dit", "cpr-nummer", ",", "ikk'"]
        );
        assert!(t.question_mark);
        let t = tokenize("You don’t, do you");
        assert_eq!(t.toks, ["you", "don't", ",", "do", "you"]);
        assert!(!t.question_mark);
        assert_eq!(tokenize("ca. 2.5 timer").toks, ["ca", "2.5", "timer"]);
    }

    #[test]
    fn patterns_and_idents() {
        assert!(matches_pattern("telefonnummer", "*nummer"));
        assert!(matches_pattern("navnet", "navn*"));
        assert!(!matches_pattern("kalder", "navn*"));
        assert!(matches_pattern("age", "age"));
        assert!(!matches_pattern("page", "age"));
        assert_eq!(ident("hvornår"), "hvornaar");
        assert_eq!(ident("ikke også"), "ikke_ogsaa");
        assert_eq!(ident("ikk'"), "ikk");
    }
}
