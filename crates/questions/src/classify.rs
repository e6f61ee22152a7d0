//! The rule engine: an ordered list of small checks over the cue lists; the first that fires wins.

use crate::rules::{QuestionRules, QuestionWord};
use crate::text::{
    ident, is_in, longest_at, match_at, match_skipping, matches_pattern, tokenize, COMMA,
};
use crate::{Classification, QuestionKind};

/// What a rule found: the kind, the rule identifier (without language prefix) and the cue.
struct Hit {
    kind: QuestionKind,
    id: String,
    cue: String,
    why: bool,
}

impl Hit {
    fn new(kind: QuestionKind, id: impl Into<String>, cue: impl Into<String>) -> Self {
        Hit {
            kind,
            id: id.into(),
            cue: cue.into(),
            why: false,
        }
    }
}

/// The sentence after leading fillers are removed.
struct View<'a> {
    /// Words and commas.
    body: Vec<&'a str>,
    /// Words only.
    words: Vec<&'a str>,
    /// Whether a question mark was present.
    marked: bool,
    /// Whether a stripped filler (Danish "så") puts the verb second, as in "Så har du søgt."
    inverted: bool,
}

/// Classifies one sentence with the given rules.
pub(crate) fn classify_with(sentence: &str, rules: &QuestionRules) -> Classification {
    let tokens = tokenize(sentence);
    let mut start = 0;
    let mut inverted = false;
    let all: Vec<&str> = tokens.toks.iter().map(String::as_str).collect();
    while start < all.len() {
        if all[start] == COMMA {
            start += 1;
        } else if let Some((filler, n)) = longest_at(&all, start, &rules.fillers) {
            inverted |= rules.inverting_fillers.iter().any(|f| f == filler);
            start += n;
        } else {
            break;
        }
    }
    // A word said twice in a row ("has has the therapist been") is a restart, said once.
    let mut body: Vec<&str> = all[start..].to_vec();
    body.dedup_by(|a, b| a == b && *a != COMMA);
    let words: Vec<&str> = body.iter().copied().filter(|w| *w != COMMA).collect();
    let view = View {
        body,
        words,
        marked: tokens.question_mark,
        inverted,
    };
    let hit = find(&view, rules);
    let why = hit.why
        || (hit.kind != QuestionKind::NotQuestion
            && rules.question_words.iter().any(|q| {
                q.why
                    && (0..view.words.len()).any(|i| match_at(&view.words, i, &q.phrase).is_some())
            }));
    Classification {
        sentence: sentence.to_string(),
        kind: hit.kind,
        rule: format!("{}.{}", rules.lang.code(), hit.id),
        cue: hit.cue,
        why,
    }
}

fn find(v: &View, r: &QuestionRules) -> Hit {
    if v.words.is_empty() {
        return Hit::new(QuestionKind::NotQuestion, "empty", "");
    }
    if let Some((p, _)) = longest_at(&v.words, 0, &r.non_question_openers) {
        return Hit::new(QuestionKind::NotQuestion, "statement_opener", p);
    }
    if let Some((p, _)) = longest_at(&v.words, 0, &r.leading_openers) {
        return Hit::new(QuestionKind::Leading, "leading_opener", p);
    }
    tag(v, r)
        .or_else(|| unmarked_tag(v, r))
        .or_else(|| imperative(v, r))
        .or_else(|| elaboration(v, r))
        .or_else(|| request_tell(v, r))
        .or_else(|| request_hear(v, r))
        .or_else(|| question_word(v, r))
        .or_else(|| verb_first(v, r))
        .or_else(|| tail_question(v, r))
        .unwrap_or_else(|| statement(v, r))
}

/// A statement about the citizen ended by a tag, without a comma or a question mark, as speech
/// transcripts write it: "du har jo fået brevet om det i januar ikke" (leading), "det har du
/// svaret på eller" (closed).
fn unmarked_tag(v: &View, r: &QuestionRules) -> Option<Hit> {
    if v.marked || !is_in(v.words.first(), &r.statement_subjects) {
        return None;
    }
    let n = v.words.len();
    let ends = |list: &[String]| {
        list.iter()
            .find(|t| {
                let len = t.split_whitespace().count();
                n > len + 1 && match_at(&v.words, n - len, t).is_some()
            })
            .cloned()
    };
    if let Some(t) = ends(&r.closed_tags) {
        return Some(Hit::new(
            QuestionKind::Closed,
            format!("tag_{}", ident(&t)),
            t,
        ));
    }
    ends(&r.unmarked_tags).map(|t| Hit::new(QuestionKind::Leading, format!("tag_{}", ident(&t)), t))
}

