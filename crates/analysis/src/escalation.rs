//! Measure 4: the citizen's escalation cues, the employee's moves and the escalation curve.

use crate::config::EscalationConfig;
use crate::interrupt::Interruptions;
use crate::language::Language;
use crate::talk::{median, ratio};
use crate::text::{quote, Lexicon};
use crate::timeline::{role_of, Timeline};
use medlyt_core::{Role, Span, Transcript};
use serde::{Deserialize, Serialize};

/// The kind of a citizen cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueKind {
    /// Anger ("urimeligt").
    Anger,
    /// Complaint ("klage").
    Complaint,
    /// Threat ("advokat", "pressen").
    Threat,
    /// Swearing.
    Swearing,
}

/// A citizen cue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CueHit {
    /// Start of the utterance.
    pub at: f64,
    /// The kind.
    pub kind: CueKind,
    /// The lexicon entry that matched.
    pub cue: String,
    /// The words as said.
    pub word: String,
    /// The utterance, shortened.
    pub quote: String,
}

/// A segment spoken louder than the speaker's own median.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loud {
    /// Start of the segment.
    pub at: f64,
    /// Who spoke.
    pub role: Role,
    /// dB above the speaker's median loudness.
    pub db_above: f64,
    /// The segment, shortened.
    pub quote: String,
}

/// The kind of an employee move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// Acknowledging feelings (de-escalating).
    Acknowledge,
    /// Apologising (de-escalating).
    Apology,
    /// Explaining what happens next (de-escalating).
    NextStep,
    /// Hiding behind rules (escalating).
    Rules,
    /// Interrupting the citizen (escalating).
    Interrupting,
    /// A legal or bureaucratic term left unexplained (escalating).
    Jargon,
}

impl MoveKind {
    /// Whether the move calms the conversation.
    pub fn deescalating(self) -> bool {
        matches!(
            self,
            MoveKind::Acknowledge | MoveKind::Apology | MoveKind::NextStep
        )
    }
}

/// An employee move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Move {
    /// Start of the utterance.
    pub at: f64,
    /// The kind.
    pub kind: MoveKind,
    /// Whether it calms the conversation.
    pub deescalating: bool,
    /// The cue (lexicon entry, term or "interruption").
    pub cue: String,
    /// The utterance, shortened.
    pub quote: String,
}

/// One window of the escalation curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Start in seconds.
    pub start: f64,
    /// Escalation level 0-100.
    pub level: f64,
    /// Citizen cues in the window.
    pub cues: usize,
    /// Citizen segments with raised loudness.
    pub loud: usize,
    /// Seconds of overlapping speech.
    pub overlap_s: f64,
    /// Whether the citizen spoke faster than their own average.
    pub faster: bool,
    /// Escalating employee moves.
    pub escalating: usize,
    /// De-escalating employee moves.
    pub deescalating: usize,
}

/// Measure 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    /// Citizen cues in time order.
    pub cues: Vec<CueHit>,
    /// Segments with raised loudness (only where loudness was measured).
    pub loud: Vec<Loud>,
    /// Whether loudness was measured.
    pub loudness_measured: bool,
    /// Employee moves in time order.
    pub moves: Vec<Move>,
    /// De-escalating moves.
    pub deescalating: usize,
    /// Escalating moves.
    pub escalating: usize,
    /// The curve.
    pub curve: Vec<Window>,
    /// The highest level.
    pub peak: f64,
    /// Start of the window with the highest level.
    pub peak_at: f64,
    /// The level of the last window.
    pub final_level: f64,
}

pub(crate) fn measure(
    t: &Transcript,
    tl: &Timeline,
    config: &EscalationConfig,
    interruptions: &Interruptions,
    language: &Language,
) -> Escalation {
    let kinds = [
        (CueKind::Anger, &config.anger),
        (CueKind::Complaint, &config.complaint),
        (CueKind::Threat, &config.threat),
        (CueKind::Swearing, &config.swearing),
    ];
    let lexicons: Vec<(CueKind, Lexicon)> =
        kinds.iter().map(|(k, p)| (*k, Lexicon::new(p))).collect();
    let mut cues = Vec::new();
    for u in tl.utts.iter().filter(|u| u.party == 1) {
        for (kind, lexicon) in &lexicons {
            for hit in lexicon.find(&u.toks) {
                cues.push(CueHit {
                    at: u.start,
                    kind: *kind,
                    word: hit.text,
                    cue: hit.phrase,
                    quote: quote(&u.text, 14),
                });
            }
        }
    }
    let (loud, loudness_measured) = loud_segments(t, tl, config.loudness_rise_db);
    let moves = employee_moves(tl, config, interruptions, language);
    let curve = curve(tl, config, &cues, &loud, &moves);
    let peak_window = curve.iter().max_by(|a, b| {
        a.level
            .total_cmp(&b.level)
            .then(b.start.total_cmp(&a.start))
    });
    Escalation {
        deescalating: moves.iter().filter(|m| m.deescalating).count(),
        escalating: moves.iter().filter(|m| !m.deescalating).count(),
        peak: peak_window.map(|w| w.level).unwrap_or(0.0),
        peak_at: peak_window.map(|w| w.start).unwrap_or(0.0),
        final_level: curve.last().map(|w| w.level).unwrap_or(0.0),
        cues,
        loud,
        loudness_measured,
        moves,
        curve,
    }
}

