//! pyannote segmentation-3.0 (PyanNet): SincNet on the raw 16 kHz waveform, four
//! bidirectional LSTM layers of 128, two linear layers and a 7-class powerset classifier
//! (nobody; speaker 1, 2 or 3 alone; each pair together), 589 frames for a 10 s chunk.
//! Checked against the published ONNX export run by onnxruntime
//! (`crates/diarize/tests/data/segmentation-ref.json`).

use super::nn::{matrix, vector, Conv1d};
use medlyt_models::{ModelError, SpeakerModel};
use ndarray::{s, Array1, Array2, ArrayView2, Axis};

/// Samples in one chunk (10 s).
pub const CHUNK: usize = 160_000;
/// Output frames of one chunk.
pub const FRAMES: usize = 589;
/// Seconds between output frames (270 samples).
pub const FRAME_STEP_S: f64 = 270.0 / 16_000.0;
/// Seconds of audio one output frame sees (its receptive field, 991 samples).
pub const FRAME_SPAN_S: f64 = 991.0 / 16_000.0;
/// Powerset classes: which local speakers each stands for.
pub const CLASSES: [&[usize]; 7] = [&[], &[0], &[1], &[2], &[0, 1], &[0, 2], &[1, 2]];
const HIDDEN: usize = 128;
const LEAK: f32 = 0.01;

struct InstanceNorm {
    w: Array1<f32>,
    b: Array1<f32>,
}

struct LstmDir {
    w_ih_t: Array2<f32>,
    w_hh_t: Array2<f32>,
    bias: Array1<f32>,
}

/// The segmentation network, ready to run.
pub struct Segmentation {
    wav_norm: InstanceNorm,
    filters: Array2<f32>,
    convs: [Conv1d; 2],
    norms: [InstanceNorm; 3],
    lstm: Vec<[LstmDir; 2]>,
    linear: [(Array2<f32>, Array1<f32>); 3],
}

fn linear(m: &SpeakerModel, name: &str) -> Result<(Array2<f32>, Array1<f32>), ModelError> {
    let w = m.get(&format!("{name}.weight"))?;
    Ok((
        matrix(w, w.shape[0]).reversed_axes(),
        vector(m, &format!("{name}.bias"))?,
    ))
}

fn norm(m: &SpeakerModel, name: &str) -> Result<InstanceNorm, ModelError> {
    Ok(InstanceNorm {
        w: vector(m, &format!("{name}.weight"))?,
        b: vector(m, &format!("{name}.bias"))?,
    })
}

fn lstm_dir(m: &SpeakerModel, layer: usize, suffix: &str) -> Result<LstmDir, ModelError> {
    let ih = m.get(&format!("lstm.weight_ih_l{layer}{suffix}"))?;
    let hh = m.get(&format!("lstm.weight_hh_l{layer}{suffix}"))?;
    let bias = vector(m, &format!("lstm.bias_ih_l{layer}{suffix}"))?
        + vector(m, &format!("lstm.bias_hh_l{layer}{suffix}"))?;
    Ok(LstmDir {
        w_ih_t: matrix(ih, 4 * HIDDEN)
            .reversed_axes()
            .as_standard_layout()
            .into_owned(),
        w_hh_t: matrix(hh, 4 * HIDDEN)
            .reversed_axes()
            .as_standard_layout()
            .into_owned(),
        bias,
    })
}

impl Segmentation {
    /// Builds the network from a loaded segmentation speaker file.
    pub fn new(m: &SpeakerModel) -> Result<Segmentation, ModelError> {
        let lstm = (0..4)
            .map(|l| Ok([lstm_dir(m, l, "")?, lstm_dir(m, l, "_reverse")?]))
            .collect::<Result<Vec<_>, ModelError>>()?;
        let filters = m.get("sincnet.filters")?;
        Ok(Segmentation {
            wav_norm: norm(m, "sincnet.wav_norm1d")?,
            filters: matrix(filters, filters.shape[0])
                .reversed_axes()
                .as_standard_layout()
                .into_owned(),
            convs: [
                Conv1d::load(m, "sincnet.conv1d.1", true)?,
                Conv1d::load(m, "sincnet.conv1d.2", true)?,
            ],
            norms: [
                norm(m, "sincnet.norm1d.0")?,
                norm(m, "sincnet.norm1d.1")?,
                norm(m, "sincnet.norm1d.2")?,
            ],
            lstm,
            linear: [
                linear(m, "linear.0")?,
                linear(m, "linear.1")?,
                linear(m, "classifier")?,
            ],
        })
    }

