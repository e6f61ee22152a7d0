//! A recorder killed with SIGKILL leaves a playable file; `repair` restores a file whose header
//! was never updated; a full disk leaves a valid file.

use crate::fixture::fixture_stereo;
use crate::rig::{self, Job};
use medlyt_record::{repair, LiveWav, RecordError, Sink};
use std::io::{self, Cursor, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Frames the header of a 2-channel 16-bit file states (0 when it cannot be read yet).
fn header_frames(path: &Path) -> u64 {
    let bytes = std::fs::read(path).unwrap_or_default();
    if bytes.len() < 44 {
        return 0;
    }
    u64::from(u32::from_le_bytes([
        bytes[40], bytes[41], bytes[42], bytes[43],
    ])) / 4
}

#[test]
fn sigkill_leaves_a_playable_file_with_all_audio_up_to_the_last_header_update() {
    let _alone = crate::rig::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let audio = fixture_stereo(12.0);
    // A simulated device playing the fixture in real time.
    let source = dir.path().join("call.wav");
    rig::write_wav(&source, 2, 16_000, &audio);
    let out = dir.path().join("killed.wav");
    let conf = dir.path().join("none.conf");
    let mut child = rig::spawn(&Job {
        conf: &conf,
        out: &out,
        devices: &[format!("file:{}", source.display())],
        roles: "employee,citizen",
        seconds: 60.0,
        ring_s: 4.0,
    });
    let started = Instant::now();
    while header_frames(&out) < 3 * 16_000 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the header never grew"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(400));
    let stated_before_kill = header_frames(&out);
    // SIGKILL: nothing in the recorder runs after this.
    child.kill().unwrap();
    child.wait().unwrap();

    let stated = header_frames(&out);
    assert!(stated >= stated_before_kill);
    let (rate, got) = rig::read_wav(&out);
    assert_eq!(rate, 16_000);
    assert_eq!(
        got[0].len() as u64,
        stated,
        "hound reads what the header states"
    );
    // Every frame the header states is the fixture's, sample for sample, from where the
    // capture began (the device played before the recorder opened it).
    let want: Vec<f64> = audio.iter().map(|&s| f64::from(s)).collect();
    let left: Vec<f64> = want.iter().step_by(2).copied().collect();
    let (c, lag) = rig::best_correlation(&left, &got[0], 1600);
    assert!(
        c > 0.99 && lag == 0,
        "recording not found in the fixture: {c} at {lag}"
    );
    let at = 0;
    for (i, (l, r)) in got[0].iter().zip(&got[1]).enumerate() {
        assert_eq!(
            (*l, *r),
            (want[2 * (at + i)], want[2 * (at + i) + 1]),
            "frame {i}"
        );
    }

    // The frames written after the last header update are there too: repair brings them in.
    let fixed = repair(&out).unwrap();
    assert_eq!(fixed.frames_before, stated);
    assert!(fixed.frames_after >= stated);
    let (_, all) = rig::read_wav(&out);
    assert_eq!(all[0].len() as u64, fixed.frames_after);
    for (i, (l, r)) in all[0].iter().zip(&all[1]).enumerate() {
        let j = 2 * (at + i);
        assert_eq!((*l, *r), (want[j], want[j + 1]), "frame {i}");
    }
}

#[test]
fn a_device_that_stops_ends_the_recording_with_everything_saved() {
    let _alone = crate::rig::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let audio = fixture_stereo(2.0);
    let source = dir.path().join("short.wav");
    rig::write_wav(&source, 2, 16_000, &audio);
    let out = dir.path().join("lost.wav");
    let summary = rig::run(&Job {
        conf: &dir.path().join("none.conf"),
        out: &out,
        devices: &[format!("file:{}", source.display())],
        roles: "employee,citizen",
        seconds: 60.0,
        ring_s: 4.0,
    });
    assert_eq!(rig::field(&summary, "end"), "DeviceLost");
    let (_, got) = rig::read_wav(&out);
    assert_eq!(got[0].len(), 32_000);
    let back: Vec<i16> = (0..32_000)
        .flat_map(|i| [got[0][i] as i16, got[1][i] as i16])
        .collect();
    assert_eq!(back, audio);
}

#[test]
fn repair_restores_a_file_whose_header_was_never_updated() {
    let _alone = crate::rig::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.wav");
    let samples: Vec<i16> = (0..48_000i32)
        .map(|i| ((i * 37) % 20_000 - 10_000) as i16)
        .collect();
    let mut wav = LiveWav::create(&path, 2, 16_000).unwrap();
    wav.write(&samples).unwrap();
    // The process dies before any commit: the header says 0 frames, and half a frame dangles.
    drop(wav);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all(&[1, 2, 3]).unwrap();
    drop(f);
    assert_eq!(header_frames(&path), 0);

    let fixed = repair(&path).unwrap();
    assert_eq!(fixed.frames_before, 0);
    assert_eq!(fixed.frames_after, 24_000);
    assert_eq!(fixed.dropped_bytes, 3);
    let mut r = hound::WavReader::open(&path).unwrap();
    let back: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    assert_eq!(back, samples);
    // Repairing a sound file changes nothing.
    let again = repair(&path).unwrap();
    assert_eq!((again.frames_before, again.frames_after), (24_000, 24_000));
}

#[test]
fn repair_refuses_what_is_not_a_wav_file() {
    let _alone = crate::rig::exclusive();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not audio at all").unwrap();
    assert!(matches!(repair(&path), Err(RecordError::NotWav { .. })));
}

/// A disk that is full after `room` bytes.
struct SmallDisk {
    inner: Cursor<Vec<u8>>,
    room: u64,
}

impl Write for SmallDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let pos = self.inner.position();
        let left = self.room.saturating_sub(pos) as usize;
        if left == 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        self.inner.write(&buf[..buf.len().min(left)])
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for SmallDisk {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

impl Sink for SmallDisk {
    fn sync(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn set_len(&mut self, len: u64) -> io::Result<()> {
        self.inner.get_mut().truncate(len as usize);
        Ok(())
    }
}

#[test]
fn a_full_disk_gives_a_clear_error_and_a_valid_file() {
    let _alone = crate::rig::exclusive();
    // Room for the header and 1000 bytes of samples: 250 frames and half of one more.
    let disk = SmallDisk {
        inner: Cursor::new(Vec::new()),
        room: 44 + 1002,
    };
    let mut wav = LiveWav::new(disk, Path::new("full.wav"), 2, 16_000).unwrap();
    wav.write(&[7i16; 200]).unwrap();
    wav.commit().unwrap();
    let err = wav.write(&[9i16; 2000]).unwrap_err();
    assert!(err.to_string().contains("no space left"), "{err}");
    assert_eq!(wav.committed_frames(), 250);
    // What is on the "disk" is a valid WAV holding exactly the whole frames that fit.
    let bytes = wav_bytes(wav);
    assert_eq!(bytes.len(), 44 + 1000);
    let mut r = hound::WavReader::new(Cursor::new(bytes)).unwrap();
    let back: Vec<i16> = r.samples::<i16>().map(Result::unwrap).collect();
    assert_eq!(back.len(), 500);
    assert!(back[..200].iter().all(|&s| s == 7) && back[200..].iter().all(|&s| s == 9));
}

fn wav_bytes(wav: LiveWav<SmallDisk>) -> Vec<u8> {
    wav.into_sink().inner.into_inner()
}
