//! Running a batch: the calls in parallel on a bounded pool, progress, and the tables at the end.

use crate::process::{process, was_in_flight, Context, Processed};
use crate::record::CallRecord;
use crate::summary::write_summary_html;
use crate::tables::{write_tables, Aggregate};
use crate::{BatchError, CallSettings, Input, Transcriber};
use medlyt_redact::Redactor;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How to run a batch.
#[derive(Clone)]
pub struct BatchOptions {
    /// Where the outputs go.
    pub out_dir: PathBuf,
    /// Calls processed at the same time (each with its own Whisper threads).
    pub parallel: usize,
    /// How each call is analysed.
    pub settings: CallSettings,
    /// When set, no new call is started (calls under way finish and are kept).
    pub cancel: Option<Arc<AtomicBool>>,
}

/// Where a batch stands, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BatchProgress {
    /// Calls in the batch.
    pub total: usize,
    /// Calls finished (analysed, failed or reused).
    pub finished: usize,
    /// Of those, reused from an earlier run.
    pub reused: usize,
    /// Of those, failed.
    pub failed: usize,
    /// Seconds of calls finished.
    pub audio_s: f64,
    /// Seconds since the batch started.
    pub elapsed_s: f64,
    /// Estimated seconds left (from the calls processed so far, not counting reused ones).
    pub eta_s: Option<f64>,
}

/// What a batch did.
#[derive(Debug, Clone)]
pub struct BatchOutcome {
    /// Every call's record, sorted by input path.
    pub records: Vec<CallRecord>,
    /// Calls reused from an earlier run.
    pub reused: usize,
    /// The aggregate written to `aggregate.json`.
    pub aggregate: Aggregate,
    /// `false` when cancelled before every call was done (the tables are then not written).
    pub complete: bool,
}

impl BatchOutcome {
    /// Calls that failed.
    pub fn failed(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.failure().is_some())
            .count()
    }
}

/// The largest number of parallel files and Whisper threads per file such that their product
/// stays within `cores`: `parallel` and `threads` as asked where they fit.
pub fn thread_budget(
    cores: usize,
    parallel: Option<usize>,
    threads: Option<usize>,
) -> (usize, usize) {
    let cores = cores.max(1);
    let parallel = parallel.unwrap_or(1).clamp(1, cores);
    let threads = threads
        .unwrap_or(cores / parallel)
        .clamp(1, (cores / parallel).max(1));
    (parallel, threads)
}

