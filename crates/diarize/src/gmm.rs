//! Diagonal-covariance Gaussian mixture models, trained by EM on frame features.

use ndarray::{Array2, ArrayView1};

const VAR_FLOOR: f32 = 1e-3;
/// Most frames one model is trained on; more are thinned evenly (keeps long calls fast).
const MAX_TRAIN: usize = 30_000;

/// A Gaussian mixture with diagonal covariances.
pub struct Gmm {
    log_weights: Vec<f32>,
    means: Array2<f32>,
    inv_vars: Array2<f32>,
    /// `log w - 0.5 * (d ln 2 pi + sum ln var)` per component.
    consts: Vec<f32>,
}

impl Gmm {
    /// Trains a mixture of up to `components` Gaussians on the given rows of `data`, with
    /// `iterations` EM steps. `None` when there are no rows.
    pub fn train(
        data: &Array2<f32>,
        rows: &[usize],
        components: usize,
        iterations: usize,
    ) -> Option<Gmm> {
        if rows.is_empty() {
            return None;
        }
        let step = rows.len().div_ceil(MAX_TRAIN).max(1);
        let rows: Vec<usize> = rows.iter().step_by(step).copied().collect();
        let d = data.ncols();
        let k = components.clamp(1, (rows.len() / 20).max(1));
        // Start from k frames spread evenly through the rows, and the global variance.
        let mut means = Array2::<f32>::zeros((k, d));
        for c in 0..k {
            let r = rows[(c * rows.len()) / k + rows.len() / (2 * k)];
            means.row_mut(c).assign(&data.row(r));
        }
        let n = rows.len() as f32;
        let mut global_var = vec![0f32; d];
        for j in 0..d {
            let mean = rows.iter().map(|&r| data[[r, j]]).sum::<f32>() / n;
            global_var[j] = (rows
                .iter()
                .map(|&r| (data[[r, j]] - mean).powi(2))
                .sum::<f32>()
                / n)
                .max(VAR_FLOOR);
        }
        let mut vars = Array2::<f32>::zeros((k, d));
        for c in 0..k {
            for j in 0..d {
                vars[[c, j]] = global_var[j];
            }
        }
        let mut gmm = Gmm::from_parts(vec![1.0 / k as f32; k], means, vars);
        let mut post = vec![0f32; k];
        for _ in 0..iterations {
            let mut acc_w = vec![0f32; k];
            let mut acc_m = Array2::<f32>::zeros((k, d));
            let mut acc_v = Array2::<f32>::zeros((k, d));
            for &r in &rows {
                let x = data.row(r);
                gmm.posteriors(x, &mut post);
                for c in 0..k {
                    let p = post[c];
                    if p < 1e-6 {
                        continue;
                    }
                    acc_w[c] += p;
                    for j in 0..d {
                        acc_m[[c, j]] += p * x[j];
                        acc_v[[c, j]] += p * x[j] * x[j];
                    }
                }
            }
            let mut weights = vec![0f32; k];
            let mut means = Array2::<f32>::zeros((k, d));
            let mut vars = Array2::<f32>::zeros((k, d));
            for c in 0..k {
                let w = acc_w[c].max(1e-3);
                weights[c] = (acc_w[c] / n).max(1e-4);
                for j in 0..d {
                    let m = acc_m[[c, j]] / w;
                    means[[c, j]] = m;
                    vars[[c, j]] = (acc_v[[c, j]] / w - m * m).max(VAR_FLOOR);
                }
                if acc_w[c] < 2.0 {
                    // An empty component falls back to the global spread around a kept mean.
                    means.row_mut(c).assign(&gmm.means.row(c));
                    for j in 0..d {
                        vars[[c, j]] = global_var[j];
                    }
                }
            }
            gmm = Gmm::from_parts(weights, means, vars);
        }
        Some(gmm)
    }

    fn from_parts(weights: Vec<f32>, means: Array2<f32>, vars: Array2<f32>) -> Gmm {
        let d = means.ncols() as f32;
        let total: f32 = weights.iter().sum::<f32>().max(1e-9);
        let consts = weights
            .iter()
            .zip(vars.rows())
            .map(|(w, v)| {
                (w / total).ln()
                    - 0.5
                        * (d * (2.0 * std::f32::consts::PI).ln()
                            + v.iter().map(|x| x.ln()).sum::<f32>())
            })
            .collect();
        Gmm {
            log_weights: weights.iter().map(|w| (w / total).ln()).collect(),
            inv_vars: vars.mapv(|v| 1.0 / v),
            means,
            consts,
        }
    }

    fn component_scores(&self, x: ArrayView1<f32>, out: &mut [f32]) {
        for (c, slot) in out.iter_mut().enumerate() {
            let m = self.means.row(c);
            let iv = self.inv_vars.row(c);
            let mut q = 0f32;
            for j in 0..x.len() {
                let diff = x[j] - m[j];
                q += diff * diff * iv[j];
            }
            *slot = self.consts[c] - 0.5 * q;
        }
    }

    fn posteriors(&self, x: ArrayView1<f32>, out: &mut [f32]) {
        self.component_scores(x, out);
        let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0f32;
        for v in out.iter_mut() {
            *v = (*v - max).exp();
            sum += *v;
        }
        for v in out.iter_mut() {
            *v /= sum.max(1e-30);
        }
    }

    /// Log-likelihood of one frame.
    pub fn log_likelihood(&self, x: ArrayView1<f32>) -> f32 {
        let mut scores = vec![0f32; self.log_weights.len()];
        self.component_scores(x, &mut scores);
        let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        max + scores.iter().map(|s| (s - max).exp()).sum::<f32>().ln()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_model_prefers_its_own_data() {
        // Two 2-d clouds around (0, 0) and (3, 3) built from a fixed sequence.
        let mut data = Array2::<f32>::zeros((400, 2));
        for i in 0..400 {
            let a = ((i * 37) % 101) as f32 / 101.0 - 0.5;
            let b = ((i * 53) % 97) as f32 / 97.0 - 0.5;
            let centre = if i < 200 { 0.0 } else { 3.0 };
            data[[i, 0]] = centre + a;
            data[[i, 1]] = centre + b;
        }
        let first: Vec<usize> = (0..200).collect();
        let second: Vec<usize> = (200..400).collect();
        let g0 = Gmm::train(&data, &first, 4, 5).unwrap();
        let g1 = Gmm::train(&data, &second, 4, 5).unwrap();
        for i in 0..400 {
            let own = if i < 200 { &g0 } else { &g1 };
            let other = if i < 200 { &g1 } else { &g0 };
            assert!(
                own.log_likelihood(data.row(i)) > other.log_likelihood(data.row(i)),
                "{i}"
            );
        }
        assert!(Gmm::train(&data, &[], 4, 5).is_none());
    }
}
