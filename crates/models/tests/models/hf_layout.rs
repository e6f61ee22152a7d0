//! Writes a Whisper model in the Hugging Face transformers layout (config.json, safetensors
//! with transformers' tensor names, tokenizer, generation_config.json) from a CTranslate2
//! model, undoing CTranslate2's fused attention matrices: the inverse of the documented
//! CTranslate2 mapping, written independently of the importer. Only std and serde_json are
//! used, so the command-line tests include this file too.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A tensor: safetensors dtype name, shape and raw little-endian bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Raw {
    pub dtype: &'static str,
    pub shape: Vec<usize>,
    pub data: Vec<u8>,
}

impl Raw {
    /// Rows `from..to` of the first dimension.
    pub fn rows(&self, from: usize, to: usize) -> Raw {
        let row = self.data.len() / self.shape[0];
        let mut shape = self.shape.clone();
        shape[0] = to - from;
        Raw {
            dtype: self.dtype,
            shape,
            data: self.data[from * row..to * row].to_vec(),
        }
    }

    /// An integer scalar (CTranslate2's `num_heads`).
    fn int(&self) -> i64 {
        let b = &self.data;
        match self.dtype {
            "I8" => i64::from(b[0] as i8),
            "I16" => i64::from(i16::from_le_bytes([b[0], b[1]])),
            "I32" => i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            other => panic!("int of {other}"),
        }
    }
}

fn u32_at(b: &[u8], at: &mut usize) -> u32 {
    let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap());
    *at += 4;
    v
}

fn string_at(b: &[u8], at: &mut usize) -> String {
    let n = u16::from_le_bytes([b[*at], b[*at + 1]]) as usize;
    let s = String::from_utf8(b[*at + 2..*at + 2 + n - 1].to_vec()).unwrap();
    *at += 2 + n;
    s
}

/// The variables of a CTranslate2 `model.bin` (version 6), by name; aliases are skipped.
pub fn read_ct2(path: &Path) -> BTreeMap<String, Raw> {
    let b = std::fs::read(path).unwrap();
    let mut at = 0;
    assert_eq!(u32_at(&b, &mut at), 6);
    assert_eq!(string_at(&b, &mut at), "WhisperSpec");
    u32_at(&b, &mut at);
    let count = u32_at(&b, &mut at);
    let mut vars = BTreeMap::new();
    for _ in 0..count {
        let name = string_at(&b, &mut at);
        let rank = b[at] as usize;
        at += 1;
        let shape: Vec<usize> = (0..rank).map(|_| u32_at(&b, &mut at) as usize).collect();
        let dtype = match b[at] {
            0 => "F32",
            1 => "I8",
            2 => "I16",
            3 => "I32",
            4 => "F16",
            5 => "BF16",
            other => panic!("dtype {other}"),
        };
        at += 1;
        let n = u32_at(&b, &mut at) as usize;
        let data = b[at..at + n].to_vec();
        at += n;
        vars.insert(name, Raw { dtype, shape, data });
    }
    vars
}

/// A model's dimensions, as config.json states them.
#[derive(Clone, Debug)]
pub struct Dims {
    pub d: usize,
    pub n_mels: usize,
    pub audio_ctx: usize,
    pub text_ctx: usize,
    pub n_vocab: usize,
    pub enc_layers: usize,
    pub dec_layers: usize,
    pub enc_heads: usize,
    pub dec_heads: usize,
    pub ffn: usize,
}

fn count_layers(vars: &BTreeMap<String, Raw>, side: &str) -> usize {
    let lead = format!("{side}/layer_");
    let ids: BTreeSet<&str> = vars
        .keys()
        .filter_map(|k| k.strip_prefix(&lead)?.split('/').next())
        .filter(|i| i.parse::<usize>().is_ok())
        .collect();
    ids.len()
}

/// The dimensions of CTranslate2 variables.
pub fn dims(vars: &BTreeMap<String, Raw>) -> Dims {
    let conv1 = &vars["encoder/conv1/weight"].shape;
    Dims {
        d: conv1[0],
        n_mels: conv1[1],
        audio_ctx: vars["encoder/position_encodings/encodings"].shape[0],
        text_ctx: vars["decoder/position_encodings/encodings"].shape[0],
        n_vocab: vars["decoder/embeddings/weight"].shape[0],
        enc_layers: count_layers(vars, "encoder"),
        dec_layers: count_layers(vars, "decoder"),
        enc_heads: vars["encoder/num_heads"].int() as usize,
        dec_heads: vars["decoder/num_heads"].int() as usize,
        ffn: vars["encoder/layer_0/ffn/linear_0/weight"].shape[0],
    }
}

