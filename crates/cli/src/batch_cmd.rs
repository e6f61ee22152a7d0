//! `medlyt batch`, `medlyt aggregate` and `medlyt compare`: call archives.

use crate::args::{LanguageArg, ReportLangArg, WhisperArgs};
use crate::exit::ExpectedError;
use crate::locate;
use crate::transcribe_cmd::{parse_roles, write_output};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use medlyt_batch::{
    BatchError, BatchOptions, BatchProgress, CallRecord, CallSettings, Shard, WhisperTranscriber,
};
use medlyt_core::Lang;
use std::path::{Path, PathBuf};

/// Whether batch outputs are anonymised.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RedactArg {
    /// CPR numbers, phone numbers, e-mail and street addresses, and names after cues.
    All,
    /// Nothing is redacted (must be asked for).
    None,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Folders (searched recursively), glob patterns ('calls/**/*.wav') or @LIST files (one path
    /// per line) of recordings or transcripts.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Folder for the outputs; a re-run into the same folder reuses finished calls.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Recordings transcribed at the same time (Whisper threads are divided between them).
    #[arg(long, default_value_t = 1)]
    pub parallel: usize,
    /// Only shard K of N (K counts from 0), chosen by a hash of each input's relative path.
    #[arg(long, value_name = "K/N", value_parser = shard_arg)]
    pub shard: Option<Shard>,
    /// Personal data to redact from transcripts, quotes and reports.
    #[arg(long, value_enum, default_value = "all")]
    pub redact: RedactArg,
    /// Also write report.md for each call.
    #[arg(long)]
    pub markdown: bool,
    /// Language of report.md, report.html and summary.html.
    #[arg(long, value_enum, default_value = "da")]
    pub report_lang: ReportLangArg,
    /// Which speaker of a transcript is the employee (name, or the start of one).
    #[arg(long, value_name = "NAME")]
    pub employee: Option<String>,
    /// A consultant's thresholds and cue lists (TOML) over the defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub whisper: WhisperArgs,
}

#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// Output folders of `medlyt batch` runs (e.g. one per shard).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Folder for the merged results.jsonl, calls.csv, failures.jsonl, aggregate.json,
    /// summary.md and summary.html (which links to the calls' reports in the shard folders).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Language of summary.html.
    #[arg(long, value_enum, default_value = "da")]
    pub report_lang: ReportLangArg,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Output folder of the baseline batch (or of `medlyt aggregate`).
    pub baseline: PathBuf,
    /// Output folder of the follow-up batch.
    pub followup: PathBuf,
    /// Folder for compare.md and compare.json (default: print the Markdown).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `--shard K/N` with `0 <= K < N`.
fn shard_arg(s: &str) -> Result<Shard, String> {
    s.parse::<Shard>().map_err(|e| e.to_string())
}

