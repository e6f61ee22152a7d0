//! The cue lists behind the rules, one data file per language.
//!
//! The default lists live in `data/rules-da.json` and `data/rules-en.json` and are embedded in the
//! binary. A consultant can copy one, edit the lists and load it with [`QuestionRules::from_json`].
//! Every phrase is lowercase words separated by single spaces; see `docs/questions.md` for what each
//! list does.

use crate::QuestionKind;
use medlyt_core::Lang;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const RULES_DA: &str = include_str!("../data/rules-da.json");
const RULES_EN: &str = include_str!("../data/rules-en.json");

/// Errors when loading a rules file.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file is not valid rules JSON.
    #[error("failed to parse question rules: {message}")]
    Parse {
        /// What the JSON parser reported.
        message: String,
    },
    /// A list holds an empty phrase, which would match everything.
    #[error("empty phrase in list '{list}'")]
    EmptyPhrase {
        /// The list's field name.
        list: &'static str,
    },
    /// A phrase has capitals; phrases are matched against lowercased text.
    #[error("phrase '{phrase}' in list '{list}' must be lowercase")]
    NotLowercase {
        /// The list's field name.
        list: &'static str,
        /// The offending phrase.
        phrase: String,
    },
}

/// A question word (hv-word, wh-word) or phrase and the kind of question it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionWord {
    /// The word or phrase, e.g. "hvor mange".
    pub phrase: String,
    /// The kind of question it starts.
    pub kind: QuestionKind,
    /// Rule identifier without the language prefix, e.g. `hv_closed_hvor_mange`.
    pub id: String,
    /// Whether it is a why-question.
    #[serde(default)]
    pub why: bool,
    /// Whether a fact noun right after it ("hvad er dit CPR-nummer") makes the question closed.
    #[serde(default)]
    pub fact_check: bool,
}

/// All cue lists for one language. Field meanings are described in `docs/questions.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct QuestionRules {
    pub lang: Lang,
    pub fillers: Vec<String>,
    pub inverting_fillers: Vec<String>,
    pub subjects: Vec<String>,
    pub possessives: Vec<String>,
    pub non_question_openers: Vec<String>,
    pub leading_openers: Vec<String>,
    pub tags: Vec<String>,
    pub comma_tags: Vec<String>,
    pub marked_tags: Vec<String>,
    pub tag_verbs: Vec<String>,
    pub tag_suffix: Vec<String>,
    pub imperatives: Vec<String>,
    pub request_modals: Vec<String>,
    pub request_skip: Vec<String>,
    pub tell_verbs: Vec<String>,
    pub fact_tell_verbs: Vec<String>,
    pub hear_openers: Vec<String>,
    pub hear_open_words: Vec<String>,
    pub hear_closed_words: Vec<String>,
    pub question_words: Vec<QuestionWord>,
    pub fact_nouns: Vec<String>,
    pub fact_window: usize,
    pub yes_no_verbs: Vec<String>,
    pub negated_verbs: Vec<String>,
    pub negation_after_subject: Vec<String>,
    pub conditional_verbs: Vec<String>,
    pub alternative_words: Vec<String>,
    pub leading_particles: Vec<String>,
    pub leading_particles_unmarked: Vec<String>,
    /// Requests for elaboration phrased as yes/no ("er der mere du vil sige", "anything else"):
    /// open.
    #[serde(default)]
    pub elaboration_openers: Vec<String>,
    /// Words after a closed question word that ask for a view, a preference or a plan
    /// ("hvor synes du", "where would you like"): open.
    #[serde(default)]
    pub view_words: Vec<String>,
    /// How many words after the question word a view word may come.
    #[serde(default = "default_view_window")]
    pub view_window: usize,
    /// Words after which, in a sentence without a question mark, a question may start ("og",
    /// "men", "and", "but"; a comma always counts): the question at the end of a long
    /// unpunctuated turn decides.
    #[serde(default)]
    pub tail_boundaries: Vec<String>,
    /// Tags that end a statement about the citizen without a comma or a question mark ("du har
    /// jo fået brevet ikke", "you know the rules don't you"): leading.
    #[serde(default)]
    pub unmarked_tags: Vec<String>,
    /// Alternatives that end such a statement ("det har du svaret på eller", "you've replied
    /// to it or"): closed.
    #[serde(default)]
    pub closed_tags: Vec<String>,
    /// Words a statement about the citizen starts with, for the two lists above.
    #[serde(default)]
    pub statement_subjects: Vec<String>,
}

fn default_view_window() -> usize {
    3
}

impl QuestionRules {
    /// Parses and checks a rules file.
    pub fn from_json(text: &str) -> Result<Self, RulesError> {
        let rules: QuestionRules = serde_json::from_str(text).map_err(|e| RulesError::Parse {
            message: e.to_string(),
        })?;
        rules.validate()?;
        Ok(rules)
    }

