//! Builders for synthetic CTranslate2 models and an independent reader for ggml files.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// Width of the synthetic model (a multiple of 32 so q8_0 applies).
pub const D: usize = 64;
pub const N_MELS: usize = 8;
pub const AUDIO_CTX: usize = 12;
pub const TEXT_CTX: usize = 10;
pub const HEADS: i16 = 2;
/// Regular tokens as tokenizer.json spells them, and the bytes they stand for.
pub const TOKENS: &[(&str, &[u8])] = &[
    ("!", b"!"),
    ("\u{120}hello", b" hello"),
    ("\u{c3}\u{a6}", "æ".as_bytes()),
    ("\u{10a}", b"\n"),
    ("abc", b"abc"),
    ("", b""),
    ("\u{120}K\u{c3}\u{b8}benhavn", " København".as_bytes()),
];
/// Embedding rows: regular tokens, end-of-text and a few specials.
pub const N_VOCAB: usize = 12;

/// A CTranslate2 variable: shape, dtype id and raw little-endian bytes.
#[derive(Clone)]
pub struct Var {
    pub shape: Vec<usize>,
    pub dtype: u8,
    pub data: Vec<u8>,
}

impl Var {
    pub fn f32(shape: &[usize], values: &[f32]) -> Var {
        Var {
            shape: shape.to_vec(),
            dtype: 0,
            data: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }

    pub fn f16(shape: &[usize], values: &[f32]) -> Var {
        Var {
            shape: shape.to_vec(),
            dtype: 4,
            data: values
                .iter()
                .flat_map(|&v| half::f16::from_f32(v).to_le_bytes())
                .collect(),
        }
    }

    pub fn i16_scalar(v: i16) -> Var {
        Var {
            shape: vec![],
            dtype: 2,
            data: v.to_le_bytes().to_vec(),
        }
    }

    /// The values as f32 (f16 and f32 variables only).
    pub fn values(&self) -> Vec<f32> {
        match self.dtype {
            0 => self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            4 => self
                .data
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            other => panic!("values() of dtype {other}"),
        }
    }
}

/// Deterministic made-up weights: distinct per variable and index, within about ±1.
pub fn made_up(seed: usize, n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| {
            ((i * 7919 + seed * 104_729) as f32 * 0.001_3).sin() * (1.0 + (seed % 5) as f32 * 0.1)
        })
        .collect()
}

/// Variables of a 1-layer encoder / 1-layer decoder Whisper model, stored as f16.
pub fn tiny_model() -> BTreeMap<String, Var> {
    let mut vars = BTreeMap::new();
    let mut seed = 0;
    let mut add = |name: &str, shape: &[usize]| {
        seed += 1;
        let n = shape.iter().product();
        vars.insert(name.to_string(), Var::f16(shape, &made_up(seed, n)));
    };
    add("encoder/conv1/weight", &[D, N_MELS, 3]);
    add("encoder/conv1/bias", &[D]);
    add("encoder/conv2/weight", &[D, D, 3]);
    add("encoder/conv2/bias", &[D]);
    add("encoder/position_encodings/encodings", &[AUDIO_CTX, D]);
    add("encoder/layer_norm/gamma", &[D]);
    add("encoder/layer_norm/beta", &[D]);
    add("decoder/embeddings/weight", &[N_VOCAB, D]);
    add("decoder/position_encodings/encodings", &[TEXT_CTX, D]);
    add("decoder/layer_norm/gamma", &[D]);
    add("decoder/layer_norm/beta", &[D]);
    for side in ["encoder", "decoder"] {
        let p = format!("{side}/layer_0");
        add(&format!("{p}/self_attention/layer_norm/gamma"), &[D]);
        add(&format!("{p}/self_attention/layer_norm/beta"), &[D]);
        add(&format!("{p}/self_attention/linear_0/weight"), &[3 * D, D]);
        add(&format!("{p}/self_attention/linear_0/bias"), &[3 * D]);
        add(&format!("{p}/self_attention/linear_1/weight"), &[D, D]);
        add(&format!("{p}/self_attention/linear_1/bias"), &[D]);
        add(&format!("{p}/ffn/layer_norm/gamma"), &[D]);
        add(&format!("{p}/ffn/layer_norm/beta"), &[D]);
        add(&format!("{p}/ffn/linear_0/weight"), &[4 * D, D]);
        add(&format!("{p}/ffn/linear_0/bias"), &[4 * D]);
        add(&format!("{p}/ffn/linear_1/weight"), &[D, 4 * D]);
        add(&format!("{p}/ffn/linear_1/bias"), &[D]);
    }
    let p = "decoder/layer_0/attention";
    add(&format!("{p}/layer_norm/gamma"), &[D]);
    add(&format!("{p}/layer_norm/beta"), &[D]);
    add(&format!("{p}/linear_0/weight"), &[D, D]);
    add(&format!("{p}/linear_0/bias"), &[D]);
    add(&format!("{p}/linear_1/weight"), &[2 * D, D]);
    add(&format!("{p}/linear_1/bias"), &[2 * D]);
    add(&format!("{p}/linear_2/weight"), &[D, D]);
    add(&format!("{p}/linear_2/bias"), &[D]);
    // Key biases are zero in real models.
    zero_range(
        &mut vars,
        "encoder/layer_0/self_attention/linear_0/bias",
        D..2 * D,
    );
    zero_range(
        &mut vars,
        "decoder/layer_0/self_attention/linear_0/bias",
        D..2 * D,
    );
    zero_range(&mut vars, "decoder/layer_0/attention/linear_1/bias", 0..D);
    vars.insert("encoder/num_heads".into(), Var::i16_scalar(HEADS));
    vars.insert("decoder/num_heads".into(), Var::i16_scalar(HEADS));
    vars.insert(
        "decoder/activation".into(),
        Var {
            shape: vec![],
            dtype: 1,
            data: vec![3],
        },
    );
    vars
}

