//! The whisper.cpp ggml model file, written from any source of Whisper weights: the header,
//! the mel filterbank, the vocabulary, then every tensor in whisper.cpp's names, order,
//! shapes and types. Importers only map these names to their own and hand over the values.

use std::path::Path;

use crate::ggml::{encode, AtomicWriter, GgmlType, GGML_MAGIC, QK};
use crate::{mel, ImportSummary, ModelError, Quant};

/// The hyper-parameters of a Whisper model, as the ggml header stores them, plus the MLP
/// widths that the tensor shapes need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hparams {
    /// Rows of the token embedding.
    pub n_vocab: usize,
    /// Encoder positions (1500).
    pub n_audio_ctx: usize,
    /// Model width, the same in encoder and decoder.
    pub width: usize,
    /// Encoder attention heads.
    pub n_audio_head: usize,
    /// Encoder layers.
    pub n_audio_layer: usize,
    /// Decoder positions (448).
    pub n_text_ctx: usize,
    /// Decoder attention heads.
    pub n_text_head: usize,
    /// Decoder layers.
    pub n_text_layer: usize,
    /// Mel bands (80, or 128 for large-v3).
    pub n_mels: usize,
    /// Hidden width of the encoder MLPs (4 x width in every released model).
    pub encoder_ffn: usize,
    /// Hidden width of the decoder MLPs.
    pub decoder_ffn: usize,
}

/// How a tensor is stored in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Biases, norms, positional embeddings: always f32.
    Vector,
    /// Convolution kernels: always f16.
    Conv,
    /// Linear weights and the token embedding: f16 or q8_0.
    Matrix,
}

/// One tensor of the output file.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    /// whisper.cpp's name, e.g. `encoder.blocks.0.attn.query.weight`.
    pub name: String,
    /// Shape the source tensor must have (PyTorch order).
    pub shape: Vec<usize>,
    /// Shape written (PyTorch order): the same, except that conv biases are (d, 1).
    pub out_shape: Vec<usize>,
    /// Storage class.
    pub role: Role,
}

/// Where the values of the planned tensors come from.
pub(crate) trait TensorSource {
    /// The values of `t` in row-major order, checked to have `t.shape` in the source.
    fn tensor(&mut self, t: &Planned) -> Result<Vec<f32>, ModelError>;
}

struct Plan(Vec<Planned>);

impl Plan {
    fn add(&mut self, name: String, shape: &[usize], role: Role) {
        self.0.push(Planned {
            name,
            shape: shape.to_vec(),
            out_shape: shape.to_vec(),
            role,
        });
    }

    fn norm(&mut self, prefix: &str, d: usize) {
        self.add(format!("{prefix}.weight"), &[d], Role::Vector);
        self.add(format!("{prefix}.bias"), &[d], Role::Vector);
    }

    /// A linear layer; `bias` is false for attention keys, which have none in Whisper.
    fn linear(&mut self, prefix: &str, out: usize, inp: usize, bias: bool) {
        self.add(format!("{prefix}.weight"), &[out, inp], Role::Matrix);
        if bias {
            self.add(format!("{prefix}.bias"), &[out], Role::Vector);
        }
    }

    fn attention(&mut self, prefix: &str, d: usize) {
        self.linear(&format!("{prefix}.query"), d, d, true);
        self.linear(&format!("{prefix}.key"), d, d, false);
        self.linear(&format!("{prefix}.value"), d, d, true);
        self.linear(&format!("{prefix}.out"), d, d, true);
    }

    fn mlp(&mut self, prefix: &str, d: usize, hidden: usize) {
        self.norm(&format!("{prefix}.mlp_ln"), d);
        self.linear(&format!("{prefix}.mlp.0"), hidden, d, true);
        self.linear(&format!("{prefix}.mlp.2"), d, hidden, true);
    }

    fn conv(&mut self, prefix: &str, d: usize, inp: usize) {
        self.add(format!("{prefix}.weight"), &[d, inp, 3], Role::Conv);
        self.0.push(Planned {
            name: format!("{prefix}.bias"),
            shape: vec![d],
            out_shape: vec![d, 1],
            role: Role::Vector,
        });
    }
}

