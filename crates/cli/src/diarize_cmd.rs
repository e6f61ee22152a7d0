//! `medlyt diarize`: who speaks when in a mono recording, as JSON.

use crate::exit::ExpectedError;
use crate::transcribe_cmd::write_output;
use medlyt_diarize::{diarize, DiarizeOptions, MAX_SPEAKERS};
use std::path::PathBuf;

/// Arguments of `medlyt diarize`.
#[derive(Debug, clap::Args)]
pub struct DiarizeArgs {
    /// The recording (any supported audio file; several channels are mixed to mono).
    pub input: PathBuf,
    /// How many speakers the recording holds, 1 to 4.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=MAX_SPEAKERS as i64))]
    pub speakers: u8,
    /// Write the JSON here instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Decodes the input, diarizes it and writes turns, overlaps, speakers, confidence and method
/// as JSON.
pub fn run(args: DiarizeArgs) -> Result<(), ExpectedError> {
    if !args.input.exists() {
        return Err(ExpectedError::NotFound(format!(
            "input file not found: {}",
            args.input.display()
        )));
    }
    let decoded = medlyt_audio::decode(
        &args.input,
        &medlyt_audio::DecodeOptions::default(),
        &mut |_| {},
    )?;
    let samples = medlyt_audio::mix_to_mono(&decoded);
    let opts = DiarizeOptions {
        speakers: Some(usize::from(args.speakers)),
        ..DiarizeOptions::default()
    };
    let d = diarize(&samples, &[], &opts);
    let mut json = serde_json::to_string_pretty(&d)
        .map_err(|e| ExpectedError::Other(format!("cannot encode the diarization: {e}")))?;
    json.push('\n');
    write_output(args.output.as_deref(), json.as_bytes())
}
