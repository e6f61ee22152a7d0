//! The details per measure, after the feedback sections.

use super::words::{self, Words};
use super::{quoted, unsure_mark};
use crate::format::{clock, number, percent};
use medlyt_analysis::{Analysis, Cue, Outcome};
use medlyt_core::{Lang, Role};
use medlyt_questions::QuestionKind;
use std::fmt::Write;

/// At most this many key moments are listed.
const MAX_MOMENTS: usize = 20;
/// At most this many questions are listed.
const MAX_QUESTIONS: usize = 30;

pub(super) fn write(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    talk(out, a, lang, w);
    interruptions(out, a, lang, w);
    questions(out, a, lang, w);
    let defaults = medlyt_analysis::Config::for_lang(a.lang);
    super::listening::write(out, a, &defaults.listening, lang);
    escalation(out, a, lang, w);
    structure(out, a, lang, w);
    language(out, a, lang, w);
    quality(out, a, lang, w);
}

fn secs(x: f64, lang: Lang, w: &Words) -> String {
    format!("{} {}", number(x, 1, lang), w.seconds)
}

fn talk(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let t = &a.talk;
    let da = lang == Lang::Da;
    let _ = writeln!(out, "### {}\n", w.talk_time);
    let ratio = t
        .ratio
        .map(|r| number(r, 2, lang))
        .unwrap_or_else(|| "-".into());
    let _ = writeln!(
        out,
        "- {}: {} ({}: {ratio})",
        if da {
            "Samtalens længde fra første til sidste ord"
        } else {
            "Conversation from first to last word"
        },
        clock(t.conversation_s),
        if da {
            "forhold medarbejder:borger"
        } else {
            "employee:citizen ratio"
        },
    );
    let _ = writeln!(
        out,
        "- {} ({} / {}): {} / {}",
        w.turns,
        w.employee.to_lowercase(),
        w.citizen.to_lowercase(),
        t.employee.turns,
        t.citizen.turns
    );
    let _ = writeln!(
        out,
        "- {}: {} {}",
        if da {
            "Skift af taler"
        } else {
            "Speaker switches"
        },
        number(t.switches_per_minute, 1, lang),
        w.per_minute
    );
    if let Some(s) = &t.longest_silence {
        let _ = writeln!(
            out,
            "- {} ({}): {} {}",
            w.silence,
            w.longest_silence,
            secs(s.duration_s, lang, w),
            if da {
                format!("fra {}", clock(s.start))
            } else {
                format!("from {}", clock(s.start))
            }
        );
    }
    for s in &t.long_silences {
        let _ = writeln!(
            out,
            "- {}: {} {}",
            clock(s.start),
            if da {
                "lang pause på"
            } else {
                "long pause of"
            },
            secs(s.duration_s, lang, w)
        );
    }
    out.push('\n');
}

