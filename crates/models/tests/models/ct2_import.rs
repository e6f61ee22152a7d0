//! Converting a synthetic CTranslate2 model and reading the result back.

use medlyt_models::{import_ct2, inspect, ModelError, ModelKind, Quant};

use crate::support::*;

/// Tensors of a 1+1-layer model: 7 encoder-level + 15 per encoder block,
/// 4 decoder-level + 24 per decoder block.
const EXPECTED_TENSORS: usize = 7 + 15 + 4 + 24;

/// q8_0 error bound: half a quantisation step (max|block| / 127 / 2), plus f16 rounding of
/// the scale (relative 2^-11 of each value); one full step covers both.
fn q8_step(block: &[f32]) -> f32 {
    block.iter().fold(0.0f32, |m, x| m.max(x.abs())) / 127.0
}

fn convert(quant: Quant) -> (tempfile::TempDir, WhisperFile, medlyt_models::ImportSummary) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ct2");
    write_model_dir(&dir, &tiny_model());
    let out = tmp.path().join("out.bin");
    let summary = import_ct2(&dir, &out, quant).unwrap();
    let file = read_whisper(&out);
    (tmp, file, summary)
}

#[test]
fn header_and_summary_follow_the_shapes() {
    let (tmp, file, s) = convert(Quant::F16);
    let d = D as i32;
    let expected = [
        N_VOCAB as i32,
        AUDIO_CTX as i32,
        d,
        2,
        1,
        TEXT_CTX as i32,
        d,
        2,
        1,
        N_MELS as i32,
        1,
    ];
    assert_eq!(file.header, expected);
    assert_eq!(file.mel_dims, (N_MELS as i32, 201));
    assert_eq!(s.n_tensors, EXPECTED_TENSORS);
    assert_eq!(file.tensors.len(), EXPECTED_TENSORS);
    assert_eq!(
        (s.n_vocab, s.n_mels, s.layers, s.ftype),
        (N_VOCAB, N_MELS, (1, 1), 1)
    );
    assert!(!s.multilingual);
    let out = tmp.path().join("out.bin");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(s.bytes, bytes.len() as u64);
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(s.sha256, hex);

    let info = inspect(&out).unwrap();
    assert_eq!(info.kind, ModelKind::Whisper);
    assert!(info.is_complete(), "{:?}", info.problems);
    assert_eq!(info.tensors.len(), EXPECTED_TENSORS);
    assert_eq!((info.layers, info.n_mels, info.width), ((1, 1), N_MELS, D));
    assert_eq!(info.stored_tokens, TOKENS.len());
}

#[test]
fn fused_attention_is_split_into_query_key_value() {
    let (_tmp, file, _) = convert(Quant::F16);
    let src = tiny_model();
    let w = src["encoder/layer_0/self_attention/linear_0/weight"].values();
    let b = src["encoder/layer_0/self_attention/linear_0/bias"].values();
    let t = |n: &str| &file.tensors[n];
    for (i, part) in ["query", "key", "value"].iter().enumerate() {
        let tw = t(&format!("encoder.blocks.0.attn.{part}.weight"));
        assert_eq!(tw.ne, vec![D, D]);
        assert_eq!(tw.ty, 1);
        assert_eq!(tw.values(), w[i * D * D..(i + 1) * D * D], "{part}");
    }
    assert_eq!(t("encoder.blocks.0.attn.query.bias").values(), b[..D]);
    assert_eq!(t("encoder.blocks.0.attn.value.bias").values(), b[2 * D..]);
    assert!(!file.tensors.contains_key("encoder.blocks.0.attn.key.bias"));

    let kv = src["decoder/layer_0/attention/linear_1/weight"].values();
    assert_eq!(
        t("decoder.blocks.0.cross_attn.key.weight").values(),
        kv[..D * D]
    );
    assert_eq!(
        t("decoder.blocks.0.cross_attn.value.weight").values(),
        kv[D * D..]
    );
    let q = src["decoder/layer_0/attention/linear_0/weight"].values();
    assert_eq!(t("decoder.blocks.0.cross_attn.query.weight").values(), q);
    assert!(!file
        .tensors
        .contains_key("decoder.blocks.0.cross_attn.key.bias"));
}

