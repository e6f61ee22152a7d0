//! Hostile WAV files made on the spot: samples that are not numbers, sample rates at and beyond
//! the limits, chunks that run past the end of the file, and paths that are not files.

use crate::decode;
use crate::signal::{rms_dbfs, zero_crossing_freq};
use medlyt_audio::{open, AudioError, TARGET_RATE};
use medlyt_testkit::wav;
use std::path::{Path, PathBuf};
use std::time::Instant;

const PCM: u16 = 1;
const FLOAT: u16 = 3;

/// A 440 Hz tone of amplitude 0.5, `frames` long at `rate`.
fn tone(rate: u32, frames: usize) -> Vec<f64> {
    (0..frames)
        .map(|i| 0.5 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / f64::from(rate)).sin())
        .collect()
}

fn f32_bytes(x: &[f64]) -> Vec<u8> {
    x.iter().flat_map(|&v| (v as f32).to_le_bytes()).collect()
}

fn f64_bytes(x: &[f64]) -> Vec<u8> {
    x.iter().flat_map(|&v| v.to_le_bytes()).collect()
}

/// 16-bit PCM, every sample repeated on `channels` channels.
fn pcm16_bytes(x: &[f64], channels: usize) -> Vec<u8> {
    x.iter()
        .flat_map(|&v| {
            let s = (v * 32767.0).round() as i16;
            std::iter::repeat_n(s.to_le_bytes(), channels).flatten()
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// 16 kHz samples expected from `frames` at `rate`.
fn expected_len(frames: usize, rate: u32) -> usize {
    ((frames as u64 * u64::from(TARGET_RATE) + u64::from(rate) / 2) / u64::from(rate)) as usize
}

#[test]
fn nan_and_infinite_floats_become_silence_before_resampling() {
    let dir = tempfile::tempdir().unwrap();
    for (name, rate, bits, bad) in [
        ("nan-f32-44k.wav", 44_100, 32, f64::NAN),
        ("inf-f32-44k.wav", 44_100, 32, f64::INFINITY),
        ("nan-f64-22k.wav", 22_050, 64, f64::NAN),
        ("neg-inf-f64-22k.wav", 22_050, 64, f64::NEG_INFINITY),
    ] {
        let mut x = tone(rate, rate as usize);
        x[1000] = bad;
        // Beyond full scale: clipped, not replaced.
        x[2000] = 5.0;
        x[3000] = -1e30;
        let data = if bits == 32 {
            f32_bytes(&x)
        } else {
            f64_bytes(&x)
        };
        let path = write(dir.path(), name, &wav(FLOAT, 1, rate, bits, &[], &data));
        let d = decode(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.non_finite, 1, "{name}");
        assert_eq!(d.len(), 16_000, "{name}");
        let y = d.channel_f32(0, 0..d.len()).unwrap();
        assert!(y.iter().all(|v| v.is_finite() && v.abs() <= 1.0), "{name}");
        let f = zero_crossing_freq(&y, 16_000.0);
        assert!((f - 440.0).abs() < 5.0, "{name}: {f} Hz");
    }
}

#[test]
fn a_float_file_of_nothing_but_nan_is_silence_with_every_sample_counted() {
    let dir = tempfile::tempdir().unwrap();
    let data = f32_bytes(&vec![f64::NAN; 16_000]);
    let path = write(
        dir.path(),
        "all-nan.wav",
        &wav(FLOAT, 1, 16_000, 32, &[], &data),
    );
    let d = decode(&path).unwrap();
    assert_eq!(d.non_finite, 16_000);
    assert_eq!(d.len(), 16_000);
    assert!(d.channels[0].iter().all(|&s| s == 0));
}

#[test]
fn rates_outside_1_to_384_khz_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for rate in [1, 999, 384_001, 1_000_000] {
        // 16 channels at 1 Hz once took 3.4 GB to set up the resampler.
        let bytes = wav(PCM, 16, rate, 16, &[], &vec![0u8; 16 * 2 * 8]);
        let path = write(dir.path(), &format!("rate-{rate}.wav"), &bytes);
        for e in [open(&path).unwrap_err(), decode(&path).unwrap_err()] {
            assert!(
                matches!(e, AudioError::UnsupportedRate { rate: r, .. } if r == rate),
                "{rate}: {e}"
            );
            let msg = e.to_string();
            assert!(msg.contains(&format!("{rate} Hz")), "{msg}");
            assert!(msg.contains("1000 to 384000 Hz"), "{msg}");
        }
    }
    for rate in [1_000, 384_000] {
        let x = tone(rate, rate as usize / 5);
        let bytes = wav(PCM, 1, rate, 16, &[], &pcm16_bytes(&x, 1));
        let path = write(dir.path(), &format!("rate-{rate}.wav"), &bytes);
        let d = decode(&path).unwrap_or_else(|e| panic!("{rate}: {e}"));
        assert_eq!(d.len(), 3200, "{rate}");
    }
}

#[test]
fn odd_rates_resample_to_the_right_length_in_time_with_the_audio() {
    let dir = tempfile::tempdir().unwrap();
    for rate in [
        1_000, 1_001, 7_919, 11_025, 22_050, 44_100, 48_000, 96_000, 192_000, 352_800, 383_999,
        384_000,
    ] {
        // 1.5 s of stereo.
        let frames = rate as usize * 3 / 2;
        let x = tone(rate, frames);
        let bytes = wav(PCM, 2, rate, 16, &[], &pcm16_bytes(&x, 2));
        let path = write(dir.path(), &format!("odd-{rate}.wav"), &bytes);
        let started = Instant::now();
        let d = decode(&path).unwrap_or_else(|e| panic!("{rate}: {e}"));
        let took = started.elapsed().as_secs_f64();
        eprintln!("{rate:>6} Hz stereo, 1.5 s: decoded and resampled in {took:.3} s");
        assert_eq!(d.len(), expected_len(frames, rate), "{rate}");
        for ch in 0..2 {
            let y = d.channel_f32(ch, 0..d.len()).unwrap();
            // The tone comes through at its level, up to the very end (the resampler's delay
            // is flushed out, not cut off).
            let f = zero_crossing_freq(&y, 16_000.0);
            assert!((f - 440.0).abs() < 3.0, "{rate}: {f} Hz");
            let tail = &y[y.len() - 1600..];
            let level = rms_dbfs(tail);
            assert!(
                (level - -9.03).abs() < 1.0,
                "{rate}: tail at {level:.1} dBFS"
            );
        }
    }
}

#[test]
fn a_chunk_running_past_the_end_of_the_file_is_truncated_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let x = tone(16_000, 3200);
    let mut list = b"LIST".to_vec();
    list.extend(1_000_000_000u32.to_le_bytes());
    list.extend(b"INFO");
    let path = write(
        dir.path(),
        "list.wav",
        &wav(PCM, 1, 16_000, 16, &list, &pcm16_bytes(&x, 1)),
    );
    for e in [open(&path).unwrap_err(), decode(&path).unwrap_err()] {
        assert!(matches!(e, AudioError::Truncated { .. }), "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains("'LIST' chunk states 1000000000 bytes"),
            "{msg}"
        );
    }
}

#[test]
fn odd_sized_and_long_fact_chunks_before_the_samples_decode() {
    // Both once failed with "Failed to read enough bytes": the samples were read by a second
    // parser that skipped the pad byte of an odd-sized chunk and read only 4 bytes of `fact`.
    let dir = tempfile::tempdir().unwrap();
    let x = tone(16_000, 3200);
    let mut odd = b"LIST".to_vec();
    odd.extend(3u32.to_le_bytes());
    odd.extend(b"abc\0");
    let mut fact = b"fact".to_vec();
    fact.extend(8u32.to_le_bytes());
    fact.extend([0x80, 0x0c, 0, 0, 0, 0, 0, 0]);
    for (name, before) in [("odd.wav", odd), ("fact.wav", fact)] {
        let path = write(
            dir.path(),
            name,
            &wav(PCM, 1, 16_000, 16, &before, &pcm16_bytes(&x, 1)),
        );
        let d = decode(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.len(), 3200, "{name}");
        assert_eq!(d.channels[0][100], (x[100] * 32767.0).round() as i16);
    }
}

#[test]
fn fifos_devices_and_folders_are_named_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("call.wav");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![(dir.path().to_path_buf(), "it is a folder, not a recording")];
    for dev in ["/dev/null", "/dev/zero"] {
        // (Some sandboxes put a plain file there.)
        if is_char_device(Path::new(dev)) {
            cases.push((PathBuf::from(dev), "it is a device, not a recording"));
        }
    }
    if made {
        cases.push((fifo, "it is a FIFO, not a recording"));
    } else {
        eprintln!("skipped the FIFO: mkfifo is not available");
    }
    for (path, needle) in cases {
        // Opening a FIFO would block here until a writer came.
        for e in [open(&path).unwrap_err(), decode(&path).unwrap_err()] {
            assert!(matches!(e, AudioError::NotAudio { .. }), "{e}");
            assert!(e.to_string().contains(needle), "{e}");
        }
    }
}

