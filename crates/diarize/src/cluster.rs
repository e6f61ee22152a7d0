//! First speaker clustering: statistics of short windows, grouped by spherical k-means.

use ndarray::Array2;

/// Weight of the median pitch in a window vector, relative to one cepstral statistic.
const PITCH_WEIGHT: f32 = 3.0;

/// One analysis window: the frames it covers and its speaker-characteristic vector.
pub struct Window {
    /// First frame (inclusive).
    pub start: usize,
    /// Last frame (exclusive).
    pub end: usize,
    /// Mean and standard deviation of the cepstra of its speech frames and their median
    /// pitch, later standardised across windows and scaled to unit length.
    pub vector: Vec<f32>,
}

/// Windows of `len` frames every `hop` frames holding at least `min_speech` speech frames.
pub fn windows(
    ceps: &Array2<f32>,
    pitch: &[Option<f32>],
    speech: &[bool],
    len: usize,
    hop: usize,
    min_speech: usize,
) -> Vec<Window> {
    let n = speech.len();
    let d = ceps.ncols();
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + len).min(n);
        let rows: Vec<usize> = (start..end).filter(|&i| speech[i]).collect();
        if rows.len() >= min_speech.max(2) {
            let m = rows.len() as f32;
            let mut vector = vec![0f32; 2 * d];
            for j in 0..d {
                let mean = rows.iter().map(|&r| ceps[[r, j]]).sum::<f32>() / m;
                let var = rows
                    .iter()
                    .map(|&r| (ceps[[r, j]] - mean).powi(2))
                    .sum::<f32>()
                    / m;
                vector[j] = mean;
                vector[d + j] = var.sqrt();
            }
            let mut f0: Vec<f32> = rows
                .iter()
                .filter_map(|&r| pitch.get(r).copied().flatten())
                .collect();
            f0.sort_by(f32::total_cmp);
            vector.push(f0.get(f0.len() / 2).copied().unwrap_or(f32::NAN));
            out.push(Window { start, end, vector });
        }
        if end == n {
            break;
        }
        start += hop.max(1);
    }
    // Windows without voiced frames take the median pitch of all windows.
    let mut all: Vec<f32> = out
        .iter()
        .filter_map(|w| w.vector.last().copied())
        .filter(|x| !x.is_nan())
        .collect();
    all.sort_by(f32::total_cmp);
    let typical = all.get(all.len() / 2).copied().unwrap_or(0.0);
    for w in &mut out {
        if let Some(last) = w.vector.last_mut() {
            if last.is_nan() {
                *last = typical;
            }
        }
    }
    standardise(&mut out);
    out
}

