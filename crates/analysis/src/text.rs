//! Word tokens and whole-word phrase matching for the cue lexicons.

/// Lowercase word tokens of `text`: letters, digits, inner hyphens and apostrophes; `§` is a
/// token of its own; other punctuation separates words.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' {
            current.push(if c == '’' { '\'' } else { c });
        } else {
            push_token(&mut out, &mut current);
            if c == '§' {
                out.push("§".to_string());
            }
        }
    }
    push_token(&mut out, &mut current);
    out
}

fn push_token(out: &mut Vec<String>, current: &mut String) {
    let trimmed = current.trim_matches(|c| c == '-' || c == '\'');
    if !trimmed.is_empty() {
        out.push(trimmed.to_string());
    }
    current.clear();
}

/// Number of words in `text` (tokens with at least one letter or digit).
pub fn word_count(text: &str) -> usize {
    tokens(text)
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .count()
}

#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<(String, bool)>,
    phrase: String,
}

/// A compiled list of phrases; a word ending in `*` matches any word it begins.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    patterns: Vec<Pattern>,
}

/// One phrase found in a token list.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The lexicon entry as written.
    pub phrase: String,
    /// Index of the first matched token.
    pub at: usize,
    /// Number of tokens matched.
    pub len: usize,
    /// The matched words as they appear (lowercase).
    pub text: String,
}

impl Lexicon {
    /// Compiles the phrases (empty ones are ignored).
    pub fn new(phrases: &[String]) -> Lexicon {
        let patterns = phrases
            .iter()
            .filter_map(|p| {
                let words: Vec<(String, bool)> = p
                    .split_whitespace()
                    .flat_map(|w| {
                        let prefix = w.ends_with('*');
                        let toks = tokens(w.trim_end_matches('*'));
                        let n = toks.len();
                        toks.into_iter()
                            .enumerate()
                            .map(move |(i, t)| (t, prefix && i + 1 == n))
                    })
                    .collect();
                (!words.is_empty()).then(|| Pattern {
                    words,
                    phrase: p.clone(),
                })
            })
            .collect();
        Lexicon { patterns }
    }

    /// All matches in `toks`, in token order; overlapping matches of different phrases are kept,
    /// but at each position only the longest phrase counts.
    pub fn find(&self, toks: &[String]) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let mut covered_until = 0;
        for at in 0..toks.len() {
            let best = self
                .patterns
                .iter()
                .filter(|p| matches_at(&p.words, toks, at))
                .max_by_key(|p| p.words.len());
            if let Some(p) = best {
                // A shorter phrase inside a longer one already found is the same cue.
                if at + p.words.len() <= covered_until {
                    continue;
                }
                covered_until = at + p.words.len();
                hits.push(Hit {
                    phrase: p.phrase.clone(),
                    at,
                    len: p.words.len(),
                    text: toks[at..at + p.words.len()].join(" "),
                });
            }
        }
        hits
    }

    /// Whether any phrase occurs in `toks`.
    pub fn first(&self, toks: &[String]) -> Option<Hit> {
        self.find(toks).into_iter().next()
    }

    /// Whether the whole token list is one phrase of the lexicon or made only of one-word phrases.
    pub fn covers(&self, toks: &[String]) -> bool {
        if toks.is_empty() {
            return false;
        }
        let whole = self
            .patterns
            .iter()
            .any(|p| p.words.len() == toks.len() && matches_at(&p.words, toks, 0));
        whole
            || toks.iter().all(|t| {
                self.patterns
                    .iter()
                    .any(|p| p.words.len() == 1 && matches_at(&p.words, std::slice::from_ref(t), 0))
            })
    }
}

fn matches_at(words: &[(String, bool)], toks: &[String], at: usize) -> bool {
    if at + words.len() > toks.len() {
        return false;
    }
    words.iter().zip(&toks[at..]).all(|((w, prefix), t)| {
        if *prefix {
            t.starts_with(w.as_str())
        } else {
            t == w
        }
    })
}

/// A short quote: the first `max_words` words of `text`, with "..." when cut.
pub fn quote(text: &str, max_words: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= max_words {
        words.join(" ")
    } else {
        format!("{} ...", words[..max_words].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(p: &[&str]) -> Lexicon {
        Lexicon::new(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn tokens_lowercase_and_split_paragraph_sign() {
        assert_eq!(
            tokens("Jf. §59, uh-huh! Det’s OK."),
            vec!["jf", "§", "59", "uh-huh", "det's", "ok"]
        );
        assert_eq!(word_count("Ja, ja. - ..."), 2);
    }

    #[test]
    fn phrases_match_whole_words_and_prefixes() {
        let l = lex(&["klage*", "det er reglerne", "jf §", "ja"]);
        let hits = l.find(&tokens("Så klager jeg. Det er reglerne, jf. § 12. Jaså"));
        let found: Vec<&str> = hits.iter().map(|h| h.phrase.as_str()).collect();
        assert_eq!(found, vec!["klage*", "det er reglerne", "jf §"]);
        assert!(l.covers(&tokens("Ja, ja.")));
        assert!(!l.covers(&tokens("Ja, men")));
    }

    #[test]
    fn longest_phrase_wins_at_a_position() {
        let l = lex(&["tak", "tak for hjælpen"]);
        let hits = l.find(&tokens("tak for hjælpen"));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].phrase, "tak for hjælpen");
    }
}
