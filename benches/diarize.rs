//! Diarization speed on mono calls built from the committed fixtures, grouped by call length.
//!
//! The mono fixtures (`fixtures/calls/*-mono.wav`, `fixtures/mono/*.wav`) are concatenated
//! until the wanted length is reached. `neural` runs the speaker models (installed by
//! scripts/get-models.sh; skipped without them), `signal` the signal-feature fallback. The
//! 30-minute neural figure and its peak memory: `scripts/eval-diarization.sh`.

// criterion's macros generate undocumented functions.
#![allow(missing_docs, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use medlyt_diarize::neural::{diarize_neural, InstalledModels, NeuralOptions};
use medlyt_diarize::{diarize, DiarizeOptions};
use std::hint::black_box;
use std::path::Path;

const FILES: [&str; 6] = [
    "fixtures/calls/da-borgerservice-mono.wav",
    "fixtures/calls/da-jobcenter-mono.wav",
    "fixtures/calls/en-citizen-service-mono.wav",
    "fixtures/mono/da-same-gender.wav",
    "fixtures/mono/da-quiet-citizen.wav",
    "fixtures/mono/da-noisy-overlap.wav",
];

fn call(seconds: f64) -> Vec<i16> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pieces: Vec<Vec<i16>> = FILES
        .iter()
        .map(|f| {
            let d = medlyt_audio::decode(
                &root.join(f),
                &medlyt_audio::DecodeOptions::default(),
                &mut |_| {},
            )
            .expect("fixture decodes");
            medlyt_audio::mix_to_mono(&d)
        })
        .collect();
    let want = (seconds * 16_000.0) as usize;
    let mut out = Vec::with_capacity(want);
    for p in pieces.iter().cycle() {
        if out.len() >= want {
            break;
        }
        out.extend_from_slice(&p[..p.len().min(want - out.len())]);
    }
    out
}

fn bench(c: &mut Criterion) {
    let models_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    if let Some(Ok(models)) = InstalledModels::find(&models_dir)
        .as_ref()
        .map(InstalledModels::get)
    {
        let mut group = c.benchmark_group("diarize-neural");
        group.sample_size(10);
        for minutes in [1.0, 5.0] {
            let samples = call(minutes * 60.0);
            group.bench_with_input(BenchmarkId::new("minutes", minutes), &samples, |b, s| {
                b.iter(|| diarize_neural(models, black_box(s), &NeuralOptions::default()))
            });
        }
        group.finish();
    } else {
        eprintln!(
            "diarize-neural skipped: no speaker models in {}",
            models_dir.display()
        );
    }
    let mut group = c.benchmark_group("diarize");
    group.sample_size(10);
    for minutes in [1.0, 5.0, 30.0] {
        let samples = call(minutes * 60.0);
        group.bench_with_input(BenchmarkId::new("minutes", minutes), &samples, |b, s| {
            b.iter(|| diarize(black_box(s), &[], &DiarizeOptions::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
