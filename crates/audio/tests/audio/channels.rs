//! Stereo files that hold one microphone on both channels are told from calls with a channel
//! per party, on the committed recordings.

use crate::fixture;
use medlyt_audio::{compare_channels, decode};

fn channels(rel: &str) -> Vec<Vec<i16>> {
    decode(&fixture(rel), &Default::default(), &mut |_| {})
        .unwrap()
        .channels
}

#[test]
fn calls_with_a_channel_per_party_are_two_signals() {
    for call in [
        "calls/da-borgerservice.wav",
        "calls/da-jobcenter.wav",
        "calls/en-citizen-service.wav",
        "calls/en-jobcentre-8k-mulaw.wav",
    ] {
        let c = channels(call);
        assert_eq!(c.len(), 2, "{call}");
        let levels = compare_channels(&c[0], &c[1]);
        eprintln!("{call}: {levels:?}");
        assert!(!levels.one_signal(), "{call}: {levels:?}");
    }
}

#[test]
fn real_voices_from_one_microphone_on_both_channels_are_one_signal() {
    for mono in [
        "real/real-nl-fish.wav",
        "real/real-nl-fish-tel.wav",
        "mono/da-same-gender.wav",
    ] {
        let c = channels(mono);
        // A recorder that writes the microphone to both channels, the right 3 dB lower.
        let right: Vec<i16> = c[0].iter().map(|&s| (f32::from(s) * 0.7) as i16).collect();
        let levels = compare_channels(&c[0], &right);
        eprintln!("{mono}: {levels:?}");
        assert!(levels.one_signal(), "{mono}: {levels:?}");
    }
}
