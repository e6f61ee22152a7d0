//! Measure 3b: the employee's listening moves, coded as MITI does: reflections (simple: says
//! back what the citizen said; complex: adds meaning or a feeling) and affirmations, with the
//! reflection-to-question ratio. Each result keeps the rule and the cue that produced it.
//!
//! A reflection is found from the citizen's words just before (within `listening.lookback`):
//! a sentence that starts with a reflection starter ("så du", "det lyder som", "so you", "it
//! sounds like") and takes some of its content words from the citizen, or a statement most of
//! whose content words the citizen just said. A reflection said with a question mark ("Så du er
//! bange for at miste ydelsen?") is a reflection, not a question (the manual's rule).

use crate::config::ListeningConfig;
use crate::questions::Utterance;
use crate::talk::ratio;
use crate::text::{quote, tokens, Lexicon};
use medlyt_core::{Lang, Role};
use medlyt_questions::QuestionKind;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Simple or complex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReflectionKind {
    /// Says back what the citizen said.
    Simple,
    /// Adds meaning or a feeling.
    Complex,
}

/// One listening move: a reflection or an affirmation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListeningMove {
    /// Start of its utterance.
    pub at: f64,
    /// Index of the segment in the transcript.
    pub segment: usize,
    /// The sentence.
    pub sentence: String,
    /// The rule that found it, e.g. `da.reflect_complex_starter`.
    pub rule: String,
    /// The words that triggered it (the starter, the feeling, the shared words).
    pub cue: String,
    /// What the citizen had said just before (shortened), for a reflection.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub citizen_before: String,
}

/// A reflection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reflection {
    /// Simple or complex.
    pub kind: ReflectionKind,
    /// Where and why.
    #[serde(flatten)]
    pub found: ListeningMove,
}

/// Measure 3b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Listening {
    /// Simple reflections.
    pub simple: usize,
    /// Complex reflections.
    pub complex: usize,
    /// Affirmations.
    pub affirmations: usize,
    /// The employee's questions (as counted in measure 3).
    pub questions: usize,
    /// Reflections per question (`None` without questions).
    pub reflection_to_question: Option<f64>,
    /// Complex reflections as a share of all reflections (`None` without reflections).
    pub complex_share: Option<f64>,
    /// Every reflection, in time order.
    pub reflections: Vec<Reflection>,
    /// Every affirmation, in time order.
    pub affirmation_moves: Vec<ListeningMove>,
}

/// The compiled cue lists.
struct Cues<'a> {
    lang: Lang,
    config: &'a ListeningConfig,
    simple: Lexicon,
    complex: Lexicon,
    feelings: Lexicon,
    affirmations: Lexicon,
    instructions: Lexicon,
    stop: HashSet<&'a str>,
}

/// Words a sentence may start with before a reflection starter.
const LEAD_INS: &[&str] = &[
    "øh", "øhm", "ja", "nej", "okay", "ok", "nå", "men", "altså", "og", "mm", "um", "uh", "yeah",
    "well", "right", "and", "but", "oh", "okay", "alright",
];

