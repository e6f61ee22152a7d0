//! The Whisper model, loaded on its own thread while the audio is decoded and searched.

use crate::engine::Engine;
use crate::options::ModelSpec;
use crate::TranscribeError;
use std::thread::JoinHandle;

/// The Whisper model on its way. Dropped without [`ModelLoading::wait`] (a stage before the
/// model is needed failed), it still waits for the loading thread: a process that exits
/// while whisper.cpp is loading can be killed by a signal instead of exiting with its code.
pub(crate) struct ModelLoading {
    thread: Option<JoinHandle<Result<Engine, TranscribeError>>>,
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
        ModelLoading {
            thread: Some(thread),
        }
    }

    /// Waits for the model.
    pub(crate) fn wait(mut self) -> Result<Engine, TranscribeError> {
        let thread = self
            .thread
            .take()
            .ok_or_else(|| TranscribeError::Whisper("the model was already taken".to_string()))?;
        thread.join().map_err(|_| {
            TranscribeError::Whisper("loading the model stopped unexpectedly".to_string())
        })?
    }
}

impl Drop for ModelLoading {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            // The model (or its error) is not wanted; the wait is what matters.
            let _ = thread.join();
        }
    }
}
