//! `summary.html` for a batch: one chart per key measure with its distribution over the calls,
//! and the list of calls linking to their reports.

use super::page::shell;
use super::text::{esc, num};
use super::timeline::extent;
use super::words::{labels, words, Labels, Words};
use crate::format::{clock, number, percent};
use medlyt_analysis::{Analysis, Config};
use medlyt_core::Lang;
use std::fmt::Write;

const SCRIPT: &str = include_str!("summary.js");
/// Bars per histogram.
const BINS: usize = 10;
/// Chart size in SVG units.
const W: f64 = 320.0;
const H: f64 = 150.0;
/// Left and right margin, and the top and bottom of the bars.
const MARGIN: f64 = 16.0;
const PLOT: (f64, f64) = (26.0, 96.0);
const DOT_Y: f64 = 112.0;

/// One key measure across the calls.
struct Measure {
    title: &'static str,
    /// The value of each call, `None` where the call has none (e.g. no questions).
    values: Vec<Option<f64>>,
    /// The scale's upper end (at least the largest value).
    max: f64,
    reference: f64,
    show: fn(f64, Lang) -> String,
}

fn share(v: f64, lang: Lang) -> String {
    percent(v, lang)
}
fn count(v: f64, _: Lang) -> String {
    num(v, 0)
}
fn time(v: f64, _: Lang) -> String {
    clock(v)
}
fn seconds(v: f64, lang: Lang) -> String {
    format!("{} s", number(v, 1, lang))
}
fn level(v: f64, lang: Lang) -> String {
    number(v, 0, lang)
}

fn measures(calls: &[(String, Analysis)], c: &Config, w: &Words, l: &Labels) -> Vec<Measure> {
    let of = |f: &dyn Fn(&Analysis) -> Option<f64>| -> Vec<Option<f64>> {
        calls
            .iter()
            .map(|(_, a)| f(a).filter(|v| v.is_finite()))
            .collect()
    };
    let make = |title, values: Vec<Option<f64>>, floor: f64, reference, show| {
        let top = values.iter().flatten().copied().fold(floor, f64::max);
        Measure {
            title,
            values,
            max: top,
            reference,
            show,
        }
    };
    vec![
        make(
            l.own_share,
            of(&|a| Some(a.talk.employee.share)),
            1.0,
            c.talk.balanced_employee_share,
            share,
        ),
        make(
            l.open_share,
            of(&|a| {
                (a.questions.employee.questions > 0).then_some(a.questions.employee.open_share)
            }),
            1.0,
            c.questions.good_open_share,
            share,
        ),
        make(
            l.your_interruptions,
            of(&|a| Some(a.interruptions.by_employee as f64)),
            (c.interruptions.max_employee_interruptions as f64 * 2.0).max(1.0),
            c.interruptions.max_employee_interruptions as f64,
            count,
        ),
        make(
            w.monologue,
            of(&|a| Some(a.talk.employee.longest_monologue_s)),
            c.talk.long_monologue * 2.0,
            c.talk.long_monologue,
            time,
        ),
        make(
            l.reply_gap,
            of(&|a| Some(a.talk.employee.median_reply_gap_s)),
            c.talk.slow_reply * 2.0,
            c.talk.slow_reply,
            seconds,
        ),
        make(
            l.silence_share,
            of(&|a| Some(a.talk.silence_share)),
            c.talk.max_silence_share * 2.0,
            c.talk.max_silence_share,
            share,
        ),
        make(
            l.lix,
            of(&|a| (a.language.words > 0).then_some(a.language.lix)),
            70.0,
            c.language.max_lix,
            level,
        ),
        make(
            l.escalation_peak,
            of(&|a| Some(a.escalation.peak)),
            100.0,
            c.escalation.high_level,
            level,
        ),
    ]
}

fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

