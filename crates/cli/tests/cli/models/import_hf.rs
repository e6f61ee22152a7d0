//! `medlyt model import-hf`: a transformers checkpoint made from the real base weights
//! transcribes like the installed base model; bad checkpoints are exit 9, naming what is
//! wrong; a missing folder is exit 3.

use crate::common::{code_and_stderr, fixture, medlyt, models, root, whisper_lock};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

#[path = "../../../../models/tests/models/hf_layout.rs"]
mod hf_layout;

use hf_layout::{config_json, safetensors_bytes, write_hf_from_ct2, Dims, Layout, Raw};

/// The CTranslate2 base model that scripts/get-models.sh leaves in the cache, or `None`
/// (a failure where MEDLYT_REQUIRE_MODELS is set).
fn ct2_base() -> Option<PathBuf> {
    let cache =
        std::env::var_os("MEDLYT_CACHE").map_or_else(|| root().join(".cache"), PathBuf::from);
    let dir = cache.join("ct2/base");
    if dir.join("model.bin").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
        "no CTranslate2 base model in {}: run scripts/get-models.sh (which builds it \
         with models/ggml-base.bin; remove that file first if it is there)",
        dir.display()
    );
    eprintln!("skipped: no CTranslate2 base model in {}", dir.display());
    None
}

/// The text of each segment of a transcript, in order.
fn texts(t: &Value) -> Vec<String> {
    t["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(|s| s["text"].as_str().expect("text").to_string())
        .collect()
}

fn transcribe(models: &Path, model: &Path) -> Value {
    let out = medlyt()
        .args(["transcribe", "--quiet", "--no-diarize", "--language", "en"])
        .arg("--models-dir")
        .arg(models)
        .arg("--model")
        .arg(model)
        .arg(fixture("calls/en-citizen-service-mono.wav"))
        .output()
        .expect("run medlyt");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn a_checkpoint_of_the_base_weights_transcribes_like_ggml_base() {
    let Some(models) = models() else { return };
    let Some(ct2) = ct2_base() else { return };
    let reference = models.join("ggml-base.bin");
    if !reference.is_file() {
        assert!(
            std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
            "no {}: run scripts/get-models.sh",
            reference.display()
        );
        eprintln!("skipped: no {}", reference.display());
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let hf = tmp.path().join("whisper-base");
    write_hf_from_ct2(&ct2, &hf, &Layout::default());
    let out = tmp.path().join("ggml-hf-base.bin");
    let run = medlyt()
        .args(["model", "import-hf"])
        .arg(&hf)
        .arg("-o")
        .arg(&out)
        .args(["--quant", "f16"])
        .output()
        .expect("run medlyt");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("245 tensors"), "{stdout}");
    assert!(stdout.contains("model.safetensors (float16)"), "{stdout}");
    assert!(
        stdout.contains("alignment heads (layer:head) 3:1 4:2"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&hf).expect("clean up");

    let _whisper = whisper_lock();
    let want = texts(&transcribe(&models, &reference));
    let got = texts(&transcribe(&models, &out));
    assert!(!want.is_empty());
    assert_eq!(got, want);
}

/// A 1+1-layer model of width 64: its config, and a tokenizer of 7 regular tokens.
fn small() -> (Dims, usize) {
    let dims = Dims {
        d: 64,
        n_mels: 8,
        audio_ctx: 12,
        text_ctx: 10,
        n_vocab: 12,
        enc_layers: 1,
        dec_layers: 1,
        enc_heads: 2,
        dec_heads: 2,
        ffn: 256,
    };
    (dims, 7)
}

/// A checkpoint folder with `tensors` (f32 zeros of the given shapes) as model.safetensors.
fn checkpoint(dir: &Path, tensors: &[(&str, Vec<usize>)]) -> PathBuf {
    let (dims, eot) = small();
    std::fs::create_dir_all(dir).expect("dir");
    let mut vocab = serde_json::Map::new();
    for (i, t) in ["a", "b", "c", "d", "e", "f", "g"].iter().enumerate() {
        vocab.insert((*t).to_string(), i.into());
    }
    vocab.insert("<|endoftext|>".into(), eot.into());
    let tokenizer =
        json!({"model": {"type": "BPE", "vocab": vocab, "merges": []}, "added_tokens": []});
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).expect("write");
    std::fs::write(dir.join("config.json"), config_json(&dims, eot).to_string()).expect("write");
    let raws: Vec<(String, Raw)> = tensors
        .iter()
        .map(|(name, shape)| {
            let n: usize = shape.iter().product();
            let raw = Raw {
                dtype: "F32",
                shape: shape.clone(),
                data: vec![0; 4 * n],
            };
            (format!("model.{name}"), raw)
        })
        .collect();
    std::fs::write(dir.join("model.safetensors"), safetensors_bytes(&raws)).expect("write");
    dir.to_path_buf()
}

fn import(dir: &Path) -> (i32, String) {
    let out = medlyt()
        .args(["model", "import-hf"])
        .arg(dir)
        .arg("-o")
        .arg(dir.with_extension("bin"))
        .output()
        .expect("run medlyt");
    assert!(!dir.with_extension("bin").exists());
    code_and_stderr(&out)
}

#[test]
fn bad_checkpoints_are_exit_9_and_name_the_problem() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let conv = ("encoder.conv1.weight", vec![64, 8, 3]);

    let dir = checkpoint(&tmp.path().join("missing"), std::slice::from_ref(&conv));
    let (code, err) = import(&dir);
    assert_eq!(code, 9, "{err}");
    assert!(
        err.contains("missing tensor model.encoder.embed_positions.weight"),
        "{err}"
    );

    let pe = ("encoder.embed_positions.weight", vec![12, 32]);
    let dir = checkpoint(&tmp.path().join("shape"), &[pe, conv.clone()]);
    let (code, err) = import(&dir);
    assert_eq!(code, 9, "{err}");
    assert!(
        err.contains("model.encoder.embed_positions.weight"),
        "{err}"
    );
    assert!(
        err.contains("[12, 32]") && err.contains("[12, 64]"),
        "{err}"
    );

    let dir = checkpoint(&tmp.path().join("type"), std::slice::from_ref(&conv));
    let config = json!({"model_type": "wav2vec2", "architectures": ["Wav2Vec2ForCTC"]});
    std::fs::write(dir.join("config.json"), config.to_string()).expect("write");
    let (code, err) = import(&dir);
    assert_eq!(code, 9, "{err}");
    assert!(err.contains("wav2vec2"), "{err}");

    let (dims, eot) = small();
    let mut config = config_json(&dims, eot);
    config["architectures"] = json!(["WhisperForAudioClassification"]);
    std::fs::write(dir.join("config.json"), config.to_string()).expect("write");
    let (code, err) = import(&dir);
    assert_eq!(code, 9, "{err}");
    assert!(err.contains("WhisperForAudioClassification"), "{err}");

    let dir = checkpoint(&tmp.path().join("cut"), &[conv]);
    let file = dir.join("model.safetensors");
    let bytes = std::fs::read(&file).expect("read");
    std::fs::write(&file, &bytes[..bytes.len() - 10]).expect("write");
    let (code, err) = import(&dir);
    assert_eq!(code, 9, "{err}");
    assert!(
        err.contains("model.safetensors") && err.contains("truncated"),
        "{err}"
    );
}

#[test]
fn a_checkpoint_folder_that_is_not_there_is_exit_3() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (code, err) = import(&tmp.path().join("nowhere"));
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("nowhere"), "{err}");
}
