//! Hugging Face checkpoints: a CTranslate2 model written out in the transformers layout
//! (safetensors or PyTorch, one file or shards, f16, f32 or bf16) must import to exactly the
//! file that import_ct2 writes from the original, and bad checkpoints must be refused by name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use medlyt_models::{import_ct2, import_hf, HfImportSummary, Quant};

use crate::hf_layout::*;
use crate::support::*;
use crate::torch_writer::{checkpoint, Storage, TorchTensor};

/// A synthetic CTranslate2 model and the same weights as transformers tensors.
struct Synthetic {
    tmp: tempfile::TempDir,
    ct2: PathBuf,
    dims: Dims,
    tensors: Vec<(String, Raw)>,
}

fn synthetic_from(vars: &BTreeMap<String, Var>) -> Synthetic {
    let tmp = tempfile::tempdir().unwrap();
    let ct2 = tmp.path().join("ct2");
    write_model_dir(&ct2, vars);
    let raw = read_ct2(&ct2.join("model.bin"));
    let dims = dims(&raw);
    let tensors = hf_tensors(&raw, &dims);
    Synthetic {
        tmp,
        ct2,
        dims,
        tensors,
    }
}

fn synthetic() -> Synthetic {
    synthetic_from(&tiny_model())
}

impl Synthetic {
    /// Writes config, generation config and tokenizer into a new folder `name`.
    fn meta(&self, name: &str, slow: bool) -> PathBuf {
        let dir = self.tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let eot = TOKENS.len();
        let config = config_json(&self.dims, eot);
        std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
        let generation = generation_config(&[(0, 1)], eot);
        std::fs::write(dir.join("generation_config.json"), generation.to_string()).unwrap();
        write_tokenizer(&dir, &tokenizer_json(), slow);
        dir
    }

    /// A safetensors checkpoint folder with `model.`-prefixed names and tokenizer.json.
    fn hf(&self, name: &str) -> PathBuf {
        let dir = self.meta(name, false);
        write_safetensors(&dir, &self.tensors, "model.", 1);
        dir
    }

    /// The same, with the tensors changed by `edit` first.
    fn hf_with(&self, name: &str, edit: impl FnOnce(&mut Vec<(String, Raw)>)) -> PathBuf {
        let mut tensors = self.tensors.clone();
        edit(&mut tensors);
        let dir = self.meta(name, false);
        write_safetensors(&dir, &tensors, "model.", 1);
        dir
    }

    fn reference(&self, quant: Quant) -> Vec<u8> {
        let out = self.tmp.path().join(format!("ct2-{quant}.bin"));
        import_ct2(&self.ct2, &out, quant).unwrap();
        std::fs::read(out).unwrap()
    }
}

/// Imports `dir` and checks the file equals `reference` byte for byte.
fn import_equal(dir: &Path, quant: Quant, reference: &[u8]) -> HfImportSummary {
    let out = dir.with_extension("bin");
    let s = import_hf(dir, &out, quant).unwrap();
    let got = std::fs::read(&out).unwrap();
    assert_eq!(
        got.len(),
        reference.len(),
        "{}: sizes differ",
        dir.display()
    );
    assert!(got == reference, "{}: bytes differ", dir.display());
    assert_eq!(s.ggml.bytes, got.len() as u64);
    s
}

fn f16_to(raw: &Raw, dtype: &'static str) -> Raw {
    let values = raw
        .data
        .chunks_exact(2)
        .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32());
    let data = match dtype {
        "F32" => values.flat_map(f32::to_le_bytes).collect(),
        "BF16" => values
            .flat_map(|v| half::bf16::from_f32(v).to_le_bytes())
            .collect(),
        other => panic!("{other}"),
    };
    Raw {
        dtype,
        shape: raw.shape.clone(),
        data,
    }
}

#[test]
fn safetensors_import_writes_the_file_import_ct2_writes() {
    let s = synthetic();
    let dir = s.hf("hf");
    for quant in [Quant::F16, Quant::Q8_0] {
        let summary = import_equal(&dir, quant, &s.reference(quant));
        assert_eq!(summary.ggml.n_tensors, 7 + 15 + 4 + 24);
        assert_eq!(summary.ggml.quant, quant);
        assert_eq!(summary.files, "model.safetensors");
        assert_eq!(summary.dtypes, vec!["float16"]);
        assert_eq!(summary.alignment_heads, Some(vec![(0, 1)]));
        assert_eq!(summary.alignment_heads_outside, 0);
    }
}

