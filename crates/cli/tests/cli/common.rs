//! Helpers shared by the command-line tests.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A committed fixture.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// A `medlyt` command with no models folder from the environment.
pub fn medlyt() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("medlyt").expect("medlyt binary");
    cmd.env_remove("MEDLYT_MODELS");
    cmd
}

/// The installed models folder, when the default models are there. Without them the test is
/// skipped, unless `MEDLYT_REQUIRE_MODELS` is set (as the project's test script does): then a
/// missing model fails the test.
pub fn models() -> Option<PathBuf> {
    let dir = root().join("models");
    let ready =
        dir.join("ggml-base-q8_0.bin").is_file() && dir.join("ggml-silero-v6.2.3.bin").is_file();
    if ready {
        return Some(dir);
    }
    assert!(
        std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
        "models missing in {}: run scripts/get-models.sh",
        dir.display()
    );
    eprintln!(
        "skipped: no models in {} (run scripts/get-models.sh)",
        dir.display()
    );
    None
}

/// Exit code and standard error of a finished command.
pub fn code_and_stderr(out: &Output) -> (i32, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Held while a test runs Whisper: Whisper already uses every core, and two runs at once make
/// both crawl (its threads wait for each other).
pub fn whisper_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Transcribes a fixture call once per test run (Whisper is slow; runs are serialised).
pub fn transcript_of(call: &str, language: &str) -> Option<Value> {
    static CACHE: OnceLock<Mutex<HashMap<String, Value>>> = OnceLock::new();
    let models = models()?;
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    let _whisper = whisper_lock();
    let key = format!("{call}:{language}");
    if let Some(v) = cache.get(&key) {
        return Some(v.clone());
    }
    let v = transcribe(&models, call, &["--language", language]);
    cache.insert(key, v.clone());
    Some(v)
}

/// Transcribes a fixture call with the models in `models` and extra options; the transcript.
/// The caller holds [`whisper_lock`].
pub fn transcribe(models: &Path, call: &str, options: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("t.json");
    medlyt()
        .args(["transcribe", "--quiet"])
        .args(options)
        .arg("--models-dir")
        .arg(models)
        .arg(fixture(&format!("calls/{call}")))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(&out).expect("output")).expect("json")
}

/// The ground truth of a fixture call.
pub fn truth(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(&format!("calls/{name}.json"))).expect("truth file");
    serde_json::from_str(&text).expect("truth json")
}

/// Lowercase words without punctuation.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Word error rate of `hyp` against `reference` (Levenshtein distance over words).
pub fn wer(reference: &[String], hyp: &[String]) -> f64 {
    let mut row: Vec<usize> = (0..=hyp.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut prev = row.clone();
        std::mem::swap(&mut prev, &mut row);
        row[0] = i + 1;
        for (j, h) in hyp.iter().enumerate() {
            row[j + 1] = (prev[j + 1] + 1)
                .min(row[j] + 1)
                .min(prev[j] + usize::from(r != h));
        }
    }
    row[hyp.len()] as f64 / reference.len().max(1) as f64
}

#[test]
fn wer_counts_substitutions_insertions_and_deletions() {
    let r = words("Hej, hvordan går det?");
    assert_eq!(wer(&r, &words("hej hvordan går det")), 0.0);
    assert_eq!(wer(&r, &words("hej hvordan det")), 0.25);
    assert_eq!(wer(&r, &words("hej hvad går det så")), 0.5);
}
