//! CAM++ speaker embeddings (3D-Speaker's `CAMPPlus`, 192-d) in evaluation mode: a 2-d
//! residual front end over the filter bank, a TDNN, three densely connected blocks of
//! context-aware masked TDNN layers, statistics pooling and a dense layer. Written from the
//! model's published module structure; checked against a reference computation
//! (`crates/diarize/tests/data/campplus-ref.json`).

use super::nn::{sigmoid, Conv1d, Conv2d, Norm};
use medlyt_models::{ModelError, SpeakerModel};
use ndarray::{s, Array1, Array2, ArrayView2, Axis};

/// Embedding size.
pub const DIM: usize = 192;
/// Frames per segment of the context pooling in the CAM layers.
const SEGMENT: usize = 100;
/// (layers, dilation) of the three dense blocks.
const BLOCKS: [(usize, usize); 3] = [(12, 1), (24, 2), (16, 2)];

struct ResBlock {
    conv1: Conv2d,
    bn1: Norm,
    conv2: Conv2d,
    bn2: Norm,
    shortcut: Option<(Conv2d, Norm)>,
    stride: usize,
}

struct DenseLayer {
    bn1: Norm,
    linear1: Conv1d,
    bn2: Norm,
    local: Conv1d,
    ctx1: Conv1d,
    ctx2: Conv1d,
    dilation: usize,
}

struct Block {
    layers: Vec<DenseLayer>,
    transit_bn: Norm,
    transit: Conv1d,
}

/// The CAM++ network, ready to run.
pub struct Campplus {
    conv1: Conv2d,
    bn1: Norm,
    res: Vec<ResBlock>,
    conv2: Conv2d,
    bn2: Norm,
    tdnn: Conv1d,
    tdnn_bn: Norm,
    blocks: Vec<Block>,
    out_bn: Norm,
    dense: Array2<f32>,
    dense_bn: Norm,
}

impl Campplus {
    /// Builds the network from a loaded CAM++ speaker file.
    pub fn new(m: &SpeakerModel) -> Result<Campplus, ModelError> {
        let mut res = Vec::new();
        for layer in 1..=2 {
            for i in 0..2 {
                let p = format!("head.layer{layer}.{i}");
                let shortcut = if m.tensors.contains_key(&format!("{p}.shortcut.0.weight")) {
                    Some((
                        Conv2d::load(m, &format!("{p}.shortcut.0"))?,
                        Norm::load(m, &format!("{p}.shortcut.1"), true)?,
                    ))
                } else {
                    None
                };
                res.push(ResBlock {
                    conv1: Conv2d::load(m, &format!("{p}.conv1"))?,
                    bn1: Norm::load(m, &format!("{p}.bn1"), true)?,
                    conv2: Conv2d::load(m, &format!("{p}.conv2"))?,
                    bn2: Norm::load(m, &format!("{p}.bn2"), true)?,
                    shortcut,
                    stride: if i == 0 { 2 } else { 1 },
                });
            }
        }
        let mut blocks = Vec::new();
        for (b, (n, dilation)) in BLOCKS.iter().enumerate() {
            let mut layers = Vec::new();
            for i in 1..=*n {
                let p = format!("xvector.block{}.tdnnd{i}", b + 1);
                layers.push(DenseLayer {
                    bn1: Norm::load(m, &format!("{p}.nonlinear1.batchnorm"), true)?,
                    linear1: Conv1d::load(m, &format!("{p}.linear1"), false)?,
                    bn2: Norm::load(m, &format!("{p}.nonlinear2.batchnorm"), true)?,
                    local: Conv1d::load(m, &format!("{p}.cam_layer.linear_local"), false)?,
                    ctx1: Conv1d::load(m, &format!("{p}.cam_layer.linear1"), true)?,
                    ctx2: Conv1d::load(m, &format!("{p}.cam_layer.linear2"), true)?,
                    dilation: *dilation,
                });
            }
            let p = format!("xvector.transit{}", b + 1);
            blocks.push(Block {
                layers,
                transit_bn: Norm::load(m, &format!("{p}.nonlinear.batchnorm"), true)?,
                transit: Conv1d::load(m, &format!("{p}.linear"), false)?,
            });
        }
        let dense = m.get("xvector.dense.linear.weight")?;
        Ok(Campplus {
            conv1: Conv2d::load(m, "head.conv1")?,
            bn1: Norm::load(m, "head.bn1", true)?,
            res,
            conv2: Conv2d::load(m, "head.conv2")?,
            bn2: Norm::load(m, "head.bn2", true)?,
            tdnn: Conv1d::load(m, "xvector.tdnn.linear", false)?,
            tdnn_bn: Norm::load(m, "xvector.tdnn.nonlinear.batchnorm", true)?,
            blocks,
            out_bn: Norm::load(m, "xvector.out_nonlinear.batchnorm", true)?,
            dense: super::nn::matrix(dense, DIM),
            dense_bn: Norm::load(m, "xvector.dense.nonlinear.batchnorm", false)?,
        })
    }

    /// The embedding (not length-normalised) of mean-normalised features `[frames, 80]`.
    /// Needs at least 2 frames.
    pub fn embed(&self, feats: ArrayView2<f32>) -> Array1<f32> {
        self.pool(self.frames(feats))
    }