/// The transformers state dict of `WhisperForConditionalGeneration` (names without the
/// `model.` prefix, `proj_out.weight` left out as it is tied), in transformers' order.
pub fn hf_tensors(vars: &BTreeMap<String, Raw>, dims: &Dims) -> Vec<(String, Raw)> {
    let d = dims.d;
    let mut out: Vec<(String, Raw)> = Vec::new();
    let mut put = |name: String, raw: Raw| out.push((name, raw));
    let v = |n: &str| vars.get(n).unwrap_or_else(|| panic!("no {n}")).clone();
    // A dropped key bias must be zero (either sign), or the round trip would lose it.
    let zero = |raw: &Raw| {
        let width = raw.data.len() / raw.shape.iter().product::<usize>();
        assert!(raw.data.chunks(width).all(|c| {
            let (last, rest) = c.split_last().unwrap();
            last & 0x7f == 0 && rest.iter().all(|&b| b == 0)
        }));
    };
    for c in ["conv1", "conv2"] {
        put(
            format!("encoder.{c}.weight"),
            v(&format!("encoder/{c}/weight")),
        );
        put(format!("encoder.{c}.bias"), v(&format!("encoder/{c}/bias")));
    }
    put(
        "encoder.embed_positions.weight".into(),
        v("encoder/position_encodings/encodings"),
    );
    let norm = |put: &mut dyn FnMut(String, Raw), dst: String, src: String| {
        put(format!("{dst}.weight"), v(&format!("{src}/gamma")));
        put(format!("{dst}.bias"), v(&format!("{src}/beta")));
    };
    let linear = |put: &mut dyn FnMut(String, Raw), dst: String, src: String| {
        put(format!("{dst}.weight"), v(&format!("{src}/weight")));
        put(format!("{dst}.bias"), v(&format!("{src}/bias")));
    };
    for (side, layers) in [("encoder", dims.enc_layers), ("decoder", dims.dec_layers)] {
        if side == "decoder" {
            put(
                "encoder.layer_norm.weight".into(),
                v("encoder/layer_norm/gamma"),
            );
            put(
                "encoder.layer_norm.bias".into(),
                v("encoder/layer_norm/beta"),
            );
            put(
                "decoder.embed_tokens.weight".into(),
                v("decoder/embeddings/weight"),
            );
            put(
                "decoder.embed_positions.weight".into(),
                v("decoder/position_encodings/encodings"),
            );
        }
        for i in 0..layers {
            let (s, t) = (format!("{side}/layer_{i}"), format!("{side}.layers.{i}"));
            let w = v(&format!("{s}/self_attention/linear_0/weight"));
            let b = v(&format!("{s}/self_attention/linear_0/bias"));
            zero(&b.rows(d, 2 * d));
            put(format!("{t}.self_attn.k_proj.weight"), w.rows(d, 2 * d));
            put(format!("{t}.self_attn.v_proj.weight"), w.rows(2 * d, 3 * d));
            put(format!("{t}.self_attn.v_proj.bias"), b.rows(2 * d, 3 * d));
            put(format!("{t}.self_attn.q_proj.weight"), w.rows(0, d));
            put(format!("{t}.self_attn.q_proj.bias"), b.rows(0, d));
            linear(
                &mut put,
                format!("{t}.self_attn.out_proj"),
                format!("{s}/self_attention/linear_1"),
            );
            norm(
                &mut put,
                format!("{t}.self_attn_layer_norm"),
                format!("{s}/self_attention/layer_norm"),
            );
            if side == "decoder" {
                let w = v(&format!("{s}/attention/linear_1/weight"));
                let b = v(&format!("{s}/attention/linear_1/bias"));
                zero(&b.rows(0, d));
                put(format!("{t}.encoder_attn.k_proj.weight"), w.rows(0, d));
                put(format!("{t}.encoder_attn.v_proj.weight"), w.rows(d, 2 * d));
                put(format!("{t}.encoder_attn.v_proj.bias"), b.rows(d, 2 * d));
                linear(
                    &mut put,
                    format!("{t}.encoder_attn.q_proj"),
                    format!("{s}/attention/linear_0"),
                );
                linear(
                    &mut put,
                    format!("{t}.encoder_attn.out_proj"),
                    format!("{s}/attention/linear_2"),
                );
                norm(
                    &mut put,
                    format!("{t}.encoder_attn_layer_norm"),
                    format!("{s}/attention/layer_norm"),
                );
            }
            linear(&mut put, format!("{t}.fc1"), format!("{s}/ffn/linear_0"));
            linear(&mut put, format!("{t}.fc2"), format!("{s}/ffn/linear_1"));
            norm(
                &mut put,
                format!("{t}.final_layer_norm"),
                format!("{s}/ffn/layer_norm"),
            );
        }
    }
    put(
        "decoder.layer_norm.weight".into(),
        v("decoder/layer_norm/gamma"),
    );
    put(
        "decoder.layer_norm.bias".into(),
        v("decoder/layer_norm/beta"),
    );
    out
}