/// Runs `inputs` through `transcriber` and the analysis, writes each call's outputs under
/// `out_dir/calls/`, and the batch's tables in `out_dir`. A call whose stored result has the
/// same content hash and settings is reused, not redone. Calls that were under way when an
/// earlier run stopped are redone last, one at a time; one under way in two such runs is
/// recorded as failed (it may be what stops medlyt), so a call can never stop every re-run.
pub fn run_batch(
    inputs: &[Input],
    transcriber: &dyn Transcriber,
    opts: &BatchOptions,
    progress: &(dyn Fn(&BatchProgress) + Sync),
) -> Result<BatchOutcome, BatchError> {
    let settings_hash = opts.settings.hash(&transcriber.settings());
    let redactor = Redactor::new();
    let ctx = Context {
        calls_dir: opts.out_dir.join("calls"),
        settings: &opts.settings,
        settings_hash,
        transcriber,
        redactor: &redactor,
    };
    std::fs::create_dir_all(&ctx.calls_dir)
        .map_err(|e| BatchError::io("create", &ctx.calls_dir, e))?;
    // Held until the batch ends (unless the caller holds it already); the file stays and
    // marks the folder as a batch's output.
    let _lock = if OutputLock::held(&opts.out_dir) {
        None
    } else {
        Some(lock_output(&opts.out_dir)?)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.parallel.max(1))
        .build()
        .map_err(|e| BatchError::Threads {
            threads: opts.parallel,
            reason: e.to_string(),
        })?;
    let start = Instant::now();
    let state = Mutex::new(BatchProgress {
        total: inputs.len(),
        ..Default::default()
    });
    let worked = Mutex::new(0usize);
    progress(&BatchProgress {
        total: inputs.len(),
        ..Default::default()
    });
    let cancelled = || {
        opts.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    };
    // Calls under way when an earlier run stopped go last and one at a time: if one of them
    // stops medlyt again, no other call was under way, and the next run records it as failed.
    let (retried, fresh): (Vec<&Input>, Vec<&Input>) =
        inputs.iter().partition(|i| was_in_flight(&ctx, i));
    let one = |input: &Input| {
        if cancelled() {
            return None;
        }
        let r = process(&ctx, input);
        if let Ok(p) = &r {
            let snapshot = {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                let mut w = worked.lock().unwrap_or_else(|e| e.into_inner());
                s.finished += 1;
                if p.skipped {
                    s.reused += 1;
                } else {
                    *w += 1;
                }
                if p.record.failure().is_some() {
                    s.failed += 1;
                }
                s.audio_s += p.record.figures().map_or(0.0, |f| f.duration_s);
                s.elapsed_s = start.elapsed().as_secs_f64();
                let left = s.total - s.finished;
                // Calls run side by side, so the wall time per call is elapsed / worked.
                s.eta_s = (*w > 0).then(|| s.elapsed_s / *w as f64 * left as f64);
                *s
            };
            progress(&snapshot);
        }
        Some(r)
    };
    let mut results: Vec<Option<Result<Processed, BatchError>>> = pool.install(|| {
        fresh
            .par_iter()
            .with_max_len(1)
            .map(|input| one(input))
            .collect()
    });
    let retried: Vec<_> = pool.install(|| retried.into_iter().map(one).collect());
    results.extend(retried);
    let mut records = Vec::with_capacity(results.len());
    let mut reused = 0;
    let mut complete = true;
    for r in results {
        match r {
            Some(Ok(p)) => {
                reused += usize::from(p.skipped);
                records.push(p.record);
            }
            Some(Err(e)) => return Err(e),
            None => complete = false,
        }
    }
    records.sort_by(|a, b| a.input.cmp(&b.input));
    let aggregate = if complete {
        let agg = write_tables(&opts.out_dir, &records)?;
        write_summary_html(
            &opts.out_dir,
            &[opts.out_dir.as_path()],
            &records,
            opts.settings.report_lang,
        )?;
        agg
    } else {
        crate::tables::aggregate(&records)
    };
    Ok(BatchOutcome {
        records,
        reused,
        aggregate,
        complete,
    })
}

/// The output folders this process holds the lock of.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The exclusive lock on a batch's output folder, held until dropped (see [`lock_output`]).
#[derive(Debug)]
pub struct OutputLock {
    dir: PathBuf,
    _file: std::fs::File,
}

impl OutputLock {
    /// Whether this process holds the lock on `dir` already.
    fn held(dir: &std::path::Path) -> bool {
        let Ok(dir) = std::fs::canonicalize(dir) else {
            return false;
        };
        HELD.lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&dir)
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = held.iter().position(|d| d == &self.dir) {
            held.swap_remove(i);
        }
    }
}

/// Creates `out_dir` where missing and takes the exclusive lock on
/// `out_dir/.medlyt-batch.lock`; another run holding it is an error ([`BatchError::Locked`]).
/// The operating system releases it when the run ends, also when it is killed; [`run_batch`]
/// takes it itself unless the caller holds it.
pub fn lock_output(out_dir: &std::path::Path) -> Result<OutputLock, BatchError> {
    std::fs::create_dir_all(out_dir).map_err(|e| BatchError::io("create", out_dir, e))?;
    let path = out_dir.join(crate::inputs::BATCH_MARKER);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| BatchError::io("create", &path, e))?;
    match file.try_lock() {
        Ok(()) => {
            let dir = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
            HELD.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(dir.clone());
            Ok(OutputLock { dir, _file: file })
        }
        Err(std::fs::TryLockError::WouldBlock) => Err(BatchError::Locked {
            dir: out_dir.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(BatchError::io("lock", &path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_never_exceeds_the_cores() {
        for cores in 1..=16 {
            for p in [None, Some(1), Some(2), Some(3), Some(64)] {
                for t in [None, Some(1), Some(4), Some(64)] {
                    let (par, thr) = thread_budget(cores, p, t);
                    assert!(par * thr <= cores, "{cores} {p:?} {t:?} -> {par} x {thr}");
                    assert!(par >= 1 && thr >= 1);
                }
            }
        }
        assert_eq!(thread_budget(16, Some(2), None), (2, 8));
    }
}
