//! Baseline versus follow-up: the change in each measure with a bootstrap confidence interval
//! and effect sizes.

use crate::figures::MEASURES;
use crate::record::CallRecord;
use crate::stats::{bootstrap_mean_diff, cliffs_delta, cohens_d, mean, sorted};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Bootstrap resamples.
pub const RESAMPLES: usize = 4000;
/// Confidence level of the intervals.
pub const LEVEL: f64 = 0.95;
/// The fixed seed, so a comparison gives the same interval every time.
pub const SEED: u64 = 0x6d65_646c_7974;

/// The change in one measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The measure.
    pub measure: String,
    /// Calls with a value at baseline.
    pub baseline_n: usize,
    /// Calls with a value at follow-up.
    pub followup_n: usize,
    /// Mean at baseline.
    pub baseline_mean: Option<f64>,
    /// Mean at follow-up.
    pub followup_mean: Option<f64>,
    /// Follow-up mean minus baseline mean.
    pub difference: Option<f64>,
    /// Lower end of the bootstrap interval of the difference.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Cohen's d (pooled standard deviation).
    pub cohens_d: Option<f64>,
    /// Cliff's delta: P(follow-up > baseline) - P(follow-up < baseline).
    pub cliffs_delta: Option<f64>,
}

/// `compare.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// Always `medlyt.batch.compare`.
    pub schema: String,
    /// Schema version (1).
    pub version: u32,
    /// Confidence level.
    pub level: f64,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// Analysed calls at baseline.
    pub baseline_calls: usize,
    /// Analysed calls at follow-up.
    pub followup_calls: usize,
    /// One entry per measure.
    pub changes: Vec<Change>,
}

fn values(records: &[CallRecord], f: fn(&crate::Figures) -> Option<f64>) -> Vec<f64> {
    sorted(
        &records
            .iter()
            .filter_map(|r| r.figures().and_then(f))
            .collect::<Vec<f64>>(),
    )
}

/// Compares two sets of call records.
pub fn compare(baseline: &[CallRecord], followup: &[CallRecord]) -> Comparison {
    let finite = |x: f64| x.is_finite().then_some(x);
    let changes = MEASURES
        .iter()
        .map(|m| {
            let a = values(baseline, m.value);
            let b = values(followup, m.value);
            let (ma, mb) = (finite(mean(&a)), finite(mean(&b)));
            let ci = bootstrap_mean_diff(&a, &b, RESAMPLES, LEVEL, SEED);
            Change {
                measure: m.name.to_string(),
                baseline_n: a.len(),
                followup_n: b.len(),
                baseline_mean: ma,
                followup_mean: mb,
                difference: ma.zip(mb).map(|(x, y)| y - x),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                cohens_d: cohens_d(&a, &b),
                cliffs_delta: cliffs_delta(&a, &b),
            }
        })
        .collect();
    let analysed = |r: &[CallRecord]| r.iter().filter(|c| c.figures().is_some()).count();
    Comparison {
        schema: "medlyt.batch.compare".to_string(),
        version: 1,
        level: LEVEL,
        resamples: RESAMPLES,
        seed: SEED,
        baseline_calls: analysed(baseline),
        followup_calls: analysed(followup),
        changes,
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"))
}

/// The comparison as Markdown.
pub fn markdown(c: &Comparison) -> String {
    let mut s = String::from("# medlyt: baseline and follow-up\n\n");
    let _ = writeln!(
        s,
        "{} calls at baseline, {} at follow-up. Change = follow-up mean minus baseline mean, with a \
         {:.0} % bootstrap interval ({} resamples, fixed seed). Cohen's d and Cliff's delta are \
         positive when the follow-up is higher.\n",
        c.baseline_calls,
        c.followup_calls,
        c.level * 100.0,
        c.resamples
    );
    s.push_str(
        "| measure | baseline | follow-up | change | interval | Cohen's d | Cliff's delta |\n",
    );
    s.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for ch in &c.changes {
        let label = MEASURES
            .iter()
            .find(|m| m.name == ch.measure)
            .map_or(ch.measure.as_str(), |m| m.label);
        let _ = writeln!(
            s,
            "| {label} | {} | {} | {} | {} to {} | {} | {} |",
            num(ch.baseline_mean),
            num(ch.followup_mean),
            num(ch.difference),
            num(ch.ci_low),
            num(ch.ci_high),
            num(ch.cohens_d),
            num(ch.cliffs_delta)
        );
    }
    s.push_str(
        "\nAn interval that does not contain 0 suggests a real change; with few calls, read the \
         effect sizes with care.\n",
    );
    s
}
