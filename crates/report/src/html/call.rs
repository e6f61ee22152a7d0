//! The page for one call: header and player, overview, timeline, feedback, key moments and
//! transcript.

use super::audio::AudioRef;
use super::page::shell;
use super::text::esc;
use super::words::{labels, warning, words, Labels};
use super::{overview, timeline, transcript};
use crate::format::clock;
use medlyt_analysis::{Analysis, Config};
use medlyt_core::Lang;
use std::fmt::Write;

const SCRIPT: &str = include_str!("call.js");

pub(crate) fn page(a: &Analysis, lang: Lang, audio: Option<&AudioRef>, c: &Config) -> String {
    let w = words(lang);
    let l = labels(lang);
    let mut body = format!(
        "<header><h1>{}</h1><p class=\"meta\">{}: <code>{}</code> · {} · {}</p></header>",
        esc(w.title),
        esc(w.call_of),
        esc(&a.source),
        clock(a.duration_s),
        a.lang
    );
    match audio {
        Some(audio) => {
            let _ = write!(
                body,
                "<div class=\"player\"><audio id=\"audio\" controls preload=\"metadata\" \
                 src=\"{}\"></audio><span id=\"audio-msg\" role=\"status\" data-missing=\"{}\">\
                 </span></div>",
                esc(&audio.src()),
                esc(l.audio_missing)
            );
        }
        None => {
            let _ = write!(
                body,
                "<main><p class=\"meta\" id=\"no-audio\">{}</p></main>",
                esc(l.no_audio)
            );
        }
    }
    body.push_str("<main>");
    if a.no_speech {
        // Nothing was measured: no figures that would look measured.
        let _ = write!(
            body,
            "<section class=\"card notice\" role=\"note\" id=\"no-speech\"><strong>{}.</strong>\
             </section>",
            esc(no_speech(lang))
        );
        notes_section(&mut body, a, lang, w);
        body.push_str("</main><footer>medlyt</footer>");
        return shell(lang, &format!("{} · {}", w.title, a.source), &body, SCRIPT);
    }
    if a.quality.text_uncertain {
        let _ = write!(
            body,
            "<section class=\"card notice\" role=\"note\"><strong>{}.</strong> {}</section>",
            esc(w.uncertain_title),
            esc(w.uncertain_body)
        );
    }
    let _ = write!(
        body,
        "<section class=\"card\"><h2>{}</h2>{}</section>",
        esc(w.overview),
        overview::draw(a, c, lang, w, l)
    );
    let _ = write!(
        body,
        "<section class=\"card\" id=\"timeline\"><h2>{}</h2><div class=\"tl-tools\">\
         <button type=\"button\" data-zoom=\"out\">− {}</button>\
         <button type=\"button\" data-zoom=\"in\">+ {}</button>\
         <button type=\"button\" data-zoom=\"fit\">{}</button>\
         <span id=\"zoom-level\" aria-live=\"polite\">1×</span>\
         <span class=\"meta\">{}</span></div>{}{}</section>",
        esc(l.timeline),
        esc(l.zoom_out),
        esc(l.zoom_in),
        esc(l.zoom_fit),
        esc(l.timeline_help),
        timeline::draw(a, lang, w, l),
        legend(l, w.employee, w.citizen)
    );
    let _ = write!(
        body,
        "<div class=\"cols\">{}</div>",
        transcript::feedback(a, lang, w, l)
    );
    body.push_str(&transcript::moments(a, lang, w, l));
    body.push_str(&transcript::transcript(a, w, l));
    notes_section(&mut body, a, lang, w);
    body.push_str("</main><footer>medlyt</footer>");
    shell(lang, &format!("{} · {}", w.title, a.source), &body, SCRIPT)
}

/// "No speech was found in the recording", in the report's language.
pub(crate) fn no_speech(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => medlyt_core::notes::NO_SPEECH_DA,
        Lang::En => medlyt_core::notes::NO_SPEECH,
    }
}

/// The quality warnings and the transcript's notes, where there are any.
fn notes_section(body: &mut String, a: &Analysis, lang: Lang, w: &super::words::Words) {
    if !a.quality.warnings.is_empty() || !a.quality.notes.is_empty() {
        let _ = write!(
            body,
            "<section class=\"card\" id=\"quality\"><h2>{}</h2><ul>",
            esc(w.quality)
        );
        for warn in &a.quality.warnings {
            let _ = write!(body, "<li>{}</li>", esc(&warning(warn, lang)));
        }
        body.push_str("</ul>");
        if !a.quality.notes.is_empty() {
            let _ = write!(
                body,
                "<h3>{}</h3><ul class=\"notes\">",
                esc(w.transcript_notes)
            );
            for note in a
                .quality
                .notes
                .iter()
                .filter(|n| !(a.no_speech && n.as_str() == medlyt_core::notes::NO_SPEECH))
            {
                let note = medlyt_core::notes::localize(note, lang);
                let _ = write!(body, "<li>{}</li>", esc(&note));
            }
            body.push_str("</ul>");
        }
        body.push_str("</section>");
    }
}

fn legend(l: &Labels, employee: &str, citizen: &str) -> String {
    let swatch = |class: &str, text: &str| {
        format!(
            "<span><svg width=\"22\" height=\"12\" aria-hidden=\"true\"><rect class=\"{class}\" \
             x=\"0\" y=\"1\" width=\"22\" height=\"10\"/></svg> {}</span>",
            esc(text)
        )
    };
    let mark = |shape: String, text: &str| {
        format!(
            "<span><svg width=\"14\" height=\"14\" aria-hidden=\"true\">{shape}</svg> {}</span>",
            esc(text)
        )
    };
    let question = |kind: &str| {
        format!(
            "{}{}",
            timeline::marker_open(kind, "50", 7, ""),
            timeline::marker_close(kind)
        )
    };
    [
        swatch("blk emp", employee),
        swatch("blk cit", citizen),
        swatch("blk emp bc", l.legend_backchannel),
        swatch("ovl", l.legend_overlap),
        swatch("sil", l.legend_silence),
        mark(question("open"), l.legend_open),
        mark(question("closed"), l.legend_closed),
        mark(question("leading"), l.legend_leading),
        mark(
            "<text class=\"mk refl\" x=\"7\" y=\"12\" text-anchor=\"middle\">◆</text>".into(),
            l.legend_reflection,
        ),
        mark(
            "<text class=\"mk int\" x=\"7\" y=\"13\" text-anchor=\"middle\">×</text>".into(),
            l.legend_interruption,
        ),
        mark(
            "<circle class=\"mk mom\" cx=\"7\" cy=\"7\" r=\"4.5\"/>".into(),
            l.legend_moment,
        ),
    ]
    .into_iter()
    .fold(String::from("<div class=\"legend\">"), |acc, s| acc + &s)
        + "</div>"
}
