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

/// A folder of the golden transcripts, plus a file that is neither audio nor a transcript.
fn inputs(dir: &Path) {
    for c in CALLS {
        std::fs::copy(fixture(&format!("transcripts/{c}")), dir.join(c)).unwrap();
    }
    std::fs::write(dir.join("notes.wav"), b"this is not a recording").unwrap();
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
    std::fs::create_dir(&input).unwrap();
    for c in CALLS {
        std::fs::copy(fixture(&format!("transcripts/{c}")), input.join(c)).unwrap();
    }
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
        let res = medlyt()
            .args(["batch", "--quiet", "-o"])
            .arg(&out)
            .arg(&input)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let (code, stderr) = code_and_stderr(&res);
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
    std::fs::create_dir_all(input.join("sub")).unwrap();
    for c in CALLS {
        std::fs::copy(
            fixture(&format!("transcripts/{c}")),
            input.join("sub").join(c),
        )
        .unwrap();
    }
    std::os::unix::fs::symlink(".", input.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub").join("up")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(input.join("pipe.vtt"))
        .status()
        .is_ok_and(|s| s.success());
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let res = medlyt()
        .args(["batch", "--quiet", "-o"])
        .arg(&out)
        .arg(&input)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let (code, stderr) = code_and_stderr(&res);
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
