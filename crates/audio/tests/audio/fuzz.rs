//! Damaged copies of every fixture: cut at many points and with bytes flipped. Decoding may fail,
//! but never panics, and what it returns is consistent.

use crate::fixture;
use medlyt_audio::{decode, open, AudioError, DecodeOptions};
use medlyt_testkit::XorShift;
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
    let mut rng = XorShift::new(0x5eed_1234_abcd_0001);
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

/// Cases of [`header_fields_set_to_extremes_never_panic`], and its seed (printed).
const HEADER_CASES: usize = 600;
const HEADER_SEED: u64 = 0x00c0_ffee_2026_1201;

/// A canonical 16-bit mono WAV of `frames` frames at 16 kHz.
fn small_wav(frames: usize) -> Vec<u8> {
    let data: Vec<u8> = (0..frames)
        .flat_map(|i| (((i as f64 * 0.3).sin() * 8000.0) as i16).to_le_bytes())
        .collect();
    let mut b = b"RIFF".to_vec();
    b.extend((36 + data.len() as u32).to_le_bytes());
    b.extend(b"WAVEfmt ");
    b.extend(16u32.to_le_bytes());
    b.extend(1u16.to_le_bytes());
    b.extend(1u16.to_le_bytes());
    b.extend(16_000u32.to_le_bytes());
    b.extend(32_000u32.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend(16u16.to_le_bytes());
    b.extend(b"data");
    b.extend((data.len() as u32).to_le_bytes());
    b.extend(data);
    b
}

/// Every header field of a WAV (RIFF size, fmt size, tag, channels, rate, byte rate, block
/// align, bits, data size) set to values a hostile file holds: 0, 1, odd, huge, the maximum.
/// Decoding may fail, but it never panics, and it returns (ok or not) quickly with output no
/// larger than the file allows.
#[test]
fn header_fields_set_to_extremes_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let base = small_wav(4000);
    // (offset, width) of each header field.
    let fields: [(usize, usize); 9] = [
        (4, 4),
        (16, 4),
        (20, 2),
        (22, 2),
        (24, 4),
        (28, 4),
        (32, 2),
        (34, 2),
        (40, 4),
    ];
    let extremes: [u64; 12] = [
        0,
        1,
        2,
        3,
        7,
        8,
        255,
        1000,
        65_535,
        65_536,
        0x7FFF_FFFF,
        u64::MAX,
    ];
    let mut rng = XorShift::new(HEADER_SEED);
    let mut failed = 0;
    let mut slowest = 0.0f64;
    for case in 0..HEADER_CASES {
        let mut b = base.clone();
        for _ in 0..1 + rng.next() % 3 {
            let (at, width) = fields[(rng.next() % fields.len() as u64) as usize];
            let value = match rng.next() % 3 {
                0 => extremes[(rng.next() % extremes.len() as u64) as usize],
                _ => rng.next(),
            };
            b[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
        }
        let path = dir.path().join(format!("case-{case}.wav"));
        std::fs::write(&path, &b).unwrap();
        let start = std::time::Instant::now();
        let result = exercise(&path);
        slowest = slowest.max(start.elapsed().as_secs_f64());
        if let Ok(()) = result {
            let d = decode(&path, &DecodeOptions::default(), &mut |_| {}).unwrap();
            // At most the file's bytes as 8-bit samples at 1 kHz, resampled to 16 kHz.
            assert!(
                d.len() <= b.len() * 16 + 16_000,
                "case {case}: {} frames",
                d.len()
            );
        } else {
            failed += 1;
        }
    }
    eprintln!(
        "header fuzz: seed {HEADER_SEED:#x}, {HEADER_CASES} cases, {failed} refused, slowest {slowest:.3} s"
    );
    assert!(slowest < 10.0, "a case took {slowest:.1} s");
}
