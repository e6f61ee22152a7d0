//! Sentence splitting on transcript-like text.

use medlyt_questions::sentences;

#[test]
fn splits_a_call_excerpt() {
    let text = "Hej, det er Anne fra Borgerservice. Hvad kan jeg hjælpe med? Jeg har fået et brev jf. § 59, f.eks. om 2.5 timer… Ved du, hvornår? Ja!";
    assert_eq!(
        sentences(text),
        [
            "Hej, det er Anne fra Borgerservice.",
            "Hvad kan jeg hjælpe med?",
            "Jeg har fået et brev jf. § 59, f.eks. om 2.5 timer…",
            "Ved du, hvornår?",
            "Ja!"
        ]
    );
}

#[test]
fn quotes_and_english_abbreviations() {
    assert_eq!(
        sentences("He said \"no.\" Then Mr. Hansen called, i.e. the neighbour."),
        [
            "He said \"no.\"",
            "Then Mr. Hansen called, i.e. the neighbour."
        ]
    );
}
