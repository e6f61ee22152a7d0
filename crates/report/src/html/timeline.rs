//! The call's timeline as SVG: a lane per party with speech blocks, overlaps, interruptions,
//! questions by kind, long silences, key moments and the escalation curve, on an mm:ss axis.
//!
//! Horizontal positions are percentages of the row's width, so the page zooms by widening the
//! SVG alone: blocks stretch, while markers and text keep their size. Calls longer than
//! [`SINGLE_ROW_MAX_S`] are wrapped into rows of [`ROW_S`] seconds (at most [`MAX_ROWS`] rows;
//! a longer call gets longer rows), so a printed page shows the whole call without cutting it
//! off. Each row draws only the escalation windows it shows.

use super::text::{esc, num, short};
use super::words::{moment_kind, Labels, Words};
use crate::format::clock;
use medlyt_analysis::{Analysis, Utterance};
use medlyt_core::{Lang, Role};
use medlyt_questions::QuestionKind;
use std::fmt::Write;

/// Calls up to this long are drawn in one row.
const SINGLE_ROW_MAX_S: f64 = 20.0 * 60.0;
/// The length of each row of a longer call.
const ROW_S: f64 = 15.0 * 60.0;
/// Height of a row in pixels.
pub(crate) const ROW_H: u32 = 150;
/// Vertical layout of a row (pixels).
const EMP_MARK_Y: u32 = 25;
const EMP_LANE: (u32, u32) = (32, 22);
const OVERLAP_LANE: (u32, u32) = (54, 8);
const CIT_LANE: (u32, u32) = (62, 22);
const CIT_MARK_Y: u32 = 93;
const MOMENT_Y: u32 = 106;
const CURVE: (u32, u32) = (114, 32);

/// One row's time range.
#[derive(Debug, Clone, Copy)]
struct Row {
    start: f64,
    len: f64,
}

impl Row {
    fn end(&self) -> f64 {
        self.start + self.len
    }

    /// `t` as a percentage of the row's width (unclamped).
    fn x(&self, t: f64) -> String {
        num((t - self.start) / self.len * 100.0, 3)
    }

    /// The part of `[a, b]` inside the row as `x`, `width` percentages; an empty span is drawn
    /// in the row that [`Row::holds`] its time.
    fn span(&self, a: f64, b: f64, last: bool) -> Option<(String, String)> {
        let inside = if b > a {
            b > self.start && a < self.end()
        } else {
            self.holds(a, last)
        };
        let (a, b) = (a.max(self.start), b.min(self.end()).max(a.max(self.start)));
        inside.then(|| {
            let w = ((b - a) / self.len * 100.0).max(0.05);
            (self.x(a), num(w, 3))
        })
    }

    /// Whether the point `t` is drawn in this row (the last row also takes its end).
    fn holds(&self, t: f64, last: bool) -> bool {
        t >= self.start && (t < self.end() || (last && t <= self.end()))
    }
}

/// The call's length for drawing: at least the end of the last utterance, at least one second.
pub(crate) fn extent(a: &Analysis) -> f64 {
    let last = a.utterances.iter().map(|u| u.end).fold(0.0, f64::max);
    let d = if a.duration_s.is_finite() {
        a.duration_s
    } else {
        0.0
    };
    d.max(last).max(1.0)
}

/// The most rows: a day of [`ROW_S`] rows. A longer call gets longer rows, so the page's size
/// never grows with a time written in a transcript.
const MAX_ROWS: usize = 96;

fn rows(duration: f64) -> Vec<Row> {
    if duration <= SINGLE_ROW_MAX_S {
        return vec![Row {
            start: 0.0,
            len: duration,
        }];
    }
    let len = ROW_S.max((duration / MAX_ROWS as f64).ceil());
    let n = ((duration / len).ceil() as usize).clamp(1, MAX_ROWS);
    (0..n)
        .map(|i| Row {
            start: i as f64 * len,
            len,
        })
        .collect()
}

