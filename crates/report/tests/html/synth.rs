//! A generated 90-minute call: alternating turns with questions of every kind, interruptions,
//! backchannels, long silences and escalation cues, from a fixed seed.

use medlyt_analysis::{analyze, Analysis, Config};
use medlyt_core::{Lang, LanguageInfo, Recording, Segment, Transcript};

const EMPLOYEE: &[&str] = &[
    "Hvad skete der så?",
    "Har du fået brevet fra os?",
    "Du har jo allerede søgt, ikke?",
    "Kan du fortælle lidt mere om det?",
    "Jeg kan godt forstå, at det er frustrerende.",
    "Det er reglerne, og dem kan jeg ikke ændre.",
    "Jeg sender dig et brev i morgen med afgørelsen jf. § 59.",
    "Hvornår flyttede du?",
    "Okay. Og hvordan går det med jobsøgningen? Har du sendt nogen ansøgninger?",
    "Det vil sige, at vi skal have dine lønsedler, før vi kan regne støtten ud.",
];

const CITIZEN: &[&str] = &[
    "Ja, jeg fik det i sidste uge, men jeg forstod ikke, hvad der stod i det.",
    "Det er fuldstændig urimeligt, det her!",
    "Jeg vil tale med din chef, og ellers klager jeg.",
    "Nej.",
    "Jeg har ringet tre gange nu, og ingen kan give mig et svar.",
    "Hvorfor skal det tage så lang tid?",
    "Det er fint, tak.",
    "Jeg har været syg i to måneder og kunne ikke komme til samtalen.",
];

/// A small linear congruential generator, so the call is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn unit(&mut self) -> f64 {
        (self.next() % 10_000) as f64 / 10_000.0
    }
}

fn segment(track: usize, start: f64, end: f64, text: &str) -> Segment {
    Segment {
        track,
        start,
        end,
        text: text.into(),
        probability: 0.9,
        words: vec![],
        loudness_dbfs: None,
    }
}

// `is_multiple_of` is newer than the workspace's minimum Rust version.
#[allow(clippy::manual_is_multiple_of)]
/// The transcript of a generated call of `minutes` minutes.
pub fn transcript(minutes: f64) -> Transcript {
    let duration = minutes * 60.0;
    let mut t = Transcript::new(
        Recording {
            source: format!("synthetic-{minutes}min.wav"),
            duration,
            sample_rate: 16000,
            channels: 2,
            codec: "wav/pcm_s16le".into(),
        },
        LanguageInfo {
            requested: "da".into(),
            ..Default::default()
        },
    );
    t.add_stereo_tracks();
    t.segments.push(segment(
        0,
        1.0,
        6.0,
        "Goddag, du taler med Anna fra Jobcenter Vest.",
    ));
    let mut rng = Rng(7);
    let mut at = 7.0;
    let mut party = 1;
    let mut n = 0usize;
    while at < duration - 20.0 {
        n += 1;
        let lines = if party == 0 { EMPLOYEE } else { CITIZEN };
        let text = lines[(rng.next() as usize) % lines.len()];
        let len = 1.5 + rng.unit() * 7.0;
        let end = (at + len).min(duration - 15.0);
        t.segments.push(segment(party, at, end, text));
        if n % 9 == 0 {
            // A backchannel from the listener in the middle of the turn.
            let mid = at + len / 2.0;
            t.segments.push(segment(1 - party, mid, mid + 0.4, "mm"));
        }
        at = if n % 40 == 0 {
            end + 12.0 + rng.unit() * 8.0
        } else if n % 11 == 0 {
            end - 1.5
        } else {
            end + 0.2 + rng.unit() * 1.2
        };
        party = 1 - party;
    }
    t.segments.push(segment(
        0,
        duration - 12.0,
        duration - 6.0,
        "For at opsummere: jeg sender brevet i morgen.",
    ));
    t.segments.push(segment(
        1,
        duration - 5.0,
        duration - 2.0,
        "Tak for hjælpen.",
    ));
    t.sort_segments();
    t
}

/// The analysis of the generated call.
pub fn analysis(minutes: f64) -> Analysis {
    analyze(&transcript(minutes), &Config::for_lang(Lang::Da))
}
