//! Thresholds, cue lexicons and their per-language defaults.
//!
//! The defaults are data files (`data/da.toml`, `data/en.toml`) compiled into the crate. A
//! consultant can override any part with a partial TOML file of the same shape; lists replace the
//! default list, tables merge key by key, and an unknown key is an error that names it.

use medlyt_core::Lang;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const DA: &str = include_str!("../data/da.toml");
const EN: &str = include_str!("../data/en.toml");

/// Errors reading a configuration override.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("failed to read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("config file {path} is not valid toml: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// The file names a key medlyt does not know.
    #[error("unknown key '{key}' in config file {path}")]
    UnknownKey {
        /// The file.
        path: PathBuf,
        /// The dotted key, e.g. `talk.turn_pause`.
        key: String,
    },
    /// A value has the wrong type or is out of range.
    #[error("invalid value in config file {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Everything the analysis can be tuned with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The language of the transcript's text (question rules and lexicons).
    pub lang: Lang,
    /// Talk-time thresholds.
    pub talk: TalkConfig,
    /// Interruption and backchannel rules.
    pub interruptions: InterruptionConfig,
    /// Question thresholds.
    pub questions: QuestionConfig,
    /// Escalation cues, weights and the curve.
    pub escalation: EscalationConfig,
    /// Opening and closing cues.
    pub structure: StructureConfig,
    /// Readability and jargon.
    pub language: LanguageConfig,
    /// Transcript-quality thresholds.
    pub quality: QualityConfig,
    /// Reflections and affirmations (listening moves).
    pub listening: ListeningConfig,
    /// The language's word list, where one is installed: a part of the call with too many
    /// words outside it is too unsure to report anything absent from it. Not part of the
    /// TOML settings (see `quality.max_unknown_share`).
    #[serde(skip)]
    pub words: Option<std::sync::Arc<crate::WordList>>,
    /// The question rules a config file named (`questions.rules_da` / `rules_en`); `None`:
    /// the built-in ones.
    #[serde(skip)]
    pub question_rules: Option<std::sync::Arc<medlyt_questions::QuestionRules>>,
}

/// Talk-time settings (seconds and shares 0-1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkConfig {
    /// A turn ends after a pause longer than this.
    pub turn_pause: f64,
    /// A silence at least this long is reported as long.
    pub long_silence: f64,
    /// Flag when the employee's share is at or above this.
    pub max_employee_share: f64,
    /// Call it balanced when the employee's share is at or below this.
    pub balanced_employee_share: f64,
    /// Flag a monologue at least this long.
    pub long_monologue: f64,
    /// Flag a median reply gap at or above this.
    pub slow_reply: f64,
    /// Flag when silence is at least this share of the conversation.
    pub max_silence_share: f64,
    /// Flag when overlap is at least this share of the conversation.
    pub max_overlap_share: f64,
}

/// Interruption and backchannel settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterruptionConfig {
    /// The speaker's own pauses shorter than this are bridged.
    pub bridge: f64,
    /// An overlap must last longer than this to count as an interruption.
    pub min_overlap: f64,
    /// An utterance no longer than this (seconds), said while the other goes on speaking past
    /// its end, is a brief overlap, not an interruption: the other was not cut off (and so
    /// short a remark is often a misheard backchannel).
    #[serde(default = "default_max_remark")]
    pub max_remark: f64,
    /// A backchannel has at most this many words.
    pub backchannel_max_words: usize,
    /// Minimal encouragers; an utterance made only of these words is a backchannel.
    pub backchannels: Vec<String>,
    /// Flag this many interruptions by the employee or more.
    pub max_employee_interruptions: usize,
}

/// Question settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionConfig {
    /// A turn with at least this many questions holds stacked questions.
    pub stacked_min: usize,
    /// Flag an open-question share below this (with at least `min_questions`).
    pub min_open_share: f64,
    /// Call the questioning good from this open share.
    pub good_open_share: f64,
    /// The share rules apply from this many employee questions.
    pub min_questions: usize,
    /// A consultant's edited copy of the Danish question rules (JSON, as
    /// `crates/questions/data/rules-da.json`), relative to the config file's folder; empty:
    /// the built-in rules.
    #[serde(default)]
    pub rules_da: String,
    /// The same for English.
    #[serde(default)]
    pub rules_en: String,
}

