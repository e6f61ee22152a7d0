//! Where an output goes, checked before the work that produces it.
//!
//! `-` and `/dev/stdout` mean standard output. A regular file (or a new name) is written under a
//! temporary name beside it and renamed into place, so a reader never sees half a file. A
//! symbolic link is written through: the file it points to is replaced, the link stays. A
//! device or a FIFO is opened and written to, never replaced. A folder, or a link that points
//! nowhere, is refused.

use crate::exit::ExpectedError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A checked output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// Standard output.
    Stdout,
    /// A device or FIFO (or a link to one): opened for writing and written to.
    Through(PathBuf),
    /// A regular file or a new name: a temporary file beside it, then a rename.
    Replace(PathBuf),
}

fn other(msg: String) -> ExpectedError {
    ExpectedError::Other(msg)
}

/// Checks an output path and says how it will be written; nothing is written yet.
pub fn resolve(path: &Path) -> Result<Dest, ExpectedError> {
    if path.as_os_str() == "-" || path == Path::new("/dev/stdout") {
        return Ok(Dest::Stdout);
    }
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            check_new(path)?;
            return Ok(Dest::Replace(path.to_path_buf()));
        }
        Err(e) => return Err(other(format!("cannot write {}: {e}", path.display()))),
    };
    // Follows a link; a dangling one is refused rather than replaced by a file.
    let meta = if link.file_type().is_symlink() {
        std::fs::metadata(path).map_err(|e| {
            other(format!(
                "cannot write {}: it is a symbolic link to a file that cannot be reached ({e}); \
                 refusing to replace the link",
                path.display()
            ))
        })?
    } else {
        link.clone()
    };
    if meta.is_dir() {
        return Err(other(format!(
            "cannot write {}: it is a folder; give a file name",
            path.display()
        )));
    }
    if !meta.is_file() {
        return Ok(Dest::Through(path.to_path_buf()));
    }
    let target = if link.file_type().is_symlink() {
        std::fs::canonicalize(path)
            .map_err(|e| other(format!("cannot resolve {}: {e}", path.display())))?
    } else {
        path.to_path_buf()
    };
    check_dir_writable(&target)?;
    Ok(Dest::Replace(target))
}

/// A new file: the nearest existing folder above it must be a folder we can write in.
fn check_new(path: &Path) -> Result<(), ExpectedError> {
    let mut dir = parent(path);
    loop {
        match std::fs::metadata(&dir) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => {
                return Err(other(format!(
                    "cannot write {}: {} is not a folder",
                    path.display(),
                    dir.display()
                )))
            }
            Err(_) => match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                Some(p) => dir = p.to_path_buf(),
                None => return Ok(()),
            },
        }
    }
    if dir == parent(path) {
        check_dir_writable(path)?;
    }
    Ok(())
}

/// The folder a path lies in (`.` for a bare name).
fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The temporary name a file is written under before the rename.
fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    parent(path).join(format!(".{name}.{}.partial", std::process::id()))
}

/// Creates and removes the temporary file, so a read-only folder fails before the work.
fn check_dir_writable(path: &Path) -> Result<(), ExpectedError> {
    let tmp = temp_name(path);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(other(format!("cannot write {}: {e}", path.display()))),
    }
}

fn write_through(path: &Path, bytes: &[u8]) -> Result<(), ExpectedError> {
    let fail = |e: std::io::Error| other(format!("cannot write {}: {e}", path.display()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(fail)?;
    f.write_all(bytes).and_then(|()| f.flush()).map_err(fail)
}

fn write_stdout(bytes: &[u8]) -> Result<(), ExpectedError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| other(format!("cannot write to standard output: {e}")))
}

/// Writes `bytes` to its temporary name; the caller renames it.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf, ExpectedError> {
    let fail = |e: std::io::Error| other(format!("cannot write {}: {e}", path.display()));
    std::fs::create_dir_all(parent(path)).map_err(fail)?;
    let tmp = temp_name(path);
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(tmp)
}

/// Writes one checked output.
pub fn write(dest: &Dest, bytes: &[u8]) -> Result<(), ExpectedError> {
    let mut s = Staged::default();
    s.add(dest, bytes)?;
    s.commit()
}

/// Outputs written together: each to a temporary name first, then all renamed at once, so a
/// failed run leaves the old outputs, not a mix. Dropped uncommitted, the temporary files go.
#[derive(Default)]
pub struct Staged {
    renames: Vec<(PathBuf, PathBuf)>,
    direct: Vec<(Dest, Vec<u8>)>,
}

impl Staged {
    /// Stages one output.
    pub fn add(&mut self, dest: &Dest, bytes: &[u8]) -> Result<(), ExpectedError> {
        match dest {
            Dest::Replace(path) => {
                let tmp = write_temp(path, bytes)?;
                self.renames.push((tmp, path.clone()));
            }
            Dest::Stdout | Dest::Through(_) => self.direct.push((dest.clone(), bytes.to_vec())),
        }
        Ok(())
    }

    /// Puts every staged output in place.
    pub fn commit(mut self) -> Result<(), ExpectedError> {
        let renames = std::mem::take(&mut self.renames);
        for (i, (tmp, path)) in renames.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, path) {
                for (t, _) in &renames[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(other(format!("cannot write {}: {e}", path.display())));
            }
        }
        for (dest, bytes) in std::mem::take(&mut self.direct) {
            match &dest {
                Dest::Stdout => write_stdout(&bytes)?,
                Dest::Through(p) | Dest::Replace(p) => write_through(p, &bytes)?,
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.renames {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Checks an output folder (created later where missing) and the files it will hold.
pub fn resolve_in_dir(dir: &Path, names: &[&str]) -> Result<Vec<Dest>, ExpectedError> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(other(format!(
                "cannot write into {}: it exists and is not a folder",
                dir.display()
            )))
        }
        _ => {}
    }
    names.iter().map(|n| resolve(&dir.join(n))).collect()
}

/// Whether two paths name the same existing file (same device and inode).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Refuses an output that is one of the inputs: `input` itself, or a file directly in it
/// where `input` is a folder.
pub fn refuse_input(out: &Path, input: &Path) -> Result<(), ExpectedError> {
    let refuse = |which: &Path| {
        Err(other(format!(
            "refusing to write {}: it is the input {}; choose another output",
            out.display(),
            which.display()
        )))
    };
    if same_file(out, input) {
        return refuse(input);
    }
    if input.is_dir() {
        if let Ok(entries) = std::fs::read_dir(input) {
            for e in entries.flatten() {
                if same_file(out, &e.path()) {
                    return refuse(&e.path());
                }
            }
        }
    }
    Ok(())
}
