//! The overview: the key figures as bars with the training's reference points, and the table of
//! both parties' figures.

use super::text::{esc, num};
use super::words::{Labels, Words};
use crate::format::{clock, number, percent};
use medlyt_analysis::{Analysis, Config};
use medlyt_core::Lang;
use std::fmt::Write;

/// How a figure compares with its reference points.
#[derive(Clone, Copy, PartialEq)]
enum Verdict {
    Good,
    Middle,
    Concern,
}

impl Verdict {
    fn class(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Middle => "mid",
            Verdict::Concern => "concern",
        }
    }

    /// Lower is better: good at or below `good`, a concern above `bad`.
    fn lower(v: f64, good: f64, bad: f64) -> Verdict {
        if v <= good {
            Verdict::Good
        } else if v > bad {
            Verdict::Concern
        } else {
            Verdict::Middle
        }
    }
}

/// One bar: the value on a scale from 0 to `max`, with reference points.
struct Bar {
    label: &'static str,
    value: f64,
    text: String,
    max: f64,
    refs: Vec<(f64, String)>,
    verdict: Verdict,
}

fn bars(a: &Analysis, c: &Config, lang: Lang, w: &Words, l: &Labels) -> Vec<Bar> {
    let t = &a.talk;
    let pct = |v: f64| percent(v, lang);
    let secs = |v: f64| format!("{} s", number(v, 1, lang));
    let mut out = vec![Bar {
        label: l.own_share,
        value: t.employee.share,
        text: pct(t.employee.share),
        max: 1.0,
        refs: vec![
            (
                c.talk.balanced_employee_share,
                pct(c.talk.balanced_employee_share),
            ),
            (c.talk.max_employee_share, pct(c.talk.max_employee_share)),
        ],
        verdict: Verdict::lower(
            t.employee.share,
            c.talk.balanced_employee_share,
            c.talk.max_employee_share,
        ),
    }];
    let q = &a.questions.employee;
    if q.questions > 0 {
        let v = q.open_share;
        // A share from words too unsure to trust is marked, and not judged.
        let unsure = a.quality.parts.employee.unsure;
        out.push(Bar {
            label: l.open_share,
            value: v,
            text: format!(
                "{} ({} / {}){}",
                pct(v),
                q.open,
                q.questions,
                crate::markdown::unsure_mark(unsure, w)
            ),
            max: 1.0,
            refs: vec![
                (c.questions.min_open_share, pct(c.questions.min_open_share)),
                (
                    c.questions.good_open_share,
                    pct(c.questions.good_open_share),
                ),
            ],
            verdict: if unsure {
                Verdict::Middle
            } else if v >= c.questions.good_open_share {
                Verdict::Good
            } else if v < c.questions.min_open_share {
                Verdict::Concern
            } else {
                Verdict::Middle
            },
        });
    }
    let n = a.interruptions.by_employee as f64;
    let max_i = c.interruptions.max_employee_interruptions as f64;
    out.push(Bar {
        label: l.your_interruptions,
        value: n,
        text: a.interruptions.by_employee.to_string(),
        max: (max_i * 2.0).max(n).max(1.0),
        refs: vec![(max_i, num(max_i, 0))],
        verdict: if n == 0.0 {
            Verdict::Good
        } else if n >= max_i {
            Verdict::Concern
        } else {
            Verdict::Middle
        },
    });
    let mono = t.employee.longest_monologue_s;
    let long = c.talk.long_monologue;
    out.push(Bar {
        label: w.monologue,
        value: mono,
        text: clock(mono),
        max: (long * 2.0).max(mono).max(1.0),
        refs: vec![(long, clock(long))],
        verdict: Verdict::lower(mono, long / 2.0, long),
    });
    let gap = t.employee.median_reply_gap_s;
    let slow = c.talk.slow_reply;
    out.push(Bar {
        label: l.reply_gap,
        value: gap,
        text: secs(gap),
        max: (slow * 2.0).max(gap).max(0.1),
        refs: vec![(slow, secs(slow))],
        verdict: Verdict::lower(gap, slow / 2.0, slow),
    });
    for (label, v, limit) in [
        (l.silence_share, t.silence_share, c.talk.max_silence_share),
        (l.overlap_share, t.overlap_share, c.talk.max_overlap_share),
    ] {
        out.push(Bar {
            label,
            value: v,
            text: pct(v),
            max: (limit * 2.0).max(v).max(0.01),
            refs: vec![(limit, pct(limit))],
            verdict: Verdict::lower(v, limit / 2.0, limit),
        });
    }
    if a.language.words > 0 {
        let lix = a.language.lix;
        out.push(Bar {
            label: l.lix,
            value: lix,
            text: number(lix, 1, lang),
            max: lix.max(70.0),
            refs: vec![(c.language.max_lix, number(c.language.max_lix, 0, lang))],
            verdict: Verdict::lower(lix, c.language.max_lix - 10.0, c.language.max_lix),
        });
    }
    let peak = a.escalation.peak;
    out.push(Bar {
        label: l.escalation_peak,
        value: peak,
        text: format!("{} / 100", number(peak, 0, lang)),
        max: 100.0,
        refs: vec![(
            c.escalation.high_level,
            number(c.escalation.high_level, 0, lang),
        )],
        verdict: Verdict::lower(peak, c.escalation.high_level / 2.0, c.escalation.high_level),
    });
    out
}

/// The overview section's body.
pub(crate) fn draw(a: &Analysis, c: &Config, lang: Lang, w: &Words, l: &Labels) -> String {
    let mut out = String::from("<div class=\"bars\">");
    for b in bars(a, c, lang, w, l) {
        let label = b.label;
        let share = |v: f64| num((v / b.max * 100.0).clamp(0.0, 100.0), 2);
        let refs: Vec<&str> = b.refs.iter().map(|(_, t)| t.as_str()).collect();
        let _ = write!(
            out,
            "<div class=\"bar-row {}\"><div class=\"bar-label\">{}</div>\
             <div class=\"bar-value\">{}</div><div class=\"bar\" aria-hidden=\"true\">\
             <div class=\"fill\" style=\"width:{}%\"></div>",
            b.verdict.class(),
            esc(label),
            esc(&b.text),
            share(b.value)
        );
        for (v, text) in &b.refs {
            let _ = write!(
                out,
                "<span class=\"ref\" style=\"left:{}%\" title=\"{}: {}\"></span>",
                share(*v),
                esc(l.reference),
                esc(text)
            );
        }
        let _ = write!(
            out,
            "</div><div class=\"bar-note\">{}: {}</div></div>",
            esc(l.reference),
            esc(&refs.join(" / "))
        );
    }
    out.push_str("</div>");
    out.push_str(&table(a, lang, w));
    out
}

fn table(a: &Analysis, lang: Lang, w: &Words) -> String {
    let rows = crate::markdown::overview_rows(a, lang, w);
    if a.parties == 1 {
        let mut out = format!(
            "<p class=\"one-voice\">{}</p><table class=\"figures\"><thead><tr><th scope=\"col\"></th>\
             <th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(w.one_voice),
            esc(w.employee)
        );
        for (label, e, _) in rows {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                esc(label),
                esc(&e)
            );
        }
        out.push_str("</tbody></table>");
        return out;
    }
    let mut out = format!(
        "<table class=\"figures\"><thead><tr><th scope=\"col\"></th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(w.employee),
        esc(w.citizen)
    );
    for (label, e, c) in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(label),
            esc(&e),
            esc(&c)
        );
    }
    out.push_str("</tbody></table>");
    out
}