/// A tick every this many seconds keeps a row to about a dozen labels.
fn tick_step(len: f64) -> f64 {
    [5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0]
        .into_iter()
        .find(|s| len / s <= 12.0)
        .unwrap_or_else(|| (len / 12.0 / 900.0).ceil() * 900.0)
}

/// A question asked in an utterance, placed by its order among the utterance's sentences.
struct Asked<'a> {
    at: f64,
    role: Role,
    kind: QuestionKind,
    sentence: &'a str,
}

fn asked(utts: &[Utterance]) -> Vec<Asked<'_>> {
    let mut out = Vec::new();
    for u in utts {
        let n = u.sentences.len().max(1) as f64;
        for (k, c) in u.sentences.iter().enumerate() {
            if c.kind == QuestionKind::NotQuestion {
                continue;
            }
            out.push(Asked {
                at: u.start + (u.end - u.start).max(0.0) * k as f64 / n,
                role: u.role,
                kind: c.kind,
                sentence: &c.sentence,
            });
        }
    }
    out
}

/// Time where an employee utterance and a citizen utterance overlap.
fn overlaps(utts: &[Utterance]) -> Vec<(f64, f64)> {
    let side = |r: Role| -> Vec<(f64, f64)> {
        let mut v: Vec<(f64, f64)> = utts
            .iter()
            .filter(|u| u.role == r && u.end > u.start)
            .map(|u| (u.start, u.end))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    };
    let (e, c) = (side(Role::Employee), side(Role::Citizen));
    let mut out: Vec<(f64, f64)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < e.len() && j < c.len() {
        let (a, b) = (e[i].0.max(c[j].0), e[i].1.min(c[j].1));
        if b > a {
            match out.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        if e[i].1 < c[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn kind_class(k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Open => "open",
        QuestionKind::Closed => "closed",
        QuestionKind::Leading => "leading",
        QuestionKind::NotQuestion => "none",
    }
}

fn party(role: Role, w: &Words) -> &'static str {
    if role == Role::Employee {
        w.employee
    } else {
        w.citizen
    }
}

/// The timeline section's figure: labels column and one SVG per row.
pub(crate) fn draw(a: &Analysis, lang: Lang, w: &Words, l: &Labels) -> String {
    let duration = extent(a);
    let rows = rows(duration);
    let questions = asked(&a.utterances);
    let overlaps = overlaps(&a.utterances);
    let mut labels = String::new();
    let mut svgs = String::new();
    for (n, row) in rows.iter().enumerate() {
        let last = n + 1 == rows.len();
        let _ = write!(
            labels,
            "<div class=\"tl-lab\" style=\"height:{ROW_H}px\"><span style=\"top:2px\">{}–{}</span>\
             <span style=\"top:{}px\">{}</span><span style=\"top:{}px\">{}</span>\
             <span style=\"top:{}px\">{}</span><span style=\"top:{}px\">{}</span></div>",
            clock(row.start),
            clock(row.end().min(duration)),
            EMP_LANE.0 + 4,
            esc(w.employee),
            CIT_LANE.0 + 4,
            esc(w.citizen),
            MOMENT_Y - 8,
            esc(w.moments),
            CURVE.0 + 8,
            esc(w.escalation),
        );
        let _ = write!(
            svgs,
            "<svg class=\"tl-row\" width=\"100%\" height=\"{ROW_H}\" role=\"img\" \
             aria-label=\"{} {}–{}\" data-row=\"{n}\">",
            esc(l.timeline),
            clock(row.start),
            clock(row.end().min(duration))
        );
        axis(&mut svgs, row, duration);
        for (k, s) in a.talk.long_silences.iter().enumerate() {
            if let Some((x, wd)) = row.span(s.start, s.start + s.duration_s, last) {
                let _ = write!(
                    svgs,
                    "<rect class=\"sil\" data-i=\"{k}\" data-t=\"{}\" x=\"{x}%\" width=\"{wd}%\" \
                     y=\"{}\" height=\"{}\"><title>{} {}: {} s</title></rect>",
                    num(s.start, 2),
                    EMP_LANE.0,
                    CIT_LANE.0 + CIT_LANE.1 - EMP_LANE.0,
                    clock(s.start),
                    esc(l.legend_silence),
                    num(s.duration_s, 1)
                );
            }
        }
        for (k, &(s, e)) in overlaps.iter().enumerate() {
            if let Some((x, wd)) = row.span(s, e, last) {
                let _ = write!(
                    svgs,
                    "<rect class=\"ovl\" data-i=\"{k}\" x=\"{x}%\" width=\"{wd}%\" y=\"{}\" \
                     height=\"{}\"/>",
                    OVERLAP_LANE.0, OVERLAP_LANE.1
                );
            }
        }
        blocks(&mut svgs, a, row, last, w);
        for q in questions.iter().filter(|q| row.holds(q.at, last)) {
            let y = if q.role == Role::Employee {
                EMP_MARK_Y
            } else {
                CIT_MARK_Y
            };
            let kind = kind_class(q.kind);
            let _ = write!(
                svgs,
                "{}<title>{} {}: {}</title>{}",
                marker_open(kind, &row.x(q.at), y, &num(q.at, 2)),
                clock(q.at),
                esc(question_label(q.kind, l)),
                esc(&short(q.sentence, 90)),
                marker_close(kind)
            );
        }
        for r in a
            .listening
            .reflections
            .iter()
            .filter(|r| row.holds(r.found.at, last))
        {
            let _ = write!(
                svgs,
                "<text class=\"mk refl\" data-t=\"{}\" x=\"{}%\" y=\"{}\" \
                 text-anchor=\"middle\">◆<title>{} {} ({}): {}</title></text>",
                num(r.found.at, 2),
                row.x(r.found.at),
                EMP_MARK_Y + 5,
                clock(r.found.at),
                esc(l.legend_reflection),
                esc(crate::markdown::listening::kind_name(r.kind, lang)),
                esc(&short(&r.found.sentence, 90))
            );
        }
        for e in a
            .interruptions
            .events
            .iter()
            .filter(|e| row.holds(e.at, last))
        {
            let y = if e.by == Role::Employee {
                EMP_MARK_Y
            } else {
                CIT_MARK_Y
            };
            let x = row.x(e.at);
            let _ = write!(
                svgs,
                "<line class=\"intl\" x1=\"{x}%\" x2=\"{x}%\" y1=\"{}\" y2=\"{}\"/>\
                 <text class=\"mk int\" data-t=\"{}\" x=\"{x}%\" y=\"{}\" text-anchor=\"middle\">×\
                 <title>{} {} ({}): {}</title></text>",
                EMP_LANE.0,
                CIT_LANE.0 + CIT_LANE.1,
                num(e.at, 2),
                y + 6,
                clock(e.at),
                esc(l.legend_interruption),
                esc(party(e.by, w)),
                esc(&short(&e.quote, 90))
            );
        }
        for m in a.moments.iter().filter(|m| row.holds(m.at, last)) {
            let _ = write!(
                svgs,
                "<circle class=\"mk mom\" data-t=\"{}\" cx=\"{}%\" cy=\"{MOMENT_Y}\" r=\"4.5\">\
                 <title>{} {}: {}</title></circle>",
                num(m.at, 2),
                row.x(m.at),
                clock(m.at),
                esc(moment_kind(m.kind, lang)),
                esc(&short(&m.quote, 90))
            );
        }
        curve(&mut svgs, a, row, duration);
        svgs.push_str("</svg>");
    }
    format!(
        "<div class=\"tl\"><div class=\"tl-labels\" aria-hidden=\"true\">{labels}</div>\
         <div class=\"tl-scroll\" id=\"tl-scroll\" tabindex=\"0\" aria-label=\"{}\">{svgs}</div></div>",
        esc(l.timeline)
    )
}

fn question_label(k: QuestionKind, l: &Labels) -> &'static str {
    match k {
        QuestionKind::Open => l.legend_open,
        QuestionKind::Closed => l.legend_closed,
        _ => l.legend_leading,
    }
}

/// The opening tag of a question marker at `x` percent: the kinds differ by shape, not only by
/// colour (open: circle, closed: square, leading: diamond, turned by the style sheet). Plain
/// shapes rather than `<use>` keep long calls quick to draw.
pub(crate) fn marker_open(kind: &str, x: &str, y: u32, t: &str) -> String {
    match kind {
        "open" => {
            format!("<circle class=\"mk q open\" data-t=\"{t}\" cx=\"{x}%\" cy=\"{y}\" r=\"4.5\">")
        }
        _ => format!(
            "<rect class=\"mk q {kind}\" data-t=\"{t}\" x=\"{x}%\" y=\"{}\" width=\"8\" \
             height=\"8\">",
            y.saturating_sub(4)
        ),
    }
}

/// The closing tag for [`marker_open`].
pub(crate) fn marker_close(kind: &str) -> &'static str {
    if kind == "open" {
        "</circle>"
    } else {
        "</rect>"
    }
}

