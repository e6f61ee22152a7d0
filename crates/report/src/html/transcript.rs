//! The feedback sections (strengths, suggestions), the key moments and the searchable transcript.

use super::text::{esc, num};
use super::words::{finding, moment_kind, role, why, Labels, Words};
use crate::format::clock;
use medlyt_analysis::{Analysis, Finding, Polarity};
use medlyt_core::{Lang, Role};
use medlyt_questions::QuestionKind;
use std::fmt::Write;

/// At most this many strengths, suggestions and key moments, as in the Markdown report.
const MAX_STRENGTHS: usize = 4;
const MAX_SUGGESTIONS: usize = 3;
pub(crate) const MAX_MOMENTS: usize = 20;

/// A time that plays the recording from there when clicked.
pub(crate) fn time_button(at: f64, l: &Labels) -> String {
    format!(
        "<button type=\"button\" class=\"t\" data-t=\"{}\" aria-label=\"{} {}\">{}</button>",
        num(at, 2),
        esc(l.play_from),
        clock(at),
        clock(at)
    )
}

fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Da => format!("»{}«", esc(text)),
        Lang::En => format!("“{}”", esc(text)),
    }
}

fn uncertain(f: &Finding, w: &Words) -> String {
    if f.uncertain {
        format!(" <em class=\"unc\">{}</em>", esc(w.uncertain_mark))
    } else {
        String::new()
    }
}

/// A code's reason as shown beside it: the rule, and the cue where there is one.
fn reason(rule: &str, cue: &str) -> String {
    if cue.is_empty() {
        rule.to_string()
    } else {
        format!("{rule}: {cue}")
    }
}

/// The listening code of a sentence (reflection or affirmation): class, label and reason.
fn listening_code(
    a: &Analysis,
    segment: usize,
    sentence: &str,
    w: &Words,
    l: &Labels,
) -> Option<(&'static str, String, String)> {
    let same = |s: usize, text: &str| s == segment && text == sentence;
    if let Some(r) = a
        .listening
        .reflections
        .iter()
        .find(|r| same(r.found.segment, &r.found.sentence))
    {
        let kind = match r.kind {
            medlyt_analysis::ReflectionKind::Simple => w.simple,
            medlyt_analysis::ReflectionKind::Complex => w.one_complex,
        };
        let label = format!("{} ({kind})", l.legend_reflection);
        return Some(("refl", label, reason(&r.found.rule, &r.found.cue)));
    }
    a.listening
        .affirmation_moves
        .iter()
        .find(|m| same(m.segment, &m.sentence))
        .map(|m| {
            (
                "affirm",
                l.legend_affirmation.to_string(),
                reason(&m.rule, &m.cue),
            )
        })
}

/// Strengths and suggestions.
pub(crate) fn feedback(a: &Analysis, lang: Lang, w: &Words, l: &Labels) -> String {
    let mut out = format!("<section class=\"card\"><h2>{}</h2>", esc(w.went_well));
    let strengths: Vec<&Finding> = a
        .findings_of(Polarity::Strength)
        .take(MAX_STRENGTHS)
        .collect();
    if strengths.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(w.nothing_well));
    } else {
        out.push_str("<ul class=\"findings\">");
        for f in strengths {
            let (title, _) = finding(f, lang);
            let _ = write!(
                out,
                "<li><strong>{}</strong>{}",
                esc(&title),
                uncertain(f, w)
            );
            if let Some(m) = f.moments.first() {
                let _ = write!(out, " {} {}", time_button(m.at, l), quoted(&m.quote, lang));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "</section><section class=\"card\"><h2>{}</h2>",
        esc(w.suggestions)
    );
    let concerns: Vec<&Finding> = a
        .findings_of(Polarity::Concern)
        .take(MAX_SUGGESTIONS)
        .collect();
    if concerns.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(w.no_suggestions));
    } else {
        out.push_str("<ol class=\"findings\">");
        for f in concerns {
            let (title, advice) = finding(f, lang);
            let _ = write!(
                out,
                "<li><strong>{}.</strong>{} {}<ul>",
                esc(&title),
                uncertain(f, w),
                esc(advice)
            );
            for m in &f.moments {
                let _ = write!(
                    out,
                    "<li>{} {}: {}</li>",
                    time_button(m.at, l),
                    esc(role(m.role, lang)),
                    quoted(&m.quote, lang)
                );
            }
            out.push_str("</ul></li>");
        }
        out.push_str("</ol>");
    }
    out.push_str(&unchecked(a, lang, w));
    out.push_str("</section>");
    out
}

