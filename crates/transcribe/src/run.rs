//! Running Whisper on the packed windows, several at a time.
//!
//! Whisper's decoder works one token at a time and gains little from a second thread, while two
//! windows decoded side by side on one thread each keep both cores busy. So the windows are
//! shared out over up to `threads` workers, longest first. Each worker keeps one decoding state
//! for all its windows (a fresh state costs its allocations and their first page faults again);
//! Whisper starts every window from a cleared state without context and with the same sampling
//! seed (patches/whisper.cmake), so a window's text does not depend on which worker ran it or
//! what ran before (checked below).

use crate::engine::{DecodeSettings, Engine, RawSegment};
use crate::pack::Window;
use crate::TranscribeError;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;
use whisper_rs::WhisperState;

/// Most windows decoded at once: each costs a decoding state's memory (about 50 MB for base).
const MAX_WORKERS: usize = 4;

/// The audio of one track's window.
pub(crate) type Samples<'a> = dyn Fn(usize, &Window) -> Vec<f32> + Sync + 'a;

/// Shortest window that is cut in two when Whisper runs out of tokens on it.
const MIN_SPLIT_S: f64 = 2.0;

/// One window of one track.
pub(crate) struct Job<'a> {
    /// The track the window's audio comes from.
    pub track: usize,
    /// The packed speech.
    pub window: &'a Window,
    /// Also score the language from this window's encoder output.
    pub check_language: bool,
}

/// A finished window.
pub(crate) struct Done {
    /// Index of the job.
    pub job: usize,
    /// Whisper's segments, each part in its own window's time: the job's window, or the halves
    /// it was cut into when Whisper ran out of tokens.
    pub parts: Vec<(Window, Vec<RawSegment>)>,
    /// Seconds of audio given to Whisper.
    pub audio_s: f64,
    /// The language heard, where the job asked for it, and the seconds that took.
    pub language: Option<(String, f32, f64)>,
}

/// How many windows run at once and how many threads each gets.
pub(crate) fn workers(threads: usize, jobs: usize) -> (usize, usize) {
    let workers = threads.min(jobs).clamp(1, MAX_WORKERS);
    (workers, (threads / workers).max(1))
}

