//! Scoring a [`Diarization`] against the ground truth of a scripted call fixture
//! (`fixtures/calls/*.json`, `fixtures/mono/*.json`; schema in `fixtures/README.md`), or of a
//! recording labelled elsewhere in RTTM ([`Truth::from_rttm`]).

use crate::rttm::RttmTurn;
use crate::{interruptions, Diarization, Turn, MAX_SPEAKERS};
use medlyt_core::{total_duration, union, Span};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Step of the time grid the error rates are counted on, in seconds.
const STEP: f64 = 0.01;
/// Interruptions need more than this much overlap (seconds), as in the fixtures' truth.
pub const INTERRUPTION_OVERLAP_S: f64 = 0.5;

/// Reading a truth file failed.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("failed to read truth file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid truth document.
    #[error("failed to parse truth file {path}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
}

/// The parts of a fixture's truth file the evaluation needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Truth {
    /// Call name.
    pub name: String,
    /// Length in seconds.
    pub duration: f64,
    /// File names, relative to the truth file.
    pub files: TruthFiles,
    /// Every utterance.
    pub utterances: Vec<Utterance>,
    /// Scripted interruptions.
    pub interruptions: Vec<serde_json::Value>,
    /// Number of distinct voices, where the truth says (else: the parties with speech).
    #[serde(default)]
    pub speakers: Option<usize>,
}

/// File names in a truth document.
#[derive(Debug, Clone, Deserialize)]
pub struct TruthFiles {
    /// The mono mix.
    pub mono: String,
}

/// One scripted utterance.
#[derive(Debug, Clone, Deserialize)]
pub struct Utterance {
    /// Channel of its party: 0 employee, 1 citizen.
    pub channel: usize,
    /// Start in seconds.
    pub start: f64,
    /// End in seconds.
    pub end: f64,
}

impl Truth {
    /// Reads a truth file.
    pub fn load(path: &Path) -> Result<Truth, EvalError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| EvalError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    /// The truth of the recording `file` from RTTM turns: speakers numbered in order of their
    /// first turn, the audio at `mono` (relative to the RTTM file), `duration` seconds long
    /// (or up to the last turn's end where that is later). Its interruptions are those the
    /// turns hold by the rule medlyt finds them with ([`interruptions`]).
    pub fn from_rttm(turns: &[RttmTurn], file: &str, mono: &str, duration: f64) -> Truth {
        let mine: Vec<&RttmTurn> = turns.iter().filter(|t| t.file == file).collect();
        let mut names: Vec<&str> = Vec::new();
        let mut utterances = Vec::with_capacity(mine.len());
        for t in &mine {
            let channel = names
                .iter()
                .position(|n| *n == t.speaker)
                .unwrap_or_else(|| {
                    names.push(&t.speaker);
                    names.len() - 1
                });
            utterances.push(Utterance {
                channel,
                start: t.start,
                end: t.end,
            });
        }
        utterances.sort_by(|a, b| a.start.total_cmp(&b.start));
        let end = utterances.iter().map(|u| u.end).fold(duration, f64::max);
        let as_found = Diarization {
            turns: utterances
                .iter()
                .map(|u| Turn {
                    span: Span::new(u.start, u.end),
                    speaker: u.channel,
                })
                .collect(),
            overlaps: Vec::new(),
            speakers: names.len(),
            confidence: 1.0,
            method: "reference".into(),
        };
        Truth {
            name: file.to_string(),
            duration: end,
            files: TruthFiles { mono: mono.into() },
            interruptions: interruptions(&as_found, INTERRUPTION_OVERLAP_S)
                .iter()
                .filter_map(|i| serde_json::to_value(i).ok())
                .collect(),
            utterances,
            speakers: Some(names.len()),
        }
    }

    /// Number of distinct voices.
    pub fn speaker_count(&self) -> usize {
        self.speakers.unwrap_or_else(|| {
            self.speaker_spans()
                .iter()
                .filter(|s| !s.is_empty())
                .count()
        })
    }

    /// Speech of each party (index = channel), merged.
    pub fn speaker_spans(&self) -> Vec<Vec<Span>> {
        let parties = self
            .utterances
            .iter()
            .map(|u| u.channel + 1)
            .max()
            .unwrap_or(0);
        (0..parties)
            .map(|c| {
                let spans: Vec<Span> = self
                    .utterances
                    .iter()
                    .filter(|u| u.channel == c)
                    .map(|u| Span::new(u.start, u.end))
                    .collect();
                union(&spans, 0.0)
            })
            .collect()
    }
}

/// Scores of one diarization against its truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Scored speech time (outside the collars), seconds, counting each speaker.
    pub scored_s: f64,
    /// Truth speech with no found speaker, seconds.
    pub missed_s: f64,
    /// Found speech where the truth has none (or fewer speakers), seconds.
    pub false_alarm_s: f64,
    /// Speech given to the wrong speaker, seconds.
    pub confusion_s: f64,
    /// Found speaker mapped to each truth party (`None`: no found speaker).
    pub mapping: Vec<Option<usize>>,
    /// Talk share of each truth party, 0..1.
    pub true_share: Vec<f64>,
    /// Talk share found for each truth party through `mapping`, 0..1.
    pub found_share: Vec<f64>,
    /// Interruptions in the truth.
    pub true_interruptions: usize,
    /// Interruptions found.
    pub found_interruptions: usize,
}

