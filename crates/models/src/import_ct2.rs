//! CTranslate2 Whisper directory to whisper.cpp ggml file.

use std::collections::BTreeSet;
use std::path::Path;

use crate::ct2::Ct2File;
use crate::ggml::{encode, AtomicWriter, GgmlType, GGML_MAGIC, QK};
use crate::{mel, vocab, ImportSummary, ModelError, Quant};

/// How a tensor is stored in the output.
#[derive(Clone, Copy)]
enum Role {
    /// Biases, norms, positional embeddings: always f32.
    Vector,
    /// Convolution kernels: always f16.
    Conv,
    /// Linear weights and the token embedding: f16 or q8_0.
    Matrix,
}

struct Converter<'a> {
    src: Ct2File,
    out: AtomicWriter,
    quant: Quant,
    n_tensors: usize,
    dir: &'a Path,
}

impl Converter<'_> {
    fn bad(&self, reason: String) -> ModelError {
        ModelError::NotCt2 {
            path: self.dir.to_path_buf(),
            reason,
        }
    }

    /// Reads `name` and checks its shape.
    fn load(&mut self, name: &str, expected: &[usize]) -> Result<Vec<f32>, ModelError> {
        let (shape, values) = self.src.read_f32(name)?;
        if shape != expected {
            return Err(ModelError::BadShape {
                name: name.to_string(),
                expected: expected.to_vec(),
                actual: shape,
            });
        }
        Ok(values)
    }

    /// Writes `values` (of numpy shape `shape`) as tensor `name`.
    fn emit(
        &mut self,
        name: &str,
        shape: &[usize],
        role: Role,
        values: &[f32],
    ) -> Result<(), ModelError> {
        let ty = match role {
            Role::Vector => GgmlType::F32,
            Role::Conv => GgmlType::F16,
            Role::Matrix => match self.quant {
                Quant::F16 => GgmlType::F16,
                Quant::Q8_0 => GgmlType::Q8_0,
            },
        };
        let ne0 = shape.last().copied().unwrap_or(1);
        if ty == GgmlType::Q8_0 && ne0 % QK != 0 {
            return Err(self.bad(format!(
                "tensor {name} has rows of {ne0} values, q8_0 needs a multiple of {QK}"
            )));
        }
        let data = encode(values, ty).ok_or_else(|| self.bad(format!("cannot encode {name}")))?;
        self.out.tensor(name, shape, ty, &data)?;
        self.n_tensors += 1;
        Ok(())
    }

    /// Copies a variable unchanged in layout.
    fn copy(
        &mut self,
        src: &str,
        dst: &str,
        shape: &[usize],
        role: Role,
    ) -> Result<(), ModelError> {
        let values = self.load(src, shape)?;
        self.emit(dst, shape, role, &values)
    }

    /// Copies a linear layer (weight and bias).
    fn linear(&mut self, src: &str, dst: &str, out: usize, inp: usize) -> Result<(), ModelError> {
        self.copy(
            &format!("{src}/weight"),
            &format!("{dst}.weight"),
            &[out, inp],
            Role::Matrix,
        )?;
        self.copy(
            &format!("{src}/bias"),
            &format!("{dst}.bias"),
            &[out],
            Role::Vector,
        )
    }

    /// Copies a layer norm (gamma, beta).
    fn norm(&mut self, src: &str, dst: &str, d: usize) -> Result<(), ModelError> {
        self.copy(
            &format!("{src}/gamma"),
            &format!("{dst}.weight"),
            &[d],
            Role::Vector,
        )?;
        self.copy(
            &format!("{src}/beta"),
            &format!("{dst}.bias"),
            &[d],
            Role::Vector,
        )
    }

    /// Splits a fused linear layer of `parts.len() * d` rows into separate tensors. A part
    /// named `key` has no bias in ggml: its bias slice must be zero.
    fn split(&mut self, src: &str, dst: &str, parts: &[&str], d: usize) -> Result<(), ModelError> {
        let n = parts.len();
        let weight = self.load(&format!("{src}/weight"), &[n * d, d])?;
        let bias_name = format!("{src}/bias");
        let bias = self.load(&bias_name, &[n * d])?;
        for (i, part) in parts.iter().enumerate() {
            let rows = &weight[i * d * d..(i + 1) * d * d];
            self.emit(&format!("{dst}.{part}.weight"), &[d, d], Role::Matrix, rows)?;
            let b = &bias[i * d..(i + 1) * d];
            if *part == "key" {
                let max_abs = b.iter().fold(0.0f32, |m, &x| m.max(x.abs()));
                if max_abs != 0.0 {
                    return Err(ModelError::NonZeroBias {
                        name: format!("{bias_name}[{}..{}]", i * d, (i + 1) * d),
                        max_abs,
                    });
                }
            } else {
                self.emit(&format!("{dst}.{part}.bias"), &[d], Role::Vector, b)?;
            }
        }
        Ok(())
    }

    /// A layer's self-attention: its norm, the fused QKV matrix split in three, the output.
    fn self_attention(&mut self, src: &str, dst: &str, d: usize) -> Result<(), ModelError> {
        self.norm(
            &format!("{src}/self_attention/layer_norm"),
            &format!("{dst}.attn_ln"),
            d,
        )?;
        self.split(
            &format!("{src}/self_attention/linear_0"),
            &format!("{dst}.attn"),
            &["query", "key", "value"],
            d,
        )?;
        self.linear(
            &format!("{src}/self_attention/linear_1"),
            &format!("{dst}.attn.out"),
            d,
            d,
        )
    }

    fn ffn(&mut self, src: &str, dst: &str, d: usize) -> Result<(), ModelError> {
        let hidden = self
            .src
            .var(&format!("{src}/ffn/linear_0/weight"))?
            .shape
            .first()
            .copied();
        let hidden = hidden.unwrap_or(0);
        self.norm(
            &format!("{src}/ffn/layer_norm"),
            &format!("{dst}.mlp_ln"),
            d,
        )?;
        self.linear(
            &format!("{src}/ffn/linear_0"),
            &format!("{dst}.mlp.0"),
            hidden,
            d,
        )?;
        self.linear(
            &format!("{src}/ffn/linear_1"),
            &format!("{dst}.mlp.2"),
            d,
            hidden,
        )
    }
}

