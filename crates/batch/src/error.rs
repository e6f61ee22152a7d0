//! Errors that stop a whole batch (a bad call never does: it is recorded in `failures.jsonl`).

use std::path::PathBuf;

/// An error that stops a batch, an aggregation or a comparison.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An input named on the command line does not exist.
    #[error("input not found: {}", path.display())]
    InputNotFound {
        /// The input.
        path: PathBuf,
    },
    /// A glob pattern is not valid.
    #[error("invalid pattern '{pattern}': {reason}")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// What is wrong.
        reason: String,
    },
    /// Two inputs have the same path relative to their folder, so their outputs would clash.
    #[error("two inputs are both named '{rel}' ({} and {}); give them from one folder", first.display(), second.display())]
    DuplicateInput {
        /// The relative path.
        rel: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    /// `--shard` is not `K/N` with `0 <= K < N`.
    #[error("invalid shard '{spec}': expected K/N with 0 <= K < N (K counts from 0)")]
    Shard {
        /// What was given.
        spec: String,
    },
    /// Another batch is writing to the same output folder.
    #[error("another medlyt batch is running with output folder {} (it holds {}/.medlyt-batch.lock); wait for it to finish, or choose another output folder", dir.display(), dir.display())]
    Locked {
        /// The output folder.
        dir: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done ("read", "write", ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A batch output file is not what medlyt writes.
    #[error("not a medlyt batch output: {} line {line}: {reason}", path.display())]
    BadOutput {
        /// The file.
        path: PathBuf,
        /// Line number (1-based).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The same call appears in two shard outputs with different results.
    #[error("call '{input}' is in two outputs with different results; were the shards run with the same settings?")]
    Conflict {
        /// The call's input path.
        input: String,
    },
    /// The analysis config override is invalid.
    #[error(transparent)]
    Config(#[from] medlyt_analysis::ConfigError),
    /// The rayon pool could not be started.
    #[error("cannot start {threads} worker threads: {reason}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// What went wrong.
        reason: String,
    },
}

impl BatchError {
    pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        BatchError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}
