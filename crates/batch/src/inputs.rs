//! Finding the calls of a batch: folders, glob patterns and file lists, and sharding them.

use crate::BatchError;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One call to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where the file is.
    pub path: PathBuf,
    /// Its path relative to the folder it was found in (`/`-separated): the same on every
    /// machine, so it names the outputs and chooses the shard.
    pub rel: String,
}

/// A deterministic share of the inputs: shard `index` of `count`, `index` counting from 0
/// (as a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, `0..count`.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl FromStr for Shard {
    type Err = BatchError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BatchError::Shard {
            spec: s.to_string(),
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the call with relative path `rel` belongs to this shard: by a hash of the path,
    /// so the split is the same on every machine and does not depend on the order of files.
    pub fn contains(&self, rel: &str) -> bool {
        let digest = Sha256::digest(rel.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index)
    }
}

/// The inputs named by `args`, sorted by relative path: a folder (searched recursively; hidden
/// files and folders skipped), a glob pattern (`calls/**/*.wav`), `@LIST` (a text file with one
/// path per line, relative to the list's folder), or a single file.
///
/// In a folder, every entry that is not a folder is an input, also a named pipe, a socket, a
/// device or a broken link: processing records each as a failure without reading it, so nothing
/// is skipped silently and nothing blocks. A link to a folder already searched (a symlink loop,
/// or a second way to the same folder) is not followed: it is an input too, recorded the same
/// way, so the walk always ends.
///
/// A folder that holds [`BATCH_MARKER`] (a batch's output) is not searched.
pub fn collect(args: &[PathBuf]) -> Result<Vec<Input>, BatchError> {
    Ok(gather(args, None, false)?.inputs)
}

/// The marker file a batch keeps in its output folder (it is also the lock, see
/// `run_batch`): a folder holding it is a batch's output and never searched for inputs.
pub const BATCH_MARKER: &str = ".medlyt-batch.lock";

/// The inputs found, and the files and folders a folder search left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collected {
    /// The calls, sorted by relative path.
    pub inputs: Vec<Input>,
    /// Left out of a folder search, with why: a file that is neither audio nor a transcript
    /// by its content, or a batch's output folder.
    pub skipped: Vec<(PathBuf, String)>,
}

/// As [`collect`], leaving `out_dir` (the batch's own output folder) out of every folder
/// search, and every folder that holds [`BATCH_MARKER`]. In a folder search only files that
/// are audio or a transcript by their content are inputs (see [`is_call_file`]); the others
/// are listed in [`Collected::skipped`]. A folder that cannot be read is an input, recorded as
/// failed, and the search goes on.
pub fn collect_with(args: &[PathBuf], out_dir: Option<&Path>) -> Result<Collected, BatchError> {
    gather(args, out_dir, true)
}

fn gather(
    args: &[PathBuf],
    out_dir: Option<&Path>,
    by_content: bool,
) -> Result<Collected, BatchError> {
    let mut skipped = Vec::new();
    let mut skip_ids = HashSet::new();
    if let Some(id) = out_dir.and_then(folder_id) {
        skip_ids.insert(id);
    }
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut add = |rel: String, path: PathBuf| -> Result<(), BatchError> {
        if let Some(first) = found.get(&rel) {
            if first != &path {
                return Err(BatchError::DuplicateInput {
                    rel,
                    first: first.clone(),
                    second: path,
                });
            }
        }
        found.insert(rel, path);
        Ok(())
    };
    for arg in args {
        let text = arg.to_string_lossy();
        if let Some(list) = text.strip_prefix('@') {
            for (rel, path) in from_list(Path::new(list))? {
                add(rel, path)?;
            }
        } else if arg.is_dir() {
            let mut files = Vec::new();
            let mut seen = HashSet::new();
            let mut w = Walk {
                out: &mut files,
                seen: &mut seen,
                skip: &skip_ids,
                skipped: &mut skipped,
                by_content,
            };
            w.walk(arg, true)?;
            for path in files {
                let rel = rel_path(path.strip_prefix(arg).unwrap_or(&path));
                add(rel, path)?;
            }
        } else if arg.is_file() {
            let rel = arg
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            add(rel, arg.clone())?;
        } else if text.contains(['*', '?', '[']) {
            for (rel, path) in from_glob(&text)? {
                add(rel, path)?;
            }
        } else {
            return Err(BatchError::InputNotFound { path: arg.clone() });
        }
    }
    Ok(Collected {
        inputs: found
            .into_iter()
            .map(|(rel, path)| Input { path, rel })
            .collect(),
        skipped,
    })
}

/// The inputs of `shard` (all of them when `None`).
pub fn select(inputs: Vec<Input>, shard: Option<Shard>) -> Vec<Input> {
    match shard {
        None => inputs,
        Some(s) => inputs.into_iter().filter(|i| s.contains(&i.rel)).collect(),
    }
}

