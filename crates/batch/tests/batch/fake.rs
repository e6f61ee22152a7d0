//! A fast stand-in for Whisper: "recordings" are files starting with `FAKEAUDIO\0`, and each
//! becomes a short two-party Danish transcript derived from the file's bytes, so the result is
//! deterministic. Every transcription is logged (one input file name per line) when a log file
//! is given, so tests can tell which calls were processed.

use medlyt_batch::{Failure, FailureKind, Transcriber};
use medlyt_core::{LanguageInfo, Recording, Role, Segment, Transcript};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The first bytes of a fake recording.
pub const MAGIC: &[u8] = b"FAKEAUDIO\0";
/// The first bytes of a fake recording that stops the whole process (as running out of memory
/// would), for the tests of a batch that crashes.
pub const ABORT: &[u8] = b"FAKEABORT\0";

pub struct FakeTranscriber {
    pub delay: Duration,
    pub log: Option<PathBuf>,
}

const LINES: &[(Role, &str)] = &[
    (
        Role::Employee,
        "Goddag, det er Mette fra Borgerservice. Hvad kan jeg hjælpe med?",
    ),
    (
        Role::Citizen,
        "Jeg hedder Karsten Holm, og jeg har ikke fået min boligstøtte.",
    ),
    (Role::Employee, "Det vil jeg gerne se på. Hvornår søgte du?"),
    (
        Role::Citizen,
        "I marts. Mit nummer er 20 30 40 50 hvis I skal ringe.",
    ),
    (
        Role::Employee,
        "Kan du fortælle lidt mere om, hvad der skete?",
    ),
    (
        Role::Citizen,
        "Det er urimeligt, jeg har ventet i tre måneder.",
    ),
    (
        Role::Employee,
        "Jeg kan godt forstå, at du er frustreret. Har du fået et brev?",
    ),
    (Role::Citizen, "Ja, og min mail er karsten@example.dk."),
    (
        Role::Employee,
        "Så sender jeg en besked i dag, og du hører fra os i næste uge.",
    ),
    (Role::Citizen, "Tak for hjælpen."),
];

impl Transcriber for FakeTranscriber {
    fn settings(&self) -> String {
        "fake v1".to_string()
    }

    fn transcribe(&self, path: &Path) -> Result<Transcript, Failure> {
        let bytes = std::fs::read(path).map_err(|e| Failure {
            kind: FailureKind::Io,
            reason: e.to_string(),
        })?;
        if bytes.starts_with(ABORT) {
            std::process::abort();
        }
        if !bytes.starts_with(MAGIC) {
            return Err(Failure {
                kind: FailureKind::NotAudio,
                reason: "not a recording".to_string(),
            });
        }
        std::thread::sleep(self.delay);
        let seed: u64 = bytes
            .iter()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut t = Transcript::new(
            Recording {
                source: name.clone(),
                duration: 0.0,
                sample_rate: 8000,
                channels: 2,
                codec: "fake".to_string(),
            },
            LanguageInfo {
                requested: "da".to_string(),
                detected: None,
                probability: None,
            },
        );
        t.add_stereo_tracks();
        let mut at = 0.5;
        let take = 6 + (seed % 5) as usize;
        for (i, (role, text)) in LINES.iter().take(take).enumerate() {
            let len = 1.5 + ((seed >> (i * 3)) % 7) as f64 * 0.5;
            let gap = 0.2 + ((seed >> (i * 2 + 1)) % 4) as f64 * 0.3;
            t.segments.push(Segment {
                track: usize::from(*role == Role::Citizen),
                start: at,
                end: at + len,
                text: text.to_string(),
                probability: 0.9,
                words: Vec::new(),
                loudness_dbfs: None,
            });
            at += len + gap;
        }
        t.recording.duration = at + 0.5;
        if let Some(log) = &self.log {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| Failure {
                    kind: FailureKind::Io,
                    reason: e.to_string(),
                })?;
            let _ = writeln!(f, "{name}");
        }
        Ok(t)
    }
}

/// Writes `n` fake recordings named `rec-NN.fake` into `dir`.
pub fn write_fake_recordings(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(format!("call {i} {}", i * 7919).as_bytes());
        std::fs::write(dir.join(format!("rec-{i:02}.fake")), bytes).unwrap();
    }
}