#[test]
fn shards_unprefixed_names_and_vocab_json_give_the_same_file() {
    let s = synthetic();
    let dir = s.meta("hf", true);
    write_safetensors(&dir, &s.tensors, "", 3);
    assert!(!dir.join("tokenizer.json").exists());
    let summary = import_equal(&dir, Quant::F16, &s.reference(Quant::F16));
    assert_eq!(summary.files, "3 files of model.safetensors.index.json");
}

#[test]
fn float32_and_bfloat16_weights_convert() {
    let s = synthetic();
    // f16 values widened to f32 are exact: the f16 output must not change.
    let dir = s.hf_with("f32", |t| {
        for (_, raw) in t.iter_mut() {
            *raw = f16_to(raw, "F32");
        }
    });
    let summary = import_equal(&dir, Quant::F16, &s.reference(Quant::F16));
    assert_eq!(summary.dtypes, vec!["float32"]);

    // bf16 in both formats: both importers must agree.
    let mut vars = tiny_model();
    for v in vars.values_mut().filter(|v| v.dtype == 4) {
        let raw = f16_to(
            &Raw {
                dtype: "F16",
                shape: v.shape.clone(),
                data: v.data.clone(),
            },
            "BF16",
        );
        *v = Var {
            shape: raw.shape,
            dtype: 5,
            data: raw.data,
        };
    }
    let b = synthetic_from(&vars);
    assert!(b.tensors.iter().all(|(_, r)| r.dtype == "BF16"));
    let summary = import_equal(&b.hf("bf16"), Quant::Q8_0, &b.reference(Quant::Q8_0));
    assert_eq!(summary.dtypes, vec!["bfloat16"]);
}

/// The tensors as a PyTorch state dict of f16 storages, with three layouts PyTorch makes:
/// q and k projections of each layer as views into one shared storage, one matrix stored
/// transposed (a non-contiguous view), and the tied `proj_out.weight`.
fn torch_parts(tensors: &[(String, Raw)]) -> (Vec<TorchTensor>, Vec<Storage>) {
    let mut views = Vec::new();
    let mut storages: Vec<Storage> = Vec::new();
    let mut k_storage = 0;
    for (name, raw) in tensors {
        let (rows, cols) = (raw.shape[0], raw.shape.get(1).copied().unwrap_or(1));
        let contiguous: Vec<usize> = (0..raw.shape.len())
            .map(|i| raw.shape[i + 1..].iter().product())
            .collect();
        let mut view = TorchTensor {
            name: format!("model.{name}"),
            storage: storages.len().to_string(),
            offset: 0,
            shape: raw.shape.clone(),
            stride: contiguous,
        };
        let mut data = raw.data.clone();
        if name.ends_with("self_attn.k_proj.weight") {
            k_storage = storages.len();
        } else if name.ends_with("self_attn.q_proj.weight") {
            // A view at an offset into the k projection's storage.
            let k = &mut storages[k_storage];
            view.storage = k.key.clone();
            view.offset = k.data.len() / 2;
            k.data.extend_from_slice(&raw.data);
            views.push(view);
            continue;
        } else if name == "encoder.layers.0.fc1.weight" {
            data = (0..cols)
                .flat_map(|c| (0..rows).map(move |r| (r, c)))
                .flat_map(|(r, c)| raw.data[(r * cols + c) * 2..(r * cols + c) * 2 + 2].to_vec())
                .collect();
            view.stride = vec![1, rows];
        }
        if name == "decoder.embed_tokens.weight" {
            views.push(TorchTensor {
                name: "proj_out.weight".into(),
                storage: view.storage.clone(),
                offset: 0,
                shape: view.shape.clone(),
                stride: view.stride.clone(),
            });
        }
        storages.push(Storage {
            key: view.storage.clone(),
            class: "HalfStorage",
            data,
        });
        views.push(view);
    }
    (views, storages)
}

