//! Opening a page in headless Chromium: the DOM after the page's scripts ran, screenshots, and
//! the page's own self-check.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium binary, or `None` (with a message) when it is missing and not required.
pub fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).find_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"]
                .iter()
                .map(|name| dir.join(name))
                .find(|p| p.is_file())
        })
    });
    if found.is_none() {
        if std::env::var_os("MEDLYT_REQUIRE_CHROMIUM").is_some() {
            panic!("chromium is not installed, but MEDLYT_REQUIRE_CHROMIUM is set");
        }
        eprintln!(
            "skipped: chromium is not installed (apt-get install -y chromium); \
             set MEDLYT_REQUIRE_CHROMIUM to make this a failure"
        );
    }
    found
}

fn run(bin: &Path, page: &Path, extra: &[String]) -> (String, String) {
    let profile = page.with_extension("profile");
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(out.status.success(), "chromium failed: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Lines of Chromium's log that report a console message or a script error of the page.
fn console_errors(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| {
            (l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("rror")))
                || l.contains("Uncaught")
        })
        .map(str::to_string)
        .collect()
}

/// The page's self-check (the JSON in `<pre id="selfcheck">` after its scripts ran), after
/// checking that Chromium logged no console errors and the page recorded none.
pub fn selfcheck(bin: &Path, page: &Path) -> Value {
    let (dom, log) = run(bin, page, &["--dump-dom".to_string()]);
    let errors = console_errors(&log);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let start = dom.find("id=\"selfcheck\"").expect("self-check element");
    let open = start + dom[start..].find('>').expect("tag end") + 1;
    let close = open + dom[open..].find("</pre>").expect("self-check end");
    let text = dom[open..close]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let check: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("self-check is not JSON ({e}): {text:?}"));
    assert_eq!(check["errors"], Value::Array(vec![]), "page errors");
    check
}

/// Takes a screenshot of the page, `width` by `height` pixels, and returns its size in bytes.
pub fn screenshot(bin: &Path, page: &Path, png: &Path, width: u32, height: u32) -> u64 {
    let (_, log) = run(
        bin,
        page,
        &[
            format!("--screenshot={}", png.display()),
            format!("--window-size={width},{height}"),
            "--hide-scrollbars".to_string(),
        ],
    );
    let errors = console_errors(&log);
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let bytes = std::fs::read(png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    bytes.len() as u64
}
