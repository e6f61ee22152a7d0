//! The JSON report: the whole analysis under a schema name and version.

use crate::ReportWriter;
use medlyt_analysis::Analysis;
use serde::Serialize;

/// The schema name written into every JSON report.
pub const REPORT_SCHEMA: &str = "medlyt.report";
/// The schema version this build writes.
pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Envelope<'a> {
    schema: &'static str,
    version: u32,
    #[serde(flatten)]
    analysis: &'a Analysis,
}

/// Writes the JSON report.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonWriter;

impl ReportWriter for JsonWriter {
    fn extension(&self) -> &'static str {
        "json"
    }

    fn write(&self, analysis: &Analysis) -> String {
        let envelope = Envelope {
            schema: REPORT_SCHEMA,
            version: REPORT_VERSION,
            analysis,
        };
        // Plain data with string keys; non-finite floats are written as null by serde_json.
        serde_json::to_string_pretty(&envelope).unwrap_or_default()
    }
}
