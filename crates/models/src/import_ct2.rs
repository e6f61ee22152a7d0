//! CTranslate2 Whisper directory to whisper.cpp ggml file.

use std::collections::BTreeSet;
use std::path::Path;

use crate::ct2::Ct2File;
use crate::whisper_ggml::{write_whisper, Hparams, Planned, TensorSource};
use crate::{vocab, ImportSummary, ModelError, Quant};

/// The CTranslate2 variable that holds ggml tensor `name`, and which of its `n` equal row
/// blocks it is: CTranslate2 fuses query, key and value (and cross-attention key and value)
/// into one matrix.
fn ct2_name(name: &str) -> Option<(String, usize, usize)> {
    let whole = |v: &str| Some((v.to_string(), 0, 1));
    match name {
        "encoder.positional_embedding" => return whole("encoder/position_encodings/encodings"),
        "decoder.positional_embedding" => return whole("decoder/position_encodings/encodings"),
        "decoder.token_embedding.weight" => return whole("decoder/embeddings/weight"),
        _ => {}
    }
    let (module, param) = name.rsplit_once('.')?;
    let (side, rest) = module.split_once('.')?;
    let norm = |path: String| Some((path, true, 0, 1));
    let plain = |path: String| Some((path, false, 0, 1));
    let (path, is_norm, part, n) = match rest {
        "conv1" | "conv2" => plain(format!("{side}/{rest}")),
        "ln_post" | "ln" => norm(format!("{side}/layer_norm")),
        _ => {
            let (i, module) = rest.strip_prefix("blocks.")?.split_once('.')?;
            let layer = format!("{side}/layer_{i}");
            let fused = |path: &str, part, n| Some((format!("{layer}/{path}"), false, part, n));
            match module {
                "attn_ln" => norm(format!("{layer}/self_attention/layer_norm")),
                "attn.query" => fused("self_attention/linear_0", 0, 3),
                "attn.key" => fused("self_attention/linear_0", 1, 3),
                "attn.value" => fused("self_attention/linear_0", 2, 3),
                "attn.out" => plain(format!("{layer}/self_attention/linear_1")),
                "cross_attn_ln" => norm(format!("{layer}/attention/layer_norm")),
                "cross_attn.query" => plain(format!("{layer}/attention/linear_0")),
                "cross_attn.key" => fused("attention/linear_1", 0, 2),
                "cross_attn.value" => fused("attention/linear_1", 1, 2),
                "cross_attn.out" => plain(format!("{layer}/attention/linear_2")),
                "mlp_ln" => norm(format!("{layer}/ffn/layer_norm")),
                "mlp.0" => plain(format!("{layer}/ffn/linear_0")),
                "mlp.2" => plain(format!("{layer}/ffn/linear_1")),
                _ => None,
            }
        }
    }?;
    let param = match (is_norm, param) {
        (true, "weight") => "gamma",
        (true, _) => "beta",
        (false, p) => p,
    };
    Some((format!("{path}/{param}"), part, n))
}

/// Feeds the ggml writer from a `model.bin`, one variable at a time; the fused attention
/// matrix and bias of the current layer are kept while their parts are written.
struct Ct2Source<'a> {
    src: Ct2File,
    dir: &'a Path,
    fused: Vec<(String, Vec<f32>)>,
}

impl Ct2Source<'_> {
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

    /// Part `part` of the `n` row blocks of fused variable `name`, whose blocks have `shape`.
    fn part(
        &mut self,
        name: &str,
        shape: &[usize],
        part: usize,
        n: usize,
    ) -> Result<Vec<f32>, ModelError> {
        let len: usize = shape.iter().product();
        if let Some((_, v)) = self.fused.iter().find(|(k, _)| k == name) {
            return Ok(v[part * len..(part + 1) * len].to_vec());
        }
        let mut whole = shape.to_vec();
        whole[0] *= n;
        let values = self.load(name, &whole)?;
        let slice = values[part * len..(part + 1) * len].to_vec();
        let parent = |k: &str| k.rsplit_once('/').map(|(p, _)| p.to_string());
        if self.fused.first().map(|(k, _)| parent(k)) != Some(parent(name)) {
            self.fused.clear();
        }
        self.fused.push((name.to_string(), values));
        Ok(slice)
    }
}

impl TensorSource for Ct2Source<'_> {
    fn tensor(&mut self, t: &Planned) -> Result<Vec<f32>, ModelError> {
        let (name, part, n) = ct2_name(&t.name)
            .ok_or_else(|| self.bad(format!("no CTranslate2 variable for {}", t.name)))?;
        if n == 1 {
            return self.load(&name, &t.shape);
        }
        let values = self.part(&name, &t.shape, part, n)?;
        if t.name.ends_with(".key.weight") {
            // ggml has no key bias: its slice of the fused bias must be zero.
            let bias_name = name.replace("/weight", "/bias");
            let d = t.shape[0];
            let bias = self.part(&bias_name, &[d], part, n)?;
            let max_abs = bias.iter().fold(0.0f32, |m, &x| m.max(x.abs()));
            if max_abs != 0.0 {
                return Err(ModelError::NonZeroBias {
                    name: format!("{bias_name}[{}..{}]", part * d, (part + 1) * d),
                    max_abs,
                });
            }
        }
        Ok(values)
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
    let mut src = Ct2File::open(&dir.join("model.bin"))?;
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
    let bad = |reason: String| ModelError::NotCt2 {
        path: dir.to_path_buf(),
        reason,
    };
    let mut heads = [0usize; 2];
    for (slot, side) in heads.iter_mut().zip(["encoder", "decoder"]) {
        let n = src.read_int(&format!("{side}/num_heads"))?;
        *slot =
            usize::try_from(n).map_err(|_| bad(format!("{side} has {n} heads for width {d}")))?;
    }
    let ffn = |src: &Ct2File, side: &str| -> Result<usize, ModelError> {
        let name = format!("{side}/layer_0/ffn/linear_0/weight");
        Ok(src.var(&name)?.shape.first().copied().unwrap_or(0))
    };
    let hp = Hparams {
        n_vocab,
        n_audio_ctx,
        width: d,
        n_audio_head: heads[0],
        n_audio_layer: n_enc,
        n_text_ctx,
        n_text_head: heads[1],
        n_text_layer: n_dec,
        n_mels,
        encoder_ffn: ffn(&src, "encoder")?,
        decoder_ffn: ffn(&src, "decoder")?,
    };
    let mut source = Ct2Source {
        src,
        dir,
        fused: Vec::new(),
    };
    write_whisper(out, &hp, &tokens, quant, &mut source, &bad)
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
