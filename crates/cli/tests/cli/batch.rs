//! `medlyt batch` and `medlyt aggregate` from the command line, on transcript files (no
//! Whisper): per-call reports, the batch's pages, a bad file, and merged shards.

use crate::common::{code_and_stderr, fixture, medlyt};
use std::path::Path;

const CALLS: [&str; 4] = [
    "interruptions-backchannels-2spk.json",
    "jobcenter-escalation-da.json",
    "low-quality-wrong-language.json",
    "talk-turns-2spk.json",
];

/// Copies the golden transcripts into `dir` (made if missing), each name after `prefix`.
fn copy_calls(dir: &Path, prefix: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for c in CALLS {
        std::fs::copy(
            fixture(&format!("transcripts/{c}")),
            dir.join(format!("{prefix}{c}")),
        )
        .unwrap();
    }
}

/// A folder of the golden transcripts, plus a recording that is cut off in its header.
fn inputs(dir: &Path) {
    copy_calls(dir, "");
    std::fs::write(dir.join("notes.wav"), b"RIFF\x24\x00\x00\x00WAVEfmt ").unwrap();
}

/// The addresses of the call reports a summary page links to.
fn report_links(summary: &str) -> Vec<&str> {
    summary
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|l| l.ends_with("report.html"))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn batch_writes_every_report_and_a_summary_page_linking_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    inputs(&input);
    let out = dir.path().join("out");
    let run = medlyt()
        .args(["batch", "--quiet", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let (code, stderr) = code_and_stderr(&run);
    assert_eq!(code, 12, "some calls failed: {stderr}");
    assert!(stderr.contains("1 failed"), "{stderr}");
    let failures = read(&out.join("failures.jsonl"));
    assert_eq!(failures.lines().count(), 1, "{failures}");
    assert!(failures.contains("notes.wav"), "{failures}");

    let summary = read(&out.join("summary.html"));
    let links = report_links(&summary);
    assert_eq!(links.len(), CALLS.len(), "links: {links:?}");
    for link in &links {
        assert!(link.starts_with("calls/"), "{link}");
        let page = read(&out.join(link));
        assert!(page.contains("<svg"), "{link} has no timeline");
    }
    assert!(summary.contains("lang=\"da\""));
}

#[test]
fn aggregate_of_shards_links_the_summary_to_the_shard_folders() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    inputs(&input);
    let mut shards = Vec::new();
    for k in 0..2 {
        let out = dir.path().join(format!("shard-{k}"));
        let run = medlyt()
            .args(["batch", "--quiet", "--report-lang", "en", "--shard"])
            .arg(format!("{k}/2"))
            .arg("-o")
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        assert!(matches!(run.status.code(), Some(0 | 12)), "{run:?}");
        shards.push(out);
    }
    let all = dir.path().join("all");
    medlyt()
        .args(["aggregate", "--report-lang", "en", "-o"])
        .arg(&all)
        .args(&shards)
        .assert()
        .success();
    let summary = read(&all.join("summary.html"));
    assert!(summary.contains("lang=\"en\""));
    let links = report_links(&summary);
    assert_eq!(links.len(), CALLS.len(), "links: {links:?}");
    for link in &links {
        assert!(link.starts_with("../shard-"), "{link}");
        assert!(all.join(link).is_file(), "{link} does not lead to a report");
    }
}

/// The failures of a batch output: (input, kind, reason) per line of `failures.jsonl`.
fn failures(out: &Path) -> Vec<(String, String, String)> {
    read(&out.join("failures.jsonl"))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            (s("input"), s("kind"), s("reason"))
        })
        .collect()
}

