//! Measure 3: questions per sentence, stacked questions, why-questions and the open share.

use crate::talk::ratio;
use crate::timeline::{role_of, Timeline};
use medlyt_core::{Lang, Role};
use medlyt_questions::{Classification, QuestionKind};
use serde::{Deserialize, Serialize};


/// One utterance of the call with its sentences classified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utterance {
    /// Index of the segment in the transcript.
    pub segment: usize,
    /// Start in seconds.
    pub start: f64,
    /// End in seconds.
    pub end: f64,
    /// The speaker's role.
    pub role: Role,
    /// The text.
    pub text: String,
    /// Whether it is a backchannel (a minimal encourager while the other holds the floor).
    pub backchannel: bool,
    /// Each sentence with its kind and the rule that fired.
    pub sentences: Vec<Classification>,
}

/// Question figures for one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PartyQuestions {
    /// All questions (open, closed and leading).
    pub questions: usize,
    /// Open questions.
    pub open: usize,
    /// Closed questions.
    pub closed: usize,
    /// Leading questions.
    pub leading: usize,
    /// Why-questions.
    pub why: usize,
    /// Open questions as a share of all questions (0 without questions).
    pub open_share: f64,
    /// Questions per minute of conversation.
    pub per_minute: f64,
}

/// Several questions in one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stacked {
    /// Start of the first question's utterance.
    pub at: f64,
    /// Who asked.
    pub role: Role,
    /// The questions, in order.
    pub questions: Vec<String>,
}

/// A single question worth showing (a why-question).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionMoment {
    /// Start of its utterance.
    pub at: f64,
    /// Who asked.
    pub role: Role,
    /// The sentence.
    pub sentence: String,
}

/// Measure 3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questions {
    /// The employee's questions.
    pub employee: PartyQuestions,
    /// The citizen's questions (context).
    pub citizen: PartyQuestions,
    /// Turns with stacked questions.
    pub stacked: Vec<Stacked>,
    /// The employee's why-questions.
    pub why: Vec<QuestionMoment>,
}

pub(crate) fn classify_all(
    tl: &Timeline,
    lang: Lang,
    classify: &dyn Fn(&str, Lang) -> Classification,
) -> Vec<Utterance> {
    tl.utts
        .iter()
        .map(|u| Utterance {
            segment: u.seg,
            start: u.start,
            end: u.end,
            role: role_of(u.party),
            text: u.text.clone(),
            backchannel: u.backchannel,
            sentences: medlyt_questions::sentences(&u.text)
                .iter()
                .map(|s| classify(s, lang))
                .collect(),
        })
        .collect()
}

fn is_question(c: &Classification) -> bool {
    c.kind != QuestionKind::NotQuestion
}

pub(crate) fn measure(tl: &Timeline, utts: &[Utterance], stacked_min: usize) -> Questions {
    let minutes = tl.conversation.duration() / 60.0;
    let party = |role: Role| {
        let mut q = PartyQuestions::default();
        for c in utts
            .iter()
            .filter(|u| u.role == role)
            .flat_map(|u| &u.sentences)
        {
            match c.kind {
                QuestionKind::Open => q.open += 1,
                QuestionKind::Closed => q.closed += 1,
                QuestionKind::Leading => q.leading += 1,
                QuestionKind::NotQuestion => continue,
            }
            q.questions += 1;
            q.why += usize::from(c.why);
        }
        q.open_share = ratio(q.open as f64, q.questions as f64);
        q.per_minute = ratio(q.questions as f64, minutes);
        q
    };
    let stacked = tl
        .turns
        .iter()
        .filter_map(|turn| {
            let asked: Vec<(f64, String)> = turn
                .utts
                .iter()
                .filter_map(|&i| utts.get(i))
                .flat_map(|u| {
                    u.sentences
                        .iter()
                        .filter(|c| is_question(c))
                        .map(move |c| (u.start, c.sentence.clone()))
                })
                .collect();
            (asked.len() >= stacked_min).then(|| Stacked {
                at: asked[0].0,
                role: role_of(turn.party),
                questions: asked.into_iter().map(|(_, s)| s).collect(),
            })
        })
        .collect();
    let why = utts
        .iter()
        .filter(|u| u.role == Role::Employee)
        .flat_map(|u| {
            u.sentences
                .iter()
                .filter(|c| c.why && is_question(c))
                .map(move |c| QuestionMoment {
                    at: u.start,
                    role: u.role,
                    sentence: c.sentence.clone(),
                })
        })
        .collect();
    Questions {
        employee: party(Role::Employee),
        citizen: party(Role::Citizen),
        stacked,
        why,
    }
}
