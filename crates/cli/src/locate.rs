//! Finding the models folder and the model files in it.

use crate::exit::ExpectedError;
use std::path::{Path, PathBuf};

/// Whisper model files tried in this order when none is named.
const PREFERRED: &[&str] = &[
    "ggml-base-q8_0.bin",
    "ggml-base.bin",
    "ggml-large-v3-turbo.bin",
    "ggml-small.bin",
    "ggml-tiny.en-q8_0.bin",
];

/// The models folder: the one given, else `$MEDLYT_MODELS`, else `./models` when it exists,
/// else `models` beside the program's workspace (for `target/release/medlyt`).
pub fn models_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(d) = explicit {
        return d.to_path_buf();
    }
    if let Some(d) = std::env::var_os("MEDLYT_MODELS") {
        return PathBuf::from(d);
    }
    let local = PathBuf::from("models");
    if local.is_dir() {
        return local;
    }
    if let Ok(exe) = std::env::current_exe() {
        for up in exe.ancestors().skip(1).take(4) {
            let candidate = up.join("models");
            if candidate.join("manifest.json").is_file() {
                return candidate;
            }
        }
    }
    local
}

/// The regular files (or links to them) in `dir`: a FIFO or device there would block or never
/// end when read, so it is skipped.
pub fn regular_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

fn is_vad_name(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains("silero") || n.contains("vad"))
}

/// The Whisper model to use: `name` as a path or a name in `dir`, else the preferred installed one.
pub fn whisper_model(dir: &Path, name: Option<&str>) -> Result<PathBuf, ExpectedError> {
    if let Some(name) = name {
        let as_path = PathBuf::from(name);
        if as_path.is_file() {
            return Ok(as_path);
        }
        for candidate in [
            dir.join(name),
            dir.join(format!("ggml-{name}.bin")),
            dir.join(format!("{name}.bin")),
        ] {
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
        return Err(ExpectedError::NotFound(format!(
            "model '{name}' not found (as a file or in {}); `medlyt model list` shows the installed ones",
            dir.display()
        )));
    }
    for p in PREFERRED {
        let candidate = dir.join(p);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    let mut others: Vec<PathBuf> = regular_files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin") && !is_vad_name(p))
        .collect();
    others.sort();
    others.into_iter().next().ok_or(ExpectedError::NoModel {
        dir: dir.to_path_buf(),
    })
}

/// The Silero VAD model in `dir`, if installed.
pub fn vad_model(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = regular_files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "bin") && is_vad_name(p))
        .collect();
    found.sort();
    found.pop()
}

/// A short model name from its file name: `ggml-base-q8_0.bin` -> `base-q8_0`.
pub fn model_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.strip_prefix("ggml-").unwrap_or(&stem).to_string()
}

/// Where a language's word list is looked for: the models folder first (`words-da.txt`,
/// `words-en.txt`, put there by `scripts/get-models.sh`), then the system's dictionaries
/// (Debian's `wdanish`, `wbritish` and `wamerican`).
fn word_list_files(dir: &Path, lang: medlyt_core::Lang) -> Vec<PathBuf> {
    let own = dir.join(format!("words-{}.txt", lang.code()));
    if own.is_file() {
        return vec![own];
    }
    let system: &[&str] = match lang {
        medlyt_core::Lang::Da => &["/usr/share/dict/danish"],
        medlyt_core::Lang::En => &[
            "/usr/share/dict/british-english",
            "/usr/share/dict/american-english",
        ],
    };
    system
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect()
}

/// The analysis config with the language's word list attached, where one is installed
/// (without one, the words' probabilities alone judge how sure the text is).
pub fn with_word_list(config: medlyt_analysis::Config, dir: &Path) -> medlyt_analysis::Config {
    let mut text = String::new();
    for file in word_list_files(dir, config.lang) {
        // A word list is at most a few MB; a larger file is not one.
        let small = std::fs::metadata(&file).is_ok_and(|m| m.len() <= 64 << 20);
        if let Some(t) = small.then(|| std::fs::read_to_string(&file).ok()).flatten() {
            text.push_str(&t);
            text.push('\n');
        }
    }
    if text.trim().is_empty() {
        return config;
    }
    config.with_words(medlyt_analysis::WordList::parse(&text))
}
