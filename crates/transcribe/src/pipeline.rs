//! From a recording file to a [`Transcript`].

use crate::engine::{DecodeSettings, Engine, RawSegment, FALLBACK_BELOW, MAX_WINDOW_TOKENS};
use crate::pack::{pack, PackParams, Window};
use crate::run::{run_windows, Job};
use crate::speech::{speech_per_channel, Detector, SpeechFinder};
use crate::window::{speech_in, to_segments, window_samples};
use crate::TranscribeError;
use medlyt_core::{LanguageInfo, ModelInfo, Recording, Role, Span, Track, Transcript};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Seconds of speech the language is detected from.
const LANGUAGE_SAMPLE_S: usize = 6;

/// How the note on a call that sounds like another language begins.
pub const LANGUAGE_NOTE: &str = "the call sounds like language";

/// How sure the language check must be before a transcript notes that the call sounds like
/// another language than the one requested.
const LANGUAGE_WARN_P: f32 = 0.8;

/// The model to use, as checked by the caller.
#[derive(Debug, Clone)]
pub struct ModelSpec {
    /// Path of the ggml file.
    pub path: PathBuf,
    /// A short name for the output, e.g. `base-q8_0`.
    pub name: String,
    /// SHA-256 of the file, where known.
    pub sha256: Option<String>,
    /// Decoder layer count (chooses the DTW preset).
    pub text_layers: i32,
    /// Model width.
    pub width: i32,
    /// Whether the model knows languages other than English.
    pub multilingual: bool,
}

/// How to transcribe.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Whisper model.
    pub model: ModelSpec,
    /// The Silero VAD model; without it an energy detector finds speech.
    pub vad_model: Option<PathBuf>,
    /// `da`, `en` or `auto`.
    pub language: String,
    /// Role per channel, in channel order (default: employee, citizen).
    pub roles: Vec<Role>,
    /// CPU threads.
    pub threads: usize,
    /// Beam size (1 = greedy).
    pub beam: usize,
    /// Shrink Whisper's encoder to each window's length.
    pub fit_audio_ctx: bool,
    /// Word times from DTW alignment where the model has a preset.
    pub dtw: bool,
    /// Also detect the language when one was given (to warn when the call is in another).
    pub detect_language: bool,
    /// Tell the voices of a mono recording apart.
    pub diarize: bool,
    /// Number of voices in a mono recording (default 2).
    pub speakers: Option<usize>,
    /// The voice of a mono recording that is the employee (0 = A, the first heard), where the
    /// user says so.
    pub employee: Option<usize>,
}

/// Wall-clock seconds spent in each stage of one transcription.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Decoding and resampling the file.
    pub decode: f64,
    /// Loading the VAD model, and waiting for the Whisper model (it loads while the audio is
    /// decoded and searched).
    pub load: f64,
    /// Finding speech and removing crosstalk.
    pub speech: f64,
    /// Detecting the language.
    pub language: f64,
    /// Running Whisper on the packed windows.
    pub whisper: f64,
    /// Seconds of audio given to Whisper (speech, padding and gaps).
    pub whisper_audio: f64,
    /// Number of windows.
    pub windows: usize,
}

