//! Builds test batches in a temporary folder from the committed fixtures: transcripts in several
//! formats (with variants, so the calls differ), short recordings converted with sox, and bad
//! files (corrupt, empty, wrong type).

use medlyt_core::Transcript;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The personal data written into some transcript variants.
pub const CPR: &str = "120385-1234";
pub const PHONE: &str = "20 30 40 50";

fn json_sources() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join("transcripts"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".json") && !n.ends_with(".expected.json")
        })
        .collect();
    v.push(fixtures().join("transcripts-in/medlyt-2spk-stereo.json"));
    v.sort();
    v
}

fn variant(t: &Transcript, k: usize) -> Transcript {
    let mut t = t.clone();
    let scale = [1.0, 0.8, 1.25, 1.0, 1.5, 0.9][k % 6];
    t.recording.duration *= scale;
    for s in &mut t.segments {
        s.start *= scale;
        s.end *= scale;
        for w in &mut s.words {
            w.start *= scale;
            w.end *= scale;
        }
    }
    for tr in &mut t.tracks {
        for sp in &mut tr.speech {
            sp.start *= scale;
            sp.end *= scale;
        }
    }
    if k == 3 || k == 5 {
        // Personal data to redact.
        if let Some(s) = t.segments.iter_mut().find(|s| s.track == 1) {
            s.text = format!(
                "Mit cpr-nummer er {CPR} og mit nummer er {PHONE}. {}",
                s.text
            );
            s.words.clear();
        }
    }
    if k == 4 {
        let keep: Vec<_> = t
            .segments
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 2)
            .map(|(_, s)| s.clone())
            .collect();
        t.segments = keep;
    }
    t
}

/// The files of `fixtures/bad`, a wrong-type file, a broken transcript and an empty text file.
pub fn write_bad(dir: &Path) -> Vec<String> {
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let mut names = Vec::new();
    for e in std::fs::read_dir(fixtures().join("bad")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::copy(&p, bad.join(&name)).unwrap();
        names.push(name);
    }
    std::fs::write(bad.join("scan.pdf"), b"%PDF-1.4\n\x00\x01\x02binary").unwrap();
    std::fs::write(
        bad.join("broken.json"),
        b"{\"schema\": \"medlyt.transcript\", ",
    )
    .unwrap();
    std::fs::write(bad.join("empty.txt"), b"").unwrap();
    names.extend(["scan.pdf", "broken.json", "empty.txt"].map(String::from));
    names.sort();
    names.into_iter().map(|n| format!("bad/{n}")).collect()
}

/// Transcript calls: 6 variants of each medlyt JSON transcript and two copies of each
/// WebVTT, SRT and text transcript. Returns the relative paths of the calls with personal data.
pub fn write_transcripts(dir: &Path) -> Vec<String> {
    let mut with_pii = Vec::new();
    for src in json_sources() {
        let t = Transcript::from_json(&std::fs::read_to_string(&src).unwrap()).unwrap();
        let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
        for k in 0..6 {
            let rel = format!("json/{stem}-v{k}.json");
            let p = dir.join(&rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, variant(&t, k).to_json()).unwrap();
            if k == 3 || k == 5 {
                with_pii.push(rel);
            }
        }
    }
    for name in [
        "notes-2spk-untimed.txt",
        "notes-3spk-timed.txt",
        "subs-2spk-role-names.srt",
        "teams-2spk-voice-tags.vtt",
    ] {
        for team in ["team-a", "team-b"] {
            let p = dir.join("formats").join(team).join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::copy(fixtures().join("transcripts-in").join(name), &p).unwrap();
        }
    }
    with_pii
}

/// Short real recordings made with sox from the scripted calls: an 8 kHz A-law mono WAV and a
/// 22.05 kHz MP3 (the first 15 s of each call). Returns their relative paths.
pub fn write_recordings(dir: &Path) -> Vec<String> {
    let rec = dir.join("recordings");
    std::fs::create_dir_all(&rec).unwrap();
    let calls = fixtures().join("calls");
    let jobs = [
        (
            "da-borgerservice.wav",
            "da-borgerservice-8k-alaw.wav",
            vec!["-r", "8000", "-e", "a-law", "-b", "8"],
        ),
        (
            "en-citizen-service.wav",
            "en-citizen-service-22k.mp3",
            vec!["-r", "22050"],
        ),
    ];
    let mut out = Vec::new();
    for (src, dst, fmt) in jobs {
        let status = Command::new("sox")
            .args(["-R", "-D"])
            .arg(calls.join(src))
            .args(&fmt)
            .arg(rec.join(dst))
            .args(["trim", "0", "15"])
            .status()
            .expect("sox is needed to build the test batch");
        assert!(status.success(), "sox failed on {src}");
        out.push(format!("recordings/{dst}"));
    }
    out
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}
