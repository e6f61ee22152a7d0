//! The key figures of one call: one row of `calls.csv`, and what the aggregate and the
//! comparison summarise.

use medlyt_analysis::Analysis;
use medlyt_core::Lang;
use serde::{Deserialize, Serialize};

/// The key figures of one analysed call. Shares are fractions (0..1); `None` where a figure is
/// not defined for the call (no questions asked, no replies).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// The language the call was analysed in.
    pub lang: Lang,
    /// Length in seconds.
    pub duration_s: f64,
    /// Employee's share of the talk time.
    pub employee_talk_share: f64,
    /// Share of the call with nobody speaking.
    pub silence_share: f64,
    /// Share of the call with both speaking.
    pub overlap_share: f64,
    /// Interruptions (by either party) per 10 minutes.
    pub interruptions_per_10min: f64,
    /// Interruptions by the employee.
    pub interruptions_by_employee: usize,
    /// Interruptions by the citizen.
    pub interruptions_by_citizen: usize,
    /// Questions the employee asked.
    pub employee_questions: usize,
    /// Share of the employee's questions that are open.
    pub employee_open_share: Option<f64>,
    /// The employee's reflections (simple and complex).
    #[serde(default)]
    pub reflections: usize,
    /// The employee's complex reflections.
    #[serde(default)]
    pub complex_reflections: usize,
    /// Reflections per question (MITI: fair 1, good 2).
    #[serde(default)]
    pub reflection_to_question: Option<f64>,
    /// The employee's affirmations.
    #[serde(default)]
    pub affirmations: usize,
    /// Escalation cues and loud passages.
    pub escalation_moments: usize,
    /// Highest level of the escalation curve.
    pub escalation_peak: f64,
    /// De-escalating moves by the employee.
    pub deescalating_moves: usize,
    /// Median gap before the employee's replies, in seconds.
    pub employee_reply_gap_s: Option<f64>,
    /// Median gap before the citizen's replies, in seconds.
    pub citizen_reply_gap_s: Option<f64>,
    /// The employee's speaking rate.
    pub employee_words_per_minute: f64,
    /// Mean word probability of the transcript (1 for hand-written transcripts).
    pub mean_word_probability: f64,
    /// Personal-data spans redacted.
    pub redacted: usize,
}

impl Figures {
    /// The figures of `a`, with `redacted` spans removed before the analysis.
    pub fn of(a: &Analysis, redacted: usize) -> Self {
        let minutes = a.duration_s / 60.0;
        let interruptions = a.interruptions.by_employee + a.interruptions.by_citizen;
        let per_10 = if minutes > 0.0 {
            interruptions as f64 / minutes * 10.0
        } else {
            0.0
        };
        let eq = &a.questions.employee;
        let gap = |replies: usize, gap: f64| (replies > 0 && gap.is_finite()).then_some(gap);
        Figures {
            lang: a.lang,
            duration_s: a.duration_s,
            employee_talk_share: a.talk.employee.share,
            silence_share: a.talk.silence_share,
            overlap_share: a.talk.overlap_share,
            interruptions_per_10min: per_10,
            interruptions_by_employee: a.interruptions.by_employee,
            interruptions_by_citizen: a.interruptions.by_citizen,
            employee_questions: eq.questions,
            employee_open_share: (eq.questions > 0).then_some(eq.open_share),
            reflections: a.listening.simple + a.listening.complex,
            complex_reflections: a.listening.complex,
            reflection_to_question: a.listening.reflection_to_question,
            affirmations: a.listening.affirmations,
            escalation_moments: a.escalation.cues.len() + a.escalation.loud.len(),
            escalation_peak: a.escalation.peak,
            deescalating_moves: a.escalation.deescalating,
            employee_reply_gap_s: gap(a.talk.employee.replies, a.talk.employee.median_reply_gap_s),
            citizen_reply_gap_s: gap(a.talk.citizen.replies, a.talk.citizen.median_reply_gap_s),
            employee_words_per_minute: a.talk.employee.words_per_minute,
            mean_word_probability: a.quality.mean_word_probability,
            redacted,
        }
    }
}

/// One measure summarised over calls: its name, its unit, and how to read it from the figures.
pub struct Measure {
    /// The column name in `calls.csv` and the key in `aggregate.json`.
    pub name: &'static str,
    /// A short description for the Markdown summaries.
    pub label: &'static str,
    /// Reads the value (`None` where not defined).
    pub value: fn(&Figures) -> Option<f64>,
}

/// Every measure, in the order of the CSV columns.
pub const MEASURES: &[Measure] = &[
    Measure {
        name: "duration_s",
        label: "length (s)",
        value: |f| Some(f.duration_s),
    },
    Measure {
        name: "employee_talk_share",
        label: "employee talk share",
        value: |f| Some(f.employee_talk_share),
    },
    Measure {
        name: "silence_share",
        label: "silence share",
        value: |f| Some(f.silence_share),
    },
    Measure {
        name: "overlap_share",
        label: "overlap share",
        value: |f| Some(f.overlap_share),
    },
    Measure {
        name: "interruptions_per_10min",
        label: "interruptions per 10 min",
        value: |f| Some(f.interruptions_per_10min),
    },
    Measure {
        name: "interruptions_by_employee",
        label: "interruptions by employee",
        value: |f| Some(f.interruptions_by_employee as f64),
    },
    Measure {
        name: "interruptions_by_citizen",
        label: "interruptions by citizen",
        value: |f| Some(f.interruptions_by_citizen as f64),
    },
    Measure {
        name: "employee_questions",
        label: "employee questions",
        value: |f| Some(f.employee_questions as f64),
    },
    Measure {
        name: "employee_open_share",
        label: "open-question share",
        value: |f| f.employee_open_share,
    },
    Measure {
        name: "reflections",
        label: "reflections",
        value: |f| Some(f.reflections as f64),
    },
    Measure {
        name: "complex_reflections",
        label: "complex reflections",
        value: |f| Some(f.complex_reflections as f64),
    },
    Measure {
        name: "reflection_to_question",
        label: "reflections per question",
        value: |f| f.reflection_to_question,
    },
    Measure {
        name: "affirmations",
        label: "affirmations",
        value: |f| Some(f.affirmations as f64),
    },
    Measure {
        name: "escalation_moments",
        label: "escalation moments",
        value: |f| Some(f.escalation_moments as f64),
    },
    Measure {
        name: "escalation_peak",
        label: "escalation peak",
        value: |f| Some(f.escalation_peak),
    },
    Measure {
        name: "deescalating_moves",
        label: "de-escalating moves",
        value: |f| Some(f.deescalating_moves as f64),
    },
    Measure {
        name: "employee_reply_gap_s",
        label: "employee reply gap (s)",
        value: |f| f.employee_reply_gap_s,
    },
    Measure {
        name: "citizen_reply_gap_s",
        label: "citizen reply gap (s)",
        value: |f| f.citizen_reply_gap_s,
    },
    Measure {
        name: "employee_words_per_minute",
        label: "employee words per minute",
        value: |f| Some(f.employee_words_per_minute),
    },
    Measure {
        name: "mean_word_probability",
        label: "mean word probability",
        value: |f| Some(f.mean_word_probability),
    },
    Measure {
        name: "redacted",
        label: "redacted spans",
        value: |f| Some(f.redacted as f64),
    },
];

/// The measures whose unusual values make a call stand out in the summary.
pub const STAND_OUT: &[&str] = &[
    "employee_talk_share",
    "interruptions_per_10min",
    "employee_open_share",
    "escalation_moments",
    "employee_reply_gap_s",
    "citizen_reply_gap_s",
];