fn interruptions(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let i = &a.interruptions;
    let da = lang == Lang::Da;
    let _ = writeln!(out, "### {}\n", w.interruptions);
    if i.events.is_empty() {
        let _ = writeln!(out, "{}.\n", capital(w.none));
    } else {
        let head = if da {
            "| Tid | Hvem afbrød | Samtidig tale | Den afbrudte | Citat |"
        } else {
            "| Time | Who cut in | Overlap | The interrupted | Quote |"
        };
        let _ = writeln!(out, "{head}\n|---|---|---|---|---|");
        for e in &i.events {
            let outcome = match e.outcome {
                Outcome::Yielded => w.outcome_yielded,
                Outcome::TalkedOver => w.outcome_talked_over,
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {outcome} | {} |",
                clock(e.at),
                words::role(e.by, lang),
                secs(e.overlap_s, lang, w),
                quoted(&e.quote, lang)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "- {} ({} / {}): {} / {} ({}: {} {})",
        w.backchannels,
        w.employee.to_lowercase(),
        w.citizen.to_lowercase(),
        i.backchannels_employee,
        i.backchannels_citizen,
        w.employee.to_lowercase(),
        number(i.employee_backchannels_per_minute, 1, lang),
        if da {
            "pr. minut borgeren talte"
        } else {
            "per minute the citizen spoke"
        }
    );
    let _ = writeln!(
        out,
        "- {}: {}\n",
        if da {
            "Korte overlap ved skift af taler (ikke afbrydelser)"
        } else {
            "Brief overlaps at speaker changes (not interruptions)"
        },
        i.brief_overlaps
    );
}

fn questions(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let q = &a.questions;
    let da = lang == Lang::Da;
    let _ = writeln!(out, "### {}\n", w.questions);
    let one = a.parties == 1;
    let row = |out: &mut String, label: &str, e: String, c: String| {
        let _ = if one {
            writeln!(out, "| {label} | {e} |")
        } else {
            writeln!(out, "| {label} | {e} | {c} |")
        };
    };
    // Counts from words too unsure to trust carry the mark in their column's head.
    let parts = &a.quality.parts;
    let employee = format!("{}{}", w.employee, unsure_mark(parts.employee.unsure, w));
    let citizen = format!("{}{}", w.citizen, unsure_mark(parts.citizen.unsure, w));
    if one {
        let _ = writeln!(out, "| | {employee} |\n|---|---|");
    } else {
        let _ = writeln!(out, "| | {employee} | {citizen} |\n|---|---|---|");
    }
    let rows = [
        (
            if da { "i alt" } else { "total" },
            q.employee.questions,
            q.citizen.questions,
        ),
        (w.open, q.employee.open, q.citizen.open),
        (w.closed, q.employee.closed, q.citizen.closed),
        (w.leading, q.employee.leading, q.citizen.leading),
        (w.why, q.employee.why, q.citizen.why),
    ];
    for (label, e, c) in rows {
        row(out, label, e.to_string(), c.to_string());
    }
    row(
        out,
        if da { "andel åbne" } else { "open share" },
        percent(q.employee.open_share, lang),
        percent(q.citizen.open_share, lang),
    );
    row(
        out,
        w.per_minute,
        number(q.employee.per_minute, 1, lang),
        number(q.citizen.per_minute, 1, lang),
    );
    out.push('\n');
    for s in &q.stacked {
        let _ = writeln!(
            out,
            "- {}: {} ({}): {}",
            clock(s.at),
            w.stacked,
            words::role(s.role, lang),
            quoted(&s.questions.join(" "), lang)
        );
    }
    let asked = a
        .utterances
        .iter()
        .filter(|u| u.role == Role::Employee)
        .flat_map(|u| u.sentences.iter().map(move |c| (u.start, c)))
        .filter(|(_, c)| c.kind != QuestionKind::NotQuestion);
    for (at, c) in asked.take(MAX_QUESTIONS) {
        let kind = match c.kind {
            QuestionKind::Open => w.one_open,
            QuestionKind::Closed => w.one_closed,
            QuestionKind::Leading => w.one_leading,
            QuestionKind::NotQuestion => "",
        };
        let _ = writeln!(
            out,
            "- {}: {} (`{}`): {}",
            clock(at),
            kind,
            c.rule,
            quoted(&c.sentence, lang)
        );
    }
    out.push('\n');
}

fn escalation(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let e = &a.escalation;
    let da = lang == Lang::Da;
    let _ = writeln!(out, "### {}\n", w.escalation);
    let bars: String = e
        .curve
        .iter()
        .map(|win| {
            const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
            BLOCKS[((win.level / 100.0 * 7.0).round() as usize).min(7)]
        })
        .collect();
    let _ = writeln!(out, "{} (0-100): `{bars}`\n", w.curve);
    let _ = writeln!(
        out,
        "- {}: {} {} {}; {}: {}",
        w.peak,
        number(e.peak, 0, lang),
        if da { "ved" } else { "at" },
        clock(e.peak_at),
        w.end_level,
        number(e.final_level, 0, lang)
    );
    let _ = writeln!(
        out,
        "- {}: {} / {}",
        if da {
            "Dine dæmpende / optrappende træk"
        } else {
            "Your calming / escalating moves"
        },
        e.deescalating,
        e.escalating
    );
    if !e.loudness_measured {
        let _ = writeln!(out, "- {}", w.loudness_unmeasured);
    }
    if !a.moments.is_empty() {
        let _ = writeln!(out, "\n{}:\n", w.moments);
        for m in a.moments.iter().take(MAX_MOMENTS) {
            let quote = if m.quote.is_empty() {
                String::new()
            } else {
                format!(": {}", quoted(&m.quote, lang))
            };
            let _ = writeln!(
                out,
                "- {} {} ({}, {}){quote}",
                clock(m.at),
                words::moment_kind(m.kind, lang),
                words::role(m.role, lang),
                m.detail
            );
        }
    }
    out.push('\n');
}

/// A cue found, or missing; where the words of that part are too unsure, not checked.
fn cue_line(label: &str, cue: &Option<Cue>, unsure: bool, lang: Lang, w: &Words) -> String {
    match cue {
        Some(c) => format!("- {label}: {} {}", clock(c.at), quoted(&c.quote, lang)),
        None if unsure => format!("- {label}: {}", w.not_checked),
        None => format!("- {label}: {}", w.missing),
    }
}

fn structure(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let s = &a.structure;
    let _ = writeln!(out, "### {}\n", w.structure);
    let _ = writeln!(out, "{}:\n", w.opening);
    for (label, cue) in [
        (w.greeting, &s.opening.greeting),
        (w.own_name, &s.opening.own_name),
        (w.unit, &s.opening.unit),
        (w.purpose, &s.opening.purpose),
    ] {
        let unsure = a.quality.parts.opening.unsure;
        let _ = writeln!(out, "{}", cue_line(label, cue, unsure, lang, w));
    }
    let _ = writeln!(out, "\n{}:\n", w.closing);
    for (label, cue) in [
        (w.summary, &s.closing.summary),
        (w.next_step, &s.closing.next_step),
        (w.thanks, &s.closing.citizen_thanks),
    ] {
        let parts = &a.quality.parts;
        let unsure = if label == w.thanks {
            parts.citizen.unsure
        } else {
            parts.closing.unsure
        };
        let _ = writeln!(out, "{}", cue_line(label, cue, unsure, lang, w));
    }
    out.push('\n');
}

fn language(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let l = &a.language;
    let da = lang == Lang::Da;
    let _ = writeln!(out, "### {}\n", w.language);
    let _ = writeln!(
        out,
        "- LIX {} ({}): {} {}, {} {}, {} {}",
        number(l.lix, 1, lang),
        words::band(l.band, lang),
        l.words,
        if da { "ord" } else { "words" },
        l.sentences,
        if da { "sætninger" } else { "sentences" },
        l.long_words,
        if da { "lange ord" } else { "long words" },
    );
    if l.jargon.is_empty() && a.quality.parts.employee.unsure {
        let _ = writeln!(out, "- {}: {}", w.jargon, w.not_checked);
    } else if l.jargon.is_empty() {
        let _ = writeln!(out, "- {}: {}", w.jargon, w.none);
    }
    for j in &l.jargon {
        let _ = writeln!(
            out,
            "- {} {} {} ({}): {}",
            clock(j.at),
            w.jargon.to_lowercase(),
            super::md_code(&j.term),
            if j.explained {
                w.explained
            } else {
                w.unexplained
            },
            quoted(&j.quote, lang)
        );
    }
    out.push('\n');
}

fn quality(out: &mut String, a: &Analysis, lang: Lang, w: &Words) {
    let q = &a.quality;
    let _ = writeln!(out, "### {}\n", w.quality);
    let _ = writeln!(
        out,
        "- {}: {} ({} {})",
        w.mean_probability,
        number(q.mean_word_probability, 2, lang),
        percent(q.low_word_share, lang),
        w.low_words
    );
    for warning in &q.warnings {
        let _ = writeln!(out, "- {}", words::warning(warning, lang));
    }
    out.push('\n');
    if !q.notes.is_empty() {
        let _ = writeln!(out, "{}:\n", w.transcript_notes);
        for note in &q.notes {
            let note = medlyt_core::notes::localize(note, lang);
            let _ = writeln!(out, "- {}", super::md_text(&note));
        }
        out.push('\n');
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
