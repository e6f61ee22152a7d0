//! The listening section: reflections and affirmations with the MITI reference points.

use super::quoted;
use crate::format::{clock, number, percent};
use medlyt_analysis::{Analysis, ListeningConfig, ReflectionKind};
use medlyt_core::Lang;
use std::fmt::Write;

/// At most this many listening moves are listed.
const MAX_MOVES: usize = 12;

/// Fixed words of the section.
struct Labels {
    title: &'static str,
    reflections: &'static str,
    simple: &'static str,
    complex: &'static str,
    ratio: &'static str,
    complex_share: &'static str,
    affirmations: &'static str,
    refs: &'static str,
    no_questions: &'static str,
    affirmation: &'static str,
    after: &'static str,
}

const DA: Labels = Labels {
    title: "Lytning: refleksioner og anerkendelse",
    reflections: "Refleksioner",
    simple: "simple",
    complex: "komplekse",
    ratio: "Refleksioner pr. spørgsmål",
    complex_share: "Andel komplekse refleksioner",
    affirmations: "Anerkendelser",
    refs: "MITI-pejlemærker: rimeligt",
    no_questions: "ingen spørgsmål",
    affirmation: "anerkendelse",
    after: "efter at borgeren sagde",
};

const EN: Labels = Labels {
    title: "Listening: reflections and affirmations",
    reflections: "Reflections",
    simple: "simple",
    complex: "complex",
    ratio: "Reflections per question",
    complex_share: "Share of complex reflections",
    affirmations: "Affirmations",
    refs: "MITI reference points: fair",
    no_questions: "no questions",
    affirmation: "affirmation",
    after: "after the citizen said",
};

/// The name of one reflection's kind.
pub(crate) fn kind_name(kind: ReflectionKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ReflectionKind::Simple, Lang::Da) => "simpel refleksion",
        (ReflectionKind::Complex, Lang::Da) => "kompleks refleksion",
        (ReflectionKind::Simple, Lang::En) => "simple reflection",
        (ReflectionKind::Complex, Lang::En) => "complex reflection",
    }
}

/// "1:1 / 2:1" style reference points of the reflection-to-question ratio.
fn refs(c: &ListeningConfig, lang: Lang, good: &str) -> String {
    format!(
        "{}:1, {good} {}:1",
        number(c.ratio_refs[0], 1, lang),
        number(c.ratio_refs[1], 1, lang)
    )
}

pub(crate) fn write(out: &mut String, a: &Analysis, c: &ListeningConfig, lang: Lang) {
    let l = if lang == Lang::Da { &DA } else { &EN };
    let good = if lang == Lang::Da { "godt" } else { "good" };
    let s = &a.listening;
    let _ = writeln!(out, "### {}\n", l.title);
    let _ = writeln!(
        out,
        "- {}: {} ({} {}, {} {})",
        l.reflections,
        s.simple + s.complex,
        s.simple,
        l.simple,
        s.complex,
        l.complex
    );
    let ratio = s.reflection_to_question.map_or_else(
        || l.no_questions.to_string(),
        |r| format!("{}:1", number(r, 1, lang)),
    );
    let _ = writeln!(
        out,
        "- {}: {ratio} ({} {})",
        l.ratio,
        l.refs,
        refs(c, lang, good)
    );
    if let Some(share) = s.complex_share {
        let _ = writeln!(
            out,
            "- {}: {} ({} {}, {good} {})",
            l.complex_share,
            percent(share, lang),
            l.refs,
            percent(c.complex_refs[0], lang),
            percent(c.complex_refs[1], lang)
        );
    }
    let _ = writeln!(out, "- {}: {}", l.affirmations, s.affirmations);
    let mut moves: Vec<(f64, String)> = s
        .reflections
        .iter()
        .map(|r| {
            let before = if r.found.citizen_before.is_empty() {
                String::new()
            } else {
                format!(", {} {}", l.after, quoted(&r.found.citizen_before, lang))
            };
            let line = format!(
                "- {}: {} (`{}`: {}{before}): {}",
                clock(r.found.at),
                kind_name(r.kind, lang),
                r.found.rule,
                r.found.cue,
                quoted(&r.found.sentence, lang)
            );
            (r.found.at, line)
        })
        .chain(s.affirmation_moves.iter().map(|m| {
            let line = format!(
                "- {}: {} (`{}`: {}): {}",
                clock(m.at),
                l.affirmation,
                m.rule,
                m.cue,
                quoted(&m.sentence, lang)
            );
            (m.at, line)
        }))
        .collect();
    moves.sort_by(|x, y| x.0.total_cmp(&y.0));
    if !moves.is_empty() {
        out.push('\n');
    }
    for (_, line) in moves.into_iter().take(MAX_MOVES) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}
