//! Model errors: none installed, corrupt, or of the wrong kind.

use crate::common::{code_and_stderr, fixture, medlyt, models};

mod import_hf;

fn transcribe_with(dir: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let _whisper = crate::common::whisper_lock();
    let out = medlyt()
        .args(["transcribe", "--quiet", "--models-dir"])
        .arg(dir)
        .args(extra)
        .arg(fixture("formats/pcm16-16k-stereo-440l-880r.wav"))
        .output()
        .expect("run medlyt");
    code_and_stderr(&out)
}

#[test]
fn no_model_installed_is_exit_8_and_names_the_install_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, err) = transcribe_with(dir.path(), &[]);
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("scripts/get-models.sh"), "{err}");
    assert!(err.contains("medlyt model import-ct2"), "{err}");
}

#[test]
fn corrupt_model_is_exit_9() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("ggml-base-q8_0.bin"),
        b"this is not a model",
    )
    .expect("write");
    let (code, err) = transcribe_with(dir.path(), &[]);
    assert_eq!(code, 9, "{err}");
    assert!(err.contains("ggml-base-q8_0.bin"), "{err}");
}

#[test]
fn truncated_and_wrong_kind_models_are_exit_9() {
    let Some(real) = models() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    // The first megabyte of the real model: a valid header, then the tensors run off the end.
    let bytes = std::fs::read(real.join("ggml-base-q8_0.bin")).expect("model");
    std::fs::write(dir.path().join("ggml-base-q8_0.bin"), &bytes[..1 << 20]).expect("write");
    let (code, err) = transcribe_with(dir.path(), &[]);
    assert_eq!(code, 9, "{err}");
    assert!(err.to_lowercase().contains("truncated"), "{err}");
    // A VAD model named as the Whisper model.
    let vad = real.join("ggml-silero-v6.2.3.bin");
    let (code, err) = transcribe_with(dir.path(), &["--model", vad.to_str().expect("utf-8")]);
    assert_eq!(code, 9, "{err}");
    assert!(err.to_lowercase().contains("vad"), "{err}");
}

#[test]
fn model_list_shows_installed_models_and_what_they_are_for() {
    let Some(real) = models() else { return };
    let out = medlyt()
        .args(["model", "list", "--models-dir"])
        .arg(&real)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("ggml-base-q8_0.bin (default)"), "{text}");
    assert!(text.contains("Whisper base (multilingual)"), "{text}");
    assert!(text.contains("Silero voice activity detection"), "{text}");
    assert!(text.contains("Danish"), "{text}");
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for `medlyt model fetch`: serves one file, honours
/// `Range: bytes=N-`, records each request's range, and can be told to cut the connection
/// after some body bytes, or to ignore ranges.
mod server {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct State {
        /// The `Range` header of each request (None: none sent).
        ranges: Vec<Option<String>>,
        /// Body bytes to send on the next request before closing the connection.
        cut_after: Option<usize>,
        /// Answer 200 with the whole file even to a range request.
        ignore_range: bool,
    }

    pub struct Server {
        pub base_url: String,
        state: Arc<Mutex<State>>,
    }

    impl Server {
        /// Serves `body` at `/FILE` from a thread that lives as long as the test binary.
        pub fn start(file: &str, body: Vec<u8>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            let base_url = format!("http://{}", listener.local_addr().expect("addr"));
            let state = Arc::new(Mutex::new(State::default()));
            let shared = Arc::clone(&state);
            let path = format!("/{file}");
            std::thread::spawn(move || {
                for stream in listener.incoming().flatten() {
                    let _ = answer(stream, &path, &body, &shared);
                }
            });
            Server { base_url, state }
        }

        fn state(&self) -> std::sync::MutexGuard<'_, State> {
            self.state.lock().unwrap_or_else(|e| e.into_inner())
        }

        pub fn cut_next_after(&self, bytes: usize) {
            self.state().cut_after = Some(bytes);
        }

        pub fn ignore_ranges(&self) {
            self.state().ignore_range = true;
        }