impl Scores {
    /// Diarization error rate: (missed + false alarm + confusion) / scored speech.
    pub fn der(&self) -> f64 {
        (self.missed_s + self.false_alarm_s + self.confusion_s) / self.scored_s.max(1e-9)
    }

    /// Largest talk-share error over the parties, in percentage points.
    pub fn share_error_pp(&self) -> f64 {
        self.true_share
            .iter()
            .zip(&self.found_share)
            .map(|(t, f)| (t - f).abs() * 100.0)
            .fold(0.0, f64::max)
    }
}

fn active(spans: &[Span], t: f64) -> bool {
    let i = spans.partition_point(|s| s.end <= t);
    spans.get(i).is_some_and(|s| s.start <= t)
}

/// Scores `d` against `truth` with a `collar` (seconds) around every truth boundary left out,
/// with the mapping of found to true speakers that maximises their agreement.
pub fn score(d: &Diarization, truth: &Truth, collar: f64) -> Scores {
    let reference = truth.speaker_spans();
    let found: Vec<Vec<Span>> = (0..d.speakers.min(MAX_SPEAKERS))
        .map(|s| {
            union(
                &d.turns
                    .iter()
                    .filter(|t| t.speaker == s)
                    .map(|t| t.span)
                    .collect::<Vec<_>>(),
                0.0,
            )
        })
        .collect();
    let boundaries: Vec<Span> = reference
        .iter()
        .flatten()
        .flat_map(|s| [s.start, s.end])
        .map(|b| Span::new(b - collar, b + collar))
        .collect();
    let excluded = union(&boundaries, 0.0);
    let steps = (truth.duration / STEP).ceil() as usize;
    let (r, h) = (reference.len(), found.len());
    // Co-occurrence of each truth party and found speaker on the scored grid.
    let mut joint = vec![vec![0usize; h]; r];
    let mut counts = Vec::with_capacity(steps);
    for i in 0..steps {
        let t = (i as f64 + 0.5) * STEP;
        if active(&excluded, t) {
            continue;
        }
        let ref_on: Vec<usize> = (0..r).filter(|&p| active(&reference[p], t)).collect();
        let hyp_on: Vec<usize> = (0..h).filter(|&s| active(&found[s], t)).collect();
        for &p in &ref_on {
            for &s in &hyp_on {
                joint[p][s] += 1;
            }
        }
        counts.push((ref_on, hyp_on));
    }
    let mapping = best_mapping(&joint, r, h);
    let (mut scored, mut missed, mut fa, mut conf) = (0usize, 0usize, 0usize, 0usize);
    for (ref_on, hyp_on) in &counts {
        let correct = ref_on
            .iter()
            .filter(|&&p| mapping[p].is_some_and(|s| hyp_on.contains(&s)))
            .count();
        scored += ref_on.len();
        missed += ref_on.len().saturating_sub(hyp_on.len());
        fa += hyp_on.len().saturating_sub(ref_on.len());
        conf += ref_on.len().min(hyp_on.len()) - correct;
    }
    let true_talk: Vec<f64> = reference.iter().map(|s| total_duration(s)).collect();
    let found_talk: Vec<f64> = mapping
        .iter()
        .map(|m| {
            m.and_then(|s| found.get(s))
                .map_or(0.0, |s| total_duration(s))
        })
        .collect();
    let share = |v: &[f64]| {
        let sum: f64 = v.iter().sum();
        v.iter()
            .map(|x| if sum > 0.0 { x / sum } else { 0.0 })
            .collect::<Vec<f64>>()
    };
    Scores {
        scored_s: scored as f64 * STEP,
        missed_s: missed as f64 * STEP,
        false_alarm_s: fa as f64 * STEP,
        confusion_s: conf as f64 * STEP,
        mapping,
        true_share: share(&true_talk),
        found_share: share(&found_talk),
        true_interruptions: truth.interruptions.len(),
        found_interruptions: interruptions(d, INTERRUPTION_OVERLAP_S).len(),
    }
}

/// The one-to-one mapping of truth parties to found speakers with the most shared time
/// (every assignment is tried: at most 5^4 for four speakers).
fn best_mapping(joint: &[Vec<usize>], r: usize, h: usize) -> Vec<Option<usize>> {
    let mut best = (0usize, vec![None; r]);
    let mut current = vec![None; r];
    search(joint, h, 0, &mut current, 0, &mut best);
    best.1
}

fn search(
    joint: &[Vec<usize>],
    h: usize,
    p: usize,
    cur: &mut Vec<Option<usize>>,
    total: usize,
    best: &mut (usize, Vec<Option<usize>>),
) {
    if p == cur.len() {
        if total > best.0 || best.1.iter().all(Option::is_none) {
            *best = (total, cur.clone());
        }
        return;
    }
    cur[p] = None;
    search(joint, h, p + 1, cur, total, best);
    for s in 0..h {
        if cur[..p].contains(&Some(s)) {
            continue;
        }
        cur[p] = Some(s);
        search(joint, h, p + 1, cur, total + joint[p][s], best);
    }
    cur[p] = None;
}
