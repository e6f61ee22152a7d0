//! Transcripts mutated at random (fixed seed, bounded cases): `medlyt analyze` never panics,
//! exits 0 or 4 (an unreadable transcript), never hangs, and writes reports of bounded size.
//! The seed and the case count are printed; a case that fails is kept by writing its bytes
//! under fixtures/bad/ as a regression file.

use crate::common::{fixture, medlyt};
use medlyt_testkit::XorShift;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SEED: u64 = 0x7a11_5eed_2026_1201;
const CASES: usize = 120;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = [fixture("transcripts-in"), fixture("transcripts")]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(d)
                .expect("fixtures")
                .map(|e| e.expect("entry").path())
        })
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.ends_with(".truth.json")
                && !name.ends_with(".expected.json")
                && !name.ends_with(".md")
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            (ext, std::fs::read(&p).expect("read"))
        })
        .collect()
}

/// One mutation: a hostile number in place of a number, a byte flipped, a cut, a line
/// repeated, or a long run of one character.
fn mutate(rng: &mut XorShift, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let at = |rng: &mut XorShift, b: &Vec<u8>| (rng.next() % b.len().max(1) as u64) as usize;
    match rng.next() % 5 {
        0 => {
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            if let Some(&i) = digits.get((rng.next() % digits.len().max(1) as u64) as usize) {
                let n = rng.pick(&[
                    "1e300",
                    "-5",
                    "NaN",
                    "99999999999",
                    "0",
                    "1e15",
                    "-0.0",
                    "36000000",
                ]);
                b.splice(i..i + 1, n.bytes());
            }
        }
        1 => {
            let i = at(rng, &b);
            if let Some(x) = b.get_mut(i) {
                *x ^= 1 << (rng.next() % 8);
            }
        }
        2 => {
            let i = at(rng, &b);
            b.truncate(i);
        }
        3 => {
            let text = String::from_utf8_lossy(&b).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let line = *rng.pick(&lines);
                let times = 1 + rng.next() % 200;
                let mut out = text.clone();
                for _ in 0..times {
                    out.push('\n');
                    out.push_str(line);
                }
                b = out.into_bytes();
            }
        }
        _ => {
            let i = at(rng, &b);
            let c = *rng.pick(b"&<:\n0{");
            let run = vec![c; 1 + (rng.next() % 70_000) as usize];
            b.splice(i..i, run);
        }
    }
    b
}

#[test]
fn mutated_transcripts_exit_0_or_4_and_never_hang() {
    let seeds = seeds();
    assert!(seeds.len() >= 5, "transcript fixtures missing");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = XorShift::new(SEED);
    let (mut ok, mut refused) = (0, 0);
    let mut slowest = Duration::ZERO;
    for case in 0..CASES {
        let (ext, bytes) = rng.pick(&seeds).clone();
        let mutated = mutate(&mut rng, &bytes);
        let input = dir.path().join(format!("case-{case}.{ext}"));
        std::fs::write(&input, &mutated).expect("write");
        let out = dir.path().join(format!("out-{case}"));
        let start = Instant::now();
        let run = medlyt()
            .args(["analyze", "--quiet"])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run");
        slowest = slowest.max(start.elapsed());
        let code = run.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&run.stderr);
        let keep = || {
            let kept = fixture("bad").join(format!("fuzz-transcript-{SEED:x}-{case}.{ext}"));
            let _ = std::fs::write(&kept, &mutated);
            kept
        };
        assert!(
            matches!(code, 0 | 4) && !stderr.contains("panicked"),
            "case {case} ({ext}): exit {code}: {stderr}; kept as {}",
            keep().display()
        );
        if code == 0 {
            ok += 1;
            let size: u64 = std::fs::read_dir(&out)
                .expect("outputs")
                .map(|e| e.expect("entry").metadata().expect("meta").len())
                .sum();
            assert!(size < 64 << 20, "case {case}: {size} bytes of reports");
        } else {
            refused += 1;
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    eprintln!(
        "transcript fuzz: seed {SEED:#x}, {CASES} cases: {ok} analysed, {refused} refused (exit 4), slowest {:.2} s",
        slowest.as_secs_f64()
    );
}
