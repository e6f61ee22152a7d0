//! The call's notable moments, for the escalation story and the report's details.

use crate::config::Config;
use crate::escalation::CueKind;
use crate::Analysis;
use medlyt_core::Role;
use serde::{Deserialize, Serialize};

/// What happened at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    /// An interruption.
    Interruption,
    /// A citizen anger cue.
    Anger,
    /// A citizen complaint cue.
    Complaint,
    /// A citizen threat cue.
    Threat,
    /// Swearing.
    Swearing,
    /// Raised loudness.
    Loud,
    /// A de-escalating employee move.
    Deescalating,
    /// An escalating employee move (other than interrupting).
    Escalating,
    /// The start of a window at or above the escalation threshold.
    EscalationPeak,
    /// The citizen's thanks.
    Thanks,
}

/// One notable moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyMoment {
    /// Time in seconds.
    pub at: f64,
    /// What happened.
    pub kind: MomentKind,
    /// Who spoke.
    pub role: Role,
    /// What was said.
    pub quote: String,
    /// The cue, term or figure behind it.
    pub detail: String,
}

pub(crate) fn collect(a: &Analysis, config: &Config) -> Vec<KeyMoment> {
    let mut out = Vec::new();
    let mut add = |at, kind, role, quote: &str, detail: String| {
        out.push(KeyMoment {
            at,
            kind,
            role,
            quote: quote.to_string(),
            detail,
        })
    };
    for e in &a.interruptions.events {
        let detail = format!("{:.1} s", e.overlap_s);
        add(e.at, MomentKind::Interruption, e.by, &e.quote, detail);
    }
    for c in &a.escalation.cues {
        let kind = match c.kind {
            CueKind::Anger => MomentKind::Anger,
            CueKind::Complaint => MomentKind::Complaint,
            CueKind::Threat => MomentKind::Threat,
            CueKind::Swearing => MomentKind::Swearing,
        };
        add(c.at, kind, Role::Citizen, &c.quote, c.word.clone());
    }
    for l in &a.escalation.loud {
        add(
            l.at,
            MomentKind::Loud,
            l.role,
            &l.quote,
            format!("+{:.1} dB", l.db_above),
        );
    }
    for m in &a.escalation.moves {
        if m.kind == crate::MoveKind::Interrupting {
            continue;
        }
        let kind = if m.deescalating {
            MomentKind::Deescalating
        } else {
            MomentKind::Escalating
        };
        add(m.at, kind, Role::Employee, &m.quote, m.cue.clone());
    }
    let mut high = false;
    for w in &a.escalation.curve {
        let now = w.level >= config.escalation.high_level;
        if now && !high {
            add(
                w.start,
                MomentKind::EscalationPeak,
                Role::Citizen,
                "",
                format!("{:.0}", w.level),
            );
        }
        high = now;
    }
    if let Some(c) = &a.structure.closing.citizen_thanks {
        add(
            c.at,
            MomentKind::Thanks,
            Role::Citizen,
            &c.quote,
            c.cue.clone(),
        );
    }
    out.sort_by(|x, y| x.at.total_cmp(&y.at));
    out
}
