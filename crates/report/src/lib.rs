//! The consultant's feedback report from a medlyt [`Analysis`].
//!
//! Each output format is one module behind the small [`ReportWriter`] trait: Markdown for the
//! consultant preparing a feedback talk (Danish by default, English on request) and JSON with a
//! versioned schema for other tools (see `docs/report-format.md`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod format;
pub mod html;
mod json;
mod markdown;

pub use format::{clock, number, percent};
pub use html::{report_html, summary_html, AudioRef, HtmlWriter};
pub use json::{JsonWriter, REPORT_SCHEMA, REPORT_VERSION};
pub use markdown::MarkdownWriter;

use medlyt_analysis::Analysis;
use medlyt_core::Lang;

/// One report format.
pub trait ReportWriter {
    /// File extension without the dot, e.g. `md`.
    fn extension(&self) -> &'static str;
    /// The report as text.
    fn write(&self, analysis: &Analysis) -> String;
}

/// The Markdown report in `lang`.
pub fn markdown(analysis: &Analysis, lang: Lang) -> String {
    MarkdownWriter { lang }.write(analysis)
}

/// The JSON report (schema `medlyt.report`, version [`REPORT_VERSION`]).
pub fn json(analysis: &Analysis) -> String {
    JsonWriter.write(analysis)
}
