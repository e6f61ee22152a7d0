//! Silero VAD safetensors to ggml, with a synthetic safetensors file of the real shapes.

use std::path::Path;

use medlyt_models::{check, import_silero, inspect, ModelError, ModelKind};

use crate::support::made_up;

/// (name, shape) of Silero VAD v6's 16 kHz weights.
const SHAPES: &[(&str, &[usize])] = &[
    ("stft_conv.weight", &[258, 1, 256]),
    ("conv1.weight", &[128, 129, 3]),
    ("conv1.bias", &[128]),
    ("conv2.weight", &[64, 128, 3]),
    ("conv2.bias", &[64]),
    ("conv3.weight", &[64, 64, 3]),
    ("conv3.bias", &[64]),
    ("conv4.weight", &[128, 64, 3]),
    ("conv4.bias", &[128]),
    ("lstm_cell.weight_ih", &[512, 128]),
    ("lstm_cell.weight_hh", &[512, 128]),
    ("lstm_cell.bias_ih", &[512]),
    ("lstm_cell.bias_hh", &[512]),
    ("final_conv.weight", &[1, 128, 1]),
    ("final_conv.bias", &[1]),
];

fn values(name: &str) -> Vec<f32> {
    let i = SHAPES.iter().position(|(n, _)| *n == name).unwrap();
    made_up(i + 50, SHAPES[i].1.iter().product())
}

fn write_safetensors(path: &Path, skip: Option<&str>) {
    let mut header = serde_json::Map::new();
    header.insert("__metadata__".into(), serde_json::json!({"format": "pt"}));
    let mut data = Vec::new();
    for (name, shape) in SHAPES {
        if Some(*name) == skip {
            continue;
        }
        let start = data.len();
        data.extend(values(name).iter().flat_map(|v| v.to_le_bytes()));
        header.insert(
            (*name).into(),
            serde_json::json!({"dtype": "F32", "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    let header = serde_json::Value::Object(header).to_string();
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&data);
    std::fs::write(path, out).unwrap();
}

fn i32s(bytes: &[u8]) -> Vec<i32> {
    bytes
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

#[test]
fn converts_with_header_and_tensor_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("vad.safetensors");
    write_safetensors(&src, None);
    let out = tmp.path().join("vad.bin");
    let s = import_silero(&src, &out).unwrap();
    assert_eq!((s.n_tensors, s.encoder_layers, s.lstm_hidden), (15, 4, 128));

    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(s.bytes, bytes.len() as u64);
    assert_eq!(&bytes[..4], &0x6767_6d6cu32.to_le_bytes());
    assert_eq!(i32s(&bytes[4..8]), [10]);
    assert_eq!(&bytes[8..18], b"silero-16k");
    let header = i32s(&bytes[18..18 + 4 * 22]);
    let expected = [
        6, 2, 0, 512, 64, 4, 129, 128, 3, 128, 64, 3, 64, 64, 3, 64, 128, 3, 128, 128, 128, 1,
    ];
    assert_eq!(header, expected);

    let info = check(&out, ModelKind::Vad).unwrap();
    assert_eq!(info.tensors.len(), 15);
    assert_eq!(info.layers, (4, 0));
    let t = |n: &str| info.tensors.iter().find(|t| t.name == n).unwrap().clone();
    assert_eq!(t("_model.decoder.decoder.2.weight").ne, vec![128, 1]);
    assert_eq!(t("_model.stft.forward_basis_buffer").ne, vec![256, 1, 258]);
    assert_eq!(
        t("_model.encoder.0.reparam_conv.weight").ne,
        vec![3, 129, 128]
    );
    assert_eq!(t("_model.decoder.rnn.weight_hh").ne, vec![128, 512]);

    // f32 tensors are copied exactly, f16 ones rounded.
    let read = |n: &str| {
        let ti = t(n);
        bytes[ti.offset as usize..(ti.offset + ti.bytes) as usize].to_vec()
    };
    let ih: Vec<f32> = read("_model.decoder.rnn.weight_ih")
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(ih, values("lstm_cell.weight_ih"));
    let fc: Vec<f32> = read("_model.decoder.decoder.2.weight")
        .chunks_exact(2)
        .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
        .collect();
    let want: Vec<f32> = values("final_conv.weight")
        .iter()
        .map(|&v| half::f16::from_f32(v).to_f32())
        .collect();
    assert_eq!(fc, want);
}

#[test]
fn missing_tensor_and_bad_header_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("vad.safetensors");
    write_safetensors(&src, Some("lstm_cell.bias_hh"));
    let err = import_silero(&src, &tmp.path().join("o.bin")).unwrap_err();
    assert!(
        matches!(&err, ModelError::MissingTensor { name } if name == "lstm_cell.bias_hh"),
        "{err}"
    );

    std::fs::write(&src, u64::MAX.to_le_bytes()).unwrap();
    let err = import_silero(&src, &tmp.path().join("o.bin")).unwrap_err();
    assert!(matches!(err, ModelError::BadSafetensors { .. }), "{err}");
    assert!(!tmp.path().join("o.bin").exists());
}

#[test]
fn vad_file_is_not_a_whisper_model() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("vad.safetensors");
    write_safetensors(&src, None);
    let out = tmp.path().join("vad.bin");
    import_silero(&src, &out).unwrap();
    assert_eq!(inspect(&out).unwrap().kind, ModelKind::Vad);
    let err = check(&out, ModelKind::Whisper).unwrap_err();
    assert!(
        matches!(
            err,
            ModelError::WrongKind {
                expected: ModelKind::Whisper,
                actual: ModelKind::Vad,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn nan_weights_are_refused_on_import_and_by_inspect() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("vad.safetensors");
    write_safetensors(&src, None);
    // A NaN in the LSTM weights of the source: refused, nothing written.
    let mut bytes = std::fs::read(&src).unwrap();
    let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + header_len]).unwrap();
    let at = 8
        + header_len
        + header["lstm_cell.weight_ih"]["data_offsets"][0]
            .as_u64()
            .unwrap() as usize;
    bytes[at..at + 4].copy_from_slice(&f32::NAN.to_le_bytes());
    let nan_src = tmp.path().join("nan.safetensors");
    std::fs::write(&nan_src, &bytes).unwrap();
    let out = tmp.path().join("nan.bin");
    let err = import_silero(&nan_src, &out).unwrap_err();
    assert!(err.to_string().contains("not numbers"), "{err}");
    assert!(!out.exists());
    let left = std::fs::read_dir(tmp.path()).unwrap().count();
    assert_eq!(left, 2, "a temporary file was left");

    // A NaN written into a converted file: inspect lists it, check refuses it.
    let good = tmp.path().join("vad.bin");
    import_silero(&src, &good).unwrap();
    let info = inspect(&good).unwrap();
    assert!(info.problems.is_empty(), "{:?}", info.problems);
    let t = info
        .tensors
        .iter()
        .find(|t| t.name == "_model.decoder.rnn.weight_hh")
        .unwrap();
    let mut model = std::fs::read(&good).unwrap();
    let o = t.offset as usize + 8;
    model[o..o + 4].copy_from_slice(&f32::NAN.to_le_bytes());
    std::fs::write(&good, &model).unwrap();
    let info = inspect(&good).unwrap();
    assert!(
        info.problems.iter().any(
            |p| p.contains("_model.decoder.rnn.weight_hh holds 1 weights that are not numbers")
        ),
        "{:?}",
        info.problems
    );
    let err = check(&good, ModelKind::Vad).unwrap_err();
    assert!(matches!(err, ModelError::BadGgml { .. }), "{err}");
}