fn axis(out: &mut String, row: &Row, duration: f64) {
    let step = tick_step(row.len);
    let mut t = (row.start / step).ceil() * step;
    let end = row.end().min(duration);
    while t <= end + 1e-9 {
        let x = row.x(t);
        let anchor = if t - row.start < step / 2.0 {
            "start"
        } else if row.end() - t < step / 2.0 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{x}%\" x2=\"{x}%\" y1=\"15\" y2=\"{}\"/>\
             <text class=\"tick\" x=\"{x}%\" y=\"11\" text-anchor=\"{anchor}\">{}</text>",
            CURVE.0 + CURVE.1,
            clock(t)
        );
        t += step;
    }
}

fn blocks(out: &mut String, a: &Analysis, row: &Row, last: bool, w: &Words) {
    for (i, u) in a.utterances.iter().enumerate() {
        let Some((x, wd)) = row.span(u.start, u.end, last) else {
            continue;
        };
        let (class, lane) = if u.role == Role::Employee {
            ("emp", EMP_LANE)
        } else {
            ("cit", CIT_LANE)
        };
        let bc = if u.backchannel { " bc" } else { "" };
        let _ = write!(
            out,
            "<rect class=\"blk {class}{bc}\" data-i=\"{i}\" data-t=\"{}\" x=\"{x}%\" width=\"{wd}%\" \
             y=\"{}\" height=\"{}\"><title>{} {}: {}</title></rect>",
            num(u.start, 2),
            lane.0,
            lane.1,
            clock(u.start),
            esc(party(u.role, w)),
            esc(&short(&u.text, 80))
        );
    }
}

