//! Baseline against follow-up.

use crate::fake::{write_fake_recordings, FakeTranscriber};
use medlyt_batch::compare::{compare, markdown};
use medlyt_batch::{collect, run_batch, BatchOptions, CallSettings, MEASURES};
use std::time::Duration;

#[test]
fn comparison_has_intervals_around_the_change() {
    let tmp = tempfile::tempdir().unwrap();
    let fake = FakeTranscriber {
        delay: Duration::ZERO,
        log: None,
    };
    let mut sets = Vec::new();
    for (name, n) in [("baseline", 14), ("followup", 11)] {
        let input = tmp.path().join(format!("{name}-in"));
        write_fake_recordings(&input, n);
        if name == "followup" {
            // Other bytes give other (deterministic) calls.
            for e in std::fs::read_dir(&input).unwrap() {
                let p = e.unwrap().path();
                let mut b = std::fs::read(&p).unwrap();
                b.extend_from_slice(b" follow-up");
                std::fs::write(&p, b).unwrap();
            }
        }
        let opts = BatchOptions {
            out_dir: tmp.path().join(name),
            parallel: 2,
            settings: CallSettings::new(),
            cancel: None,
        };
        let inputs = collect(&[input]).unwrap();
        sets.push(run_batch(&inputs, &fake, &opts, &|_| {}).unwrap().records);
    }
    let c = compare(&sets[0], &sets[1]);
    assert_eq!((c.baseline_calls, c.followup_calls), (14, 11));
    assert_eq!(c.changes.len(), MEASURES.len());
    assert_eq!(c, compare(&sets[0], &sets[1]), "the bootstrap is seeded");
    let dur = c
        .changes
        .iter()
        .find(|x| x.measure == "duration_s")
        .unwrap();
    let d = dur.difference.unwrap();
    assert!(dur.ci_low.unwrap() <= d && d <= dur.ci_high.unwrap());
    assert!(dur.cliffs_delta.unwrap().abs() <= 1.0);
    // Against itself: no change, an interval around 0, no effect.
    let same = compare(&sets[0], &sets[0]);
    let dur = same
        .changes
        .iter()
        .find(|x| x.measure == "duration_s")
        .unwrap();
    assert_eq!(dur.difference, Some(0.0));
    assert!(dur.ci_low.unwrap() <= 0.0 && 0.0 <= dur.ci_high.unwrap());
    assert_eq!(dur.cliffs_delta, Some(0.0));
    assert_eq!(dur.cohens_d, Some(0.0));
    assert!(markdown(&c).contains("| length (s) |"));
}
