//! The recording a report plays from: a file beside the report, or embedded in it.

use std::path::{Component, Path};

/// Where the report finds the call's recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioRef {
    /// A file beside the report, referred to by a relative address (usually its file name).
    Beside {
        /// The address relative to the report, e.g. `call.wav`.
        href: String,
    },
    /// The recording itself, written into the page as base64.
    Embedded {
        /// The media type, e.g. `audio/wav`.
        mime: String,
        /// The file's bytes.
        bytes: Vec<u8>,
    },
}

impl AudioRef {
    /// A recording beside the report, by its file name.
    pub fn beside(file_name: &str) -> AudioRef {
        AudioRef::Beside {
            href: file_name.to_string(),
        }
    }

    /// The recording at `recording` as seen from a report written into `report_dir`: a relative
    /// address such as `call.wav` or `../calls/call.wav`. `None` when either path cannot be
    /// resolved (e.g. the folder does not exist yet) or the file is not a path's file.
    pub fn relative(report_dir: &Path, recording: &Path) -> Option<AudioRef> {
        let dir = report_dir.canonicalize().ok()?;
        let file = recording.canonicalize().ok()?;
        let common = dir
            .components()
            .zip(file.components())
            .take_while(|(a, b)| a == b)
            .count();
        let mut parts: Vec<String> = dir
            .components()
            .skip(common)
            .map(|_| "..".to_string())
            .collect();
        for c in file.components().skip(common) {
            match c {
                Component::Normal(name) => parts.push(name.to_str()?.to_string()),
                _ => return None,
            }
        }
        (!parts.is_empty()).then(|| AudioRef::Beside {
            href: parts.join("/"),
        })
    }

    /// A recording to embed, with its media type taken from the file name's extension.
    pub fn embedded(file_name: &str, bytes: Vec<u8>) -> AudioRef {
        AudioRef::Embedded {
            mime: mime_of(file_name).to_string(),
            bytes,
        }
    }

    /// The `src` of the page's audio element.
    pub(crate) fn src(&self) -> String {
        match self {
            AudioRef::Beside { href } => percent_path(href),
            AudioRef::Embedded { mime, bytes } => format!("data:{mime};base64,{}", base64(bytes)),
        }
    }
}

/// The media type for a recording's file name.
pub(crate) fn mime_of(file_name: &str) -> &'static str {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "mp3" => "audio/mpeg",
        "flac" => "audio/flac",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "m4a" | "mp4" => "audio/mp4",
        "webm" => "audio/webm",
        _ => "audio/wav",
    }
}

/// A relative file address with the characters a URL cannot hold percent-encoded.
fn percent_path(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for b in href.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn relative_addresses_climb_out_of_the_report_folder() {
        let root = std::env::temp_dir().join(format!("medlyt-audio-{}", std::process::id()));
        let (calls, out) = (root.join("calls"), root.join("out").join("call 1"));
        std::fs::create_dir_all(&calls).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(calls.join("a.wav"), b"x").unwrap();
        std::fs::write(out.join("b.wav"), b"x").unwrap();
        assert_eq!(
            AudioRef::relative(&out, &calls.join("a.wav")),
            Some(AudioRef::beside("../../calls/a.wav"))
        );
        assert_eq!(
            AudioRef::relative(&out, &out.join("b.wav")),
            Some(AudioRef::beside("b.wav"))
        );
        assert_eq!(AudioRef::relative(&out, &calls.join("missing.wav")), None);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn beside_file_names_are_percent_encoded() {
        assert_eq!(AudioRef::beside("opkald 1.wav").src(), "opkald%201.wav");
        assert_eq!(AudioRef::beside("a\"b.mp3").src(), "a%22b.mp3");
        let e = AudioRef::embedded("x.MP3", b"foo".to_vec());
        assert_eq!(e.src(), "data:audio/mpeg;base64,Zm9v");
    }
}