/// The escalation curve as steps over its windows, in a nested SVG scaled to the row.
fn curve(out: &mut String, a: &Analysis, row: &Row, duration: f64) {
    let c = &a.escalation.curve;
    if c.is_empty() {
        return;
    }
    let width = match c.as_slice() {
        [first, second, ..] => (second.start - first.start).max(1.0),
        _ => duration,
    };
    let mut d = String::new();
    let mut fill = String::new();
    // Only the windows the row shows: the curve's size stays that of the curve, whatever the rows.
    let first = c
        .partition_point(|win| win.start + width <= row.start)
        .min(c.len() - 1);
    let last = c
        .partition_point(|win| win.start <= row.end())
        .clamp(first + 1, c.len());
    let c = &c[first..last];
    for (k, win) in c.iter().enumerate() {
        let y = 100.0 - win.level.clamp(0.0, 100.0);
        let (x0, x1) = (num(win.start, 2), num((win.start + width).min(duration), 2));
        let y = num(y, 1);
        if k == 0 {
            let _ = write!(d, "M{x0} {y}");
            let _ = write!(fill, "M{x0} 100 L{x0} {y}");
        } else {
            let _ = write!(d, " L{x0} {y}");
            let _ = write!(fill, " L{x0} {y}");
        }
        let _ = write!(d, " L{x1} {y}");
        let _ = write!(fill, " L{x1} {y}");
        if k + 1 == c.len() {
            let _ = write!(fill, " L{x1} 100 Z");
        }
    }
    let _ = write!(
        out,
        "<svg class=\"curve\" x=\"0\" y=\"{}\" width=\"100%\" height=\"{}\" viewBox=\"{} 0 {} 100\" \
         preserveAspectRatio=\"none\"><rect class=\"curve-bg\" x=\"{}\" y=\"0\" width=\"{}\" \
         height=\"100\"/><path class=\"curve-fill\" d=\"{fill}\"/><path class=\"curve-line\" \
         d=\"{d}\" vector-effect=\"non-scaling-stroke\"/></svg>",
        CURVE.0,
        CURVE.1,
        num(row.start, 2),
        num(row.len, 2),
        num(row.start, 2),
        num(row.len, 2),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_calls_wrap_into_rows() {
        assert_eq!(rows(600.0).len(), 1);
        assert_eq!(rows(90.0 * 60.0).len(), 6);
        assert_eq!(rows(90.0 * 60.0 + 1.0).len(), 7);
    }

    #[test]
    fn spans_are_cut_at_row_edges() {
        let row = Row {
            start: 100.0,
            len: 100.0,
        };
        assert_eq!(
            row.span(150.0, 250.0, false),
            Some(("50".into(), "50".into()))
        );
        assert_eq!(row.span(0.0, 50.0, false), None);
        assert_eq!(row.span(50.0, 100.0, false), None);
        assert_eq!(row.span(200.0, 200.0, false), None);
        assert!(row.span(200.0, 200.0, true).is_some());
        assert!(row.holds(200.0, true) && !row.holds(200.0, false));
    }

    #[test]
    fn ticks_stay_around_a_dozen_per_row() {
        assert_eq!(tick_step(60.0), 5.0);
        assert_eq!(tick_step(900.0), 120.0);
        assert_eq!(tick_step(10_800.0), 900.0);
        assert!(1e9 / tick_step(1e9) <= 12.0);
    }

    #[test]
    fn rows_are_capped_and_cover_the_call() {
        assert_eq!(rows(24.0 * 3600.0).len(), MAX_ROWS);
        for d in [25.0 * 3600.0, 1e9, 1e15, 1e300] {
            let r = rows(d);
            assert!(r.len() <= MAX_ROWS, "{d}");
            assert!(r.last().is_some_and(|l| l.end() >= d), "{d}");
        }
    }

    #[test]
    fn a_huge_call_draws_a_small_page_quickly() {
        use medlyt_core::Transcript;
        let started = std::time::Instant::now();
        for huge in [1e9, 1e15, 1e300] {
            let mut t = Transcript::two_party("x", "da", huge);
            t.push_text(Role::Employee, 0.0, 5.0, "Goddag, hvad kan jeg hjælpe med?");
            t.push_text(
                Role::Citizen,
                6.0,
                huge / 2.0,
                "Det er urimeligt, jeg vil klage.",
            );
            t.push_text(Role::Employee, huge / 2.0, huge, "Det forstår jeg godt.");
            let config = medlyt_analysis::Config::for_lang(Lang::Da);
            let a = medlyt_analysis::analyze(&t, &config);
            let html = crate::report_html(&a, Lang::Da, None);
            // Times of 300 digits make every number on the page long, but their count is bounded.
            let limit = if huge > 1e100 { 20_000_000 } else { 4_000_000 };
            assert!(html.len() < limit, "{huge:e}: {} bytes", html.len());
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }
}
