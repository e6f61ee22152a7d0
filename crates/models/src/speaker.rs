//! Neural speaker models for mono diarization: import from PyTorch checkpoints into
//! medlyt's own files, and loading those files.
//!
//! Two models are known, told apart by their tensor names:
//!
//! - **CAM++** (3D-Speaker; `campplus_cn_en_common.pt`): speaker embeddings, 192-d;
//! - **pyannote segmentation-3.0** (`pytorch_model.bin`, a Lightning checkpoint): who of up
//!   to three local speakers is active in each 17 ms frame of a 10 s chunk.
//!
//! The output is a safetensors file (a u64 header length, a JSON header, little-endian f32
//! data) whose `__metadata__` says `"format": "medlyt-speaker"` and the `kind`. The
//! segmentation model's SincNet filters are computed here from their learnt cut-off
//! frequencies (as asteroid's `ParamSincFB` does), so the run-time code only convolves.
//! Every value must be finite and every tensor the network needs present with its shape;
//! [`load_speaker_model`] checks the same on the way in.

use crate::ggml::AtomicWriter;
use crate::torch::{read_state_dict, Tensor};
use crate::ModelError;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

/// The format name in a speaker file's metadata.
pub const SPEAKER_FORMAT: &str = "medlyt-speaker";
/// Largest speaker model file accepted.
const MAX_FILE: u64 = 256 << 20;
/// Largest JSON header accepted.
const MAX_HEADER: u64 = 4 << 20;

/// Which network a speaker file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerKind {
    /// CAM++ speaker embeddings.
    Campplus,
    /// pyannote segmentation-3.0 (powerset, up to 3 local speakers).
    Segmentation,
}

impl SpeakerKind {
    /// The name in the file's metadata.
    pub fn name(self) -> &'static str {
        match self {
            SpeakerKind::Campplus => "campplus",
            SpeakerKind::Segmentation => "segmentation",
        }
    }

    fn from_name(s: &str) -> Option<SpeakerKind> {
        match s {
            "campplus" => Some(SpeakerKind::Campplus),
            "segmentation" => Some(SpeakerKind::Segmentation),
            _ => None,
        }
    }
}

/// A loaded speaker model: its kind and its tensors by name.
#[derive(Debug, Clone)]
pub struct SpeakerModel {
    /// Which network.
    pub kind: SpeakerKind,
    /// The tensors.
    pub tensors: HashMap<String, Tensor>,
}

impl SpeakerModel {
    /// The tensor `name`, or an error naming it.
    pub fn get(&self, name: &str) -> Result<&Tensor, ModelError> {
        self.tensors
            .get(name)
            .ok_or_else(|| ModelError::MissingTensor {
                name: name.to_string(),
            })
    }
}

/// What [`import_speaker`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerImportSummary {
    /// The network.
    pub kind: SpeakerKind,
    /// Tensors written.
    pub n_tensors: usize,
    /// Parameters written.
    pub parameters: usize,
    /// File size in bytes.
    pub bytes: u64,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
}

/// Converts a PyTorch checkpoint of CAM++ or of pyannote segmentation-3.0 into a medlyt
/// speaker file at `out` (written to a temporary file and renamed into place).
pub fn import_speaker(src: &Path, out: &Path) -> Result<SpeakerImportSummary, ModelError> {
    let mut tensors = read_state_dict(src)?;
    let kind = detect(&tensors).ok_or_else(|| ModelError::BadSpeakerModel {
        path: src.to_path_buf(),
        reason: "neither a CAM++ nor a pyannote segmentation checkpoint".into(),
    })?;
    if kind == SpeakerKind::Segmentation {
        let filters = sinc_filters(&tensors)?;
        tensors.retain(|k, _| !k.starts_with("sincnet.conv1d.0.filterbank"));
        tensors.insert("sincnet.filters".into(), filters);
    }
    check_tensors(src, kind, &tensors)?;
    write(out, kind, &tensors)
}

fn detect(t: &HashMap<String, Tensor>) -> Option<SpeakerKind> {
    if t.contains_key("xvector.dense.linear.weight") && t.contains_key("head.conv1.weight") {
        Some(SpeakerKind::Campplus)
    } else if t.contains_key("sincnet.conv1d.0.filterbank.low_hz_")
        || t.contains_key("sincnet.filters")
    {
        Some(SpeakerKind::Segmentation)
    } else {
        None
    }
}

