//! The Markdown report on the golden transcripts, as committed snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use medlyt_analysis::{analyze, Config};
use medlyt_core::{Lang, Transcript};
use std::path::PathBuf;

fn report(name: &str, lang: Lang) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/transcripts")
        .join(format!("{name}.json"));
    let transcript = Transcript::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    medlyt_report::markdown(&analyze(&transcript, &Config::for_lang(Lang::Da)), lang)
}

#[test]
fn escalated_jobcenter_call_in_danish() {
    insta::assert_snapshot!(report("jobcenter-escalation-da", Lang::Da));
}

#[test]
fn escalated_jobcenter_call_in_english() {
    insta::assert_snapshot!(report("jobcenter-escalation-da", Lang::En));
}

#[test]
fn interruptions_call_in_danish() {
    insta::assert_snapshot!(report("interruptions-backchannels-2spk", Lang::Da));
}

#[test]
fn low_quality_transcript_carries_the_uncertainty_notice() {
    let text = report("low-quality-wrong-language", Lang::Da);
    assert!(text.contains("> **Usikker transskription.**"));
    insta::assert_snapshot!(text);
}

#[test]
fn suggestions_quote_the_interruption_with_its_time() {
    let text = report("interruptions-backchannels-2spk", Lang::Da);
    assert!(text.contains(
        "00:27: du afbrød borgeren, mens borgeren sagde »Men jeg har ikke råd til at vente to uger med huslejen«; du sagde »Ja men hør nu her«"
    ), "{text}");
}

#[test]
fn transcript_text_is_shown_as_text_not_markup() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/transcripts/jobcenter-escalation-da.json");
    let mut transcript = Transcript::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let hostile = " <img src=x onerror=alert(1)> <script>alert(2)</script> [klik](http://x) \
                   `kode` *fed* a|b & c";
    for s in &mut transcript.segments {
        s.text.push_str(hostile);
    }
    transcript.recording.source = "`<b>`.wav".to_string();
    let a = analyze(&transcript, &Config::for_lang(Lang::Da));
    for lang in [Lang::Da, Lang::En] {
        let md = medlyt_report::markdown(&a, lang);
        assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{md}");
        assert!(md.contains("&lt;script&gt;alert(2)&lt;/script&gt;"), "{md}");
        assert!(md.contains("\\[klik\\](http://x)"), "{md}");
        assert!(
            md.contains("\\`kode\\`") && md.contains("\\*fed\\*"),
            "{md}"
        );
        assert!(md.contains("a\\|b &amp; c"), "{md}");
        assert!(!md.contains("<img") && !md.contains("<script"), "{md}");
        // The file name is one code span, whatever backticks it holds.
        assert!(md.contains("`` `<b>`.wav ``"), "{md}");
        // Table rows keep their columns.
        for row in md
            .lines()
            .filter(|l| l.starts_with('|') && l.contains("img"))
        {
            let cols = row.replace("\\|", "").matches('|').count();
            assert_eq!(cols, 6, "{row}");
        }
    }
}
