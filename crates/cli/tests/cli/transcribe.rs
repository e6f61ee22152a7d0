//! Real transcriptions with the real Whisper base model (q8_0, as imported by
//! `scripts/get-models.sh`) of the scripted fixture calls, checked against their ground truth.
//!
//! Stated tolerances: every word's midpoint lies inside a scripted utterance of the same party
//! within 0.4 s, and at least 98 % of words within 0.25 s. English word error rate per party
//! at most 15 % (stereo) and 25 % (8 kHz mu-law, mono mix). Stock Whisper base hears the
//! synthetic Danish voices poorly (its Danish word error rate is high even on real speech), so
//! for Danish calls the words are not scored, only who said them and when.

use crate::common::{
    fixture, medlyt, models, transcribe, transcript_of, truth, wer, whisper_lock, words,
};
use serde_json::Value;

fn role_of_track(t: &Value, track: &Value) -> String {
    let id = track.as_u64().expect("track id") as usize;
    t["tracks"][id]["role"].as_str().expect("role").to_string()
}

/// (words within `tol` of a same-party utterance, all words).
fn attribution(t: &Value, truth: &Value, tol: f64) -> (usize, usize) {
    let utts = truth["utterances"].as_array().expect("utterances");
    let mut ok = 0;
    let mut all = 0;
    for seg in t["segments"].as_array().expect("segments") {
        let role = role_of_track(t, &seg["track"]);
        for w in seg["words"].as_array().expect("words") {
            let mid = (w["start"].as_f64().expect("start") + w["end"].as_f64().expect("end")) / 2.0;
            all += 1;
            let inside = utts.iter().any(|u| {
                u["role"].as_str() == Some(role.as_str())
                    && u["start"].as_f64().expect("start") - tol <= mid
                    && mid <= u["end"].as_f64().expect("end") + tol
            });
            if inside {
                ok += 1;
            } else {
                eprintln!(
                    "{role}: {} at {mid:.2} s is outside its party's speech",
                    w["text"]
                );
            }
        }
    }
    (ok, all)
}

fn check_attribution(t: &Value, truth: &Value) {
    let (ok, all) = attribution(t, truth, 0.4);
    assert!(all > 20, "too few words: {all}");
    assert_eq!(
        ok, all,
        "words outside their party's speech (0.4 s tolerance)"
    );
    let (near, _) = attribution(t, truth, 0.25);
    assert!(
        near as f64 >= 0.98 * all as f64,
        "{near}/{all} within 0.25 s"
    );
}

fn wer_per_role(t: &Value, truth: &Value, role: &str) -> f64 {
    let reference: Vec<String> = truth["utterances"]
        .as_array()
        .expect("utterances")
        .iter()
        .filter(|u| role == "all" || u["role"] == role)
        .flat_map(|u| words(u["text"].as_str().expect("text")))
        .collect();
    let hyp: Vec<String> = t["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .filter(|s| role == "all" || role_of_track(t, &s["track"]) == role)
        .flat_map(|s| words(s["text"].as_str().expect("text")))
        .collect();
    wer(&reference, &hyp)
}

fn check_two_tracks(t: &Value) {
    assert_eq!(t["schema"], "medlyt.transcript");
    assert_eq!(t["version"], 1);
    assert_eq!(t["tracks"][0]["role"], "employee");
    assert_eq!(t["tracks"][1]["role"], "citizen");
    assert_eq!(t["tracks"][0]["channel"], 0);
    let segs = t["segments"].as_array().expect("segments");
    let starts: Vec<f64> = segs
        .iter()
        .map(|s| s["start"].as_f64().expect("start"))
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] <= w[1]),
        "segments sorted by start"
    );
    for s in segs {
        let p = s["probability"].as_f64().expect("probability");
        assert!(p > 0.0 && p <= 1.0, "segment probability {p}");
        for w in s["words"].as_array().expect("words") {
            let wp = w["probability"].as_f64().expect("probability");
            assert!(wp > 0.0 && wp <= 1.0, "word probability {wp}");
            assert!(w["start"].as_f64() <= w["end"].as_f64());
        }
    }
}

#[test]
fn english_stereo_calls_words_speakers_and_times() {
    for call in ["en-citizen-service", "en-jobcentre"] {
        let Some(t) = transcript_of(&format!("{call}.wav"), "en") else {
            return;
        };
        let truth = truth(call);
        check_two_tracks(&t);
        for role in ["employee", "citizen"] {
            let w = wer_per_role(&t, &truth, role);
            eprintln!("{call} {role} WER {w:.3}");
            assert!(w <= 0.15, "{call}: {role} word error rate {w:.3}");
        }
        check_attribution(&t, &truth);
        assert_eq!(t["language"]["requested"], "en");
        assert_eq!(t["language"]["detected"], "en");
    }
}

#[test]
fn english_call_transcribed_as_danish_gets_a_language_note() {
    let Some(t) = transcript_of("en-citizen-service.wav", "da") else {
        return;
    };
    assert_eq!(t["language"]["requested"], "da");
    assert_eq!(t["language"]["detected"], "en");
    let notes = t["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.contains("'en'") && n.contains("--language en"))),
        "no language note in {notes:?}"
    );
}