    /// The embedded default rules, parsed anew.
    pub fn embedded(lang: Lang) -> Result<Self, RulesError> {
        match lang {
            Lang::Da => Self::from_json(RULES_DA),
            Lang::En => Self::from_json(RULES_EN),
        }
    }

    /// The embedded default rules, parsed once. If the embedded file were broken (the tests make
    /// sure it is not), this falls back to [`QuestionRules::empty`], which only tells questions by
    /// their question mark.
    pub fn default_for(lang: Lang) -> &'static QuestionRules {
        static DA: OnceLock<QuestionRules> = OnceLock::new();
        static EN: OnceLock<QuestionRules> = OnceLock::new();
        let cell = match lang {
            Lang::Da => &DA,
            Lang::En => &EN,
        };
        cell.get_or_init(|| Self::embedded(lang).unwrap_or_else(|_| Self::empty(lang)))
    }

    /// Rules with every list empty.
    pub fn empty(lang: Lang) -> Self {
        QuestionRules {
            lang,
            fillers: Vec::new(),
            inverting_fillers: Vec::new(),
            subjects: Vec::new(),
            possessives: Vec::new(),
            non_question_openers: Vec::new(),
            leading_openers: Vec::new(),
            tags: Vec::new(),
            comma_tags: Vec::new(),
            marked_tags: Vec::new(),
            tag_verbs: Vec::new(),
            tag_suffix: Vec::new(),
            imperatives: Vec::new(),
            request_modals: Vec::new(),
            request_skip: Vec::new(),
            tell_verbs: Vec::new(),
            fact_tell_verbs: Vec::new(),
            hear_openers: Vec::new(),
            hear_open_words: Vec::new(),
            hear_closed_words: Vec::new(),
            question_words: Vec::new(),
            fact_nouns: Vec::new(),
            fact_window: 0,
            yes_no_verbs: Vec::new(),
            negated_verbs: Vec::new(),
            negation_after_subject: Vec::new(),
            conditional_verbs: Vec::new(),
            alternative_words: Vec::new(),
            leading_particles: Vec::new(),
            leading_particles_unmarked: Vec::new(),
            elaboration_openers: Vec::new(),
            view_words: Vec::new(),
            view_window: default_view_window(),
            tail_boundaries: Vec::new(),
            unmarked_tags: Vec::new(),
            closed_tags: Vec::new(),
            statement_subjects: Vec::new(),
        }
    }

    fn validate(&self) -> Result<(), RulesError> {
        let lists: [(&'static str, &Vec<String>); 33] = [
            ("unmarked_tags", &self.unmarked_tags),
            ("closed_tags", &self.closed_tags),
            ("statement_subjects", &self.statement_subjects),
            ("elaboration_openers", &self.elaboration_openers),
            ("view_words", &self.view_words),
            ("tail_boundaries", &self.tail_boundaries),
            ("fillers", &self.fillers),
            ("inverting_fillers", &self.inverting_fillers),
            ("subjects", &self.subjects),
            ("possessives", &self.possessives),
            ("non_question_openers", &self.non_question_openers),
            ("leading_openers", &self.leading_openers),
            ("tags", &self.tags),
            ("comma_tags", &self.comma_tags),
            ("marked_tags", &self.marked_tags),
            ("tag_verbs", &self.tag_verbs),
            ("tag_suffix", &self.tag_suffix),
            ("imperatives", &self.imperatives),
            ("request_modals", &self.request_modals),
            ("request_skip", &self.request_skip),
            ("tell_verbs", &self.tell_verbs),
            ("fact_tell_verbs", &self.fact_tell_verbs),
            ("hear_openers", &self.hear_openers),
            ("hear_open_words", &self.hear_open_words),
            ("hear_closed_words", &self.hear_closed_words),
            ("fact_nouns", &self.fact_nouns),
            ("yes_no_verbs", &self.yes_no_verbs),
            ("negated_verbs", &self.negated_verbs),
            ("negation_after_subject", &self.negation_after_subject),
            ("conditional_verbs", &self.conditional_verbs),
            ("alternative_words", &self.alternative_words),
            ("leading_particles", &self.leading_particles),
            (
                "leading_particles_unmarked",
                &self.leading_particles_unmarked,
            ),
        ];
        for (list, phrases) in lists {
            for phrase in phrases {
                check_phrase(list, phrase)?;
            }
        }
        for word in &self.question_words {
            check_phrase("question_words", &word.phrase)?;
        }
        Ok(())
    }
}

fn check_phrase(list: &'static str, phrase: &str) -> Result<(), RulesError> {
    if phrase.trim().is_empty() {
        return Err(RulesError::EmptyPhrase { list });
    }
    if phrase.to_lowercase() != phrase {
        return Err(RulesError::NotLowercase {
            list,
            phrase: phrase.to_string(),
        });
    }
    Ok(())
}
