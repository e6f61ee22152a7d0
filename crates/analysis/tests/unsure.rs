//! Findings of absence from words too unsure to tell: reported as not checked, never as missing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config, FindingCode, Polarity, WordList};
use medlyt_core::{Lang, Role, Transcript, Word};

/// A Danish call whose every word has probability `p`.
fn call(lines: &[(Role, f64, f64, &str)], p: f32) -> Transcript {
    let mut t = Transcript::two_party("opkald.txt", "da", 60.0);
    for (role, start, end, text) in lines {
        t.push_text(*role, *start, *end, text);
    }
    for s in &mut t.segments {
        s.probability = p;
        s.words = s
            .text
            .split_whitespace()
            .map(|w| Word {
                text: w.to_string(),
                start: s.start,
                end: s.end,
                probability: p,
            })
            .collect();
    }
    t
}

/// Whisper's sure garble of a Danish opening ("Goddag, det er Mette fra Borgerservice"), and a
/// call without any summary or next step.
fn garbled() -> Vec<(Role, f64, f64, &'static str)> {
    use Role::{Citizen as C, Employee as E};
    vec![
        (
            E,
            0.0,
            4.0,
            "Både med at med tilfammer og se amissep, men kan jeg hjælpe med?",
        ),
        (
            C,
            5.0,
            9.0,
            "Jeg har ikke fået min boligstøtte i denne måned.",
        ),
        (E, 10.0, 12.0, "Må jeg få dit navn?"),
        (C, 13.0, 16.0, "Jens Hansen. Jeg er lige flyttet."),
        (
            E,
            17.0,
            21.0,
            "Så far har jeg som mere, du se nogen kronk tak.",
        ),
        (C, 22.0, 24.0, "Det er fint."),
        (E, 25.0, 27.0, "Sel tak, hen du er ikke masin."),
    ]
}

fn words() -> WordList {
    WordList::parse(
        "både\nmed\nat\nog\nse\nmen\nkan\njeg\nhjælpe\nhar\nikke\nfået\nmin\nbolig\nstøtte\ni\n\
         denne\nmåned\nmå\nfå\ndit\nnavn\ner\nlige\nflyttet\nså\nfar\nsom\nmere\ndu\nnogen\ntak\n\
         det\nfint\nsel\nhen\ngoddag\nfra\nborger\nservice",
    )
}

fn polarity(t: &Transcript, config: &Config, code: FindingCode) -> Option<Polarity> {
    let a = analyze(t, config);
    a.findings
        .iter()
        .find(|f| f.code == code)
        .map(|f| f.polarity)
}

#[test]
fn sure_garble_is_caught_by_the_word_list_and_nothing_is_called_missing() {
    let t = call(&garbled(), 0.95);
    let plain = Config::for_lang(Lang::Da);
    // By probabilities alone the garble looks sure: the opening is reported as lacking parts.
    assert_eq!(
        polarity(&t, &plain, FindingCode::IncompleteOpening),
        Some(Polarity::Concern)
    );
    let listed = Config::for_lang(Lang::Da).with_words(words());
    let a = analyze(&t, &listed);
    assert!(
        a.quality.parts.opening.unsure,
        "{:?}",
        a.quality.parts.opening
    );
    assert_eq!(a.quality.parts.opening.unknown_words, Some(2));
    assert!(a.quality.parts.closing.unsure);
    for code in [FindingCode::IncompleteOpening, FindingCode::NoClearClosing] {
        let f = a.findings.iter().find(|f| f.code == code).expect("finding");
        assert_eq!(f.polarity, Polarity::Unchecked, "{code:?}");
    }
}

#[test]
fn low_word_probabilities_make_a_part_unsure() {
    let t = call(&garbled(), 0.3);
    let a = analyze(&t, &Config::for_lang(Lang::Da));
    assert!(a.quality.parts.opening.unsure && a.quality.parts.employee.unsure);
    assert_eq!(a.quality.parts.opening.unknown_words, None);
    assert_eq!(
        polarity(
            &t,
            &Config::for_lang(Lang::Da),
            FindingCode::IncompleteOpening
        ),
        Some(Polarity::Unchecked)
    );
}

#[test]
fn sure_real_words_without_the_parts_are_still_missing() {
    use Role::{Citizen as C, Employee as E};
    let lines = vec![
        (E, 0.0, 4.0, "Ja, hvad kan jeg hjælpe med?"),
        (
            C,
            5.0,
            9.0,
            "Jeg har ikke fået min boligstøtte i denne måned.",
        ),
        (E, 10.0, 12.0, "Må jeg få dit navn?"),
        (C, 13.0, 16.0, "Jens Hansen. Jeg er lige flyttet."),
        (E, 17.0, 21.0, "Det kan jeg se."),
        (C, 22.0, 24.0, "Det er fint."),
        (E, 25.0, 27.0, "Ja."),
    ];
    let mut list = words();
    list.extend(["ja", "hvad"]);
    let config = Config::for_lang(Lang::Da).with_words(list);
    let t = call(&lines, 0.95);
    let a = analyze(&t, &config);
    assert!(
        !a.quality.parts.opening.unsure,
        "{:?}",
        a.quality.parts.opening
    );
    assert_eq!(
        polarity(&t, &config, FindingCode::IncompleteOpening),
        Some(Polarity::Concern)
    );
}

#[test]
fn the_word_list_survives_a_consultant_override() {
    let config = Config::for_lang(Lang::Da).with_words(words());
    let merged = config
        .merge_str("[quality]\nmax_unknown_share = 0.5\n")
        .unwrap();
    assert!(merged.words.is_some());
    assert_eq!(merged.quality.max_unknown_share, 0.5);
}
