//! Measure 5a: the call's opening and closing.

use crate::config::StructureConfig;
use crate::text::{quote, Lexicon};
use crate::timeline::{role_of, Timeline, Utt};
use medlyt_core::Role;
use serde::{Deserialize, Serialize};

/// A cue found in the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    /// Start of the utterance.
    pub at: f64,
    /// Who said it.
    pub role: Role,
    /// The lexicon entry that matched.
    pub cue: String,
    /// The utterance, shortened.
    pub quote: String,
}

/// The employee's opening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opening {
    /// A greeting.
    pub greeting: Option<Cue>,
    /// The employee's own name.
    pub own_name: Option<Cue>,
    /// The employee's unit.
    pub unit: Option<Cue>,
    /// What the call is about.
    pub purpose: Option<Cue>,
}

/// The closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closing {
    /// The employee sums up.
    pub summary: Option<Cue>,
    /// The employee names an agreed next step.
    pub next_step: Option<Cue>,
    /// The citizen thanks for the talk or the help.
    pub citizen_thanks: Option<Cue>,
}

/// Measure 5a.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    /// The opening.
    pub opening: Opening,
    /// The closing.
    pub closing: Closing,
}

impl Opening {
    /// How many of the four opening parts were found.
    pub fn parts(&self) -> usize {
        [&self.greeting, &self.own_name, &self.unit, &self.purpose]
            .iter()
            .filter(|c| c.is_some())
            .count()
    }
}

pub(crate) fn find_cue<'a>(
    utts: impl IntoIterator<Item = &'a Utt>,
    phrases: &[String],
) -> Option<Cue> {
    let lexicon = Lexicon::new(phrases);
    utts.into_iter().find_map(|u| {
        lexicon.first(&u.toks).map(|hit| Cue {
            at: u.start,
            role: role_of(u.party),
            cue: hit.phrase,
            quote: quote(&u.text, 14),
        })
    })
}

/// Where the opening ends and the closing begins.
struct Windows {
    opening_end: f64,
    closing_start: f64,
}

impl Windows {
    /// In a short call the opening and the closing are each at most a third of it.
    fn of(tl: &Timeline, config: &StructureConfig) -> Windows {
        let third = tl.conversation.duration() / 3.0;
        let first = employee(tl).map(|u| u.start).next().unwrap_or(0.0);
        Windows {
            opening_end: first + config.opening_window.min(third),
            closing_start: tl.conversation.end - config.closing_window.min(third),
        }
    }
}

/// The employee's utterances, backchannels left out.
fn employee(tl: &Timeline) -> impl Iterator<Item = &Utt> {
    tl.utts.iter().filter(|u| u.party == 0 && !u.backchannel)
}

/// The segment indices of the employee's utterances in the opening and in the closing: the
/// words the structure's findings rest on.
pub(crate) fn window_segments(tl: &Timeline, config: &StructureConfig) -> (Vec<usize>, Vec<usize>) {
    let w = Windows::of(tl, config);
    let opening = employee(tl)
        .filter(|u| u.start < w.opening_end)
        .map(|u| u.seg)
        .collect();
    let closing = employee(tl)
        .filter(|u| u.end > w.closing_start)
        .map(|u| u.seg)
        .collect();
    (opening, closing)
}

pub(crate) fn measure(tl: &Timeline, config: &StructureConfig) -> Structure {
    let w = Windows::of(tl, config);
    let opening_utts = || employee(tl).filter(|u| u.start < w.opening_end);
    let closing_employee = || employee(tl).filter(|u| u.end > w.closing_start);
    let citizen_closing = tl
        .utts
        .iter()
        .filter(|u| u.party == 1 && u.end > w.closing_start);
    Structure {
        opening: Opening {
            greeting: find_cue(opening_utts(), &config.greeting),
            own_name: find_cue(opening_utts(), &config.own_name),
            unit: find_cue(opening_utts(), &config.unit),
            purpose: find_cue(opening_utts(), &config.purpose),
        },
        closing: Closing {
            summary: find_cue(closing_employee(), &config.summary),
            next_step: find_cue(closing_employee(), &config.next_step),
            citizen_thanks: find_cue(citizen_closing, &config.thanks),
        },
    }
}
