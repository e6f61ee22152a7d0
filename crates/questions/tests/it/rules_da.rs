//! One example per Danish rule: the rule fires, with the right identifier and cue.

use crate::check;
use medlyt_core::Lang::Da;
use medlyt_questions::{classify, QuestionKind::*};

#[test]
fn open_rules() {
    check(
        Da,
        "Kan du fortælle lidt om det?",
        Open,
        "da.request_tell",
        "kan du fortælle",
    );
    check(
        Da,
        "Kan du give mig et eksempel?",
        Open,
        "da.request_tell",
        "kan du give mig et eksempel",
    );
    check(
        Da,
        "Fortæl mig om din dag.",
        Open,
        "da.imperative_tell",
        "fortæl",
    );
    check(
        Da,
        "Prøv at forklare, hvad der skete.",
        Open,
        "da.imperative_tell",
        "prøv at forklare",
    );
    check(
        Da,
        "Sig mig, hvad tænker du?",
        Open,
        "da.imperative_tell",
        "sig mig",
    );
    check(Da, "Hvad skete der?", Open, "da.hv_open_hvad", "hvad");
    check(
        Da,
        "Hvordan har du det?",
        Open,
        "da.hv_open_hvordan",
        "hvordan",
    );
    check(
        Da,
        "Hvorfor ringer du?",
        Open,
        "da.hv_open_hvorfor",
        "hvorfor",
    );
    check(
        Da,
        "Hvad med din økonomi?",
        Open,
        "da.hv_open_hvad_med",
        "hvad med",
    );
    check(
        Da,
        "Jeg vil gerne høre, hvordan det går.",
        Open,
        "da.request_hear",
        "jeg vil gerne høre … hvordan",
    );
}

#[test]
fn closed_rules() {
    check(
        Da,
        "Hvad er dit CPR-nummer?",
        Closed,
        "da.hv_closed_hvad_fact",
        "hvad … cpr-nummer",
    );
    check(
        Da,
        "Hvad hedder du?",
        Closed,
        "da.hv_closed_hvad_hedder",
        "hvad hedder",
    );
    check(
        Da,
        "Hvad for en vej er det?",
        Closed,
        "da.hv_closed_hvad_for_en",
        "hvad for en",
    );
    check(
        Da,
        "Hvad med på torsdag?",
        Closed,
        "da.hv_closed_hvad_med_tid",
        "hvad med på",
    );
    check(
        Da,
        "Hvornår flyttede du?",
        Closed,
        "da.hv_closed_hvornaar",
        "hvornår",
    );
    check(Da, "Hvem ringede?", Closed, "da.hv_closed_hvem", "hvem");
    check(Da, "Hvor bor du?", Closed, "da.hv_closed_hvor", "hvor");
    check(
        Da,
        "Hvor mange børn har du?",
        Closed,
        "da.hv_closed_hvor_mange",
        "hvor mange",
    );
    check(
        Da,
        "Hvor længe har du ventet?",
        Closed,
        "da.hv_closed_hvor_laenge",
        "hvor længe",
    );
    check(
        Da,
        "Hvor meget får du?",
        Closed,
        "da.hv_closed_hvor_meget",
        "hvor meget",
    );
    check(
        Da,
        "Hvilken container er det?",
        Closed,
        "da.hv_closed_hvilken",
        "hvilken",
    );
    check(
        Da,
        "Har du modtaget brevet?",
        Closed,
        "da.verb_first_yes_no",
        "har du",
    );
    check(Da, "bor du alene", Closed, "da.verb_first_yes_no", "bor du");
    check(
        Da,
        "Vil du have det på mail eller med post?",
        Closed,
        "da.alternative_eller",
        "eller",
    );
    check(
        Da,
        "Du har allerede søgt?",
        Closed,
        "da.statement_question_mark",
        "?",
    );
    check(
        Da,
        "Kan du fortælle mig dit CPR-nummer?",
        Closed,
        "da.request_tell_fact",
        "kan du fortælle … cpr-nummer",
    );
    check(
        Da,
        "Fortæl mig dit telefonnummer.",
        Closed,
        "da.imperative_tell_fact",
        "fortæl … telefonnummer",
    );
    check(
        Da,
        "Jeg vil gerne vide, om du har søgt.",
        Closed,
        "da.request_hear",
        "jeg vil gerne vide … om",
    );
    check(
        Da,
        "Du har søgt, hvornår var det?",
        Closed,
        "da.embedded_hv_closed_hvornaar",
        "hvornår",
    );
}

