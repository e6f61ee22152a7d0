//! A reader for safetensors files, small enough to write directly: a u64 header length, a
//! JSON header mapping names to dtype, shape and byte range, then the data. The header is
//! read and checked when the file is opened; tensors are read one at a time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::ModelError;

/// Largest JSON header accepted.
const MAX_HEADER: u64 = 16 << 20;

#[derive(serde::Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: [u64; 2],
}

/// An opened safetensors file.
pub(crate) struct Safetensors {
    path: PathBuf,
    file: File,
    data_start: u64,
    entries: HashMap<String, Entry>,
}

/// Bytes per element of the float dtypes this reader converts.
fn elem_size(dtype: &str) -> Option<u64> {
    match dtype {
        "F32" => Some(4),
        "F16" | "BF16" => Some(2),
        _ => None,
    }
}

impl Safetensors {
    pub(crate) fn bad(path: &Path, reason: impl Into<String>) -> ModelError {
        ModelError::BadSafetensors {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    /// Opens `path` and checks that every tensor's bytes lie inside the file.
    pub(crate) fn open(path: &Path) -> Result<Self, ModelError> {
        let mut file = File::open(path).map_err(|e| ModelError::io(path, e))?;
        let len = file.metadata().map_err(|e| ModelError::io(path, e))?.len();
        let mut n = [0u8; 8];
        file.read_exact(&mut n)
            .map_err(|_| Self::bad(path, "shorter than its 8-byte header length"))?;
        let n = u64::from_le_bytes(n);
        if n > MAX_HEADER || 8 + n > len {
            return Err(Self::bad(
                path,
                format!("header length {n} does not fit the file of {len} bytes"),
            ));
        }
        let mut header = vec![0u8; n as usize];
        file.read_exact(&mut header)
            .map_err(|e| ModelError::io(path, e))?;
        let raw: HashMap<String, serde_json::Value> =
            serde_json::from_slice(&header).map_err(|e| ModelError::Json {
                path: path.to_path_buf(),
                source: e,
            })?;
        let mut entries = HashMap::new();
        for (name, value) in raw {
            if name == "__metadata__" {
                continue;
            }
            let entry: Entry = serde_json::from_value(value).map_err(|e| ModelError::Json {
                path: path.to_path_buf(),
                source: e,
            })?;
            let [start, end] = entry.data_offsets;
            if start > end || end > len - 8 - n {
                return Err(Self::bad(
                    path,
                    format!("tensor {name} lies outside the file (truncated?)"),
                ));
            }
            entries.insert(name, entry);
        }
        Ok(Safetensors {
            path: path.to_path_buf(),
            file,
            data_start: 8 + n,
            entries,
        })
    }

    /// Names of all tensors.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Shape of `name`, if the file has it.
    pub(crate) fn get_shape(&self, name: &str) -> Option<&[usize]> {
        self.entries.get(name).map(|e| e.shape.as_slice())
    }

    /// The dtype of `name` as the header spells it ("F16", "BF16", "F32", ...).
    pub(crate) fn dtype(&self, name: &str) -> Option<&str> {
        self.entries.get(name).map(|e| e.dtype.as_str())
    }

    /// Shape of `name`.
    pub(crate) fn shape(&self, name: &str) -> Result<&[usize], ModelError> {
        self.get_shape(name)
            .ok_or_else(|| ModelError::MissingTensor {
                name: name.to_string(),
            })
    }

    /// Reads `name` (F32, F16 or BF16) as f32 values.
    pub(crate) fn read_f32(&mut self, name: &str) -> Result<Vec<f32>, ModelError> {
        let entry = self
            .entries
            .get(name)
            .ok_or_else(|| ModelError::MissingTensor {
                name: name.to_string(),
            })?;
        let size = elem_size(&entry.dtype).ok_or_else(|| ModelError::UnsupportedDtype {
            name: name.to_string(),
            dtype: entry.dtype.clone(),
        })?;
        let numel = entry
            .shape
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64));
        let [start, end] = entry.data_offsets;
        if numel.and_then(|n| n.checked_mul(size)) != Some(end - start) {
            return Err(Self::bad(
                &self.path,
                format!(
                    "tensor {name} of shape {:?} has {} bytes",
                    entry.shape,
                    end - start
                ),
            ));
        }
        let nbytes = usize::try_from(end - start)
            .map_err(|_| Self::bad(&self.path, format!("tensor {name} is too large")))?;
        let mut buf = vec![0u8; nbytes];
        self.file
            .seek(SeekFrom::Start(self.data_start + start))
            .and_then(|_| self.file.read_exact(&mut buf))
            .map_err(|e| ModelError::io(&self.path, e))?;
        Ok(match entry.dtype.as_str() {
            "F32" => buf
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            "F16" => buf
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            _ => buf
                .chunks_exact(2)
                .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
        })
    }
}