pub fn zero_range(vars: &mut BTreeMap<String, Var>, name: &str, range: std::ops::Range<usize>) {
    let v = &vars[name];
    let mut values = v.values();
    for x in &mut values[range] {
        *x = 0.0;
    }
    let shape = v.shape.clone();
    vars.insert(name.to_string(), Var::f16(&shape, &values));
}

fn string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16 + 1).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
    out.push(0);
}

/// Serialises variables (and the tied projection alias) as a CTranslate2 `model.bin`.
pub fn ct2_bytes(vars: &BTreeMap<String, Var>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&6u32.to_le_bytes());
    string(&mut out, "WhisperSpec");
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
    for (name, v) in vars {
        string(&mut out, name);
        out.push(v.shape.len() as u8);
        for &d in &v.shape {
            out.extend_from_slice(&(d as u32).to_le_bytes());
        }
        out.push(v.dtype);
        out.extend_from_slice(&(v.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&v.data);
    }
    out.extend_from_slice(&1u32.to_le_bytes());
    string(&mut out, "decoder/projection/weight");
    string(&mut out, "decoder/embeddings/weight");
    out
}

/// tokenizer.json with [`TOKENS`], `<|endoftext|>` and a few added specials.
pub fn tokenizer_json() -> String {
    let mut vocab = serde_json::Map::new();
    for (i, (t, _)) in TOKENS.iter().enumerate() {
        vocab.insert((*t).to_string(), i.into());
    }
    let eot = TOKENS.len();
    vocab.insert("<|endoftext|>".into(), eot.into());
    let added: Vec<_> = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>"]
        .iter()
        .enumerate()
        .map(|(i, c)| serde_json::json!({"id": eot + i, "content": c, "special": true}))
        .collect();
    serde_json::json!({
        "version": "1.0",
        "added_tokens": added,
        "model": {"type": "BPE", "vocab": vocab, "merges": []},
    })
    .to_string()
}

/// Writes a complete model directory.
pub fn write_model_dir(dir: &Path, vars: &BTreeMap<String, Var>) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("model.bin"), ct2_bytes(vars)).unwrap();
    std::fs::write(dir.join("tokenizer.json"), tokenizer_json()).unwrap();
    let config = serde_json::json!({"suppress_ids_begin": [220, TOKENS.len()]});
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
}

/// One tensor as read back by [`read_whisper`].
pub struct Tensor {
    pub ty: i32,
    pub ne: Vec<usize>,
    pub raw: Vec<u8>,
}

impl Tensor {
    /// Decoded values (f32, f16 or q8_0).
    pub fn values(&self) -> Vec<f32> {
        match self.ty {
            0 => Var {
                shape: vec![],
                dtype: 0,
                data: self.raw.clone(),
            }
            .values(),
            1 => Var {
                shape: vec![],
                dtype: 4,
                data: self.raw.clone(),
            }
            .values(),
            8 => medlyt_models::ggml::dequantize_q8_0(&self.raw),
            other => panic!("type {other}"),
        }
    }
}

/// A whisper ggml file, parsed independently of the crate's own reader.
pub struct WhisperFile {
    pub header: [i32; 11],
    pub mel_dims: (i32, i32),
    pub mel: Vec<f32>,
    pub tokens: Vec<Vec<u8>>,
    pub tensors: BTreeMap<String, Tensor>,
    pub order: Vec<String>,
}

pub fn read_whisper(path: &Path) -> WhisperFile {
    let data = std::fs::read(path).unwrap();
    let mut pos = 0usize;
    let i32_at = |pos: &mut usize| {
        let v = i32::from_le_bytes(data[*pos..*pos + 4].try_into().unwrap());
        *pos += 4;
        v
    };
    assert_eq!(i32_at(&mut pos) as u32, 0x6767_6d6c);
    let mut header = [0i32; 11];
    for h in &mut header {
        *h = i32_at(&mut pos);
    }
    let mel_dims = (i32_at(&mut pos), i32_at(&mut pos));
    let n = (mel_dims.0 * mel_dims.1) as usize;
    let mel = data[pos..pos + 4 * n]
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    pos += 4 * n;
    let count = i32_at(&mut pos);
    let mut tokens = Vec::new();
    for _ in 0..count {
        let len = i32_at(&mut pos) as usize;
        tokens.push(data[pos..pos + len].to_vec());
        pos += len;
    }
    let mut tensors = BTreeMap::new();
    let mut order = Vec::new();
    while pos < data.len() {
        let n_dims = i32_at(&mut pos) as usize;
        let name_len = i32_at(&mut pos) as usize;
        let ty = i32_at(&mut pos);
        let ne: Vec<usize> = (0..n_dims).map(|_| i32_at(&mut pos) as usize).collect();
        let name = String::from_utf8(data[pos..pos + name_len].to_vec()).unwrap();
        pos += name_len;
        let numel: usize = ne.iter().product();
        let bytes = match ty {
            0 => numel * 4,
            1 => numel * 2,
            8 => numel / 32 * 34,
            other => panic!("type {other}"),
        };
        let raw = data[pos..pos + bytes].to_vec();
        pos += bytes;
        order.push(name.clone());
        assert!(tensors.insert(name, Tensor { ty, ne, raw }).is_none());
    }
    WhisperFile {
        header,
        mel_dims,
        mel,
        tokens,
        tensors,
        order,
    }
}