fn rel_path(p: &Path) -> String {
    p.components()
        .map(|c| name_text(c.as_os_str()))
        .filter(|c| c != "." && c != "/")
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text: as it is where it is UTF-8; otherwise each byte that is not valid
/// UTF-8 (and each `%`) written as `%XX`, so two names that differ only in such bytes stay
/// apart.
pub fn name_text(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    let bytes: Vec<u8> = {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes: Vec<u8> = name.to_string_lossy().into_owned().into_bytes();
    let mut out = String::new();
    let mut rest = bytes.as_slice();
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(&s.replace('%', "%25"));
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                out.push_str(&String::from_utf8_lossy(good).replace('%', "%25"));
                let n = e.error_len().unwrap_or(bad.len());
                for b in &bad[..n] {
                    out.push_str(&format!("%{b:02X}"));
                }
                rest = &bad[n..];
            }
        }
    }
    out
}

/// Whether a regular file is a call by its content: audio (the magic bytes of WAV, RF64,
/// BW64, RIFX, FLAC, Ogg, MP3) or a transcript medlyt reads (see
/// [`medlyt_formats::transcript_by_content`]). `Err` says what it is instead.
pub fn is_call_file(path: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut head = [0u8; 12];
    let n = std::fs::File::open(path)
        .and_then(|f| {
            let mut n = 0;
            let mut f = f.take(12);
            loop {
                match f.read(&mut head[n..]) {
                    Ok(0) => break,
                    Ok(k) => n += k,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(n)
        })
        // An unreadable file is an input: processing records why it cannot be read.
        .map_err(|_| ())
        .unwrap_or(usize::MAX);
    if n == usize::MAX || looks_like_audio(&head[..n]) {
        return Ok(());
    }
    if medlyt_formats::transcript_by_content(path) {
        return Ok(());
    }
    Err(if n == 0 {
        "an empty file, not a recording or a transcript".to_string()
    } else {
        "neither audio nor a transcript by its content (a note or other file)".to_string()
    })
}

/// Whether `head` starts like an audio file medlyt knows of.
fn looks_like_audio(head: &[u8]) -> bool {
    let riff = head.len() >= 12
        && matches!(&head[..4], b"RIFF" | b"RIFX" | b"RF64" | b"BW64")
        && &head[8..12] == b"WAVE";
    let mp3_sync = head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0;
    riff || mp3_sync
        || head.starts_with(b"fLaC")
        || head.starts_with(b"OggS")
        || head.starts_with(b"ID3")
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// The identity of a folder (device and inode where there are such), to tell when a link leads
/// back to a folder already searched.
#[cfg(unix)]
type FolderId = (u64, u64);
#[cfg(not(unix))]
type FolderId = PathBuf;

#[cfg(unix)]
fn folder_id(dir: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(dir: &Path) -> Option<FolderId> {
    std::fs::canonicalize(dir).ok()
}

/// A folder search (see [`collect_with`]).
struct Walk<'a> {
    out: &'a mut Vec<PathBuf>,
    /// The folders searched so far.
    seen: &'a mut HashSet<FolderId>,
    /// Folders never searched (the batch's own output folder).
    skip: &'a HashSet<FolderId>,
    /// Where what is left out is listed.
    skipped: &'a mut Vec<(PathBuf, String)>,
    /// Whether a file must be a call by its content ([`is_call_file`]) to be an input.
    by_content: bool,
}

impl Walk<'_> {
    /// Collects the entries under `dir`; `top` for the folder named on the command line (which
    /// must be readable).
    fn walk(&mut self, dir: &Path, top: bool) -> Result<(), BatchError> {
        if let Some(id) = folder_id(dir) {
            if self.skip.contains(&id) || dir.join(BATCH_MARKER).exists() {
                self.skipped.push((
                    dir.to_path_buf(),
                    "a medlyt batch output folder; not searched".to_string(),
                ));
                return Ok(());
            }
            if !self.seen.insert(id) {
                // Reached again through a link: an input that is recorded as not followed.
                self.out.push(dir.to_path_buf());
                return Ok(());
            }
        }
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            // A subfolder that cannot be read is an input, recorded as failed.
            Err(_) if !top => {
                self.out.push(dir.to_path_buf());
                return Ok(());
            }
            Err(e) => return Err(BatchError::io("read folder", dir, e)),
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if hidden(&p) {
                continue;
            }
            if p.is_dir() {
                self.walk(&p, false)?;
            } else if self.by_content && p.is_file() {
                match is_call_file(&p) {
                    Ok(()) => self.out.push(p),
                    Err(why) => self.skipped.push((p, why)),
                }
            } else {
                self.out.push(p);
            }
        }
        Ok(())
    }
}

/// Collects every entry under `dir`, as the `**` patterns do (no content check).
fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut HashSet<FolderId>,
) -> Result<(), BatchError> {
    let skip = HashSet::new();
    Walk {
        out,
        seen,
        skip: &skip,
        skipped: &mut Vec::new(),
        by_content: false,
    }
    .walk(dir, true)
}