/// Requests for elaboration phrased as yes/no: "Er der mere, du vil sige?", "Anything else?",
/// "Can you think of ...?". Coders call them open: they invite the citizen to tell.
fn elaboration(v: &View, r: &QuestionRules) -> Option<Hit> {
    let (p, _) = longest_at(&v.words, 0, &r.elaboration_openers)?;
    Some(Hit::new(QuestionKind::Open, "elaboration_request", p))
}

/// Whether the sentence from word `at` starts a direct question: a question word followed by
/// a verb and then a subject ("hvad har du", "what is it"; "hvad du har" is a clause inside a
/// statement), or, where `yes_no` allows, a yes/no verb followed by a subject.
fn starts_question(words: &[&str], at: usize, r: &QuestionRules, yes_no: bool) -> bool {
    let subject = |w: Option<&&str>| is_in(w, &r.subjects) || is_in(w, &r.possessives);
    if let Some(q) = word_at(words, at, r) {
        let n = at + q.phrase.split_whitespace().count();
        return is_in(words.get(n), &r.yes_no_verbs)
            && (subject(words.get(n + 1)) || subject(words.get(n + 2)));
    }
    yes_no && is_in(words.get(at), &r.yes_no_verbs) && subject(words.get(at + 1))
}

/// A long turn without a question mark that ends in a question ("ja okay så du har været syg i
/// tre uger og hvad tænker du selv om det"): the question after the last boundary ("og",
/// "men", a comma) decides, classified as a sentence of its own.
fn tail_question(v: &View, r: &QuestionRules) -> Option<Hit> {
    if v.marked {
        return None;
    }
    let start = (1..v.body.len()).rev().find(|&i| {
        let prev = v.body[i - 1];
        let boundary = prev == COMMA || r.tail_boundaries.iter().any(|b| b == prev);
        let words: Vec<&str> = v.body[i..]
            .iter()
            .copied()
            .filter(|w| *w != COMMA)
            .collect();
        // A question word with the verb before the subject starts a question anywhere; a verb
        // first only after a boundary (elsewhere it is a statement's inverted word order).
        v.body[i] != COMMA && starts_question(&words, 0, r, boundary)
    })?;
    let body: Vec<&str> = v.body[start..].to_vec();
    let words: Vec<&str> = body.iter().copied().filter(|w| *w != COMMA).collect();
    let tail = View {
        body,
        words,
        marked: false,
        inverted: false,
    };
    let hit = tag(&tail, r)
        .or_else(|| elaboration(&tail, r))
        .or_else(|| request_tell(&tail, r))
        .or_else(|| question_word(&tail, r))
        .or_else(|| verb_first(&tail, r))?;
    (hit.kind != QuestionKind::NotQuestion).then(|| Hit {
        id: format!("tail_{}", hit.id),
        ..hit
    })
}

/// Tag questions at the end: "..., ikke?", "..., vel?", "..., don't you?".
fn tag(v: &View, r: &QuestionRules) -> Option<Hit> {
    let n = v.words.len();
    for t in &r.tags {
        let len = t.split_whitespace().count();
        if n > len && match_at(&v.words, n - len, t).is_some() {
            return Some(Hit::new(
                QuestionKind::Leading,
                format!("tag_{}", ident(t)),
                t.as_str(),
            ));
        }
    }
    let comma = v.body.iter().rposition(|w| *w == COMMA)?;
    let tail = &v.body[comma + 1..];
    if comma == 0 || tail.is_empty() {
        return None;
    }
    let tail_text = tail.join(" ");
    let weak =
        r.comma_tags.contains(&tail_text) || (v.marked && r.marked_tags.contains(&tail_text));
    if weak {
        return Some(Hit::new(
            QuestionKind::Leading,
            format!("tag_{}", ident(&tail_text)),
            tail_text,
        ));
    }
    let shaped = tail.len() == 2 + r.tag_suffix.len()
        && is_in(tail.first(), &r.tag_verbs)
        && is_in(tail.get(1), &r.subjects)
        && tail[2..].iter().zip(&r.tag_suffix).all(|(a, b)| a == b);
    shaped.then(|| Hit::new(QuestionKind::Leading, "tag_verb_pronoun", tail_text))
}

