//! Whisper on every window of the speech plan.

use crate::channels::ChannelPlan;
use crate::engine::{DecodeSettings, Engine, RawSegment, FALLBACK_BELOW, MAX_WINDOW_TOKENS};
use crate::language::LanguageDecision;
use crate::options::Options;
use crate::pack::Window;
use crate::plan::SpeechPlan;
use crate::progress::Progress;
use crate::run::{run_windows, Done, Job};
use crate::TranscribeError;

/// Whisper's text for one window of one track.
pub(crate) struct DecodedWindow {
    /// The track the window belongs to.
    pub track: usize,
    /// Whisper's segments, each part in its own window's time: the window, or the halves it was
    /// cut into when Whisper ran out of tokens.
    pub parts: Vec<(Window, Vec<RawSegment>)>,
}

/// Whisper's text for every window.
pub(crate) struct DecodedWindows {
    /// One per window, in track order and then window order.
    pub windows: Vec<DecodedWindow>,
    /// Seconds of audio given to Whisper (speech, padding and gaps).
    pub audio_s: f64,
    /// The language the check heard, with its probability, where a given language was checked.
    pub heard: Option<(String, f32)>,
    /// Seconds the language check took.
    pub language_check_s: f64,
}

/// Runs Whisper in `language` on every window, reporting each window done.
pub(crate) fn decode_windows(
    engine: &Engine,
    channels: &ChannelPlan,
    plan: &SpeechPlan,
    language: &LanguageDecision,
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<DecodedWindows, TranscribeError> {
    let jobs = jobs(plan, language.check);
    let mut decoded = DecodedWindows::new(&jobs);
    let total = jobs.len();
    let mut done = 0;
    progress(Progress::Transcribing { done, total });
    let samples = |track: usize, w: &Window| channels.window_samples(track, w);
    let mut finished = |d: Done| {
        decoded.keep(d);
        done += 1;
        progress(Progress::Transcribing { done, total });
    };
    let settings = settings(opts);
    run_windows(
        engine,
        &jobs,
        &samples,
        &language.code,
        &settings,
        &mut finished,
    )?;
    Ok(decoded)
}

impl DecodedWindows {
    /// Nothing decoded yet of `jobs`.
    fn new(jobs: &[Job]) -> Self {
        DecodedWindows {
            windows: jobs
                .iter()
                .map(|job| DecodedWindow {
                    track: job.track,
                    parts: Vec::new(),
                })
                .collect(),
            audio_s: 0.0,
            heard: None,
            language_check_s: 0.0,
        }
    }

    /// Keeps a finished window, and the language heard on it where it was checked.
    fn keep(&mut self, d: Done) {
        self.audio_s += d.audio_s;
        if let Some((code, p, seconds)) = d.language {
            self.heard = Some((code, p));
            self.language_check_s = seconds;
        }
        self.windows[d.job].parts = d.parts;
    }
}

/// One job per window, in track order; the busiest track's first window also checks the
/// language where `check` asks for it.
fn jobs(plan: &SpeechPlan, check: bool) -> Vec<Job<'_>> {
    plan.windows
        .iter()
        .enumerate()
        .flat_map(|(track, windows)| {
            windows.iter().enumerate().map(move |(i, window)| Job {
                track,
                window,
                check_language: check && plan.is_first_of_busiest(track, i),
            })
        })
        .collect()
}

/// How Whisper decodes each window.
fn settings(opts: &Options) -> DecodeSettings {
    DecodeSettings {
        threads: opts.threads,
        beam: opts.beam,
        fit_audio_ctx: opts.fit_audio_ctx,
        max_tokens: MAX_WINDOW_TOKENS,
        fallback_below: FALLBACK_BELOW,
        prompt: opts.prompt.clone(),
    }
}