/// Escalation cues and the curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// Width of one curve window in seconds.
    pub window: f64,
    /// Share of the previous window's level carried into the next (0-1).
    pub carry: f64,
    /// A window at or above this level (0-100) is escalated.
    pub high_level: f64,
    /// Loudness this many dB above the speaker's own median counts as raised.
    pub loudness_rise_db: f64,
    /// Citizen speech rate this many times its own call average counts as faster.
    pub rate_rise: f64,
    /// Weights of each signal in the curve (level points 0-100 per occurrence).
    pub weights: EscalationWeights,
    /// Citizen anger cues.
    pub anger: Vec<String>,
    /// Citizen complaint cues.
    pub complaint: Vec<String>,
    /// Citizen threat cues.
    pub threat: Vec<String>,
    /// Swear words.
    pub swearing: Vec<String>,
    /// Employee phrases acknowledging feelings.
    pub acknowledge: Vec<String>,
    /// Employee apologies.
    pub apology: Vec<String>,
    /// Employee phrases explaining what happens next.
    pub next_step: Vec<String>,
    /// Employee phrases that hide behind rules.
    pub rules: Vec<String>,
}

/// Level points (0-100) per signal in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationWeights {
    /// Per anger cue.
    pub anger: f64,
    /// Per complaint cue.
    pub complaint: f64,
    /// Per threat cue.
    pub threat: f64,
    /// Per swear word.
    pub swearing: f64,
    /// Per citizen segment with raised loudness.
    pub loudness: f64,
    /// Per second of overlap in the window.
    pub overlap_per_second: f64,
    /// When the citizen speaks faster than usual in the window.
    pub rate: f64,
    /// Per escalating employee move.
    pub employee_escalating: f64,
    /// Subtracted per de-escalating employee move.
    pub employee_deescalating: f64,
}

/// Opening and closing cues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureConfig {
    /// The opening is the employee's speech in this many seconds from their first word.
    pub opening_window: f64,
    /// The closing is the last this many seconds of the conversation.
    pub closing_window: f64,
    /// Greetings.
    pub greeting: Vec<String>,
    /// Saying one's own name.
    pub own_name: Vec<String>,
    /// Naming one's unit.
    pub unit: Vec<String>,
    /// Saying what the call is about.
    pub purpose: Vec<String>,
    /// Summing up.
    pub summary: Vec<String>,
    /// Agreeing a next step.
    pub next_step: Vec<String>,
    /// The citizen's thanks.
    pub thanks: Vec<String>,
}

/// Readability and jargon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// Lower bounds of the LIX bands easy, medium, hard, very hard (below the first: very easy).
    pub lix_bands: [f64; 4],
    /// Flag LIX at or above this.
    pub max_lix: f64,
    /// A word longer than this many letters is long.
    pub long_word: usize,
    /// LIX is judged (strength or concern) only from this many words of the employee.
    pub min_words: usize,
    /// Legal and bureaucratic terms.
    pub jargon: Vec<String>,
    /// Phrases that explain a term ("det vil sige").
    pub explain: Vec<String>,
}

/// Reflections and affirmations: the employee's listening moves (docs/metrics.md, 3b).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListeningConfig {
    /// The citizen's words said at most this many seconds before the employee's sentence are
    /// what a reflection reflects.
    pub lookback: f64,
    /// Without a reflection starter, a statement is a reflection when at least this share of
    /// its content words were in the citizen's words just before.
    pub min_overlap: f64,
    /// With a reflection starter, at least this share of its content words must come from
    /// the citizen (so a starter alone, "så du skal ...", about something new is not one).
    pub starter_overlap: f64,
    /// A reflection by overlap needs at least this many content words.
    pub min_content_words: usize,
    /// Phrases that start a simple reflection ("så du", "du siger at", "so you").
    pub simple_starters: Vec<String>,
    /// Phrases that start a complex reflection: they add meaning or a feeling ("det lyder
    /// som", "du føler", "it sounds like").
    pub complex_starters: Vec<String>,
    /// Feeling words: a reflection that names a feeling the citizen did not is complex.
    pub feelings: Vec<String>,
    /// Affirmations: recognising the citizen's effort, strength or intention.
    pub affirmations: Vec<String>,
    /// Words a statement about the citizen starts with ("du", "det", "you", "it"): such a
    /// statement right after the citizen spoke says back what the employee heard.
    #[serde(default)]
    pub you_openers: Vec<String>,
    /// Words that address the citizen ("du", "dig", "your"); a statement opened by a word
    /// other than one of these must hold one.
    #[serde(default)]
    pub citizen_words: Vec<String>,
    /// A statement about the citizen is a simple reflection where at least this share of its
    /// content words are the citizen's, a complex one where fewer are.
    #[serde(default = "default_you_simple_overlap")]
    pub you_simple_overlap: f64,
    /// Words a statement about a third person starts with ("han", "hun", "she"): a reflection
    /// where the citizen spoke of a person (`person_words`).
    #[serde(default)]
    pub third_person_openers: Vec<String>,
    /// Words that show the citizen spoke of a person ("han", "min mor", "my son").
    #[serde(default)]
    pub person_words: Vec<String>,
    /// Words for the employee's own side ("jeg", "vi", "I", "we"): a statement opened by "det"
    /// or "it" that holds one tells what the employee does, not what the citizen said.
    #[serde(default)]
    pub employee_words: Vec<String>,
    /// Words right after the opener that make the statement information or an instruction
    /// ("du skal", "du kan", "you need"), not a reflection.
    #[serde(default)]
    pub instruction_words: Vec<String>,
    /// Words too common to count as content ("og", "det", "the").
    pub stopwords: Vec<String>,
    /// MITI reference points for reflections per question: fair, good.
    pub ratio_refs: [f64; 2],
    /// MITI reference points for the share of complex reflections: fair, good.
    pub complex_refs: [f64; 2],
}

