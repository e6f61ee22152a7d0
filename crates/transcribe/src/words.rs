//! Turning Whisper's tokens into words with times and probabilities.
//!
//! Whisper emits sub-word tokens; a token whose text starts with a space begins a new word,
//! any other token (including punctuation) continues the current one.

/// One text token from the model, with window-relative times in seconds.
///
/// Tokens are kept as bytes: a token may hold half of a multi-byte character (æ, ø, å), so text
/// is decoded only once a word is complete.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token's bytes (may start with a space).
    pub bytes: Vec<u8>,
    /// Start in seconds (window time).
    pub start: f64,
    /// End in seconds (window time).
    pub end: f64,
    /// The model's probability for this token.
    pub p: f32,
}

/// A word assembled from tokens, in window time.
#[derive(Debug, Clone, PartialEq)]
pub struct RawWord {
    /// The word without surrounding spaces.
    pub text: String,
    /// Start in seconds (window time).
    pub start: f64,
    /// End in seconds (window time).
    pub end: f64,
    /// Mean probability of the word's tokens.
    pub p: f32,
}

/// Groups tokens into words. Empty tokens are skipped; a word's time runs from its first
/// token's start to its last token's end; its probability is the mean over its tokens.
pub fn assemble(tokens: &[Token]) -> Vec<RawWord> {
    struct Open {
        bytes: Vec<u8>,
        start: f64,
        end: f64,
        p_sum: f32,
        n: usize,
    }
    let mut words = Vec::new();
    let mut open: Option<Open> = None;
    for t in tokens {
        let starts_word = t.bytes.first() == Some(&b' ') || is_word_start(&t.bytes);
        let piece = trim_ascii_space(&t.bytes);
        if piece.is_empty() {
            continue;
        }
        match open.as_mut() {
            Some(w) if !starts_word => {
                w.bytes.extend_from_slice(piece);
                w.end = w.end.max(t.end);
                w.p_sum += t.p;
                w.n += 1;
            }
            _ => {
                if let Some(w) = open.take() {
                    words.push(finish(w.bytes, w.start, w.end, w.p_sum / w.n as f32));
                }
                open = Some(Open {
                    bytes: piece.to_vec(),
                    start: t.start,
                    end: t.end.max(t.start),
                    p_sum: t.p,
                    n: 1,
                });
            }
        }
    }
    if let Some(w) = open {
        words.push(finish(w.bytes, w.start, w.end, w.p_sum / w.n as f32));
    }
    words
}

fn finish(bytes: Vec<u8>, start: f64, end: f64, p: f32) -> RawWord {
    RawWord {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        start,
        end,
        p,
    }
}

fn trim_ascii_space(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

/// Leading dashes (a new speaker's line in Whisper's output) start a word even without a space.
fn is_word_start(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'-') && bytes.len() > 1
}

/// Whisper writes times that sometimes run backwards or overlap between words; make them
/// monotonic and non-overlapping, keeping each word at least `min_len` long where room allows.
pub fn tidy_times(words: &mut [RawWord], min_len: f64) {
    let mut prev_end = f64::NEG_INFINITY;
    for w in words.iter_mut() {
        if w.start < prev_end {
            w.start = prev_end;
        }
        if w.end < w.start + min_len {
            w.end = w.start + min_len;
        }
        prev_end = w.end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, start: f64, end: f64, p: f32) -> Token {
        Token {
            bytes: text.as_bytes().to_vec(),
            start,
            end,
            p,
        }
    }

    #[test]
    fn joins_sub_word_tokens_and_punctuation() {
        let tokens = [
            tok(" God", 0.0, 0.2, 0.9),
            tok("dag", 0.2, 0.4, 0.7),
            tok(",", 0.4, 0.45, 0.8),
            tok(" hvad", 0.5, 0.7, 0.6),
            tok("?", 0.7, 0.75, 1.0),
            // "grå" split inside the two bytes of "å"
            Token {
                bytes: b" gr\xc3".to_vec(),
                start: 0.8,
                end: 0.9,
                p: 0.5,
            },
            Token {
                bytes: b"\xa5".to_vec(),
                start: 0.9,
                end: 1.0,
                p: 0.5,
            },
        ];
        let w = assemble(&tokens);
        assert_eq!(w.len(), 3);
        assert_eq!(w[2].text, "grå");
        assert_eq!(w[0].text, "Goddag,");
        assert!((w[0].p - 0.8).abs() < 1e-6);
        assert_eq!((w[0].start, w[0].end), (0.0, 0.45));
        assert_eq!(w[1].text, "hvad?");
    }

    #[test]
    fn tidy_makes_times_monotonic() {
        let mut w = vec![
            RawWord {
                text: "a".into(),
                start: 1.0,
                end: 1.5,
                p: 1.0,
            },
            RawWord {
                text: "b".into(),
                start: 1.2,
                end: 1.1,
                p: 1.0,
            },
        ];
        tidy_times(&mut w, 0.05);
        assert_eq!(w[1].start, 1.5);
        assert!((w[1].end - 1.55).abs() < 1e-9);
    }
}