#[test]
fn leading_rules() {
    check(
        Da,
        "Du kender reglerne, ikke?",
        Leading,
        "da.tag_ikke",
        "ikke",
    );
    check(
        Da,
        "Det forstår du, ikke også?",
        Leading,
        "da.tag_ikke_ogsaa",
        "ikke også",
    );
    check(Da, "Det er ikke svært, vel?", Leading, "da.tag_vel", "vel");
    check(Da, "det giver mening ikk'", Leading, "da.tag_ikk", "ikk'");
    check(
        Da,
        "Det har vi talt om, eller hvad?",
        Leading,
        "da.tag_eller_hvad",
        "eller hvad",
    );
    check(
        Da,
        "Det var dig, var det ikke?",
        Leading,
        "da.tag_verb_pronoun",
        "var det ikke",
    );
    check(
        Da,
        "Er det ikke rigtigt, at du fik brevet?",
        Leading,
        "da.leading_opener",
        "er det ikke rigtigt",
    );
    check(
        Da,
        "Du er vel enig i det?",
        Leading,
        "da.leading_opener",
        "du er vel enig",
    );
    check(
        Da,
        "Du har vel læst brevet?",
        Leading,
        "da.statement_particle_vel",
        "vel",
    );
    check(
        Da,
        "Du har jo fået brevet?",
        Leading,
        "da.statement_particle_jo",
        "jo",
    );
    check(
        Da,
        "du har vel en lægeerklæring",
        Leading,
        "da.statement_particle_vel",
        "vel",
    );
    check(
        Da,
        "Har du ikke selv sagt op?",
        Leading,
        "da.negative_yes_no",
        "har du ikke",
    );
}

#[test]
fn non_questions() {
    check(
        Da,
        "Jeg ved ikke, hvornår de kommer.",
        NotQuestion,
        "da.statement",
        "",
    );
    check(Da, "du har allerede søgt", NotQuestion, "da.statement", "");
    check(
        Da,
        "Så har du søgt om tilskud.",
        NotQuestion,
        "da.statement",
        "",
    );
    check(
        Da,
        "Har man børn, får man et tillæg.",
        NotQuestion,
        "da.conditional_clause",
        "har",
    );
    check(
        Da,
        "Hvornår du kommer, er op til dig.",
        NotQuestion,
        "da.hv_subordinate",
        "hvornår",
    );
    check(
        Da,
        "Hvad angår din sag, er den modtaget.",
        NotQuestion,
        "da.statement_opener",
        "hvad angår",
    );
    check(Da, "øh ja", NotQuestion, "da.empty", "");
    check(Da, "Fortællingen er lang.", NotQuestion, "da.statement", "");
}

#[test]
fn fillers_case_and_why() {
    check(
        Da,
        "Øh, altså, HVORDAN gik det?",
        Open,
        "da.hv_open_hvordan",
        "hvordan",
    );
    check(
        Da,
        "og har du fået svar",
        Closed,
        "da.verb_first_yes_no",
        "har du",
    );
    check(
        Da,
        "Og så har du ringet tre gange?",
        Closed,
        "da.verb_first_yes_no",
        "har du",
    );
    assert!(classify("Hvorfor ringer du?", Da).why);
    assert!(classify("Hvordan kan det være, at det ikke er hentet?", Da).why);
    assert!(!classify("Hvordan har du det?", Da).why);
    assert!(!classify("Jeg ved godt, hvorfor du er vred.", Da).why);
}
