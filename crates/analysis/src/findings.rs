//! What went well and what to work on, each tied to moments of the call.

use crate::config::Config;
use crate::escalation::{CueKind, MoveKind};
use crate::Analysis;
use medlyt_core::Role;
use serde::{Deserialize, Serialize};

/// Whether a finding is a strength or something to work on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Went well.
    Strength,
    /// A suggestion.
    Concern,
    /// Something that could not be checked: what it looks for was not found, but the words
    /// of that part of the call are too unsure to tell that it is absent.
    Unchecked,
}

/// What a finding is about; the report words each code in its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    /// The employee's share of talk is at or below the balanced share.
    BalancedTalk,
    /// The employee listened actively (backchannels) and did not interrupt.
    ActiveListening,
    /// Many of the employee's questions were open.
    OpenQuestions,
    /// The opening had a greeting, name and unit.
    FullOpening,
    /// The employee acknowledged feelings or apologised.
    Acknowledging,
    /// The employee summed up or agreed a next step.
    ClearClosing,
    /// The citizen thanked for the talk or the help.
    CitizenThanks,
    /// The employee's language was easy to read.
    PlainLanguage,
    /// The employee interrupted the citizen.
    Interrupting,
    /// The employee talked much more than the citizen.
    EmployeeTalksMost,
    /// A long monologue.
    LongMonologue,
    /// Few open questions.
    FewOpenQuestions,
    /// Several questions in one turn.
    StackedQuestions,
    /// Why-questions.
    WhyQuestions,
    /// Legal or bureaucratic terms not explained.
    UnexplainedJargon,
    /// "Det er reglerne" and similar.
    RulesPhrase,
    /// The citizen escalated and the employee did not acknowledge it.
    EscalationUnanswered,
    /// Parts of the opening missing.
    IncompleteOpening,
    /// No summary and no agreed next step.
    NoClearClosing,
    /// Hard language (high LIX).
    HardLanguage,
}

/// One moment of the call quoted in a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    /// Time in seconds.
    pub at: f64,
    /// Who spoke.
    pub role: Role,
    /// What was said.
    pub quote: String,
    /// What else a reader needs (e.g. what the citizen was saying when interrupted).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub context: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// What it is about.
    pub code: FindingCode,
    /// Strength or concern.
    pub polarity: Polarity,
    /// The figure behind it (share, count or LIX).
    pub value: f64,
    /// Whether it rests on the text (and the text is uncertain).
    pub uncertain: bool,
    /// Up to three moments, in time order.
    pub moments: Vec<Moment>,
}

fn moment(at: f64, role: Role, quote: &str) -> Moment {
    Moment {
        at,
        role,
        quote: quote.to_string(),
        context: String::new(),
    }
}

