//! The Whisper model: loading it and running one packed window.

use crate::words::Token;
use crate::TranscribeError;
use std::path::Path;
use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters, WhisperState,
};

/// A segment as Whisper wrote it, in window time, with its tokens.
#[derive(Debug, Clone)]
pub struct RawSegment {
    /// The text tokens (special and timestamp tokens removed).
    pub tokens: Vec<Token>,
    /// Whisper's probability that the window held no speech.
    pub no_speech: f32,
}

/// Most text tokens Whisper writes for one window when it writes no timestamps (its own limit is
/// 220): a window that reaches it is cut short, and is decoded again in two halves.
pub const MAX_WINDOW_TOKENS: usize = 200;

/// What Whisper wrote for one window.
#[derive(Debug, Clone)]
pub struct WindowText {
    /// The segments in window time.
    pub segments: Vec<RawSegment>,
    /// Whisper stopped at [`DecodeSettings::max_tokens`] before the end of the window.
    pub cut_short: bool,
}

/// Decoding settings.
#[derive(Debug, Clone)]
pub struct DecodeSettings {
    /// CPU threads for Whisper.
    pub threads: usize,
    /// Beam size; 1 = greedy.
    pub beam: usize,
    /// Shrink the encoder's context to the window's length (faster on short windows).
    pub fit_audio_ctx: bool,
    /// Most text tokens for one window when Whisper writes no timestamps (with DTW); usually
    /// [`MAX_WINDOW_TOKENS`].
    pub max_tokens: usize,
    /// Mean token log-probability below which Whisper decodes the window again at a higher
    /// temperature (sampling); usually [`FALLBACK_BELOW`].
    pub fallback_below: f32,
    /// Text given to Whisper as if it came before each window (words it should expect).
    pub prompt: Option<String>,
}

/// Whisper's own threshold for decoding a window again at a higher temperature.
pub const FALLBACK_BELOW: f32 = -1.0;

/// A loaded Whisper model.
pub struct Engine {
    ctx: WhisperContext,
    dtw: bool,
    eot: i32,
}

/// The DTW alignment-head preset for a model of this shape, where whisper.cpp has one.
fn dtw_preset(layers: i32, width: i32, multilingual: bool) -> Option<DtwModelPreset> {
    Some(match (layers, width, multilingual) {
        (4, 384, false) => DtwModelPreset::TinyEn,
        (4, 384, true) => DtwModelPreset::Tiny,
        (6, 512, false) => DtwModelPreset::BaseEn,
        (6, 512, true) => DtwModelPreset::Base,
        (12, 768, false) => DtwModelPreset::SmallEn,
        (12, 768, true) => DtwModelPreset::Small,
        (24, 1024, false) => DtwModelPreset::MediumEn,
        (24, 1024, true) => DtwModelPreset::Medium,
        _ => return None,
    })
}