fn batch_error(e: BatchError) -> ExpectedError {
    match e {
        BatchError::InputNotFound { .. } => ExpectedError::NotFound(e.to_string()),
        BatchError::Config(c) => c.into(),
        other => ExpectedError::Other(other.to_string()),
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

pub fn run_batch(args: BatchArgs) -> Result<(), ExpectedError> {
    let shard = args.shard;
    // Another run on the same output folder is refused before anything is loaded; the lock is
    // held from here to the end of the run.
    let _lock = medlyt_batch::lock_output(&args.output).map_err(batch_error)?;
    let collected =
        medlyt_batch::collect_with(&args.inputs, Some(&args.output)).map_err(batch_error)?;
    for (path, why) in &collected.skipped {
        eprintln!("skipped {}: {why}", path.display());
    }
    let all = collected.inputs;
    let inputs = medlyt_batch::select(all, shard);
    let w = &args.whisper;
    let (parallel, threads) = medlyt_batch::thread_budget(cores(), Some(args.parallel), w.threads);
    let dir = locate::models_dir(w.models_dir.as_deref());
    let model = locate::whisper_model(&dir, w.model.as_deref())?;
    let vad = if w.no_vad {
        None
    } else {
        locate::vad_model(&dir)
    };
    let mut transcriber = WhisperTranscriber::new(
        &model,
        vad,
        w.language_code(),
        parse_roles(&w.channels)?,
        threads,
    )?;
    transcriber.options.beam = w.beam;
    transcriber.options.prompt = w.prompt_text();
    transcriber.options.fit_audio_ctx = !w.full_context;
    transcriber.options.dtw = !w.no_dtw;
    transcriber.options.diarize = !w.no_diarize;
    transcriber.options.speakers = w.speakers.map(usize::from);
    transcriber.options.speaker_models = crate::transcribe_cmd::speaker_models(&dir, w.no_diarize);
    let mut settings = CallSettings {
        redact: args.redact == RedactArg::All,
        report_md: args.markdown,
        report_lang: Lang::from(args.report_lang),
        language: match w.language {
            Some(LanguageArg::Da) => Some(Lang::Da),
            Some(LanguageArg::En) => Some(Lang::En),
            Some(LanguageArg::Auto) | None => None,
        },
        employee: args.employee.clone(),
        ..CallSettings::new()
    };
    if let Some(path) = &args.config {
        settings = settings.with_override(path).map_err(batch_error)?;
    }
    settings.configs = std::mem::take(&mut settings.configs)
        .into_iter()
        .map(|c| locate::with_word_list(c, &dir))
        .collect();
    let opts = BatchOptions {
        out_dir: args.output.clone(),
        parallel,
        settings,
        cancel: None,
    };
    let bar = progress_bar(inputs.len(), w.quiet);
    let show = |p: &BatchProgress| {
        bar.set_position(p.finished as u64);
        let eta = p.eta_s.map_or_else(|| "?".to_string(), clock);
        bar.set_message(format!(
            "{} failed, {} reused, {:.2} h of calls, {} left",
            p.failed,
            p.reused,
            p.audio_s / 3600.0,
            eta
        ));
    };
    let noting = NotingTranscriber {
        inner: &transcriber,
        bar: &bar,
    };
    let outcome = medlyt_batch::run_batch(&inputs, &noting, &opts, &show).map_err(batch_error)?;
    bar.finish_and_clear();
    let failed = outcome.failed();
    eprintln!(
        "{} calls: {} analysed, {} failed, {} reused from an earlier run ({parallel} at a time, {threads} Whisper threads each)",
        outcome.records.len(),
        outcome.records.len() - failed,
        failed,
        outcome.reused
    );
    if outcome.complete {
        println!("{}", args.output.join("summary.html").display());
    }
    println!("{}", args.output.join("summary.md").display());
    if failed > 0 {
        return Err(ExpectedError::SomeFailed(format!(
            "{failed} of {} calls failed; see {}",
            outcome.records.len(),
            args.output.join("failures.jsonl").display()
        )));
    }
    Ok(())
}

fn clock(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn progress_bar(total: usize, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    if quiet {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    let style = ProgressStyle::with_template("calls [{bar:30}] {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

pub fn run_aggregate(args: AggregateArgs) -> Result<(), ExpectedError> {
    let refs: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    let records = medlyt_batch::merge(&refs).map_err(batch_error)?;
    let agg = medlyt_batch::write_tables(&args.output, &records).map_err(batch_error)?;
    medlyt_batch::write_summary_html(&args.output, &refs, &records, Lang::from(args.report_lang))
        .map_err(batch_error)?;
    eprintln!(
        "{} calls from {} folders: {} analysed, {} failed",
        agg.calls,
        args.dirs.len(),
        agg.analysed,
        agg.failed
    );
    println!("{}", args.output.join("aggregate.json").display());
    Ok(())
}

fn results(dir: &Path) -> Result<Vec<CallRecord>, ExpectedError> {
    let path = dir.join("results.jsonl");
    if !path.is_file() {
        return Err(ExpectedError::NotFound(format!(
            "no batch results in {} (results.jsonl is missing)",
            dir.display()
        )));
    }
    medlyt_batch::read_results(&path).map_err(batch_error)
}

pub fn run_compare(args: CompareArgs) -> Result<(), ExpectedError> {
    let c = medlyt_batch::compare::compare(&results(&args.baseline)?, &results(&args.followup)?);
    let md = medlyt_batch::compare::markdown(&c);
    match &args.output {
        None => write_output(None, md.as_bytes()),
        Some(dir) => {
            let json = serde_json::to_string_pretty(&c).unwrap_or_default();
            write_output(Some(&dir.join("compare.json")), json.as_bytes())?;
            write_output(Some(&dir.join("compare.md")), md.as_bytes())?;
            println!("{}", dir.join("compare.md").display());
            Ok(())
        }
    }
}

/// Transcribes as the batch's transcriber does, and says on standard error (one line, above the
/// progress bar) when a call sounds surely like another language than the one forced.
struct NotingTranscriber<'a> {
    inner: &'a WhisperTranscriber,
    bar: &'a ProgressBar,
}

impl medlyt_batch::Transcriber for NotingTranscriber<'_> {
    fn settings(&self) -> String {
        self.inner.settings()
    }

    fn transcribe(&self, path: &Path) -> Result<medlyt_core::Transcript, medlyt_batch::Failure> {
        let t = self.inner.transcribe(path)?;
        let notes = t
            .notes
            .iter()
            .filter(|n| n.starts_with(medlyt_transcribe::LANGUAGE_NOTE));
        for note in notes {
            self.bar
                .suspend(|| eprintln!("note: {}: {note}", path.display()));
        }
        Ok(t)
    }
}
