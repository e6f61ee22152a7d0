//! Very short and odd sentences, as speech recognition writes them ("Eller?", "Ja?", "?"), are
//! classified without a panic, whatever words they are made of.

use medlyt_core::Lang;
use medlyt_questions::{classify, QuestionKind};

const WORDS: &[&str] = &[
    "eller", "or", "hvad", "what", "har", "do", "du", "you", "ikke", "right", "ja", "vel", "?",
    "...", "—", "",
];

#[test]
fn every_sentence_of_up_to_three_cue_words_is_classified() {
    for lang in [Lang::Da, Lang::En] {
        for a in WORDS {
            for b in WORDS {
                for c in WORDS {
                    for end in ["?", "", "."] {
                        let s = format!("{a} {b} {c}{end}");
                        let got = classify(s.trim(), lang);
                        assert!(!got.rule.is_empty(), "no rule for {s:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_lone_alternative_word_is_a_question_without_alternatives() {
    for (lang, s) in [(Lang::Da, "Eller?"), (Lang::En, "Or?")] {
        let got = classify(s, lang);
        assert_ne!(got.kind, QuestionKind::NotQuestion, "{s}: {got:?}");
    }
}
