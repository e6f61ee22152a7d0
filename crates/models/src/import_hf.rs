//! Hugging Face transformers Whisper checkpoint folder to whisper.cpp ggml file.
//!
//! The folder holds `config.json` (`WhisperForConditionalGeneration`), the weights (see
//! [`crate::hf_weights`]), the tokenizer (`tokenizer.json`, or `vocab.json` with its added
//! tokens) and usually `generation_config.json`. Tensor names are transformers' own
//! (`model.encoder.layers.0.self_attn.q_proj.weight`, with or without the `model.` prefix);
//! they are mapped to whisper.cpp's as its `convert-h5-to-ggml.py` does, and the file is
//! written by the same writer as [`crate::import_ct2`], so equal weights give equal files.

use std::path::Path;

use crate::hf_weights::HfWeights;
use crate::whisper_ggml::{plan, write_whisper, Hparams, Planned, TensorSource};
use crate::{vocab, ImportSummary, ModelError, Quant};

/// The architecture a usable checkpoint declares.
const ARCHITECTURE: &str = "WhisperForConditionalGeneration";

/// What [`import_hf`] wrote and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HfImportSummary {
    /// The ggml file written.
    pub ggml: ImportSummary,
    /// The weight files read, e.g. `model.safetensors`.
    pub files: String,
    /// Element types of the source weights, e.g. `["float16"]`.
    pub dtypes: Vec<String>,
    /// The DTW alignment heads of `generation_config.json` as (decoder layer, head), if it
    /// lists them. The ggml format has no place for them (whisper.cpp takes DTW heads from
    /// presets chosen by model size), so they are reported, not stored.
    pub alignment_heads: Option<Vec<(usize, usize)>>,
    /// How many of those heads lie outside this model's decoder (distilled checkpoints may
    /// list their teacher's).
    pub alignment_heads_outside: usize,
}

/// ggml name to transformers name (without the `model.` prefix).
fn hf_name(name: &str) -> Option<String> {
    let fixed = match name {
        "encoder.positional_embedding" => "encoder.embed_positions.weight",
        "decoder.positional_embedding" => "decoder.embed_positions.weight",
        "decoder.token_embedding.weight" => "decoder.embed_tokens.weight",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_string());
    }
    let (module, param) = name.rsplit_once('.')?;
    let (side, rest) = module.split_once('.')?;
    let mapped = match rest {
        "conv1" | "conv2" => rest.to_string(),
        "ln_post" | "ln" => "layer_norm".to_string(),
        _ => {
            let (i, module) = rest.strip_prefix("blocks.")?.split_once('.')?;
            let hf = match module {
                "attn_ln" => "self_attn_layer_norm",
                "attn.query" => "self_attn.q_proj",
                "attn.key" => "self_attn.k_proj",
                "attn.value" => "self_attn.v_proj",
                "attn.out" => "self_attn.out_proj",
                "cross_attn_ln" => "encoder_attn_layer_norm",
                "cross_attn.query" => "encoder_attn.q_proj",
                "cross_attn.key" => "encoder_attn.k_proj",
                "cross_attn.value" => "encoder_attn.v_proj",
                "cross_attn.out" => "encoder_attn.out_proj",
                "mlp_ln" => "final_layer_norm",
                "mlp.0" => "fc1",
                "mlp.2" => "fc2",
                _ => return None,
            };
            format!("layers.{i}.{hf}")
        }
    };
    Some(format!("{side}.{mapped}.{param}"))
}

struct HfSource {
    weights: HfWeights,
    prefix: &'static str,
}

impl HfSource {
    fn name(&self, t: &Planned) -> String {
        format!("{}{}", self.prefix, hf_name(&t.name).unwrap_or_default())
    }

