//! Three shards merged equal one run.

use crate::corpus;
use crate::fake::{write_fake_recordings, FakeTranscriber};
use medlyt_batch::{
    collect, merge, run_batch, select, write_tables, BatchOptions, CallSettings, Shard,
};
use std::path::Path;
use std::time::Duration;

fn run(inputs: &[medlyt_batch::Input], out: &Path) -> medlyt_batch::BatchOutcome {
    let fake = FakeTranscriber {
        delay: Duration::ZERO,
        log: None,
    };
    let opts = BatchOptions {
        out_dir: out.to_path_buf(),
        parallel: 2,
        settings: CallSettings::new(),
        cancel: None,
    };
    run_batch(inputs, &fake, &opts, &|_| {}).unwrap()
}

#[test]
fn three_shards_merge_into_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_fake_recordings(&input.join("rec"), 12);
    corpus::write_transcripts(&input);
    corpus::write_bad(&input);
    let all = collect(std::slice::from_ref(&input)).unwrap();
    let single = tmp.path().join("single");
    run(&all, &single);

    let mut dirs = Vec::new();
    let mut seen = 0;
    for k in 0..3 {
        let shard: Shard = format!("{k}/3").parse().unwrap();
        let part = select(all.clone(), Some(shard));
        assert!(!part.is_empty() && part.len() < all.len());
        seen += part.len();
        let dir = tmp.path().join(format!("shard-{k}"));
        run(&part, &dir);
        dirs.push(dir);
    }
    assert_eq!(seen, all.len());
    let merged = tmp.path().join("merged");
    let refs: Vec<&Path> = dirs.iter().map(|d| d.as_path()).collect();
    let records = merge(&refs).unwrap();
    write_tables(&merged, &records).unwrap();
    for file in [
        "aggregate.json",
        "calls.csv",
        "failures.jsonl",
        "results.jsonl",
        "summary.md",
    ] {
        let a = std::fs::read(single.join(file)).unwrap();
        let b = std::fs::read(merged.join(file)).unwrap();
        assert!(a == b, "{file} differs");
    }
    // A shard merged twice is the same; a conflicting record is refused.
    let twice: Vec<&Path> = vec![refs[0], refs[0], refs[1], refs[2]];
    assert_eq!(merge(&twice).unwrap(), records);
    let mut results = std::fs::read_to_string(dirs[1].join("results.jsonl")).unwrap();
    results = results.replacen("\"settings\":\"", "\"settings\":\"x", 1);
    let conflict = tmp.path().join("conflict");
    std::fs::create_dir_all(&conflict).unwrap();
    std::fs::write(conflict.join("results.jsonl"), results).unwrap();
    assert!(merge(&[dirs[1].as_path(), conflict.as_path()]).is_err());
}
