//! The tensors whisper.cpp 1.8 requires in a model file, derived from the header, as its
//! loader builds them. A file that lacks one, has an extra one or a different shape or type
//! is rejected by whisper.cpp, so [`crate::check`] rejects it first.

use std::collections::BTreeMap;

use crate::ggml::GgmlType;

/// Name to (ne, type) of every tensor a whisper model with these header values needs.
pub(crate) type Expected = BTreeMap<String, (Vec<u64>, GgmlType)>;

/// Header values that decide the tensor set of a whisper model.
pub(crate) struct WhisperDims {
    pub(crate) n_vocab: u64,
    pub(crate) n_audio_ctx: u64,
    pub(crate) n_audio_state: u64,
    pub(crate) n_audio_layer: u64,
    pub(crate) n_text_ctx: u64,
    pub(crate) n_text_state: u64,
    pub(crate) n_text_layer: u64,
    pub(crate) n_mels: u64,
    pub(crate) wtype: GgmlType,
}

pub(crate) fn whisper(d: &WhisperDims) -> Expected {
    let mut m = Expected::new();
    let f32 = GgmlType::F32;
    let w = d.wtype;
    let conv = if w == GgmlType::F32 {
        f32
    } else {
        GgmlType::F16
    };
    let mut add = |name: String, ne: &[u64], ty: GgmlType| {
        m.insert(name, (ne.to_vec(), ty));
    };
    let (a, t) = (d.n_audio_state, d.n_text_state);
    add(
        "encoder.positional_embedding".into(),
        &[a, d.n_audio_ctx],
        f32,
    );
    add("encoder.conv1.weight".into(), &[3, d.n_mels, a], conv);
    add("encoder.conv1.bias".into(), &[1, a], f32);
    add("encoder.conv2.weight".into(), &[3, a, a], conv);
    add("encoder.conv2.bias".into(), &[1, a], f32);
    add("encoder.ln_post.weight".into(), &[a], f32);
    add("encoder.ln_post.bias".into(), &[a], f32);
    for i in 0..d.n_audio_layer {
        let p = format!("encoder.blocks.{i}");
        block(&mut add, &p, a, w, false);
    }
    add(
        "decoder.positional_embedding".into(),
        &[t, d.n_text_ctx],
        f32,
    );
    add("decoder.token_embedding.weight".into(), &[t, d.n_vocab], w);
    add("decoder.ln.weight".into(), &[t], f32);
    add("decoder.ln.bias".into(), &[t], f32);
    for i in 0..d.n_text_layer {
        let p = format!("decoder.blocks.{i}");
        block(&mut add, &p, t, w, true);
    }
    m
}

fn block(
    add: &mut impl FnMut(String, &[u64], GgmlType),
    p: &str,
    s: u64,
    w: GgmlType,
    cross: bool,
) {
    let f32 = GgmlType::F32;
    add(format!("{p}.mlp_ln.weight"), &[s], f32);
    add(format!("{p}.mlp_ln.bias"), &[s], f32);
    add(format!("{p}.mlp.0.weight"), &[s, 4 * s], w);
    add(format!("{p}.mlp.0.bias"), &[4 * s], f32);
    add(format!("{p}.mlp.2.weight"), &[4 * s, s], w);
    add(format!("{p}.mlp.2.bias"), &[s], f32);
    let mut attn = |a: &str| {
        add(format!("{p}.{a}_ln.weight"), &[s], f32);
        add(format!("{p}.{a}_ln.bias"), &[s], f32);
        add(format!("{p}.{a}.query.weight"), &[s, s], w);
        add(format!("{p}.{a}.query.bias"), &[s], f32);
        add(format!("{p}.{a}.key.weight"), &[s, s], w);
        add(format!("{p}.{a}.value.weight"), &[s, s], w);
        add(format!("{p}.{a}.value.bias"), &[s], f32);
        add(format!("{p}.{a}.out.weight"), &[s, s], w);
        add(format!("{p}.{a}.out.bias"), &[s], f32);
    };
    attn("attn");
    if cross {
        attn("cross_attn");
    }
}

