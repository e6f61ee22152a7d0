//! The call as utterances, speech intervals and turns per party.

use crate::config::Config;
use crate::text::{tokens, word_count, Lexicon};
use medlyt_core::{union, Role, Span, Transcript};

/// Index of a party in per-party arrays: 0 employee, 1 citizen.
pub(crate) fn party(role: Role) -> Option<usize> {
    match role {
        Role::Employee => Some(0),
        Role::Citizen => Some(1),
        Role::Unknown => None,
    }
}

/// The role of a party index.
pub(crate) fn role_of(p: usize) -> Role {
    if p == 0 {
        Role::Employee
    } else {
        Role::Citizen
    }
}

/// One segment of the employee or the citizen.
#[derive(Debug, Clone)]
pub(crate) struct Utt {
    pub seg: usize,
    pub party: usize,
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub toks: Vec<String>,
    pub words: usize,
    pub backchannel: bool,
}

/// A stretch where one party holds the floor.
#[derive(Debug, Clone)]
pub(crate) struct Turn {
    pub party: usize,
    pub start: f64,
    pub end: f64,
    pub utts: Vec<usize>,
    /// Pause before taking the floor from the other party (0 if overlapped); `None` for the
    /// first turn and for a turn after the same party's own long pause.
    pub gap: Option<f64>,
}

/// The call laid out in time.
#[derive(Debug, Clone)]
pub(crate) struct Timeline {
    pub utts: Vec<Utt>,
    /// Each party's speech, merged (no bridging).
    pub speech: [Vec<Span>; 2],
    /// Each party's speech with its short pauses bridged.
    pub bridged: [Vec<Span>; 2],
    /// First to last speech of either party.
    pub conversation: Span,
    /// Length of the recording (at least the end of the last speech).
    pub duration: f64,
    pub turns: Vec<Turn>,
}

impl Timeline {
    pub(crate) fn build(t: &Transcript, config: &Config) -> Timeline {
        let mut utts: Vec<Utt> = t
            .segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.start.is_finite() && s.end.is_finite() && s.end >= s.start)
            .filter_map(|(seg, s)| {
                let p = party(t.role_of(s))?;
                Some(Utt {
                    seg,
                    party: p,
                    start: s.start.max(0.0),
                    end: s.end.max(0.0),
                    text: s.text.trim().to_string(),
                    toks: tokens(&s.text),
                    words: word_count(&s.text),
                    backchannel: false,
                })
            })
            .collect();
        utts.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.end.total_cmp(&b.end)));

        let speech = [0, 1].map(|p| party_speech(t, &utts, p));
        let bridge = config.interruptions.bridge.max(0.0);
        let bridged = [union(&speech[0], bridge), union(&speech[1], bridge)];
        let first = speech.iter().flatten().map(|s| s.start).reduce(f64::min);
        let last = speech.iter().flatten().map(|s| s.end).reduce(f64::max);
        let conversation = match (first, last) {
            (Some(a), Some(b)) => Span::new(a, b),
            _ => Span::new(0.0, 0.0),
        };
        let duration = if t.recording.duration.is_finite() {
            t.recording.duration.max(conversation.end)
        } else {
            conversation.end
        };

        let mut tl = Timeline {
            utts,
            speech,
            bridged,
            conversation,
            duration,
            turns: Vec::new(),
        };
        tl.mark_backchannels(config);
        tl.turns = build_turns(&tl.utts, config.talk.turn_pause);
        tl
    }

    /// Whether `party` is speaking (bridged) at time `at`, strictly after its interval began.
    pub(crate) fn speaking_at(&self, party: usize, at: f64) -> Option<Span> {
        let spans = &self.bridged[party];
        let i = spans.partition_point(|s| s.start < at);
        (i > 0)
            .then(|| spans[i - 1])
            .filter(|s| s.start < at && at < s.end)
    }

    fn mark_backchannels(&mut self, config: &Config) {
        let lexicon = Lexicon::new(&config.interruptions.backchannels);
        let pause = config.talk.turn_pause;
        for i in 0..self.utts.len() {
            let u = &self.utts[i];
            if u.words == 0
                || u.words > config.interruptions.backchannel_max_words
                || !lexicon.covers(&u.toks)
            {
                continue;
            }
            let other = 1 - u.party;
            let during = self.speaking_at(other, u.start).is_some();
            let before = self.utts[..i]
                .iter()
                .rev()
                .find(|v| v.party == other)
                .filter(|v| u.start - v.end <= pause && !v.text.ends_with('?'));
            let after = self.utts[i + 1..]
                .iter()
                .find(|v| v.party == other)
                .filter(|v| v.start - u.end <= pause);
            if during || (before.is_some() && after.is_some()) {
                self.utts[i].backchannel = true;
            }
        }
    }
}

fn party_speech(t: &Transcript, utts: &[Utt], p: usize) -> Vec<Span> {
    let vad: Vec<Span> = t
        .tracks
        .iter()
        .filter(|k| party(k.role) == Some(p))
        .flat_map(|k| k.speech.iter().copied())
        .filter(|s| s.start.is_finite() && s.end.is_finite())
        .collect();
    if !vad.is_empty() {
        return union(&vad, 0.0);
    }
    let spans: Vec<Span> = utts
        .iter()
        .filter(|u| u.party == p)
        .map(|u| Span::new(u.start, u.end))
        .collect();
    union(&spans, 0.0)
}

fn build_turns(utts: &[Utt], pause: f64) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    for (i, u) in utts.iter().enumerate() {
        if u.backchannel {
            continue;
        }
        let Some(cur) = turns.last_mut() else {
            turns.push(new_turn(u, i, None));
            continue;
        };
        if u.party == cur.party {
            if u.start - cur.end > pause {
                turns.push(new_turn(u, i, None));
            } else {
                cur.end = cur.end.max(u.end);
                cur.utts.push(i);
            }
        } else if u.end <= cur.end {
            // Said entirely inside the other's turn: the floor does not change hands.
            continue;
        } else {
            let gap = (u.start - cur.end).max(0.0);
            turns.push(new_turn(u, i, Some(gap)));
        }
    }
    turns
}

fn new_turn(u: &Utt, i: usize, gap: Option<f64>) -> Turn {
    Turn {
        party: u.party,
        start: u.start,
        end: u.end,
        utts: vec![i],
        gap,
    }
}