    /// Channels of the frame-level output that the statistics pooling reads.
    pub fn channels(&self) -> usize {
        self.dense.ncols() / 2
    }

    /// The frame-level output before the pooling, `[channels, frames / 2]` (one column
    /// every 20 ms), of mean-normalised features `[frames, 80]`.
    pub fn frames(&self, feats: ArrayView2<f32>) -> Array2<f32> {
        self.xvector(self.front(feats))
    }

    /// The embedding (not length-normalised) of pooled statistics: the means of the
    /// [`Campplus::channels`] frame-level channels, then their standard deviations.
    pub fn embed_stats(&self, stats: &Array1<f32>) -> Array1<f32> {
        let e = self.dense.dot(stats);
        let mut e2 = e.insert_axis(Axis(1));
        self.dense_bn.apply(&mut e2, false);
        e2.column(0).to_owned()
    }

    /// The 2-d front end: `[80 bands, T]` to `[32 * 10, T]`.
    fn front(&self, feats: ArrayView2<f32>) -> Array2<f32> {
        let t = feats.nrows();
        let x = feats
            .t()
            .as_standard_layout()
            .into_owned()
            .into_shape_with_order((1, 80 * t));
        let x = x.unwrap_or_else(|_| Array2::zeros((1, 80 * t)));
        let (mut x, mut h) = self.conv1.apply(&x, 80, t, 1);
        self.bn1.apply(&mut x, true);
        for r in &self.res {
            let (mut y, oh) = r.conv1.apply(&x, h, t, r.stride);
            r.bn1.apply(&mut y, true);
            let (mut y, _) = r.conv2.apply(&y, oh, t, 1);
            r.bn2.apply(&mut y, false);
            match &r.shortcut {
                Some((conv, bn)) => {
                    let (mut sc, _) = conv.apply(&x, h, t, r.stride);
                    bn.apply(&mut sc, false);
                    y += &sc;
                }
                None => y += &x,
            }
            y.mapv_inplace(|v| v.max(0.0));
            x = y;
            h = oh;
        }
        let (mut x, oh) = self.conv2.apply(&x, h, t, 2);
        self.bn2.apply(&mut x, true);
        let c = x.nrows();
        x.into_shape_with_order((c * oh, t))
            .unwrap_or_else(|_| Array2::zeros((c * oh, t)))
    }

    fn xvector(&self, x: Array2<f32>) -> Array2<f32> {
        let mut x = self.tdnn.apply(x.view(), 2, 2, 1);
        self.tdnn_bn.apply(&mut x, true);
        for b in &self.blocks {
            let t = x.ncols();
            let start = x.nrows();
            let mut all = Array2::<f32>::zeros((start + b.layers.len() * 32, t));
            all.slice_mut(s![..start, ..]).assign(&x);
            let mut rows = start;
            for l in &b.layers {
                let h = l.bn1.applied(all.slice(s![..rows, ..]), true);
                let mut h = l.linear1.apply(h.view(), 1, 0, 1);
                l.bn2.apply(&mut h, true);
                let y = cam(l, &h);
                all.slice_mut(s![rows..rows + y.nrows(), ..]).assign(&y);
                rows += y.nrows();
            }
            b.transit_bn.apply(&mut all, true);
            x = b.transit.apply(all.view(), 1, 0, 1);
        }
        self.out_bn.apply(&mut x, true);
        x
    }

    fn pool(&self, x: Array2<f32>) -> Array1<f32> {
        let t = x.ncols().max(2) as f32;
        let mean = x
            .mean_axis(Axis(1))
            .unwrap_or_else(|| Array1::zeros(x.nrows()));
        let std =
            x.rows().into_iter().zip(mean.iter()).map(|(r, m)| {
                (r.iter().map(|v| (v - m) * (v - m)).sum::<f32>() / (t - 1.0)).sqrt()
            });
        let stats: Array1<f32> = mean.iter().copied().chain(std).collect();
        self.embed_stats(&stats)
    }
}

/// The context-aware masking layer: a local convolution scaled by a gate computed from the
/// mean over the whole input plus the mean over its 100-frame segment.
fn cam(l: &DenseLayer, h: &Array2<f32>) -> Array2<f32> {
    let mut y = l.local.apply(h.view(), 1, l.dilation, l.dilation);
    let t = h.ncols();
    let segments = t.div_ceil(SEGMENT).max(1);
    let global = h
        .mean_axis(Axis(1))
        .unwrap_or_else(|| Array1::zeros(h.nrows()));
    let mut ctx = Array2::<f32>::zeros((h.nrows(), segments));
    for k in 0..segments {
        let part = h.slice(s![.., k * SEGMENT..((k + 1) * SEGMENT).min(t)]);
        let m = part
            .mean_axis(Axis(1))
            .unwrap_or_else(|| Array1::zeros(h.nrows()));
        ctx.column_mut(k).assign(&(&m + &global));
    }
    let mut c = l.ctx1.apply(ctx.view(), 1, 0, 1);
    c.mapv_inplace(|v| v.max(0.0));
    let mut gate = l.ctx2.apply(c.view(), 1, 0, 1);
    gate.mapv_inplace(sigmoid);
    for (i, mut col) in y.columns_mut().into_iter().enumerate() {
        col *= &gate.column(i / SEGMENT);
    }
    y
}