        pub fn ranges(&self) -> Vec<Option<String>> {
            self.state().ranges.clone()
        }
    }

    fn answer(
        mut stream: TcpStream,
        path: &str,
        body: &[u8],
        state: &Mutex<State>,
    ) -> std::io::Result<()> {
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        let mut range = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("range") {
                    range = Some(value.trim().to_string());
                }
            }
        }
        let (cut, ignore_range) = {
            let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
            s.ranges.push(range.clone());
            (s.cut_after.take(), s.ignore_range)
        };
        let target = request_line.split_whitespace().nth(1).unwrap_or("");
        if target != path {
            stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            return stream.shutdown(Shutdown::Write);
        }
        let start = range.filter(|_| !ignore_range).and_then(|r| {
            r.strip_prefix("bytes=")?
                .strip_suffix('-')?
                .parse::<usize>()
                .ok()
        });
        let len = body.len();
        let (head, from) = match start {
            Some(s) if s >= len => (
                format!("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\nContent-Length: 0\r\n"),
                len,
            ),
            Some(s) => (
                format!(
                    "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {s}-{}/{len}\r\nContent-Length: {}\r\n",
                    len - 1,
                    len - s
                ),
                s,
            ),
            None => (format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\n"), 0),
        };
        stream.write_all(head.as_bytes())?;
        stream.write_all(b"Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n")?;
        let rest = &body[from..];
        let send = cut.map_or(rest.len(), |c| c.min(rest.len()));
        stream.write_all(&rest[..send])?;
        stream.flush()?;
        stream.shutdown(Shutdown::Both)
    }
}

/// A few hundred KB of reproducible bytes that look like nothing in particular.
fn model_bytes() -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..300_000)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as u8
        })
        .collect()
}

fn sha256_of(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("f");
    std::fs::write(&path, bytes).expect("write");
    medlyt_models::fetch::sha256_file(&path).expect("sha256")
}

/// `medlyt model fetch NAME -o DIR --quiet EXTRA...` against `base_url`: (code, stdout, stderr).
fn fetch(
    base_url: &str,
    dir: &std::path::Path,
    name: &str,
    extra: &[&str],
) -> (i32, String, String) {
    let mut cmd = medlyt();
    for proxy in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(proxy);
    }
    let out = cmd
        .env("MEDLYT_MODEL_BASE_URL", base_url)
        .args(["model", "fetch", name, "--quiet", "-o"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("run medlyt");
    let (code, err) = code_and_stderr(&out);
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

#[test]
fn fetch_puts_a_verified_file_in_place_and_skips_it_the_next_time() {
    let body = model_bytes();
    let sum = sha256_of(&body);
    let server = server::Server::start("ggml-tiny.bin", body.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let models = dir.path().join("models");
    let (code, out, err) = fetch(&server.base_url, &models, "tiny", &["--sha256", &sum]);
    assert_eq!(code, 0, "{err}");
    let file = models.join("ggml-tiny.bin");
    assert_eq!(std::fs::read(&file).expect("fetched file"), body);
    assert!(!models.join(".ggml-tiny.bin.part").exists());
    assert!(out.contains(&sum) && out.contains("300000 bytes"), "{out}");
    assert!(out.contains("medlyt model list"), "{out}");
    assert_eq!(server.ranges(), vec![None]);

    let (code, out, err) = fetch(&server.base_url, &models, "tiny", &["--sha256", &sum]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("already present and verified"), "{out}");
    assert_eq!(server.ranges().len(), 1, "nothing is downloaded again");
}

#[test]
fn fetch_with_a_wrong_sha256_is_exit_9_and_leaves_no_file() {
    let body = model_bytes();
    let wrong = sha256_of(b"another file");
    let server = server::Server::start("ggml-base.bin", body.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = fetch(&server.base_url, dir.path(), "base", &["--sha256", &wrong]);
    assert_eq!(code, 9, "{err}");
    assert!(
        err.contains(&wrong) && err.contains(&sha256_of(&body)),
        "{err}"
    );
    assert!(!dir.path().join("ggml-base.bin").exists());
    assert!(!dir.path().join(".ggml-base.bin.part").exists());
}

#[test]
fn fetch_checks_the_pinned_table_without_sha256() {
    // The served bytes are not the official tiny model: the pinned size and sum reject them.
    let server = server::Server::start("ggml-tiny.bin", model_bytes());
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = fetch(&server.base_url, dir.path(), "tiny", &[]);
    assert_eq!(code, 9, "{err}");
    let pinned = medlyt_models::fetch::lookup("tiny").expect("tiny is pinned");
    assert!(err.contains(pinned.sha256), "{err}");
    assert!(!dir.path().join("ggml-tiny.bin").exists());
    assert!(!dir.path().join(".ggml-tiny.bin.part").exists());
}

#[test]
fn an_interrupted_fetch_is_exit_13_and_the_next_run_resumes_it() {
    let body = model_bytes();
    let sum = sha256_of(&body);
    let server = server::Server::start("ggml-small.bin", body.clone());
    server.cut_next_after(body.len() / 2);
    let dir = tempfile::tempdir().expect("temp dir");
    let part = dir.path().join(".ggml-small.bin.part");

    let (code, _, err) = fetch(&server.base_url, dir.path(), "small", &["--sha256", &sum]);
    assert_eq!(code, 13, "{err}");
    assert!(err.contains("run the same command again"), "{err}");
    let kept = std::fs::metadata(&part).expect("part file kept").len() as usize;
    assert!(kept > 0 && kept < body.len(), "{kept}");
    assert!(!dir.path().join("ggml-small.bin").exists());

    let (code, out, err) = fetch(&server.base_url, dir.path(), "small", &["--sha256", &sum]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("resumed at byte {kept}")), "{out}");
    assert_eq!(server.ranges(), vec![None, Some(format!("bytes={kept}-"))]);
    assert_eq!(
        std::fs::read(dir.path().join("ggml-small.bin")).expect("file"),
        body
    );
    assert!(!part.exists());
}

#[test]
fn a_server_that_ignores_ranges_makes_the_fetch_start_again() {
    let body = model_bytes();
    let sum = sha256_of(&body);
    let server = server::Server::start("ggml-tiny.en.bin", body.clone());
    server.ignore_ranges();
    let dir = tempfile::tempdir().expect("temp dir");
    // A partial file from an earlier run, with bytes that are not the file's.
    std::fs::write(dir.path().join(".ggml-tiny.en.bin.part"), vec![0u8; 1000]).expect("write");
    let (code, _, err) = fetch(&server.base_url, dir.path(), "tiny.en", &["--sha256", &sum]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.ranges(), vec![Some("bytes=1000-".to_string())]);
    assert_eq!(
        std::fs::read(dir.path().join("ggml-tiny.en.bin")).expect("file"),
        body
    );
}

#[test]
fn fetch_without_a_server_is_exit_13_and_names_the_url_and_the_offline_way() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    }; // closed again: connections are refused
    let base = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = fetch(&base, dir.path(), "large-v3-turbo", &[]);
    assert_eq!(code, 13, "{err}");
    assert!(
        err.contains(&format!("{base}/ggml-large-v3-turbo.bin")),
        "{err}"
    );
    assert!(
        err.contains("offline") && err.contains("scripts/get-models.sh"),
        "{err}"
    );
    assert!(!dir.path().join(".ggml-large-v3-turbo.bin.part").exists());
}

#[test]
fn fetch_of_an_unknown_name_is_exit_2_and_lists_the_known_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = fetch("http://127.0.0.1:9", dir.path(), "large-v9", &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("large-v9"), "{err}");
    for known in ["large-v3-turbo", "medium.en", "base-q8_0", "tiny-q5_1"] {
        assert!(err.contains(known), "{known}: {err}");
    }
}