/// What the pipeline is doing, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// Decoding: seconds of audio done of the total.
    Decoding {
        /// Seconds decoded.
        done: f64,
        /// Seconds in the file (0 when unknown).
        total: f64,
    },
    /// Looking for speech.
    FindingSpeech,
    /// Transcribing windows: `done` of `total`.
    Transcribing {
        /// Windows done.
        done: usize,
        /// Windows in all.
        total: usize,
    },
}

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
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut lap = |slot: &mut f64| {
        *slot = clock.elapsed().as_secs_f64();
        clock = Instant::now();
    };
    if !opts.model.multilingual && opts.language != "en" && opts.language != "auto" {
        return Err(TranscribeError::Language {
            language: opts.language.clone(),
            model: opts.model.name.clone(),
        });
    }
    let info = medlyt_audio::open(path)?;
    let total = info.duration_s;
    // The Whisper model loads on its own thread while the audio is decoded and searched.
    let model = opts.model.clone();
    let dtw = opts.dtw;
    let loading = std::thread::spawn(move || {
        Engine::load(
            &model.path,
            model.text_layers,
            model.width,
            model.multilingual,
            dtw,
        )
    });
    let decoded = medlyt_audio::decode(path, &Default::default(), &mut |done| {
        progress(Progress::Decoding { done, total })
    })?;
    lap(&mut timings.decode);
    let mut finder = SpeechFinder::new(opts.vad_model.as_deref())?;
    lap(&mut timings.load);
    progress(Progress::FindingSpeech);

    let recording = Recording {
        source: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        duration: decoded.info.duration_s,
        sample_rate: decoded.info.sample_rate,
        channels: decoded.info.channels,
        codec: decoded.info.codec.clone(),
    };
    let mut transcript = Transcript::new(
        recording,
        LanguageInfo {
            requested: opts.language.clone(),
            ..Default::default()
        },
    );
    transcript.model = Some(ModelInfo {
        name: opts.model.name.clone(),
        sha256: opts.model.sha256.clone(),
    });

    // One track per party: the first two channels of a multichannel file, or the mono mix.
    let channels: Vec<&[i16]> = decoded.channels.iter().take(2).map(Vec::as_slice).collect();
    let duration = decoded.info.duration_s;
    let found = speech_per_channel(&mut finder, &channels)?;
    let speech = &found.spans;
    let mut diarization: Option<medlyt_diarize::Diarization> = None;
    if channels.len() >= 2 {
        for (i, spans) in speech.iter().enumerate() {
            let role = opts.roles.get(i).copied().unwrap_or(Role::Unknown);
            transcript.tracks.push(Track {
                id: i,
                channel: Some(i as u16),
                role,
                speaker: role.to_string(),
                speech: spans.clone(),
            });
        }
        if decoded.channels.len() > 2 {
            transcript.notes.push(format!(
                "the recording has {} channels; only the first two were transcribed",
                decoded.channels.len()
            ));
        }
    } else if opts.diarize {
        let mono_speech = speech.first().cloned().unwrap_or_default();
        let d = medlyt_diarize::diarize(
            channels[0],
            &mono_speech,
            &medlyt_diarize::DiarizeOptions {
                speakers: opts.speakers,
                ..Default::default()
            },
        );
        for k in 0..d.speakers.max(1) {
            let spans: Vec<Span> = d
                .turns
                .iter()
                .filter(|t| t.speaker == k)
                .map(|t| t.span)
                .collect();
            transcript.tracks.push(Track {
                id: k,
                channel: Some(0),
                role: Role::Unknown,
                speaker: crate::mono::LABELS
                    .get(k)
                    .copied()
                    .unwrap_or("?")
                    .to_string(),
                speech: medlyt_core::union(&spans, 0.0),
            });
        }
        transcript.notes.push(medlyt_core::notes::mono_diarized(
            d.speakers,
            &d.method,
            f64::from(d.confidence),
        ));
        diarization = Some(d);
    } else {
        transcript.tracks.push(Track {
            id: 0,
            channel: Some(0),
            role: Role::Unknown,
            speaker: Role::Unknown.to_string(),
            speech: speech.first().cloned().unwrap_or_default(),
        });
        transcript.notes.push(
            "mono recording: one track with both voices; the speaker of each segment is unknown \
             (no diarization was applied), so per-party measures are not available"
                .to_string(),
        );
    }
    if finder.detector() == Detector::Energy {
        transcript.notes.push(
            "no VAD model installed: speech was found with the energy detector (less exact); \
             run scripts/get-models.sh to install the Silero VAD model"
                .to_string(),
        );
    }

    lap(&mut timings.speech);
    let engine = loading.join().map_err(|_| {
        TranscribeError::Whisper("loading the model stopped unexpectedly".to_string())
    })??;
    let mut waited = 0.0;
    lap(&mut waited);
    timings.load += waited;
    // What goes to Whisper: each channel's own speech. A diarized mono call is transcribed once,
    // then its words are shared out between the voices.
    let sources: Vec<Vec<Span>> = if diarization.is_some() {
        speech.iter().take(1).cloned().collect()
    } else {
        transcript.tracks.iter().map(|t| t.speech.clone()).collect()
    };
    let pack_params = PackParams::default();
    let windows: Vec<Vec<Window>> = sources
        .iter()
        .map(|s| pack(s, duration, &pack_params))
        .collect();
    // Language: detect on the first window of the track with the most speech.
    // A given language is only checked (to warn when the call is in another): that costs one
    // decoder step after the busiest track's first window, so it happens with that window.
    let busiest = windows
        .iter()
        .enumerate()
        .max_by(|a, b| speech_in(a.1).total_cmp(&speech_in(b.1)))
        .map(|(track, _)| track);
    let check_language = opts.language != "auto" && opts.detect_language && opts.model.multilingual;
    let mut language = opts.language.clone();
    if opts.language == "auto" {
        if let Some((track, w)) = busiest.and_then(|t| windows[t].first().map(|w| (t, w))) {
            let mut samples = window_samples(&channels, &found.levels, track, w);
            samples.truncate(LANGUAGE_SAMPLE_S * 16000);
            let mut state = engine.state()?;
            let (code, p) = engine.detect_language(&mut state, &samples, opts.threads)?;
            transcript.language.detected = Some(code.clone());
            transcript.language.probability = Some(p);
            language = code;
        }
    }
    if language == "auto" {
        language = "en".to_string();
    }
    lap(&mut timings.language);
    let mut language_check = 0.0;

    let settings = DecodeSettings {
        threads: opts.threads,
        beam: opts.beam,
        fit_audio_ctx: opts.fit_audio_ctx,
        max_tokens: MAX_WINDOW_TOKENS,
        fallback_below: FALLBACK_BELOW,
    };
    let jobs: Vec<Job> = windows
        .iter()
        .enumerate()
        .flat_map(|(track, track_windows)| {
            track_windows
                .iter()
                .enumerate()
                .map(move |(i, window)| Job {
                    track,
                    window,
                    check_language: check_language && i == 0 && Some(track) == busiest,
                })
        })
        .collect();
    let mut results: Vec<Vec<(Window, Vec<RawSegment>)>> = vec![Vec::new(); jobs.len()];
    let mut done = 0;
    progress(Progress::Transcribing {
        done,
        total: jobs.len(),
    });
    let samples = |track: usize, w: &Window| window_samples(&channels, &found.levels, track, w);
    run_windows(&engine, &jobs, &samples, &language, &settings, &mut |d| {
        timings.whisper_audio += d.audio_s;
        if let Some((code, p, seconds)) = d.language {
            transcript.language.detected = Some(code);
            transcript.language.probability = Some(p);
            language_check = seconds;
        }
        results[d.job] = d.parts;
        done += 1;
        progress(Progress::Transcribing {
            done,
            total: jobs.len(),
        });
    })?;
    let mut suppressed = 0usize;
    for (job, parts) in jobs.iter().zip(results) {
        for (window, raw) in parts {
            for seg in raw {
                let (segs, dropped) =
                    to_segments(job.track, &seg, &window, channels[job.track], &language);
                suppressed += dropped;
                match &diarization {
                    None => transcript.segments.extend(segs),
                    Some(d) => {
                        for seg in segs {
                            transcript.segments.extend(crate::mono::split_by_speaker(
                                seg,
                                d,
                                channels[0],
                            ));
                        }
                    }
                }
            }
        }
    }
    if let (Some(heard), Some(p)) = (
        &transcript.language.detected,
        transcript.language.probability,
    ) {
        if opts.language != "auto" && *heard != opts.language && p >= LANGUAGE_WARN_P {
            transcript.notes.push(format!(
                "{LANGUAGE_NOTE} '{heard}' (probability {p:.2}), not the requested \
                 '{}': if so, transcribe again with --language {heard} or --language auto",
                opts.language
            ));
        }
    }
    if suppressed > 0 {
        transcript.notes.push(format!(
            "{suppressed} segment(s) of text invented by the model (in silence or noise, or that it could not place in the audio) were removed"
        ));
    }
    transcript.sort_segments();
    if diarization.is_some() {
        let note = crate::mono::assign_roles(&mut transcript, opts.employee);
        transcript.notes.push(note);
        for t in &mut transcript.tracks {
            t.speaker = format!("{} ({})", t.speaker, t.role);
        }
    }
    timings.windows = jobs.len();
    lap(&mut timings.whisper);
    timings.whisper -= language_check;
    timings.language += language_check;
    Ok((transcript, timings))
}
