//! Whether a compressed file ends before its stream does: an Ogg stream whose last page lacks
//! the end-of-stream flag, or an MP3 whose last frame is cut short. Decoders play such a file
//! to where it stops, so without this check a cut-off call looks like a whole one.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes at the end of an Ogg file searched for its last page.
const OGG_TAIL: u64 = 128 * 1024;

/// True where the file at `path` (of the given codec) stops before its stream's end; false
/// where it ends properly or the format has no way to tell.
pub(crate) fn ends_early(path: &Path, codec: &str) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() {
        return false;
    }
    if &magic == b"OggS" {
        return ogg_ends_early(&mut file).unwrap_or(false);
    }
    if codec == "mp3" {
        return mp3_ends_early(file).unwrap_or(false);
    }
    false
}

/// The last Ogg page must carry the end-of-stream flag (header type bit 0x04).
fn ogg_ends_early(file: &mut File) -> std::io::Result<bool> {
    let len = file.seek(SeekFrom::End(0))?;
    let from = len.saturating_sub(OGG_TAIL);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    file.take(OGG_TAIL).read_to_end(&mut tail)?;
    let Some(at) = tail.windows(4).rposition(|w| w == b"OggS") else {
        return Ok(true);
    };
    Ok(tail.get(at + 5).is_none_or(|flags| flags & 0x04 == 0))
}

/// MPEG audio frame length in bytes from its 4-byte header (layers II and III), if valid.
fn mp3_frame_len(h: [u8; 4]) -> Option<u64> {
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 0x03; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    let layer = (h[1] >> 1) & 0x03; // 1: III, 2: II, 3: I
    let bitrate_index = usize::from(h[2] >> 4);
    let rate_index = usize::from((h[2] >> 2) & 0x03);
    let padding = u64::from((h[2] >> 1) & 0x01);
    if version == 1 || !(1..=2).contains(&layer) || bitrate_index == 0 || bitrate_index == 15 {
        return None;
    }
    const V1_L3: [u64; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const V1_L2: [u64; 15] = [
        0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
    ];
    const V2: [u64; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    const RATES: [[u64; 3]; 4] = [
        [11025, 12000, 8000],
        [0, 0, 0],
        [22050, 24000, 16000],
        [44100, 48000, 32000],
    ];
    let rate = *RATES.get(usize::from(version))?.get(rate_index)?;
    if rate == 0 {
        return None;
    }
    let kbps = match (version, layer) {
        (3, 1) => V1_L3[bitrate_index],
        (3, _) => V1_L2[bitrate_index],
        _ => V2[bitrate_index],
    };
    let per_frame = if version == 3 || layer == 2 { 144 } else { 72 };
    Some(per_frame * kbps * 1000 / rate + padding)
}

/// Walks the MP3's frames from the first one (after an ID3v2 tag): a last frame that runs past
/// the end of the file means the file was cut.
fn mp3_ends_early(file: File) -> std::io::Result<bool> {
    let len = file.metadata()?.len();
    let mut r = BufReader::new(file);
    r.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 10];
    r.read_exact(&mut head)?;
    let mut pos = 0u64;
    if &head[..3] == b"ID3" {
        let size = head[6..10]
            .iter()
            .fold(0u64, |acc, &b| (acc << 7) | u64::from(b & 0x7F));
        pos = 10 + size + if head[5] & 0x10 != 0 { 10 } else { 0 };
    }
    let mut frames = 0u64;
    while pos + 4 <= len {
        r.seek(SeekFrom::Start(pos))?;
        let mut h = [0u8; 4];
        r.read_exact(&mut h)?;
        match mp3_frame_len(h) {
            Some(n) if n > 4 => {
                if pos + n > len {
                    return Ok(frames > 0);
                }
                pos += n;
                frames += 1;
            }
            // Not a frame: trailing tags (ID3v1 "TAG", APE) or garbage; the frames ended whole.
            _ => return Ok(false),
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mp3_frame_lengths_follow_the_standard() {
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes.
        assert_eq!(mp3_frame_len([0xFF, 0xFB, 0x90, 0x00]), Some(417));
        // With padding: 418.
        assert_eq!(mp3_frame_len([0xFF, 0xFB, 0x92, 0x00]), Some(418));
        // MPEG-2 layer III, 64 kbit/s, 22.05 kHz: 72 * 64000 / 22050 = 208.
        assert_eq!(mp3_frame_len([0xFF, 0xF3, 0x80, 0x00]), Some(208));
        assert_eq!(mp3_frame_len([0x00, 0xFB, 0x90, 0x00]), None);
        assert_eq!(mp3_frame_len([0xFF, 0xFB, 0xF0, 0x00]), None);
    }
}