/// Every tensor the run-time code reads, with its shape.
fn required(kind: SpeakerKind) -> Vec<(String, Vec<usize>)> {
    match kind {
        SpeakerKind::Campplus => campplus_shapes(),
        SpeakerKind::Segmentation => segmentation_shapes(),
    }
}

/// A batch norm's four tensors (two without the affine part).
fn norm_shapes(out: &mut Vec<(String, Vec<usize>)>, name: &str, c: usize, affine: bool) {
    let parts: &[&str] = if affine {
        &["weight", "bias", "running_mean", "running_var"]
    } else {
        &["running_mean", "running_var"]
    };
    out.extend(parts.iter().map(|p| (format!("{name}.{p}"), vec![c])));
}

fn campplus_shapes() -> Vec<(String, Vec<usize>)> {
    let mut v = vec![("head.conv1.weight".to_string(), vec![32, 1, 3, 3])];
    norm_shapes(&mut v, "head.bn1", 32, true);
    for layer in 1..=2 {
        for i in 0..2 {
            let p = format!("head.layer{layer}.{i}");
            for conv in ["conv1", "conv2"] {
                v.push((format!("{p}.{conv}.weight"), vec![32, 32, 3, 3]));
            }
            norm_shapes(&mut v, &format!("{p}.bn1"), 32, true);
            norm_shapes(&mut v, &format!("{p}.bn2"), 32, true);
            if i == 0 {
                v.push((format!("{p}.shortcut.0.weight"), vec![32, 32, 1, 1]));
                norm_shapes(&mut v, &format!("{p}.shortcut.1"), 32, true);
            }
        }
    }
    v.push(("head.conv2.weight".into(), vec![32, 32, 3, 3]));
    norm_shapes(&mut v, "head.bn2", 32, true);
    v.push(("xvector.tdnn.linear.weight".into(), vec![128, 320, 5]));
    norm_shapes(&mut v, "xvector.tdnn.nonlinear.batchnorm", 128, true);
    let mut channels = 128;
    for (b, layers) in [12, 24, 16].into_iter().enumerate() {
        for i in 0..layers {
            let p = format!("xvector.block{}.tdnnd{}", b + 1, i + 1);
            let c = channels + 32 * i;
            norm_shapes(&mut v, &format!("{p}.nonlinear1.batchnorm"), c, true);
            v.push((format!("{p}.linear1.weight"), vec![128, c, 1]));
            norm_shapes(&mut v, &format!("{p}.nonlinear2.batchnorm"), 128, true);
            v.push((
                format!("{p}.cam_layer.linear_local.weight"),
                vec![32, 128, 3],
            ));
            v.push((format!("{p}.cam_layer.linear1.weight"), vec![64, 128, 1]));
            v.push((format!("{p}.cam_layer.linear1.bias"), vec![64]));
            v.push((format!("{p}.cam_layer.linear2.weight"), vec![32, 64, 1]));
            v.push((format!("{p}.cam_layer.linear2.bias"), vec![32]));
        }
        channels += 32 * layers;
        let p = format!("xvector.transit{}", b + 1);
        norm_shapes(&mut v, &format!("{p}.nonlinear.batchnorm"), channels, true);
        v.push((
            format!("{p}.linear.weight"),
            vec![channels / 2, channels, 1],
        ));
        channels /= 2;
    }
    norm_shapes(&mut v, "xvector.out_nonlinear.batchnorm", 512, true);
    v.push(("xvector.dense.linear.weight".into(), vec![192, 1024, 1]));
    norm_shapes(&mut v, "xvector.dense.nonlinear.batchnorm", 192, false);
    v
}