    /// Log-probabilities of the 7 powerset classes, `[589, 7]` per chunk, for chunks of
    /// [`CHUNK`] samples each (scaled to [-1, 1)). The LSTM steps of all chunks run together.
    pub fn run(&self, chunks: &[&[f32]]) -> Vec<Array2<f32>> {
        let feats: Vec<Array2<f32>> = chunks.iter().map(|c| self.sincnet(c)).collect();
        let mut x = feats;
        for layer in &self.lstm {
            x = bilstm(layer, &x);
        }
        x.into_iter().map(|h| self.classify(h)).collect()
    }

    /// SincNet: `[frames, 60]` features of one chunk.
    fn sincnet(&self, chunk: &[f32]) -> Array2<f32> {
        let n = chunk.len() as f32;
        let mean = chunk.iter().sum::<f32>() / n;
        let var = chunk.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
        let (a, b) = (self.wav_norm.w[0] / (var + 1e-5).sqrt(), self.wav_norm.b[0]);
        let wav: Vec<f32> = chunk.iter().map(|v| (v - mean) * a + b).collect();
        let taps = self.filters.nrows();
        let out_t = (wav.len().saturating_sub(taps)) / 10 + 1;
        let mut cols = Array2::<f32>::zeros((out_t, taps));
        for (t, mut row) in cols.rows_mut().into_iter().enumerate() {
            row.as_slice_mut()
                .unwrap_or(&mut [])
                .copy_from_slice(&wav[t * 10..t * 10 + taps]);
        }
        let y = cols.dot(&self.filters).reversed_axes();
        let mut x = pool_norm_leaky(y.mapv(f32::abs).view(), &self.norms[0]);
        for (conv, nm) in self.convs.iter().zip(&self.norms[1..]) {
            let y = conv.apply(x.view(), 1, 0, 1);
            x = pool_norm_leaky(y.view(), nm);
        }
        x.reversed_axes().as_standard_layout().into_owned()
    }

    fn classify(&self, h: Array2<f32>) -> Array2<f32> {
        let mut x = h;
        for (i, (w, b)) in self.linear.iter().enumerate() {
            x = x.dot(w) + b;
            if i < 2 {
                x.mapv_inplace(leaky);
            }
        }
        for mut row in x.rows_mut() {
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let lse = max + row.iter().map(|v| (v - max).exp()).sum::<f32>().ln();
            row.mapv_inplace(|v| v - lse);
        }
        x
    }
}

/// tanh through one exponential (as fast as the sigmoid; within 1e-6 of `f32::tanh`).
fn tanh(v: f32) -> f32 {
    let e = (-2.0 * v.abs()).exp();
    ((1.0 - e) / (1.0 + e)).copysign(v)
}

fn leaky(v: f32) -> f32 {
    if v >= 0.0 {
        v
    } else {
        LEAK * v
    }
}

/// Max-pool by 3, instance norm per channel (affine), leaky ReLU: `[channels, time]`.
fn pool_norm_leaky(x: ArrayView2<f32>, nm: &InstanceNorm) -> Array2<f32> {
    let (c, t) = x.dim();
    let out_t = t / 3;
    let mut y = Array2::<f32>::zeros((c, out_t));
    for ch in 0..c {
        let src = x.row(ch);
        let mut dst = y.row_mut(ch);
        for (o, d) in dst.iter_mut().enumerate() {
            *d = src[3 * o].max(src[3 * o + 1]).max(src[3 * o + 2]);
        }
        let n = out_t.max(1) as f32;
        let mean = dst.sum() / n;
        let var = dst.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
        let (a, b) = (nm.w[ch] / (var + 1e-5).sqrt(), nm.b[ch]);
        dst.mapv_inplace(|v| leaky((v - mean) * a + b));
    }
    y
}