/// Runs every job and hands each result to `done` (on the calling thread, in the order they
/// finish). Stops at the first error and returns it.
pub(crate) fn run_windows(
    engine: &Engine,
    jobs: &[Job],
    samples: &Samples,
    language: &str,
    settings: &DecodeSettings,
    done: &mut dyn FnMut(Done),
) -> Result<(), TranscribeError> {
    let (workers, threads) = workers(settings.threads, jobs.len());
    let settings = DecodeSettings {
        threads,
        ..settings.clone()
    };
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by(|&a, &b| {
        jobs[b]
            .window
            .duration()
            .total_cmp(&jobs[a].window.duration())
    });
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel();
    let mut first_error = None;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (order, next, stop, settings) = (&order, &next, &stop, &settings);
            scope.spawn(move || {
                let mut state = None;
                while !stop.load(Ordering::Relaxed) {
                    let Some(&job) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let result = match &mut state {
                        Some(state) => Ok(state),
                        None => engine.state().map(|s| state.insert(s)),
                    }
                    .and_then(|state| {
                        run_one(engine, state, job, &jobs[job], samples, language, settings)
                    });
                    if result.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if tx.send(result).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for result in rx {
            match result {
                Ok(d) => done(d),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
    });
    first_error.map_or(Ok(()), Err)
}

fn run_one(
    engine: &Engine,
    state: &mut WhisperState,
    index: usize,
    job: &Job,
    samples: &Samples,
    language: &str,
    settings: &DecodeSettings,
) -> Result<Done, TranscribeError> {
    let mut done = Done {
        job: index,
        parts: Vec::new(),
        audio_s: 0.0,
        language: None,
    };
    let run = Run {
        engine,
        track: job.track,
        samples,
        language,
        settings,
    };
    run.window(state, job.window.clone(), job.check_language, &mut done)?;
    Ok(done)
}

/// What every window of one job shares.
struct Run<'a> {
    engine: &'a Engine,
    track: usize,
    samples: &'a Samples<'a>,
    language: &'a str,
    settings: &'a DecodeSettings,
}

impl Run<'_> {
    /// Runs one window into `done`, cutting it in two for as long as Whisper runs out of tokens.
    fn window(
        &self,
        state: &mut WhisperState,
        window: Window,
        check_language: bool,
        done: &mut Done,
    ) -> Result<(), TranscribeError> {
        let audio = (self.samples)(self.track, &window);
        done.audio_s += audio.len() as f64 / 16000.0;
        let text = self
            .engine
            .run(state, &audio, self.language, self.settings)?;
        if check_language {
            let started = Instant::now();
            let (code, p) = self
                .engine
                .language_of_last_run(state, self.settings.threads)?;
            done.language = Some((code, p, started.elapsed().as_secs_f64()));
        }
        if text.cut_short && window.duration() >= MIN_SPLIT_S {
            let (a, b) = window.split();
            self.window(state, a, false, done)?;
            self.window(state, b, false, done)?;
        } else {
            done.parts.push((window, text.segments));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;
    use crate::pack::Piece;
    use std::path::Path;

    /// The base model, or `None` (a failure where MEDLYT_REQUIRE_MODELS is set).
    fn base_model() -> Option<Engine> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let path = root.join("models/ggml-base-q8_0.bin");
        if !path.exists() {
            assert!(
                std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
                "no model at {}: run scripts/get-models.sh",
                path.display()
            );
            eprintln!("skipped: no model at {}", path.display());
            return None;
        }
        Some(Engine::load(&path, 6, 512, true, true).expect("model loads"))
    }

    /// The channels of the scripted English call (employee left, citizen right).
    fn english_call() -> Vec<Vec<i16>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let call = root.join("fixtures/calls/en-citizen-service.wav");
        medlyt_audio::decode(&call, &Default::default(), &mut |_| {})
            .expect("decodes")
            .channels
    }

    /// Seconds `from` to `to` of a channel, as Whisper takes them.
    fn stretch(channel: &[i16], from: f64, to: f64) -> Vec<f32> {
        channel[(from * 16000.0) as usize..(to * 16000.0) as usize]
            .iter()
            .map(|&s| f32::from(s) / 32768.0)
            .collect()
    }

    #[test]
    fn a_window_whisper_cannot_finish_is_decoded_again_in_halves() {
        let Some(engine) = base_model() else {
            return;
        };
        let channels = english_call();
        // The employee's first 15 s: "Good morning, this is Tom from Citizen Services. How can I
        // help?" ... "I'm sorry about the wait. Did you apply online?"
        let window = Window {
            pieces: vec![Piece {
                offset: 0.0,
                source: 0.2,
                len: 15.0,
            }],
        };
        let jobs = [Job {
            track: 0,
            window: &window,
            check_language: false,
        }];
        let samples = |_: usize, w: &Window| {
            let p = w.pieces[0];
            stretch(&channels[0], p.source, p.source + p.len)
        };
        let settings = DecodeSettings {
            threads: 2,
            beam: 1,
            fit_audio_ctx: true,
            max_tokens: 8,
            fallback_below: crate::engine::FALLBACK_BELOW,
            prompt: None,
        };
        let mut parts = Vec::new();
        run_windows(&engine, &jobs, &samples, "en", &settings, &mut |d| {
            parts = d.parts
        })
        .expect("runs");
        assert!(parts.len() >= 4, "{} parts", parts.len());
        let covered: f64 = parts.iter().map(|(w, _)| w.speech()).sum();
        assert!((covered - 15.0).abs() < 1e-6, "{covered}");
        let text: String = parts
            .iter()
            .flat_map(|(_, segs)| segs.iter().flat_map(|s| crate::words::assemble(&s.tokens)))
            .map(|w| w.text.to_lowercase() + " ")
            .collect();
        for word in ["morning", "applied", "sorry"] {
            assert!(text.contains(word), "{word} missing from {text}");
        }
    }

    #[test]
    fn a_window_reads_the_same_on_a_used_state_as_on_a_fresh_one() {
        let Some(engine) = base_model() else {
            return;
        };
        let channels = english_call();
        // The employee's opening, and a longer stretch of the citizen (another context size).
        let (opening, other) = (
            stretch(&channels[0], 0.2, 6.0),
            stretch(&channels[1], 4.0, 18.0),
        );
        // Every decoding counts as failed, so Whisper samples at each higher temperature in turn
        // and keeps the last: the text depends on where its random numbers start.
        let settings = DecodeSettings {
            threads: 1,
            beam: 1,
            fit_audio_ctx: true,
            max_tokens: crate::engine::MAX_WINDOW_TOKENS,
            fallback_below: 0.0,
            prompt: None,
        };
        let read = |state: &mut WhisperState, samples: &[f32]| -> Vec<(Vec<u8>, f64, f64)> {
            let text = engine.run(state, samples, "en", &settings).expect("runs");
            text.segments
                .iter()
                .flat_map(|s| s.tokens.iter().map(|t| (t.bytes.clone(), t.start, t.end)))
                .collect()
        };
        let fresh = read(&mut engine.state().expect("state"), &opening);
        assert!(fresh.len() > 5, "{} tokens", fresh.len());
        let mut used = engine.state().expect("state");
        read(&mut used, &other);
        engine.language_of_last_run(&mut used, 1).expect("language");
        assert_eq!(read(&mut used, &opening), fresh);
    }

    #[test]
    fn language_detection_in_one_encoder_pass_matches_whisper_cpps_detector() {
        let Some(engine) = base_model() else { return };
        let channels = english_call();
        let sample = stretch(&channels[1], 4.0, 18.0);
        let mut state = engine.state().expect("state");
        let ours = engine
            .detect_language(&mut state, &sample, 2)
            .expect("detects");
        // whisper.cpp's detector: its own encoder pass at the context of the last run.
        let (_, theirs) = state.lang_detect(0, 2).expect("lang_detect");
        assert_eq!(ours.len(), theirs.len());
        let worst = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-4, "largest difference {worst}");
        let en = whisper_rs::get_lang_id("en").expect("en") as usize;
        let top = ours.iter().copied().fold(0.0f32, f32::max);
        assert!(
            ours[en] == top && top > 0.5,
            "English {} of {top}",
            ours[en]
        );
    }

    #[test]
    fn threads_are_shared_between_windows() {
        assert_eq!(workers(2, 4), (2, 1));
        assert_eq!(workers(2, 1), (1, 2));
        assert_eq!(workers(1, 4), (1, 1));
        assert_eq!(workers(8, 3), (3, 2));
        assert_eq!(workers(16, 20), (4, 4));
        assert_eq!(workers(4, 0), (1, 4));
    }
}
