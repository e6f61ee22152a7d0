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

pub(crate) fn measure(tl: &Timeline, config: &StructureConfig) -> Structure {
    let employee = || tl.utts.iter().filter(|u| u.party == 0 && !u.backchannel);
    // In a short call the opening and the closing are each at most a third of it.
    let third = tl.conversation.duration() / 3.0;
    let first = employee().map(|u| u.start).next().unwrap_or(0.0);
    let opening_end = first + config.opening_window.min(third);
    let opening_utts = || employee().filter(|u| u.start < opening_end);
    let closing_start = tl.conversation.end - config.closing_window.min(third);
    let closing_employee = || employee().filter(|u| u.end > closing_start);
    let citizen_closing = tl
        .utts
        .iter()
        .filter(|u| u.party == 1 && u.end > closing_start);
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