#[cfg(unix)]
fn is_char_device(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(not(unix))]
fn is_char_device(_: &Path) -> bool {
    false
}

/// An EXTENSIBLE `fmt ` chunk (40 bytes) for integer PCM with `valid` bits in `bits`-bit
/// containers.
fn extensible_fmt(channels: u16, rate: u32, bits: u16, valid: u16) -> Vec<u8> {
    let align = channels * bits / 8;
    let mut f = b"fmt ".to_vec();
    f.extend(40u32.to_le_bytes());
    f.extend(0xFFFEu16.to_le_bytes());
    f.extend(channels.to_le_bytes());
    f.extend(rate.to_le_bytes());
    f.extend((rate * u32::from(align)).to_le_bytes());
    f.extend(align.to_le_bytes());
    f.extend(bits.to_le_bytes());
    f.extend(22u16.to_le_bytes());
    f.extend(valid.to_le_bytes());
    f.extend(4u32.to_le_bytes()); // front centre
                                  // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71
    f.extend([
        1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71,
    ]);
    f
}

fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    for c in chunks {
        body.extend(c);
    }
    let mut file = b"RIFF".to_vec();
    file.extend((body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}

fn chunk(id: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut c = id.to_vec();
    c.extend((payload.len() as u32).to_le_bytes());
    c.extend(payload);
    if payload.len() % 2 == 1 {
        c.push(0);
    }
    c
}

#[test]
fn extensible_24_valid_bits_in_32_bit_containers_keep_their_level() {
    // Once read 256 times too loud (as right-justified 24-bit values), so nothing was heard.
    let dir = tempfile::tempdir().unwrap();
    let x = tone(16_000, 3200);
    let data: Vec<u8> = x
        .iter()
        .flat_map(|&v| {
            let s24 = (v * 8_388_607.0).round() as i32;
            (s24 << 8).to_le_bytes()
        })
        .collect();
    let bytes = riff(&[extensible_fmt(1, 16_000, 32, 24), chunk(b"data", &data)]);
    let path = write(dir.path(), "ext24in32.wav", &bytes);
    let d = decode(&path).unwrap();
    assert_eq!(d.len(), 3200);
    for i in [100, 777, 2000] {
        let want = (x[i] * 32767.0).round() as i16;
        assert!(
            (i32::from(d.channels[0][i]) - i32::from(want)).abs() <= 1,
            "{i}"
        );
    }
}

#[test]
fn broadcast_wav_with_odd_bext_and_ixml_chunks_decodes() {
    // Telephony and broadcast recorders write BWF: a `bext` chunk (here of odd length, padded)
    // and `iXML` before the samples.
    let dir = tempfile::tempdir().unwrap();
    let x = tone(16_000, 3200);
    let mut bext = vec![b' '; 601];
    bext[..9].copy_from_slice(b"medlyt rx");
    let ixml = b"<?xml version=\"1.0\"?><BWFXML><PROJECT>call</PROJECT></BWFXML>";
    let mut fmt = b"fmt ".to_vec();
    fmt.extend(16u32.to_le_bytes());
    fmt.extend(PCM.to_le_bytes());
    fmt.extend(1u16.to_le_bytes());
    fmt.extend(16_000u32.to_le_bytes());
    fmt.extend(32_000u32.to_le_bytes());
    fmt.extend(2u16.to_le_bytes());
    fmt.extend(16u16.to_le_bytes());
    let bytes = riff(&[
        chunk(b"bext", &bext),
        fmt,
        chunk(b"iXML", ixml),
        chunk(b"data", &pcm16_bytes(&x, 1)),
    ]);
    let path = write(dir.path(), "bwf.wav", &bytes);
    let d = decode(&path).unwrap();
    assert_eq!(d.len(), 3200);
    assert_eq!(d.channels[0][100], (x[100] * 32767.0).round() as i16);
    // sox, as the reference decoder, reads the same number of samples.
    if let Ok(out) = std::process::Command::new("soxi")
        .args(["-s"])
        .arg(&path)
        .output()
    {
        if out.status.success() {
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "3200");
        }
    }
}

