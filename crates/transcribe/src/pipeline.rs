//! From a recording file to a [`Transcript`], stage by stage: decode the file ([`decode`]),
//! find the speech on each party channel and give it a track ([`channels`]), pack the speech
//! into windows ([`SpeechPlan`]), choose the language ([`language`]), run Whisper on every window
//! ([`decode_windows`]), map its text onto the recording ([`segments`]), put the transcript
//! together, and in a diarized mono recording tell the voices apart ([`mono`]).

use crate::channels::{self, ChannelPlan};
use crate::decode::{self, DecodedAudio};
use crate::jobs::{decode_windows, DecodedWindows};
use crate::language::{self, LanguageDecision};
use crate::load::ModelLoading;
use crate::mono;
use crate::options::Options;
use crate::plan::SpeechPlan;
use crate::progress::Progress;
use crate::segments::{self, Segments};
use crate::speech::SpeechFinder;
use crate::timings::{Stopwatch, Timings};
use crate::TranscribeError;
use medlyt_core::{ModelInfo, Transcript};
use std::path::Path;

/// Transcribes one recording.
pub fn transcribe(
    path: &Path,
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Transcript, TranscribeError> {
    transcribe_timed(path, opts, progress).map(|(t, _)| t)
}

/// [`transcribe`], also returning how long each stage took.
pub fn transcribe_timed(
    path: &Path,
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Transcript, Timings), TranscribeError> {
    language::check_model(opts)?;
    let mut clock = Stopwatch::start();
    let mut timings = Timings::default();
    let file = decode::open(path)?;
    let loading = ModelLoading::start(&opts.model, opts.dtw);
    let audio = file.decode(progress)?;
    timings.decode = clock.lap();
    let mut finder = SpeechFinder::new(opts.vad_model.as_deref())?;
    timings.load = clock.lap();

    progress(Progress::FindingSpeech);
    let channels = channels::plan(&audio, &mut finder, opts)?;
    let voices = mono::load_speaker_models(&channels, opts)?;
    timings.speech = clock.lap();
    let engine = loading.wait()?;
    timings.load += clock.lap();

    let plan = SpeechPlan::pack(&channels.tracks, audio.duration());
    let language = language::decide(&engine, &channels, &plan, opts)?;
    timings.language = clock.lap();

    let decoded = decode_windows(&engine, &channels, &plan, &language, opts, progress)?;
    let segments = segments::map(&decoded, &channels, &language.code);
    timings.whisper = clock.lap();
    count_whisper(&mut timings, &decoded);

    let mono_channel = channels.mono_to_diarize();
    let mut transcript = assemble(&audio, opts, channels, language, decoded, segments);
    if let Some(samples) = mono_channel {
        mono::tell_voices_apart(&mut transcript, samples, voices, opts);
        timings.speech += clock.lap();
    }
    transcript.sort_segments();
    if transcript.segments.iter().all(|s| s.text.trim().is_empty()) {
        transcript.notes.push(medlyt_core::notes::no_speech());
    }
    Ok((transcript, timings))
}

/// Moves the language check (done while Whisper decoded its window) from Whisper's time to the
/// language's, and counts the windows and their audio.
fn count_whisper(timings: &mut Timings, decoded: &DecodedWindows) {
    timings.whisper -= decoded.language_check_s;
    timings.language += decoded.language_check_s;
    timings.windows = decoded.windows.len();
    timings.whisper_audio = decoded.audio_s;
}

/// The transcript of what the stages found, its segments not yet sorted. Its notes come in a
/// fixed order: samples of the file that were not numbers, how the channels became tracks, how
/// speech was found, the language heard, and the invented text removed.
fn assemble(
    audio: &DecodedAudio,
    opts: &Options,
    channels: ChannelPlan,
    language: LanguageDecision,
    decoded: DecodedWindows,
    segments: Segments,
) -> Transcript {
    let heard = decoded.heard.clone().or(language.detected.clone());
    let mut transcript = Transcript::new(
        audio.recording.clone(),
        language::info(&opts.language, heard),
    );
    let language_notes = language::notes(&transcript.language, &language);
    transcript.model = Some(ModelInfo {
        name: opts.model.name.clone(),
        sha256: opts.model.sha256.clone(),
    });
    let not_numbers =
        (audio.non_finite > 0).then(|| medlyt_core::notes::samples_not_numbers(audio.non_finite));
    let cut = audio
        .ends_early
        .then(|| medlyt_core::notes::ends_early(audio.duration()));
    let one_signal = audio
        .one_signal
        .map(|levels| medlyt_core::notes::one_signal(levels.apart_share));
    transcript.notes = [
        not_numbers,
        cut,
        one_signal,
        channels.note,
        channels.detector_note,
    ]
    .into_iter()
    .flatten()
    .chain(language_notes)
    .chain(segments.note())
    .collect();
    transcript.tracks = channels.tracks;
    transcript.segments = segments.segments;
    transcript
}
