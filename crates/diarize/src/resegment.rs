//! Re-segmentation: a Gaussian mixture per speaker on frames, decoded with Viterbi.

use crate::gmm::Gmm;
use ndarray::Array2;

/// Gaussians per speaker model.
const COMPONENTS: usize = 16;
/// EM steps per training round.
const EM_STEPS: usize = 6;

/// Log-likelihood of every speech frame (`rows` of `ceps`) under each speaker's model, trained on
/// the frames `labels` gives it. A speaker without frames scores minus infinity. `quiet`
/// frames are not trained on and score 0 for every speaker (no evidence either way).
pub fn score(
    ceps: &Array2<f32>,
    rows: &[usize],
    labels: &[usize],
    quiet: &[bool],
    k: usize,
) -> Array2<f32> {
    let mut ll = Array2::<f32>::from_elem((rows.len(), k), f32::NEG_INFINITY);
    for s in 0..k {
        let own: Vec<usize> = (0..rows.len())
            .filter(|&i| labels[i] == s && !quiet[i])
            .map(|i| rows[i])
            .collect();
        if let Some(model) = Gmm::train(ceps, &own, COMPONENTS, EM_STEPS) {
            for (i, &r) in rows.iter().enumerate() {
                ll[[i, s]] = if quiet[i] {
                    0.0
                } else {
                    model.log_likelihood(ceps.row(r))
                };
            }
        }
    }
    ll
}

/// The most likely speaker sequence: per-frame log-likelihoods `ll` (frames x speakers), and a
/// cost `penalty` for each change of speaker; a change across a pause (`after_pause[i]`: frame
/// `i` follows a gap) costs a quarter of it.
pub fn viterbi(ll: &Array2<f32>, after_pause: &[bool], penalty: f32) -> Vec<usize> {
    let (n, k) = ll.dim();
    if n == 0 || k == 0 {
        return Vec::new();
    }
    let mut back = vec![0u8; n * k];
    let mut cost: Vec<f32> = (0..k).map(|s| finite(ll[[0, s]])).collect();
    let mut next = vec![0f32; k];
    for i in 1..n {
        let p = if after_pause.get(i).copied().unwrap_or(false) {
            penalty * 0.25
        } else {
            penalty
        };
        let (best_s, best_v) = argmax(&cost);
        for s in 0..k {
            let stay = cost[s];
            let switch = best_v - p;
            let (from, v) = if stay >= switch || best_s == s {
                (s, stay)
            } else {
                (best_s, switch)
            };
            next[s] = v + finite(ll[[i, s]]);
            back[i * k + s] = from as u8;
        }
        std::mem::swap(&mut cost, &mut next);
    }
    let mut path = vec![0usize; n];
    let mut s = argmax(&cost).0;
    for i in (0..n).rev() {
        path[i] = s;
        s = usize::from(back[i * k + s]);
    }
    path
}

fn finite(x: f32) -> f32 {
    if x.is_finite() {
        x
    } else {
        -1e6
    }
}

fn argmax(v: &[f32]) -> (usize, f32) {
    v.iter().copied().enumerate().fold(
        (0, f32::NEG_INFINITY),
        |b, (i, x)| if x > b.1 { (i, x) } else { b },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_ignores_short_blips_and_follows_long_runs() {
        // Speaker 0 is likelier for frames 0..50 except a 3-frame blip, speaker 1 after.
        let mut ll = Array2::<f32>::zeros((100, 2));
        for i in 0..100 {
            let favour0 = (i < 50 && !(20..23).contains(&i)) as u8 as f32;
            ll[[i, 0]] = favour0 * 2.0 - 1.0;
            ll[[i, 1]] = -ll[[i, 0]];
        }
        let path = viterbi(&ll, &[false; 100], 10.0);
        assert!(path[..50].iter().all(|&s| s == 0), "{path:?}");
        assert!(path[50..].iter().all(|&s| s == 1), "{path:?}");
        let jumpy = viterbi(&ll, &[false; 100], 0.0);
        assert_eq!(jumpy[21], 1);
    }
}