fn segmentation_shapes() -> Vec<(String, Vec<usize>)> {
    let mut v: Vec<(String, Vec<usize>)> = [
        ("sincnet.wav_norm1d.weight", vec![1]),
        ("sincnet.wav_norm1d.bias", vec![1]),
        ("sincnet.filters", vec![80, 251]),
        ("sincnet.conv1d.1.weight", vec![60, 80, 5]),
        ("sincnet.conv1d.1.bias", vec![60]),
        ("sincnet.conv1d.2.weight", vec![60, 60, 5]),
        ("sincnet.conv1d.2.bias", vec![60]),
        ("sincnet.norm1d.0.weight", vec![80]),
        ("sincnet.norm1d.0.bias", vec![80]),
        ("linear.0.weight", vec![128, 256]),
        ("linear.0.bias", vec![128]),
        ("linear.1.weight", vec![128, 128]),
        ("linear.1.bias", vec![128]),
        ("classifier.weight", vec![7, 128]),
        ("classifier.bias", vec![7]),
    ]
    .into_iter()
    .map(|(n, s)| (n.to_string(), s))
    .collect();
    for n in 1..=2 {
        for part in ["weight", "bias"] {
            v.push((format!("sincnet.norm1d.{n}.{part}"), vec![60]));
        }
    }
    for layer in 0..4 {
        let input = if layer == 0 { 60 } else { 256 };
        for dir in ["", "_reverse"] {
            v.push((format!("lstm.weight_ih_l{layer}{dir}"), vec![512, input]));
            v.push((format!("lstm.weight_hh_l{layer}{dir}"), vec![512, 128]));
            v.push((format!("lstm.bias_ih_l{layer}{dir}"), vec![512]));
            v.push((format!("lstm.bias_hh_l{layer}{dir}"), vec![512]));
        }
    }
    v
}

fn check_tensors(
    path: &Path,
    kind: SpeakerKind,
    t: &HashMap<String, Tensor>,
) -> Result<(), ModelError> {
    for (name, shape) in required(kind) {
        let have = t
            .get(&name)
            .ok_or_else(|| ModelError::MissingTensor { name: name.clone() })?;
        if have.shape != shape {
            return Err(ModelError::BadShape {
                name,
                expected: shape,
                actual: have.shape.clone(),
            });
        }
    }
    for (name, v) in t {
        if v.data.len() != v.shape.iter().product::<usize>() {
            return Err(bad(
                path,
                format!("tensor {name} has the wrong number of values"),
            ));
        }
        if let Some(x) = v.data.iter().find(|x| !x.is_finite()) {
            return Err(bad(
                path,
                format!("tensor {name} holds a non-finite value ({x})"),
            ));
        }
    }
    Ok(())
}

fn bad(path: &Path, reason: String) -> ModelError {
    ModelError::BadSpeakerModel {
        path: path.to_path_buf(),
        reason,
    }
}

/// asteroid's `ParamSincFB` filters: 40 band-passes from learnt low cut-off and band width
/// (at least 50 Hz each), as cosine (even) and sine (odd) halves: 80 filters of 251 taps.
fn sinc_filters(t: &HashMap<String, Tensor>) -> Result<Tensor, ModelError> {
    let get = |n: &str| {
        t.get(n)
            .ok_or_else(|| ModelError::MissingTensor { name: n.into() })
    };
    let low_hz = &get("sincnet.conv1d.0.filterbank.low_hz_")?.data;
    let band_hz = &get("sincnet.conv1d.0.filterbank.band_hz_")?.data;
    let window = &get("sincnet.conv1d.0.filterbank.window_")?.data;
    let n = &get("sincnet.conv1d.0.filterbank.n_")?.data;
    let half = window.len();
    if low_hz.len() != band_hz.len() || n.len() != half {
        return Err(ModelError::BadShape {
            name: "sincnet.conv1d.0.filterbank".into(),
            expected: vec![low_hz.len(), half],
            actual: vec![band_hz.len(), n.len()],
        });
    }
    let taps = 2 * half + 1;
    let bands = low_hz.len();
    let mut data = vec![0f32; 2 * bands * taps];
    for b in 0..bands {
        let low = 50.0 + (low_hz[b] as f64).abs();
        let high = (low + 50.0 + (band_hz[b] as f64).abs()).clamp(50.0, 8000.0);
        let band = high - low;
        let (cos_row, sin_row) = data.split_at_mut(bands * taps);
        let cos_row = &mut cos_row[b * taps..(b + 1) * taps];
        let sin_row = &mut sin_row[b * taps..(b + 1) * taps];
        for i in 0..half {
            let ni = n[i] as f64;
            let w = window[i] as f64;
            let c = (((high * ni).sin() - (low * ni).sin()) / (ni / 2.0)) * w / (2.0 * band);
            let s = (((low * ni).cos() - (high * ni).cos()) / (ni / 2.0)) * w / (2.0 * band);
            cos_row[i] = c as f32;
            cos_row[taps - 1 - i] = c as f32;
            sin_row[i] = s as f32;
            sin_row[taps - 1 - i] = -s as f32;
        }
        cos_row[half] = 1.0;
        sin_row[half] = 0.0;
    }
    Ok(Tensor {
        shape: vec![2 * bands, taps],
        data,
    })
}

