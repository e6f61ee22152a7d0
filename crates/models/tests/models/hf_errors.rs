//! Hugging Face checkpoints that must be refused, each with the offending name, and never
//! with an output file left behind.

use std::path::{Path, PathBuf};

use medlyt_models::{import_hf, ModelError, Quant};

use crate::hf_layout::*;
use crate::support::*;

/// A good synthetic checkpoint folder; `edit` changes its tensors before they are written.
fn checkpoint(
    tmp: &Path,
    name: &str,
    edit: impl FnOnce(&mut Vec<(String, Raw)>),
) -> (PathBuf, Dims) {
    let ct2 = tmp.join("ct2");
    if !ct2.exists() {
        write_model_dir(&ct2, &tiny_model());
    }
    let raw = read_ct2(&ct2.join("model.bin"));
    let dims = dims(&raw);
    let mut tensors = hf_tensors(&raw, &dims);
    edit(&mut tensors);
    let dir = tmp.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    write_safetensors(&dir, &tensors, "model.", 1);
    let eot = TOKENS.len();
    std::fs::write(dir.join("config.json"), config_json(&dims, eot).to_string()).unwrap();
    std::fs::write(
        dir.join("generation_config.json"),
        generation_config(&[(0, 1)], eot).to_string(),
    )
    .unwrap();
    write_tokenizer(&dir, &tokenizer_json(), false);
    (dir, dims)
}

/// Imports `dir`, expecting an error; checks that no output (nor a temporary file) remains.
fn refused(dir: &Path) -> ModelError {
    let out = dir.with_extension("bin");
    let err = import_hf(dir, &out, Quant::Q8_0).unwrap_err();
    assert!(!out.exists(), "{} written despite {err}", out.display());
    let parent = out.parent().unwrap();
    let leftovers = std::fs::read_dir(parent)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0, "temporary file left behind");
    err
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(path, v.to_string()).unwrap();
}

#[test]
fn a_missing_tensor_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = checkpoint(tmp.path(), "hf", |t| {
        t.retain(|(n, _)| n != "decoder.layers.0.fc2.bias")
    });
    let err = refused(&dir);
    assert!(
        matches!(&err, ModelError::MissingTensor { name } if name == "model.decoder.layers.0.fc2.bias"),
        "{err}"
    );
}

#[test]
fn a_wrong_shape_is_named_with_both_shapes() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "encoder.layers.0.self_attn.out_proj.weight";
    let (dir, _) = checkpoint(tmp.path(), "hf", |t| {
        let (_, raw) = t.iter_mut().find(|(n, _)| n == name).unwrap();
        *raw = raw.rows(0, D / 2);
    });
    match refused(&dir) {
        ModelError::BadShape {
            name: n,
            expected,
            actual,
        } => {
            assert_eq!(n, format!("model.{name}"));
            assert_eq!(expected, vec![D, D]);
            assert_eq!(actual, vec![D / 2, D]);
        }
        other => panic!("unexpected {other}"),
    }
    // Dimensions in config.json that the weights do not have are caught the same way.
    let (dir, _) = checkpoint(tmp.path(), "hf2", |_| {});
    edit_json(&dir.join("config.json"), |c| c["num_mel_bins"] = 128.into());
    let err = refused(&dir);
    assert!(
        matches!(&err, ModelError::BadShape { name, expected, .. }
            if name == "model.encoder.conv1.weight" && expected[1] == 128),
        "{err}"
    );
}

#[test]
fn other_architectures_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = checkpoint(tmp.path(), "hf", |_| {});
    let config = dir.join("config.json");
    edit_json(&config, |c| c["model_type"] = "wav2vec2".into());
    let err = refused(&dir);
    assert!(matches!(err, ModelError::BadCheckpoint { .. }), "{err}");
    assert!(err.to_string().contains("\"wav2vec2\""), "{err}");

    edit_json(&config, |c| {
        c["model_type"] = "whisper".into();
        c["architectures"] = serde_json::json!(["WhisperForAudioClassification"]);
    });
    let err = refused(&dir);
    assert!(
        err.to_string().contains("WhisperForAudioClassification"),
        "{err}"
    );

    edit_json(&config, |c| {
        c["architectures"] = serde_json::json!(["WhisperForConditionalGeneration"]);
        c.as_object_mut().unwrap().remove("d_model");
    });
    let err = refused(&dir);
    assert!(err.to_string().contains("d_model"), "{err}");
}

