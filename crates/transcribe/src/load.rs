//! The Whisper model, loaded on its own thread while the audio is decoded and searched.

use crate::engine::Engine;
use crate::options::ModelSpec;
use crate::TranscribeError;
use std::thread::JoinHandle;

/// The Whisper model on its way.
pub(crate) struct ModelLoading {
    thread: JoinHandle<Result<Engine, TranscribeError>>,
}

impl ModelLoading {
    /// Starts loading `model`, with DTW word times where `dtw` asks for them.
    pub(crate) fn start(model: &ModelSpec, dtw: bool) -> Self {
        let model = model.clone();
        let thread = std::thread::spawn(move || {
            Engine::load(
                &model.path,
                model.text_layers,
                model.width,
                model.multilingual,
                dtw,
            )
        });
        ModelLoading { thread }
    }

    /// Waits for the model.
    pub(crate) fn wait(self) -> Result<Engine, TranscribeError> {
        self.thread.join().map_err(|_| {
            TranscribeError::Whisper("loading the model stopped unexpectedly".to_string())
        })?
    }
}
