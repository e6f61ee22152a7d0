//! `medlyt analyze`: a recording or a transcript in, the feedback report out.

use crate::args::{AnalyzeArgs, LanguageArg};
use crate::exit::ExpectedError;
use crate::output::Staged;
use crate::transcribe_cmd::transcribe;
use medlyt_analysis::Config;
use medlyt_core::{Lang, Transcript};
use medlyt_formats::ReadOptions;
use medlyt_report::{AudioRef, HtmlWriter, ReportWriter};

/// Largest recording embedded into report.html.
const MAX_EMBED_BYTES: u64 = 100 * 1024 * 1024;

pub fn run(args: AnalyzeArgs) -> Result<(), ExpectedError> {
    let Ok(meta) = std::fs::metadata(&args.input) else {
        return Err(ExpectedError::NotFound(format!(
            "input file not found: {}",
            args.input.display()
        )));
    };
    // Before anything reads it: opening a FIFO blocks, and a device never ends.
    if let Some(kind) = medlyt_audio::not_a_file(&meta) {
        return Err(ExpectedError::NotAudio(format!(
            "{} is {kind}, not a recording or a transcript",
            args.input.display()
        )));
    }
    // A bad config file fails now rather than after the transcription (the language's
    // defaults it is merged over are chosen later, from the transcript).
    if let Some(path) = &args.config {
        Config::for_lang(Lang::Da).load_override(path)?;
    }
    let from_audio = !medlyt_formats::looks_like_transcript(&args.input);
    // The outputs, and a recording too large to embed, are checked before the transcription.
    let dir = &args.output;
    let dests = crate::output::resolve_in_dir(
        dir,
        &["transcript.json", "report.json", "report.md", "report.html"],
    )?;
    for d in &dests {
        if let crate::output::Dest::Replace(p) | crate::output::Dest::Through(p) = d {
            crate::output::refuse_input(p, &args.input)?;
        }
    }
    if from_audio && args.embed_audio {
        check_embed_size(&args.input)?;
    }
    let transcript: Transcript = if from_audio {
        transcribe(&args.input, &args.whisper, args.employee.as_deref())?.0
    } else {
        let opts = ReadOptions {
            employee: args.employee.clone(),
        };
        medlyt_formats::read_transcript(&args.input, &opts)?
    };
    let lang = analysis_lang(args.whisper.language, &transcript);
    let mut config = Config::for_lang(lang);
    if let Some(path) = &args.config {
        config = config.load_override(path)?;
    }
    let config = crate::locate::with_word_list(
        config,
        &crate::locate::models_dir(args.whisper.models_dir.as_deref()),
    );
    let analysis = medlyt_analysis::analyze(&transcript, &config);
    let report_lang = Lang::from(args.report_lang);
    let md = medlyt_report::markdown(&analysis, report_lang);
    let audio = audio_ref(&args, from_audio)?;
    let html = HtmlWriter {
        lang: report_lang,
        audio: audio.as_ref(),
        config: Some(&config),
    }
    .write(&analysis);
    // All outputs are staged, then put in place together: a failed run leaves the old ones.
    let mut staged = Staged::default();
    if from_audio {
        staged.add(&dests[0], transcript.to_json().as_bytes())?;
    }
    staged.add(&dests[1], medlyt_report::json(&analysis).as_bytes())?;
    staged.add(&dests[2], md.as_bytes())?;
    staged.add(&dests[3], html.as_bytes())?;
    staged.commit()?;
    println!("{}", dir.join("report.md").display());
    Ok(())
}

/// The language the text is analysed in: the one forced, else the one the text is in (as
/// detected), else Danish.
fn analysis_lang(asked: Option<LanguageArg>, t: &Transcript) -> Lang {
    match asked {
        Some(LanguageArg::Da) => Lang::Da,
        Some(LanguageArg::En) => Lang::En,
        Some(LanguageArg::Auto) | None => t
            .language
            .text_language()
            .and_then(|c| c.parse().ok())
            .unwrap_or(Lang::Da),
    }
}

/// Refuses `--embed-audio` for a recording over the size limit.
fn check_embed_size(input: &std::path::Path) -> Result<(), ExpectedError> {
    let size = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
    if size > MAX_EMBED_BYTES {
        return Err(ExpectedError::Other(format!(
            "{} is {} MB, too large to embed in report.html (limit {} MB); leave out --embed-audio \
             and keep the recording beside the report",
            input.display(),
            size / 1_000_000,
            MAX_EMBED_BYTES / 1_000_000
        )));
    }
    Ok(())
}

/// How report.html reaches the recording: embedded, beside the report, or not at all.
fn audio_ref(args: &AnalyzeArgs, from_audio: bool) -> Result<Option<AudioRef>, ExpectedError> {
    if !from_audio {
        return Ok(None);
    }
    if !args.embed_audio {
        return Ok(AudioRef::relative(&args.output, &args.input));
    }
    check_embed_size(&args.input)?;
    let bytes = std::fs::read(&args.input).map_err(|e| {
        ExpectedError::Other(format!("failed to read {}: {e}", args.input.display()))
    })?;
    let name = args
        .input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(AudioRef::embedded(&name, bytes)))
}
