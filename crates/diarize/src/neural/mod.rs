//! Neural speaker models: pyannote segmentation-3.0 (who of up to three local speakers
//! talks in each frame of a 10 s chunk, overlaps included) and CAM++ embeddings (which
//! voice it is), run in pure Rust.

pub mod campplus;
pub mod fbank;
mod nn;
pub mod segmentation;

use medlyt_models::{load_speaker_model, ModelError, SpeakerKind};
use std::path::Path;

/// Both networks, loaded and checked.
pub struct SpeakerModels {
    /// Local segmentation.
    pub segmentation: segmentation::Segmentation,
    /// Speaker embeddings.
    pub embedding: campplus::Campplus,
    /// The filter bank the embeddings need.
    pub fbank: fbank::Fbank,
}

impl SpeakerModels {
    /// Loads the segmentation and embedding files medlyt imported.
    pub fn load(segmentation: &Path, embedding: &Path) -> Result<SpeakerModels, ModelError> {
        let seg = load_speaker_model(segmentation)?;
        let emb = load_speaker_model(embedding)?;
        for (m, want, path) in [(&seg, SpeakerKind::Segmentation, segmentation), (&emb, SpeakerKind::Campplus, embedding)] {
            if m.kind != want {
                return Err(ModelError::BadSpeakerModel {
                    path: path.to_path_buf(),
                    reason: format!("holds a {} model, expected {}", m.kind.name(), want.name()),
                });
            }
        }
        Ok(SpeakerModels {
            segmentation: segmentation::Segmentation::new(&seg)?,
            embedding: campplus::Campplus::new(&emb)?,
            fbank: fbank::Fbank::new(),
        })
    }
}
