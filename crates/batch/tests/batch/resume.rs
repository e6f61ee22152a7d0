//! A batch killed part-way (SIGKILL on a child process) and restarted ends with exactly the
//! outputs of an uninterrupted run, and no finished call is done again.

use crate::corpus;
use crate::fake::{write_fake_recordings, FakeTranscriber};
use medlyt_batch::{collect, run_batch, BatchOptions, CallSettings};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub fn example(name: &str) -> PathBuf {
    // target/debug/deps/batch-HASH -> target/debug/examples/NAME
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(Path::parent).unwrap();
    debug.join("examples").join(name)
}

fn finished(out: &Path) -> BTreeSet<String> {
    std::fs::read_dir(out.join("calls"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().join("result.json").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn opts(out: &Path) -> BatchOptions {
    BatchOptions {
        out_dir: out.to_path_buf(),
        parallel: 2,
        settings: CallSettings::new(),
        cancel: None,
    }
}

#[test]
fn killed_batch_resumes_to_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_fake_recordings(&input.join("rec"), 24);
    corpus::write_transcripts(&input);
    corpus::write_bad(&input);
    let inputs = collect(std::slice::from_ref(&input)).unwrap();

    let out = tmp.path().join("killed");
    let log1 = tmp.path().join("log1");
    let mut child = Command::new(example("fake_batch"))
        .arg(&out)
        .arg("250")
        .arg(&log1)
        .arg(&input)
        .spawn()
        .expect("the fake_batch example is built with the tests");
    let start = Instant::now();
    // Kill once some fake recordings are done, well before all of them.
    while finished(&out).len() < 30 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the batch ended before it was killed");
    let done_at_kill = finished(&out);
    assert!(!done_at_kill.is_empty() && done_at_kill.len() < inputs.len());
    assert!(!out.join("aggregate.json").exists());

    let log2 = tmp.path().join("log2");
    let fake = FakeTranscriber {
        delay: Duration::ZERO,
        log: Some(log2.clone()),
    };
    let resumed = run_batch(&inputs, &fake, &opts(&out), &|_| {}).unwrap();
    assert_eq!(resumed.reused, done_at_kill.len());
    // No recording finished before the kill was transcribed again.
    let redone: Vec<String> = std::fs::read_to_string(&log2)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    for r in &resumed.records {
        if done_at_kill.contains(&r.name) {
            let file = r.input.rsplit('/').next().unwrap();
            assert!(!redone.iter().any(|l| l == file), "{} done twice", r.input);
        }
    }
    // The same outputs, byte for byte, as one uninterrupted run.
    let clean = tmp.path().join("clean");
    let fake = FakeTranscriber {
        delay: Duration::ZERO,
        log: None,
    };
    run_batch(&inputs, &fake, &opts(&clean), &|_| {}).unwrap();
    let (a, b) = (corpus::tree(&out), corpus::tree(&clean));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs");
    }
}