fn write(
    out: &Path,
    kind: SpeakerKind,
    t: &HashMap<String, Tensor>,
) -> Result<SpeakerImportSummary, ModelError> {
    let sorted: BTreeMap<&String, &Tensor> = t.iter().collect();
    let mut header = serde_json::Map::new();
    header.insert(
        "__metadata__".into(),
        serde_json::json!({ "format": SPEAKER_FORMAT, "kind": kind.name(), "version": "1" }),
    );
    let mut offset = 0usize;
    for (name, v) in &sorted {
        let end = offset + v.data.len() * 4;
        header.insert(
            (*name).clone(),
            serde_json::json!({ "dtype": "F32", "shape": v.shape, "data_offsets": [offset, end] }),
        );
        offset = end;
    }
    let mut text = serde_json::Value::Object(header).to_string().into_bytes();
    while !text.len().is_multiple_of(8) {
        text.push(b' ');
    }
    let mut w = AtomicWriter::create(out)?;
    w.bytes(&(text.len() as u64).to_le_bytes())?;
    w.bytes(&text)?;
    for v in sorted.values() {
        let bytes: Vec<u8> = v.data.iter().flat_map(|x| x.to_le_bytes()).collect();
        w.bytes(&bytes)?;
    }
    let (bytes, sha256) = w.finish()?;
    Ok(SpeakerImportSummary {
        kind,
        n_tensors: sorted.len(),
        parameters: sorted.values().map(|v| v.data.len()).sum(),
        bytes,
        sha256,
    })
}

#[derive(serde::Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: [usize; 2],
}

