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

/// The `ConfigError::Invalid` message for `text`, which must be refused.
fn invalid(text: &str) -> String {
    let err = Config::for_lang(Lang::Da).merge_str(text).expect_err(text);
    assert!(matches!(err, ConfigError::Invalid { .. }), "{text}: {err}");
    err.to_string()
}

#[test]
fn the_defaults_are_in_range() {
    for lang in [Lang::Da, Lang::En] {
        Config::for_lang(lang).merge_str("").unwrap();
    }
}

#[test]
fn shares_and_probabilities_must_be_between_0_and_1() {
    let keys = [
        ("talk", "max_employee_share"),
        ("talk", "balanced_employee_share"),
        ("talk", "max_silence_share"),
        ("talk", "max_overlap_share"),
        ("questions", "min_open_share"),
        ("questions", "good_open_share"),
        ("escalation", "carry"),
        ("quality", "min_mean_probability"),
        ("quality", "low_word_probability"),
        ("quality", "max_low_word_share"),
        ("quality", "max_unknown_share"),
        ("listening", "min_overlap"),
        ("listening", "starter_overlap"),
    ];
    for (table, key) in keys {
        for (bad, shown) in [
            ("nan", "NaN"),
            ("-0.1", "-0.1"),
            ("1.5", "1.5"),
            ("inf", "inf"),
        ] {
            let msg = invalid(&format!("[{table}]\n{key} = {bad}\n"));
            assert!(
                msg.contains(&format!(
                    "{table}.{key} must be between 0 and 1, found {shown}"
                )),
                "{msg}"
            );
        }
        // The ends are shares too.
        for good in ["0.0", "1.0"] {
            Config::for_lang(Lang::Da)
                .merge_str(&format!("[{table}]\n{key} = {good}\n"))
                .unwrap_or_else(|e| panic!("{table}.{key} = {good}: {e}"));
        }
    }
    let msg = invalid("[listening]\ncomplex_refs = [0.4, nan]\n");
    assert!(msg.contains("listening.complex_refs"), "{msg}");
}

#[test]
fn weights_and_times_must_be_finite_and_not_negative() {
    for (text, key) in [
        (
            "[escalation.weights]\nanger = nan\n",
            "escalation.weights.anger",
        ),
        (
            "[escalation.weights]\nthreat = -5.0\n",
            "escalation.weights.threat",
        ),
        (
            "[escalation.weights]\nemployee_deescalating = inf\n",
            "escalation.weights.employee_deescalating",
        ),
        ("[talk]\nlong_silence = -1.0\n", "talk.long_silence"),
        ("[talk]\nslow_reply = nan\n", "talk.slow_reply"),
        ("[interruptions]\nbridge = -0.25\n", "interruptions.bridge"),
        ("[language]\nmax_lix = nan\n", "language.max_lix"),
        (
            "[language]\nlix_bands = [25.0, nan, 45.0, 55.0]\n",
            "language.lix_bands",
        ),
        (
            "[listening]\nratio_refs = [-1.0, 2.0]\n",
            "listening.ratio_refs",
        ),
    ] {
        let msg = invalid(text);
        assert!(
            msg.contains(&format!("{key} must be a number of 0 or more")),
            "{msg}"
        );
    }
    for (text, key) in [
        ("[escalation]\nwindow = 0.0\n", "escalation.window"),
        ("[escalation]\nwindow = nan\n", "escalation.window"),
        (
            "[structure]\nopening_window = -45.0\n",
            "structure.opening_window",
        ),
        (
            "[structure]\nclosing_window = inf\n",
            "structure.closing_window",
        ),
        ("[listening]\nlookback = 0.0\n", "listening.lookback"),
        ("[talk]\nturn_pause = nan\n", "talk.turn_pause"),
    ] {
        let msg = invalid(text);
        assert!(
            msg.contains(&format!("{key} must be a positive number")),
            "{msg}"
        );
    }
    let msg = invalid("[escalation]\nhigh_level = 150.0\n");
    assert!(
        msg.contains("escalation.high_level must be between 0 and 100"),
        "{msg}"
    );
    // Zero weights switch a signal off.
    Config::for_lang(Lang::Da)
        .merge_str("[escalation.weights]\nanger = 0.0\n")
        .unwrap();
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

/// A consultant's config file can name edited question rules; they then classify the questions.
#[test]
fn a_config_file_names_edited_question_rules() {
    use medlyt_analysis::{analyze, Config};
    use medlyt_core::{Lang, LanguageInfo, Recording, Role, Segment, Track, Transcript};
    let dir = tempfile::tempdir().unwrap();
    let rules = include_str!("../../questions/data/rules-da.json").replace(
        r#""elaboration_openers": ["#,
        r#""elaboration_openers": ["hvad så med", "#,
    );
    std::fs::write(dir.path().join("mine-da.json"), rules).unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[questions]\nrules_da = \"mine-da.json\"\n").unwrap();
    let config = Config::for_lang(Lang::Da).load_override(&cfg).unwrap();
    assert!(config.question_rules.is_some());
    let mut t = Transcript::new(
        Recording {
            source: "x".into(),
            duration: 10.0,
            sample_rate: 0,
            channels: 0,
            codec: "text".into(),
        },
        LanguageInfo {
            requested: "da".into(),
            ..Default::default()
        },
    );
    t.tracks.push(Track {
        id: 0,
        channel: None,
        role: Role::Employee,
        speaker: "e".into(),
        speech: vec![],
    });
    t.segments.push(Segment {
        track: 0,
        start: 0.0,
        end: 2.0,
        text: "Hvad så med din mor?".into(),
        probability: 1.0,
        words: vec![],
        loudness_dbfs: None,
    });
    let rule = |c: &Config| analyze(&t, c).utterances[0].sentences[0].rule.clone();
    assert_eq!(rule(&config), "da.elaboration_request");
    assert_ne!(rule(&Config::for_lang(Lang::Da)), "da.elaboration_request");
    // A file for the wrong language, or one that does not parse, names the key.
    std::fs::write(dir.path().join("bad.json"), "{").unwrap();
    std::fs::write(&cfg, "[questions]\nrules_da = \"bad.json\"\n").unwrap();
    let err = Config::for_lang(Lang::Da).load_override(&cfg).unwrap_err();
    assert!(err.to_string().contains("questions.rules_da"), "{err}");
    std::fs::write(&cfg, "[questions]\nrules_da = \"../../nope.json\"\n").unwrap();
    let err = Config::for_lang(Lang::Da).load_override(&cfg).unwrap_err();
    assert!(err.to_string().contains("cannot read"), "{err}");
}
