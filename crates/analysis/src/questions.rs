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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{analyze_with, Config};
    use medlyt_core::{Lang, Transcript};
    use medlyt_questions::{Classification, QuestionKind};

    /// A stand-in classifier so the counting is tested on its own: "?" makes a closed question,
    /// "Hvad"/"Hvorfor" an open one, "ikke?" a leading one.
    fn fake(sentence: &str, _: Lang) -> Classification {
        let kind = if sentence.ends_with("ikke?") {
            QuestionKind::Leading
        } else if sentence.starts_with("Hvad") || sentence.starts_with("Hvorfor") {
            QuestionKind::Open
        } else if sentence.ends_with('?') {
            QuestionKind::Closed
        } else {
            QuestionKind::NotQuestion
        };
        Classification {
            sentence: sentence.to_string(),
            kind,
            rule: "test".into(),
            cue: String::new(),
            why: sentence.starts_with("Hvorfor"),
        }
    }

    #[test]
    fn counts_kinds_stacks_and_why_questions_per_turn() {
        use medlyt_core::Role::{Citizen as C, Employee as E};
        let mut t = Transcript::two_party("q.txt", "da", 120.0);
        for (role, start, end, text) in [
            // One turn, two segments 1 s apart: three questions stacked.
            (E, 0.0, 5.0, "Hvad skete der? Har du brevet?"),
            (E, 6.0, 10.0, "Hvorfor ringede du ikke før?"),
            (C, 11.0, 20.0, "Jeg havde travlt."),
            // A turn with one question: not stacked.
            (E, 21.0, 25.0, "Du har fået brevet, ikke? Godt."),
            (C, 26.0, 30.0, "Ja, og hvad nu?"),
            (E, 31.0, 60.0, "Nu sender jeg det."),
        ] {
            t.push_text(role, start, end, text);
        }
        let a = analyze_with(&t, &Config::for_lang(Lang::Da), &fake);
        let e = &a.questions.employee;
        assert_eq!(
            (e.questions, e.open, e.closed, e.leading, e.why),
            (4, 2, 1, 1, 1)
        );
        assert!((e.open_share - 0.5).abs() < 1e-12);
        // Conversation 0-60 s: one minute.
        assert!((e.per_minute - 4.0).abs() < 1e-12);
        assert_eq!(a.questions.citizen.questions, 1);
        assert_eq!(a.questions.stacked.len(), 1);
        assert_eq!(a.questions.stacked[0].at, 0.0);
        assert_eq!(a.questions.stacked[0].questions.len(), 3);
        assert_eq!(a.questions.why.len(), 1);
        assert_eq!(a.questions.why[0].at, 6.0);
        assert_eq!(a.utterances.len(), 6);
        assert_eq!(a.utterances[0].sentences.len(), 2);
    }
}