/// Reads a medlyt speaker file, checking its format, kind, shapes and values.
pub fn load_speaker_model(path: &Path) -> Result<SpeakerModel, ModelError> {
    let meta = std::fs::metadata(path).map_err(|e| ModelError::io(path, e))?;
    if !meta.is_file() {
        return Err(bad(path, "not a regular file".into()));
    }
    if meta.len() > MAX_FILE {
        return Err(bad(
            path,
            format!(
                "{} bytes is more than the {MAX_FILE}-byte limit",
                meta.len()
            ),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE).read_to_end(&mut bytes))
        .map_err(|e| ModelError::io(path, e))?;
    let (kind, tensors) = parse(&bytes).map_err(|r| bad(path, r))?;
    check_tensors(path, kind, &tensors)?;
    Ok(SpeakerModel { kind, tensors })
}

fn parse(bytes: &[u8]) -> Result<(SpeakerKind, HashMap<String, Tensor>), String> {
    let len = bytes.get(..8).ok_or("shorter than a safetensors header")?;
    let len = u64::from_le_bytes(len.try_into().map_err(|_| "short header")?);
    if len > MAX_HEADER || 8 + len > bytes.len() as u64 {
        return Err(format!("header length {len} does not fit the file"));
    }
    let data = &bytes[8 + len as usize..];
    let mut header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..8 + len as usize]).map_err(|e| format!("header: {e}"))?;
    let meta = header
        .remove("__metadata__")
        .ok_or("no metadata: not a medlyt speaker file")?;
    if meta.get("format").and_then(|v| v.as_str()) != Some(SPEAKER_FORMAT) {
        return Err("not a medlyt speaker file (format)".into());
    }
    let kind = meta
        .get("kind")
        .and_then(|v| v.as_str())
        .and_then(SpeakerKind::from_name)
        .ok_or("unknown speaker model kind")?;
    let mut tensors = HashMap::new();
    for (name, v) in header {
        let e: Entry = serde_json::from_value(v).map_err(|e| format!("{name}: {e}"))?;
        let [a, b] = e.data_offsets;
        let n = e
            .shape
            .iter()
            .try_fold(1usize, |acc, &d| acc.checked_mul(d))
            .ok_or("shape overflow")?;
        if e.dtype != "F32" || b < a || b - a != n * 4 || b > data.len() {
            return Err(format!("tensor {name}: bad dtype or byte range"));
        }
        let values = data[a..b]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        tensors.insert(
            name,
            Tensor {
                shape: e.shape,
                data: values,
            },
        );
    }
    Ok((kind, tensors))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Every tensor a segmentation file needs, all zeros.
    fn zero_segmentation() -> HashMap<String, Tensor> {
        required(SpeakerKind::Segmentation)
            .into_iter()
            .map(|(n, shape)| {
                let len = shape.iter().product();
                (
                    n,
                    Tensor {
                        shape,
                        data: vec![0.0; len],
                    },
                )
            })
            .collect()
    }

    /// A segmentation file with every required tensor (zeros), plus `extra`.
    fn file_with(dir: &Path, extra: Option<(&str, Tensor)>) -> std::path::PathBuf {
        let mut t = zero_segmentation();
        if let Some((n, v)) = extra {
            t.insert(n.to_string(), v);
        }
        let out = dir.join("seg.safetensors");
        write(&out, SpeakerKind::Segmentation, &t).unwrap();
        out
    }

    #[test]
    fn a_written_file_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_with(
            dir.path(),
            Some((
                "x",
                Tensor {
                    shape: vec![2],
                    data: vec![1.5, -2.0],
                },
            )),
        );
        let m = load_speaker_model(&path).unwrap();
        assert_eq!(m.kind, SpeakerKind::Segmentation);
        assert_eq!(m.get("x").unwrap().data, vec![1.5, -2.0]);
    }

    #[test]
    fn non_finite_weights_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let t = HashMap::from([(
            "y".to_string(),
            Tensor {
                shape: vec![1],
                data: vec![f32::NAN],
            },
        )]);
        assert!(check_tensors(dir.path(), SpeakerKind::Campplus, &t).is_err());
        let mut all = zero_segmentation();
        all.get_mut("classifier.bias").unwrap().data[3] = f32::INFINITY;
        let err = check_tensors(dir.path(), SpeakerKind::Segmentation, &all).unwrap_err();
        assert!(err.to_string().contains("non-finite"), "{err}");
    }

    #[test]
    fn a_tensor_of_the_wrong_shape_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = zero_segmentation();
        t.insert(
            "lstm.weight_ih_l2".into(),
            Tensor {
                shape: vec![512, 60],
                data: vec![0.0; 512 * 60],
            },
        );
        let err = check_tensors(dir.path(), SpeakerKind::Segmentation, &t).unwrap_err();
        assert!(err.to_string().contains("lstm.weight_ih_l2"), "{err}");
        t.remove("lstm.weight_ih_l2");
        assert!(check_tensors(dir.path(), SpeakerKind::Segmentation, &t).is_err());
    }

    #[test]
    fn truncated_or_foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_with(dir.path(), None);
        let bytes = std::fs::read(&path).unwrap();
        for cut in [0, 4, 100, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let err = load_speaker_model(&path).unwrap_err();
            assert!(
                err.to_string().contains("not a usable speaker model"),
                "cut {cut}: {err}"
            );
        }
        let other = dir.path().join("other.bin");
        std::fs::write(&other, b"not a model at all, just text").unwrap();
        assert!(load_speaker_model(&other).is_err());
        assert!(import_speaker(&other, &dir.path().join("o.safetensors")).is_err());
        assert!(
            load_speaker_model(dir.path()).is_err(),
            "a folder is not a model"
        );
    }

    #[test]
    fn sinc_filters_are_symmetric_band_passes() {
        let t: HashMap<String, Tensor> = [
            (
                "sincnet.conv1d.0.filterbank.low_hz_",
                vec![100.0f32, 1000.0],
            ),
            ("sincnet.conv1d.0.filterbank.band_hz_", vec![200.0, 500.0]),
        ]
        .into_iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                Tensor {
                    shape: vec![v.len(), 1],
                    data: v,
                },
            )
        })
        .chain([
            (
                "sincnet.conv1d.0.filterbank.window_".to_string(),
                Tensor {
                    shape: vec![125],
                    data: vec![1.0; 125],
                },
            ),
            (
                "sincnet.conv1d.0.filterbank.n_".to_string(),
                Tensor {
                    shape: vec![1, 125],
                    data: (0..125)
                        .map(|i| (i as f32 - 125.0) / 16000.0 * std::f32::consts::TAU)
                        .collect(),
                },
            ),
        ])
        .collect();
        let f = sinc_filters(&t).unwrap();
        assert_eq!(f.shape, vec![4, 251]);
        let row = |r: usize| &f.data[r * 251..(r + 1) * 251];
        for i in 0..125 {
            assert_eq!(row(0)[i], row(0)[250 - i], "cosine filters are even");
            assert_eq!(row(2)[i], -row(2)[250 - i], "sine filters are odd");
        }
        assert_eq!(row(0)[125], 1.0);
    }
}
