//! Neural speaker models: pyannote segmentation-3.0 (who of up to three local speakers
//! talks in each frame of a 10 s chunk, overlaps included) and CAM++ embeddings (which
//! voice it is), run in pure Rust.

pub mod campplus;
mod chunks;
mod cluster;
mod edges;
pub mod fbank;
mod nn;
mod recheck;
mod reseg;
pub mod segmentation;
mod stitch;
mod verify;

use crate::{Diarization, Turn, MAX_SPEAKERS};
use medlyt_models::{load_speaker_model, ModelError, SpeakerKind};
use ndarray::Array1;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// File name of the imported segmentation model in a models folder.
pub const SEGMENTATION_FILE: &str = "speaker-segmentation-3.0.safetensors";
/// File name of the imported CAM++ model in a models folder.
pub const EMBEDDING_FILE: &str = "speaker-campplus-cn-en.safetensors";

/// Both networks, loaded and checked.
pub struct SpeakerModels {
    /// Local segmentation.
    pub segmentation: segmentation::Segmentation,
    /// Speaker embeddings.
    pub embedding: campplus::Campplus,
    /// The filter bank the embeddings need.
    pub fbank: fbank::Fbank,
}

impl std::fmt::Debug for SpeakerModels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SpeakerModels { segmentation-3.0, CAM++ }")
    }
}

impl SpeakerModels {
    /// Loads the segmentation and embedding files medlyt imported.
    pub fn load(segmentation: &Path, embedding: &Path) -> Result<SpeakerModels, ModelError> {
        let seg = load_speaker_model(segmentation)?;
        let emb = load_speaker_model(embedding)?;
        for (m, want, path) in [
            (&seg, SpeakerKind::Segmentation, segmentation),
            (&emb, SpeakerKind::Campplus, embedding),
        ] {
            if m.kind != want {
                return Err(ModelError::BadSpeakerModel {
                    path: path.to_path_buf(),
                    reason: format!("holds a {} model, expected {}", m.kind.name(), want.name()),
                });
            }
        }
        Ok(SpeakerModels {
            segmentation: segmentation::Segmentation::new(&seg)?,
            embedding: campplus::Campplus::new(&emb)?,
            fbank: fbank::Fbank::new(),
        })
    }
}

/// The speaker models installed in a models folder, loaded and checked the first time a
/// recording needs them (only mono recordings do), and then shared by every later one.
#[derive(Debug)]
pub struct InstalledModels {
    dir: PathBuf,
    loaded: OnceLock<Result<SpeakerModels, String>>,
}

impl InstalledModels {
    /// The models in `dir` ([`SEGMENTATION_FILE`], [`EMBEDDING_FILE`]), or `None` when either
    /// file is missing. Nothing is read yet.
    pub fn find(dir: &Path) -> Option<InstalledModels> {
        let both = dir.join(SEGMENTATION_FILE).exists() && dir.join(EMBEDDING_FILE).exists();
        both.then(|| InstalledModels {
            dir: dir.to_path_buf(),
            loaded: OnceLock::new(),
        })
    }