#[test]
fn pytorch_checkpoints_single_sharded_and_zip64_give_the_same_file() {
    let s = synthetic();
    let reference = s.reference(Quant::F16);
    let (views, storages) = torch_parts(&s.tensors);
    let dir = s.meta("bin", false);
    std::fs::write(
        dir.join("pytorch_model.bin"),
        checkpoint(&views, &storages, false),
    )
    .unwrap();
    let summary = import_equal(&dir, Quant::F16, &reference);
    assert_eq!(summary.files, "pytorch_model.bin");
    assert_eq!(summary.dtypes, vec!["float16"]);

    // Two shards, the second with zip64 records; each shard holds its own storages.
    let dir = s.meta("bin-sharded", true);
    let half = views.len() / 2;
    let mut map = serde_json::Map::new();
    for (i, part) in [&views[..half], &views[half..]].into_iter().enumerate() {
        let file = format!("pytorch_model-{:05}-of-00002.bin", i + 1);
        let keys: Vec<&str> = part.iter().map(|v| v.storage.as_str()).collect();
        let mine: Vec<Storage> = storages
            .iter()
            .filter(|s| keys.contains(&s.key.as_str()))
            .map(|s| Storage {
                key: s.key.clone(),
                class: s.class,
                data: s.data.clone(),
            })
            .collect();
        // Each shard holds every storage its views use (shared ones go to both).
        std::fs::write(dir.join(&file), checkpoint(part, &mine, i == 1)).unwrap();
        for v in part {
            map.insert(v.name.clone(), file.clone().into());
        }
    }
    let index = serde_json::json!({"metadata": {}, "weight_map": map});
    std::fs::write(dir.join("pytorch_model.bin.index.json"), index.to_string()).unwrap();
    let summary = import_equal(&dir, Quant::F16, &reference);
    assert_eq!(summary.files, "2 files of pytorch_model.bin.index.json");
}

/// Variables of a model with `enc` encoder and `dec` decoder layers and `n_mels` mel bands.
fn layered_model(enc: usize, dec: usize, n_mels: usize) -> BTreeMap<String, Var> {
    let mut vars = tiny_model();
    let mut seed = 1000;
    let mut add = |vars: &mut BTreeMap<String, Var>, name: String, shape: &[usize]| {
        seed += 1;
        let n = shape.iter().product();
        vars.insert(name, Var::f16(shape, &made_up(seed, n)));
    };
    add(&mut vars, "encoder/conv1/weight".into(), &[D, n_mels, 3]);
    let layer0: Vec<(String, Vec<usize>)> = vars
        .iter()
        .filter(|(k, _)| k.contains("/layer_0/"))
        .map(|(k, v)| (k.clone(), v.shape.clone()))
        .collect();
    for (side, n) in [("encoder", enc), ("decoder", dec)] {
        for i in 1..n {
            let lead = format!("{side}/layer_0/");
            for (name, shape) in layer0.iter().filter(|(k, _)| k.starts_with(&lead)) {
                let name = name.replace("/layer_0/", &format!("/layer_{i}/"));
                add(&mut vars, name, shape);
            }
            let p = format!("{side}/layer_{i}");
            zero_range(
                &mut vars,
                &format!("{p}/self_attention/linear_0/bias"),
                D..2 * D,
            );
            if side == "decoder" {
                zero_range(&mut vars, &format!("{p}/attention/linear_1/bias"), 0..D);
            }
        }
    }
    vars
}

#[test]
fn large_v3_turbo_and_distilled_shapes_convert() {
    // 128 mel bands as large-v3 has; more encoder than decoder layers as turbo (4) and the
    // distilled models (2) have.
    for (enc, dec) in [(5, 4), (3, 2)] {
        let s = synthetic_from(&layered_model(enc, dec, 128));
        assert_eq!(
            (s.dims.enc_layers, s.dims.dec_layers, s.dims.n_mels),
            (enc, dec, 128)
        );
        let dir = s.hf(&format!("hf-{enc}-{dec}"));
        let summary = import_equal(&dir, Quant::Q8_0, &s.reference(Quant::Q8_0));
        assert_eq!(summary.ggml.layers, (enc, dec));
        assert_eq!(summary.ggml.n_tensors, 7 + 15 * enc + 4 + 24 * dec);
        let file = read_whisper(&dir.with_extension("bin"));
        assert_eq!(
            (file.header[4], file.header[8], file.header[9]),
            (enc as i32, dec as i32, 128)
        );
        assert_eq!(file.mel_dims, (128, 201));
        assert_eq!(file.mel, medlyt_models::mel::mel_filters(128));
        assert!(file
            .tensors
            .contains_key(&format!("decoder.blocks.{}.mlp.2.bias", dec - 1)));
        assert!(!file
            .tensors
            .contains_key(&format!("decoder.blocks.{dec}.mlp.2.bias")));
    }
}