/// Transcript-quality thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityConfig {
    /// Text measures are uncertain below this mean word probability.
    pub min_mean_probability: f64,
    /// A word below this probability is a low-probability word.
    pub low_word_probability: f64,
    /// Text measures are uncertain when more than this share of words is low-probability.
    pub max_low_word_share: f64,
    /// Known invented text (e.g. subtitle credits) that signals hallucination.
    pub hallucinations: Vec<String>,
    /// Text measures of a part of the call are uncertain when more than this share of its
    /// words is in neither the language's word list nor the analysis's own lexicons (checked
    /// only where a word list is installed).
    #[serde(default = "default_max_unknown_share")]
    pub max_unknown_share: f64,
}

fn default_you_simple_overlap() -> f64 {
    0.25
}

fn default_max_unknown_share() -> f64 {
    0.05
}

impl Config {
    /// The built-in defaults for `lang`.
    pub fn for_lang(lang: Lang) -> Config {
        let text = match lang {
            Lang::Da => DA,
            Lang::En => EN,
        };
        match toml::from_str::<Config>(text) {
            Ok(config) => config,
            // The data files are part of the build and checked by tests; reaching this is a bug.
            Err(e) => unreachable_defaults(lang, &e.to_string()),
        }
    }

    /// Merges the partial TOML file at `path` over `self`.
    pub fn load_override(self, path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let config = self
            .merge_str(&text)
            .map_err(|e| e.with_path(path.to_path_buf()))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        config
            .with_question_rules(dir)
            .map_err(|message| ConfigError::Invalid {
                path: path.to_path_buf(),
                message,
            })
    }

    /// Loads the question rules the settings name for this language, if any.
    fn with_question_rules(self, dir: &Path) -> Result<Config, String> {
        let (key, file) = match self.lang {
            Lang::Da => ("questions.rules_da", &self.questions.rules_da),
            Lang::En => ("questions.rules_en", &self.questions.rules_en),
        };
        if file.is_empty() {
            return Ok(self);
        }
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{key}: cannot read {}: {e}", path.display()))?;
        let rules = medlyt_questions::QuestionRules::from_json(&text)
            .map_err(|e| format!("{key}: {}: {e}", path.display()))?;
        if rules.lang != self.lang {
            return Err(format!(
                "{key}: {} holds rules for '{}', not '{}'",
                path.display(),
                rules.lang,
                self.lang
            ));
        }
        Ok(Config {
            question_rules: Some(std::sync::Arc::new(rules)),
            ..self
        })
    }

