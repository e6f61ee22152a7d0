//! Measure 2: interruptions and backchannels.

use crate::config::InterruptionConfig;
use crate::talk::ratio;
use crate::text::quote;
use crate::timeline::{role_of, Timeline};
use medlyt_core::{total_duration, Role};
use serde::{Deserialize, Serialize};

/// What the interrupted speaker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Stopped before the incoming speaker did: the floor changed hands.
    Yielded,
    /// Kept speaking at least as long as the incoming speaker.
    TalkedOver,
}

/// One interruption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interruption {
    /// When the incoming speaker started, in seconds.
    pub at: f64,
    /// Who cut in.
    pub by: Role,
    /// Who was speaking.
    pub of: Role,
    /// Seconds both spoke.
    pub overlap_s: f64,
    /// Whether the first speaker yielded or was talked over.
    pub outcome: Outcome,
    /// What the incoming speaker said.
    pub quote: String,
    /// What the interrupted speaker was saying.
    pub interrupted: String,
}

/// A minimal encourager said while the other holds the floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backchannel {
    /// Start in seconds.
    pub at: f64,
    /// Who said it.
    pub by: Role,
    /// The words.
    pub text: String,
}

/// Measure 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interruptions {
    /// Every interruption in time order.
    pub events: Vec<Interruption>,
    /// Interruptions by the employee.
    pub by_employee: usize,
    /// Interruptions by the citizen.
    pub by_citizen: usize,
    /// Seconds of overlap in all interruptions.
    pub overlap_s: f64,
    /// Overlapping starts too short to be interruptions and not backchannels
    /// (early turn-taking).
    pub brief_overlaps: usize,
    /// Every backchannel in time order.
    pub backchannels: Vec<Backchannel>,
    /// Backchannels by the employee.
    pub backchannels_employee: usize,
    /// Backchannels by the citizen.
    pub backchannels_citizen: usize,
    /// The employee's backchannels per minute of the citizen's speech.
    pub employee_backchannels_per_minute: f64,
}

pub(crate) fn measure(tl: &Timeline, config: &InterruptionConfig) -> Interruptions {
    let mut events = Vec::new();
    let mut brief_overlaps = 0;
    // Onsets come from each party's speech (bridged), not from segment starts: a recognised
    // segment may start a little after the voice did, and only the voice says who was first.
    for party in [0, 1] {
        let other = 1 - party;
        for span in &tl.bridged[party] {
            let Some(floor) = tl.speaking_at(other, span.start) else {
                continue;
            };
            let said: Vec<&crate::timeline::Utt> = tl
                .utts
                .iter()
                .filter(|u| u.party == party && u.words > 0)
                .filter(|u| u.start < span.end && u.end > span.start)
                .collect();
            let Some(first) = said.first() else {
                continue;
            };
            if said.iter().all(|u| u.backchannel) {
                continue;
            }
            let overlap_s = floor.end.min(span.end) - span.start;
            let remark = floor.end > span.end && span.end - span.start <= config.max_remark;
            if overlap_s <= config.min_overlap || remark {
                brief_overlaps += 1;
                continue;
            }
            let interrupted = tl
                .utts
                .iter()
                .rfind(|v| v.party == other && v.start < span.start)
                .map(|v| quote(&v.text, 12))
                .unwrap_or_default();
            events.push(Interruption {
                at: span.start,
                by: role_of(party),
                of: role_of(other),
                overlap_s,
                outcome: if floor.end < span.end {
                    Outcome::Yielded
                } else {
                    Outcome::TalkedOver
                },
                quote: quote(&first.text, 12),
                interrupted,
            });
        }
    }
    events.sort_by(|a, b| a.at.total_cmp(&b.at));
    let backchannels: Vec<Backchannel> = tl
        .utts
        .iter()
        .filter(|u| u.backchannel)
        .map(|u| Backchannel {
            at: u.start,
            by: role_of(u.party),
            text: u.text.clone(),
        })
        .collect();
    let count = |events: &[Interruption], r: Role| events.iter().filter(|e| e.by == r).count();
    let bc = |r: Role| backchannels.iter().filter(|b| b.by == r).count();
    let backchannels_employee = bc(Role::Employee);
    Interruptions {
        by_employee: count(&events, Role::Employee),
        by_citizen: count(&events, Role::Citizen),
        overlap_s: events.iter().map(|e| e.overlap_s).sum(),
        brief_overlaps,
        backchannels_citizen: bc(Role::Citizen),
        backchannels_employee,
        employee_backchannels_per_minute: ratio(
            backchannels_employee as f64 * 60.0,
            total_duration(&tl.speech[1]),
        ),
        backchannels,
        events,
    }
}
