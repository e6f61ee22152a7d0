//! Source element types other than float16.

use medlyt_models::{import_ct2, ModelError, Quant};

use crate::support::*;

const EMB: &str = "decoder/embeddings/weight";
const FFN: &str = "encoder/layer_0/ffn/linear_0/weight";

fn convert(vars: &std::collections::BTreeMap<String, Var>) -> Result<WhisperFile, ModelError> {
    let tmp = tempfile::tempdir().unwrap();
    write_model_dir(tmp.path(), vars);
    let out = tmp.path().join("o.bin");
    import_ct2(tmp.path(), &out, Quant::F16).map(|_| read_whisper(&out))
}

#[test]
fn float32_source_is_rounded_to_f16_and_kept_f32_for_vectors() {
    let mut vars = tiny_model();
    let values = made_up(99, N_VOCAB * D);
    vars.insert(EMB.into(), Var::f32(&[N_VOCAB, D], &values));
    let gamma = made_up(98, D);
    vars.insert("encoder/layer_norm/gamma".into(), Var::f32(&[D], &gamma));
    let file = convert(&vars).unwrap();
    let expected: Vec<f32> = values
        .iter()
        .map(|&v| half::f16::from_f32(v).to_f32())
        .collect();
    assert_eq!(
        file.tensors["decoder.token_embedding.weight"].values(),
        expected
    );
    assert_eq!(file.tensors["encoder.ln_post.weight"].values(), gamma);
}

#[test]
fn bfloat16_source_converts() {
    let mut vars = tiny_model();
    let values = made_up(7, D * 4 * D);
    let data = values
        .iter()
        .flat_map(|&v| half::bf16::from_f32(v).to_le_bytes())
        .collect();
    vars.insert(
        FFN.into(),
        Var {
            shape: vec![4 * D, D],
            dtype: 5,
            data,
        },
    );
    let file = convert(&vars).unwrap();
    let got = file.tensors["encoder.blocks.0.mlp.0.weight"].values();
    for (v, g) in values.iter().zip(&got) {
        let b = half::bf16::from_f32(*v).to_f32();
        assert_eq!(half::f16::from_f32(b).to_f32(), *g);
    }
}

#[test]
fn int8_with_row_scales_is_dequantised() {
    let mut vars = tiny_model();
    let rows = 4 * D;
    let q: Vec<i8> = (0..rows * D)
        .map(|i| ((i * 37) % 255) as i32 - 127)
        .map(|v| v as i8)
        .collect();
    let scales: Vec<f32> = (0..rows).map(|r| 100.0 + r as f32).collect();
    vars.insert(
        FFN.into(),
        Var {
            shape: vec![rows, D],
            dtype: 1,
            data: q.iter().map(|&v| v as u8).collect(),
        },
    );
    vars.insert(format!("{FFN}_scale"), Var::f32(&[rows], &scales));
    let file = convert(&vars).unwrap();
    let got = file.tensors["encoder.blocks.0.mlp.0.weight"].values();
    for r in 0..rows {
        for c in 0..D {
            let want = half::f16::from_f32(f32::from(q[r * D + c]) / scales[r]).to_f32();
            assert_eq!(got[r * D + c], want, "row {r} col {c}");
        }
    }
}

#[test]
fn int8_without_scale_and_integer_weights_are_refused() {
    let mut vars = tiny_model();
    vars.insert(
        FFN.into(),
        Var {
            shape: vec![4 * D, D],
            dtype: 1,
            data: vec![1; 4 * D * D],
        },
    );
    let err = convert(&vars).err().unwrap();
    assert!(
        matches!(&err, ModelError::UnsupportedDtype { name, .. } if name == FFN),
        "{err}"
    );

    let mut vars = tiny_model();
    vars.insert(
        FFN.into(),
        Var {
            shape: vec![4 * D, D],
            dtype: 2,
            data: vec![1; 8 * D * D],
        },
    );
    let err = convert(&vars).err().unwrap();
    assert!(
        matches!(&err, ModelError::UnsupportedDtype { dtype, .. } if dtype == "int16"),
        "{err}"
    );
}
