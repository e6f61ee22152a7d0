//! The few network operations the speaker models need, on `ndarray` matrices laid out as
//! channels x time. Products go through `ndarray`'s `dot` (matrixmultiply's sgemm, which
//! picks AVX2/FMA kernels at run time).

use medlyt_models::torch::Tensor;
use medlyt_models::{ModelError, SpeakerModel};
use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array1, Array2, ArrayView2, Axis};

/// A 1-d convolution: weights as a `[out, in * kernel]` matrix (im2col order: input channel
/// major, tap minor), with an optional bias.
pub struct Conv1d {
    w: Array2<f32>,
    bias: Option<Array1<f32>>,
    kernel: usize,
}

/// Reads tensor `name` as a matrix of `rows` rows (the rest of its dimensions flattened).
pub fn matrix(t: &Tensor, rows: usize) -> Array2<f32> {
    let cols = t.data.len() / rows.max(1);
    Array2::from_shape_vec((rows, cols), t.data.clone())
        .unwrap_or_else(|_| Array2::zeros((rows, cols)))
}

/// Reads tensor `name` as a vector.
pub fn vector(m: &SpeakerModel, name: &str) -> Result<Array1<f32>, ModelError> {
    Ok(Array1::from(m.get(name)?.data.clone()))
}

impl Conv1d {
    /// The convolution `name.weight` (and `name.bias` when `bias`).
    pub fn load(m: &SpeakerModel, name: &str, bias: bool) -> Result<Conv1d, ModelError> {
        let t = m.get(&format!("{name}.weight"))?;
        let kernel = *t.shape.last().unwrap_or(&1);
        let out = t.shape.first().copied().unwrap_or(1);
        let bias = if bias {
            Some(vector(m, &format!("{name}.bias"))?)
        } else {
            None
        };
        Ok(Conv1d {
            w: matrix(t, out),
            bias,
            kernel,
        })
    }

    /// Input channels.
    /// Convolves `x` (`[in, time]`) with zero padding `pad` on both sides.
    pub fn apply(
        &self,
        x: ArrayView2<f32>,
        stride: usize,
        pad: usize,
        dilation: usize,
    ) -> Array2<f32> {
        let (cin, t) = x.dim();
        let span = dilation * (self.kernel - 1) + 1;
        let padded = t + 2 * pad;
        let out_t = if padded >= span {
            (padded - span) / stride + 1
        } else {
            0
        };
        let mut y = if self.kernel == 1 && stride == 1 && pad == 0 {
            self.w.dot(&x)
        } else {
            let mut cols = Array2::<f32>::zeros((cin * self.kernel, out_t));
            for c in 0..cin {
                let row = x.row(c);
                let row = row.as_slice();
                for k in 0..self.kernel {
                    let mut dst = cols.row_mut(c * self.kernel + k);
                    let offset = k * dilation;
                    // Output o reads input o * stride + offset - pad.
                    let first = pad.saturating_sub(offset).div_ceil(stride);
                    let last = (t + pad).saturating_sub(offset).div_ceil(stride).min(out_t);
                    match (row, dst.as_slice_mut(), stride) {
                        (Some(src), Some(d), 1) if first < last => {
                            let from = first + offset - pad;
                            d[first..last].copy_from_slice(&src[from..from + last - first]);
                        }
                        _ => {
                            for o in first..last {
                                dst[o] = x[[c, o * stride + offset - pad]];
                            }
                        }
                    }
                }
            }
            self.w.dot(&cols)
        };
        if let Some(b) = &self.bias {
            y += &b.view().insert_axis(Axis(1));
        }
        y
    }
}

/// A 3x3 (or 1x1) 2-d convolution without bias over `[channels, height * width]` feature
/// maps, stride on the height (frequency) axis only, as in CAM++'s front end.
pub struct Conv2d {
    w: Array2<f32>,
    k: usize,
    cin: usize,
}

impl Conv2d {
    /// The convolution `name` (its `.weight`, `[out, in, k, k]`).
    pub fn load(m: &SpeakerModel, name: &str) -> Result<Conv2d, ModelError> {
        let t = m.get(&format!("{name}.weight"))?;
        let (out, cin, k) = (t.shape[0], t.shape[1], t.shape[2]);
        Ok(Conv2d {
            w: matrix(t, out),
            k,
            cin,
        })
    }

    /// Convolves `x` (`[in, h * w]`, height-major) with padding `k / 2`; returns the output
    /// and its height. The im2col matrix is made for [`ROWS_PER_TILE`] output rows at a time,
    /// so its size does not grow with the width (time): for 6 s of audio a whole one would
    /// take 55 MB.
    pub fn apply(
        &self,
        x: &Array2<f32>,
        h: usize,
        w: usize,
        stride_h: usize,
    ) -> (Array2<f32>, usize) {
        let pad = self.k / 2;
        let oh = (h + 2 * pad - self.k) / stride_h + 1;
        let mut y = Array2::<f32>::zeros((self.w.nrows(), oh * w));
        let mut from = 0;
        while from < oh {
            let to = (from + ROWS_PER_TILE).min(oh);
            let cols = self.columns(x, h, w, stride_h, from..to);
            let mut part = y.slice_mut(s![.., from * w..to * w]);
            general_mat_mul(1.0, &self.w, &cols, 0.0, &mut part);
            from = to;
        }
        (y, oh)
    }