/// Header values of a Silero VAD file that decide its tensor set.
pub(crate) struct VadDims {
    /// (in, out, kernel) per encoder layer.
    pub(crate) layers: Vec<(u64, u64, u64)>,
    pub(crate) lstm_hidden: u64,
    pub(crate) final_conv_in: u64,
}

pub(crate) fn vad(d: &VadDims) -> Expected {
    let mut m = Expected::new();
    let (f16, f32) = (GgmlType::F16, GgmlType::F32);
    m.insert(
        "_model.stft.forward_basis_buffer".into(),
        (vec![256, 1, 258], f16),
    );
    for (i, &(c_in, c_out, k)) in d.layers.iter().enumerate() {
        let p = format!("_model.encoder.{i}.reparam_conv");
        m.insert(format!("{p}.weight"), (vec![k, c_in, c_out], f16));
        m.insert(format!("{p}.bias"), (vec![c_out], f32));
    }
    let h = d.lstm_hidden;
    for part in ["ih", "hh"] {
        m.insert(
            format!("_model.decoder.rnn.weight_{part}"),
            (vec![h, 4 * h], f32),
        );
        m.insert(
            format!("_model.decoder.rnn.bias_{part}"),
            (vec![4 * h], f32),
        );
    }
    m.insert(
        "_model.decoder.decoder.2.weight".into(),
        (vec![d.final_conv_in, 1], f16),
    );
    m.insert("_model.decoder.decoder.2.bias".into(), (vec![1], f32));
    m
}

/// Names the model size from its shape, as whisper.cpp and the official file names do.
pub(crate) fn size_name(
    n_audio_layer: u64,
    n_audio_state: u64,
    n_text_layer: u64,
    n_vocab: u64,
    n_mels: u64,
) -> String {
    let base = match (n_audio_layer, n_audio_state) {
        (4, 384) => "tiny",
        (6, 512) => "base",
        (12, 768) => "small",
        (24, 1024) => "medium",
        (32, 1280) => "large",
        _ => return "custom".to_string(),
    };
    let mut name = base.to_string();
    if base == "large" && (n_vocab == 51866 || n_mels == 128) {
        name.push_str("-v3");
    }
    if n_text_layer != n_audio_layer {
        if base == "large" && n_text_layer == 4 {
            name.push_str("-turbo");
        } else {
            name = format!("distil-{name}");
        }
    }
    if n_vocab < crate::MULTILINGUAL_MIN_VOCAB as u64 {
        name.push_str(".en");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_sizes_are_named() {
        assert_eq!(size_name(4, 384, 4, 51864, 80), "tiny.en");
        assert_eq!(size_name(6, 512, 6, 51865, 80), "base");
        assert_eq!(size_name(32, 1280, 32, 51865, 80), "large");
        assert_eq!(size_name(32, 1280, 32, 51866, 128), "large-v3");
        assert_eq!(size_name(32, 1280, 4, 51866, 128), "large-v3-turbo");
        assert_eq!(size_name(32, 1280, 2, 51866, 128), "distil-large-v3");
        assert_eq!(size_name(5, 512, 6, 51865, 80), "custom");
    }

    #[test]
    fn tensor_counts_match_whisper_cpp() {
        let dims = |layers, state| WhisperDims {
            n_vocab: 51865,
            n_audio_ctx: 1500,
            n_audio_state: state,
            n_audio_layer: layers,
            n_text_ctx: 448,
            n_text_state: state,
            n_text_layer: layers,
            n_mels: 80,
            wtype: GgmlType::F16,
        };
        assert_eq!(whisper(&dims(4, 384)).len(), 167);
        assert_eq!(whisper(&dims(6, 512)).len(), 245);
    }
}
