//! `medlyt diarize`: who speaks when in a mono recording, as JSON or RTTM.

use crate::exit::ExpectedError;
use medlyt_diarize::neural::{diarize_neural, is_narrowband, InstalledModels, NeuralOptions};
use medlyt_diarize::{diarize, DiarizeOptions, MAX_SPEAKERS};
use std::path::PathBuf;

/// Arguments of `medlyt diarize`.
#[derive(Debug, clap::Args)]
pub struct DiarizeArgs {
    /// The recording (any supported audio file; several channels are mixed to mono).
    pub input: PathBuf,
    /// How many speakers the recording holds, 1 to 4 (default: found from the voices with the
    /// speaker models, 2 with the signal-feature fallback).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=MAX_SPEAKERS as i64))]
    pub speakers: Option<u8>,
    /// Folder with the models (default: $MEDLYT_MODELS, ./models, or the one beside the program).
    #[arg(long, value_name = "DIR")]
    pub models_dir: Option<PathBuf>,
    /// Output format: medlyt's JSON (turns, overlaps, speakers, confidence, method) or RTTM
    /// (one `SPEAKER` line per turn, speakers A, B, ..., for diarization scorers).
    #[arg(long, value_enum, default_value = "json")]
    pub format: DiarizeFormat,
    /// Write the result here instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Output formats of `medlyt diarize`.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum DiarizeFormat {
    Json,
    Rttm,
}

/// Decodes the input, diarizes it and writes turns, overlaps, speakers, confidence and method
/// as JSON, or the turns as RTTM (file id: the input's name without extension).
pub fn run(args: DiarizeArgs) -> Result<(), ExpectedError> {
    if !args.input.exists() {
        return Err(ExpectedError::NotFound(format!(
            "input file not found: {}",
            args.input.display()
        )));
    }
    let dest = crate::transcribe_cmd::output_dest(args.output.as_deref())?;
    if let Some(out) = &args.output {
        crate::output::refuse_input(out, &args.input)?;
    }
    let decoded = medlyt_audio::decode(
        &args.input,
        &medlyt_audio::DecodeOptions::default(),
        &mut |_| {},
    )?;
    let samples = medlyt_audio::mix_to_mono(&decoded);
    let speakers = args.speakers.map(usize::from);
    let dir = crate::locate::models_dir(args.models_dir.as_deref());
    let installed = InstalledModels::find(&dir);
    let d = match installed.as_ref().map(InstalledModels::get).transpose() {
        Err(reason) => return Err(ExpectedError::BadModel(reason)),
        Ok(Some(models)) => {
            let opts = NeuralOptions {
                speakers,
                narrowband: is_narrowband(decoded.info.sample_rate),
                ..NeuralOptions::default()
            };
            diarize_neural(models, &samples, &opts)
        }
        Ok(None) => {
            eprintln!("note: {}", medlyt_core::notes::diarization_fallback());
            let opts = DiarizeOptions {
                speakers,
                ..DiarizeOptions::default()
            };
            diarize(&samples, &[], &opts)
        }
    };
    let text = match args.format {
        DiarizeFormat::Json => {
            let mut json = serde_json::to_string_pretty(&d)
                .map_err(|e| ExpectedError::Other(format!("cannot encode the diarization: {e}")))?;
            json.push('\n');
            json
        }
        DiarizeFormat::Rttm => {
            let stem = args.input.file_stem().unwrap_or_default().to_string_lossy();
            medlyt_diarize::rttm::write(&d, &stem)
        }
    };
    crate::output::write(&dest, text.as_bytes())
}
