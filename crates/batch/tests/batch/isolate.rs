//! One call that stops medlyt itself (here: aborts the process, as running out of memory does)
//! stops at most one re-run: the re-run tries it last and alone, and the run after records it
//! as failed and finishes every other call.

use crate::fake::{write_fake_recordings, ABORT};
use crate::resume::example;
use std::path::Path;
use std::process::Command;

fn fake_batch(out: &Path, log: &Path, input: &Path) -> std::process::ExitStatus {
    Command::new(example("fake_batch"))
        .arg(out)
        .arg("10")
        .arg(log)
        .arg(input)
        .status()
        .expect("the fake_batch example is built with the tests")
}

fn results(out: &Path) -> Vec<serde_json::Value> {
    let mut v: Vec<serde_json::Value> = std::fs::read_dir(out.join("calls"))
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path().join("result.json")).ok())
        .map(|t| serde_json::from_str(&t).unwrap())
        .collect();
    v.sort_by_key(|r| r["input"].as_str().unwrap_or_default().to_string());
    v
}

#[test]
fn a_call_that_aborts_medlyt_is_recorded_as_failed_by_the_second_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_fake_recordings(&input.join("rec"), 6);
    let mut crash = ABORT.to_vec();
    crash.extend_from_slice(b"an allocation that fails");
    std::fs::write(input.join("rec").join("crash.fake"), crash).unwrap();
    let out = tmp.path().join("out");
    let log = tmp.path().join("log");

    assert!(
        !fake_batch(&out, &log, &input).success(),
        "the first run aborts"
    );
    assert!(
        !fake_batch(&out, &log, &input).success(),
        "the re-run tries it once more"
    );
    let status = fake_batch(&out, &log, &input);
    assert!(status.success(), "the second re-run finishes: {status}");

    let records = results(&out);
    assert_eq!(records.len(), 7, "{records:?}");
    for r in &records {
        let failed = r["outcome"]["status"] == "failed";
        assert_eq!(failed, r["input"] == "rec/crash.fake", "{r}");
    }
    let crash = &records[0]["outcome"]["failure"];
    assert_eq!(crash["kind"], "internal", "{crash}");
    assert!(
        crash["reason"]
            .as_str()
            .unwrap()
            .contains("stopped during this call in 2 runs"),
        "{crash}"
    );
    let failures = std::fs::read_to_string(out.join("failures.jsonl")).unwrap();
    assert_eq!(failures.lines().count(), 1, "{failures}");
    assert!(failures.contains("rec/crash.fake"), "{failures}");
    // No call is left marked as under way.
    for e in std::fs::read_dir(out.join("calls")).unwrap() {
        assert!(!e.unwrap().path().join(".in-flight.json").exists());
    }
    // A fourth run reuses everything.
    assert!(fake_batch(&out, &log, &input).success());
}