    /// Checks that `name` exists with `shape` and a float type.
    fn check_one(&self, name: &str, shape: &[usize]) -> Result<(), ModelError> {
        let actual = self
            .weights
            .shape(name)
            .ok_or_else(|| ModelError::MissingTensor {
                name: name.to_string(),
            })?;
        if actual != shape {
            return Err(ModelError::BadShape {
                name: name.to_string(),
                expected: shape.to_vec(),
                actual: actual.to_vec(),
            });
        }
        match self.weights.dtype(name).as_deref() {
            Some("float32" | "float16" | "bfloat16") => Ok(()),
            other => Err(ModelError::UnsupportedDtype {
                name: name.to_string(),
                dtype: other.unwrap_or("unknown").to_string(),
            }),
        }
    }

    /// A key projection's bias, which ggml drops: transformers has none, but a checkpoint
    /// that carries one anyway must have it zero.
    fn key_bias(t: &Planned, weight: &str) -> Option<String> {
        t.name
            .ends_with(".key.weight")
            .then(|| weight.replace(".weight", ".bias"))
    }

    /// Checks every planned tensor before anything is written.
    fn check(&self, tensors: &[Planned]) -> Result<(), ModelError> {
        for t in tensors {
            let name = self.name(t);
            self.check_one(&name, &t.shape)?;
            if let Some(bias) = Self::key_bias(t, &name) {
                if self.weights.shape(&bias).is_some() {
                    self.check_one(&bias, &t.shape[..1])?;
                }
            }
        }
        Ok(())
    }
}

impl TensorSource for HfSource {
    fn tensor(&mut self, t: &Planned) -> Result<Vec<f32>, ModelError> {
        let name = self.name(t);
        self.check_one(&name, &t.shape)?;
        if let Some(bias) = Self::key_bias(t, &name) {
            if self.weights.shape(&bias).is_some() {
                let b = self.weights.read(&bias)?;
                let max_abs = b.iter().fold(0.0f32, |m, &x| m.max(x.abs()));
                if max_abs != 0.0 {
                    return Err(ModelError::NonZeroBias {
                        name: bias,
                        max_abs,
                    });
                }
            }
        }
        self.weights.read(&name)
    }
}

#[derive(serde::Deserialize)]
struct HfConfig {
    d_model: usize,
    encoder_layers: usize,
    decoder_layers: usize,
    encoder_attention_heads: usize,
    decoder_attention_heads: usize,
    num_mel_bins: usize,
    vocab_size: usize,
    max_source_positions: usize,
    max_target_positions: usize,
    encoder_ffn_dim: Option<usize>,
    decoder_ffn_dim: Option<usize>,
    eos_token_id: Option<serde_json::Value>,
}

fn read_json(path: &Path) -> Result<serde_json::Value, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|e| ModelError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| ModelError::Json {
        path: path.to_path_buf(),
        source: e,
    })
}

/// Reads `config.json`, refusing anything but a Whisper encoder-decoder.
fn read_config(dir: &Path) -> Result<HfConfig, ModelError> {
    let path = dir.join("config.json");
    let value = read_json(&path)?;
    let bad = |reason: String| ModelError::BadCheckpoint {
        path: path.clone(),
        reason,
    };
    let model_type = value.get("model_type").and_then(|v| v.as_str());
    if model_type != Some("whisper") {
        return Err(bad(format!(
            "model_type is {}, expected \"whisper\"",
            model_type.map_or("missing".to_string(), |t| format!("{t:?}"))
        )));
    }
    if let Some(archs) = value.get("architectures").filter(|v| !v.is_null()) {
        let names: Vec<&str> = archs
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        if !names.contains(&ARCHITECTURE) {
            return Err(bad(format!(
                "architectures {names:?} do not include {ARCHITECTURE}"
            )));
        }
    }
    serde_json::from_value(value).map_err(|e| ModelError::Json { path, source: e })
}

/// The tokenizer's regular tokens and end-of-text id.
fn read_tokens(dir: &Path) -> Result<(Vec<Vec<u8>>, u32), ModelError> {
    let fast = dir.join("tokenizer.json");
    if fast.is_file() {
        return vocab::read_vocab(&fast);
    }
    if dir.join("vocab.json").is_file() {
        return vocab::read_vocab_json(dir);
    }
    Err(ModelError::BadTokenizer {
        path: dir.to_path_buf(),
        reason: "no tokenizer.json or vocab.json".to_string(),
    })
}

