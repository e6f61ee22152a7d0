//! The families trained coders and plain rules disagree on (docs/coding-manual.md), one test
//! per family and language, each checking the kind and the rule that decided.

use medlyt_core::Lang;
use medlyt_questions::{classify, QuestionKind};

fn check(lang: Lang, cases: &[(&str, QuestionKind, &str)]) {
    for (sentence, kind, rule) in cases {
        let c = classify(sentence, lang);
        assert_eq!((c.kind, c.rule.as_str()), (*kind, *rule), "{sentence}");
    }
}

use QuestionKind::{Closed, Open};

#[test]
fn a_requests_for_elaboration_phrased_as_yes_no_are_open() {
    check(
        Lang::Da,
        &[
            ("Er der mere, du vil sige?", Open, "da.elaboration_request"),
            (
                "Er der noget andet, jeg kan hjælpe med?",
                Open,
                "da.elaboration_request",
            ),
            ("Noget andet?", Open, "da.elaboration_request"),
            (
                "Kan du fortælle lidt om, hvordan det gik?",
                Open,
                "da.request_tell",
            ),
        ],
    );
    check(
        Lang::En,
        &[
            (
                "Is there anything else you'd like to tell me?",
                Open,
                "en.elaboration_request",
            ),
            ("Anything else?", Open, "en.elaboration_request"),
            (
                "Can you think of a time when it went well?",
                Open,
                "en.elaboration_request",
            ),
        ],
    );
}

#[test]
fn b_tell_me_imperatives_with_a_question_mark_are_open() {
    check(
        Lang::Da,
        &[("Fortæl lidt om din situation?", Open, "da.imperative_tell")],
    );
    check(
        Lang::En,
        &[("Tell me a bit about your work?", Open, "en.imperative_tell")],
    );
}

#[test]
fn c_wh_questions_for_a_view_are_open_and_for_a_fact_closed() {
    check(
        Lang::Da,
        &[
            (
                "Hvor synes du, vi skal begynde?",
                Open,
                "da.hv_open_hvor_view",
            ),
            (
                "Hvilken løsning tror du passer bedst til dig?",
                Open,
                "da.hv_open_hvilken_view",
            ),
            ("Hvor bor du?", Closed, "da.hv_closed_hvor"),
            ("Hvornår flyttede du?", Closed, "da.hv_closed_hvornaar"),
        ],
    );
    check(
        Lang::En,
        &[
            (
                "Where would you like to start?",
                Open,
                "en.wh_open_where_view",
            ),
            ("Where do you live?", Closed, "en.wh_closed_where"),
        ],
    );
}

#[test]
fn d_questions_without_a_question_mark_are_found() {
    check(
        Lang::Da,
        &[
            ("har du søgt om det", Closed, "da.verb_first_yes_no"),
            (
                "jeg er nysgerrig på hvordan det går med jobsøgningen",
                Open,
                "da.request_hear",
            ),
        ],
    );
    check(
        Lang::En,
        &[(
            "I wonder what you think about the plan",
            Open,
            "en.request_hear",
        )],
    );
}

#[test]
fn e_a_long_turn_ending_in_a_question_is_that_question() {
    check(
        Lang::Da,
        &[
            (
                "ja okay så du har været syg i tre uger nu og pengene er stoppet og hvad tænker du selv om det",
                Open,
                "da.tail_hv_open_hvad",
            ),
            (
                "jeg kan se at vi har fået dit brev i går men har du også sendt lønsedlerne",
                Closed,
                "da.tail_verb_first_yes_no",
            ),
        ],
    );
    check(
        Lang::En,
        &[(
            "okay so I can see the letter came on Monday and you were quite upset and how did that feel",
            Open,
            "en.tail_wh_open_how",
        )],
    );
    // A statement after "så" is no question ("så har du ret til at klage": then you may complain).
    let c = classify(
        "vi har truffet en afgørelse og så har du ret til at klage",
        Lang::Da,
    );
    assert_eq!(c.kind, QuestionKind::NotQuestion, "{}", c.rule);
}
