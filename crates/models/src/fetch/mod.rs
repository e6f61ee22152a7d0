//! Downloading the official whisper.cpp model files, for machines with internet.
//!
//! [`fetch`] downloads `ggml-NAME.bin` into `DIR/.ggml-NAME.bin.part`, resumes an interrupted
//! download with an HTTP `Range` request, checks the size and SHA-256 against the pinned
//! [`KNOWN_MODELS`] table (or a sum the caller gives), and only then renames the file into
//! place as `DIR/ggml-NAME.bin`: a file under its final name is always a verified one. A file
//! that fails the check is deleted.

mod error;
mod http;
mod table;

pub use error::FetchError;
pub use table::{lookup, lookup_file, KnownModel, KNOWN_MODELS};

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the official files are published.
pub const DEFAULT_BASE_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

/// Environment variable that replaces [`DEFAULT_BASE_URL`] (a mirror, or a local server).
pub const BASE_URL_ENV: &str = "MEDLYT_MODEL_BASE_URL";

/// What to fetch, and where to.
#[derive(Debug, Clone, Copy)]
pub struct FetchRequest<'a> {
    /// A name of [`KNOWN_MODELS`], e.g. `large-v3-turbo`.
    pub name: &'a str,
    /// The models folder (created when missing).
    pub dir: &'a Path,
    /// Base URL; `None`: `$MEDLYT_MODEL_BASE_URL`, else [`DEFAULT_BASE_URL`].
    pub base_url: Option<&'a str>,
    /// Expected SHA-256 instead of the pinned one (the pinned size is then not checked).
    pub sha256: Option<&'a str>,
    /// Download again even when a verified file is present.
    pub force: bool,
}

/// Progress of a fetch, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchEvent {
    /// The server answered; `resumed_from` bytes were already on disk.
    Started {
        /// The URL asked for.
        url: String,
        /// Bytes kept from an earlier run.
        resumed_from: u64,
        /// The whole file's size, when the server says.
        total: Option<u64>,
    },
    /// `done` bytes of the file are on disk.
    Received {
        /// Bytes on disk.
        done: u64,
    },
    /// The SHA-256 of `bytes` bytes is being computed.
    Verifying {
        /// Size of the file being checked.
        bytes: u64,
    },
}

/// A fetched (or already present) verified model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The file, `DIR/ggml-NAME.bin`.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Its SHA-256, lowercase hex.
    pub sha256: String,
    /// False when a verified file was present and nothing was downloaded.
    pub downloaded: bool,
    /// Bytes of an earlier, interrupted download that were kept.
    pub resumed_from: u64,
}

/// The base URL: `explicit`, else `$MEDLYT_MODEL_BASE_URL`, else [`DEFAULT_BASE_URL`].
pub fn base_url(explicit: Option<&str>) -> String {
    let from_env = std::env::var(BASE_URL_ENV).ok();
    let base = explicit
        .or(from_env.as_deref())
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .unwrap_or(DEFAULT_BASE_URL);
    base.trim_end_matches('/').to_string()
}

/// The partial file of `file` in `dir` while it downloads: `DIR/.FILE.part`.
pub fn part_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(format!(".{file}.part"))
}

/// The SHA-256 of a file, lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String, FetchError> {
    let mut file = std::fs::File::open(path).map_err(|e| FetchError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(FetchError::io(path, e)),
        };
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A `--sha256` value checked and lowercased.
fn parse_sha256(value: &str) -> Result<String, FetchError> {
    let v = value.trim().to_ascii_lowercase();
    if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(v)
    } else {
        Err(FetchError::BadSha256 {
            value: value.to_string(),
        })
    }
}

fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// Downloads (or resumes) one official model file and verifies it before it is renamed into
/// place; see the module documentation.
pub fn fetch(
    req: &FetchRequest<'_>,
    progress: &mut dyn FnMut(FetchEvent),
) -> Result<Fetched, FetchError> {
    let known = lookup(req.name).ok_or_else(|| FetchError::UnknownName {
        name: req.name.to_string(),
        known: KNOWN_MODELS.iter().map(|m| m.name).collect(),
    })?;
    let (expected, expected_bytes) = match req.sha256 {
        Some(v) => (parse_sha256(v)?, None),
        None => (known.sha256.to_string(), Some(known.bytes)),
    };
    std::fs::create_dir_all(req.dir).map_err(|e| FetchError::io(req.dir, e))?;
    let target = req.dir.join(known.file);
    let part = part_path(req.dir, known.file);

    if !req.force {
        if let Some(bytes) = file_len(&target) {
            progress(FetchEvent::Verifying { bytes });
            let actual = sha256_file(&target)?;
            if actual == expected && expected_bytes.is_none_or(|b| b == bytes) {
                return Ok(Fetched {
                    path: target,
                    bytes,
                    sha256: actual,
                    downloaded: false,
                    resumed_from: 0,
                });
            }
            return Err(FetchError::OtherFilePresent {
                path: target,
                actual,
                expected,
            });
        }
    }

    let url = format!("{}/{}", base_url(req.base_url), known.file);
    let mut have = file_len(&part).unwrap_or(0);
    if expected_bytes.is_some_and(|b| have > b) {
        remove(&part)?;
        have = 0;
    }
    let (kept, bytes) = if expected_bytes == Some(have) {
        (have, have)
    } else {
        http::download(&url, &part, have, progress)?
    };
    progress(FetchEvent::Verifying { bytes });
    let actual = sha256_file(&part)?;
    if actual != expected || expected_bytes.is_some_and(|b| b != bytes) {
        remove(&part)?;
        return Err(FetchError::Mismatch {
            file: known.file.to_string(),
            expected,
            actual,
            expected_bytes,
            actual_bytes: bytes,
        });
    }
    std::fs::rename(&part, &target).map_err(|e| FetchError::io(&target, e))?;
    Ok(Fetched {
        path: target,
        bytes,
        sha256: actual,
        downloaded: true,
        resumed_from: kept,
    })
}

fn remove(path: &Path) -> Result<(), FetchError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(FetchError::io(path, e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn sha256_values_are_checked_and_lowercased() {
        let upper = "BE07E048E1E599AD46341C8D2A135645097A538221678B7ACDD1B1919C6E1B21";
        assert_eq!(parse_sha256(upper).ok(), Some(upper.to_ascii_lowercase()));
        assert!(parse_sha256("be07e048").is_err());
        assert!(parse_sha256(&"g".repeat(64)).is_err());
    }

    #[test]
    fn the_sha256_of_a_file_is_its_hex_digest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").expect("write");
        assert_eq!(
            sha256_file(&path).ok().as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }

    #[test]
    fn an_unknown_name_lists_the_known_ones_and_touches_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sub = dir.path().join("models");
        let req = FetchRequest {
            name: "large-v9",
            dir: &sub,
            base_url: Some("http://127.0.0.1:9"),
            sha256: None,
            force: false,
        };
        let err = fetch(&req, &mut |_| {}).err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(
            err.contains("large-v9") && err.contains("large-v3-turbo"),
            "{err}"
        );
        assert!(!sub.exists());
    }

    #[test]
    fn the_partial_file_is_hidden_beside_the_target() {
        let p = part_path(Path::new("models"), "ggml-base.bin");
        assert_eq!(p, Path::new("models").join(".ggml-base.bin.part"));
    }
}