/// `alignment_heads` of `generation_config.json`, if the file lists them.
fn read_alignment_heads(dir: &Path) -> Result<Option<Vec<(usize, usize)>>, ModelError> {
    let path = dir.join("generation_config.json");
    if !path.is_file() {
        return Ok(None);
    }
    let value = read_json(&path)?;
    let Some(heads) = value.get("alignment_heads").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let pair = |v: &serde_json::Value| -> Option<(usize, usize)> {
        match v.as_array()?.as_slice() {
            [l, h] => Some((
                usize::try_from(l.as_u64()?).ok()?,
                usize::try_from(h.as_u64()?).ok()?,
            )),
            _ => None,
        }
    };
    heads
        .as_array()
        .and_then(|a| a.iter().map(pair).collect::<Option<Vec<_>>>())
        .map(Some)
        .ok_or_else(|| ModelError::BadCheckpoint {
            path,
            reason: format!("alignment_heads must be [layer, head] pairs, found {heads}"),
        })
}

/// Converts the Hugging Face transformers Whisper checkpoint in `dir` into a whisper.cpp
/// ggml file at `out`, written atomically. Every tensor's presence, shape and type is checked
/// before anything is written; then one tensor at a time is read and written.
pub fn import_hf(dir: &Path, out: &Path, quant: Quant) -> Result<HfImportSummary, ModelError> {
    let config = read_config(dir)?;
    let (tokens, eot) = read_tokens(dir)?;
    if config.vocab_size < eot as usize {
        return Err(ModelError::BadTokenizer {
            path: dir.to_path_buf(),
            reason: format!("{eot} regular tokens but vocab_size {}", config.vocab_size),
        });
    }
    if let Some(eos) = config.eos_token_id.as_ref().and_then(|v| v.as_u64()) {
        if eos != u64::from(eot) {
            return Err(ModelError::BadTokenizer {
                path: dir.to_path_buf(),
                reason: format!("config's eos_token_id {eos} is not the tokenizer's {eot}"),
            });
        }
    }
    let heads = read_alignment_heads(dir)?;
    let d = config.d_model;
    let hp = Hparams {
        n_vocab: config.vocab_size,
        n_audio_ctx: config.max_source_positions,
        width: d,
        n_audio_head: config.encoder_attention_heads,
        n_audio_layer: config.encoder_layers,
        n_text_ctx: config.max_target_positions,
        n_text_head: config.decoder_attention_heads,
        n_text_layer: config.decoder_layers,
        n_mels: config.num_mel_bins,
        encoder_ffn: config.encoder_ffn_dim.unwrap_or(d.saturating_mul(4)),
        decoder_ffn: config.decoder_ffn_dim.unwrap_or(d.saturating_mul(4)),
    };
    let weights = HfWeights::open(dir)?;
    let prefix = if weights.any_starts_with("model.") {
        "model."
    } else {
        ""
    };
    let mut source = HfSource { weights, prefix };
    let tensors = plan(&hp);
    source.check(&tensors)?;
    let mut dtypes: Vec<String> = tensors
        .iter()
        .filter_map(|t| source.weights.dtype(&source.name(t)))
        .collect();
    dtypes.sort();
    dtypes.dedup();
    let files = source.weights.files.clone();
    let bad = |reason: String| ModelError::BadCheckpoint {
        path: dir.join("config.json"),
        reason,
    };
    let ggml = write_whisper(out, &hp, &tokens, quant, &mut source, &bad)?;
    let outside = heads.as_ref().map_or(0, |h| {
        h.iter()
            .filter(|&&(l, h)| l >= hp.n_text_layer || h >= hp.n_text_head)
            .count()
    });
    Ok(HfImportSummary {
        ggml,
        files,
        dtypes,
        alignment_heads: heads,
        alignment_heads_outside: outside,
    })
}