/// What could not be checked because the words were too unsure (only where there is any).
fn unchecked(a: &Analysis, lang: Lang, w: &Words) -> String {
    let found: Vec<&Finding> = a.findings_of(Polarity::Unchecked).collect();
    if found.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<h3 id=\"unchecked\">{}</h3><ul class=\"findings unchecked\">",
        esc(w.unchecked)
    );
    for f in found {
        let _ = write!(
            out,
            "<li><strong>{}</strong>: {}.</li>",
            esc(&crate::markdown::words::unchecked(f, lang)),
            esc(w.not_checked)
        );
    }
    out.push_str("</ul>");
    out
}

/// The key moments, each with its time, quote and why it matters.
pub(crate) fn moments(a: &Analysis, lang: Lang, w: &Words, l: &Labels) -> String {
    let mut out = format!("<section class=\"card\"><h2>{}</h2>", esc(w.moments));
    if a.moments.is_empty() {
        let _ = write!(out, "<p>{}.</p></section>", esc(w.none));
        return out;
    }
    out.push_str("<ol class=\"moments\" id=\"moments\">");
    for m in a.moments.iter().take(MAX_MOMENTS) {
        let quote = if m.quote.is_empty() {
            String::new()
        } else {
            format!(" {}", quoted(&m.quote, lang))
        };
        let _ = write!(
            out,
            "<li class=\"moment\">{} <strong>{}</strong> ({}, {}){quote}<br>\
             <span class=\"why\">{}: {}</span></li>",
            time_button(m.at, l),
            esc(moment_kind(m.kind, lang)),
            esc(role(m.role, lang)),
            esc(&m.detail),
            esc(l.why_it_matters),
            esc(why(m.kind, lang))
        );
    }
    out.push_str("</ol></section>");
    out
}

fn kind_label(k: QuestionKind, w: &Words) -> (&'static str, &'static str) {
    match k {
        QuestionKind::Open => ("open", w.one_open),
        QuestionKind::Closed => ("closed", w.one_closed),
        QuestionKind::Leading => ("leading", w.one_leading),
        QuestionKind::NotQuestion => ("", ""),
    }
}

/// The transcript with speaker, time and each question's class, with a search field.
pub(crate) fn transcript(a: &Analysis, w: &Words, l: &Labels) -> String {
    let mut out = format!(
        "<section class=\"card\" id=\"transcript-section\"><h2>{}</h2>\
         <div class=\"search\" role=\"search\"><label for=\"q\">{}</label> \
         <input type=\"search\" id=\"q\" autocomplete=\"off\"> \
         <label for=\"kind\" class=\"sr\">{}</label><select id=\"kind\">\
         <option value=\"\">{}</option><option value=\"q\">{}</option>\
         <option value=\"open\">{}</option><option value=\"closed\">{}</option>\
         <option value=\"leading\">{}</option></select> \
         <span id=\"shown\" aria-live=\"polite\" data-label=\"{}\"></span></div>\
         <table class=\"transcript\" id=\"transcript\"><tbody>",
        esc(l.transcript),
        esc(l.search),
        esc(l.filter_questions),
        esc(l.filter_all),
        esc(l.filter_questions),
        esc(w.one_open),
        esc(w.one_closed),
        esc(w.one_leading),
        esc(l.shown),
    );
    for (i, u) in a.utterances.iter().enumerate() {
        let (class, who) = if u.role == Role::Employee {
            ("emp", w.employee)
        } else {
            ("cit", w.citizen)
        };
        let kinds: Vec<&str> = u
            .sentences
            .iter()
            .map(|c| kind_label(c.kind, w).0)
            .filter(|k| !k.is_empty())
            .collect();
        let bc = if u.backchannel { " bc" } else { "" };
        let _ = write!(
            out,
            "<tr class=\"u {class}{bc}\" id=\"u{i}\" data-i=\"{i}\" data-k=\"{}\"><td>{}</td>\
             <th scope=\"row\">{}</th><td>",
            kinds.join(" "),
            time_button(u.start, l),
            esc(who)
        );
        if u.sentences.is_empty() {
            out.push_str(&esc(&u.text));
        }
        for (k, c) in u.sentences.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let (kind, label) = kind_label(c.kind, w);
            if let Some((class, label, why)) = listening_code(a, u.segment, &c.sentence, w, l) {
                let _ = write!(
                    out,
                    "<mark class=\"lm {class}\">{}</mark> <span class=\"chip {class}\">{}</span> \
                     <small class=\"why\">{}</small>",
                    esc(&c.sentence),
                    esc(&label),
                    esc(&why)
                );
            } else if kind.is_empty() {
                out.push_str(&esc(&c.sentence));
            } else {
                let _ = write!(
                    out,
                    "<mark class=\"q {kind}\">{}</mark> <span class=\"chip {kind}\">{}</span> \
                     <small class=\"why\">{}</small>",
                    esc(&c.sentence),
                    esc(label),
                    esc(&reason(&c.rule, &c.cue))
                );
            }
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></section>");
    out
}