#[test]
fn a_hostile_transcript_fails_alone_and_a_rerun_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    copy_calls(&input, "");
    // A cue at 1,000 hours, and a segment at 1e15 s.
    std::fs::write(
        input.join("a-cue-at-1000-hours.vtt"),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Goddag\n\n\
         1000:00:00.000 --> 1000:00:01.000\n<v Bo>Hej\n",
    )
    .unwrap();
    std::fs::copy(
        fixture("bad/transcript-times-1e15.json"),
        input.join("b-times-1e15.json"),
    )
    .unwrap();
    let out = dir.path().join("out");
    for run in 0..2 {
        let started = std::time::Instant::now();
        let (code, stderr) = code_and_stderr(&batch(&out, &input));
        assert_eq!(code, 12, "run {run}: {stderr}");
        assert!(stderr.contains("2 failed"), "run {run}: {stderr}");
        assert!(
            started.elapsed().as_secs() < 30,
            "run {run}: {:?}",
            started.elapsed()
        );
        let f = failures(&out);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].0, "a-cue-at-1000-hours.vtt");
        assert_eq!(f[1].0, "b-times-1e15.json");
        for (_, kind, reason) in &f {
            assert_eq!(kind, "transcript");
            assert!(reason.contains("past the limit of 24 h"), "{reason}");
        }
        assert!(f[0].2.contains("line 6"), "{}", f[0].2);
        assert!(f[1].2.contains("segment 1"), "{}", f[1].2);
        let summary = read(&out.join("summary.html"));
        assert_eq!(report_links(&summary).len(), CALLS.len());
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_pipes_are_listed_and_never_hang_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    copy_calls(&input.join("sub"), "");
    std::os::unix::fs::symlink(".", input.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub").join("up")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(input.join("pipe.vtt"))
        .status()
        .is_ok_and(|s| s.success());
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let (code, stderr) = code_and_stderr(&batch(&out, &input));
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert_eq!(code, 12, "{stderr}");
    let f = failures(&out);
    let mut want = vec!["loop", "sub/up"];
    if fifo {
        want.insert(1, "pipe.vtt");
    }
    assert_eq!(f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), want);
    for (input, kind, reason) in &f {
        assert_eq!(kind, "not_a_file", "{input}");
        if input == "pipe.vtt" {
            assert!(reason.contains("named pipe"), "{reason}");
        } else {
            assert!(reason.contains("symlink loop"), "{reason}");
        }
    }
    // Each call was analysed once, under its own path.
    let summary = read(&out.join("summary.html"));
    assert_eq!(report_links(&summary).len(), CALLS.len());
}

/// Runs `medlyt batch --quiet -o OUT INPUT`.
fn batch(out: &Path, input: &Path) -> std::process::Output {
    medlyt()
        .args(["batch", "--quiet", "-o"])
        .arg(out)
        .arg(input)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

/// Copies the golden transcripts `n` times over into `dir`.
fn many_calls(dir: &Path, n: usize) {
    for i in 0..n {
        copy_calls(dir, &format!("{i:03}-"));
    }
}

#[test]
fn a_second_batch_on_the_same_output_folder_refuses_and_the_first_completes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    many_calls(&input, 40);
    let out = dir.path().join("out");
    // A run already holds the lock: a second one is refused at once, without writing.
    std::fs::create_dir_all(&out).unwrap();
    let held = std::fs::File::create(out.join(".medlyt-batch.lock")).unwrap();
    held.try_lock().unwrap();
    let (code, stderr) = code_and_stderr(&batch(&out, &input));
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("another medlyt batch is running with output folder"),
        "{stderr}"
    );
    assert!(!out.join("calls").exists() && !out.join("failures.jsonl").exists());
    drop(held);
    // Two runs started together: the second refuses, the first completes with no failure.
    let first = std::process::Command::new(assert_cmd::cargo::cargo_bin("medlyt"))
        .env_remove("MEDLYT_MODELS")
        .args(["batch", "--quiet", "-o"])
        .arg(&out)
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !out.join("calls").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let second = batch(&out, &input);
    let first = first.wait_with_output().unwrap();
    let (code, stderr) = code_and_stderr(&first);
    assert_eq!(code, 0, "first run: {stderr}");
    let (code2, stderr2) = code_and_stderr(&second);
    if code2 != 0 {
        assert_eq!(code2, 1, "{stderr2}");
        assert!(
            stderr2.contains("another medlyt batch is running"),
            "{stderr2}"
        );
    }
    assert_eq!(read(&out.join("failures.jsonl")), "");
    let results = read(&out.join("results.jsonl"));
    assert_eq!(results.lines().count(), 40 * CALLS.len());
    assert!(
        !results.contains("\"failed\""),
        "a call is stored as failed"
    );
}

