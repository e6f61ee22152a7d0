//! Rejecting corrupt, truncated and wrong-format model files.

use std::path::{Path, PathBuf};

use medlyt_models::{check, import_ct2, inspect, ModelError, ModelKind, Quant};

use crate::support::*;

fn converted(dir: &Path, quant: Quant) -> PathBuf {
    let src = dir.join("ct2");
    write_model_dir(&src, &tiny_model());
    let out = dir.join("model.bin");
    import_ct2(&src, &out, quant).unwrap();
    out
}

#[test]
fn wrong_magic_and_tiny_files_are_not_ggml() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("empty.bin", &b""[..]),
        ("short.bin", &b"gg"[..]),
        ("zip.bin", &b"PK\x03\x04rest of a zip file"[..]),
        ("gguf.bin", &b"GGUF\x03\x00\x00\x00"[..]),
    ] {
        let path = tmp.path().join(name);
        std::fs::write(&path, content).unwrap();
        let err = inspect(&path).unwrap_err();
        assert!(matches!(err, ModelError::NotGgml { .. }), "{name}: {err}");
    }
    let err = inspect(&tmp.path().join("absent.bin")).unwrap_err();
    assert!(matches!(err, ModelError::Io { .. }), "{err}");
}

#[test]
fn every_truncation_is_an_error_never_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let full = std::fs::read(converted(tmp.path(), Quant::Q8_0)).unwrap();
    let cut = tmp.path().join("cut.bin");
    let mut truncated = 0;
    // Every length inside the header, then a spread of lengths through the tensors.
    let lengths = (4..2000)
        .chain((2000..full.len()).step_by(997))
        .chain([full.len() - 1]);
    for len in lengths {
        std::fs::write(&cut, &full[..len]).unwrap();
        match inspect(&cut) {
            Err(ModelError::Truncated { file_len, .. }) => {
                assert_eq!(file_len, len as u64);
                truncated += 1;
            }
            Err(ModelError::BadGgml { .. }) => {}
            Err(other) => panic!("length {len}: unexpected {other}"),
            Ok(info) => {
                // Cut exactly between two tensor records: readable, but incomplete.
                assert!(!info.is_complete(), "length {len} accepted as complete");
                assert!(check(&cut, ModelKind::Whisper).is_err());
            }
        }
    }
    assert!(truncated > 1000);
}

#[test]
fn a_missing_tensor_is_found_by_check() {
    let tmp = tempfile::tempdir().unwrap();
    let path = converted(tmp.path(), Quant::F16);
    let info = inspect(&path).unwrap();
    let last = info.tensors.last().unwrap();
    // Drop the last record: its header starts 12 + 4 * n_dims + name bytes before the data.
    let record_start = last.offset - (12 + 4 * last.ne.len() + last.name.len()) as u64;
    let bytes = std::fs::read(&path).unwrap();
    let cut = tmp.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..record_start as usize]).unwrap();
    let info = inspect(&cut).unwrap();
    assert_eq!(info.problems, vec![format!("missing tensor {}", last.name)]);
    let err = check(&cut, ModelKind::Whisper).unwrap_err();
    assert!(err.to_string().contains("missing tensor"), "{err}");
}

#[test]
fn corrupt_record_headers_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = converted(tmp.path(), Quant::F16);
    let info = inspect(&path).unwrap();
    let first = &info.tensors[0];
    let record_start =
        (first.offset - (12 + 4 * first.ne.len() + first.name.len()) as u64) as usize;
    let original = std::fs::read(&path).unwrap();
    let bad = tmp.path().join("bad.bin");
    // (field offset within the record, value, what it breaks)
    for (field, value) in [
        (0, 9i32),
        (0, -1),
        (4, 0),
        (4, 1 << 30),
        (8, 5),
        (12, 0),
        (12, -7),
    ] {
        let mut bytes = original.clone();
        bytes[record_start + field..record_start + field + 4].copy_from_slice(&value.to_le_bytes());
        std::fs::write(&bad, &bytes).unwrap();
        let err = inspect(&bad).unwrap_err();
        assert!(
            matches!(
                err,
                ModelError::BadGgml { .. } | ModelError::Truncated { .. }
            ),
            "field {field} = {value}: {err}"
        );
    }
    // A wrong but readable dimension is a problem whisper.cpp would refuse.
    let mut bytes = original.clone();
    let ne0 = record_start + 12;
    let v = i32::from_le_bytes(bytes[ne0..ne0 + 4].try_into().unwrap());
    bytes[ne0..ne0 + 4].copy_from_slice(&(v / 2).to_le_bytes());
    std::fs::write(&bad, &bytes).unwrap();
    // Halving ne0 halves the data, so the records after it are misread: any error is fine,
    // as long as the file is not accepted.
    assert!(check(&bad, ModelKind::Whisper).is_err());
}

#[test]
fn header_values_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let path = converted(tmp.path(), Quant::F16);
    let original = std::fs::read(&path).unwrap();
    let bad = tmp.path().join("bad.bin");
    // n_audio_state (offset 12) negative; n_vocab (offset 4) absurd; ftype (offset 44) unknown.
    for (offset, value) in [(12usize, -512i32), (4, 2_000_000_000)] {
        let mut bytes = original.clone();
        bytes[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
        std::fs::write(&bad, &bytes).unwrap();
        let err = inspect(&bad).unwrap_err();
        assert!(matches!(err, ModelError::BadGgml { .. }), "{err}");
    }
    let mut bytes = original.clone();
    bytes[44..48].copy_from_slice(&42i32.to_le_bytes());
    std::fs::write(&bad, &bytes).unwrap();
    let info = inspect(&bad).unwrap();
    assert_eq!(info.problems, vec!["unknown ftype 42".to_string()]);
    assert!(check(&bad, ModelKind::Whisper).is_err());
}

#[test]
fn size_names_follow_the_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let path = converted(tmp.path(), Quant::F16);
    let info = inspect(&path).unwrap();
    assert_eq!(info.size_name, "custom");
    assert!(!info.multilingual);
    assert_eq!(info.weight_type, Some(medlyt_models::GgmlType::F16));
}
