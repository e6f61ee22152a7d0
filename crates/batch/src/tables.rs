//! The batch-level outputs, built from the per-call records: `results.jsonl`, `calls.csv`,
//! `failures.jsonl`, `aggregate.json` and `summary.md`. They depend only on the set of records
//! (sorted by input path), so one run and merged shards give the same files.

use crate::figures::{MEASURES, STAND_OUT};
use crate::record::{write_atomic, CallRecord};
use crate::stats::{summarize, Summary};
use crate::BatchError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The schema name of `aggregate.json`.
pub const AGGREGATE_SCHEMA: &str = "medlyt.batch.aggregate";

/// A call whose value of a measure lies far outside the team's spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandOut {
    /// The call's input path.
    pub input: String,
    /// The measure.
    pub measure: String,
    /// Its value.
    pub value: f64,
    /// `high` or `low`.
    pub side: String,
}

/// `aggregate.json`: the team's figures over a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// Always [`AGGREGATE_SCHEMA`].
    pub schema: String,
    /// Schema version (1).
    pub version: u32,
    /// Calls in the batch.
    pub calls: usize,
    /// Calls analysed.
    pub analysed: usize,
    /// Calls that failed.
    pub failed: usize,
    /// Failed calls per kind of failure.
    pub failures: BTreeMap<String, usize>,
    /// Hours of audio (or transcript time) analysed.
    pub audio_hours: f64,
    /// The settings hashes the calls were processed with (one, unless runs were mixed).
    pub settings: Vec<String>,
    /// Distribution of each measure over the analysed calls.
    pub measures: BTreeMap<String, Summary>,
    /// Calls outside 1.5 interquartile ranges of the quartiles on a key measure.
    pub stand_out: Vec<StandOut>,
}

/// Computes the aggregate of `records` (in any order).
pub fn aggregate(records: &[CallRecord]) -> Aggregate {
    let mut recs: Vec<&CallRecord> = records.iter().collect();
    recs.sort_by(|a, b| a.input.cmp(&b.input));
    let done: Vec<(&str, &crate::Figures)> = recs
        .iter()
        .filter_map(|r| r.figures().map(|f| (r.input.as_str(), f)))
        .collect();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    for f in recs.iter().filter_map(|r| r.failure()) {
        *failures.entry(f.kind.as_str().to_string()).or_default() += 1;
    }
    let mut durations: Vec<f64> = done.iter().map(|(_, f)| f.duration_s).collect();
    durations.sort_by(f64::total_cmp);
    let mut settings: Vec<String> = recs.iter().map(|r| r.settings.clone()).collect();
    settings.sort();
    settings.dedup();
    let mut measures = BTreeMap::new();
    let mut stand_out = Vec::new();
    for m in MEASURES {
        let values: Vec<(&str, f64)> = done
            .iter()
            .filter_map(|(input, f)| (m.value)(f).map(|v| (*input, v)))
            .filter(|(_, v)| v.is_finite())
            .collect();
        let plain: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
        let Some(s) = summarize(&plain) else { continue };
        if STAND_OUT.contains(&m.name) && s.n >= 4 {
            let iqr = s.p75 - s.p25;
            for (input, v) in &values {
                let side = if *v > s.p75 + 1.5 * iqr {
                    "high"
                } else if *v < s.p25 - 1.5 * iqr {
                    "low"
                } else {
                    continue;
                };
                stand_out.push(StandOut {
                    input: input.to_string(),
                    measure: m.name.to_string(),
                    value: *v,
                    side: side.to_string(),
                });
            }
        }
        measures.insert(m.name.to_string(), s);
    }
    stand_out.sort_by(|a, b| a.input.cmp(&b.input).then(a.measure.cmp(&b.measure)));
    Aggregate {
        schema: AGGREGATE_SCHEMA.to_string(),
        version: 1,
        calls: recs.len(),
        analysed: done.len(),
        failed: recs.len() - done.len(),
        failures,
        audio_hours: durations.iter().sum::<f64>() / 3600.0,
        settings,
        measures,
        stand_out,
    }
}

