//! Reflections and affirmations, per rule and in both languages, with the citizen's turn they
//! need.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Analysis, Config, ReflectionKind};
use medlyt_core::{Lang, Role, Transcript};
use medlyt_questions::QuestionKind;

/// A call of alternating turns, citizen first, 5 s each.
fn call(lang: Lang, turns: &[&str]) -> Analysis {
    let mut t = Transcript::two_party("call.txt", lang.code(), 5.0 * turns.len() as f64 + 5.0);
    for (i, text) in turns.iter().enumerate() {
        let role = if i % 2 == 0 {
            Role::Citizen
        } else {
            Role::Employee
        };
        let start = 5.0 * i as f64;
        t.push_text(role, start, start + 4.5, text);
    }
    analyze(&t, &Config::for_lang(lang))
}

/// The reflection found in the employee's reply to `citizen`: (kind, rule, cue).
fn reflection(
    lang: Lang,
    citizen: &str,
    employee: &str,
) -> Option<(ReflectionKind, String, String)> {
    let a = call(lang, &[citizen, employee]);
    a.listening
        .reflections
        .first()
        .map(|r| (r.kind, r.found.rule.clone(), r.found.cue.clone()))
}

#[test]
fn danish_simple_reflection_by_starter_keeps_its_cue() {
    let (kind, rule, cue) = reflection(
        Lang::Da,
        "Jeg har ikke fået min boligstøtte i denne måned, og huslejen skal betales på fredag.",
        "Så du mangler boligstøtten til huslejen på fredag.",
    )
    .expect("a reflection");
    assert_eq!(kind, ReflectionKind::Simple);
    assert_eq!(rule, "da.reflect_simple_starter");
    assert_eq!(cue, "så du");
}

#[test]
fn danish_complex_reflection_adds_a_feeling() {
    let (kind, rule, cue) = reflection(
        Lang::Da,
        "Jeg har ringet tre gange, og ingen har vendt tilbage.",
        "Det lyder som om du er frustreret over, at ingen har ringet tilbage.",
    )
    .expect("a reflection");
    assert_eq!(kind, ReflectionKind::Complex);
    assert_eq!(rule, "da.reflect_complex_starter");
    assert!(
        cue.starts_with("det lyder som om") && cue.contains("frustreret"),
        "{cue}"
    );
}

#[test]
fn a_reflection_with_a_question_mark_is_a_reflection_not_a_question() {
    let a = call(
        Lang::Da,
        &[
            "Hvis jeg ikke får pengene, ved jeg ikke hvordan jeg skal betale regningerne.",
            "Så du er bange for ikke at kunne betale regningerne?",
        ],
    );
    assert_eq!(a.listening.reflections.len(), 1);
    assert_eq!(a.listening.reflections[0].kind, ReflectionKind::Complex);
    assert_eq!(a.questions.employee.questions, 0);
    let c = &a.utterances[1].sentences[0];
    assert_eq!(c.kind, QuestionKind::NotQuestion);
    assert_eq!(c.rule, "da.reflect_simple_starter_question");
}

#[test]
fn saying_back_most_of_the_citizens_words_is_a_simple_reflection() {
    let (kind, rule, _) = reflection(
        Lang::Da,
        "Min datter er syg, og jeg kan ikke komme på arbejde i denne uge.",
        "Din datter er syg, og du kan ikke komme på arbejde.",
    )
    .expect("a reflection");
    assert_eq!(
        (kind, rule.as_str()),
        (ReflectionKind::Simple, "da.reflect_overlap")
    );
}

#[test]
fn a_starter_about_something_new_is_no_reflection() {
    assert_eq!(
        reflection(
            Lang::Da,
            "Jeg har ikke fået min boligstøtte.",
            "Så du skal logge på med MitID og udfylde skemaet på nettet.",
        ),
        None
    );
    // A closed question that only repeats the citizen's words is still a question.
    let a = call(
        Lang::Da,
        &[
            "Jeg har sendt kontrakten i går.",
            "Har du sendt kontrakten med posten?",
        ],
    );
    assert!(a.listening.reflections.is_empty());
    assert_eq!(a.questions.employee.closed, 1);
}

#[test]
fn reflections_need_the_citizens_turn_before() {
    // The same words with nothing said before are information, not a reflection.
    let a = call(
        Lang::Da,
        &["", "Din datter er syg, og du kan ikke komme på arbejde."],
    );
    assert!(a.listening.reflections.is_empty());
}

#[test]
fn english_reflections_and_affirmations() {
    let (kind, rule, _) = reflection(
        Lang::En,
        "I've called three times and nobody has called me back about the housing benefit.",
        "So you've called three times about the housing benefit and heard nothing back.",
    )
    .expect("simple");
    assert_eq!(
        (kind, rule.as_str()),
        (ReflectionKind::Simple, "en.reflect_simple_starter")
    );
    let (kind, rule, _) = reflection(
        Lang::En,
        "Nobody tells me anything, I don't know what happens with my claim.",
        "It sounds like you're worried about what happens with your claim.",
    )
    .expect("complex");
    assert_eq!(
        (kind, rule.as_str()),
        (ReflectionKind::Complex, "en.reflect_complex_starter")
    );
    let a = call(
        Lang::En,
        &[
            "I already applied for three jobs this week.",
            "Well done, that's a good step. What kind of jobs were they?",
        ],
    );
    assert_eq!(a.listening.affirmations, 1);
    assert_eq!(a.listening.affirmation_moves[0].rule, "en.affirmation");
    assert_eq!(a.listening.affirmation_moves[0].cue, "well done");
}

#[test]
fn danish_affirmation_and_the_ratios() {
    let a = call(
        Lang::Da,
        &[
            "Jeg har allerede søgt tre job i denne uge.",
            "Det er flot. Hvilke job har du søgt?",
            "Et lager og to butikker, men jeg er bange for at de ikke vil have mig.",
            "Så du er bekymret for, om de vil have dig på lageret. Hvad tænker du selv om det?",
        ],
    );
    assert_eq!(a.listening.affirmations, 1);
    assert_eq!(a.listening.affirmation_moves[0].cue, "det er flot");
    // "bekymret" says back the citizen's own feeling ("bange") in other words: simple.
    assert_eq!((a.listening.simple, a.listening.complex), (1, 0));
    assert_eq!(a.listening.questions, 2);
    assert_eq!(a.listening.reflection_to_question, Some(0.5));
    assert_eq!(a.listening.complex_share, Some(0.0));
}
