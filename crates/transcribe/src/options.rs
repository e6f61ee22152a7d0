//! What the caller asks for: the model and how to transcribe.

use medlyt_core::Role;
use std::path::PathBuf;

/// The model to use, as checked by the caller.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    /// Path of the ggml file.
    pub path: PathBuf,
    /// A short name for the output, e.g. `base-q8_0`.
    pub name: String,
    /// SHA-256 of the file, where known.
    pub sha256: Option<String>,
    /// Decoder layer count (chooses the DTW preset).
    pub text_layers: i32,
    /// Model width.
    pub width: i32,
    /// Whether the model knows languages other than English.
    pub multilingual: bool,
}

/// How to transcribe.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Whisper model.
    pub model: ModelSpec,
    /// The Silero VAD model; without it an energy detector finds speech.
    pub vad_model: Option<PathBuf>,
    /// `da`, `en` or `auto`.
    pub language: String,
    /// Role per channel, in channel order (default: employee, citizen).
    pub roles: Vec<Role>,
    /// CPU threads.
    pub threads: usize,
    /// Beam size (1 = greedy).
    pub beam: usize,
    /// Text Whisper reads as if it came before each window: words to expect (`None`: none).
    pub prompt: Option<String>,
    /// Shrink Whisper's encoder to each window's length.
    pub fit_audio_ctx: bool,
    /// Word times from DTW alignment where the model has a preset.
    pub dtw: bool,
    /// Also detect the language when one was given (to warn when the call is in another).
    pub detect_language: bool,
    /// Tell the voices of a mono recording apart.
    pub diarize: bool,
    /// Number of voices in a mono recording (`None`: found from the voices, 1 to 4, with the
    /// speaker models; 2 with the signal-feature fallback).
    pub speakers: Option<usize>,
    /// The installed neural speaker models (segmentation and embeddings), loaded when a mono
    /// recording is to be diarized; without them the signal-feature method is used and the
    /// transcript says so.
    pub speaker_models: Option<std::sync::Arc<medlyt_diarize::neural::InstalledModels>>,
    /// The voice of a mono recording that is the employee (0 = A, the first heard), where the
    /// user says so.
    pub employee: Option<usize>,
}