/// A safetensors file holding `tensors`, in their order.
pub fn safetensors_bytes(tensors: &[(String, Raw)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    header.insert("__metadata__".into(), json!({"format": "pt"}));
    let mut offset = 0;
    for (name, raw) in tensors {
        let end = offset + raw.data.len();
        header.insert(
            name.clone(),
            json!({"dtype": raw.dtype, "shape": raw.shape, "data_offsets": [offset, end]}),
        );
        offset = end;
    }
    let mut text = Value::Object(header).to_string().into_bytes();
    while !text.len().is_multiple_of(8) {
        text.push(b' ');
    }
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(&text);
    for (_, raw) in tensors {
        out.extend_from_slice(&raw.data);
    }
    out
}

/// Writes `tensors` as `model.safetensors`, or as `shards` files with
/// `model.safetensors.index.json`, every name prefixed with `prefix`.
pub fn write_safetensors(dir: &Path, tensors: &[(String, Raw)], prefix: &str, shards: usize) {
    let named: Vec<(String, Raw)> = tensors
        .iter()
        .map(|(n, r)| (format!("{prefix}{n}"), r.clone()))
        .collect();
    if shards <= 1 {
        std::fs::write(dir.join("model.safetensors"), safetensors_bytes(&named)).unwrap();
        return;
    }
    let per = named.len().div_ceil(shards);
    let mut map = serde_json::Map::new();
    let mut total = 0;
    for (i, chunk) in named.chunks(per).enumerate() {
        let file = format!("model-{:05}-of-{shards:05}.safetensors", i + 1);
        for (n, r) in chunk {
            map.insert(n.clone(), file.clone().into());
            total += r.data.len();
        }
        std::fs::write(dir.join(&file), safetensors_bytes(chunk)).unwrap();
    }
    let index = json!({"metadata": {"total_size": total}, "weight_map": map});
    std::fs::write(dir.join("model.safetensors.index.json"), index.to_string()).unwrap();
}

/// config.json as transformers writes it for an openai/whisper checkpoint.
pub fn config_json(dims: &Dims, eot: usize) -> Value {
    json!({
        "_name_or_path": "openai/whisper-base",
        "activation_dropout": 0.0,
        "activation_function": "gelu",
        "apply_spec_augment": false,
        "architectures": ["WhisperForConditionalGeneration"],
        "attention_dropout": 0.0,
        "begin_suppress_tokens": [220, eot],
        "bos_token_id": eot,
        "classifier_proj_size": 256,
        "d_model": dims.d,
        "decoder_attention_heads": dims.dec_heads,
        "decoder_ffn_dim": dims.ffn,
        "decoder_layerdrop": 0.0,
        "decoder_layers": dims.dec_layers,
        "decoder_start_token_id": eot + 1,
        "dropout": 0.0,
        "encoder_attention_heads": dims.enc_heads,
        "encoder_ffn_dim": dims.ffn,
        "encoder_layerdrop": 0.0,
        "encoder_layers": dims.enc_layers,
        "eos_token_id": eot,
        "init_std": 0.02,
        "is_encoder_decoder": true,
        "mask_feature_length": 10,
        "mask_time_length": 10,
        "max_length": dims.text_ctx,
        "max_source_positions": dims.audio_ctx,
        "max_target_positions": dims.text_ctx,
        "median_filter_width": 7,
        "model_type": "whisper",
        "num_hidden_layers": dims.enc_layers,
        "num_mel_bins": dims.n_mels,
        "pad_token_id": eot,
        "scale_embedding": false,
        "torch_dtype": "float16",
        "transformers_version": "4.37.2",
        "use_cache": true,
        "use_weighted_layer_sum": false,
        "vocab_size": dims.n_vocab
    })
}

/// generation_config.json with `heads` as the DTW alignment heads.
pub fn generation_config(heads: &[(usize, usize)], eot: usize) -> Value {
    let heads: Vec<Value> = heads.iter().map(|&(l, h)| json!([l, h])).collect();
    json!({
        "alignment_heads": heads,
        "begin_suppress_tokens": [220, eot],
        "bos_token_id": eot,
        "decoder_start_token_id": eot + 1,
        "eos_token_id": eot,
        "is_multilingual": true,
        "max_initial_timestamp_index": 50,
        "no_timestamps_token_id": eot + 106,
        "pad_token_id": eot,
        "return_timestamps": false,
        "transformers_version": "4.37.2"
    })
}

/// The tokenizer files: `tokenizer.json` as given, or (`slow`) `vocab.json` without
/// `<|endoftext|>` plus `added_tokens.json` with the special tokens.
pub fn write_tokenizer(dir: &Path, tokenizer_json: &str, slow: bool) {
    if !slow {
        std::fs::write(dir.join("tokenizer.json"), tokenizer_json).unwrap();
        return;
    }
    let parsed: Value = serde_json::from_str(tokenizer_json).unwrap();
    let mut vocab = parsed["model"]["vocab"].as_object().unwrap().clone();
    vocab.remove("<|endoftext|>");
    let added: serde_json::Map<String, Value> = parsed["added_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["content"].as_str().unwrap().to_string(), t["id"].clone()))
        .collect();
    std::fs::write(dir.join("vocab.json"), Value::Object(vocab).to_string()).unwrap();
    std::fs::write(
        dir.join("added_tokens.json"),
        Value::Object(added).to_string(),
    )
    .unwrap();
}

/// How [`write_hf_from_ct2`] lays the checkpoint out.
pub struct Layout {
    /// Prefix of every tensor name: "model." as transformers saves, or "".
    pub prefix: &'static str,
    /// Safetensors files (1: `model.safetensors`; more: shards with an index).
    pub shards: usize,
    /// `vocab.json` and `added_tokens.json` instead of `tokenizer.json`.
    pub slow_tokenizer: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            prefix: "model.",
            shards: 1,
            slow_tokenizer: false,
        }
    }
}