#[test]
fn layouts_and_types_follow_the_doc() {
    let (_tmp, file, _) = convert(Quant::F16);
    let src = tiny_model();
    let t = |n: &str| &file.tensors[n];
    // Conv bias is 2-D (d, 1), so ne = [1, d]; conv weights stay f16 in (k, in, out) order.
    assert_eq!(t("encoder.conv1.bias").ne, vec![1, D]);
    assert_eq!(t("encoder.conv1.bias").ty, 0);
    assert_eq!(t("encoder.conv1.weight").ne, vec![3, N_MELS, D]);
    assert_eq!(
        t("encoder.conv1.weight").values(),
        src["encoder/conv1/weight"].values()
    );
    assert_eq!(t("encoder.positional_embedding").ty, 0);
    assert_eq!(t("encoder.positional_embedding").ne, vec![D, AUDIO_CTX]);
    assert_eq!(t("decoder.positional_embedding").ne, vec![D, TEXT_CTX]);
    assert_eq!(t("decoder.token_embedding.weight").ne, vec![D, N_VOCAB]);
    assert_eq!(
        t("encoder.ln_post.weight").values(),
        src["encoder/layer_norm/gamma"].values()
    );
    assert_eq!(
        t("decoder.ln.bias").values(),
        src["decoder/layer_norm/beta"].values()
    );
    assert_eq!(
        t("decoder.blocks.0.cross_attn_ln.weight").values(),
        src["decoder/layer_0/attention/layer_norm/gamma"].values()
    );
    assert_eq!(t("encoder.blocks.0.mlp.0.weight").ne, vec![D, 4 * D]);
    assert_eq!(t("encoder.blocks.0.mlp.2.weight").ne, vec![4 * D, D]);
    assert_eq!(
        t("decoder.blocks.0.mlp.2.bias").values(),
        src["decoder/layer_0/ffn/linear_1/bias"].values()
    );
    for (name, tensor) in &file.tensors {
        let conv = name.ends_with("conv1.weight") || name.ends_with("conv2.weight");
        let matrix = tensor.ne.len() == 2 && tensor.ne[0] > 1 && !name.contains("positional");
        let expected = if conv || matrix { 1 } else { 0 };
        assert_eq!(tensor.ty, expected, "{name}");
    }
}

#[test]
fn q8_0_matrices_stay_within_one_step() {
    let (_tmp, q8, s) = convert(Quant::Q8_0);
    let (_tmp2, f16, _) = convert(Quant::F16);
    assert_eq!(q8.header[10], 7);
    assert_eq!(s.ftype, 7);
    let mut n_q8 = 0;
    for (name, t) in &q8.tensors {
        let reference = f16.tensors[name].values();
        if t.ty != 8 {
            assert_eq!(t.raw, f16.tensors[name].raw, "{name} must not change");
            continue;
        }
        n_q8 += 1;
        let got = t.values();
        for (blk_ref, blk_got) in reference.chunks(32).zip(got.chunks(32)) {
            let step = q8_step(blk_ref);
            for (r, g) in blk_ref.iter().zip(blk_got) {
                assert!((r - g).abs() <= step, "{name}: {r} vs {g}, step {step}");
            }
        }
    }
    // Every linear weight and the token embedding: encoder 4 attention + 2 mlp,
    // decoder 8 attention + 2 mlp, plus the embedding.
    assert_eq!(n_q8, 6 + 10 + 1);
}