/// Whether a fact noun ("cpr-nummer", "address") follows within the window.
fn fact_after<'a>(words: &[&'a str], from: usize, r: &QuestionRules) -> Option<&'a str> {
    words
        .iter()
        .skip(from)
        .take(r.fact_window)
        .find(|w| r.fact_nouns.iter().any(|p| matches_pattern(w, p)))
        .copied()
}

/// Imperatives that ask the citizen to tell: "Fortæl ...", "Beskriv ...", "Tell me ...".
fn imperative(v: &View, r: &QuestionRules) -> Option<Hit> {
    let (p, n) = longest_at(&v.words, 0, &r.imperatives)?;
    Some(match fact_after(&v.words, n, r) {
        Some(fact) => Hit::new(
            QuestionKind::Closed,
            "imperative_tell_fact",
            format!("{p} … {fact}"),
        ),
        None => Hit::new(QuestionKind::Open, "imperative_tell", p),
    })
}

/// "Kan du fortælle/beskrive/uddybe ...?", "Could you tell me more ...?": open though verb-first,
/// unless the object is one fact ("Kan du fortælle mig dit CPR-nummer?").
fn request_tell(v: &View, r: &QuestionRules) -> Option<Hit> {
    if !is_in(v.words.first(), &r.request_modals) {
        return None;
    }
    let mut i = 1;
    while is_in(v.words.get(i), &r.request_skip) {
        i += 1;
    }
    if i == 1 {
        return None;
    }
    let (verb, n) = r
        .tell_verbs
        .iter()
        .filter_map(|t| match_skipping(&v.words, i, t, &r.request_skip).map(|n| (t.as_str(), n)))
        .max_by_key(|&(_, n)| n)?;
    let cue = v.words[..i + n].join(" ");
    let mut after = i + n;
    while is_in(v.words.get(after), &r.request_skip) {
        after += 1;
    }
    if let Some(fact) = fact_after(&v.words, after, r) {
        return Some(Hit::new(
            QuestionKind::Closed,
            "request_tell_fact",
            format!("{cue} … {fact}"),
        ));
    }
    let tells_one_fact = r.fact_tell_verbs.iter().any(|f| f == verb)
        && word_at(&v.words, after, r).is_some_and(|q| q.kind == QuestionKind::Closed);
    if tells_one_fact {
        return Some(Hit::new(QuestionKind::Closed, "request_tell_fact", cue));
    }
    Some(Hit::new(QuestionKind::Open, "request_tell", cue))
}

/// "Jeg vil gerne høre, hvordan ...", "I'd like to know when ...": statements that ask.
fn request_hear(v: &View, r: &QuestionRules) -> Option<Hit> {
    let (p, n) = longest_at(&v.words, 0, &r.hear_openers)?;
    for i in n..v.words.len() {
        if let Some((w, _)) = longest_at(&v.words, i, &r.hear_open_words) {
            return Some(Hit::new(
                QuestionKind::Open,
                "request_hear",
                format!("{p} … {w}"),
            ));
        }
        if let Some(q) = word_at(&v.words, i, r) {
            let mut hit = Hit::new(q.kind, "request_hear", format!("{p} … {}", q.phrase));
            hit.why = q.why;
            return Some(hit);
        }
        if let Some((w, _)) = longest_at(&v.words, i, &r.hear_closed_words) {
            return Some(Hit::new(
                QuestionKind::Closed,
                "request_hear",
                format!("{p} … {w}"),
            ));
        }
    }
    None
}

/// The longest question word or phrase at `at`.
fn word_at<'a>(words: &[&str], at: usize, r: &'a QuestionRules) -> Option<&'a QuestionWord> {
    r.question_words
        .iter()
        .filter_map(|q| match_at(words, at, &q.phrase).map(|n| (q, n)))
        .max_by_key(|&(_, n)| n)
        .map(|(q, _)| q)
}

