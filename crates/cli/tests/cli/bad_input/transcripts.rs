//! Hostile and inconsistent transcripts: past a limit or with impossible times, `medlyt analyze`
//! exits with 4 and a message naming the limit and the line or segment, within seconds and
//! without a large allocation; never a panic, an abort or a silent accept.

use crate::common::{code_and_stderr, fixture, medlyt};
use std::path::Path;
use std::time::{Duration, Instant};

/// Runs `medlyt analyze FILE` into a fresh folder (at most 30 s); (exit code, stderr).
fn analyze(path: &Path) -> (i32, String) {
    let out = tempfile::tempdir().expect("temp dir");
    let run = medlyt()
        .args(["analyze", "--quiet"])
        .arg(path)
        .arg("-o")
        .arg(out.path())
        .timeout(Duration::from_secs(30))
        .output()
        .expect("run medlyt");
    code_and_stderr(&run)
}

fn check(path: &Path, code: i32, needles: &[&str]) {
    let started = Instant::now();
    let (got, err) = analyze(path);
    let name = path.display();
    assert_eq!(got, code, "{name}: {err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    for n in needles {
        assert!(err.contains(n), "{name}: expected '{n}' in: {err}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{name}: {:?}",
        started.elapsed()
    );
}

/// A two-segment transcript JSON with `duration`, the second segment from `start` to `end`,
/// and the employee's speech span `speech`.
fn json(duration: f64, start: f64, end: f64, speech: (f64, f64)) -> String {
    format!(
        r#"{{"schema": "medlyt.transcript", "version": 1,
 "recording": {{"source": "x.wav", "duration": {duration:?}, "sample_rate": 0, "channels": 0, "codec": "text"}},
 "language": {{"requested": "da"}},
 "tracks": [{{"id": 0, "role": "employee", "speaker": "Anna", "speech": [{{"start": {:?}, "end": {:?}}}]}},
            {{"id": 1, "role": "citizen", "speaker": "Bo"}}],
 "segments": [{{"track": 0, "start": 1.0, "end": 4.0, "text": "Goddag, det er Anna."}},
              {{"track": 1, "start": {start:?}, "end": {end:?}, "text": "Hej, jeg ringer om mit brev."}}]}}"#,
        speech.0, speech.1
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn huge_times_are_exit_4_naming_the_limit_and_the_place() {
    let limit = "past the limit of 24 h for one call";
    check(
        &fixture("bad/transcript-times-1e15.json"),
        4,
        &["cannot read the transcript", "segment 1", limit],
    );
    check(
        &fixture("bad/transcript-duration-1e9.json"),
        4,
        &["recording.duration", limit],
    );
    check(
        &fixture("bad/transcript-speech-1e9.json"),
        4,
        &["track 0, speech span 0", limit],
    );
    check(
        &fixture("bad/transcript-cue-at-10000-hours.vtt"),
        4,
        &["line 6", limit],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text, place) in [
        (
            "seg-1e9.json",
            json(60.0, 1e9, 1e9 + 1.0, (1.0, 4.0)),
            "segment 1",
        ),
        (
            "dur-1e300.json",
            json(1e300, 5.0, 7.0, (1.0, 4.0)),
            "recording.duration",
        ),
        (
            "speech-1e15.json",
            json(60.0, 5.0, 7.0, (1.0, 1e15)),
            "speech span 0",
        ),
    ] {
        check(&write(dir.path(), name, &text), 4, &[place, limit]);
    }
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Goddag\n\n\
               1000:00:00.000 --> 1000:00:01.000\n<v Bo>Hej\n";
    check(&write(dir.path(), "1000h.vtt", vtt), 4, &["line 6", limit]);
    let txt = "[00:01] Anna: Goddag\n[30:00:00] Bo: Hej\n";
    check(&write(dir.path(), "notes.txt", txt), 4, &["line 2", limit]);
}

#[test]
fn inconsistent_times_are_exit_4_naming_the_segment() {
    check(
        &fixture("bad/transcript-end-before-start.json"),
        4,
        &["segment 1", "ends (5.000 s) before it starts (7.000 s)"],
    );
    check(
        &fixture("bad/transcript-negative-start.json"),
        4,
        &["segment 0", "the start time -3.000 s is negative"],
    );
    check(
        &fixture("bad/transcript-negative-duration.json"),
        4,
        &["recording.duration", "negative"],
    );
    check(
        &fixture("bad/transcript-past-the-recording.json"),
        4,
        &["segment 1", "past the end of the recording (6.000 s"],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let vtt = "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\n<v Anna>Goddag\n";
    check(
        &write(dir.path(), "backwards.vtt", vtt),
        4,
        &["line 3", "ends (2.000 s) before it starts (5.000 s)"],
    );
    // A segment ending a little (up to 1 s) past the recording is cut back to it, with a note.
    let slightly = write(
        dir.path(),
        "slightly.json",
        &json(7.0, 5.0, 7.4, (1.0, 4.0)),
    );
    let (code, err) = analyze(&slightly);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn ten_megabyte_lines_are_exit_4_quickly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = format!("Anna: {}\n", "ord ".repeat(2_600_000));
    check(
        &write(dir.path(), "one-line.txt", &line),
        4,
        &["line 1 is 10400006 bytes long", "limit of 65536 bytes"],
    );
    let amps = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>{}\n",
        "&".repeat(10_000_000)
    );
    check(
        &write(dir.path(), "amps.vtt", &amps),
        4,
        &["line 4 is", "limit of 65536 bytes"],
    );
    let cue = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{}",
        "<v Anna>&&&&&&&&&&&&&&&&&&&&\n".repeat(100_000)
    );
    check(
        &write(dir.path(), "big-cue.vtt", &cue),
        4,
        &["the cue on line 3 is", "limit of 65536 bytes for one cue"],
    );
}

#[test]
fn too_many_segments_is_exit_4_naming_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vtt =
        "WEBVTT\n\n".to_string() + &"00:00:01.000 --> 00:00:02.000\n<v A>a\n\n".repeat(100_001);
    check(
        &write(dir.path(), "many.vtt", &vtt),
        4,
        &["line 300003", "limit of 100000 segments"],
    );
}
