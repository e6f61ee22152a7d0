//! A short remark inside the other's speech is not an interruption, whatever its words.
#![allow(clippy::expect_used)]

use medlyt_analysis::{analyze, Config};
use medlyt_core::{Lang, Role, Transcript};

fn call(remark: (f64, f64), text: &str) -> Transcript {
    let mut t = Transcript::two_party("x", "da", 20.0);
    t.push_text(
        Role::Employee,
        1.0,
        9.0,
        "Så sender du sygemeldingen i dag, og jeg ser på den i morgen tidlig.",
    );
    t.push_text(Role::Citizen, remark.0, remark.1, text);
    t.push_text(Role::Employee, 10.0, 12.0, "Er det i orden?");
    t
}

#[test]
fn a_short_remark_the_other_talks_on_over_is_a_brief_overlap() {
    let config = Config::for_lang(Lang::Da);
    // 0.7 s of words that are no backchannel (a misheard "ja"), while the employee goes on.
    let a = analyze(&call((5.0, 5.7), "er nævlig"), &config);
    assert!(
        a.interruptions.events.is_empty(),
        "{:?}",
        a.interruptions.events
    );
    assert_eq!(a.interruptions.brief_overlaps, 1);
    // 2 s of the citizen's words while the employee goes on: talked over, an interruption.
    let b = analyze(
        &call((5.0, 7.0), "men det har jeg jo allerede sendt"),
        &config,
    );
    assert_eq!(
        b.interruptions.events.len(),
        1,
        "{:?}",
        b.interruptions.events
    );
    // With the rule switched off the short remark counts again.
    let off = config
        .merge_str("[interruptions]\nmax_remark = 0.0\n")
        .expect("override");
    let c = analyze(&call((5.0, 5.7), "er nævlig"), &off);
    assert_eq!(c.interruptions.events.len(), 1);
}