/// Z-scores each dimension across windows, then scales each vector to unit length.
fn standardise(windows: &mut [Window]) {
    let Some(dims) = windows.first().map(|w| w.vector.len()) else {
        return;
    };
    let n = windows.len() as f32;
    for j in 0..dims {
        let mean = windows.iter().map(|w| w.vector[j]).sum::<f32>() / n;
        let var = windows
            .iter()
            .map(|w| (w.vector[j] - mean).powi(2))
            .sum::<f32>()
            / n;
        let sd = var.sqrt().max(1e-6);
        // The last dimension, pitch, weighs as much as PITCH_WEIGHT cepstral ones.
        let weight = if j + 1 == dims { PITCH_WEIGHT } else { 1.0 };
        for w in windows.iter_mut() {
            w.vector[j] = (w.vector[j] - mean) / sd * weight;
        }
    }
    for w in windows.iter_mut() {
        let norm = w.vector.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
        w.vector.iter_mut().for_each(|x| *x /= norm);
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Result of [`kmeans`].
pub struct Clusters {
    /// Cluster of each window.
    pub labels: Vec<usize>,
    /// Half the mean over windows of (similarity to own centroid - best similarity to another),
    /// 0..1.
    pub separation: f32,
}

/// Spherical k-means (cosine similarity) of the window vectors into `k` clusters: k-means++
/// starts from a fixed pseudo-random sequence, several restarts, the tightest result kept.
pub fn kmeans(windows: &[Window], k: usize) -> Clusters {
    let n = windows.len();
    if k <= 1 || n <= k {
        let labels = (0..n).map(|i| if k <= 1 { 0 } else { i }).collect();
        return Clusters {
            labels,
            separation: 0.0,
        };
    }
    let mut best: Option<(f32, Vec<usize>, Vec<Vec<f32>>)> = None;
    let mut rng = 0x9E37_79B9u32;
    for _restart in 0..8 {
        let mut centroids = seed(windows, k, &mut rng);
        let mut labels = vec![0usize; n];
        for _iter in 0..50 {
            let mut changed = false;
            for (i, w) in windows.iter().enumerate() {
                let l = nearest(&w.vector, &centroids);
                if l != labels[i] {
                    labels[i] = l;
                    changed = true;
                }
            }
            centroids = centroids_of(windows, &labels, k, &centroids);
            if !changed {
                break;
            }
        }
        let score: f32 = windows
            .iter()
            .zip(&labels)
            .map(|(w, &l)| dot(&w.vector, &centroids[l]))
            .sum();
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, labels, centroids));
        }
    }
    let Some((_, labels, centroids)) = best else {
        return Clusters {
            labels: vec![0; n],
            separation: 0.0,
        };
    };
    let margins: f32 = windows
        .iter()
        .zip(&labels)
        .map(|(w, &l)| {
            let own = dot(&w.vector, &centroids[l]);
            let other = (0..k)
                .filter(|&c| c != l)
                .map(|c| dot(&w.vector, &centroids[c]))
                .fold(f32::NEG_INFINITY, f32::max);
            (own - other).max(0.0)
        })
        .sum();
    Clusters {
        labels,
        separation: (margins / n as f32 / 2.0).clamp(0.0, 1.0),
    }
}

fn next(rng: &mut u32) -> f32 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 17;
    *rng ^= *rng << 5;
    *rng as f32 / u32::MAX as f32
}

fn seed(windows: &[Window], k: usize, rng: &mut u32) -> Vec<Vec<f32>> {
    let n = windows.len();
    let first = ((next(rng) * n as f32) as usize).min(n - 1);
    let mut centroids = vec![windows[first].vector.clone()];
    while centroids.len() < k {
        let dist: Vec<f32> = windows
            .iter()
            .map(|w| {
                let sim = centroids
                    .iter()
                    .map(|c| dot(&w.vector, c))
                    .fold(f32::NEG_INFINITY, f32::max);
                (1.0 - sim).max(0.0).powi(2)
            })
            .collect();
        let total: f32 = dist.iter().sum();
        let mut target = next(rng) * total;
        let mut pick = n - 1;
        for (i, d) in dist.iter().enumerate() {
            if target <= *d {
                pick = i;
                break;
            }
            target -= d;
        }
        centroids.push(windows[pick].vector.clone());
    }
    centroids
}

fn nearest(v: &[f32], centroids: &[Vec<f32>]) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (c, centroid) in centroids.iter().enumerate() {
        let s = dot(v, centroid);
        if s > best.1 {
            best = (c, s);
        }
    }
    best.0
}

fn centroids_of(windows: &[Window], labels: &[usize], k: usize, old: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let dims = windows.first().map_or(0, |w| w.vector.len());
    let mut sums = vec![vec![0f32; dims]; k];
    for (w, &l) in windows.iter().zip(labels) {
        for (s, x) in sums[l].iter_mut().zip(&w.vector) {
            *s += x;
        }
    }
    sums.into_iter()
        .enumerate()
        .map(|(c, s)| {
            let norm = s.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm < 1e-9 {
                old[c].clone()
            } else {
                s.iter().map(|x| x / norm).collect()
            }
        })
        .collect()
}
