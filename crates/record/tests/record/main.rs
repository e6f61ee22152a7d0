//! Integration tests of medlyt-record: recording through an ALSA capture device backed by the
//! `file` plugin, surviving SIGKILL, a device that stops, repairing, aligning two clocks, and a
//! full disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod clocks;
mod fixture;
mod kill;
mod repair;
mod rig;

/// Not a test of its own: the entry point of the recorder child process the other tests start
/// (it does nothing unless they set its environment).
#[test]
fn child_records() {
    rig::child_records();
}
