//! Measure 1: talk time, silence, overlap, turns, monologues, reply gaps and pace.

use crate::timeline::Timeline;
use medlyt_core::{total_duration, Span};
use serde::{Deserialize, Serialize};

/// Talk-time figures for one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyTalk {
    /// Seconds of speech.
    pub talk_s: f64,
    /// Share of both parties' speech (0-1).
    pub share: f64,
    /// Number of turns.
    pub turns: usize,
    /// The longest turn in seconds.
    pub longest_monologue_s: f64,
    /// Start of the longest turn.
    pub longest_monologue_at: f64,
    /// Median pause before taking the floor (0 when the party never took it).
    pub median_reply_gap_s: f64,
    /// How many times the party took the floor from the other.
    pub replies: usize,
    /// Words per minute of own speech time.
    pub words_per_minute: f64,
    /// Words spoken.
    pub words: usize,
}

/// A time with nobody speaking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    /// Start in seconds.
    pub start: f64,
    /// Length in seconds.
    pub duration_s: f64,
}

/// Measure 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalkTime {
    /// The employee.
    pub employee: PartyTalk,
    /// The citizen.
    pub citizen: PartyTalk,
    /// Employee seconds per citizen second (`None` when the citizen did not speak).
    pub ratio: Option<f64>,
    /// From the first to the last speech of either party, in seconds.
    pub conversation_s: f64,
    /// Time inside the conversation with nobody speaking.
    pub silence_s: f64,
    /// Silence as a share of the conversation.
    pub silence_share: f64,
    /// The longest silence.
    pub longest_silence: Option<Silence>,
    /// Silences at least `talk.long_silence` long.
    pub long_silences: Vec<Silence>,
    /// Time with both speaking.
    pub overlap_s: f64,
    /// Overlap as a share of the conversation.
    pub overlap_share: f64,
    /// Changes of the floor per minute of conversation.
    pub switches_per_minute: f64,
}

pub(crate) fn measure(tl: &Timeline, long_silence: f64) -> TalkTime {
    let talk = [total_duration(&tl.speech[0]), total_duration(&tl.speech[1])];
    let sum = talk[0] + talk[1];
    let conversation_s = tl.conversation.duration();
    let both: Vec<Span> = tl.speech.concat();
    let covered = total_duration(&both);
    let overlap_s = (talk[0] + talk[1] - covered).max(0.0);
    let silences = gaps(&medlyt_core::union(&both, 0.0));
    let silence_s: f64 = silences.iter().map(|s| s.duration_s).sum();
    let longest_silence = silences
        .iter()
        .copied()
        .max_by(|a, b| a.duration_s.total_cmp(&b.duration_s));
    let long_silences = silences
        .iter()
        .copied()
        .filter(|s| s.duration_s >= long_silence)
        .collect();
    let switches = tl.turns.iter().filter(|t| t.gap.is_some()).count();
    let party = |p: usize| {
        let turns: Vec<_> = tl.turns.iter().filter(|t| t.party == p).collect();
        let longest = turns
            .iter()
            .max_by(|a, b| (a.end - a.start).total_cmp(&(b.end - b.start)));
        let mut gaps: Vec<f64> = turns.iter().filter_map(|t| t.gap).collect();
        let words: usize = tl
            .utts
            .iter()
            .filter(|u| u.party == p)
            .map(|u| u.words)
            .sum();
        PartyTalk {
            talk_s: talk[p],
            share: ratio(talk[p], sum),
            turns: turns.len(),
            longest_monologue_s: longest.map(|t| t.end - t.start).unwrap_or(0.0),
            longest_monologue_at: longest.map(|t| t.start).unwrap_or(0.0),
            median_reply_gap_s: median(&mut gaps),
            replies: gaps.len(),
            words_per_minute: ratio(words as f64 * 60.0, talk[p]),
            words,
        }
    };
    TalkTime {
        employee: party(0),
        citizen: party(1),
        ratio: (talk[1] > 0.0).then(|| talk[0] / talk[1]),
        conversation_s,
        silence_s,
        silence_share: ratio(silence_s, conversation_s),
        longest_silence,
        long_silences,
        overlap_s,
        overlap_share: ratio(overlap_s, conversation_s),
        switches_per_minute: ratio(switches as f64 * 60.0, conversation_s),
    }
}

/// Gaps between consecutive merged spans.
fn gaps(merged: &[Span]) -> Vec<Silence> {
    merged
        .windows(2)
        .map(|w| Silence {
            start: w[0].end,
            duration_s: w[1].start - w[0].end,
        })
        .filter(|s| s.duration_s > 0.0)
        .collect()
}

/// `a / b`, or 0 when `b` is 0.
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// The median (mean of the middle two for an even count), 0 for none.
pub(crate) fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
