//! One example per English rule: the rule fires, with the right identifier and cue.

use crate::check;
use medlyt_core::Lang::En;
use medlyt_questions::{classify, QuestionKind::*};

#[test]
fn open_rules() {
    check(En, "How are you coping?", Open, "en.wh_open_how", "how");
    check(En, "What happened?", Open, "en.wh_open_what", "what");
    check(En, "Why did you move?", Open, "en.wh_open_why", "why");
    check(
        En,
        "How come it was not collected?",
        Open,
        "en.wh_open_how_come",
        "how come",
    );
    check(
        En,
        "What about your health?",
        Open,
        "en.wh_open_what_about",
        "what about",
    );
    check(
        En,
        "Could you tell me more about that?",
        Open,
        "en.request_tell",
        "could you tell",
    );
    check(
        En,
        "Could you walk me through it?",
        Open,
        "en.request_tell",
        "could you walk me through",
    );
    check(
        En,
        "Tell me about your job.",
        Open,
        "en.imperative_tell",
        "tell me",
    );
    check(
        En,
        "I'd like to hear how it went.",
        Open,
        "en.request_hear",
        "i'd like to hear … how",
    );
}

#[test]
fn closed_rules() {
    check(
        En,
        "What is your case number?",
        Closed,
        "en.wh_closed_what_fact",
        "what … number",
    );
    check(
        En,
        "What time is it?",
        Closed,
        "en.wh_closed_what_time",
        "what time",
    );
    check(
        En,
        "Who is your caseworker?",
        Closed,
        "en.wh_closed_who",
        "who",
    );
    check(
        En,
        "When did you move?",
        Closed,
        "en.wh_closed_when",
        "when",
    );
    check(
        En,
        "Where do you live?",
        Closed,
        "en.wh_closed_where",
        "where",
    );
    check(
        En,
        "Which bin is it?",
        Closed,
        "en.wh_closed_which",
        "which",
    );
    check(
        En,
        "How many children do you have?",
        Closed,
        "en.wh_closed_how_many",
        "how many",
    );
    check(
        En,
        "How long have you waited?",
        Closed,
        "en.wh_closed_how_long",
        "how long",
    );
    check(
        En,
        "Do you live alone?",
        Closed,
        "en.verb_first_yes_no",
        "do you",
    );
    check(
        En,
        "Is it yellow or green?",
        Closed,
        "en.alternative_or",
        "or",
    );
    check(
        En,
        "You already applied?",
        Closed,
        "en.statement_question_mark",
        "?",
    );
    check(
        En,
        "Can you tell me your date of birth?",
        Closed,
        "en.request_tell_fact",
        "can you tell … date",
    );
    check(
        En,
        "Can you tell me when you moved?",
        Closed,
        "en.request_tell_fact",
        "can you tell",
    );
}

#[test]
fn leading_rules() {
    check(
        En,
        "You know the rules, right?",
        Leading,
        "en.tag_right",
        "right",
    );
    check(
        En,
        "That's not hard, is it?",
        Leading,
        "en.tag_verb_pronoun",
        "is it",
    );
    check(
        En,
        "You understand, don't you?",
        Leading,
        "en.tag_verb_pronoun",
        "don't you",
    );
    check(
        En,
        "Don't you think it is better?",
        Leading,
        "en.leading_opener",
        "don't you think",
    );
    check(
        En,
        "Isn't it true that you left?",
        Leading,
        "en.leading_opener",
        "isn't it true",
    );
    check(
        En,
        "Haven't you been told?",
        Leading,
        "en.negative_yes_no",
        "haven't you been",
    );
    check(
        En,
        "Surely that was fine?",
        Leading,
        "en.leading_opener",
        "surely",
    );
}

#[test]
fn non_questions() {
    check(
        En,
        "I don't know when they come.",
        NotQuestion,
        "en.statement",
        "",
    );
    check(En, "you already applied", NotQuestion, "en.statement", "");
    check(
        En,
        "Had I known, I would have called.",
        NotQuestion,
        "en.conditional_clause",
        "had",
    );
    check(
        En,
        "What you decide is up to you.",
        NotQuestion,
        "en.hv_subordinate",
        "what",
    );
    check(En, "Have a nice day.", NotQuestion, "en.statement", "");
    assert!(classify("Why not?", En).why);
}