fn loud_segments(t: &Transcript, tl: &Timeline, rise: f64) -> (Vec<Loud>, bool) {
    let mut out = Vec::new();
    let mut measured = false;
    for p in 0..2 {
        let levels: Vec<(usize, f64)> = tl
            .utts
            .iter()
            .filter(|u| u.party == p)
            .filter_map(|u| {
                let db = t.segments.get(u.seg)?.loudness_dbfs?;
                db.is_finite().then_some((u.seg, f64::from(db)))
            })
            .collect();
        if levels.is_empty() {
            continue;
        }
        measured = true;
        let baseline = median(&mut levels.iter().map(|l| l.1).collect::<Vec<_>>());
        for u in tl.utts.iter().filter(|u| u.party == p) {
            if let Some((_, db)) = levels.iter().find(|l| l.0 == u.seg) {
                if db - baseline >= rise {
                    out.push(Loud {
                        at: u.start,
                        role: role_of(p),
                        db_above: db - baseline,
                        quote: quote(&u.text, 14),
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.at.total_cmp(&b.at));
    (out, measured)
}

fn employee_moves(
    tl: &Timeline,
    config: &EscalationConfig,
    interruptions: &Interruptions,
    language: &Language,
) -> Vec<Move> {
    let kinds = [
        (MoveKind::Acknowledge, &config.acknowledge),
        (MoveKind::Apology, &config.apology),
        (MoveKind::NextStep, &config.next_step),
        (MoveKind::Rules, &config.rules),
    ];
    let lexicons: Vec<(MoveKind, Lexicon)> =
        kinds.iter().map(|(k, p)| (*k, Lexicon::new(p))).collect();
    let mut moves = Vec::new();
    for u in tl.utts.iter().filter(|u| u.party == 0) {
        for (kind, lexicon) in &lexicons {
            // One move of a kind per utterance.
            if let Some(hit) = lexicon.first(&u.toks) {
                moves.push(new_move(u.start, *kind, hit.phrase, quote(&u.text, 14)));
            }
        }
    }
    for e in interruptions
        .events
        .iter()
        .filter(|e| e.by == Role::Employee)
    {
        moves.push(new_move(
            e.at,
            MoveKind::Interrupting,
            "interruption".into(),
            e.quote.clone(),
        ));
    }
    for j in language.jargon.iter().filter(|j| !j.explained) {
        moves.push(new_move(
            j.at,
            MoveKind::Jargon,
            j.word.clone(),
            j.quote.clone(),
        ));
    }
    moves.sort_by(|a, b| a.at.total_cmp(&b.at));
    moves
}

fn new_move(at: f64, kind: MoveKind, cue: String, quote: String) -> Move {
    Move {
        at,
        kind,
        deescalating: kind.deescalating(),
        cue,
        quote,
    }
}

/// The most windows in a curve. A call longer than this many windows of `escalation.window` (a
/// day has 2880 of 30 s) gets wider windows, so the curve's size never grows with a time written
/// in a transcript.
pub(crate) const MAX_CURVE_WINDOWS: usize = 10_000;

/// The windows' width: `escalation.window`, widened so that the call fits in
/// [`MAX_CURVE_WINDOWS`] (and the whole call where the window is not a positive time).
fn window_width(window: f64, duration: f64) -> f64 {
    let fit = duration / MAX_CURVE_WINDOWS as f64;
    if window.is_finite() && window > 0.0 {
        window.max(fit)
    } else {
        duration.max(1.0)
    }
}

/// The curve over the call's windows. Every event is put into its window once, and each span
/// list is searched per window, so the time grows with the number of events and windows (at most
/// [`MAX_CURVE_WINDOWS`]), not with their product.
fn curve(
    tl: &Timeline,
    config: &EscalationConfig,
    cues: &[CueHit],
    loud: &[Loud],
    moves: &[Move],
) -> Vec<Window> {
    let w = config.weights.clone();
    let width = window_width(config.window, tl.duration);
    let count = (tl.duration / width)
        .ceil()
        .clamp(1.0, MAX_CURVE_WINDOWS as f64) as usize;
    let span_of = |i: usize| Span::new(i as f64 * width, (i + 1) as f64 * width);
    // The window holding `at` (start <= at < end), as the windows are tested one by one.
    let slot = |at: f64| -> Option<usize> {
        if !(at.is_finite() && at >= 0.0) {
            return None;
        }
        let guess = (at / width).floor();
        if guess > count as f64 {
            return None;
        }
        let mut k = guess as usize;
        while k > 0 && at < span_of(k).start {
            k -= 1;
        }
        while at >= span_of(k).end {
            k += 1;
        }
        (k < count).then_some(k)
    };
    let overlaps = intersect(&tl.speech[0], &tl.speech[1]);
    let citizen_words: usize = tl
        .utts
        .iter()
        .filter(|u| u.party == 1)
        .map(|u| u.words)
        .sum();
    let citizen_rate = ratio(
        citizen_words as f64,
        tl.speech[1].iter().map(Span::duration).sum(),
    );
    let mut window_cues: Vec<Vec<&CueHit>> = vec![Vec::new(); count];
    for c in cues {
        if let Some(k) = slot(c.at) {
            window_cues[k].push(c);
        }
    }
    let mut loud_n = vec![0usize; count];
    for l in loud.iter().filter(|l| l.role == Role::Citizen) {
        if let Some(k) = slot(l.at) {
            loud_n[k] += 1;
        }
    }
    let mut words = vec![0usize; count];
    for u in tl.utts.iter().filter(|u| u.party == 1) {
        if let Some(k) = slot(u.start) {
            words[k] += u.words;
        }
    }
    let (mut escalating, mut deescalating) = (vec![0usize; count], vec![0usize; count]);
    for m in moves {
        if let Some(k) = slot(m.at) {
            if m.deescalating {
                deescalating[k] += 1;
            } else {
                escalating[k] += 1;
            }
        }
    }
    let mut curve = Vec::with_capacity(count);
    let mut previous = 0.0;
    for i in 0..count {
        let span = span_of(i);
        let window_cues = &window_cues[i];
        let overlap_s = overlap_in(&overlaps, &span);
        let speech_s = overlap_in(&tl.speech[1], &span);
        let faster = speech_s >= 5.0
            && citizen_rate > 0.0
            && ratio(words[i] as f64, speech_s) >= config.rate_rise * citizen_rate;
        let cue_points: f64 = window_cues
            .iter()
            .map(|c| match c.kind {
                CueKind::Anger => w.anger,
                CueKind::Complaint => w.complaint,
                CueKind::Threat => w.threat,
                CueKind::Swearing => w.swearing,
            })
            .sum();
        let raw = cue_points
            + w.loudness * loud_n[i] as f64
            + w.overlap_per_second * overlap_s
            + if faster { w.rate } else { 0.0 }
            + w.employee_escalating * escalating[i] as f64
            - w.employee_deescalating * deescalating[i] as f64;
        let level = (raw + config.carry * previous).clamp(0.0, 100.0);
        previous = level;
        curve.push(Window {
            start: span.start,
            level,
            cues: window_cues.len(),
            loud: loud_n[i],
            overlap_s,
            faster,
            escalating: escalating[i],
            deescalating: deescalating[i],
        });
    }
    curve
}

/// Seconds of the sorted, merged `spans` inside `window`, found by binary search. The sum is
/// the one over every span (those outside add nothing), to the last bit.
fn overlap_in(spans: &[Span], window: &Span) -> f64 {
    let lo = spans.partition_point(|s| s.end <= window.start);
    let hi = spans.partition_point(|s| s.start < window.end).max(lo);
    // An empty sum is -0.0; the sum over spans that all miss the window is +0.0.
    let empty = if spans.is_empty() { -0.0 } else { 0.0 };
    spans[lo..hi]
        .iter()
        .fold(empty, |sum, s| sum + s.overlap(window))
}

/// Intersections of two sorted, merged span lists.
fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if end > start {
            out.push(Span::new(start, end));
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}