impl<'a> Cues<'a> {
    fn new(lang: Lang, config: &'a ListeningConfig) -> Cues<'a> {
        Cues {
            lang,
            config,
            simple: Lexicon::new(&config.simple_starters),
            complex: Lexicon::new(&config.complex_starters),
            feelings: Lexicon::new(&config.feelings),
            affirmations: Lexicon::new(&config.affirmations),
            instructions: Lexicon::new(&config.instruction_words),
            stop: config.stopwords.iter().map(String::as_str).collect(),
        }
    }

    fn rule(&self, name: &str) -> String {
        format!("{}.{name}", self.lang.code())
    }

    /// The starter the sentence opens with (after lead-in words), from `lexicon`.
    fn starter(&self, lexicon: &Lexicon, toks: &[String]) -> Option<String> {
        (0..=lead_ins(toks)).find_map(|skip| {
            lexicon
                .find(&toks[skip..])
                .into_iter()
                .find(|h| h.at == 0)
                .map(|h| h.text)
        })
    }

    /// Whether an instruction word comes first or second in `toks` ("skal", "kan du").
    fn instructs_at_start(&self, toks: &[String]) -> bool {
        self.instructions
            .find(toks)
            .first()
            .is_some_and(|h| h.at <= 1)
    }

    /// Whether an instruction word comes anywhere in `toks`.
    fn instructs_anywhere(&self, toks: &[String]) -> bool {
        !self.instructions.find(toks).is_empty()
    }

    /// Whether `toks` speak of the employee's own side ("jeg", "vi").
    fn own(&self, toks: &[String]) -> bool {
        toks.iter().any(|t| self.config.employee_words.contains(t))
    }

    /// The opener of a statement about the citizen: a `you_openers` word first (after
    /// lead-ins), not followed by an instruction word, and, unless the opener addresses the
    /// citizen, a word that does somewhere in the sentence.
    fn you_statement(&self, toks: &[String], citizen: &[String]) -> Option<String> {
        let c = self.config;
        let at = lead_ins(toks);
        let opener = toks.get(at)?;
        let rest = &toks[at + 1..];
        let addresses = |t: &String| c.citizen_words.contains(t);
        let found = if c.third_person_openers.contains(opener) {
            // "Hun har måske mistet tilliden til voksne.": about the person the citizen spoke of.
            let spoke_of = citizen.iter().any(|w| c.person_words.contains(w));
            spoke_of && !self.own(rest) && !self.instructs_at_start(rest)
        } else if !c.you_openers.contains(opener) {
            // Any other statement that speaks of the citizen ("Work matters to you", "the
            // accident turned everything upside down for you"), unless it is the employee's
            // own doing or an instruction.
            toks.iter().any(addresses) && !self.own(toks) && !self.instructs_anywhere(toks)
        } else if addresses(opener) {
            // "Du skal ...", "You need to ...": an instruction, not a reflection.
            !self.instructs_at_start(rest)
        } else {
            // "Det er hårdt for dig ...": about the citizen, but not where the employee speaks
            // of their own doing ("det næste er, at jeg kigger på din sag") or instructs
            // anywhere in it ("det betyder, at du skal møde op").
            rest.iter().any(addresses) && !self.own(rest) && !self.instructs_anywhere(rest)
        };
        found.then(|| opener.clone())
    }

    /// The sentence's content words (not stopwords, at least 3 letters).
    fn content(&self, toks: &[String]) -> Vec<String> {
        toks.iter()
            .filter(|t| t.chars().count() >= 3 && !self.stop.contains(t.as_str()))
            .cloned()
            .collect()
    }
}

/// How many lead-in words ("øh", "ja", "okay"; at most three) open the sentence.
fn lead_ins(toks: &[String]) -> usize {
    toks.iter()
        .take(3)
        .take_while(|t| LEAD_INS.contains(&t.as_str()))
        .count()
}

/// Whether two words are the same word, allowing for inflection (a shared start of at least
/// five letters: "flyttet" / "flytte", "worried" / "worry" does not).
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    shared >= 5
}

/// The content words of `words` that the citizen said, and the share they make.
fn overlap(words: &[String], citizen: &[String]) -> (Vec<String>, f64) {
    let shared: Vec<String> = words
        .iter()
        .filter(|w| citizen.iter().any(|c| same_word(w, c)))
        .cloned()
        .collect();
    let share = ratio(shared.len() as f64, words.len() as f64);
    (shared, share)
}

/// What the citizen said just before an employee utterance.
struct Before {
    /// The citizen's words in the `lookback` seconds before, back to the employee's previous
    /// utterance that was not a backchannel.
    words: Vec<String>,
    /// The citizen's last utterance there, shortened.
    last: String,
    /// Whether that utterance ended in a question: what answers it is an answer, not a
    /// reflection.
    asked: bool,
}

fn citizen_before(utts: &[Utterance], i: usize, lookback: f64) -> Before {
    let at = utts[i].start;
    let mut before = Before {
        words: Vec::new(),
        last: String::new(),
        asked: false,
    };
    for u in utts[..i].iter().rev() {
        if u.start < at - lookback || (u.role == Role::Employee && !u.backchannel) {
            break;
        }
        if u.role == Role::Citizen {
            before.words.extend(tokens(&u.text));
            if before.last.is_empty() {
                before.last = quote(&u.text, 14);
                before.asked = u
                    .sentences
                    .last()
                    .is_some_and(|c| c.kind != QuestionKind::NotQuestion);
            }
        }
    }
    before
}

