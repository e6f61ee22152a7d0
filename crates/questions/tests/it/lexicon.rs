//! Loading, checking and overriding the cue lists.

use medlyt_core::Lang;
use medlyt_questions::{classify_with, QuestionKind, QuestionRules, RulesError};

#[test]
fn embedded_rules_parse() {
    for lang in [Lang::Da, Lang::En] {
        let rules = QuestionRules::embedded(lang).unwrap();
        assert_eq!(rules.lang, lang);
        assert!(!rules.question_words.is_empty());
        assert_eq!(QuestionRules::default_for(lang), &rules);
    }
}

#[test]
fn consultant_can_override_a_list() {
    let mut rules = QuestionRules::embedded(Lang::Da).unwrap();
    let before = classify_with("Det er fint, ja?", &rules);
    assert_eq!(before.kind, QuestionKind::Leading);
    rules.marked_tags.retain(|t| t != "ja");
    let json = serde_json::to_string(&rules).unwrap();
    let edited = QuestionRules::from_json(&json).unwrap();
    let after = classify_with("Det er fint, ja?", &edited);
    assert_eq!(
        (after.kind, after.rule.as_str()),
        (QuestionKind::Closed, "da.statement_question_mark")
    );
}

#[test]
fn bad_rules_are_rejected() {
    let rules = QuestionRules::embedded(Lang::En).unwrap();
    let mut value = serde_json::to_value(&rules).unwrap();
    value["tags"] = serde_json::json!(["Right"]);
    let err = QuestionRules::from_json(&value.to_string()).unwrap_err();
    assert!(
        matches!(err, RulesError::NotLowercase { list: "tags", .. }),
        "{err}"
    );
    value["tags"] = serde_json::json!([" "]);
    let err = QuestionRules::from_json(&value.to_string()).unwrap_err();
    assert!(
        matches!(err, RulesError::EmptyPhrase { list: "tags" }),
        "{err}"
    );
    let err = QuestionRules::from_json("{}").unwrap_err();
    assert!(matches!(err, RulesError::Parse { .. }), "{err}");
}

#[test]
fn empty_rules_still_use_the_question_mark() {
    let rules = QuestionRules::empty(Lang::Da);
    assert_eq!(
        classify_with("Du har søgt?", &rules).kind,
        QuestionKind::Closed
    );
    assert_eq!(
        classify_with("Du har søgt.", &rules).kind,
        QuestionKind::NotQuestion
    );
}
