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
    /// Said in plain words where no speech was found (nothing was measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    notice: Option<&'static str>,
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
            notice: analysis.no_speech.then_some(medlyt_core::notes::NO_SPEECH),
            analysis,
        };
        // Plain data with string keys; non-finite floats are written as null by serde_json.
        positive_zero(&serde_json::to_string_pretty(&envelope).unwrap_or_default())
    }
}

/// The JSON text with every negative zero written as `0.0` (`-0.0` reads as a measured
/// negative figure); text inside strings is left as it is.
fn positive_zero(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = json;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '-' {
            let after = &rest[1..];
            let zero = after
                .strip_prefix("0.0")
                .map(|t| t.trim_start_matches('0'))
                .or_else(|| after.strip_prefix('0'));
            if let Some(t) = zero {
                if !t.starts_with(|d: char| d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E')) {
                    rest = after;
                    continue;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::positive_zero;

    #[test]
    fn negative_zero_is_written_as_zero_outside_strings() {
        let json = r#"{"a": -0.0, "b": [-0.0, -0.5, -0.05], "c": "-0.0", "d": -0, "e": -0.0e3}"#;
        assert_eq!(
            positive_zero(json),
            r#"{"a": 0.0, "b": [0.0, -0.5, -0.05], "c": "-0.0", "d": 0, "e": -0.0e3}"#
        );
    }
}