#[test]
fn nonzero_key_bias_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vars = tiny_model();
    let name = "decoder/layer_0/attention/linear_1/bias";
    let mut b = vars[name].values();
    b[3] = 0.5;
    vars.insert(name.into(), Var::f16(&[2 * D], &b));
    write_model_dir(tmp.path(), &vars);
    let out = tmp.path().join("out.bin");
    let err = import_ct2(tmp.path(), &out, Quant::F16).unwrap_err();
    assert!(
        matches!(err, ModelError::NonZeroBias { max_abs, .. } if max_abs == 0.5),
        "{err}"
    );
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary file left behind");
}

#[test]
fn missing_and_misshapen_variables_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vars = tiny_model();
    vars.remove("decoder/layer_0/ffn/linear_1/bias");
    write_model_dir(tmp.path(), &vars);
    let err = import_ct2(tmp.path(), &tmp.path().join("o.bin"), Quant::F16).unwrap_err();
    assert!(
        matches!(&err, ModelError::MissingTensor { name } if name == "decoder/layer_0/ffn/linear_1/bias"),
        "{err}"
    );

    let mut vars = tiny_model();
    let name = "encoder/layer_0/self_attention/linear_1/weight";
    vars.insert(name.into(), Var::f16(&[D, D / 2], &made_up(1, D * D / 2)));
    write_model_dir(tmp.path(), &vars);
    let err = import_ct2(tmp.path(), &tmp.path().join("o.bin"), Quant::F16).unwrap_err();
    match err {
        ModelError::BadShape {
            name: n,
            expected,
            actual,
        } => {
            assert_eq!(n, name);
            assert_eq!(expected, vec![D, D]);
            assert_eq!(actual, vec![D, D / 2]);
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn non_ct2_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    write_model_dir(tmp.path(), &tiny_model());
    std::fs::write(tmp.path().join("model.bin"), b"PK\x03\x04 definitely a zip").unwrap();
    let err = import_ct2(tmp.path(), &tmp.path().join("o.bin"), Quant::F16).unwrap_err();
    assert!(matches!(err, ModelError::NotCt2 { .. }), "{err}");

    // A truncated model.bin is refused while indexing, before any output is written.
    let full = ct2_bytes(&tiny_model());
    std::fs::write(tmp.path().join("model.bin"), &full[..full.len() / 2]).unwrap();
    let err = import_ct2(tmp.path(), &tmp.path().join("o.bin"), Quant::F16).unwrap_err();
    assert!(matches!(err, ModelError::NotCt2 { .. }), "{err}");
    assert!(!tmp.path().join("o.bin").exists());

    let err = import_ct2(
        &tmp.path().join("nowhere"),
        &tmp.path().join("o.bin"),
        Quant::F16,
    )
    .unwrap_err();
    assert!(matches!(err, ModelError::Io { .. }), "{err}");
}

#[test]
fn conversion_is_deterministic_and_replaces_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    write_model_dir(tmp.path(), &tiny_model());
    let out = tmp.path().join("o.bin");
    std::fs::write(&out, b"old contents").unwrap();
    let a = import_ct2(tmp.path(), &out, Quant::Q8_0).unwrap();
    let b = import_ct2(tmp.path(), &out, Quant::Q8_0).unwrap();
    assert_eq!(a, b);
    assert_eq!(std::fs::metadata(&out).unwrap().len(), a.bytes);
}

#[test]
fn quant_names_parse() {
    assert_eq!("q8_0".parse::<Quant>().unwrap(), Quant::Q8_0);
    assert_eq!("F16".parse::<Quant>().unwrap(), Quant::F16);
    assert!("f32".parse::<Quant>().is_err());
    assert_eq!(Quant::Q8_0.to_string(), "q8_0");
}

#[test]
fn head_count_must_divide_the_width() {
    let tmp = tempfile::tempdir().unwrap();
    let mut vars = tiny_model();
    vars.insert("decoder/num_heads".into(), Var::i16_scalar(3));
    write_model_dir(tmp.path(), &vars);
    let err = import_ct2(tmp.path(), &tmp.path().join("o.bin"), Quant::F16).unwrap_err();
    assert!(err.to_string().contains("3 heads"), "{err}");
    assert!(!tmp.path().join("o.bin").exists());
}