    /// The im2col matrix of output rows `rows`: one row per input channel and tap, one
    /// column per output position.
    fn columns(
        &self,
        x: &Array2<f32>,
        h: usize,
        w: usize,
        stride_h: usize,
        rows: std::ops::Range<usize>,
    ) -> Array2<f32> {
        let pad = self.k / 2;
        let first = rows.start;
        let mut cols = Array2::<f32>::zeros((self.cin * self.k * self.k, rows.len() * w));
        for c in 0..self.cin {
            let src = x.row(c);
            let Some(src) = src.to_slice() else { continue };
            for ki in 0..self.k {
                for kj in 0..self.k {
                    let mut dst = cols.row_mut((c * self.k + ki) * self.k + kj);
                    let Some(dst) = dst.as_slice_mut() else {
                        continue;
                    };
                    let shift = kj as isize - pad as isize;
                    // Columns ox read ox + shift; those inside 0..w are copied.
                    let lo = (-shift).max(0) as usize;
                    let hi = (w as isize - shift).min(w as isize).max(0) as usize;
                    for oy in rows.clone() {
                        let iy = (oy * stride_h + ki) as isize - pad as isize;
                        if iy < 0 || iy as usize >= h || lo >= hi {
                            continue;
                        }
                        let base = (iy as usize * w) as isize + shift;
                        let from = (base + lo as isize) as usize;
                        let at = (oy - first) * w;
                        dst[at + lo..at + hi].copy_from_slice(&src[from..from + hi - lo]);
                    }
                }
            }
        }
        cols
    }
}

/// Output rows (frequency bands) of a 2-d convolution computed together.
const ROWS_PER_TILE: usize = 8;

/// Batch norm in evaluation mode, as one scale and shift per channel.
pub struct Norm {
    scale: Array1<f32>,
    shift: Array1<f32>,
}

impl Norm {
    /// The batch norm `name` (running statistics, and weight and bias when `affine`).
    pub fn load(m: &SpeakerModel, name: &str, affine: bool) -> Result<Norm, ModelError> {
        let mean = vector(m, &format!("{name}.running_mean"))?;
        let var = vector(m, &format!("{name}.running_var"))?;
        let (w, b) = if affine {
            (
                vector(m, &format!("{name}.weight"))?,
                vector(m, &format!("{name}.bias"))?,
            )
        } else {
            (Array1::ones(mean.len()), Array1::zeros(mean.len()))
        };
        let scale = &w / &var.mapv(|v| (v + 1e-5).sqrt());
        let shift = &b - &(&mean * &scale);
        Ok(Norm { scale, shift })
    }

    /// Normalises the first `rows` channels of `x` (`[channels, ..]`) in place, then applies a
    /// ReLU when `relu`.
    pub fn apply(&self, x: &mut Array2<f32>, relu: bool) {
        for (c, mut row) in x.rows_mut().into_iter().enumerate().take(self.scale.len()) {
            let (a, b) = (self.scale[c], self.shift[c]);
            if relu {
                row.mapv_inplace(|v| (v * a + b).max(0.0));
            } else {
                row.mapv_inplace(|v| v * a + b);
            }
        }
    }

    /// [`Norm::apply`] into a new matrix holding the first `rows` channels of `x`.
    pub fn applied(&self, x: ArrayView2<f32>, relu: bool) -> Array2<f32> {
        let mut y = x.slice(s![..self.scale.len(), ..]).to_owned();
        self.apply(&mut y, relu);
        y
    }
}

/// Logistic sigmoid.
pub fn sigmoid(v: f32) -> f32 {
    1.0 / (1.0 + (-v).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The convolution computed directly, one output at a time.
    fn direct(c: &Conv2d, x: &Array2<f32>, h: usize, w: usize, stride: usize) -> Array2<f32> {
        let (k, pad) = (c.k, (c.k / 2) as isize);
        let oh = (h + 2 * (c.k / 2) - k) / stride + 1;
        let mut y = Array2::<f32>::zeros((c.w.nrows(), oh * w));
        for o in 0..c.w.nrows() {
            for oy in 0..oh {
                for ox in 0..w {
                    let mut sum = 0.0;
                    for i in 0..c.cin {
                        for ki in 0..k {
                            for kj in 0..k {
                                let iy = (oy * stride + ki) as isize - pad;
                                let ix = ox as isize + kj as isize - pad;
                                if iy < 0 || ix < 0 || iy >= h as isize || ix >= w as isize {
                                    continue;
                                }
                                let v = x[[i, iy as usize * w + ix as usize]];
                                sum += c.w[[o, (i * k + ki) * k + kj]] * v;
                            }
                        }
                    }
                    y[[o, oy * w + ox]] = sum;
                }
            }
        }
        y
    }

    #[test]
    fn a_tiled_2d_convolution_equals_the_direct_one() {
        let (cin, out, k, h, w) = (3, 4, 3, 21, 7);
        let c = Conv2d {
            w: Array2::from_shape_fn((out, cin * k * k), |(a, b)| {
                ((a * 31 + b * 17) % 11) as f32 - 5.0
            }),
            k,
            cin,
        };
        let x = Array2::from_shape_fn((cin, h * w), |(a, b)| ((a * 7 + b * 13) % 9) as f32 - 4.0);
        for stride in [1, 2] {
            let (y, oh) = c.apply(&x, h, w, stride);
            assert!(oh > ROWS_PER_TILE, "more than one tile");
            let want = direct(&c, &x, h, w, stride);
            assert_eq!(y.dim(), want.dim());
            let worst = (&y - &want).iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!(worst < 1e-3, "stride {stride}: off by {worst}");
        }
    }
}