/// Every tensor of a whisper.cpp model file with these hyper-parameters, in file order
/// (245 for base, 167 for tiny).
pub(crate) fn plan(hp: &Hparams) -> Vec<Planned> {
    let d = hp.width;
    let mut p = Plan(Vec::new());
    p.add(
        "encoder.positional_embedding".into(),
        &[hp.n_audio_ctx, d],
        Role::Vector,
    );
    p.conv("encoder.conv1", d, hp.n_mels);
    p.conv("encoder.conv2", d, d);
    for i in 0..hp.n_audio_layer {
        let b = format!("encoder.blocks.{i}");
        p.norm(&format!("{b}.attn_ln"), d);
        p.attention(&format!("{b}.attn"), d);
        p.mlp(&b, d, hp.encoder_ffn);
    }
    p.norm("encoder.ln_post", d);
    p.add(
        "decoder.positional_embedding".into(),
        &[hp.n_text_ctx, d],
        Role::Vector,
    );
    p.add(
        "decoder.token_embedding.weight".into(),
        &[hp.n_vocab, d],
        Role::Matrix,
    );
    for i in 0..hp.n_text_layer {
        let b = format!("decoder.blocks.{i}");
        p.norm(&format!("{b}.attn_ln"), d);
        p.attention(&format!("{b}.attn"), d);
        p.norm(&format!("{b}.cross_attn_ln"), d);
        p.attention(&format!("{b}.cross_attn"), d);
        p.mlp(&b, d, hp.decoder_ffn);
    }
    p.norm("decoder.ln", d);
    p.0
}

fn as_i32(v: usize, what: &str, invalid: &dyn Fn(String) -> ModelError) -> Result<i32, ModelError> {
    i32::try_from(v).map_err(|_| invalid(format!("{what} {v} is too large")))
}

/// Writes the whisper.cpp model file `out` (atomically): the header from `hp`, the mel
/// filters for `hp.n_mels` bands, the regular `tokens` (raw bytes) and every planned tensor
/// as `src` provides it, one at a time. `invalid` builds the error for inconsistent
/// hyper-parameters; nothing is written when they are.
pub(crate) fn write_whisper(
    out: &Path,
    hp: &Hparams,
    tokens: &[Vec<u8>],
    quant: Quant,
    src: &mut dyn TensorSource,
    invalid: &dyn Fn(String) -> ModelError,
) -> Result<ImportSummary, ModelError> {
    let d = hp.width;
    for (side, heads) in [("encoder", hp.n_audio_head), ("decoder", hp.n_text_head)] {
        if heads == 0 || !d.is_multiple_of(heads) {
            return Err(invalid(format!("{side} has {heads} heads for width {d}")));
        }
    }
    let matrix_type = match quant {
        Quant::F16 => GgmlType::F16,
        Quant::Q8_0 => GgmlType::Q8_0,
    };
    let tensors = plan(hp);
    for t in &tensors {
        let ne0 = t.shape.last().copied().unwrap_or(1);
        if t.role == Role::Matrix && matrix_type == GgmlType::Q8_0 && ne0 % QK != 0 {
            return Err(invalid(format!(
                "tensor {} has rows of {ne0} values, q8_0 needs a multiple of {QK}",
                t.name
            )));
        }
    }
    let header = [
        as_i32(hp.n_vocab, "n_vocab", invalid)?,
        as_i32(hp.n_audio_ctx, "n_audio_ctx", invalid)?,
        as_i32(d, "width", invalid)?,
        as_i32(hp.n_audio_head, "n_audio_head", invalid)?,
        as_i32(hp.n_audio_layer, "n_audio_layer", invalid)?,
        as_i32(hp.n_text_ctx, "n_text_ctx", invalid)?,
        as_i32(d, "width", invalid)?,
        as_i32(hp.n_text_head, "n_text_head", invalid)?,
        as_i32(hp.n_text_layer, "n_text_layer", invalid)?,
        as_i32(hp.n_mels, "n_mels", invalid)?,
        quant.ftype(),
    ];
    let mut w = AtomicWriter::create(out)?;
    w.u32(GGML_MAGIC)?;
    for v in header {
        w.i32(v)?;
    }
    w.i32(header[9])?;
    w.i32(as_i32(mel::N_FREQ, "n_fft", invalid)?)?;
    let filters: Vec<u8> = mel::mel_filters(hp.n_mels)
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    w.bytes(&filters)?;
    w.i32(as_i32(tokens.len(), "token count", invalid)?)?;
    for t in tokens {
        w.i32(as_i32(t.len(), "token length", invalid)?)?;
        w.bytes(t)?;
    }
    for t in &tensors {
        let values = src.tensor(t)?;
        if values.len() != t.shape.iter().product::<usize>() {
            return Err(invalid(format!(
                "{} has {} values for shape {:?}",
                t.name,
                values.len(),
                t.shape
            )));
        }
        let ty = match t.role {
            Role::Vector => GgmlType::F32,
            Role::Conv => GgmlType::F16,
            Role::Matrix => matrix_type,
        };
        let data =
            encode(&values, ty).ok_or_else(|| invalid(format!("cannot encode {}", t.name)))?;
        w.tensor(&t.name, &t.out_shape, ty, &data)?;
    }
    let (bytes, sha256) = w.finish()?;
    Ok(ImportSummary {
        n_tensors: tensors.len(),
        n_vocab: hp.n_vocab,
        n_mels: hp.n_mels,
        layers: (hp.n_audio_layer, hp.n_text_layer),
        ftype: quant.ftype(),
        quant,
        bytes,
        sha256,
        multilingual: hp.n_vocab >= crate::MULTILINGUAL_MIN_VOCAB,
    })
}
