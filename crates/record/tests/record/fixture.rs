//! Recording a fixture call played through a real ALSA capture device.

use crate::rig::{self, FileDevice, Job};
use std::path::Path;

/// The first `seconds` of a fixture call, interleaved stereo at 16 kHz.
pub fn fixture_stereo(seconds: f64) -> Vec<i16> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/calls/da-borgerservice.wav");
    let mut r = hound::WavReader::open(path).unwrap();
    assert_eq!((r.spec().channels, r.spec().sample_rate), (2, 16_000));
    let n = (seconds * 16_000.0) as usize * 2;
    r.samples::<i16>().take(n).map(Result::unwrap).collect()
}

fn channel(interleaved: &[i16], c: usize) -> Vec<f64> {
    interleaved
        .iter()
        .skip(c)
        .step_by(2)
        .map(|&s| f64::from(s))
        .collect()
}

#[test]
fn records_the_fixture_through_an_alsa_device_with_roles_in_order() {
    let _alone = crate::rig::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let audio = fixture_stereo(8.0);
    let conf = rig::asound_conf(
        dir.path(),
        &[FileDevice {
            name: "medlyt_call",
            samples: audio.clone(),
            rate: 16_000,
            channels: 2,
        }],
    );
    let out = dir.path().join("session.wav");
    // The headset splitter is wired the other way round: the citizen is on the left.
    let summary = rig::run(&Job {
        conf: &conf,
        out: &out,
        devices: &["medlyt_call@16000".to_string()],
        roles: "citizen,employee",
        seconds: 6.0,
        ring_s: 60.0,
    });
    assert_eq!(rig::field(&summary, "roles"), "employee,citizen");
    assert_eq!(rig::field(&summary, "end"), "TimeLimit");
    let (rate, got) = rig::read_wav(&out);
    assert_eq!(rate, 16_000);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].len(), 96_000);
    let (left, right) = (channel(&audio, 0), channel(&audio, 1));
    // Written channel 0 is the employee: the fixture's right channel.
    let (c_emp, lag_emp) = rig::best_correlation(&got[0], &right, 1600);
    let (c_cit, lag_cit) = rig::best_correlation(&got[1], &left, 1600);
    assert!(c_emp >= 0.99, "employee correlation {c_emp}");
    assert!(c_cit >= 0.99, "citizen correlation {c_cit}");
    assert_eq!(lag_emp, lag_cit, "the two channels came apart");
    let (wrong, _) = rig::best_correlation(&got[0], &left, 1600);
    assert!(wrong < 0.5, "employee channel holds the citizen: {wrong}");
}
