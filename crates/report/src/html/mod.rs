//! The HTML report: one self-contained page per call with the call's timeline, and a summary
//! page for a batch of calls.
//!
//! Both pages carry their styles and scripts inline and load nothing from elsewhere, so they work
//! offline and can be mailed. The timeline is SVG drawn here (real text, prints without
//! scripts); the inline script only adds zoom, search and playing the recording from a time.
//! Each page writes what it drew into `<pre id="selfcheck">` (counts and any script errors), so
//! a headless browser can check it through the DOM.

mod audio;
mod call;
mod overview;
mod page;
mod summary;
mod text;
mod timeline;
mod transcript;
mod words;

pub use audio::AudioRef;
pub(crate) use call::no_speech as no_speech_text;
pub use summary::summary_html;

use crate::ReportWriter;
use medlyt_analysis::{Analysis, Config};
use medlyt_core::Lang;

/// Writes the HTML report of one call.
#[derive(Debug, Clone)]
pub struct HtmlWriter<'a> {
    /// The report's language.
    pub lang: Lang,
    /// The recording, to play from a clicked time (`None`: no player).
    pub audio: Option<&'a AudioRef>,
    /// The settings the call was analysed with; the overview draws its reference points from
    /// them. `None` uses the defaults for the analysis language.
    pub config: Option<&'a Config>,
}

impl ReportWriter for HtmlWriter<'_> {
    fn extension(&self) -> &'static str {
        "html"
    }

    fn write(&self, analysis: &Analysis) -> String {
        let defaults;
        let config = match self.config {
            Some(c) => c,
            None => {
                defaults = Config::for_lang(analysis.lang);
                &defaults
            }
        };
        call::page(analysis, self.lang, self.audio, config)
    }
}

/// The HTML report of one call in `lang`, with reference points from the default settings of
/// the analysis language.
pub fn report_html(analysis: &Analysis, lang: Lang, audio: Option<&AudioRef>) -> String {
    HtmlWriter {
        lang,
        audio,
        config: None,
    }
    .write(analysis)
}
