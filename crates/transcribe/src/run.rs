//! Running Whisper on the packed windows, several at a time.
//!
//! Whisper's decoder works one token at a time and gains little from a second thread, while two
//! windows decoded side by side on one thread each keep both cores busy. So the windows are
//! shared out over up to `threads` workers, longest first. Every window gets a fresh decoding
//! state, so its text does not depend on which worker ran it or what ran before.

use crate::engine::{DecodeSettings, Engine, RawSegment};
use crate::pack::Window;
use crate::TranscribeError;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Most windows decoded at once: each costs a decoding state's memory (about 50 MB for base).
const MAX_WORKERS: usize = 4;

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
    /// Whisper's segments in window time.
    pub segments: Vec<RawSegment>,
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
    samples: &(dyn Fn(&Job) -> Vec<f32> + Sync),
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
                while !stop.load(Ordering::Relaxed) {
                    let Some(&job) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let result = run_one(engine, job, &jobs[job], samples, language, settings);
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
    index: usize,
    job: &Job,
    samples: &(dyn Fn(&Job) -> Vec<f32> + Sync),
    language: &str,
    settings: &DecodeSettings,
) -> Result<Done, TranscribeError> {
    let audio = samples(job);
    let mut state = engine.state()?;
    let segments = engine.run(&mut state, &audio, language, settings)?;
    let language = if job.check_language {
        let started = Instant::now();
        let (code, p) = engine.language_of_last_run(&mut state, settings.threads)?;
        Some((code, p, started.elapsed().as_secs_f64()))
    } else {
        None
    };
    Ok(Done {
        job: index,
        segments,
        audio_s: audio.len() as f64 / 16000.0,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::workers;

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
