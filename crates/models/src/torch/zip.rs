//! The entries of a zip archive as PyTorch writes it: stored (uncompressed) members, with
//! the zip64 records that archives over 4 GiB need. Only the central directory and the local
//! headers are read; member data stays in the file until asked for.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;

/// One stored member: its name and where its bytes lie in the archive.
pub struct Member {
    /// Path inside the archive.
    pub name: String,
    /// Byte range of the data.
    pub range: Range<u64>,
}

const EOCD: u32 = 0x0605_4b50;
const EOCD64: u32 = 0x0606_4b50;
const EOCD64_LOCATOR: u32 = 0x0706_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;
/// Largest central directory read (a checkpoint of 100,000 tensors needs about 10 MB).
const MAX_DIRECTORY: u64 = 64 << 20;

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 2)
        .map(|s| u64::from(u16::from_le_bytes([s[0], s[1]])))
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 4)
        .map(|s| u64::from(u32::from_le_bytes([s[0], s[1], s[2], s[3]])))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at + 8)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

/// Reads `n` bytes at `at`.
pub fn read_at(file: &mut File, at: u64, n: u64) -> Result<Vec<u8>, String> {
    let n = usize::try_from(n).map_err(|_| format!("{n} bytes do not fit in memory"))?;
    let mut buf = vec![0u8; n];
    file.seek(SeekFrom::Start(at))
        .and_then(|_| file.read_exact(&mut buf))
        .map_err(|e| format!("cannot read {n} bytes at offset {at}: {e}"))?;
    Ok(buf)
}

/// Lists the members of the archive `file` of `len` bytes. Fails on compressed members,
/// which PyTorch does not write.
pub fn members(file: &mut File, len: u64) -> Result<Vec<Member>, String> {
    let tail_len = len.min(22 + 65_535 + 20);
    let tail = read_at(file, len - tail_len, tail_len)?;
    let eocd = find_eocd(&tail).ok_or("no zip end-of-directory record")?;
    let short = "short end record";
    let mut count = u16_at(&tail, eocd + 10).ok_or(short)?;
    let mut dir_len = u32_at(&tail, eocd + 12).ok_or(short)?;
    let mut dir_at = u32_at(&tail, eocd + 16).ok_or(short)?;
    if count == 0xFFFF || dir_len == 0xFFFF_FFFF || dir_at == 0xFFFF_FFFF {
        let at = eocd.checked_sub(20).ok_or("zip64 locator missing")?;
        if u32_at(&tail, at) != Some(u64::from(EOCD64_LOCATOR)) {
            return Err("zip64 locator missing".into());
        }
        let rec_at = u64_at(&tail, at + 8).ok_or("short zip64 locator")?;
        if rec_at.checked_add(56).is_none_or(|end| end > len) {
            return Err("zip64 end record outside the file".into());
        }
        let rec = read_at(file, rec_at, 56)?;
        if u32_at(&rec, 0) != Some(u64::from(EOCD64)) {
            return Err("bad zip64 end record".into());
        }
        count = u64_at(&rec, 32).ok_or("short zip64 end record")?;
        dir_len = u64_at(&rec, 40).ok_or("short zip64 end record")?;
        dir_at = u64_at(&rec, 48).ok_or("short zip64 end record")?;
    }
    if dir_len > MAX_DIRECTORY || dir_at.checked_add(dir_len).is_none_or(|end| end > len) {
        return Err(format!(
            "central directory of {dir_len} bytes at {dir_at} does not fit the file"
        ));
    }
    let dir = read_at(file, dir_at, dir_len)?;
    let mut at = 0usize;
    let mut out = Vec::new();
    for _ in 0..count {
        let entry = Entry::parse(&dir, at)?;
        let range = data_range(file, len, entry.local, entry.size)
            .ok_or(format!("member {} runs past the end", entry.name))?;
        at = entry.next;
        out.push(Member {
            name: entry.name,
            range,
        });
    }
    Ok(out)
}

/// A central directory entry.
struct Entry {
    name: String,
    size: u64,
    local: u64,
    next: usize,
}

impl Entry {
    fn parse(dir: &[u8], at: usize) -> Result<Entry, String> {
        if u32_at(dir, at) != Some(u64::from(CENTRAL)) {
            return Err(format!("bad central directory entry at byte {at}"));
        }
        let field = |off: usize, wide: bool| {
            if wide {
                u32_at(dir, at + off)
            } else {
                u16_at(dir, at + off)
            }
            .ok_or("short entry")
        };
        let method = field(10, false)?;
        let mut size = field(24, true)?;
        let name_len = field(28, false)? as usize;
        let extra_len = field(30, false)? as usize;
        let comment_len = field(32, false)? as usize;
        let mut local = field(42, true)?;
        let name = dir
            .get(at + 46..at + 46 + name_len)
            .ok_or("short entry name")?;
        let name = String::from_utf8_lossy(name).into_owned();
        if method != 0 {
            return Err(format!("member {name} is compressed (method {method})"));
        }
        let extra = dir
            .get(at + 46 + name_len..at + 46 + name_len + extra_len)
            .ok_or("short entry extra field")?;
        if size == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
            let compressed_wide = field(20, true)? == 0xFFFF_FFFF;
            let mut values = zip64_extra(extra).ok_or(format!("member {name}: no zip64 sizes"))?;
            if size == 0xFFFF_FFFF {
                size = values
                    .next()
                    .ok_or(format!("member {name}: short zip64 sizes"))?;
            }
            if compressed_wide {
                values.next();
            }
            if local == 0xFFFF_FFFF {
                local = values
                    .next()
                    .ok_or(format!("member {name}: short zip64 sizes"))?;
            }
        }
        Ok(Entry {
            name,
            size,
            local,
            next: at + 46 + name_len + extra_len + comment_len,
        })
    }
}

/// The u64 values of the zip64 extra field (id 1) in `extra`.
fn zip64_extra(extra: &[u8]) -> Option<impl Iterator<Item = u64> + '_> {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = u16_at(extra, at)?;
        let n = u16_at(extra, at + 2)? as usize;
        let body = extra.get(at + 4..at + 4 + n)?;
        if id == 1 {
            return Some(body.chunks_exact(8).filter_map(|c| u64_at(c, 0)));
        }
        at += 4 + n;
    }
    None
}

fn data_range(file: &mut File, len: u64, local: u64, size: u64) -> Option<Range<u64>> {
    if local.checked_add(30)? > len {
        return None;
    }
    let header = read_at(file, local, 30).ok()?;
    if u32_at(&header, 0)? != u64::from(LOCAL) {
        return None;
    }
    let start = local + 30 + u16_at(&header, 26)? + u16_at(&header, 28)?;
    let end = start.checked_add(size)?;
    (end <= len).then_some(start..end)
}

fn find_eocd(bytes: &[u8]) -> Option<usize> {
    (0..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(u64::from(EOCD)))
}