#[test]
fn danish_stereo_calls_speakers_and_times() {
    for call in ["da-borgerservice", "da-jobcenter"] {
        let Some(t) = transcript_of(&format!("{call}.wav"), "da") else {
            return;
        };
        let truth = truth(call);
        check_two_tracks(&t);
        eprintln!(
            "{call} WER employee {:.3} citizen {:.3} (not scored)",
            wer_per_role(&t, &truth, "employee"),
            wer_per_role(&t, &truth, "citizen")
        );
        check_attribution(&t, &truth);
        // The other party's voice leaks into each channel at -26 dB: no track may carry speech
        // where only the other party talks.
        let speech = |i: usize| -> f64 {
            t["tracks"][i]["speech"]
                .as_array()
                .expect("speech")
                .iter()
                .map(|s| s["end"].as_f64().expect("end") - s["start"].as_f64().expect("start"))
                .sum()
        };
        let talk = &truth["talk_time"];
        for (i, role) in [(0, "employee"), (1, "citizen")] {
            let want = talk[role].as_f64().expect("talk time");
            let got = speech(i);
            assert!(
                (got - want).abs() <= 0.1 * want,
                "{call} {role}: speech {got:.2} s, truth {want:.2} s"
            );
        }
    }
}

#[test]
fn telephony_mulaw_8k_call_is_transcribed_like_the_original() {
    let Some(t) = transcript_of("en-citizen-service-8k-mulaw.wav", "en") else {
        return;
    };
    let truth = truth("en-citizen-service");
    check_two_tracks(&t);
    assert_eq!(t["recording"]["sample_rate"], 8000);
    assert_eq!(t["recording"]["codec"], "wav/mulaw");
    for role in ["employee", "citizen"] {
        let w = wer_per_role(&t, &truth, role);
        eprintln!("8 kHz mu-law {role} WER {w:.3}");
        assert!(w <= 0.25, "{role} word error rate {w:.3}");
    }
    check_attribution(&t, &truth);
}

#[test]
fn mono_call_voices_are_told_apart_and_the_employee_found() {
    let Some(t) = transcript_of("en-citizen-service-mono.wav", "en") else {
        return;
    };
    let truth = truth("en-citizen-service");
    let tracks = t["tracks"].as_array().expect("tracks");
    assert_eq!(tracks.len(), 2);
    // The employee opens the call ("Good morning, this is Tom from Citizen Services").
    assert_eq!(tracks[0]["role"], "employee");
    assert_eq!(tracks[1]["role"], "citizen");
    let notes = t["notes"].to_string();
    assert!(
        notes.contains("mono recording") && notes.contains("taken as the employee"),
        "{notes}"
    );
    let w = wer_per_role(&t, &truth, "all");
    eprintln!("mono WER {w:.3}");
    assert!(w <= 0.25, "word error rate {w:.3}");
    // Who said what, from the voices alone: most words on the right party (0.4 s tolerance).
    let (ok, all) = attribution(&t, &truth, 0.4);
    eprintln!("mono attribution {ok}/{all}");
    assert!(
        ok as f64 >= 0.9 * all as f64,
        "{ok}/{all} words attributed to the right party"
    );
}

#[test]
fn mono_call_without_diarization_is_one_unknown_track() {
    let Some(dir) = models() else { return };
    let _whisper = crate::common::whisper_lock();
    let out = medlyt()
        .args([
            "transcribe",
            "--quiet",
            "--no-diarize",
            "--language",
            "en",
            "--models-dir",
        ])
        .arg(&dir)
        .arg(fixture("calls/en-citizen-service-mono.wav"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(t["tracks"].as_array().map(Vec::len), Some(1));
    assert_eq!(t["tracks"][0]["role"], "unknown");
    assert!(t["notes"]
        .to_string()
        .contains("speaker of each segment is unknown"));
}

#[test]
fn subtitle_and_text_formats_are_written() {
    let Some(dir) = models() else { return };
    let _whisper = crate::common::whisper_lock();
    for (format, head) in [("vtt", "WEBVTT"), ("srt", ""), ("txt", ""), ("json", "{")] {
        let out = medlyt()
            .args([
                "transcribe",
                "--quiet",
                "--language",
                "en",
                "--format",
                format,
                "--models-dir",
            ])
            .arg(&dir)
            .arg(fixture("formats/pcm16-16k-stereo-440l-880r.wav"))
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with(head), "{format}: {text}");
    }
}

#[test]
fn the_transcript_does_not_depend_on_how_windows_are_shared_out() {
    // With one thread, one worker decodes every window in turn on one decoding state; by
    // default each core's worker has its own. The text must come out the same either way.
    let call = "da-jobcenter-8k-mulaw.wav";
    let Some(shared) = transcript_of(call, "da") else {
        return;
    };
    let models = models().expect("models");
    let _whisper = whisper_lock();
    let one = transcribe(&models, call, &["--language", "da", "--threads", "1"]);
    assert_eq!(one["segments"], shared["segments"]);
}