#[test]
fn truncated_or_garbled_safetensors_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = checkpoint(tmp.path(), "hf", |_| {});
    let file = dir.join("model.safetensors");
    let full = std::fs::read(&file).unwrap();
    std::fs::write(&file, &full[..full.len() - 100]).unwrap();
    let err = refused(&dir);
    assert!(matches!(err, ModelError::BadSafetensors { .. }), "{err}");
    assert!(err.to_string().contains("model.safetensors"), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");

    std::fs::write(&file, &full[..20]).unwrap();
    let err = refused(&dir);
    assert!(matches!(err, ModelError::BadSafetensors { .. }), "{err}");

    let mut garbled = full.clone();
    garbled[8] = b'#';
    std::fs::write(&file, &garbled).unwrap();
    let err = refused(&dir);
    assert!(err.to_string().contains("model.safetensors"), "{err}");

    std::fs::remove_file(&file).unwrap();
    let err = refused(&dir);
    assert!(err.to_string().contains("no model.safetensors"), "{err}");
}

#[test]
fn key_biases_integer_weights_and_tokenizer_mismatches_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let bias = "decoder.layers.0.encoder_attn.k_proj.bias";
    let with_bias = |value: f32| {
        move |t: &mut Vec<(String, Raw)>| {
            let data = (0..D)
                .flat_map(|i| half::f16::from_f32(if i == 3 { value } else { 0.0 }).to_le_bytes())
                .collect();
            let raw = Raw {
                dtype: "F16",
                shape: vec![D],
                data,
            };
            t.push((bias.to_string(), raw));
        }
    };
    // A zero key bias is accepted (and dropped), a non-zero one refused.
    let (dir, _) = checkpoint(tmp.path(), "zero", with_bias(0.0));
    import_hf(&dir, &tmp.path().join("zero.bin"), Quant::F16).unwrap();
    let (dir, _) = checkpoint(tmp.path(), "nonzero", with_bias(0.25));
    let err = refused(&dir);
    assert!(
        matches!(&err, ModelError::NonZeroBias { name, max_abs } if name == &format!("model.{bias}") && *max_abs == 0.25),
        "{err}"
    );

    let (dir, _) = checkpoint(tmp.path(), "int", |t| {
        let (_, raw) = t
            .iter_mut()
            .find(|(n, _)| n == "encoder.conv1.bias")
            .unwrap();
        raw.dtype = "I16";
    });
    let err = refused(&dir);
    assert!(
        matches!(&err, ModelError::UnsupportedDtype { name, .. } if name == "model.encoder.conv1.bias"),
        "{err}"
    );

    let (dir, _) = checkpoint(tmp.path(), "eos", |_| {});
    edit_json(&dir.join("config.json"), |c| c["eos_token_id"] = 3.into());
    let err = refused(&dir);
    assert!(matches!(err, ModelError::BadTokenizer { .. }), "{err}");
    std::fs::remove_file(dir.join("tokenizer.json")).unwrap();
    let err = refused(&dir);
    assert!(err.to_string().contains("vocab.json"), "{err}");
}

#[test]
fn alignment_heads_are_read_checked_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = checkpoint(tmp.path(), "hf", |_| {});
    let generation = dir.join("generation_config.json");
    // Heads of a larger teacher model, as distilled checkpoints list: counted, not fatal.
    edit_json(&generation, |g| {
        g["alignment_heads"] = serde_json::json!([[0, 1], [0, 0], [7, 0], [0, 5]])
    });
    let s = import_hf(&dir, &tmp.path().join("o.bin"), Quant::F16).unwrap();
    assert_eq!(
        s.alignment_heads,
        Some(vec![(0, 1), (0, 0), (7, 0), (0, 5)])
    );
    assert_eq!(s.alignment_heads_outside, 2);

    edit_json(&generation, |g| {
        g["alignment_heads"] = serde_json::json!([[0]])
    });
    let err = refused(&dir);
    assert!(err.to_string().contains("alignment_heads"), "{err}");

    std::fs::remove_file(&generation).unwrap();
    let s = import_hf(&dir, &tmp.path().join("o.bin"), Quant::F16).unwrap();
    assert_eq!(s.alignment_heads, None);
}
