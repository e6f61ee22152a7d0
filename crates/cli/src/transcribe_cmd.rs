//! `medlyt transcribe`.

use crate::args::{FormatArg, TranscribeArgs, WhisperArgs};
use crate::exit::ExpectedError;
use crate::locate;
use crate::progress::Bar;
use medlyt_core::{Role, Transcript};
use medlyt_formats::OutputFormat;
use medlyt_models::ModelKind;
use medlyt_transcribe::{ModelSpec, Options, Timings, LANGUAGE_NOTE};
use std::path::Path;

pub fn run(args: TranscribeArgs) -> Result<(), ExpectedError> {
    // The output is checked before the transcription, so a bad `-o` fails in a second.
    let dest = output_dest(args.output.as_deref())?;
    if let Some(out) = &args.output {
        crate::output::refuse_input(out, &args.call)?;
    }
    let (transcript, timings) = transcribe(&args.call, &args.whisper, args.employee.as_deref())?;
    if args.timings {
        print_timings(&transcript, &timings);
    }
    let format = match args.format {
        FormatArg::Json => OutputFormat::Json,
        FormatArg::Vtt => OutputFormat::Vtt,
        FormatArg::Srt => OutputFormat::Srt,
        FormatArg::Txt => OutputFormat::Txt,
    };
    let bytes = medlyt_formats::write_transcript(&transcript, format);
    crate::output::write(&dest, &bytes)
}

/// The checked destination of `-o` (standard output where none is given, or `-`).
pub fn output_dest(path: Option<&Path>) -> Result<crate::output::Dest, ExpectedError> {
    match path {
        None => Ok(crate::output::Dest::Stdout),
        Some(p) => crate::output::resolve(p),
    }
}

/// Writes to the file (a temporary file beside it, then a rename; through a link, device or
/// FIFO) or to stdout; see [`crate::output`].
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), ExpectedError> {
    crate::output::write(&output_dest(path)?, bytes)
}

/// Parses `employee,citizen` into roles per channel (clap has checked it already).
pub fn parse_roles(s: &str) -> Result<Vec<Role>, ExpectedError> {
    s.split(',')
        .map(|r| r.parse::<Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ExpectedError::Usage(format!("--channels: {e}")))
}

/// The neural speaker models installed in `dir`, unless diarization is off (they are loaded
/// only for a mono recording, before Whisper runs); `None` where they are not installed.
pub fn speaker_models(
    dir: &Path,
    no_diarize: bool,
) -> Option<std::sync::Arc<medlyt_diarize::neural::InstalledModels>> {
    if no_diarize {
        return None;
    }
    medlyt_diarize::neural::InstalledModels::find(dir).map(std::sync::Arc::new)
}

/// Transcribes a recording with the options of the command line.
pub fn transcribe(
    call: &Path,
    w: &WhisperArgs,
    employee: Option<&str>,
) -> Result<(Transcript, Timings), ExpectedError> {
    // Check the input before loading a model, so a bad file fails fast and clearly.
    medlyt_audio::open(call)?;
    let roles = parse_roles(&w.channels)?;
    let employee = employee
        .map(crate::args::voice_index)
        .transpose()
        .map_err(|e| ExpectedError::Usage(format!("--employee for a recording: {e}")))?;
    let dir = locate::models_dir(w.models_dir.as_deref());
    let model_path = locate::whisper_model(&dir, w.model.as_deref())?;
    let info = medlyt_models::check(&model_path, ModelKind::Whisper)?;
    let vad_model = if w.no_vad {
        None
    } else {
        locate::vad_model(&dir)
    };
    if let Some(v) = &vad_model {
        medlyt_models::check(v, ModelKind::Vad)?;
    }
    let speaker_models = speaker_models(&dir, w.no_diarize);
    let threads = w.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let opts = Options {
        model: ModelSpec {
            name: locate::model_name(&model_path),
            path: model_path,
            sha256: None,
            text_layers: info.layers.1 as i32,
            width: info.width as i32,
            multilingual: info.multilingual,
        },
        vad_model,
        language: w.language_code().to_string(),
        roles,
        threads,
        beam: w.beam,
        prompt: w.prompt_text(),
        fit_audio_ctx: !w.full_context,
        dtw: !w.no_dtw,
        detect_language: true,
        diarize: !w.no_diarize,
        speakers: w.speakers.map(usize::from),
        speaker_models,
        employee,
    };
    let name = call
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bar = Bar::new(&name, w.quiet);
    let result = medlyt_transcribe::transcribe_timed(call, &opts, &mut |p| bar.update(p));
    bar.finish();
    let (transcript, timings) = result?;
    print_language_notes(&transcript);
    Ok((transcript, timings))
}

/// One line on standard error for a call that sounds like another language than the one forced.
pub fn print_language_notes(t: &Transcript) {
    for note in t.notes.iter().filter(|n| n.starts_with(LANGUAGE_NOTE)) {
        eprintln!("note: {note}");
    }
}

fn print_timings(t: &Transcript, s: &Timings) {
    let total = s.decode + s.load + s.speech + s.language + s.whisper;
    eprintln!("audio seconds      {:8.2}", t.recording.duration);
    eprintln!("decode             {:8.2} s", s.decode);
    eprintln!("load models        {:8.2} s", s.load);
    eprintln!("find speech        {:8.2} s", s.speech);
    eprintln!("detect language    {:8.2} s", s.language);
    eprintln!(
        "whisper            {:8.2} s  ({} windows, {:.1} s of audio)",
        s.whisper, s.windows, s.whisper_audio
    );
    eprintln!(
        "total              {:8.2} s  (real-time factor {:.3})",
        total,
        total / t.recording.duration.max(1e-9)
    );
}
