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