#[test]
fn an_output_folder_inside_the_input_folder_is_never_read_as_calls() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for c in &CALLS[..2] {
        std::fs::copy(fixture(&format!("transcripts/{c}")), input.join(c)).unwrap();
    }
    // A note beside the calls is not a call.
    std::fs::write(
        input.join("README.md"),
        "# Calls from March\n\nNote: these were recorded in March.\nOwner: team 3\n",
    )
    .unwrap();
    std::fs::write(input.join("notes.txt"), "Remember: call Bo back\n").unwrap();
    let out = input.join("out");
    let mut first: Option<(String, String)> = None;
    for run in 0..3 {
        let (code, stderr) = code_and_stderr(&batch(&out, &input));
        assert_eq!(code, 0, "run {run}: {stderr}");
        assert!(
            stderr.contains("2 calls: 2 analysed, 0 failed"),
            "run {run}: {stderr}"
        );
        assert!(
            stderr.contains("README.md: neither audio nor a transcript"),
            "{stderr}"
        );
        assert!(
            stderr.contains("notes.txt: neither audio nor a transcript"),
            "{stderr}"
        );
        let csv = read(&out.join("calls.csv"));
        let agg: serde_json::Value =
            serde_json::from_str(&read(&out.join("aggregate.json"))).unwrap();
        assert_eq!(agg["calls"], 2, "run {run}: {agg}");
        let agg = agg.to_string();
        match &first {
            None => first = Some((csv, agg)),
            Some((c, a)) => {
                assert_eq!(&csv, c, "run {run}: calls.csv changed");
                assert_eq!(&agg, a, "run {run}: aggregate.json changed");
            }
        }
    }
}

#[test]
fn a_file_name_that_starts_a_formula_is_text_in_calls_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (i, name) in ["=HYPERLINK(1).json", "+1.json", "-2.json", "@SUM.json"]
        .iter()
        .enumerate()
    {
        std::fs::copy(
            fixture(&format!("transcripts/{}", CALLS[i])),
            input.join(name),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let (code, stderr) = code_and_stderr(&batch(&out, &input));
    assert_eq!(code, 0, "{stderr}");
    let csv = read(&out.join("calls.csv"));
    for line in csv.lines().skip(1) {
        assert!(line.starts_with('\''), "{line}");
    }
    assert!(csv.contains("'=HYPERLINK(1).json,"), "{csv}");
    assert!(csv.contains("'@SUM.json,"), "{csv}");
}

#[cfg(unix)]
#[test]
fn names_that_differ_only_in_invalid_utf8_bytes_are_two_calls() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (i, b) in [0xE6u8, 0xF8].iter().enumerate() {
        let bytes = [b's', b'a', b'g', *b, b'.', b'j', b's', b'o', b'n'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        std::fs::copy(
            fixture(&format!("transcripts/{}", CALLS[i])),
            input.join(name),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let (code, stderr) = code_and_stderr(&batch(&out, &input));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2 calls: 2 analysed"), "{stderr}");
    let csv = read(&out.join("calls.csv"));
    assert!(
        csv.contains("sag%E6.json") && csv.contains("sag%F8.json"),
        "{csv}"
    );
    assert_eq!(std::fs::read_dir(out.join("calls")).unwrap().count(), 2);
}

#[cfg(unix)]
#[test]
fn an_unreadable_subfolder_is_a_failure_and_the_batch_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("locked")).unwrap();
    for c in &CALLS[..2] {
        std::fs::copy(fixture(&format!("transcripts/{c}")), input.join(c)).unwrap();
    }
    let locked = input.join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&locked).is_ok() {
        // Running as root: permissions do not stop reading.
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: a folder without permissions is readable here (root)");
        return;
    }
    let out = dir.path().join("out");
    let res = batch(&out, &input);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, stderr) = code_and_stderr(&res);
    assert_eq!(code, 12, "{stderr}");
    let f = failures(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "locked");
    assert!(
        f[0].2.contains("a folder that cannot be read"),
        "{}",
        f[0].2
    );
    assert!(stderr.contains("2 analysed, 1 failed"), "{stderr}");
}
