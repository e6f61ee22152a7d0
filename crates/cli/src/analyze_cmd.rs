//! `medlyt analyze`: a recording or a transcript in, the feedback report out.

use crate::args::{AnalyzeArgs, LanguageArg, ReportLangArg};
use crate::exit::ExpectedError;
use crate::transcribe_cmd::{transcribe, write_output};
use medlyt_analysis::Config;
use medlyt_core::{Lang, Transcript};
use medlyt_formats::ReadOptions;

pub fn run(args: AnalyzeArgs) -> Result<(), ExpectedError> {
    if !args.input.exists() {
        return Err(ExpectedError::NotFound(format!(
            "input file not found: {}",
            args.input.display()
        )));
    }
    let from_audio = !medlyt_formats::looks_like_transcript(&args.input);
    let transcript: Transcript = if from_audio {
        transcribe(&args.input, &args.whisper)?.0
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
    let analysis = medlyt_analysis::analyze(&transcript, &config);
    let report_lang = match args.report_lang {
        ReportLangArg::Da => Lang::Da,
        ReportLangArg::En => Lang::En,
    };
    let dir = &args.output;
    if from_audio {
        write_output(
            Some(&dir.join("transcript.json")),
            transcript.to_json().as_bytes(),
        )?;
    }
    write_output(
        Some(&dir.join("report.json")),
        medlyt_report::json(&analysis).as_bytes(),
    )?;
    let md = medlyt_report::markdown(&analysis, report_lang);
    write_output(Some(&dir.join("report.md")), md.as_bytes())?;
    println!("{}", dir.join("report.md").display());
    Ok(())
}

/// The language the text is analysed in: the one asked for, else the one detected, else Danish.
fn analysis_lang(asked: LanguageArg, t: &Transcript) -> Lang {
    match asked {
        LanguageArg::Da => Lang::Da,
        LanguageArg::En => Lang::En,
        LanguageArg::Auto => t
            .language
            .detected
            .as_deref()
            .or(Some(t.language.requested.as_str()))
            .and_then(|c| c.parse().ok())
            .unwrap_or(Lang::Da),
    }
}
