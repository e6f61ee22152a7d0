//! The real transcriber: Whisper through `medlyt-transcribe`.

use crate::record::{Failure, FailureKind};
use crate::Transcriber;
use medlyt_core::{Role, Transcript};
use medlyt_models::ModelKind;
use medlyt_transcribe::{ModelSpec, Options, TranscribeError};
use std::path::{Path, PathBuf};

/// Transcribes recordings with a Whisper model (each call loads its own engine, so calls can run
/// side by side).
#[derive(Debug, Clone)]
pub struct WhisperTranscriber {
    /// The options handed to `medlyt_transcribe::transcribe`.
    pub options: Options,
}

impl WhisperTranscriber {
    /// A transcriber with `model` (checked first), an optional Silero VAD model, the spoken
    /// language (`da`, `en` or `auto`), the roles of the channels and `threads` per call.
    pub fn new(
        model: &Path,
        vad: Option<PathBuf>,
        language: &str,
        roles: Vec<Role>,
        threads: usize,
    ) -> Result<Self, medlyt_models::ModelError> {
        let info = medlyt_models::check(model, ModelKind::Whisper)?;
        if let Some(v) = &vad {
            medlyt_models::check(v, ModelKind::Vad)?;
        }
        let stem = model
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = stem.strip_prefix("ggml-").unwrap_or(&stem).to_string();
        Ok(WhisperTranscriber {
            options: Options {
                model: ModelSpec {
                    name,
                    path: model.to_path_buf(),
                    sha256: None,
                    text_layers: info.layers.1 as i32,
                    width: info.width as i32,
                    multilingual: info.multilingual,
                },
                vad_model: vad,
                language: language.to_string(),
                roles,
                threads: threads.max(1),
                beam: 1,
                prompt: None,
                fit_audio_ctx: true,
                dtw: true,
                detect_language: true,
                diarize: true,
                speakers: None,
                speaker_models: None,
                employee: None,
            },
        })
    }
}

impl Transcriber for WhisperTranscriber {
    fn settings(&self) -> String {
        let o = &self.options;
        let size = std::fs::metadata(&o.model.path)
            .map(|m| m.len())
            .unwrap_or(0);
        format!(
            "whisper {} ({} bytes) vad {} lang {} roles {:?} beam {} fit {} dtw {} diarize {} speakers {:?} speaker models {}",
            o.model.name,
            size,
            o.vad_model.is_some(),
            o.language,
            o.roles,
            o.beam,
            o.fit_audio_ctx,
            o.dtw,
            o.diarize,
            o.speakers,
            o.speaker_models.is_some()
        )
    }

    fn transcribe(&self, path: &Path) -> Result<Transcript, Failure> {
        // Check the file before loading a model, so a bad file fails fast.
        medlyt_audio::open(path)?;
        medlyt_transcribe::transcribe(path, &self.options, &mut |_| {}).map_err(|e| match e {
            TranscribeError::Audio(a) => a.into(),
            other => Failure {
                kind: FailureKind::Transcription,
                reason: other.to_string(),
            },
        })
    }
}
