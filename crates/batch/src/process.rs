//! One call: read or transcribe it, redact it, analyse it, and write its outputs.

use crate::record::{write_atomic, CallRecord, Failure, FailureKind, Outcome};
use crate::{BatchError, Figures, Input};
use medlyt_analysis::Config;
use medlyt_core::{Lang, Transcript};
use medlyt_redact::Redactor;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Turns a recording into a transcript. The real one runs Whisper ([`crate::WhisperTranscriber`]);
/// tests put in a fast one.
pub trait Transcriber: Sync {
    /// The model and settings, in words: part of every call's key, so a change redoes the calls.
    fn settings(&self) -> String;
    /// Transcribes the recording at `path`.
    fn transcribe(&self, path: &Path) -> Result<Transcript, Failure>;
}

/// How each call is analysed and reported.
#[derive(Debug, Clone)]
pub struct CallSettings {
    /// Redact personal data before the analysis (the default).
    pub redact: bool,
    /// Also write `report.md`.
    pub report_md: bool,
    /// Language of `report.md`, `report.html` and `summary.html`.
    pub report_lang: Lang,
    /// The language to analyse in; `None`: the transcript's (detected) language, else Danish.
    pub language: Option<Lang>,
    /// Which speaker of a transcript file is the employee.
    pub employee: Option<String>,
    /// The analysis config per language (defaults, or with a consultant's override).
    pub configs: Vec<Config>,
}

impl CallSettings {
    /// Settings with the default analysis configs: redaction on, JSON reports only.
    pub fn new() -> Self {
        CallSettings {
            redact: true,
            report_md: false,
            report_lang: Lang::Da,
            language: None,
            employee: None,
            configs: vec![Config::for_lang(Lang::Da), Config::for_lang(Lang::En)],
        }
    }

    /// Applies a config override file to every language's config.
    pub fn with_override(mut self, path: &Path) -> Result<Self, BatchError> {
        let mut out = Vec::new();
        for c in self.configs {
            out.push(c.load_override(path)?);
        }
        self.configs = out;
        Ok(self)
    }

    /// A hash of everything that changes a call's outputs, with the transcriber's settings.
    pub fn hash(&self, transcriber: &str) -> String {
        let mut configs = serde_json::to_string(&self.configs).unwrap_or_default();
        for c in &self.configs {
            let words = c.words.as_ref().map_or(0, |w| w.len());
            configs.push_str(&format!(" words-{} {words}", c.lang));
        }
        let text = format!(
            "medlyt-batch 2\nredact {}\nmd {}\nreport {}\nlang {:?}\nemployee {:?}\nschema {} {}\nconfig {configs}\ntranscriber {transcriber}",
            self.redact,
            self.report_md,
            self.report_lang,
            self.language,
            self.employee,
            medlyt_report::REPORT_SCHEMA,
            medlyt_report::REPORT_VERSION,
        );
        hex(&Sha256::digest(text.as_bytes()))[..16].to_string()
    }

    fn config(&self, lang: Lang) -> Config {
        self.configs
            .iter()
            .find(|c| c.lang == lang)
            .cloned()
            .unwrap_or_else(|| Config::for_lang(lang))
    }
}