    /// The folder they are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Both networks, loaded on the first call; the error says which file is unusable and why.
    pub fn get(&self) -> Result<&SpeakerModels, String> {
        self.loaded
            .get_or_init(|| {
                SpeakerModels::load(
                    &self.dir.join(SEGMENTATION_FILE),
                    &self.dir.join(EMBEDDING_FILE),
                )
                .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Whether a recording at `sample_rate` (of its file) is narrowband: telephony at 8 kHz or
/// less, without the upper half of the spectrum the embeddings were trained on.
pub fn is_narrowband(sample_rate: u32) -> bool {
    sample_rate <= 8000
}

/// Settings of [`diarize_neural`].
#[derive(Debug, Clone, PartialEq)]
pub struct NeuralOptions {
    /// Exactly this many speakers (1 to 4); `None` estimates the number.
    pub speakers: Option<usize>,
    /// A local speaker is active where the segmentation gives it at least this probability
    /// (0.5 or more: the most likely powerset class decides).
    pub onset: f32,
    /// Most seconds between the starts of the 10 s chunks; shorter recordings take smaller
    /// steps, so that each has at least `min_chunks` chunks (steps of at least 1 s) and at
    /// least `dense_chunks` where steps of `dense_step_s` or more allow.
    pub step_s: f64,
    /// Chunks a recording gets at least, where steps of 1 s allow.
    pub min_chunks: usize,
    /// Chunks a recording of a few minutes gets at least, where steps of `dense_step_s`
    /// allow (so a 5-minute call is heard by four chunks at every moment, a 30-minute one
    /// by two).
    pub dense_chunks: usize,
    /// The smallest step that `dense_chunks` asks for (seconds).
    pub dense_step_s: f64,
    /// Seconds of each local speaker of a chunk that are embedded (those nearest the
    /// chunk's middle).
    pub embed_s: f64,
    /// Voices closer than this cosine distance (average linkage) are one speaker.
    pub threshold: f32,
    /// The same for narrowband audio (recorded at 8 kHz or less, e.g. telephony): without the
    /// upper half of the spectrum the voices' embeddings lie closer together.
    pub narrowband_threshold: f32,
    /// In narrowband audio the last two voices large enough to be speakers stay apart beyond
    /// this distance (a call has two parties more often than three; wideband audio uses
    /// `threshold` for this too).
    pub narrowband_last_split_threshold: f32,
    /// Whether the recording is narrowband ([`is_narrowband`]).
    pub narrowband: bool,
    /// A voice with less than this share of the speech is folded into the nearest other.
    pub min_share: f64,
    /// The same for narrowband audio, whose small groups are more often one voice's
    /// stray embeddings than a voice of their own.
    pub narrowband_min_share: f64,
    /// So is a voice with less than this many seconds of speech alone.
    pub min_speaker_s: f64,
    /// Distance counted between two local speakers of one chunk in the clustering.
    pub same_chunk_distance: f32,
    /// Share of the chunks with two local speakers each alone for 1 s or more from which a
    /// recording has at least two speakers.
    pub two_voice_share: f64,
    /// The same for narrowband audio, where the segmentation more often hears one voice as
    /// two.
    pub narrowband_two_voice_share: f64,
    /// The stitched turns are cut into pieces of this length to twice it (seconds), and
    /// each is embedded again and moved to the speaker it is clearly nearest; `None` skips
    /// this check.
    pub recheck_piece_s: Option<f64>,
    /// Pieces shorter than this (seconds) are not checked.
    pub recheck_min_s: f64,
    /// How much nearer (cosine) the other speaker must be for a piece to move, as a share of
    /// the cosine distance between the two speakers' centroids.
    pub recheck_margin: f32,
    /// Seconds of speech pooled into each 0.1 s step's embedding in the frame
    /// re-segmentation; `None` skips it.
    pub reseg_window_s: Option<f64>,
    /// Pauses bridged by a step's window there (seconds); a longer pause bounds it.
    pub reseg_island_gap_s: f64,
    /// What a change of voice costs there (summed cosine similarity).
    pub reseg_penalty: f32,
    /// What a step's present voice gets extra there (cosine similarity).
    pub reseg_keep_bonus: f32,
    /// Pauses of one speaker shorter than this (seconds) are bridged.
    pub min_gap_s: f64,
    /// A turn's start moves past quiet frames, at most this far (seconds; 0 keeps it).
    pub edge_trim_s: f64,
    /// A turn's end moves on over frames that still sound, at most this far (seconds).
    pub edge_extend_s: f64,
    /// A frame sounds when it is this many dB above the recording's noise floor.
    pub edge_above_floor_db: f32,
    /// A turn is split where it falls quiet for this long (seconds); `None` keeps it whole.
    pub pause_s: Option<f64>,
    /// Seconds of one voice's speech (where it alone is heard) pooled into each embedding of
    /// the whole-speech check, which joins voices that sound alike; `None` skips it.
    pub verify_block_s: Option<f64>,
    /// Most such embeddings per voice, spread over the call.
    pub verify_max_blocks: usize,
    /// Two voices whose whole-speech embeddings are at least this similar (cosine) are one.
    pub same_voice: f32,
    /// The same for narrowband audio, where the voices of two people lie closer together;
    /// `None`: narrowband voices are never joined this way (two people on a phone line can
    /// be as alike as one voice heard twice).
    pub narrowband_same_voice: Option<f32>,
    /// Worker threads.
    pub threads: usize,
}

impl Default for NeuralOptions {
    fn default() -> Self {
        NeuralOptions {
            speakers: None,
            onset: 0.5,
            step_s: 5.0,
            min_chunks: 24,
            dense_chunks: 120,
            dense_step_s: 2.5,
            embed_s: 3.0,
            threshold: 0.6,
            narrowband_threshold: 0.45,
            narrowband_last_split_threshold: 0.35,
            narrowband: false,
            min_share: 0.02,
            narrowband_min_share: 0.1,
            min_speaker_s: 1.0,
            same_chunk_distance: 1.0,
            two_voice_share: 0.2,
            narrowband_two_voice_share: 0.4,
            recheck_piece_s: Some(1.0),
            recheck_min_s: 0.5,
            recheck_margin: 0.15,
            reseg_window_s: Some(1.5),
            reseg_island_gap_s: 0.1,
            reseg_penalty: 0.5,
            reseg_keep_bonus: 0.0,
            min_gap_s: 0.1,
            edge_trim_s: 0.3,
            edge_extend_s: 0.2,
            edge_above_floor_db: 10.0,
            pause_s: Some(0.3),
            verify_block_s: Some(6.0),
            verify_max_blocks: 12,
            same_voice: 0.65,
            narrowband_same_voice: None,
            threads: 2,
        }
    }
}

/// Samples between chunk starts for a recording of `len` samples: the step that gives
/// `dense_chunks` chunks, but no less than `dense_step_s`; no more than `max_step_s`; and
/// small enough for `min_chunks` chunks, with steps of at least 1 s.
fn step_samples(opts: &NeuralOptions, len: usize) -> usize {
    let span = len.saturating_sub(segmentation::CHUNK) as f64;
    let even = |n: usize| span / n.max(1) as f64;
    let dense = even(opts.dense_chunks).max(opts.dense_step_s * 16_000.0);
    let step = dense
        .min(even(opts.min_chunks))
        .min(opts.step_s * 16_000.0)
        .max(16_000.0);
    step.round() as usize
}

/// Who speaks when in `samples` (16 kHz mono), with the neural models: chunks segmented
/// and embedded, local speakers clustered, their activity stitched into turns, the turns
/// re-checked piece by piece, the changes of voice moved to where the frames' embeddings
/// turn, and the edges put where the sound starts and ends.
pub fn diarize_neural(
    models: &SpeakerModels,
    samples: &[i16],
    opts: &NeuralOptions,
) -> Diarization {
    let step = step_samples(opts, samples.len());
    let embed = (opts.embed_s * 16_000.0).round().max(4000.0) as usize;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .ok();
    let analysed = on_pool(pool.as_ref(), || {
        chunks::analyse(models, samples, step, embed, opts.onset)
    });
    let clusters = cluster::cluster(&analysed, &cluster_params(opts, &analysed, samples.len()));
    let k = clusters.centroids.len();
    let turns = stitch::stitch(
        &analysed,
        &clusters.labels,
        k,
        samples.len(),
        opts.min_gap_s,
    );
    let turns = check_turns(
        models,
        samples,
        turns,
        &clusters.centroids,
        opts,
        pool.as_ref(),
    );
    let turns = edges::fit_edges(samples, turns, &edge_params(opts));
    let (turns, joined) = match (opts.speakers, verify_params(opts)) {
        (None, Some(p)) => on_pool(pool.as_ref(), || {
            verify::merge_alike(models, samples, turns, k, &p)
        }),
        _ => (turns, Vec::new()),
    };
    let overlaps = edges::overlaps(&turns);
    let turns = crate::turns::renumber(turns);
    let speakers = turns.iter().map(|t| t.speaker + 1).max().unwrap_or(0);
    let margin = if speakers < 2 { 1.0 } else { clusters.margin };
    Diarization {
        turns,
        overlaps,
        speakers,
        confidence: (margin / 2.0).clamp(0.0, 1.0),
        method: describe(opts, step, &clusters, &joined),
    }
}

/// Stages 4 and 5, where there are two voices or more: CAM++ run once more over the speech,
/// the turns re-checked piece by piece, then the changes of voice put where the frames'
/// embeddings turn.
fn check_turns(
    models: &SpeakerModels,
    samples: &[i16],
    turns: Vec<Turn>,
    centroids: &[Array1<f32>],
    opts: &NeuralOptions,
    pool: Option<&rayon::ThreadPool>,
) -> Vec<Turn> {
    let k = centroids.len();
    if k < 2 || (opts.recheck_piece_s.is_none() && opts.reseg_window_s.is_none()) {
        return turns;
    }
    let check = recheck::RecheckParams {
        piece_s: opts.recheck_piece_s.unwrap_or(1.0),
        min_piece_s: opts.recheck_min_s,
        margin: opts.recheck_margin,
    };
    let reseg = reseg::ResegParams {
        window_s: opts.reseg_window_s.unwrap_or(1.5),
        penalty: opts.reseg_penalty,
        keep_bonus: opts.reseg_keep_bonus,
        island_gap_s: opts.reseg_island_gap_s,
        ..reseg::ResegParams::default()
    };
    let pieces = match opts.recheck_piece_s {
        Some(_) => recheck::pieces(&turns, &check),
        None => Vec::new(),
    };
    let spans: Vec<medlyt_core::Span> = pieces.iter().map(|t| t.span).collect();
    let pass = on_pool(pool, || {
        reseg::frame_pass(models, samples, &turns, &spans, &reseg)
    });
    let turns = match opts.recheck_piece_s {
        Some(_) => recheck::recheck(&turns, pieces, &pass.pieces, centroids, &check),
        None => turns,
    };
    match opts.reseg_window_s {
        Some(_) => reseg::resegment(&pass, turns, k, &reseg),
        None => turns,
    }
}

/// `run` on the worker threads of `pool`, or on the caller's where it could not be made.
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, run: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(run),
        None => run(),
    }
}

/// The whole-speech check's settings; `None` when it is off.
fn verify_params(opts: &NeuralOptions) -> Option<verify::VerifyParams> {
    let same_voice = if opts.narrowband {
        opts.narrowband_same_voice?
    } else {
        opts.same_voice
    };
    opts.verify_block_s.map(|block_s| verify::VerifyParams {
        block_s,
        max_blocks: opts.verify_max_blocks,
        same_voice,
    })
}

fn edge_params(opts: &NeuralOptions) -> edges::EdgeParams {
    edges::EdgeParams {
        above_floor_db: opts.edge_above_floor_db,
        trim_s: opts.edge_trim_s,
        extend_s: opts.edge_extend_s,
        pause_s: opts.pause_s,
    }
}

/// The clustering's settings for these chunks of a recording of `len` samples.
fn cluster_params(
    opts: &NeuralOptions,
    analysed: &[chunks::Chunk],
    len: usize,
) -> cluster::ClusterParams {
    let narrow = |wide: f64, narrow: f64| if opts.narrowband { narrow } else { wide };
    cluster::ClusterParams {
        threshold: narrow(
            f64::from(opts.threshold),
            f64::from(opts.narrowband_threshold),
        ) as f32,
        last_split_threshold: narrow(
            f64::from(opts.threshold),
            f64::from(opts.narrowband_last_split_threshold),
        ) as f32,
        min_share: narrow(opts.min_share, opts.narrowband_min_share),
        min_speaker_s: opts.min_speaker_s,
        coverage: (analysed.len() * segmentation::CHUNK) as f64
            / len.max(segmentation::CHUNK) as f64,
        speakers: opts.speakers,
        max_speakers: MAX_SPEAKERS,
        same_chunk_distance: opts.same_chunk_distance,
        two_voice_share: narrow(opts.two_voice_share, opts.narrowband_two_voice_share),
    }
}

/// The method as the transcript note names it, with what decided the number of voices.
fn describe(
    opts: &NeuralOptions,
    step: usize,
    clusters: &cluster::Clusters,
    joined: &[f32],
) -> String {
    let k = clusters.centroids.len();
    let found = k - joined.len().min(k);
    let count = match opts.speakers {
        Some(n) => format!("{n} speaker(s) asked for"),
        None => format!("{found} speaker(s) found"),
    };
    let recheck = match opts.recheck_piece_s {
        Some(piece) if k >= 2 => format!(
            ", turns re-checked in pieces of {:.0}-{:.0} s",
            piece,
            2.0 * piece
        ),
        _ => String::new(),
    };
    let reseg = match opts.reseg_window_s {
        Some(w) if k >= 2 => format!(", changes of voice re-placed every 0.1 s ({w:.1} s windows)"),
        _ => String::new(),
    };
    let edges = if opts.edge_trim_s > 0.0 || opts.edge_extend_s > 0.0 {
        ", turn edges moved to the sound"
    } else {
        ""
    };
    let pauses = match opts.pause_s {
        Some(p) => format!(", turns split at pauses of {p:.1} s or more"),
        None => String::new(),
    };
    let merged = match joined {
        [] => String::new(),
        [s] => format!(
            ", two voices joined as one (alike at {s:.2} over their whole speech; --speakers {k} if {k} people spoke)"
        ),
        _ => format!(
            ", {k} voices joined into {found} (alike over their whole speech; --speakers {k} if {k} people spoke)"
        ),
    };
    let held = match clusters.held_apart.filter(|_| joined.is_empty()) {
        Some(share) => format!(
            ", two alike voices kept apart by the segmentation (heard apart in {:.0} % of the chunks; --speakers 1 if one person spoke)",
            100.0 * share
        ),
        None => String::new(),
    };
    let close = match clusters.last_split.filter(|_| joined.is_empty()) {
        Some(d) => format!(
            ", two alike voices kept apart at distance {d:.2} (the phone-line rule for the last two voices; --speakers 1 if one person spoke)"
        ),
        None => String::new(),
    };
    format!(
        "pyannote segmentation-3.0 on 10 s chunks every {:.1} s, CAM++ embeddings, average-linkage clustering ({count}){recheck}{reseg}{edges}{pauses}{held}{close}{merged}",
        step as f64 / 16_000.0
    )
}

/// A turn for the stages' unit tests.
#[cfg(test)]
fn test_turn(a: f64, b: f64, speaker: usize) -> Turn {
    Turn {
        span: medlyt_core::Span::new(a, b),
        speaker,
    }
}

/// The imported speaker models, where get-models.sh has installed them (required where
/// MEDLYT_REQUIRE_MODELS is set).
#[cfg(test)]
fn test_models() -> Option<SpeakerModels> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let m = SpeakerModels::load(&dir.join(SEGMENTATION_FILE), &dir.join(EMBEDDING_FILE));
    assert!(
        m.is_ok() || std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
        "speaker models missing"
    );
    m.ok()
}

/// A recording of `fixtures/real/` (16 kHz mono samples) and its true turns in time order.
#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
fn real_fixture(name: &str) -> (Vec<i16>, Vec<Turn>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/real")
        .join(format!("{name}.json"));
    let truth = crate::eval::Truth::load(&path).unwrap();
    let decoded = medlyt_audio::decode(
        &path.with_extension("wav"),
        &Default::default(),
        &mut |_| {},
    )
    .unwrap();
    let mut turns: Vec<Turn> = truth
        .utterances
        .iter()
        .map(|u| test_turn(u.start, u.end, u.channel))
        .collect();
    turns.sort_by(|a, b| a.span.start.total_cmp(&b.span.start));
    (medlyt_audio::mix_to_mono(&decoded), turns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_calls_get_many_chunks_long_ones_a_bounded_step() {
        let o = NeuralOptions::default();
        let step_s = |secs: f64| step_samples(&o, (secs * 16_000.0) as usize) as f64 / 16_000.0;
        assert!(
            (step_s(40.0) - 1.25).abs() < 1e-3,
            "24 chunks: {}",
            step_s(40.0)
        );
        assert!((step_s(12.0) - 1.0).abs() < 1e-3, "at least 1 s");
        assert!(
            (step_s(300.0) - 2.5).abs() < 1e-3,
            "a few minutes: {}",
            step_s(300.0)
        );
        assert!((step_s(600.0) - 590.0 / 120.0).abs() < 1e-3, "120 chunks");
        assert!((step_s(1800.0) - 5.0).abs() < 1e-3, "at most 5 s");
    }

    #[test]
    fn narrowband_audio_takes_its_own_threshold_and_share() {
        let mut o = NeuralOptions::default();
        let wide = cluster_params(&o, &[], 16_000 * 60);
        o.narrowband = true;
        let narrow = cluster_params(&o, &[], 16_000 * 60);
        assert_eq!((wide.threshold, wide.min_share), (o.threshold, o.min_share));
        assert_eq!(
            (narrow.threshold, narrow.min_share),
            (o.narrowband_threshold, o.narrowband_min_share)
        );
        assert!(narrow.min_share > wide.min_share);
    }
}
