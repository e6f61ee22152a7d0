//! The entries of a zip archive as PyTorch writes it: stored (uncompressed) members.

/// One stored member: its name and where its bytes lie in the archive.
pub struct Member {
    /// Path inside the archive.
    pub name: String,
    /// Byte range of the data.
    pub range: std::ops::Range<usize>,
}

const EOCD: u32 = 0x0605_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Lists the members of `bytes`, a whole zip archive. Fails on compressed members, which
/// PyTorch does not write.
pub fn members(bytes: &[u8]) -> Result<Vec<Member>, String> {
    let eocd = find_eocd(bytes).ok_or("no zip end-of-directory record")?;
    let count = u16_at(bytes, eocd + 10).ok_or("short end record")?;
    let mut at = u32_at(bytes, eocd + 16).ok_or("short end record")? as usize;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL) {
            return Err(format!("bad central directory entry at byte {at}"));
        }
        let method = u16_at(bytes, at + 10).ok_or("short entry")?;
        let size = u32_at(bytes, at + 20).ok_or("short entry")? as usize;
        let name_len = u16_at(bytes, at + 28).ok_or("short entry")?;
        let extra_len = u16_at(bytes, at + 30).ok_or("short entry")?;
        let comment_len = u16_at(bytes, at + 32).ok_or("short entry")?;
        let local = u32_at(bytes, at + 42).ok_or("short entry")? as usize;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or("short entry name")?;
        let name = String::from_utf8_lossy(name).into_owned();
        if method != 0 {
            return Err(format!("member {name} is compressed (method {method})"));
        }
        let range =
            data_range(bytes, local, size).ok_or(format!("member {name} runs past the end"))?;
        out.push(Member { name, range });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(out)
}

fn data_range(bytes: &[u8], local: usize, size: usize) -> Option<std::ops::Range<usize>> {
    if u32_at(bytes, local)? != LOCAL {
        return None;
    }
    let start = local + 30 + u16_at(bytes, local + 26)? + u16_at(bytes, local + 28)?;
    let end = start.checked_add(size)?;
    (end <= bytes.len()).then_some(start..end)
}

fn find_eocd(bytes: &[u8]) -> Option<usize> {
    let lowest = bytes.len().saturating_sub(22 + 65_535);
    (lowest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(EOCD))
}