impl Default for CallSettings {
    fn default() -> Self {
        Self::new()
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a file's content, read in blocks.
pub fn content_sha256(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The folder name of an input's outputs: its relative path made safe, and a short hash of the
/// path so two names that become alike stay apart.
pub fn output_name(rel: &str) -> String {
    let safe: String = rel
        .replace('/', "__")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let short = &hex(&Sha256::digest(rel.as_bytes()))[..8];
    format!("{}-{short}", safe.trim_start_matches('.'))
}

/// What processing one call did.
#[derive(Debug, Clone)]
pub(crate) struct Processed {
    pub record: CallRecord,
    /// `true` when a stored result was reused.
    pub skipped: bool,
}

pub(crate) struct Context<'a> {
    pub calls_dir: PathBuf,
    pub settings: &'a CallSettings,
    pub settings_hash: String,
    pub transcriber: &'a dyn Transcriber,
    pub redactor: &'a Redactor,
}

/// The file in a call's folder that says the call is under way: written before the call is
/// analysed and removed once its result is written, so a run that finds it knows that an
/// earlier run stopped (was killed, or crashed) during the call.
pub(crate) const IN_FLIGHT: &str = ".in-flight.json";

/// Runs that stopped during a call before it is recorded as failed rather than tried again.
const MAX_STOPPED_RUNS: u32 = 2;

/// What [`IN_FLIGHT`] holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct InFlight {
    content_sha256: String,
    settings: String,
    /// Runs that started the call (this one included) and did not finish it.
    runs: u32,
}

/// Whether an earlier run stopped while `input` was under way (its call folder holds
/// [`IN_FLIGHT`]).
pub(crate) fn was_in_flight(ctx: &Context<'_>, input: &Input) -> bool {
    ctx.calls_dir
        .join(output_name(&input.rel))
        .join(IN_FLIGHT)
        .is_file()
}

/// What `path` is when it is not a regular file (after following links), in words; `None` for
/// a regular file or one whose type cannot be read (reading it then reports the error).
fn not_a_file(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        if let Err(e) = std::fs::read_dir(path) {
            return Some(format!(
                "a folder that cannot be read ({e}); the calls in it are not analysed"
            ));
        }
        return Some(
            "a link to a folder the batch already searches (a symlink loop, or a second link to \
             the same folder); not followed"
                .to_string(),
        );
    }
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            "a named pipe (FIFO)"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = "not a regular file";
    Some(format!("{what}, not a recording or a transcript; not read"))
}

/// Processes one call, or reuses its stored result when content and settings are unchanged.
pub(crate) fn process(ctx: &Context<'_>, input: &Input) -> Result<Processed, BatchError> {
    let name = output_name(&input.rel);
    let dir = ctx.calls_dir.join(&name);
    let result_path = dir.join("result.json");
    let in_flight_path = dir.join(IN_FLIGHT);
    // A pipe, socket or device is never opened (reading one may block for ever).
    let special = not_a_file(&input.path);
    let content = match &special {
        Some(_) => "not-a-file".to_string(),
        None => match content_sha256(&input.path) {
            Ok(h) => h,
            Err(e) => String::from("unreadable:") + &e.kind().to_string(),
        },
    };
    if let Some(old) = crate::record::read_record(&result_path) {
        if old.content_sha256 == content
            && old.settings == ctx.settings_hash
            && old.input == input.rel
        {
            if in_flight_path.exists() {
                // Left by a run stopped between writing the result and removing it.
                std::fs::remove_file(&in_flight_path)
                    .map_err(|e| BatchError::io("remove", &in_flight_path, e))?;
            }
            return Ok(Processed {
                record: old,
                skipped: true,
            });
        }
    }
    let stopped_runs = std::fs::read_to_string(&in_flight_path)
        .ok()
        .and_then(|text| serde_json::from_str::<InFlight>(&text).ok())
        .filter(|f| f.content_sha256 == content && f.settings == ctx.settings_hash)
        .map_or(0, |f| f.runs);
    let analysed = if let Some(reason) = special {
        Err(Failure {
            kind: FailureKind::NotAFile,
            reason,
        })
    } else if stopped_runs >= MAX_STOPPED_RUNS {
        Err(Failure {
            kind: FailureKind::Internal,
            reason: format!(
                "medlyt stopped during this call in {stopped_runs} runs (it ran out of memory, \
                 crashed or was killed), so it is recorded as failed and the batch goes on; \
                 delete calls/{name}/ to try it again (please report it)"
            ),
        })
    } else {
        let marker = InFlight {
            content_sha256: content.clone(),
            settings: ctx.settings_hash.clone(),
            runs: stopped_runs + 1,
        };
        std::fs::create_dir_all(&dir).map_err(|e| BatchError::io("create", &dir, e))?;
        std::fs::write(
            &in_flight_path,
            serde_json::to_string(&marker).unwrap_or_default(),
        )
        .map_err(|e| BatchError::io("write", &in_flight_path, e))?;
        // A fault in medlyt itself on one call is recorded like a bad file: the batch goes on.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyse(ctx, input, &dir)))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(Failure {
                    kind: FailureKind::Internal,
                    reason: format!("medlyt failed on this call (please report it): {what}"),
                })
            })
    };
    let outcome = match analysed {
        Ok(figures) => Outcome::Done { figures },
        Err(failure) => {
            for stale in ["report.json", "report.html", "report.md", "transcript.json"] {
                let p = dir.join(stale);
                if p.exists() {
                    std::fs::remove_file(&p).map_err(|e| BatchError::io("remove", &p, e))?;
                }
            }
            Outcome::Failed { failure }
        }
    };
    let record = CallRecord {
        input: input.rel.clone(),
        name,
        content_sha256: content,
        settings: ctx.settings_hash.clone(),
        outcome,
    };
    let mut json = serde_json::to_string_pretty(&record).unwrap_or_default();
    json.push('\n');
    // Written last: a call counts as done only once everything else is in place.
    write_atomic(&result_path, json.as_bytes())?;
    if in_flight_path.exists() {
        std::fs::remove_file(&in_flight_path)
            .map_err(|e| BatchError::io("remove", &in_flight_path, e))?;
    }
    Ok(Processed {
        record,
        skipped: false,
    })
}

