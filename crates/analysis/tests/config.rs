//! The per-language defaults and a consultant's override file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config, ConfigError};
use medlyt_core::{Lang, Transcript};
use std::io::Write;
use std::path::PathBuf;

fn override_file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

#[test]
fn both_languages_have_complete_defaults() {
    let da = Config::for_lang(Lang::Da);
    let en = Config::for_lang(Lang::En);
    assert_eq!(da.lang, Lang::Da);
    assert_eq!(en.lang, Lang::En);
    for c in [&da, &en] {
        assert_eq!(c.talk.turn_pause, 3.0);
        assert_eq!(c.interruptions.bridge, 0.25);
        assert_eq!(c.interruptions.min_overlap, 0.5);
        assert!(!c.escalation.threat.is_empty());
        assert!(!c.structure.thanks.is_empty());
        assert!(!c.language.jargon.is_empty());
    }
    assert!(da.interruptions.backchannels.iter().any(|b| b == "nå"));
    assert!(en.interruptions.backchannels.iter().any(|b| b == "uh-huh"));
}

#[test]
fn an_override_replaces_only_what_it_names() {
    let f =
        override_file("[talk]\nturn_pause = 2.0\n\n[interruptions]\nbackchannels = [\"jamen\"]\n");
    let c = Config::for_lang(Lang::Da).load_override(f.path()).unwrap();
    let d = Config::for_lang(Lang::Da);
    assert_eq!(c.talk.turn_pause, 2.0);
    assert_eq!(c.talk.long_silence, d.talk.long_silence);
    assert_eq!(c.interruptions.backchannels, vec!["jamen".to_string()]);
    assert_eq!(c.escalation, d.escalation);
}

#[test]
fn an_unknown_key_is_named() {
    let f = override_file("[talk]\nturn_pauze = 2.0\n");
    let err = Config::for_lang(Lang::Da)
        .load_override(f.path())
        .unwrap_err();
    assert!(
        matches!(&err, ConfigError::UnknownKey { key, .. } if key == "talk.turn_pauze"),
        "{err}"
    );
    assert!(err.to_string().contains("unknown key 'talk.turn_pauze'"));

    let f = override_file("colour = \"blue\"\n");
    let err = Config::for_lang(Lang::Da)
        .load_override(f.path())
        .unwrap_err();
    assert!(matches!(&err, ConfigError::UnknownKey { key, .. } if key == "colour"));

    let f = override_file("[escalation.weights]\nshouting = 3.0\n");
    let err = Config::for_lang(Lang::Da)
        .load_override(f.path())
        .unwrap_err();
    assert!(
        matches!(&err, ConfigError::UnknownKey { key, .. } if key == "escalation.weights.shouting")
    );
}

#[test]
fn wrong_types_ranges_syntax_and_missing_files_are_errors() {
    let cases = [
        ("[talk]\nturn_pause = \"long\"\n", "invalid value"),
        ("[escalation]\ncarry = 2.0\n", "escalation.carry"),
        ("[talk]\nturn_pause = -1.0\n", "talk.turn_pause"),
        ("[talk\n", "not valid toml"),
    ];
    for (text, needle) in cases {
        let f = override_file(text);
        let err = Config::for_lang(Lang::Da)
            .load_override(f.path())
            .unwrap_err();
        assert!(err.to_string().contains(needle), "{text}: {err}");
    }
    let err = Config::for_lang(Lang::Da)
        .load_override(&PathBuf::from("/nonexistent/medlyt.toml"))
        .unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }));
}

#[test]
fn an_override_changes_the_measures() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/transcripts/interruptions-backchannels-2spk.json");
    let t = Transcript::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let base = analyze(&t, &Config::for_lang(Lang::Da));
    assert_eq!(base.interruptions.events.len(), 3);
    let f = override_file("[interruptions]\nmin_overlap = 1.2\n");
    let c = Config::for_lang(Lang::Da).load_override(f.path()).unwrap();
    let a = analyze(&t, &c);
    // Only the 2.0 s and 1.5 s overlaps are longer than 1.2 s; the 1.0 s one becomes brief.
    assert_eq!(a.interruptions.events.len(), 2);
    assert_eq!(a.interruptions.brief_overlaps, 2);
}