    /// Merges partial TOML text over `self` (the path in errors is empty).
    pub fn merge_str(self, text: &str) -> Result<Config, ConfigError> {
        let (words, question_rules) = (self.words.clone(), self.question_rules.clone());
        let over: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Syntax {
                path: PathBuf::new(),
                message: e.message().to_string(),
            })?;
        let mut base = toml::Table::try_from(&self).map_err(|e| ConfigError::Invalid {
            path: PathBuf::new(),
            message: e.to_string(),
        })?;
        crate::merge::merge_table(&mut base, over, "").map_err(|key| ConfigError::UnknownKey {
            path: PathBuf::new(),
            key,
        })?;
        let config: Config =
            toml::Value::Table(base)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    path: PathBuf::new(),
                    message: e.message().to_string(),
                })?;
        config.check().map_err(|message| ConfigError::Invalid {
            path: PathBuf::new(),
            message,
        })?;
        Ok(Config {
            words,
            question_rules,
            ..config
        })
    }

    /// The same settings with the language's word list (see [`WordList`](crate::WordList)),
    /// extended with the analysis's own cue and jargon words.
    pub fn with_words(self, mut words: crate::WordList) -> Config {
        let s = &self.structure;
        let cues = [
            &s.greeting,
            &s.own_name,
            &s.unit,
            &s.purpose,
            &s.summary,
            &s.next_step,
            &s.thanks,
            &self.language.jargon,
            &self.language.explain,
            &self.interruptions.backchannels,
        ];
        let tokens: Vec<String> = cues
            .iter()
            .flat_map(|list| list.iter())
            .flat_map(|phrase| crate::text::tokens(phrase))
            .collect();
        words.extend(tokens.iter().map(String::as_str));
        Config {
            words: Some(std::sync::Arc::new(words)),
            ..self
        }
    }

    /// Every number finite and in its range, the key named where one is not.
    fn check(&self) -> Result<(), String> {
        let (talk, esc, weights) = (&self.talk, &self.escalation, &self.escalation.weights);
        let (quality, listening, language) = (&self.quality, &self.listening, &self.language);
        // Windows, pauses and ratios that must be more than nothing.
        let positive = [
            ("talk.turn_pause", talk.turn_pause),
            ("escalation.window", esc.window),
            ("escalation.rate_rise", esc.rate_rise),
            ("structure.opening_window", self.structure.opening_window),
            ("structure.closing_window", self.structure.closing_window),
            ("listening.lookback", listening.lookback),
        ];
        for (key, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                return Err(format!("{key} must be a positive number, found {value}"));
            }
        }
        let mut at_least_zero = vec![
            ("talk.long_silence", talk.long_silence),
            ("talk.long_monologue", talk.long_monologue),
            ("talk.slow_reply", talk.slow_reply),
            ("interruptions.bridge", self.interruptions.bridge),
            ("interruptions.min_overlap", self.interruptions.min_overlap),
            ("interruptions.max_remark", self.interruptions.max_remark),
            ("escalation.loudness_rise_db", esc.loudness_rise_db),
            ("escalation.weights.anger", weights.anger),
            ("escalation.weights.complaint", weights.complaint),
            ("escalation.weights.threat", weights.threat),
            ("escalation.weights.swearing", weights.swearing),
            ("escalation.weights.loudness", weights.loudness),
            (
                "escalation.weights.overlap_per_second",
                weights.overlap_per_second,
            ),
            ("escalation.weights.rate", weights.rate),
            (
                "escalation.weights.employee_escalating",
                weights.employee_escalating,
            ),
            (
                "escalation.weights.employee_deescalating",
                weights.employee_deescalating,
            ),
            ("language.max_lix", language.max_lix),
        ];
        at_least_zero.extend(language.lix_bands.map(|v| ("language.lix_bands", v)));
        at_least_zero.extend(listening.ratio_refs.map(|v| ("listening.ratio_refs", v)));
        for (key, value) in at_least_zero {
            if !(value.is_finite() && value >= 0.0) {
                return Err(format!(
                    "{key} must be a number of 0 or more, found {value}"
                ));
            }
        }
        // Shares and probabilities.
        let mut shares = vec![
            ("talk.max_employee_share", talk.max_employee_share),
            ("talk.balanced_employee_share", talk.balanced_employee_share),
            ("talk.max_silence_share", talk.max_silence_share),
            ("talk.max_overlap_share", talk.max_overlap_share),
            ("questions.min_open_share", self.questions.min_open_share),
            ("questions.good_open_share", self.questions.good_open_share),
            ("escalation.carry", esc.carry),
            ("quality.min_mean_probability", quality.min_mean_probability),
            ("quality.low_word_probability", quality.low_word_probability),
            ("quality.max_low_word_share", quality.max_low_word_share),
            ("quality.max_unknown_share", quality.max_unknown_share),
            ("listening.min_overlap", listening.min_overlap),
            ("listening.starter_overlap", listening.starter_overlap),
        ];
        shares.extend(
            listening
                .complex_refs
                .map(|v| ("listening.complex_refs", v)),
        );
        for (key, value) in shares {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("{key} must be between 0 and 1, found {value}"));
            }
        }
        if !(0.0..=100.0).contains(&esc.high_level) {
            return Err(format!(
                "escalation.high_level must be between 0 and 100, found {}",
                esc.high_level
            ));
        }
        if self.questions.stacked_min < 2 {
            return Err("questions.stacked_min must be at least 2".into());
        }
        Ok(())
    }
}

impl ConfigError {
    fn with_path(self, path: PathBuf) -> ConfigError {
        match self {
            ConfigError::Read { source, .. } => ConfigError::Read { path, source },
            ConfigError::Syntax { message, .. } => ConfigError::Syntax { path, message },
            ConfigError::UnknownKey { key, .. } => ConfigError::UnknownKey { path, key },
            ConfigError::Invalid { message, .. } => ConfigError::Invalid { path, message },
        }
    }
}

#[allow(clippy::panic)]
fn unreachable_defaults(lang: Lang, message: &str) -> ! {
    panic!("built-in {lang} configuration is invalid: {message}")
}

/// `interruptions.max_remark` where a configuration file predates it.
fn default_max_remark() -> f64 {
    1.0
}