impl Engine {
    /// Loads a ggml model. `text_layers`/`width`/`multilingual` come from the checked file header
    /// and choose the DTW preset; `use_dtw` turns DTW word timing on where a preset exists.
    pub fn load(
        path: &Path,
        text_layers: i32,
        width: i32,
        multilingual: bool,
        use_dtw: bool,
    ) -> Result<Self, TranscribeError> {
        whisper_rs::install_logging_hooks();
        let preset = if use_dtw {
            dtw_preset(text_layers, width, multilingual)
        } else {
            None
        };
        let dtw = preset.is_some();
        let mut params = WhisperContextParameters::default();
        if let Some(model_preset) = preset {
            params.dtw_parameters(DtwParameters {
                mode: DtwMode::ModelPreset { model_preset },
                ..Default::default()
            });
        }
        let ctx = WhisperContext::new_with_params(path, params).map_err(|e| {
            TranscribeError::ModelLoad {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        })?;
        let eot = ctx.token_eot();
        Ok(Engine { ctx, dtw, eot })
    }

    /// Whether word times come from DTW alignment.
    pub fn uses_dtw(&self) -> bool {
        self.dtw
    }

    /// A fresh decoding state (one per thread).
    pub fn state(&self) -> Result<WhisperState, TranscribeError> {
        self.ctx
            .create_state()
            .map_err(|e| TranscribeError::Whisper(e.to_string()))
    }

    /// Detects the spoken language from a stretch of speech (up to 30 s): the probability of
    /// every language Whisper knows, indexed by its language id.
    ///
    /// One encoder pass, at a context fitted to the sample, under a one-token decoding; then
    /// one decoder step on the start-of-transcript token over that encoder output
    /// ([`Engine::language_scores_of_last_run`]). whisper.cpp's own detector would run the
    /// encoder a second time for the same result.
    pub fn detect_language(
        &self,
        state: &mut WhisperState,
        samples: &[f32],
        threads: usize,
    ) -> Result<Vec<f32>, TranscribeError> {
        let werr = |e: whisper_rs::WhisperError| TranscribeError::Whisper(e.to_string());
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(threads as i32);
        params.set_language(Some("en"));
        params.set_max_tokens(1);
        params.set_single_segment(true);
        params.set_no_context(true);
        params.set_temperature_inc(0.0);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        params.set_audio_ctx(audio_ctx_for(samples.len()));
        state.full(params, samples).map_err(werr)?;
        self.language_scores_of_last_run(state, threads)
    }

    /// The probability of every language (indexed by language id) in the audio of the last
    /// run on this state: one decoder step on the start-of-transcript token over the encoder
    /// output already in the state, softmax over the language tokens, as whisper.cpp's
    /// detector does after its own encoder pass.
    pub fn language_scores_of_last_run(
        &self,
        state: &mut WhisperState,
        threads: usize,
    ) -> Result<Vec<f32>, TranscribeError> {
        let werr = |e: whisper_rs::WhisperError| TranscribeError::Whisper(e.to_string());
        state
            .decode(&[self.ctx.token_sot()], 0, threads)
            .map_err(werr)?;
        let logits = state.get_logits().map_err(werr)?;
        let translate = self.ctx.token_translate();
        let scores: Vec<Option<f32>> = (0..=whisper_rs::get_lang_max_id().max(0))
            .map(|id| self.ctx.token_lang(id))
            .map(|token| {
                usize::try_from(token)
                    .ok()
                    .filter(|&t| token < translate && t < logits.len())
                    .map(|t| logits[t])
            })
            .collect();
        let max = scores
            .iter()
            .flatten()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        if !max.is_finite() {
            return Err(TranscribeError::Whisper(
                "the model has no language tokens".to_string(),
            ));
        }
        let total: f32 = scores.iter().flatten().map(|&l| (l - max).exp()).sum();
        Ok(scores
            .iter()
            .map(|l| l.map_or(0.0, |l| (l - max).exp() / total))
            .collect())
    }

    /// The language heard in the audio of the last [`Engine::run`] on this state, with its
    /// probability ([`Engine::language_scores_of_last_run`]). Costs one decoder step instead
    /// of an encoder pass.
    pub fn language_of_last_run(
        &self,
        state: &mut WhisperState,
        threads: usize,
    ) -> Result<(String, f32), TranscribeError> {
        let probs = self.language_scores_of_last_run(state, threads)?;
        let (id, p) = probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .ok_or_else(|| TranscribeError::Whisper("the model has no language tokens".into()))?;
        let code = i32::try_from(id)
            .ok()
            .and_then(whisper_rs::get_lang_str)
            .unwrap_or("unknown")
            .to_string();
        Ok((code, *p))
    }

    /// Runs Whisper on one window of 16 kHz audio.
    pub fn run(
        &self,
        state: &mut WhisperState,
        samples: &[f32],
        language: &str,
        settings: &DecodeSettings,
    ) -> Result<WindowText, TranscribeError> {
        let strategy = if settings.beam > 1 {
            SamplingStrategy::BeamSearch {
                beam_size: settings.beam as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(settings.threads as i32);
        params.set_language(Some(language));
        params.set_translate(false);
        params.set_no_context(true);
        params.set_token_timestamps(true);
        params.set_suppress_blank(true);
        params.set_suppress_nst(true);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        params.set_logprob_thold(settings.fallback_below);
        if let Some(prompt) = settings.prompt.as_deref().filter(|p| !p.is_empty()) {
            params.set_initial_prompt(&prompt.replace('\0', " "));
        }
        if self.dtw {
            // Word times come from DTW, so Whisper's timestamp tokens are not needed: without
            // them the decoder writes fewer tokens and takes the window in one pass, instead of
            // encoding its tail a second time after the last full segment. Whisper then writes
            // the window as one segment, which `to_segments` cuts at pieces and sentences.
            params.set_no_timestamps(true);
            params.set_max_tokens(settings.max_tokens as i32);
        }
        if settings.fit_audio_ctx {
            params.set_audio_ctx(audio_ctx_for(samples.len()));
        }
        state
            .full(params, samples)
            .map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        let mut out = Vec::new();
        for seg in state.as_iter() {
            let mut tokens = Vec::new();
            for i in 0..seg.n_tokens() {
                let Some(tok) = seg.get_token(i) else {
                    continue;
                };
                let data = tok.token_data();
                if data.id >= self.eot {
                    continue;
                }
                let bytes = tok.to_bytes().map(<[u8]>::to_vec).unwrap_or_default();
                let (start, end) = if self.dtw && data.t_dtw >= 0 {
                    (data.t_dtw as f64 / 100.0, data.t1 as f64 / 100.0)
                } else {
                    (data.t0 as f64 / 100.0, data.t1 as f64 / 100.0)
                };
                tokens.push(Token {
                    bytes,
                    start,
                    end: end.max(start),
                    p: data.p,
                });
            }
            out.push(RawSegment {
                tokens,
                no_speech: seg.no_speech_probability(),
            });
        }
        let tokens: usize = out.iter().map(|s| s.tokens.len()).sum();
        Ok(WindowText {
            cut_short: self.dtw && tokens >= settings.max_tokens,
            segments: out,
        })
    }
}

/// Encoder context (in 20 ms steps, 1500 = 30 s) for a window: its length plus a margin,
/// rounded up to a multiple of 64, never below 384.
pub fn audio_ctx_for(samples: usize) -> i32 {
    let frames = (samples as f64 / 16000.0 / 0.02).ceil() as i32 + 64;
    (((frames + 63) / 64) * 64).clamp(384, 1500)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_ctx_fits_the_window() {
        assert_eq!(audio_ctx_for(16000 * 30), 1500);
        assert_eq!(audio_ctx_for(16000 * 10), 576);
        assert_eq!(audio_ctx_for(16000), 384);
    }
}
