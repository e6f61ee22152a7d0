//! The JSON report decoded into test-only types that refuse unknown fields, so any change of
//! the schema without a change of these types (and of `docs/report-format.md`) fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config};
use medlyt_core::{Lang, Transcript};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema: String,
    version: u32,
    source: String,
    lang: String,
    duration_s: f64,
    #[allow(dead_code)] // checked to be in the schema
    parties: usize,
    talk: TalkTime,
    interruptions: Interruptions,
    questions: Questions,
    listening: Listening,
    escalation: Escalation,
    structure: Structure,
    language: Language,
    quality: Quality,
    findings: Vec<Finding>,
    moments: Vec<KeyMoment>,
    utterances: Vec<Utterance>,
    #[serde(default)]
    no_speech: bool,
    #[serde(default)]
    notice: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartyTalk {
    talk_s: f64,
    share: f64,
    turns: usize,
    longest_monologue_s: f64,
    longest_monologue_at: f64,
    median_reply_gap_s: f64,
    replies: usize,
    words_per_minute: f64,
    words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Silence {
    start: f64,
    duration_s: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TalkTime {
    employee: PartyTalk,
    citizen: PartyTalk,
    ratio: Option<f64>,
    conversation_s: f64,
    silence_s: f64,
    silence_share: f64,
    longest_silence: Option<Silence>,
    long_silences: Vec<Silence>,
    overlap_s: f64,
    overlap_share: f64,
    switches_per_minute: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Interruption {
    at: f64,
    by: String,
    of: String,
    overlap_s: f64,
    outcome: String,
    quote: String,
    interrupted: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Backchannel {
    at: f64,
    by: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Interruptions {
    events: Vec<Interruption>,
    by_employee: usize,
    by_citizen: usize,
    overlap_s: f64,
    brief_overlaps: usize,
    backchannels: Vec<Backchannel>,
    backchannels_employee: usize,
    backchannels_citizen: usize,
    employee_backchannels_per_minute: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Classification {
    sentence: String,
    kind: String,
    rule: String,
    cue: String,
    why: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Utterance {
    segment: usize,
    start: f64,
    end: f64,
    role: String,
    text: String,
    backchannel: bool,
    sentences: Vec<Classification>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartyQuestions {
    questions: usize,
    open: usize,
    closed: usize,
    leading: usize,
    why: usize,
    open_share: f64,
    per_minute: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Stacked {
    at: f64,
    role: String,
    questions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct QuestionMoment {
    at: f64,
    role: String,
    sentence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Questions {
    employee: PartyQuestions,
    citizen: PartyQuestions,
    stacked: Vec<Stacked>,
    why: Vec<QuestionMoment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CueHit {
    at: f64,
    kind: String,
    cue: String,
    word: String,
    quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Loud {
    at: f64,
    role: String,
    db_above: f64,
    quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Move {
    at: f64,
    kind: String,
    deescalating: bool,
    cue: String,
    quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Window {
    start: f64,
    level: f64,
    cues: usize,
    loud: usize,
    overlap_s: f64,
    faster: bool,
    escalating: usize,
    deescalating: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Escalation {
    cues: Vec<CueHit>,
    loud: Vec<Loud>,
    loudness_measured: bool,
    moves: Vec<Move>,
    deescalating: usize,
    escalating: usize,
    curve: Vec<Window>,
    peak: f64,
    peak_at: f64,
    final_level: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Cue {
    at: f64,
    role: String,
    cue: String,
    quote: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Opening {
    greeting: Option<Cue>,
    own_name: Option<Cue>,
    unit: Option<Cue>,
    purpose: Option<Cue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Closing {
    summary: Option<Cue>,
    next_step: Option<Cue>,
    citizen_thanks: Option<Cue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Structure {
    opening: Opening,
    closing: Closing,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JargonHit {
    at: f64,
    term: String,
    word: String,
    quote: String,
    explained: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Language {
    lix: f64,
    band: String,
    words: usize,
    sentences: usize,
    long_words: usize,
    jargon: Vec<JargonHit>,
    unexplained: usize,
}

#[derive(Deserialize)]
#[serde(tag = "code", rename_all = "snake_case", deny_unknown_fields)]
#[allow(dead_code)]
enum Warning {
    LowMeanProbability { mean: f64, threshold: f64 },
    ManyUncertainWords { share: f64, threshold: f64 },
    LanguageMismatch { expected: String, detected: String },
    InventedText { at: f64, phrase: String },
    NoEmployee,
    NoCitizen,
    UnknownSpeakers { tracks: usize },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Quality {
    mean_word_probability: f64,
    low_word_share: f64,
    words: usize,
    text_uncertain: bool,
    warnings: Vec<Warning>,
    parts: Parts,
    notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Listening {
    simple: usize,
    complex: usize,
    affirmations: usize,
    questions: usize,
    reflection_to_question: Option<f64>,
    complex_share: Option<f64>,
    reflections: Vec<Reflection>,
    affirmation_moves: Vec<ListeningMove>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Reflection {
    kind: String,
    at: f64,
    segment: usize,
    sentence: String,
    rule: String,
    cue: String,
    #[serde(default)]
    citizen_before: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ListeningMove {
    at: f64,
    segment: usize,
    sentence: String,
    rule: String,
    cue: String,
    #[serde(default)]
    citizen_before: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Parts {
    opening: Sureness,
    closing: Sureness,
    employee: Sureness,
    citizen: Sureness,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Sureness {
    words: usize,
    mean_word_probability: f64,
    low_word_share: f64,
    #[serde(default)]
    unknown_words: Option<usize>,
    unsure: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Moment {
    at: f64,
    role: String,
    quote: String,
    #[serde(default)]
    context: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Finding {
    code: String,
    polarity: String,
    value: f64,
    uncertain: bool,
    moments: Vec<Moment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct KeyMoment {
    at: f64,
    kind: String,
    role: String,
    quote: String,
    detail: String,
}

fn report(name: &str) -> Report {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/transcripts")
        .join(format!("{name}.json"));
    let transcript = Transcript::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let text = medlyt_report::json(&analyze(&transcript, &Config::for_lang(Lang::Da)));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"))
}

#[test]
fn the_jobcenter_call_holds_its_reflection_and_the_ratio() {
    let r = report("jobcenter-escalation-da");
    let l = &r.listening;
    assert_eq!((l.simple, l.complex, l.questions), (0, 1, 4));
    assert_eq!(l.reflection_to_question, Some(0.25));
    let refl = &l.reflections[0];
    assert_eq!(refl.kind, "complex");
    assert_eq!(refl.rule, "da.reflect_complex_starter");
    assert!(refl.cue.contains("frustreret"), "{}", refl.cue);
}

#[test]
fn every_fixture_decodes_into_the_documented_schema() {
    for name in [
        "jobcenter-escalation-da",
        "interruptions-backchannels-2spk",
        "talk-turns-2spk",
        "low-quality-wrong-language",
    ] {
        let r = report(name);
        assert_eq!(r.schema, "medlyt.report");
        assert_eq!(r.version, 1);
        assert_eq!(r.lang, "da");
        assert!(r.source.ends_with(".txt") || r.source.ends_with(".wav"));
        assert!(r.duration_s > 0.0);
        assert!(!r.utterances.is_empty());
    }
}

#[test]
fn the_json_holds_the_figures_the_markdown_shows() {
    let r = report("jobcenter-escalation-da");
    assert_eq!(r.questions.employee.questions, 4);
    assert_eq!(r.language.jargon.len(), 2);
    assert_eq!(r.language.jargon[0].word, "afgørelsen");
    assert_eq!(r.escalation.curve.len(), 6);
    assert!(r.findings.iter().any(|f| f.code == "unexplained_jargon"));
    assert!(r.moments.iter().any(|m| m.kind == "threat"));
    assert!(r.structure.closing.citizen_thanks.is_some());
    assert!(r.talk.employee.talk_s > 0.0);
    let every_sentence_has_a_rule = r
        .utterances
        .iter()
        .flat_map(|u| &u.sentences)
        .all(|c| !c.rule.is_empty());
    assert!(every_sentence_has_a_rule);

    let r = report("interruptions-backchannels-2spk");
    assert_eq!(r.interruptions.events.len(), 3);
    assert_eq!(r.interruptions.backchannels.len(), 4);

    let r = report("low-quality-wrong-language");
    assert!(r.quality.text_uncertain);
    assert_eq!(r.quality.warnings.len(), 4);
}

/// A 10-minute stereo recording in which nothing was said.
fn silent_call() -> Transcript {
    let mut t = Transcript::new(
        medlyt_core::Recording {
            source: "silence.wav".to_string(),
            duration: 600.0,
            sample_rate: 16000,
            channels: 2,
            codec: "pcm_s16le".to_string(),
        },
        medlyt_core::LanguageInfo {
            requested: "da".to_string(),
            detected: None,
            probability: None,
        },
    );
    t.add_stereo_tracks();
    t.notes.push(medlyt_core::notes::no_speech());
    t
}

#[test]
fn a_silent_recording_says_no_speech_was_found_in_every_report() {
    let a = analyze(&silent_call(), &Config::for_lang(Lang::Da));
    assert!(a.no_speech);
    let json = medlyt_report::json(&a);
    assert!(!json.contains("-0.0"), "{json}");
    let r: Report = serde_json::from_str(&json).unwrap();
    assert!(r.no_speech);
    assert_eq!(
        r.notice.as_deref(),
        Some("No speech was found in the recording")
    );
    assert!(r.findings.is_empty(), "no findings from nothing");
    for lang in [Lang::Da, Lang::En] {
        let md = medlyt_report::markdown(&a, lang);
        let html = medlyt_report::report_html(&a, lang, None);
        let said = match lang {
            Lang::Da => "Der blev ikke fundet tale i optagelsen",
            Lang::En => "No speech was found in the recording",
        };
        assert!(md.contains(said), "{md}");
        assert!(html.contains(said), "{html}");
        // No figures shown as if measured.
        for shown in ["Tavshed", "Silence", "(0 %)", "(0%)", "| "] {
            assert!(!md.contains(shown), "{shown} in {md}");
        }
        assert!(!html.contains("id=\"timeline\""), "timeline drawn");
        assert!(!html.contains("Tavshed 00:00"), "silence figure shown");
    }
}
