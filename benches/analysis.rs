//! Analysis and report speed on synthetic calls built in code, grouped by call length.
//!
//! The calls alternate employee and citizen utterances of two to eight seconds with short
//! overlaps, backchannels, questions, cue words, word timings and loudness, so every measure
//! has work to do.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use medlyt_analysis::{analyze, Config};
use medlyt_core::{Lang, LanguageInfo, Recording, Segment, Span, Transcript, Word};
use std::hint::black_box;

const EMPLOYEE: [&str; 6] = [
    "Goddag, du taler med Anna fra Borgerservice. Hvad kan jeg hjælpe dig med?",
    "Kan du fortælle, hvad der står i brevet?",
    "Jeg kan godt forstå, at du er frustreret. Det næste der sker er, at jeg sender et brev.",
    "Afgørelsen er truffet jf. § 59, det vil sige efter reglerne om hjælp til husleje.",
    "Hvornår fik du brevet? Og har du læst det hele?",
    "Så for at opsummere: du hører fra os inden for to uger.",
];
const CITIZEN: [&str; 6] = [
    "Jeg har fået et brev om min ydelse, og det forstår jeg ikke.",
    "Det er fuldstændig urimeligt, og jeg vil klage over det.",
    "Mm.",
    "Jeg har ringet tre gange, og ingen har ringet tilbage til mig.",
    "Ja.",
    "Okay, tusind tak for hjælpen.",
];

fn call(seconds: f64) -> Transcript {
    let mut t = Transcript::new(
        Recording {
            source: "synthetic.wav".into(),
            duration: seconds,
            sample_rate: 16_000,
            channels: 2,
            codec: "wav/pcm_s16le".into(),
        },
        LanguageInfo {
            requested: "da".into(),
            detected: Some("da".into()),
            probability: Some(0.98),
        },
    );
    t.add_stereo_tracks();
    let (mut at, mut i) = (0.5, 0usize);
    while at < seconds - 10.0 {
        let track = i % 2;
        let text = if track == 0 {
            EMPLOYEE[(i / 2) % 6]
        } else {
            CITIZEN[(i / 2) % 6]
        };
        let length = 2.0 + (i % 7) as f64;
        // Every fifth utterance starts 0.8 s early (an overlap); the rest after a short pause.
        let start = if i % 5 == 4 { at - 0.8 } else { at };
        let end = start + length;
        let n = text.split_whitespace().count().max(1);
        let words = text
            .split_whitespace()
            .enumerate()
            .map(|(k, w)| Word {
                text: w.into(),
                start: start + length * k as f64 / n as f64,
                end: start + length * (k + 1) as f64 / n as f64,
                probability: 0.6 + 0.4 * ((k * 7 + i) % 10) as f32 / 10.0,
            })
            .collect();
        t.tracks[track].speech.push(Span::new(start, end));
        t.segments.push(Segment {
            track,
            start,
            end,
            text: text.into(),
            probability: 0.9,
            words,
            loudness_dbfs: Some(-20.0 + (i % 11) as f32),
        });
        at = end + 0.3 + (i % 3) as f64 * 0.5;
        i += 1;
    }
    t.sort_segments();
    t
}

fn bench(c: &mut Criterion) {
    let config = Config::for_lang(Lang::Da);
    let mut group = c.benchmark_group("analyze");
    group.sample_size(20);
    for minutes in [5u32, 60] {
        let t = call(f64::from(minutes) * 60.0);
        group.bench_with_input(BenchmarkId::new("call_minutes", minutes), &t, |b, t| {
            b.iter(|| analyze(black_box(t), &config))
        });
    }
    group.finish();

    let t = call(3600.0);
    let analysis = analyze(&t, &config);
    let mut group = c.benchmark_group("report");
    group.sample_size(20);
    group.bench_function("markdown_60_minutes", |b| {
        b.iter(|| medlyt_report::markdown(black_box(&analysis), Lang::Da))
    });
    group.bench_function("json_60_minutes", |b| {
        b.iter(|| medlyt_report::json(black_box(&analysis)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