/// One bidirectional LSTM layer over every chunk at once: `[T, in]` each to `[T, 256]`.
fn bilstm(layer: &[LstmDir; 2], xs: &[Array2<f32>]) -> Vec<Array2<f32>> {
    let mut out: Vec<Array2<f32>> = xs
        .iter()
        .map(|x| Array2::zeros((x.nrows(), 2 * HIDDEN)))
        .collect();
    for (d, dir) in layer.iter().enumerate() {
        let pre: Vec<Array2<f32>> = xs.iter().map(|x| x.dot(&dir.w_ih_t) + &dir.bias).collect();
        let hs = recur(dir, &pre, d == 1);
        for (o, h) in out.iter_mut().zip(hs) {
            o.slice_mut(s![.., d * HIDDEN..(d + 1) * HIDDEN]).assign(&h);
        }
    }
    out
}

/// The recurrence of one direction for a batch of chunks of equal length.
fn recur(dir: &LstmDir, pre: &[Array2<f32>], reverse: bool) -> Vec<Array2<f32>> {
    let b = pre.len();
    let t_len = pre.first().map_or(0, |p| p.nrows());
    let mut h = Array2::<f32>::zeros((b, HIDDEN));
    let mut c = Array2::<f32>::zeros((b, HIDDEN));
    let mut outs: Vec<Array2<f32>> = (0..b).map(|_| Array2::zeros((t_len, HIDDEN))).collect();
    for step in 0..t_len {
        let t = if reverse { t_len - 1 - step } else { step };
        let g = h.dot(&dir.w_hh_t);
        for i in 0..b {
            let p = pre[i].row(t);
            let gi = g.row(i);
            for k in 0..HIDDEN {
                let ig = super::nn::sigmoid(p[k] + gi[k]);
                let fg = super::nn::sigmoid(p[HIDDEN + k] + gi[HIDDEN + k]);
                let gg = tanh(p[2 * HIDDEN + k] + gi[2 * HIDDEN + k]);
                let og = super::nn::sigmoid(p[3 * HIDDEN + k] + gi[3 * HIDDEN + k]);
                let cv = fg * c[[i, k]] + ig * gg;
                c[[i, k]] = cv;
                let hv = og * tanh(cv);
                h[[i, k]] = hv;
                outs[i][[t, k]] = hv;
            }
        }
    }
    outs
}

/// Local speaker activity from powerset log-probabilities, as `[frames, 3]` of 0/1. With
/// `threshold` of 0.5 or more, each frame's most likely class; below, a speaker is active where
/// the probability that it speaks (the sum over the classes that hold it) reaches `threshold`
/// (at most two at once, the likeliest).
pub fn activity(log_probs: ArrayView2<f32>, threshold: f32) -> Array2<f32> {
    if threshold < 0.5 {
        return marginal_activity(log_probs, threshold);
    }
    let mut out = Array2::<f32>::zeros((log_probs.nrows(), 3));
    for (f, row) in log_probs.axis_iter(Axis(0)).enumerate() {
        let best = row
            .iter()
            .enumerate()
            .fold(
                (0, f32::NEG_INFINITY),
                |b, (i, &v)| if v > b.1 { (i, v) } else { b },
            )
            .0;
        for &s in CLASSES[best] {
            out[[f, s]] = 1.0;
        }
    }
    out
}

fn marginal_activity(log_probs: ArrayView2<f32>, threshold: f32) -> Array2<f32> {
    let mut out = Array2::<f32>::zeros((log_probs.nrows(), 3));
    for (f, row) in log_probs.axis_iter(Axis(0)).enumerate() {
        let mut p = [0f32; 3];
        for (class, speakers) in CLASSES.iter().enumerate() {
            for &s in *speakers {
                p[s] += row[class].exp();
            }
        }
        let mut order = [0usize, 1, 2];
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
        for &s in order.iter().take(2) {
            if p[s] >= threshold {
                out[[f, s]] = 1.0;
            }
        }
    }
    out
}