/// Makes `name` with sox (`args` after the output name); false where sox cannot.
fn sox(dir: &Path, name: &str, args: &[&str]) -> Option<PathBuf> {
    let path = dir.join(name);
    let ok = std::process::Command::new("sox")
        .args(["-n", "-r", "16000", "-c", "1"])
        .arg(&path)
        .args(args)
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(path)
}

#[test]
fn ogg_and_mp3_files_cut_short_are_known_to_end_early() {
    let dir = tempfile::tempdir().unwrap();
    let opts = medlyt_audio::DecodeOptions::default();
    let mut checked = 0;
    for name in ["call.ogg", "call.mp3"] {
        let Some(whole) = sox(
            dir.path(),
            name,
            &["synth", "60", "pinknoise", "vol", "0.3"],
        ) else {
            eprintln!("sox cannot write {name}: skipped");
            continue;
        };
        let bytes = std::fs::read(&whole).unwrap();
        let d = medlyt_audio::decode(&whole, &opts, &mut |_| {}).unwrap();
        assert!(!d.ends_early, "{name}: the whole file ends early");
        for (part, share) in [("half", 2), ("tenth", 10)] {
            let cut = dir.path().join(format!("{part}-{name}"));
            std::fs::write(&cut, &bytes[..bytes.len() / share + 7]).unwrap();
            let d = medlyt_audio::decode(&cut, &opts, &mut |_| {}).unwrap();
            assert!(d.ends_early, "{part} of {name} is not known to end early");
            assert!(
                d.duration_s() < 60.0 / share as f64 + 3.0,
                "{part} of {name}"
            );
        }
        checked += 1;
    }
    eprintln!("{checked} formats checked");
}
