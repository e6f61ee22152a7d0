//! Offline model import and checking for medlyt.
//!
//! medlyt transcribes with whisper.cpp, which reads models in its own ggml format. Where no
//! model hub can be reached, real Whisper weights still come from package registries in
//! CTranslate2 format, and Silero VAD weights as safetensors. This crate converts both into
//! the files whisper.cpp loads, in pure Rust:
//!
//! - [`import_ct2`]: a CTranslate2 Whisper directory (`model.bin`, `tokenizer.json`) to a
//!   ggml file with f16 or q8_0 weights, mel filters computed here and the vocabulary as
//!   raw bytes;
//! - [`import_hf`]: a Hugging Face transformers Whisper checkpoint folder (safetensors or
//!   PyTorch weights, sharded or not) to the same kind of ggml file, for any size from tiny
//!   to large-v3-turbo and fine-tunes of them;
//! - [`import_silero`]: `silero_vad_16k.safetensors` to whisper.cpp's VAD file;
//! - [`import_speaker`]: CAM++ and pyannote segmentation PyTorch checkpoints to medlyt's
//!   speaker files for mono diarization ([`load_speaker_model`] reads them);
//! - [`inspect`] and [`check`]: read any ggml model file's header and every tensor record,
//!   so a corrupt, truncated or wrong-kind file is rejected with a clear error before
//!   whisper.cpp (which may crash on such files) sees it.
//! - [`fetch`]: where a network is available, downloads the official whisper.cpp files,
//!   resumably, and checks them against pinned SHA-256 sums before they are put in place.
//!
//! Every output is written to a temporary file next to the target and renamed into place,
//! and conversion reads one source tensor at a time. The format facts and the name mapping
//! are described in `docs/whisper-models.md`.

#![forbid(unsafe_code)]

mod ct2;
mod error;
mod expected;
pub mod fetch;
pub mod ggml;
mod hf_weights;
mod import_ct2;
mod import_hf;
mod inspect;
pub mod mel;
mod safetensors;
mod silero;
mod speaker;
pub mod torch;
pub mod vocab;
mod whisper_ggml;

pub use error::ModelError;
pub use ggml::GgmlType;
pub use import_ct2::import_ct2;
pub use import_hf::{import_hf, HfImportSummary};
pub use inspect::{check, inspect, ModelFileInfo, ModelKind, TensorInfo};
pub use silero::{import_silero, VadImportSummary, SILERO_TYPE, SILERO_VERSION};
pub use speaker::{
    import_speaker, load_speaker_model, SpeakerImportSummary, SpeakerKind, SpeakerModel,
    SPEAKER_FORMAT,
};

/// Smallest `n_vocab` of a multilingual Whisper model (English-only models have 51864).
pub const MULTILINGUAL_MIN_VOCAB: usize = 51865;

/// Storage of the weight matrices (linear layers and token embedding) in an imported file.
///
/// All-f32 files are not offered: whisper.cpp 1.8.3 crashes on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quant {
    /// 16-bit floats: lossless for float16 sources.
    F16,
    /// ggml q8_0 blocks: about half the size, slightly faster on CPU.
    #[default]
    Q8_0,
}

impl Quant {
    /// The header `ftype` whisper.cpp reads (1 for f16, 7 for q8_0).
    pub fn ftype(self) -> i32 {
        match self {
            Quant::F16 => 1,
            Quant::Q8_0 => 7,
        }
    }

    /// Lowercase name as used on the command line ("f16", "q8_0").
    pub fn name(self) -> &'static str {
        match self {
            Quant::F16 => "f16",
            Quant::Q8_0 => "q8_0",
        }
    }
}

impl std::fmt::Display for Quant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A weight storage name that is neither "f16" nor "q8_0".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown weight type {0:?}, expected f16 or q8_0")]
pub struct ParseQuantError(pub String);

impl std::str::FromStr for Quant {
    type Err = ParseQuantError;

    fn from_str(s: &str) -> Result<Quant, ParseQuantError> {
        match s.to_ascii_lowercase().as_str() {
            "f16" => Ok(Quant::F16),
            "q8_0" | "q8" => Ok(Quant::Q8_0),
            _ => Err(ParseQuantError(s.to_string())),
        }
    }
}

/// What [`import_ct2`] (or [`import_hf`]) wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Tensors written (167 for tiny, 245 for base).
    pub n_tensors: usize,
    /// Header `n_vocab`: rows of the token embedding.
    pub n_vocab: usize,
    /// Mel bands (80, or 128 for large-v3).
    pub n_mels: usize,
    /// (encoder, decoder) layer counts.
    pub layers: (usize, usize),
    /// Header `ftype`.
    pub ftype: i32,
    /// Weight storage.
    pub quant: Quant,
    /// Output file size in bytes.
    pub bytes: u64,
    /// SHA-256 of the output file, lowercase hex.
    pub sha256: String,
    /// Whether the model is multilingual.
    pub multilingual: bool,
}