/// A reflection in the sentence, if there is one.
fn reflection(
    c: &Cues,
    sentence: &str,
    before: &Before,
) -> Option<(ReflectionKind, String, String)> {
    let citizen = &before.words[..];
    let toks = tokens(sentence);
    let content = c.content(&toks);
    let (shared, share) = overlap(&content, citizen);
    // A feeling the citizen did not name: any feeling word of the sentence where the citizen
    // named no feeling (a synonym of the citizen's own feeling says it back, it adds nothing).
    let citizen_felt = !c.feelings.find(citizen).is_empty();
    let new_feeling = (!citizen_felt)
        .then(|| c.feelings.find(&toks).into_iter().next().map(|f| f.text))
        .flatten();
    let kind = |starter_complex: bool| {
        if starter_complex || new_feeling.is_some() {
            ReflectionKind::Complex
        } else {
            ReflectionKind::Simple
        }
    };
    let with_feeling = |cue: String| match &new_feeling {
        Some(f) => format!("{cue} + {f}"),
        None => cue,
    };
    let from_citizen = !citizen.is_empty() && share >= c.config.starter_overlap;
    if let Some(s) = c
        .starter(&c.complex, &toks)
        .filter(|_| from_citizen || (new_feeling.is_some() && !citizen.is_empty()))
    {
        return Some((
            kind(true),
            c.rule("reflect_complex_starter"),
            with_feeling(s),
        ));
    }
    if let Some(s) = c
        .starter(&c.simple, &toks)
        .filter(|_| from_citizen || (new_feeling.is_some() && !citizen.is_empty()))
    {
        return Some((
            kind(false),
            c.rule("reflect_simple_starter"),
            with_feeling(s),
        ));
    }
    let enough = content.len() >= c.config.min_content_words;
    if enough && share >= c.config.min_overlap && !before.asked {
        return Some((
            kind(false),
            c.rule("reflect_overlap"),
            with_feeling(shared.join(" ")),
        ));
    }
    // A statement about the citizen right after the citizen spoke ("Du er blevet mere og mere
    // ensom."): simple where it is mostly the citizen's words, complex where it adds to them.
    // Only after the citizen said something (not just "ja", "mm"), and not as the answer to
    // the citizen's question.
    if before.asked || c.content(citizen).is_empty() {
        return None;
    }
    let opener = c.you_statement(&toks, citizen)?;
    let adds = share < c.config.you_simple_overlap;
    Some((
        kind(adds),
        c.rule("reflect_you_statement"),
        with_feeling(opener),
    ))
}

/// Finds the employee's reflections and affirmations. A reflection said as a question is
/// taken out of the questions (its classification becomes "not a question", with the rule
/// that says why), so it is counted once, as a reflection.
pub(crate) fn measure(utts: &mut [Utterance], lang: Lang, config: &ListeningConfig) -> Listening {
    let cues = Cues::new(lang, config);
    let mut out = Listening::default();
    for i in 0..utts.len() {
        if utts[i].role != Role::Employee || utts[i].backchannel {
            continue;
        }
        let before = citizen_before(utts, i, config.lookback);
        let (at, segment) = (utts[i].start, utts[i].segment);
        for c in utts[i].sentences.iter_mut() {
            let found = |rule: String, cue: String, before: &str| ListeningMove {
                at,
                segment,
                sentence: c.sentence.clone(),
                rule,
                cue,
                citizen_before: before.to_string(),
            };
            if let Some(hit) = cues.affirmations.first(&tokens(&c.sentence)) {
                out.affirmation_moves
                    .push(found(cues.rule("affirmation"), hit.text, ""));
                continue;
            }
            // A clause that goes on the employee's previous sentence ("og hvornår du flyttede
            // ind") is no statement of its own.
            if c.rule.ends_with("_subordinate") {
                continue;
            }
            let Some((kind, rule, cue)) = reflection(&cues, &c.sentence, &before) else {
                continue;
            };
            // Shared words alone do not make a question a reflection; a starter does, and so
            // does the citizen's own statement said back with a question mark ("You've sent the
            // payslips twice already?": a statement's word order, no question word).
            let said_back = c.rule.ends_with("statement_question_mark");
            if c.kind != QuestionKind::NotQuestion && !rule.ends_with("_starter") && !said_back {
                continue;
            }
            let reflection = Reflection {
                kind,
                found: found(rule.clone(), cue.clone(), &before.last),
            };
            if c.kind != QuestionKind::NotQuestion {
                c.kind = QuestionKind::NotQuestion;
                c.rule = format!("{rule}_question");
                c.cue = cue;
            }
            out.reflections.push(reflection);
        }
    }
    out
}

/// Fills in the counts and ratios once the questions are counted.
pub(crate) fn count(listening: &mut Listening, questions: usize) {
    let l = listening;
    l.simple = l
        .reflections
        .iter()
        .filter(|r| r.kind == ReflectionKind::Simple)
        .count();
    l.complex = l.reflections.len() - l.simple;
    l.affirmations = l.affirmation_moves.len();
    l.questions = questions;
    let reflections = l.reflections.len() as f64;
    l.reflection_to_question = (questions > 0).then(|| reflections / questions as f64);
    l.complex_share = (!l.reflections.is_empty()).then(|| l.complex as f64 / reflections);
}
