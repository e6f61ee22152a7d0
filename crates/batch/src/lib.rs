//! Batch analysis of call archives for medlyt.
//!
//! [`run_batch`] takes many recordings or transcripts ([`collect`] finds them in folders, glob
//! patterns and file lists), analyses them in parallel within a thread budget, and writes per call
//! `calls/NAME/report.json` and `report.html` (and `report.md` on request), and for the batch
//! `calls.csv`, `aggregate.json`, `summary.md`, `summary.html`, `failures.jsonl` and `results.jsonl`.
//!
//! A batch is resumable: each call's result is written atomically and keyed by the SHA-256 of
//! the file and a hash of the settings, so a re-run reuses finished calls and redoes changed
//! ones. A bad file is recorded as a failure and the batch goes on. Personal data is redacted
//! before the analysis unless switched off ([`CallSettings::redact`]).
//!
//! [`Shard`] takes a deterministic share of the inputs for runs on many machines;
//! [`merge`] and [`write_tables`] combine their outputs into the tables one run would give.
//! [`compare`](compare::compare) sets a baseline against a follow-up. See `docs/batch.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod compare;
mod error;
mod figures;
mod inputs;
mod process;
mod record;
mod run;
pub mod stats;
mod summary;
mod tables;
mod whisper;

pub use error::BatchError;
pub use figures::{Figures, Measure, MEASURES, STAND_OUT};
pub use inputs::{
    collect, collect_with, is_call_file, name_text, select, Collected, Input, Shard, BATCH_MARKER,
};
pub use process::{content_sha256, output_name, CallSettings, Transcriber};
pub use record::{read_results, write_atomic, CallRecord, Failure, FailureKind, Outcome};
pub use run::{
    lock_output, run_batch, thread_budget, BatchOptions, BatchOutcome, BatchProgress, OutputLock,
};
pub use summary::write_summary_html;
pub use tables::{
    aggregate, csv_field, merge, write_tables, Aggregate, StandOut, AGGREGATE_SCHEMA,
};
pub use whisper::WhisperTranscriber;