fn analyse(ctx: &Context<'_>, input: &Input, dir: &Path) -> Result<Figures, Failure> {
    let meta = std::fs::metadata(&input.path).map_err(|e| Failure {
        kind: FailureKind::Io,
        reason: format!("cannot read {}: {e}", input.rel),
    })?;
    if meta.len() == 0 {
        return Err(Failure {
            kind: FailureKind::Empty,
            reason: "the file is empty (0 bytes)".to_string(),
        });
    }
    let from_audio = !medlyt_formats::looks_like_transcript(&input.path);
    let mut transcript = if from_audio {
        ctx.transcriber.transcribe(&input.path)?
    } else {
        let opts = medlyt_formats::ReadOptions {
            employee: ctx.settings.employee.clone(),
        };
        medlyt_formats::read_transcript(&input.path, &opts).map_err(|e| Failure {
            kind: FailureKind::Transcript,
            reason: format!("cannot read the transcript: {e}"),
        })?
    };
    let redacted = if ctx.settings.redact {
        medlyt_redact::redact_transcript(ctx.redactor, &mut transcript).total()
    } else {
        0
    };
    let lang = ctx
        .settings
        .language
        .unwrap_or_else(|| transcript_lang(&transcript));
    let analysis = medlyt_analysis::analyze(&transcript, &ctx.settings.config(lang));
    let write = |file: &str, text: &str| {
        write_atomic(&dir.join(file), text.as_bytes()).map_err(|e| Failure {
            kind: FailureKind::Io,
            reason: e.to_string(),
        })
    };
    if from_audio {
        write("transcript.json", &transcript.to_json())?;
    }
    write("report.json", &medlyt_report::json(&analysis))?;
    write(
        "report.html",
        &medlyt_report::report_html(&analysis, ctx.settings.report_lang, None),
    )?;
    if ctx.settings.report_md {
        write(
            "report.md",
            &medlyt_report::markdown(&analysis, ctx.settings.report_lang),
        )?;
    }
    Ok(Figures::of(&analysis, redacted))
}

/// The detected language where none was asked for or the model was sure of it (and medlyt
/// analyses it), else the requested one, else Danish.
fn transcript_lang(t: &Transcript) -> Lang {
    let free = t.language.requested == "auto" || t.language.requested == medlyt_core::DA_OR_EN;
    let min = if free { 0.0 } else { 0.8 };
    t.language
        .detected_at_least(min)
        .and_then(|c| c.parse().ok())
        .or_else(|| t.language.requested.parse().ok())
        .unwrap_or(Lang::Da)
}