/// Counts `prefix/layer_N/` groups and checks they are numbered 0..n.
fn count_layers(src: &Ct2File, prefix: &str, dir: &Path) -> Result<usize, ModelError> {
    let lead = format!("{prefix}/layer_");
    let ids: BTreeSet<usize> = src
        .names()
        .filter_map(|n| n.strip_prefix(&lead))
        .filter_map(|rest| rest.split('/').next())
        .filter_map(|i| i.parse().ok())
        .collect();
    if ids.is_empty() || ids.iter().copied().ne(0..ids.len()) {
        return Err(ModelError::NotCt2 {
            path: dir.to_path_buf(),
            reason: format!("{prefix} layers are numbered {ids:?}, expected 0..n"),
        });
    }
    Ok(ids.len())
}

fn dims2(src: &Ct2File, name: &str) -> Result<(usize, usize), ModelError> {
    let shape = &src.var(name)?.shape;
    match shape.as_slice() {
        [a, b] => Ok((*a, *b)),
        _ => Err(ModelError::BadShape {
            name: name.to_string(),
            expected: vec![0, 0],
            actual: shape.clone(),
        }),
    }
}

/// Converts the CTranslate2 Whisper model in `dir` (`model.bin`, `tokenizer.json`) into a
/// whisper.cpp ggml file at `out`, written atomically. Reads one variable at a time.
pub fn import_ct2(dir: &Path, out: &Path, quant: Quant) -> Result<ImportSummary, ModelError> {
    let src = Ct2File::open(&dir.join("model.bin"))?;
    let (tokens, eot) = vocab::read_vocab(&dir.join("tokenizer.json"))?;

    let conv1 = src.var("encoder/conv1/weight")?.shape.clone();
    let [d, n_mels, _kernel] = conv1.as_slice() else {
        return Err(ModelError::BadShape {
            name: "encoder/conv1/weight".to_string(),
            expected: vec![0, 0, 3],
            actual: conv1.clone(),
        });
    };
    let (d, n_mels) = (*d, *n_mels);
    let (n_audio_ctx, _) = dims2(&src, "encoder/position_encodings/encodings")?;
    let (n_text_ctx, _) = dims2(&src, "decoder/position_encodings/encodings")?;
    let (n_vocab, _) = dims2(&src, "decoder/embeddings/weight")?;
    let n_enc = count_layers(&src, "encoder", dir)?;
    let n_dec = count_layers(&src, "decoder", dir)?;
    if n_vocab < eot as usize {
        return Err(ModelError::BadTokenizer {
            path: dir.join("tokenizer.json"),
            reason: format!("{} regular tokens but only {n_vocab} embeddings", eot),
        });
    }
    check_config(dir, eot)?;

    let mut c = Converter {
        src,
        out: AtomicWriter::create(out)?,
        quant,
        n_tensors: 0,
        dir,
    };
    let n_audio_head = c.src.read_int("encoder/num_heads")?;
    let n_text_head = c.src.read_int("decoder/num_heads")?;
    for (name, heads) in [("encoder", n_audio_head), ("decoder", n_text_head)] {
        if heads <= 0 || d as i64 % heads != 0 {
            return Err(c.bad(format!("{name} has {heads} heads for width {d}")));
        }
    }
    let as_i32 = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
    let header = [
        as_i32(n_vocab),
        as_i32(n_audio_ctx),
        as_i32(d),
        i32::try_from(n_audio_head).unwrap_or(0),
        as_i32(n_enc),
        as_i32(n_text_ctx),
        as_i32(d),
        i32::try_from(n_text_head).unwrap_or(0),
        as_i32(n_dec),
        as_i32(n_mels),
        quant.ftype(),
    ];
    c.out.u32(GGML_MAGIC)?;
    for v in header {
        c.out.i32(v)?;
    }
    c.out.i32(as_i32(n_mels))?;
    c.out.i32(as_i32(mel::N_FREQ))?;
    let filters: Vec<u8> = mel::mel_filters(n_mels)
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    c.out.bytes(&filters)?;
    c.out.i32(as_i32(tokens.len()))?;
    for t in &tokens {
        c.out.i32(as_i32(t.len()))?;
        c.out.bytes(t)?;
    }

    let pe = "encoder/position_encodings/encodings";
    c.copy(
        pe,
        "encoder.positional_embedding",
        &[n_audio_ctx, d],
        Role::Vector,
    )?;
    c.copy(
        "encoder/conv1/weight",
        "encoder.conv1.weight",
        &[d, n_mels, 3],
        Role::Conv,
    )?;
    let bias = c.load("encoder/conv1/bias", &[d])?;
    c.emit("encoder.conv1.bias", &[d, 1], Role::Vector, &bias)?;
    c.copy(
        "encoder/conv2/weight",
        "encoder.conv2.weight",
        &[d, d, 3],
        Role::Conv,
    )?;
    let bias = c.load("encoder/conv2/bias", &[d])?;
    c.emit("encoder.conv2.bias", &[d, 1], Role::Vector, &bias)?;
    for i in 0..n_enc {
        let (s, t) = (format!("encoder/layer_{i}"), format!("encoder.blocks.{i}"));
        c.self_attention(&s, &t, d)?;
        c.ffn(&s, &t, d)?;
    }
    c.norm("encoder/layer_norm", "encoder.ln_post", d)?;

    let pe = "decoder/position_encodings/encodings";
    c.copy(
        pe,
        "decoder.positional_embedding",
        &[n_text_ctx, d],
        Role::Vector,
    )?;
    let emb = "decoder/embeddings/weight";
    c.copy(
        emb,
        "decoder.token_embedding.weight",
        &[n_vocab, d],
        Role::Matrix,
    )?;
    for i in 0..n_dec {
        let (s, t) = (format!("decoder/layer_{i}"), format!("decoder.blocks.{i}"));
        c.self_attention(&s, &t, d)?;
        c.norm(
            &format!("{s}/attention/layer_norm"),
            &format!("{t}.cross_attn_ln"),
            d,
        )?;
        c.linear(
            &format!("{s}/attention/linear_0"),
            &format!("{t}.cross_attn.query"),
            d,
            d,
        )?;
        let kv = ["key", "value"];
        c.split(
            &format!("{s}/attention/linear_1"),
            &format!("{t}.cross_attn"),
            &kv,
            d,
        )?;
        c.linear(
            &format!("{s}/attention/linear_2"),
            &format!("{t}.cross_attn.out"),
            d,
            d,
        )?;
        c.ffn(&s, &t, d)?;
    }
    c.norm("decoder/layer_norm", "decoder.ln", d)?;

    let n_tensors = c.n_tensors;
    let (bytes, sha256) = c.out.finish()?;
    Ok(ImportSummary {
        n_tensors,
        n_vocab,
        n_mels,
        layers: (n_enc, n_dec),
        ftype: quant.ftype(),
        quant,
        bytes,
        sha256,
        multilingual: n_vocab >= crate::MULTILINGUAL_MIN_VOCAB,
    })
}

#[derive(serde::Deserialize)]
struct Config {
    #[serde(default)]
    suppress_ids_begin: Vec<i64>,
}

/// If `config.json` exists, checks that it agrees with the tokenizer on the end-of-text id.
fn check_config(dir: &Path, eot: u32) -> Result<(), ModelError> {
    let path = dir.join("config.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let config: Config = serde_json::from_str(&text).map_err(|e| ModelError::Json {
        path: path.clone(),
        source: e,
    })?;
    let eot = i64::from(eot);
    if !config.suppress_ids_begin.is_empty() && !config.suppress_ids_begin.contains(&eot) {
        return Err(ModelError::BadTokenizer {
            path,
            reason: format!("end-of-text id {eot} is not in config's suppress_ids_begin"),
        });
    }
    Ok(())
}
