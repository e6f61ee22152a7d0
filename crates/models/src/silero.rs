//! Silero VAD safetensors to whisper.cpp's ggml VAD format.

use std::path::Path;

use crate::ggml::{encode, AtomicWriter, GgmlType, GGML_MAGIC};
use crate::safetensors::Safetensors;
use crate::ModelError;

/// Model type string whisper.cpp expects at the start of a VAD file.
pub const SILERO_TYPE: &str = "silero-16k";
/// Version triple written to the header (that of whisper.cpp's reference conversion).
pub const SILERO_VERSION: (i32, i32, i32) = (6, 2, 0);
/// Samples per VAD window at 16 kHz.
const N_WINDOW: i32 = 512;
/// Context samples carried between windows.
const N_CONTEXT: i32 = 64;

/// What [`import_silero`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VadImportSummary {
    /// Tensors written (15 for Silero v6).
    pub n_tensors: usize,
    /// Encoder conv layers.
    pub encoder_layers: usize,
    /// LSTM hidden size.
    pub lstm_hidden: usize,
    /// Output file size in bytes.
    pub bytes: u64,
    /// SHA-256 of the output file, lowercase hex.
    pub sha256: String,
}

fn expect_shape(name: &str, actual: &[usize], expected: &[usize]) -> Result<(), ModelError> {
    if actual != expected {
        return Err(ModelError::BadShape {
            name: name.to_string(),
            expected: expected.to_vec(),
            actual: actual.to_vec(),
        });
    }
    Ok(())
}

/// Converts Silero VAD's `silero_vad_16k.safetensors` into the ggml VAD file whisper.cpp
/// loads with `whisper_vad_init_from_file_with_params`, written atomically to `out`.
pub fn import_silero(safetensors: &Path, out: &Path) -> Result<VadImportSummary, ModelError> {
    let mut st = Safetensors::open(safetensors)?;
    let as_i32 = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);

    let mut layers = Vec::new();
    let mut prev_out = None;
    for i in 1..=4 {
        let name = format!("conv{i}.weight");
        let shape = st.shape(&name)?.to_vec();
        let [c_out, c_in, k] = shape.as_slice() else {
            return Err(ModelError::BadShape {
                name,
                expected: vec![0, 0, 0],
                actual: shape.clone(),
            });
        };
        if prev_out.is_some_and(|p| p != *c_in) {
            return Err(Safetensors::bad(
                safetensors,
                format!("{name} does not follow the previous layer"),
            ));
        }
        prev_out = Some(*c_out);
        layers.push((*c_in, *c_out, *k));
    }
    let ih = st.shape("lstm_cell.weight_ih")?.to_vec();
    let [gates, lstm_in] = ih.as_slice() else {
        return Err(ModelError::BadShape {
            name: "lstm_cell.weight_ih".to_string(),
            expected: vec![512, 128],
            actual: ih.clone(),
        });
    };
    let (gates, lstm_in) = (*gates, *lstm_in);
    let hidden = gates / 4;
    expect_shape("lstm_cell.weight_ih", &ih, &[4 * hidden, lstm_in])?;
    expect_shape(
        "lstm_cell.weight_hh",
        st.shape("lstm_cell.weight_hh")?,
        &[gates, hidden],
    )?;
    // whisper.cpp stores both LSTM weights with ne0 = hidden size.
    expect_shape("lstm_cell.weight_ih", &ih, &[gates, hidden])?;
    expect_shape(
        "stft_conv.weight",
        st.shape("stft_conv.weight")?,
        &[258, 1, 256],
    )?;
    expect_shape(
        "final_conv.weight",
        st.shape("final_conv.weight")?,
        &[1, hidden, 1],
    )?;

    let mut w = AtomicWriter::create(out)?;
    w.u32(GGML_MAGIC)?;
    w.i32(as_i32(SILERO_TYPE.len()))?;
    w.bytes(SILERO_TYPE.as_bytes())?;
    for v in [
        SILERO_VERSION.0,
        SILERO_VERSION.1,
        SILERO_VERSION.2,
        N_WINDOW,
        N_CONTEXT,
    ] {
        w.i32(v)?;
    }
    w.i32(as_i32(layers.len()))?;
    for &(c_in, c_out, k) in &layers {
        for v in [c_in, c_out, k] {
            w.i32(as_i32(v))?;
        }
    }
    for v in [lstm_in, hidden, hidden, 1] {
        w.i32(as_i32(v))?;
    }

    // (source, ggml name, output numpy shape, type)
    let mut plan: Vec<(String, String, Vec<usize>, GgmlType)> = vec![(
        "stft_conv.weight".into(),
        "_model.stft.forward_basis_buffer".into(),
        vec![258, 1, 256],
        GgmlType::F16,
    )];
    for (i, &(c_in, c_out, k)) in layers.iter().enumerate() {
        let (src, dst) = (
            format!("conv{}", i + 1),
            format!("_model.encoder.{i}.reparam_conv"),
        );
        plan.push((
            format!("{src}.weight"),
            format!("{dst}.weight"),
            vec![c_out, c_in, k],
            GgmlType::F16,
        ));
        plan.push((
            format!("{src}.bias"),
            format!("{dst}.bias"),
            vec![c_out],
            GgmlType::F32,
        ));
    }
    for part in ["weight_ih", "bias_ih", "weight_hh", "bias_hh"] {
        let shape = st.shape(&format!("lstm_cell.{part}"))?.to_vec();
        plan.push((
            format!("lstm_cell.{part}"),
            format!("_model.decoder.rnn.{part}"),
            shape,
            GgmlType::F32,
        ));
    }
    plan.push((
        "final_conv.weight".into(),
        "_model.decoder.decoder.2.weight".into(),
        vec![1, hidden],
        GgmlType::F16,
    ));
    plan.push((
        "final_conv.bias".into(),
        "_model.decoder.decoder.2.bias".into(),
        vec![1],
        GgmlType::F32,
    ));

    for (src, dst, shape, ty) in &plan {
        let values = st.read_f32(src)?;
        if values.len() != shape.iter().product::<usize>() {
            return Err(ModelError::BadShape {
                name: src.clone(),
                expected: shape.clone(),
                actual: st.shape(src)?.to_vec(),
            });
        }
        let bad = values.iter().filter(|v| !v.is_finite()).count();
        if bad > 0 {
            return Err(Safetensors::bad(
                safetensors,
                format!(
                    "tensor {src} holds {bad} weights that are not numbers (NaN or infinite); \
                     the file is corrupt"
                ),
            ));
        }
        let data = encode(&values, *ty).unwrap_or_default();
        w.tensor(dst, shape, *ty, &data)?;
    }
    let (bytes, sha256) = w.finish()?;
    Ok(VadImportSummary {
        n_tensors: plan.len(),
        encoder_layers: layers.len(),
        lstm_hidden: hidden,
        bytes,
        sha256,
    })
}
