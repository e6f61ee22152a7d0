//! Hostile and broken input gives errors, never panics.

use medlyt_formats::{
    looks_like_transcript, read_transcript, read_transcript_str, write_transcript, FormatError,
    InputFormat, OutputFormat, Place, ReadOptions, MAX_INPUT_BYTES,
};
use std::io::Write;

/// Pieces that matter to the parsers, glued together at random.
const PIECES: &[&str] = &[
    "WEBVTT",
    "\n",
    "\n\n",
    "\r\n",
    " --> ",
    "-->",
    "00:00:01.000",
    "99999999:00:00.000",
    "01:5",
    "<v",
    "<v.employee ",
    "<v >",
    ">",
    "</v>",
    "<",
    "&",
    "&#",
    "&#x110000;",
    "&amp",
    ";",
    "[",
    "]",
    "(",
    ")",
    "1:02:03",
    "00:7x",
    ":",
    "Anna",
    "Bo Hansen",
    "æøå",
    "\u{feff}",
    "{",
    "}",
    "NOTE",
    " ",
    "\t",
    "\u{0}",
    "--",
    "//",
    "12:",
    "1\n",
    "00:00:02,500",
    "employee: ",
    "🙂",
];

/// A small deterministic generator (64-bit LCG), so failures can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn random_glued_pieces_never_panic() {
    let mut rng = Lcg(7);
    let hints = [
        None,
        Some(InputFormat::Vtt),
        Some(InputFormat::Text),
        Some(InputFormat::Json),
    ];
    let (mut read_ok, mut read_err) = (0, 0);
    for round in 0..3000 {
        let n = rng.next() % 40;
        let text: String = (0..n).map(|_| PIECES[rng.next() % PIECES.len()]).collect();
        let hint = hints[round % hints.len()];
        let opts = ReadOptions {
            employee: (round % 3 == 0).then(|| "an".to_string()),
        };
        match read_transcript_str(&text, hint, &opts) {
            Ok(t) => {
                read_ok += 1;
                for f in OutputFormat::ALL {
                    let _ = write_transcript(&t, f);
                }
                assert!(
                    t.segments
                        .iter()
                        .all(|s| s.start <= s.end && s.start >= 0.0),
                    "{text:?}"
                );
            }
            Err(_) => read_err += 1,
        }
    }
    // Both paths were exercised.
    assert!(
        read_ok > 50 && read_err > 50,
        "{read_ok} read, {read_err} rejected"
    );
}

#[test]
fn huge_times_and_long_lines_are_handled() {
    let opts = ReadOptions::default();
    let err = read_transcript_str(
        "WEBVTT\n\n99999999:00:00.000 --> 1:00.000\n<v A>a\n",
        None,
        &opts,
    )
    .unwrap_err();
    assert!(
        matches!(err, FormatError::Timestamp { line: 3, .. }),
        "{err}"
    );
    // A turn over several lines is read up to the limit of one segment's text; past it, and for
    // one line past the limit of a line, the error names the line.
    let long = format!(
        "Bo: ja\nAnna: {}",
        format!("{}\n", "ord ".repeat(3_000)).repeat(5)
    );
    let t = read_transcript_str(&long, None, &opts).unwrap();
    assert_eq!(t.segments[1].words.len(), 15_000);
    let longer = format!(
        "Bo: ja\nAnna: {}",
        format!("{}\n", "ord ".repeat(3_000)).repeat(6)
    );
    let err = read_transcript_str(&longer, None, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            FormatError::TextTooLong {
                place: Place::Line(2),
                ..
            }
        ),
        "{err}"
    );
    let one_line = format!("Anna: {}\n", "ord ".repeat(200_000));
    let err = read_transcript_str(&one_line, None, &opts).unwrap_err();
    assert!(
        matches!(err, FormatError::LineTooLong { line: 1, .. }),
        "{err}"
    );
    let nested = format!(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n{}\n",
        "<".repeat(60_000)
    );
    assert!(read_transcript_str(&nested, None, &opts).is_ok());
}

#[test]
fn file_errors_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let opts = ReadOptions::default();

    let missing = dir.path().join("missing.vtt");
    assert!(matches!(
        read_transcript(&missing, &opts),
        Err(FormatError::Io { .. })
    ));

    let latin1 = dir.path().join("notes.txt");
    std::fs::write(&latin1, b"Anna: hej\nBo: p\xe5 gensyn\n").unwrap();
    let err = read_transcript(&latin1, &opts).unwrap_err();
    assert!(matches!(err, FormatError::NotUtf8 { line: 2, .. }), "{err}");

    let big = dir.path().join("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_INPUT_BYTES + 1).unwrap();
    let err = read_transcript(&big, &opts).unwrap_err();
    assert!(matches!(err, FormatError::TooLarge { .. }), "{err}");

    let empty = dir.path().join("empty.vtt");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        read_transcript(&empty, &opts),
        Err(FormatError::Empty)
    ));

    let not_json = dir.path().join("x.json");
    std::fs::write(&not_json, b"Anna: hej").unwrap();
    let err = read_transcript(&not_json, &opts).unwrap_err();
    assert!(matches!(err, FormatError::Json(_)), "{err}");
    assert!(
        err.to_string().starts_with("not a medlyt transcript"),
        "{err}"
    );
}

#[test]
fn sniffing_tells_transcripts_from_audio() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
        p
    };
    let wav = write(
        "call.wav",
        b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00",
    );
    assert!(!looks_like_transcript(&wav));
    let mp3 = write("call.mp3", &[0xff, 0xfb, 0x90, 0x64, 0x00, 0x0f, 0xf0]);
    assert!(!looks_like_transcript(&mp3));
    assert!(looks_like_transcript(&write(
        "notes",
        "Anna: Goddag\nBo: Hej\n".as_bytes()
    )));
    assert!(looks_like_transcript(&write("call.export", b"WEBVTT\n\n")));
    assert!(looks_like_transcript(&write(
        "subs",
        b"1\n00:00:01,000 --> 00:00:02,000\nhej\n"
    )));
    assert!(
        looks_like_transcript(&write("any.TXT", b"\x00\x01")),
        "extension decides"
    );
    // A text file without speaker lines and with an unknown extension is not taken for a transcript.
    assert!(!looks_like_transcript(&write(
        "readme.md",
        b"# Heading\nSome text.\n"
    )));
    assert!(!looks_like_transcript(&dir.path().join("missing")));
    // A multi-byte character cut at the sniffing limit does not hide a speaker line.
    let mut cut = b"Anna: hej\n".to_vec();
    cut.resize(4095, b'a');
    cut.extend("å".as_bytes());
    assert!(looks_like_transcript(&write("cut", &cut)));
}
