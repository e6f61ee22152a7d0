//! The Markdown report: overview, what went well, suggestions tied to moments, then details.

mod details;
pub(crate) mod listening;
pub(crate) mod words;

use crate::format::{clock, number, percent};
use crate::ReportWriter;
use medlyt_analysis::{Analysis, Finding, FindingCode, Moment, Polarity};
use medlyt_core::{Lang, Role};
use std::fmt::Write;
use words::{words, Words};

/// At most this many suggestions.
const MAX_SUGGESTIONS: usize = 3;
/// At most this many strengths.
const MAX_STRENGTHS: usize = 4;

/// Writes the Markdown report in one language.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownWriter {
    /// The report's language.
    pub lang: Lang,
}

impl Default for MarkdownWriter {
    fn default() -> Self {
        MarkdownWriter { lang: Lang::Da }
    }
}

impl ReportWriter for MarkdownWriter {
    fn extension(&self) -> &'static str {
        "md"
    }

    fn write(&self, a: &Analysis) -> String {
        let lang = self.lang;
        let w = words(lang);
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", w.title);
        let _ = writeln!(
            out,
            "{}: {} · {} · {}\n",
            w.call_of,
            md_code(&a.source),
            clock(a.duration_s),
            a.lang
        );
        if a.no_speech {
            // Nothing was measured: no figures that would look measured.
            let _ = writeln!(out, "> **{}.**\n", crate::html::no_speech_text(lang));
            let notes: Vec<String> = a
                .quality
                .notes
                .iter()
                .filter(|n| n.as_str() != medlyt_core::notes::NO_SPEECH)
                .map(|n| medlyt_core::notes::localize(n, lang))
                .collect();
            if !notes.is_empty() {
                let _ = writeln!(out, "{}:\n", w.transcript_notes);
                for n in notes {
                    let _ = writeln!(out, "- {}", md_text(&n.replace('\n', " ")));
                }
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
            return out;
        }
        if a.quality.text_uncertain {
            let _ = writeln!(out, "> **{}.** {}\n", w.uncertain_title, w.uncertain_body);
        }
        overview(&mut out, a, lang, w);
        strengths(&mut out, a, lang, w);
        suggestions(&mut out, a, lang, w);
        unchecked(&mut out, a, lang, w);
        let _ = writeln!(out, "## {}\n", w.details);
        details::write(&mut out, a, lang, w);
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// Text from the transcript or another input, safe in Markdown: shown as the text it is, not
/// as HTML, a link, emphasis, code, a heading or a table column (`&`, `<` and `>` become
/// entities; Markdown's active characters and a leading `#` get a backslash; line breaks
/// become spaces).
pub(crate) fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.starts_with('#') {
        out.push('\\');
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text from an input as a Markdown code span: fenced with more backticks than it holds in a
/// row, so a backtick in it cannot end the span (inside a span nothing else is active).
pub(crate) fn md_code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || text.starts_with(' ') || text.ends_with(' ') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A quote from the call, between the language's quotation marks, safe in Markdown.
pub(crate) fn quoted(text: &str, lang: Lang) -> String {
    let text = md_text(text);
    match lang {
        Lang::Da => format!("»{text}«"),
        Lang::En => format!("“{text}”"),
    }
}

/// The overview's figures per party: (label, employee, citizen), for the Markdown table and
/// the HTML one.
pub(crate) fn overview_rows(
    a: &Analysis,
    lang: Lang,
    w: &Words,
) -> [(&'static str, String, String); 8] {
    let t = &a.talk;
    let i = &a.interruptions;
    let q = &a.questions;
    let secs = |x: f64| format!("{} {}", number(x, 1, lang), w.seconds);
    [
        (
            w.talk_time,
            format!(
                "{} ({})",
                clock(t.employee.talk_s),
                percent(t.employee.share, lang)
            ),
            format!(
                "{} ({})",
                clock(t.citizen.talk_s),
                percent(t.citizen.share, lang)
            ),
        ),
        (
            w.wpm,
            number(t.employee.words_per_minute, 0, lang),
            number(t.citizen.words_per_minute, 0, lang),
        ),
        (
            w.monologue,
            clock(t.employee.longest_monologue_s),
            clock(t.citizen.longest_monologue_s),
        ),
        (
            w.reply_gap,
            secs(t.employee.median_reply_gap_s),
            secs(t.citizen.median_reply_gap_s),
        ),
        (
            w.interruptions,
            i.by_employee.to_string(),
            i.by_citizen.to_string(),
        ),
        (
            w.backchannels,
            i.backchannels_employee.to_string(),
            i.backchannels_citizen.to_string(),
        ),
        (
            w.reflections,
            format!(
                "{} ({} {}){}",
                a.listening.simple + a.listening.complex,
                a.listening.complex,
                w.complex,
                unsure_mark(a.quality.parts.employee.unsure, w)
            ),
            "–".to_string(),
        ),
        (
            w.questions,
            format!(
                "{} ({} {}){}",
                q.employee.questions,
                q.employee.open,
                w.open,
                unsure_mark(a.quality.parts.employee.unsure, w)
            ),
            format!(
                "{} ({} {}){}",
                q.citizen.questions,
                q.citizen.open,
                w.open,
                unsure_mark(a.quality.parts.citizen.unsure, w)
            ),
        ),
    ]
}

fn overview(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let t = &a.talk;
    let secs = |x: f64| format!("{} {}", number(x, 1, lang), w.seconds);
    let _ = writeln!(out, "## {}\n", w.overview);
    if a.parties == 1 {
        let _ = writeln!(out, "{}\n", w.one_voice);
        let _ = writeln!(out, "| | {} |\n|---|---|", w.employee);
        for (label, e, _) in overview_rows(a, lang, w) {
            let _ = writeln!(out, "| {label} | {e} |");
        }
    } else {
        let _ = writeln!(out, "| | {} | {} |\n|---|---|---|", w.employee, w.citizen);
        for (label, e, c) in overview_rows(a, lang, w) {
            let _ = writeln!(out, "| {label} | {e} | {c} |");
        }
    }
    let e = &a.escalation;
    let _ = writeln!(
        out,
        "\n{}: {} ({}) · {}: {} · {}: {} {} {} {}, {} {}\n",
        w.silence,
        clock(t.silence_s),
        percent(t.silence_share, lang),
        w.overlap,
        secs(t.overlap_s),
        w.escalation,
        w.peak.to_lowercase(),
        number(e.peak, 0, lang),
        w.at,
        clock(e.peak_at),
        w.end_level,
        number(e.final_level, 0, lang),
    );
}

fn strengths(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let _ = writeln!(out, "## {}\n", w.went_well);
    let found: Vec<&Finding> = a
        .findings_of(Polarity::Strength)
        .take(MAX_STRENGTHS)
        .collect();
    if found.is_empty() {
        let _ = writeln!(out, "{}\n", w.nothing_well);
    }
    for f in found {
        let (title, _) = words::finding(f, lang);
        let mark = uncertain_mark(f, w);
        match f.moments.first() {
            Some(m) => {
                let _ = writeln!(out, "- **{title}**{mark}: {}", moment(f.code, m, lang));
            }
            None => {
                let _ = writeln!(out, "- **{title}**{mark}");
            }
        }
    }
    out.push('\n');
}

fn suggestions(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let _ = writeln!(out, "## {}\n", w.suggestions);
    let found: Vec<&Finding> = a
        .findings_of(Polarity::Concern)
        .take(MAX_SUGGESTIONS)
        .collect();
    if found.is_empty() {
        let _ = writeln!(out, "{}\n", w.no_suggestions);
    }
    for (n, f) in found.iter().enumerate() {
        let (title, advice) = words::finding(f, lang);
        let _ = writeln!(
            out,
            "{}. **{title}.**{} {advice}",
            n + 1,
            uncertain_mark(f, w)
        );
        for m in &f.moments {
            let _ = writeln!(out, "   - {}", moment(f.code, m, lang));
        }
    }
    out.push('\n');
}

/// What could not be checked because the words were too unsure (shown only where there is any).
fn unchecked(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let found: Vec<&Finding> = a.findings_of(Polarity::Unchecked).collect();
    if found.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {}\n", w.unchecked);
    for f in found {
        let _ = writeln!(
            out,
            "- **{}**: {}.",
            words::unchecked(f, lang),
            w.not_checked
        );
    }
    out.push('\n');
}

fn uncertain_mark(f: &Finding, w: &Words) -> String {
    unsure_mark(f.uncertain, w)
}

/// The mark after a count taken from words too unsure to trust.
pub(crate) fn unsure_mark(unsure: bool, w: &Words) -> String {
    if unsure {
        format!(" {}", w.uncertain_mark)
    } else {
        String::new()
    }
}

/// One moment as a line: time, who, what.
fn moment(code: FindingCode, m: &Moment, lang: Lang) -> String {
    let t = clock(m.at);
    let q = quoted(&m.quote, lang);
    match (code, lang) {
        (FindingCode::Interrupting, Lang::Da) if !m.context.is_empty() => format!(
            "{t}: du afbrød borgeren, mens borgeren sagde {}; du sagde {q}",
            quoted(&m.context, lang)
        ),
        (FindingCode::Interrupting, Lang::En) if !m.context.is_empty() => format!(
            "{t}: you interrupted the citizen, who was saying {}; you said {q}",
            quoted(&m.context, lang)
        ),
        (FindingCode::UnexplainedJargon, Lang::Da) => {
            format!("{t}: {} uden forklaring: {q}", quoted(&m.context, lang))
        }
        (FindingCode::UnexplainedJargon, Lang::En) => {
            format!("{t}: {} not explained: {q}", quoted(&m.context, lang))
        }
        (_, _) => {
            let who = match (m.role, lang) {
                (Role::Employee, Lang::Da) => "du",
                (Role::Employee, Lang::En) => "you",
                (r, l) => words::role(r, l),
            };
            format!("{t}, {who}: {q}")
        }
    }
}