/// Hv-/wh-initial questions, with the fact-noun sub-rule and subordinate clauses excluded.
fn question_word(v: &View, r: &QuestionRules) -> Option<Hit> {
    let q = word_at(&v.words, 0, r)?;
    let n = q.phrase.split_whitespace().count();
    if !v.marked && is_in(v.words.get(n), &r.subjects) {
        // "Hvornår du kommer, er op til dig." "What you decide is up to you."
        return Some(Hit::new(
            QuestionKind::NotQuestion,
            "hv_subordinate",
            q.phrase.as_str(),
        ));
    }
    if q.fact_check {
        if let Some(fact) = fact_after(&v.words, n, r) {
            let id = format!("{}_fact", q.id.replacen("_open_", "_closed_", 1));
            return Some(Hit::new(
                QuestionKind::Closed,
                id,
                format!("{} … {fact}", q.phrase),
            ));
        }
    }
    if q.kind == QuestionKind::Closed {
        let view = (n..(n + r.view_window).min(v.words.len()))
            .find_map(|i| longest_at(&v.words, i, &r.view_words));
        if let Some((w, _)) = view {
            return Some(Hit::new(
                QuestionKind::Open,
                format!("{}_view", q.id.replacen("_closed_", "_open_", 1)),
                format!("{} … {w}", q.phrase),
            ));
        }
    }
    let mut hit = Hit::new(q.kind, q.id.as_str(), q.phrase.as_str());
    hit.why = q.why;
    Some(hit)
}

/// The first alternative word ("eller", "or") that is not the last word.
fn alternative<'a>(words: &[&'a str], r: &QuestionRules) -> Option<&'a str> {
    let last = words.len().checked_sub(1)?;
    words
        .get(1..last)?
        .iter()
        .find(|w| r.alternative_words.iter().any(|a| a == *w))
        .copied()
}

/// Verb-first yes/no questions: "Har du ...?", "Do you ...?".
fn verb_first(v: &View, r: &QuestionRules) -> Option<Hit> {
    let w = &v.words;
    if !is_in(w.first(), &r.yes_no_verbs) {
        return None;
    }
    let has_subject = is_in(w.get(1), &r.subjects) || is_in(w.get(1), &r.possessives);
    if !v.marked {
        if !has_subject || v.inverted {
            return None;
        }
        // "Har man børn, får man et tillæg." "Had I known, I would ..."
        let after_comma = v
            .body
            .iter()
            .position(|t| *t == COMMA)
            .map(|c| v.body.get(c + 1));
        if let Some(next) = after_comma {
            if is_in(w.first(), &r.conditional_verbs) || is_in(next, &r.yes_no_verbs) {
                return Some(Hit::new(
                    QuestionKind::NotQuestion,
                    "conditional_clause",
                    w[0],
                ));
            }
        }
    }
    let negated = is_in(w.first(), &r.negated_verbs)
        || (has_subject && is_in(w.get(2), &r.negation_after_subject));
    if negated {
        let cue = w[..w.len().min(3)].join(" ");
        return Some(Hit::new(QuestionKind::Leading, "negative_yes_no", cue));
    }
    if let Some(alt) = alternative(w, r) {
        return Some(Hit::new(
            QuestionKind::Closed,
            format!("alternative_{}", ident(alt)),
            alt,
        ));
    }
    let cue = w[..w.len().min(2)].join(" ");
    Some(Hit::new(QuestionKind::Closed, "verb_first_yes_no", cue))
}

/// Everything else: statement-form questions when marked by "?", or plain statements.
fn statement(v: &View, r: &QuestionRules) -> Hit {
    let w = &v.words;
    if v.marked {
        if let Some(p) = w
            .iter()
            .find(|x| r.leading_particles.iter().any(|p| p == *x))
        {
            return Hit::new(
                QuestionKind::Leading,
                format!("statement_particle_{}", ident(p)),
                *p,
            );
        }
        if let Some(q) = (1..w.len()).find_map(|i| word_at(w, i, r)) {
            let mut hit = Hit::new(q.kind, format!("embedded_{}", q.id), q.phrase.as_str());
            hit.why = q.why;
            return hit;
        }
        if let Some(alt) = alternative(w, r) {
            return Hit::new(
                QuestionKind::Closed,
                format!("alternative_{}", ident(alt)),
                alt,
            );
        }
        return Hit::new(QuestionKind::Closed, "statement_question_mark", "?");
    }
    if let Some(p) = w
        .iter()
        .find(|x| r.leading_particles_unmarked.iter().any(|p| p == *x))
    {
        return Hit::new(
            QuestionKind::Leading,
            format!("statement_particle_{}", ident(p)),
            *p,
        );
    }
    Hit::new(QuestionKind::NotQuestion, "statement", "")
}
