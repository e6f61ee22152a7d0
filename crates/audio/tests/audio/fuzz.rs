//! Damaged copies of every fixture: cut at many points and with bytes flipped. Decoding may fail,
//! but never panics, and what it returns is consistent.

use crate::fixture;
use medlyt_audio::{decode, open, AudioError, DecodeOptions};
use std::path::Path;

/// Mutated copies per fixture.
const FLIPS_PER_FILE: usize = 40;

fn fixtures() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(fixture("formats"))
        .unwrap()
        .chain(std::fs::read_dir(fixture("bad")).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "fixtures missing: run scripts/make-format-fixtures.sh"
    );
    files
}

/// Decodes and opens `path`; on success checks the result holds together.
fn exercise(path: &Path) -> Result<(), AudioError> {
    let _ = open(path);
    let opts = DecodeOptions {
        max_duration_s: Some(60.0),
    };
    let d = decode(path, &opts, &mut |_| {})?;
    assert_eq!(d.channels.len(), usize::from(d.info.channels));
    assert!(d.channels.iter().all(|c| c.len() == d.len()));
    assert!((1..=16).contains(&d.info.channels));
    Ok(())
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn truncated_prefixes_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    for file in fixtures() {
        let bytes = std::fs::read(&file).unwrap();
        let name = file.file_name().unwrap().to_str().unwrap().to_string();
        let n = bytes.len();
        if n == 0 {
            continue;
        }
        let mut cuts = vec![
            1,
            4,
            8,
            11,
            12,
            16,
            20,
            36,
            40,
            44,
            45,
            64,
            100,
            1000,
            n / 3,
            n / 2,
            n - 1,
        ];
        cuts.retain(|&c| c < n);
        for cut in cuts {
            let path = dir.path().join(&name);
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let result = exercise(&path);
            // A WAV cut inside its samples is reported as truncated, never decoded in part.
            let format_wav =
                file.parent().is_some_and(|p| p.ends_with("formats")) && name.ends_with(".wav");
            // (The last byte may be the pad byte after an odd-sized data chunk.)
            if format_wav && cut > 100 && cut + 1 < n {
                assert!(
                    matches!(result, Err(AudioError::Truncated { .. })),
                    "{name} cut at {cut}: {result:?}"
                );
            }
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = XorShift(0x5eed_1234_abcd_0001);
    for file in fixtures() {
        let bytes = std::fs::read(&file).unwrap();
        if bytes.is_empty() {
            continue;
        }
        let name = file.file_name().unwrap().to_str().unwrap().to_string();
        for round in 0..FLIPS_PER_FILE {
            let mut b = bytes.clone();
            let flips = 1 + (rng.next() % 8) as usize;
            for _ in 0..flips {
                // Half the flips hit the first 64 bytes, where the headers are.
                let span = if rng.next() & 1 == 0 {
                    b.len().min(64)
                } else {
                    b.len()
                };
                let i = (rng.next() % span as u64) as usize;
                b[i] ^= 1 << (rng.next() % 8);
            }
            let path = dir.path().join(format!("{round}-{name}"));
            std::fs::write(&path, &b).unwrap();
            let _ = exercise(&path);
            std::fs::remove_file(&path).unwrap();
        }
    }
}
