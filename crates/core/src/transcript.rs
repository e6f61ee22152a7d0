use crate::{Role, Span};
use serde::{Deserialize, Serialize};

/// The schema name written into every transcript file.
pub const TRANSCRIPT_SCHEMA: &str = "medlyt.transcript";
/// The schema version this build writes and reads.
pub const TRANSCRIPT_VERSION: u32 = 1;

/// Errors reading a transcript file.
#[derive(Debug, thiserror::Error)]
pub enum TranscriptError {
    /// The text is not valid JSON for the transcript model.
    #[error("not a medlyt transcript: {0}")]
    Json(#[from] serde_json::Error),
    /// The file names another schema.
    #[error("not a medlyt transcript: schema is '{found}', expected '{TRANSCRIPT_SCHEMA}'")]
    Schema {
        /// The schema name found in the file.
        found: String,
    },
    /// The file was written by a newer medlyt.
    #[error(
        "transcript version {found} is newer than this medlyt reads (up to {TRANSCRIPT_VERSION})"
    )]
    Version {
        /// The version found in the file.
        found: u32,
    },
    /// A segment names a track the file does not have.
    #[error("segment {segment} refers to track {track}, but the transcript has {tracks} tracks")]
    Track {
        /// Index of the segment.
        segment: usize,
        /// The track it refers to.
        track: usize,
        /// How many tracks the file has.
        tracks: usize,
    },
}

/// The recording a transcript was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    /// File name of the recording (no directories, so no personal paths leak).
    pub source: String,
    /// Length in seconds.
    pub duration: f64,
    /// Sample rate of the file in Hz (0 when unknown, e.g. for a text transcript).
    pub sample_rate: u32,
    /// Number of channels in the file (0 when unknown).
    pub channels: u16,
    /// Codec and container, e.g. "wav/pcm_s16le", "wav/mulaw", "mp3".
    pub codec: String,
}

/// Which language was asked for and which was heard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LanguageInfo {
    /// `da` or `en` (forced), `auto` (any language Whisper knows) or `da|en` (Danish or
    /// English, as heard: the default).
    pub requested: String,
    /// The language the model detected, where it was asked to detect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detected: Option<String>,
    /// The detection's probability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f32>,
}

/// What `requested` holds when nothing was forced: Danish or English, whichever the audio
/// sounds like (Danish where unsure).
pub const DA_OR_EN: &str = "da|en";

impl LanguageInfo {
    /// The language the text is in: the one forced with `--language`, else the one detected
    /// (where `auto` or Danish-or-English was asked), else `None`.
    pub fn text_language(&self) -> Option<&str> {
        match self.requested.as_str() {
            "auto" | DA_OR_EN => self.detected.as_deref(),
            forced => Some(forced),
        }
    }

    /// The detected language where the detection can be trusted: it has no probability (a
    /// hand-written transcript states it) or one of at least `min`.
    pub fn detected_at_least(&self, min: f32) -> Option<&str> {
        self.detected
            .as_deref()
            .filter(|_| self.probability.is_none_or(|p| p >= min))
    }
}

/// The Whisper model that produced the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Model name, e.g. `base-q8_0`.
    pub name: String,
    /// SHA-256 of the model file, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// One speaker's track: a channel of a stereo call, or the whole mix of a mono one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    /// Index of the track, referenced by segments.
    pub id: usize,
    /// The audio channel (0 = left) this track was taken from; `None` for a mix of all channels
    /// or a transcript without audio.
    #[serde(default)]
    pub channel: Option<u16>,
    /// The speaker's role.
    pub role: Role,
    /// The speaker's label (a name from a transcript, or the role).
    pub speaker: String,
    /// Time with speech on this track, as found by speech activity detection (after crosstalk
    /// was removed). Empty when not measured: analysis then falls back to the segments' times.
    #[serde(default)]
    pub speech: Vec<Span>,
}

/// One timed piece of text from one track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// The track (speaker) it belongs to.
    pub track: usize,
    /// Start in seconds.
    pub start: f64,
    /// End in seconds.
    pub end: f64,
    /// The text.
    pub text: String,
    /// Mean probability of the segment's tokens (1.0 for hand-written transcripts).
    #[serde(default = "one")]
    pub probability: f32,
    /// The words with their own times.
    #[serde(default)]
    pub words: Vec<Word>,
    /// Loudness of the segment's audio in dBFS (RMS), where measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loudness_dbfs: Option<f32>,
}

/// One word with its time and probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// The word as written, without surrounding spaces.
    pub text: String,
    /// Start in seconds.
    pub start: f64,
    /// End in seconds.
    pub end: f64,
    /// The model's probability for the word (minimum over its tokens).
    #[serde(default = "one")]
    pub probability: f32,
}

fn one() -> f32 {
    1.0
}

