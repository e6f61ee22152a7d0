//! `medlyt model ...`: list, import and inspect models.

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
            let s = medlyt_models::import_ct2(&dir, &output, quant)?;
            println!(
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
            );
            Ok(())
        }
        ModelCommand::ImportSilero { file, output } => {
            require_file(&file, "Silero VAD weights")?;
            let s = medlyt_models::import_silero(&file, &output)?;
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
            let s = medlyt_models::import_speaker(&file, &output)?;
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
    }
}

/// What the manifest says a model file is good for.
fn purposes(dir: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
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
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|e| e == "bin" || e == "safetensors")
                })
                .collect()
        })
        .unwrap_or_default();
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
        if let Some((_, good)) = purposes.iter().find(|(file, _)| *file == name) {
            println!("      {good}");
        }
    }
    Ok(())
}

/// `Ok` where `file` is a regular file, else "WHAT not found: FILE" (exit 3).
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