/// The end-of-text id of a tokenizer.json.
pub fn eot_of(tokenizer_json: &str) -> usize {
    let parsed: Value = serde_json::from_str(tokenizer_json).unwrap();
    parsed["added_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["content"] == "<|endoftext|>")
        .and_then(|t| t["id"].as_u64())
        .unwrap() as usize
}

/// Writes the CTranslate2 model in `ct2` (model.bin, tokenizer.json, config.json with
/// `alignment_heads`) as a transformers checkpoint folder `out`; returns its dimensions.
pub fn write_hf_from_ct2(ct2: &Path, out: &Path, layout: &Layout) -> Dims {
    let vars = read_ct2(&ct2.join("model.bin"));
    let dims = dims(&vars);
    let tokenizer = std::fs::read_to_string(ct2.join("tokenizer.json")).unwrap();
    let eot = eot_of(&tokenizer);
    let ct2_config: Value =
        serde_json::from_str(&std::fs::read_to_string(ct2.join("config.json")).unwrap()).unwrap();
    let heads: Vec<(usize, usize)> = ct2_config["alignment_heads"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p[0].as_u64().unwrap() as usize,
                        p[1].as_u64().unwrap() as usize,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    std::fs::create_dir_all(out).unwrap();
    write_safetensors(out, &hf_tensors(&vars, &dims), layout.prefix, layout.shards);
    let config = config_json(&dims, eot);
    std::fs::write(out.join("config.json"), config.to_string()).unwrap();
    let generation = generation_config(&heads, eot);
    std::fs::write(out.join("generation_config.json"), generation.to_string()).unwrap();
    write_tokenizer(out, &tokenizer, layout.slow_tokenizer);
    dims
}