fn from_list(list: &Path) -> Result<Vec<(String, PathBuf)>, BatchError> {
    let text = std::fs::read_to_string(list).map_err(|e| BatchError::io("read", list, e))?;
    let base = list.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let path = base.join(line);
        if !path.is_file() {
            return Err(BatchError::InputNotFound { path });
        }
        out.push((rel_path(Path::new(line)), path));
    }
    Ok(out)
}

fn from_glob(pattern: &str) -> Result<Vec<(String, PathBuf)>, BatchError> {
    let bad = |reason: String| BatchError::Pattern {
        pattern: pattern.to_string(),
        reason,
    };
    // The literal folder before the first component with a wildcard is the relative root.
    let root: PathBuf = Path::new(pattern)
        .components()
        .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
        .collect();
    let mut out = Vec::new();
    if pattern.contains("**") {
        // `**` descends any depth: the folder walk, which does not follow a link back to a
        // folder it already searches, with the pattern as a filter (a component at a time).
        let matcher = glob::Pattern::new(pattern).map_err(|e| bad(e.to_string()))?;
        let opts = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        let here = root.as_os_str().is_empty();
        let base = if here {
            PathBuf::from(".")
        } else {
            root.clone()
        };
        if !base.is_dir() {
            return Ok(out);
        }
        let mut found = Vec::new();
        walk(&base, &mut found, &mut HashSet::new())?;
        for p in found {
            let p = match p.strip_prefix(".") {
                Ok(rest) if here => rest.to_path_buf(),
                _ => p,
            };
            if matcher.matches_path_with(&p, opts) {
                out.push((rel_path(p.strip_prefix(&root).unwrap_or(&p)), p));
            }
        }
        return Ok(out);
    }
    let paths = glob::glob(pattern).map_err(|e| bad(e.to_string()))?;
    for p in paths {
        let p = p.map_err(|e| bad(e.to_string()))?;
        if p.is_file() && !hidden(&p) {
            out.push((rel_path(p.strip_prefix(&root).unwrap_or(&p)), p));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_input_exactly_once() {
        let shards: Vec<Shard> = (0..3).map(|k| Shard { index: k, count: 3 }).collect();
        for i in 0..200 {
            let rel = format!("calls/{i}.wav");
            assert_eq!(shards.iter().filter(|s| s.contains(&rel)).count(), 1);
        }
        let sizes: Vec<usize> = shards
            .iter()
            .map(|s| (0..300).filter(|i| s.contains(&format!("{i}"))).count())
            .collect();
        assert!(sizes.iter().all(|&n| n > 50), "{sizes:?}");
    }

    #[cfg(unix)]
    #[test]
    #[allow(clippy::unwrap_used)] // tests may unwrap
    fn symlink_loops_end_and_special_files_are_listed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("in");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/call.txt"), "Anna: hej\n").unwrap();
        std::os::unix::fs::symlink("..", root.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink(".", root.join("self")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("z-again")).unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("pipe.vtt"))
            .status()
            .is_ok_and(|s| s.success());
        let started = std::time::Instant::now();
        let found = collect(std::slice::from_ref(&root)).unwrap();
        assert!(started.elapsed().as_secs() < 5);
        let rels: Vec<&str> = found.iter().map(|i| i.rel.as_str()).collect();
        let mut want = vec!["a/b/call.txt", "a/b/up", "self", "z-again"];
        if fifo {
            want.insert(2, "pipe.vtt");
        }
        assert_eq!(rels, want);
    }

    #[cfg(unix)]
    #[test]
    #[allow(clippy::unwrap_used)] // tests may unwrap
    fn recursive_patterns_end_on_symlink_loops() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("in");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/call.json"), "{}").unwrap();
        std::fs::write(root.join("top.json"), "{}").unwrap();
        std::fs::write(root.join("a/notes.txt"), "Anna: hej\n").unwrap();
        std::os::unix::fs::symlink("..", root.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink(".", root.join("self")).unwrap();
        let pattern = format!("{}/**/*.json", root.display());
        let started = std::time::Instant::now();
        let found = collect(&[PathBuf::from(pattern)]).unwrap();
        assert!(started.elapsed().as_secs() < 5);
        let rels: Vec<&str> = found.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(rels, vec!["a/b/call.json", "top.json"]);
        let all = collect(&[PathBuf::from(format!("{}/**", root.display()))]).unwrap();
        let rels: Vec<&str> = all.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(
            rels,
            vec!["a/b/call.json", "a/b/up", "a/notes.txt", "self", "top.json"]
        );
    }

    #[test]
    fn shard_spec_is_checked() {
        assert_eq!(
            "2/3".parse::<Shard>().ok(),
            Some(Shard { index: 2, count: 3 })
        );
        assert!("3/3".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
