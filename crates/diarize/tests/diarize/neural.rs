//! The Rust speaker networks against reference outputs computed once outside medlyt
//! (`scripts/reference/make_speaker_refs.py`): pyannote's segmentation-3.0 ONNX export in
//! onnxruntime, and CAM++ with Kaldi fbank (kaldi-native-fbank) and a numpy forward pass.
//! Needs the imported speaker models (scripts/get-models.sh); skipped without them unless
//! MEDLYT_REQUIRE_MODELS is set.

use medlyt_diarize::neural::{fbank::Fbank, segmentation, SpeakerModels};
use ndarray::Axis;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The imported models, or `None` (a failure where MEDLYT_REQUIRE_MODELS is set).
pub fn models() -> Option<SpeakerModels> {
    let seg = root().join("models/speaker-segmentation-3.0.safetensors");
    let emb = root().join("models/speaker-campplus-cn-en.safetensors");
    if !seg.exists() || !emb.exists() {
        assert!(
            std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
            "speaker models missing in models/: run scripts/get-models.sh"
        );
        eprintln!("skipped: speaker models missing in models/");
        return None;
    }
    Some(SpeakerModels::load(&seg, &emb).expect("speaker models load"))
}

fn reference(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn samples(rel: &str, channel: usize, start: usize, n: usize) -> Vec<f32> {
    let decoded =
        medlyt_audio::decode(&root().join(rel), &Default::default(), &mut |_| {}).unwrap();
    decoded.channels[channel][start..start + n]
        .iter()
        .map(|&s| s as f32 / 32768.0)
        .collect()
}

fn floats(v: &serde_json::Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

#[test]
fn segmentation_matches_the_onnx_reference() {
    let Some(m) = models() else { return };
    let r = reference("segmentation-ref.json");
    let x = samples(r["input"].as_str().unwrap(), 0, 0, segmentation::CHUNK);
    let out = m.segmentation.run(&[&x]).remove(0);
    let want: Vec<Vec<f32>> = r["log_probs"]
        .as_array()
        .unwrap()
        .iter()
        .map(floats)
        .collect();
    assert_eq!(out.nrows(), want.len());
    let mut worst = 0f32;
    let mut same_class = 0;
    for (row, w) in out.axis_iter(Axis(0)).zip(&want) {
        for (a, b) in row.iter().zip(w) {
            // Compare probabilities: log-probabilities of near-impossible classes are unstable.
            worst = worst.max((a.exp() - b.exp()).abs());
        }
        let argmax = |v: &mut dyn Iterator<Item = f32>| {
            v.enumerate()
                .fold((0, f32::MIN), |b, (i, x)| if x > b.1 { (i, x) } else { b })
                .0
        };
        same_class +=
            usize::from(argmax(&mut row.iter().copied()) == argmax(&mut w.iter().copied()));
    }
    eprintln!(
        "segmentation: largest probability difference {worst:.2e}, same class {same_class}/{}",
        want.len()
    );
    assert!(worst < 2e-3, "largest probability difference {worst}");
    assert_eq!(same_class, want.len());
}

#[test]
fn fbank_and_campplus_match_the_reference() {
    let Some(m) = models() else { return };
    let r = reference("campplus-ref.json");
    let start = r["start_sample"].as_u64().unwrap() as usize;
    let n = r["samples"].as_u64().unwrap() as usize;
    let x = samples(r["input"].as_str().unwrap(), 0, start, n);
    let feats = Fbank::new().compute(&x);
    assert_eq!(feats.nrows(), r["fbank_frames"].as_u64().unwrap() as usize);
    let mut worst = 0f32;
    for (i, row) in r["fbank_first"].as_array().unwrap().iter().enumerate() {
        for (a, b) in feats.row(i).iter().zip(floats(row)) {
            worst = worst.max((a - b).abs());
        }
    }
    let mean = feats.mean_axis(Axis(0)).unwrap();
    for (a, b) in mean.iter().zip(floats(&r["fbank_mean"])) {
        worst = worst.max((a - b).abs());
    }
    eprintln!("fbank: largest difference {worst:.2e} (log energy)");
    assert!(worst < 2e-3, "fbank differs by {worst}");
    let normed = &feats - &mean.insert_axis(Axis(0));
    let e = m.embedding.embed(normed.view());
    let want = floats(&r["embedding"]);
    let dot: f32 = e.iter().zip(&want).map(|(a, b)| a * b).sum();
    let cos = dot / (e.dot(&e).sqrt() * want.iter().map(|v| v * v).sum::<f32>().sqrt());
    let scale = want.iter().fold(0f32, |m, v| m.max(v.abs()));
    let worst = e
        .iter()
        .zip(&want)
        .fold(0f32, |m, (a, b)| m.max((a - b).abs()));
    eprintln!("campplus: cosine to reference {cos:.6}, largest difference {worst:.2e} (values up to {scale:.2})");
    assert!(cos > 0.9999, "cosine {cos}");
    assert!(worst < 1e-3 * scale.max(1.0), "largest difference {worst}");
}

fn real(name: &str) -> (medlyt_diarize::eval::Truth, Vec<i16>, bool) {
    let path = root().join("fixtures/real").join(format!("{name}.json"));
    let truth = medlyt_diarize::eval::Truth::load(&path).unwrap();
    let decoded = medlyt_audio::decode(
        &path.with_extension("wav"),
        &Default::default(),
        &mut |_| {},
    )
    .unwrap();
    let narrowband = medlyt_diarize::neural::is_narrowband(decoded.info.sample_rate);
    (truth, medlyt_audio::mix_to_mono(&decoded), narrowband)
}

#[test]
fn real_voices_are_counted_and_told_apart() {
    let Some(m) = models() else { return };
    use medlyt_diarize::neural::{diarize_neural, NeuralOptions};
    let (truth, samples, narrowband) = real("real-nl-fish-tel");
    let d = diarize_neural(
        &m,
        &samples,
        &NeuralOptions {
            narrowband,
            ..Default::default()
        },
    );
    let s = medlyt_diarize::eval::score(&d, &truth, 0.0);
    eprintln!(
        "real-nl-fish-tel: {} speakers, DER {:.3}, talk-share error {:.1} pp",
        d.speakers,
        s.der(),
        s.share_error_pp()
    );
    assert_eq!(d.speakers, 2);
    assert!(s.der() < 0.3 && s.share_error_pp() < 5.0, "{s:?}");
    assert!(
        !d.overlaps.is_empty(),
        "the interruptions' overlaps are found"
    );
    let (_, samples, _) = real("real-nl-mono");
    assert_eq!(
        diarize_neural(&m, &samples, &NeuralOptions::default()).speakers,
        1
    );
}

#[test]
fn the_number_of_speakers_can_be_forced() {
    let Some(m) = models() else { return };
    use medlyt_diarize::neural::{diarize_neural, NeuralOptions};
    let (_, samples, _) = real("real-nl-mono");
    let d = diarize_neural(
        &m,
        &samples,
        &NeuralOptions {
            speakers: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(d.speakers, 2);
    let silence = vec![0i16; 16_000 * 12];
    let d = diarize_neural(&m, &silence, &NeuralOptions::default());
    assert_eq!((d.speakers, d.turns.len()), (0, 0));
    assert_eq!(
        diarize_neural(&m, &[], &NeuralOptions::default()).speakers,
        0
    );
}
