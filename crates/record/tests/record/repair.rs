//! `repair` never shortens a file and never turns metadata into samples; past 4 GiB it writes
//! RF64.

use medlyt_record::{header, repair, repair_to, RecordError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut c = id.to_vec();
    c.extend_from_slice(&(body.len() as u32).to_le_bytes());
    c.extend_from_slice(body);
    if body.len() % 2 == 1 {
        c.push(0);
    }
    c
}

fn samples(n: usize) -> Vec<u8> {
    (0..n as i32)
        .flat_map(|i| (((i * 37) % 20_000 - 10_000) as i16).to_le_bytes())
        .collect()
}

/// A stereo 16 kHz file whose data chunk holds `data` and states `stated` bytes, then `after`.
fn wav(path: &Path, data: &[u8], stated: u32, after: &[u8]) {
    let mut bytes = header(2, 16_000, stated).to_vec();
    let riff = (36 + data.len() + after.len()) as u32;
    bytes[4..8].copy_from_slice(&riff.to_le_bytes());
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(after);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_list_chunk_after_the_data_stays_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.wav");
    let data = samples(8000);
    let list = chunk(b"LIST", b"INFOISFT\x0e\x00\x00\x00Lavf58.76.100\x00");
    wav(&path, &data, data.len() as u32, &list);
    let before = std::fs::read(&path).unwrap();
    let r = repair(&path).unwrap();
    assert_eq!((r.frames_before, r.frames_after), (4000, 4000));
    assert!(
        r.changes.iter().all(|c| !c.contains("data size")),
        "{:?}",
        r.changes
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a sound file was changed"
    );
    let mut rd = hound::WavReader::open(&path).unwrap();
    assert_eq!(rd.samples::<i16>().count(), 8000);
}

#[test]
fn a_second_data_chunk_is_not_read_as_samples_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.wav");
    let data = samples(4000);
    let second = chunk(b"data", &samples(100));
    wav(&path, &data, data.len() as u32, &second);
    let len = std::fs::metadata(&path).unwrap().len();
    let r = repair(&path).unwrap();
    assert_eq!(r.frames_after, 2000);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), len);
}

#[test]
fn a_cut_off_file_is_never_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.wav");
    let mut data = samples(8000);
    data.extend_from_slice(&[1, 2, 3]);
    wav(&path, &data, 0, &[]);
    let len = std::fs::metadata(&path).unwrap().len();
    let r = repair(&path).unwrap();
    assert_eq!(
        (r.frames_before, r.frames_after, r.dropped_bytes),
        (0, 4000, 3)
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), len);
    assert!(
        r.changes.iter().any(|c| c.contains("data size 0 -> 16000")),
        "{:?}",
        r.changes
    );
    // With -o the original stays as it is.
    let path2 = dir.path().join("cut2.wav");
    wav(&path2, &samples(8000), 0, &[]);
    let orig = std::fs::read(&path2).unwrap();
    let out = dir.path().join("fixed.wav");
    let r = repair_to(&path2, Some(&out)).unwrap();
    assert_eq!(r.frames_after, 4000);
    assert_eq!(std::fs::read(&path2).unwrap(), orig);
    let mut rd = hound::WavReader::open(&out).unwrap();
    assert_eq!(rd.samples::<i16>().count(), 8000);
}

/// A sparse file of `len` bytes: a header with a JUNK chunk reserved (when `junk`) and a
/// little audio at the start; the rest reads as zeros and takes no disk.
fn sparse_wav(path: &Path, len: u64, junk: bool) -> u64 {
    let mut head = b"RIFF\0\0\0\0WAVE".to_vec();
    if junk {
        head.extend_from_slice(&chunk(b"JUNK", &[0u8; 28]));
    }
    let mut fmt = Vec::new();
    fmt.extend_from_slice(&1u16.to_le_bytes());
    fmt.extend_from_slice(&2u16.to_le_bytes());
    fmt.extend_from_slice(&16_000u32.to_le_bytes());
    fmt.extend_from_slice(&64_000u32.to_le_bytes());
    fmt.extend_from_slice(&4u16.to_le_bytes());
    fmt.extend_from_slice(&16u16.to_le_bytes());
    head.extend_from_slice(&chunk(b"fmt ", &fmt));
    head.extend_from_slice(b"data\0\0\0\0");
    let data_start = head.len() as u64;
    head.extend_from_slice(&samples(16_000));
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(&head).unwrap();
    f.set_len(len).unwrap();
    data_start
}

#[test]
fn past_4_gib_the_header_becomes_rf64_and_nothing_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.wav");
    let len = 5 * 1024 * 1024 * 1024 + 2;
    let data_start = sparse_wav(&path, len, true);
    let r = repair(&path).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().len(),
        len,
        "the file was shortened"
    );
    assert!(r.rf64);
    let data = (len - data_start) / 4 * 4;
    assert_eq!(r.frames_after, data / 4);
    assert_eq!(r.dropped_bytes, (len - data_start) % 4);
    let mut f = std::fs::File::open(&path).unwrap();
    let mut head = [0u8; 52];
    f.read_exact(&mut head).unwrap();
    assert_eq!(&head[0..4], b"RF64");
    assert_eq!(&head[4..8], &u32::MAX.to_le_bytes());
    assert_eq!(&head[12..16], b"ds64");
    let u64_at = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().unwrap());
    assert_eq!(u64_at(28), data, "ds64 data size");
    assert_eq!(u64_at(20), data_start + data - 8, "ds64 RIFF size");
    f.seek(SeekFrom::Start(data_start - 4)).unwrap();
    let mut size = [0u8; 4];
    f.read_exact(&mut size).unwrap();
    assert_eq!(size, u32::MAX.to_le_bytes());
}

#[test]
fn past_4_gib_without_room_for_rf64_nothing_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.wav");
    let len = 4 * 1024 * 1024 * 1024 + 1024;
    sparse_wav(&path, len, false);
    let mut before = vec![0u8; 64];
    std::fs::File::open(&path)
        .unwrap()
        .read_exact(&mut before)
        .unwrap();
    let e = repair(&path).unwrap_err();
    assert!(matches!(e, RecordError::Io { .. }), "{e}");
    assert!(e.to_string().contains("past 4 GiB"), "{e}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), len);
    let mut after = vec![0u8; 64];
    std::fs::File::open(&path)
        .unwrap()
        .read_exact(&mut after)
        .unwrap();
    assert_eq!(before, after);
}