/// Writes every batch-level file for `records` into `dir` (each atomically) and returns the
/// aggregate.
pub fn write_tables(dir: &Path, records: &[CallRecord]) -> Result<Aggregate, BatchError> {
    let mut recs: Vec<&CallRecord> = records.iter().collect();
    recs.sort_by(|a, b| a.input.cmp(&b.input));
    let mut results = String::new();
    let mut failures = String::new();
    for r in &recs {
        results.push_str(&r.to_line());
        results.push('\n');
        if let Some(f) = r.failure() {
            let line = serde_json::json!({
                "input": r.input,
                "kind": f.kind.as_str(),
                "reason": f.reason,
            });
            failures.push_str(&line.to_string());
            failures.push('\n');
        }
    }
    let agg = aggregate(records);
    let mut agg_json = serde_json::to_string_pretty(&agg).unwrap_or_default();
    agg_json.push('\n');
    write_atomic(&dir.join("results.jsonl"), results.as_bytes())?;
    write_atomic(&dir.join("failures.jsonl"), failures.as_bytes())?;
    write_atomic(&dir.join("calls.csv"), csv(&recs).as_bytes())?;
    write_atomic(&dir.join("aggregate.json"), agg_json.as_bytes())?;
    write_atomic(&dir.join("summary.md"), summary_md(&agg).as_bytes())?;
    Ok(agg)
}

/// One row per analysed call with every key figure.
fn csv(recs: &[&CallRecord]) -> String {
    let mut out = String::from("input,name,lang");
    for m in MEASURES {
        out.push(',');
        out.push_str(m.name);
    }
    out.push('\n');
    for r in recs {
        let Some(f) = r.figures() else { continue };
        out.push_str(&csv_field(&r.input));
        out.push(',');
        out.push_str(&csv_field(&r.name));
        out.push(',');
        out.push_str(f.lang.code());
        for m in MEASURES {
            out.push(',');
            if let Some(v) = (m.value)(f).filter(|v| v.is_finite()) {
                let _ = write!(out, "{}", round4(v));
            }
        }
        out.push('\n');
    }
    out
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). A text that
/// a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) is led by `'`, so it shows as text.
pub fn csv_field(s: &str) -> String {
    let guarded;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn summary_md(a: &Aggregate) -> String {
    let mut s = String::from("# medlyt batch summary\n\n");
    let _ = writeln!(
        s,
        "{} calls: {} analysed, {} failed. {:.2} hours of calls analysed.\n",
        a.calls, a.analysed, a.failed, a.audio_hours
    );
    s.push_str("| measure | calls | median | spread (25 %–75 %) | min | max |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|\n");
    for m in MEASURES {
        if let Some(v) = a.measures.get(m.name) {
            let _ = writeln!(
                s,
                "| {} | {} | {:.2} | {:.2}–{:.2} | {:.2} | {:.2} |",
                m.label, v.n, v.median, v.p25, v.p75, v.min, v.max
            );
        }
    }
    s.push_str("\n## Calls that stand out\n\n");
    if a.stand_out.is_empty() {
        s.push_str("None: every call lies within 1.5 interquartile ranges on the key measures.\n");
    } else {
        for o in &a.stand_out {
            let _ = writeln!(
                s,
                "- `{}`: {} {} ({:.2})",
                o.input, o.measure, o.side, o.value
            );
        }
    }
    if !a.failures.is_empty() {
        s.push_str("\n## Failed calls\n\n");
        for (kind, n) in &a.failures {
            let _ = writeln!(s, "- {kind}: {n}");
        }
        s.push_str("\nEach one is listed with its reason in `failures.jsonl`.\n");
    }
    s
}

/// Merges the `results.jsonl` of several batch outputs (e.g. shards). A call found in more than
/// one is kept once if the records agree, else it is an error.
pub fn merge(dirs: &[&Path]) -> Result<Vec<CallRecord>, BatchError> {
    let mut by_input: BTreeMap<String, CallRecord> = BTreeMap::new();
    for d in dirs {
        for r in crate::record::read_results(&d.join("results.jsonl"))? {
            match by_input.get(&r.input) {
                Some(old) if old != &r => {
                    return Err(BatchError::Conflict { input: r.input });
                }
                _ => {
                    by_input.insert(r.input.clone(), r);
                }
            }
        }
    }
    Ok(by_input.into_values().collect())
}