/// A whole call as text: the interchange file between medlyt's stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// Always [`TRANSCRIPT_SCHEMA`].
    pub schema: String,
    /// The schema version, [`TRANSCRIPT_VERSION`] when written by this build.
    pub version: u32,
    /// The recording it was made from.
    pub recording: Recording,
    /// Requested and detected language.
    pub language: LanguageInfo,
    /// The model used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelInfo>,
    /// The speakers' tracks.
    pub tracks: Vec<Track>,
    /// All segments of all tracks, sorted by start time.
    pub segments: Vec<Segment>,
    /// Plain statements a reader must know, e.g. that speakers are unknown in a mono recording.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Transcript {
    /// A transcript of a text call, built in code (tests, coded material): an employee track
    /// (id 0) and a citizen track (id 1), no segments yet; `language` as requested.
    pub fn two_party(source: &str, language: &str, duration: f64) -> Self {
        let mut t = Transcript::new(
            Recording {
                source: source.to_string(),
                duration,
                sample_rate: 0,
                channels: 0,
                codec: "text".into(),
            },
            LanguageInfo {
                requested: language.to_string(),
                ..Default::default()
            },
        );
        for (id, role) in [Role::Employee, Role::Citizen].into_iter().enumerate() {
            t.tracks.push(Track {
                id,
                channel: None,
                role,
                speaker: role.to_string(),
                speech: vec![],
            });
        }
        t
    }

    /// Adds a segment of `text` (probability 1, no words) to the employee's track (0) or the
    /// citizen's (1) of a [`Transcript::two_party`] call.
    pub fn push_text(&mut self, role: Role, start: f64, end: f64, text: &str) {
        self.segments.push(Segment {
            track: usize::from(role == Role::Citizen),
            start,
            end,
            text: text.to_string(),
            probability: 1.0,
            words: vec![],
            loudness_dbfs: None,
        });
    }

    /// An empty transcript of `recording` with the current schema and version.
    pub fn new(recording: Recording, language: LanguageInfo) -> Self {
        Transcript {
            schema: TRANSCRIPT_SCHEMA.to_string(),
            version: TRANSCRIPT_VERSION,
            recording,
            language,
            model: None,
            tracks: Vec::new(),
            segments: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds one track per party as a two-channel call has them: the employee on channel 0 and
    /// the citizen on channel 1, each named by its role, with no speech spans yet.
    pub fn add_stereo_tracks(&mut self) {
        for (id, role) in [Role::Employee, Role::Citizen].into_iter().enumerate() {
            self.tracks.push(Track {
                id,
                channel: Some(id as u16),
                role,
                speaker: role.to_string(),
                speech: Vec::new(),
            });
        }
    }

    /// Reads and checks a transcript from JSON text.
    pub fn from_json(text: &str) -> Result<Self, TranscriptError> {
        let t: Transcript = serde_json::from_str(text)?;
        if t.schema != TRANSCRIPT_SCHEMA {
            return Err(TranscriptError::Schema { found: t.schema });
        }
        if t.version > TRANSCRIPT_VERSION {
            return Err(TranscriptError::Version { found: t.version });
        }
        for (i, s) in t.segments.iter().enumerate() {
            if s.track >= t.tracks.len() {
                return Err(TranscriptError::Track {
                    segment: i,
                    track: s.track,
                    tracks: t.tracks.len(),
                });
            }
        }
        Ok(t)
    }

    /// Pretty JSON text of the transcript.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The role of the speaker of `segment`.
    pub fn role_of(&self, segment: &Segment) -> Role {
        self.tracks
            .get(segment.track)
            .map(|t| t.role)
            .unwrap_or(Role::Unknown)
    }

    /// Sorts segments by start time (then track) so readers can rely on the order.
    pub fn sort_segments(&mut self) {
        self.segments.sort_by(|a, b| {
            a.start
                .total_cmp(&b.start)
                .then(a.track.cmp(&b.track))
                .then(a.end.total_cmp(&b.end))
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Transcript {
        let mut t = Transcript::new(
            Recording {
                source: "call.wav".into(),
                duration: 10.0,
                sample_rate: 16000,
                channels: 2,
                codec: "wav/pcm_s16le".into(),
            },
            LanguageInfo {
                requested: "da".into(),
                ..Default::default()
            },
        );
        t.tracks.push(Track {
            id: 0,
            channel: Some(0),
            role: Role::Employee,
            speaker: "employee".into(),
            speech: vec![Span::new(0.5, 2.0)],
        });
        t.segments.push(Segment {
            track: 0,
            start: 0.5,
            end: 2.0,
            text: "Goddag.".into(),
            probability: 0.9,
            words: vec![Word {
                text: "Goddag.".into(),
                start: 0.5,
                end: 2.0,
                probability: 0.9,
            }],
            loudness_dbfs: None,
        });
        t
    }

    #[test]
    fn round_trips_through_json() {
        let t = sample();
        let back = Transcript::from_json(&t.to_json()).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.role_of(&back.segments[0]), Role::Employee);
    }

    #[test]
    fn rejects_other_schema_newer_version_and_bad_track() {
        let mut t = sample();
        t.schema = "other".into();
        assert!(matches!(
            Transcript::from_json(&t.to_json()),
            Err(TranscriptError::Schema { .. })
        ));
        let mut t = sample();
        t.version = TRANSCRIPT_VERSION + 1;
        assert!(matches!(
            Transcript::from_json(&t.to_json()),
            Err(TranscriptError::Version { .. })
        ));
        let mut t = sample();
        t.segments[0].track = 3;
        let err = Transcript::from_json(&t.to_json()).unwrap_err();
        assert!(err.to_string().contains("track 3"));
    }
}
