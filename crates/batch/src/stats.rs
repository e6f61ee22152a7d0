//! Descriptive statistics, a seeded bootstrap and effect sizes. Every function sorts its input
//! first, so the result does not depend on the order of the calls (a sharded run and a single
//! run give the same bits).

use serde::{Deserialize, Serialize};

/// Distribution of one measure over calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Calls with a value.
    pub n: usize,
    /// Median.
    pub median: f64,
    /// 25th percentile.
    pub p25: f64,
    /// 75th percentile.
    pub p75: f64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (0 for fewer than two calls).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// Sorted finite values.
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The `q` quantile (0..1) of sorted values, by linear interpolation between closest ranks.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = pos.ceil() as usize;
            let frac = pos - lo as f64;
            sorted[lo] + (sorted[hi.min(n - 1)] - sorted[lo]) * frac
        }
    }
}

/// Mean of sorted values (summed in sorted order).
pub fn mean(sorted: &[f64]) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.iter().sum::<f64>() / sorted.len() as f64
}

/// Sample standard deviation.
pub fn sd(sorted: &[f64]) -> f64 {
    if sorted.len() < 2 {
        return 0.0;
    }
    let m = mean(sorted);
    let ss: f64 = sorted.iter().map(|x| (x - m) * (x - m)).sum();
    (ss / (sorted.len() - 1) as f64).sqrt()
}

/// The summary of `values`; `None` when there are none.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    let v = sorted(values);
    let (&min, &max) = (v.first()?, v.last()?);
    Some(Summary {
        n: v.len(),
        median: quantile(&v, 0.5),
        p25: quantile(&v, 0.25),
        p75: quantile(&v, 0.75),
        mean: mean(&v),
        sd: sd(&v),
        min,
        max,
    })
}

/// A small seeded random generator (SplitMix64), so bootstrap intervals are reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// Percentile bootstrap interval of `mean(b) - mean(a)` for two independent samples:
/// `resamples` resamples of each, the `(1 - level) / 2` and `(1 + level) / 2` quantiles.
pub fn bootstrap_mean_diff(
    a: &[f64],
    b: &[f64],
    resamples: usize,
    level: f64,
    seed: u64,
) -> Option<(f64, f64)> {
    let (a, b) = (sorted(a), sorted(b));
    if a.is_empty() || b.is_empty() || resamples == 0 {
        return None;
    }
    let mut rng = Rng::new(seed);
    let mut diffs = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let ma = (0..a.len()).map(|_| a[rng.below(a.len())]).sum::<f64>() / a.len() as f64;
        let mb = (0..b.len()).map(|_| b[rng.below(b.len())]).sum::<f64>() / b.len() as f64;
        diffs.push(mb - ma);
    }
    diffs.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    Some((quantile(&diffs, tail), quantile(&diffs, 1.0 - tail)))
}

/// Cohen's d of `b` against `a` with the pooled standard deviation; `None` when it is not
/// defined (fewer than two values in a sample, or no spread at all).
pub fn cohens_d(a: &[f64], b: &[f64]) -> Option<f64> {
    let (a, b) = (sorted(a), sorted(b));
    let (na, nb) = (a.len() as f64, b.len() as f64);
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (sa, sb) = (sd(&a), sd(&b));
    let pooled = (((na - 1.0) * sa * sa + (nb - 1.0) * sb * sb) / (na + nb - 2.0)).sqrt();
    (pooled > 0.0).then(|| (mean(&b) - mean(&a)) / pooled)
}

/// Cliff's delta of `b` against `a`: P(b > a) - P(b < a), from -1 to 1.
pub fn cliffs_delta(a: &[f64], b: &[f64]) -> Option<f64> {
    let (a, b) = (sorted(a), sorted(b));
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut more = 0usize;
    let mut less = 0usize;
    for y in &b {
        // a is sorted: count values below and above y.
        let below = a.partition_point(|x| x < y);
        let not_above = a.partition_point(|x| x <= y);
        more += below;
        less += a.len() - not_above;
    }
    Some((more as f64 - less as f64) / (a.len() * b.len()) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = sorted(&[4.0, 1.0, 3.0, 2.0]);
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert!(summarize(&[]).is_none());
    }

    #[test]
    fn effect_sizes_of_a_shift() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [3.0, 4.0, 5.0, 6.0];
        // Pooled sd = sd of each = 1.29099; mean difference 2.
        let d = cohens_d(&a, &b).unwrap_or_default();
        assert!((d - 2.0 / 1.290_994_448_7).abs() < 1e-9, "{d}");
        // Pairs: b>a 13, b<a 1, ties 2, of 16.
        assert_eq!(cliffs_delta(&a, &b), Some(12.0 / 16.0));
        assert_eq!(cliffs_delta(&b, &a), Some(-12.0 / 16.0));
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_difference() {
        let a: Vec<f64> = (0..30).map(|i| f64::from(i % 7)).collect();
        let b: Vec<f64> = (0..30).map(|i| f64::from(i % 7) + 2.0).collect();
        let ci = bootstrap_mean_diff(&a, &b, 2000, 0.95, 7);
        assert_eq!(ci, bootstrap_mean_diff(&a, &b, 2000, 0.95, 7));
        let (lo, hi) = ci.unwrap_or((f64::NAN, f64::NAN));
        assert!(lo < 2.0 && 2.0 < hi && lo > 0.0, "{lo} {hi}");
    }
}