/// Concerns first by importance, then strengths; both in a fixed order.
pub(crate) fn find(a: &Analysis, c: &Config) -> Vec<Finding> {
    let text_uncertain = a.quality.text_uncertain;
    let mut out = Vec::new();
    let mut push = |code, polarity, value: f64, text: bool, mut moments: Vec<Moment>| {
        moments.dedup_by(|x, y| x.at == y.at);
        moments.truncate(3);
        out.push(Finding {
            code,
            polarity,
            value,
            uncertain: text && text_uncertain,
            moments,
        });
    };
    let (t, q, e, s, l) = (
        &a.talk,
        &a.questions,
        &a.escalation,
        &a.structure,
        &a.language,
    );
    let i = &a.interruptions;
    let has_citizen = t.citizen.talk_s > 0.0 && t.employee.talk_s > 0.0;
    use FindingCode::*;
    use Polarity::*;

    // Concerns, most important first.
    let unanswered: Vec<Moment> = e
        .cues
        .iter()
        .filter(|cue| {
            !e.moves.iter().any(|m| {
                matches!(m.kind, MoveKind::Acknowledge | MoveKind::Apology)
                    && m.at >= cue.at
                    && m.at <= cue.at + 60.0
            })
        })
        .filter(|cue| cue.kind != CueKind::Swearing || e.peak >= c.escalation.high_level)
        .map(|cue| moment(cue.at, Role::Citizen, &cue.quote))
        .collect();
    if !unanswered.is_empty() {
        push(
            EscalationUnanswered,
            Concern,
            unanswered.len() as f64,
            true,
            unanswered,
        );
    }
    if i.by_employee > 0 {
        let ms = i
            .events
            .iter()
            .filter(|ev| ev.by == Role::Employee)
            .map(|ev| Moment {
                context: ev.interrupted.clone(),
                ..moment(ev.at, Role::Employee, &ev.quote)
            })
            .collect();
        push(Interrupting, Concern, i.by_employee as f64, false, ms);
    }
    if has_citizen && t.employee.share >= c.talk.max_employee_share {
        push(EmployeeTalksMost, Concern, t.employee.share, false, vec![]);
    }
    if t.employee.longest_monologue_s >= c.talk.long_monologue {
        let at = t.employee.longest_monologue_at;
        let quote = a
            .utterances
            .iter()
            .find(|u| u.role == Role::Employee && u.start >= at)
            .map(|u| crate::text::quote(&u.text, 12))
            .unwrap_or_default();
        push(
            LongMonologue,
            Concern,
            t.employee.longest_monologue_s,
            false,
            vec![moment(at, Role::Employee, &quote)],
        );
    }
    let rules: Vec<Moment> = e
        .moves
        .iter()
        .filter(|m| m.kind == MoveKind::Rules)
        .map(|m| moment(m.at, Role::Employee, &m.quote))
        .collect();
    if !rules.is_empty() {
        push(RulesPhrase, Concern, rules.len() as f64, true, rules);
    }
    let jargon: Vec<Moment> = l
        .jargon
        .iter()
        .filter(|j| !j.explained)
        .map(|j| Moment {
            context: j.word.clone(),
            ..moment(j.at, Role::Employee, &j.quote)
        })
        .collect();
    if !jargon.is_empty() {
        push(
            UnexplainedJargon,
            Concern,
            l.unexplained as f64,
            true,
            jargon,
        );
    }
    let parts = &a.quality.parts;
    // A finding of absence from words too unsure to tell is reported as not checked.
    let absent_unless = |unsure: bool| if unsure { Unchecked } else { Concern };
    if q.employee.questions >= c.questions.min_questions
        && q.employee.open_share < c.questions.min_open_share
    {
        push(
            FewOpenQuestions,
            absent_unless(parts.employee.unsure),
            q.employee.open_share,
            true,
            vec![],
        );
    }
    let stacked: Vec<Moment> = q
        .stacked
        .iter()
        .filter(|st| st.role == Role::Employee)
        .map(|st| moment(st.at, Role::Employee, &st.questions.join(" ")))
        .collect();
    if !stacked.is_empty() {
        push(
            StackedQuestions,
            Concern,
            stacked.len() as f64,
            true,
            stacked,
        );
    }
    if !q.why.is_empty() {
        let ms = q
            .why
            .iter()
            .map(|w| moment(w.at, w.role, &w.sentence))
            .collect();
        push(WhyQuestions, Concern, q.why.len() as f64, true, ms);
    }
    if s.opening.parts() < 3 && t.employee.talk_s > 0.0 {
        push(
            IncompleteOpening,
            absent_unless(parts.opening.unsure),
            s.opening.parts() as f64,
            true,
            vec![],
        );
    }
    if s.closing.summary.is_none() && s.closing.next_step.is_none() && t.employee.talk_s > 0.0 {
        push(
            NoClearClosing,
            absent_unless(parts.closing.unsure),
            0.0,
            true,
            vec![],
        );
    }
    if l.words >= c.language.min_words && l.lix >= c.language.max_lix {
        push(HardLanguage, Concern, l.lix, true, vec![]);
    }

    // Strengths.
    if s.closing.citizen_thanks.is_some() {
        let ms = s
            .closing
            .citizen_thanks
            .iter()
            .map(|cue| moment(cue.at, cue.role, &cue.quote))
            .collect();
        push(CitizenThanks, Strength, 1.0, true, ms);
    }
    let calming: Vec<Moment> = e
        .moves
        .iter()
        .filter(|m| matches!(m.kind, MoveKind::Acknowledge | MoveKind::Apology))
        .map(|m| moment(m.at, Role::Employee, &m.quote))
        .collect();
    if !calming.is_empty() {
        push(Acknowledging, Strength, calming.len() as f64, true, calming);
    }
    if q.employee.questions >= c.questions.min_questions
        && q.employee.open_share >= c.questions.good_open_share
    {
        push(OpenQuestions, Strength, q.employee.open_share, true, vec![]);
    }
    if s.closing.summary.is_some() || s.closing.next_step.is_some() {
        let ms = s
            .closing
            .summary
            .iter()
            .chain(&s.closing.next_step)
            .map(|cue| moment(cue.at, cue.role, &cue.quote))
            .collect();
        push(ClearClosing, Strength, 1.0, true, ms);
    }
    if s.opening.parts() >= 3 {
        let ms = s
            .opening
            .greeting
            .iter()
            .chain(&s.opening.own_name)
            .take(1)
            .map(|cue| moment(cue.at, cue.role, &cue.quote))
            .collect();
        push(FullOpening, Strength, s.opening.parts() as f64, true, ms);
    }
    if has_citizen && t.employee.share <= c.talk.balanced_employee_share {
        push(BalancedTalk, Strength, t.employee.share, false, vec![]);
    }
    if has_citizen && i.by_employee == 0 && i.backchannels_employee > 0 {
        push(
            ActiveListening,
            Strength,
            i.backchannels_employee as f64,
            false,
            vec![],
        );
    }
    // Plain language says no jargon was heard: only where the employee's words are sure.
    if l.words >= c.language.min_words
        && l.lix < c.language.lix_bands[1]
        && l.unexplained == 0
        && !parts.employee.unsure
    {
        push(PlainLanguage, Strength, l.lix, true, vec![]);
    }
    out
}