fn chart(m: &Measure, names: &[&str], lang: Lang, l: &Labels) -> String {
    let x = |v: f64| MARGIN + (v / m.max).clamp(0.0, 1.0) * (W - 2.0 * MARGIN);
    let defined: Vec<f64> = m.values.iter().flatten().copied().collect();
    let mut bins = [0usize; BINS];
    for v in &defined {
        let b = ((v / m.max).clamp(0.0, 1.0) * BINS as f64) as usize;
        bins[b.min(BINS - 1)] += 1;
    }
    let tallest = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bin_w = (W - 2.0 * MARGIN) / BINS as f64;
    let med = median(&defined)
        .map(|v| format!("{}: {}", l.median, (m.show)(v, lang)))
        .unwrap_or_default();
    let mut out = format!(
        "<figure class=\"chart\"><figcaption>{}</figcaption><svg class=\"hist\" viewBox=\"0 0 {W} {H}\" \
         role=\"img\" aria-label=\"{}: {} {}. {}\">",
        esc(m.title),
        esc(m.title),
        defined.len(),
        esc(l.count_of_calls),
        esc(&med)
    );
    for (b, &n) in bins.iter().enumerate().filter(|(_, n)| **n > 0) {
        let h = n as f64 / tallest * (PLOT.1 - PLOT.0);
        let _ = write!(
            out,
            "<rect class=\"hbar\" data-n=\"{n}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text>",
            num(MARGIN + b as f64 * bin_w, 2),
            num(PLOT.1 - h, 2),
            num(bin_w, 2),
            num(h, 2),
            num(MARGIN + (b as f64 + 0.5) * bin_w, 2),
            num(PLOT.1 - h - 3.0, 2),
        );
    }
    for (i, v) in m.values.iter().enumerate() {
        let Some(v) = v else { continue };
        let _ = write!(
            out,
            "<circle class=\"dot\" data-call=\"{i}\" cx=\"{}\" cy=\"{}\" r=\"3.5\"><title>{}: {}</title></circle>",
            num(x(*v), 2),
            num(DOT_Y + (i % 3) as f64 * 4.0, 2),
            esc(names.get(i).copied().unwrap_or("")),
            esc(&(m.show)(*v, lang))
        );
    }
    let rx = num(x(m.reference), 2);
    let _ = write!(
        out,
        "<line class=\"refl\" x1=\"{rx}\" x2=\"{rx}\" y1=\"{}\" y2=\"{}\"/>\
         <line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#999\"/>\
         <text x=\"{}\" y=\"{H}\" text-anchor=\"start\">{}</text>\
         <text x=\"{}\" y=\"{H}\" text-anchor=\"end\">{}</text>\
         <text x=\"{rx}\" y=\"{}\" text-anchor=\"middle\">{}: {}</text></svg>\
         <div class=\"meta\">{}</div></figure>",
        num(PLOT.0 - 12.0, 2),
        num(DOT_Y + 10.0, 2),
        num(MARGIN, 2),
        num(W - MARGIN, 2),
        num(PLOT.1, 2),
        num(PLOT.1, 2),
        num(MARGIN, 2),
        esc(&(m.show)(0.0, lang)),
        num(W - MARGIN, 2),
        esc(&(m.show)(m.max, lang)),
        num(10.0, 2),
        esc(l.reference),
        esc(&(m.show)(m.reference, lang)),
        esc(&med)
    );
    out
}

/// The summary page of a batch in `lang`: `calls` pairs the address of each call's report
/// (relative to the summary, e.g. `call-1/report.html`) with its analysis.
pub fn summary_html(calls: &[(String, Analysis)], lang: Lang) -> String {
    let w = words(lang);
    let l = labels(lang);
    let config = Config::for_lang(calls.first().map(|(_, a)| a.lang).unwrap_or(lang));
    let names: Vec<&str> = calls.iter().map(|(_, a)| a.source.as_str()).collect();
    let total: f64 = calls.iter().map(|(_, a)| extent(a)).sum();
    let mut body = format!(
        "<header><h1>{}</h1><p class=\"meta\">{}: {} · {}: {}</p></header><main>\
         <section class=\"card\"><h2>{}</h2><div class=\"charts\" id=\"charts\">",
        esc(l.summary_title),
        esc(l.calls),
        calls.len(),
        esc(l.duration),
        clock(total),
        esc(l.distributions)
    );
    for m in measures(calls, &config, w, l) {
        body.push_str(&chart(&m, &names, lang, l));
    }
    let _ = write!(
        body,
        "</div></section><section class=\"card\"><h2>{}</h2><table class=\"calls\" id=\"calls\">\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        esc(l.calls),
        esc(l.call),
        esc(l.duration),
        esc(l.own_share),
        esc(l.open_share),
        esc(l.your_interruptions),
        esc(l.escalation_peak),
    );
    for (link, a) in calls {
        let q = &a.questions.employee;
        let open = if q.questions > 0 {
            percent(q.open_share, lang)
        } else {
            "–".into()
        };
        let _ = write!(
            body,
            "<tr><td><a href=\"{}\">{}</a></td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(link),
            esc(&a.source),
            clock(a.duration_s),
            percent(a.talk.employee.share, lang),
            open,
            a.interruptions.by_employee,
            number(a.escalation.peak, 0, lang)
        );
    }
    body.push_str("</tbody></table></section></main><footer>medlyt</footer>");
    shell(lang, l.summary_title, &body, SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
