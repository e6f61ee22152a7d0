//! Measures a call transcript for a consultant's feedback: talk time, interruptions and
//! backchannels, questions, escalation, structure and language, and transcript quality.
//!
//! The crate depends on the core data model only (no audio, no speech recognition), so it runs
//! on hand-written transcripts as well as on recognised ones. Every threshold and cue lexicon
//! comes from a [`Config`]: per-language defaults in `data/*.toml`, overridable from a file.
//! The precise definitions are in `docs/metrics.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod coded;
mod config;
mod escalation;
mod findings;
mod interrupt;
mod language;
mod listening;
mod merge;
mod moments;
mod quality;
mod questions;
mod structure;
mod talk;
mod text;
mod timeline;
mod wordlist;

pub use config::{
    Config, ConfigError, EscalationConfig, EscalationWeights, InterruptionConfig, LanguageConfig,
    ListeningConfig, QualityConfig, QuestionConfig, StructureConfig, TalkConfig,
};
pub use escalation::{CueHit, CueKind, Escalation, Loud, Move, MoveKind, Window};
pub use findings::{Finding, FindingCode, Moment, Polarity};
pub use interrupt::{Backchannel, Interruption, Interruptions, Outcome};
pub use language::{JargonHit, Language, LixBand};
pub use listening::{Listening, ListeningMove, Reflection, ReflectionKind};
pub use moments::{KeyMoment, MomentKind};
pub use quality::{PartSureness, Quality, Sureness, Warning};
pub use questions::{PartyQuestions, QuestionMoment, Questions, Stacked, Utterance};
pub use structure::{Closing, Cue, Opening, Structure};
pub use talk::{PartyTalk, Silence, TalkTime};
pub use wordlist::WordList;

use medlyt_core::{Lang, Transcript};
use medlyt_questions::Classification;
use serde::{Deserialize, Serialize};

/// Every figure medlyt measures in one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The recording's file name.
    pub source: String,
    /// The language the text was analysed in.
    pub lang: Lang,
    /// Length of the recording in seconds.
    pub duration_s: f64,
    /// Parties heard: 2, or 1 where a mono recording held one voice (then every citizen
    /// figure is empty and the reports show the employee only).
    #[serde(default = "two")]
    pub parties: usize,
    /// Measure 1.
    pub talk: TalkTime,
    /// Measure 2.
    pub interruptions: Interruptions,
    /// Measure 3.
    pub questions: Questions,
    /// Measure 3b: reflections and affirmations.
    #[serde(default)]
    pub listening: Listening,
    /// Measure 4.
    pub escalation: Escalation,
    /// Measure 5, opening and closing.
    pub structure: Structure,
    /// Measure 5, readability and jargon.
    pub language: Language,
    /// Measure 6.
    pub quality: Quality,
    /// Strengths and suggestions, concerns first.
    pub findings: Vec<Finding>,
    /// Notable moments in time order.
    pub moments: Vec<KeyMoment>,
    /// Every utterance with its sentences classified.
    pub utterances: Vec<Utterance>,
    /// No speech was found in the recording (or the transcript holds no words): nothing was
    /// measured, and the reports say so rather than show empty measures.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_speech: bool,
}

impl Analysis {
    /// The findings of one polarity, in their order (concerns by importance).
    pub fn findings_of(&self, polarity: Polarity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.polarity == polarity)
    }
}

fn two() -> usize {
    2
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// 1 where the transcript has no citizen track (a mono recording with one voice), else 2.
fn parties(t: &Transcript) -> usize {
    if t.tracks
        .iter()
        .any(|k| k.role == medlyt_core::Role::Citizen)
        || t.tracks.len() != 1
    {
        2
    } else {
        1
    }
}

/// Measures `transcript` with `config`.
pub fn analyze(transcript: &Transcript, config: &Config) -> Analysis {
    match &config.question_rules {
        Some(rules) => analyze_with(transcript, config, &|s, _| {
            medlyt_questions::classify_with(s, rules)
        }),
        None => analyze_with(transcript, config, &medlyt_questions::classify),
    }
}

/// Like [`analyze`], with another sentence classifier (used to test the counting on its own).
pub fn analyze_with(
    transcript: &Transcript,
    config: &Config,
    classify: &dyn Fn(&str, Lang) -> Classification,
) -> Analysis {
    let tl = timeline::Timeline::build(transcript, config);
    let talk = talk::measure(&tl, config.talk.long_silence);
    let interruptions = interrupt::measure(&tl, &config.interruptions);
    let mut utterances = questions::classify_all(&tl, config.lang, classify);
    let mut listening = listening::measure(&mut utterances, config.lang, &config.listening);
    let questions = questions::measure(&tl, &utterances, config.questions.stacked_min);
    listening::count(&mut listening, questions.employee.questions);
    let structure = structure::measure(&tl, &config.structure);
    let language = language::measure(&tl, &config.language, config.talk.turn_pause);
    let escalation = escalation::measure(
        transcript,
        &tl,
        &config.escalation,
        &interruptions,
        &language,
    );
    let mut quality = quality::measure(transcript, config.lang, &config.quality);
    let (opening, closing) = structure::window_segments(&tl, &config.structure);
    quality.parts = quality::parts(transcript, config, &opening, &closing);
    let mut analysis = Analysis {
        source: transcript.recording.source.clone(),
        lang: config.lang,
        duration_s: tl.duration,
        parties: parties(transcript),
        talk,
        interruptions,
        questions,
        listening,
        escalation,
        structure,
        language,
        quality,
        findings: Vec::new(),
        moments: Vec::new(),
        utterances,
        no_speech: transcript.segments.iter().all(|s| s.text.trim().is_empty()),
    };
    if !analysis.no_speech {
        analysis.findings = findings::find(&analysis, config);
        analysis.moments = moments::collect(&analysis, config);
    }
    analysis
}