#[test]
fn the_manifest_and_the_pinned_table_agree_on_the_downloaded_models() {
    let text = std::fs::read_to_string(crate::common::root().join("models/manifest.json"))
        .expect("manifest");
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("json");
    let models = manifest["models"].as_array().expect("models");
    let mut checked = 0;
    for m in models.iter().filter(|m| m["source"]["type"] == "url") {
        let name = m["name"].as_str().expect("name");
        let pinned = medlyt_models::fetch::lookup(name).expect("a downloaded model is pinned");
        assert_eq!(m["file"], pinned.file, "{name}");
        assert_eq!(m["sha256"], pinned.sha256, "{name}");
        assert_eq!(m["bytes"], pinned.bytes, "{name}");
        checked += 1;
    }
    assert!(checked >= 4, "{checked}");
}

#[test]
fn model_list_says_what_a_fetched_file_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("ggml-small-q8_0.bin"), b"not really").expect("write");
    let out = medlyt()
        .args(["model", "list", "--models-dir"])
        .arg(dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("official whisper.cpp file (multilingual, q8_0 weights, 264 MB)"),
        "{text}"
    );
    assert!(text.contains("medlyt model fetch small-q8_0"), "{text}");
}

#[test]
fn a_different_file_of_that_name_is_kept_unless_forced() {
    let body = model_bytes();
    let sum = sha256_of(&body);
    let server = server::Server::start("ggml-medium.bin", body.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("ggml-medium.bin");
    std::fs::write(&file, b"a model converted here").expect("write");

    let (code, _, err) = fetch(&server.base_url, dir.path(), "medium", &["--sha256", &sum]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read(&file).expect("file"),
        b"a model converted here"
    );
    assert!(server.ranges().is_empty(), "nothing is downloaded");

    let (code, _, err) = fetch(
        &server.base_url,
        dir.path(),
        "medium",
        &["--sha256", &sum, "--force"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(&file).expect("file"), body);
}
