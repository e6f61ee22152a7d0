//! Reader for CTranslate2's binary `model.bin` (version 6).
//!
//! The file is indexed once (names, shapes, types and offsets, skipping the data), then
//! variables are read one at a time, so a conversion never holds the whole model in memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::ModelError;

/// Most variables a model may declare; real Whisper large models have about 1,300.
const MAX_VARIABLES: u32 = 100_000;
/// Most dimensions a variable may have.
const MAX_RANK: u8 = 8;

/// Element type of a CTranslate2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dtype {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Dtype {
    fn from_id(id: u8) -> Option<Dtype> {
        Some(match id {
            0 => Dtype::F32,
            1 => Dtype::I8,
            2 => Dtype::I16,
            3 => Dtype::I32,
            4 => Dtype::F16,
            5 => Dtype::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Dtype::I8 => 1,
            Dtype::I16 | Dtype::F16 | Dtype::Bf16 => 2,
            Dtype::F32 | Dtype::I32 => 4,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Dtype::F32 => "float32",
            Dtype::I8 => "int8",
            Dtype::I16 => "int16",
            Dtype::I32 => "int32",
            Dtype::F16 => "float16",
            Dtype::Bf16 => "bfloat16",
        }
    }
}

/// Where one variable lives in the file.
#[derive(Debug, Clone)]
pub(crate) struct Var {
    pub(crate) shape: Vec<usize>,
    pub(crate) dtype: Dtype,
    offset: u64,
    nbytes: u64,
}

/// An indexed `model.bin`.
pub(crate) struct Ct2File {
    path: PathBuf,
    reader: BufReader<File>,
    vars: HashMap<String, Var>,
    aliases: HashMap<String, String>,
}

struct Cursor<'a> {
    path: &'a Path,
    reader: &'a mut BufReader<File>,
    pos: u64,
    len: u64,
}

impl Cursor<'_> {
    fn bad(&self, reason: impl Into<String>) -> ModelError {
        ModelError::NotCt2 {
            path: self.path.to_path_buf(),
            reason: reason.into(),
        }
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        if self.pos + N as u64 > self.len {
            return Err(self.bad(format!("file ends at offset {}", self.len)));
        }
        let mut buf = [0u8; N];
        self.reader
            .read_exact(&mut buf)
            .map_err(|e| ModelError::io(self.path, e))?;
        self.pos += N as u64;
        Ok(buf)
    }

    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.bytes::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.bytes()?))
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }

    fn string(&mut self) -> Result<String, ModelError> {
        let n = u64::from(self.u16()?);
        if n == 0 || self.pos + n > self.len {
            return Err(self.bad(format!("bad string length {n} at offset {}", self.pos)));
        }
        let mut buf = vec![0u8; n as usize];
        self.reader
            .read_exact(&mut buf)
            .map_err(|e| ModelError::io(self.path, e))?;
        self.pos += n;
        buf.pop(); // trailing NUL
        String::from_utf8(buf).map_err(|_| self.bad("a name is not utf-8"))
    }

    fn skip(&mut self, n: u64) -> Result<(), ModelError> {
        if self.pos + n > self.len {
            return Err(self.bad(format!(
                "variable data of {n} bytes at offset {} runs past the end ({})",
                self.pos, self.len
            )));
        }
        let delta = i64::try_from(n).map_err(|_| self.bad("variable too large"))?;
        self.reader
            .seek_relative(delta)
            .map_err(|e| ModelError::io(self.path, e))?;
        self.pos += n;
        Ok(())
    }
}

impl Ct2File {
    /// Indexes `path`, checking that it is a `WhisperSpec` model of binary version 6.
    pub(crate) fn open(path: &Path) -> Result<Ct2File, ModelError> {
        let file = File::open(path).map_err(|e| ModelError::io(path, e))?;
        let len = file.metadata().map_err(|e| ModelError::io(path, e))?.len();
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut vars = HashMap::new();
        let mut aliases = HashMap::new();
        {
            let mut c = Cursor {
                path,
                reader: &mut reader,
                pos: 0,
                len,
            };
            let version = c.u32()?;
            if version != 6 {
                return Err(c.bad(format!("binary version {version}, only 6 is supported")));
            }
            let spec = c.string()?;
            if spec != "WhisperSpec" {
                return Err(c.bad(format!("model spec is {spec:?}, not WhisperSpec")));
            }
            let _revision = c.u32()?;
            let count = c.u32()?;
            if count > MAX_VARIABLES {
                return Err(c.bad(format!("{count} variables is more than {MAX_VARIABLES}")));
            }
            for _ in 0..count {
                let name = c.string()?;
                let rank = c.u8()?;
                if rank > MAX_RANK {
                    return Err(c.bad(format!("variable {name} has rank {rank}")));
                }
                let mut shape = Vec::with_capacity(usize::from(rank));
                for _ in 0..rank {
                    shape.push(c.u32()? as usize);
                }
                let dtype_id = c.u8()?;
                let dtype =
                    Dtype::from_id(dtype_id).ok_or_else(|| ModelError::UnsupportedDtype {
                        name: name.clone(),
                        dtype: format!("id {dtype_id}"),
                    })?;
                let nbytes = u64::from(c.u32()?);
                let numel = shape
                    .iter()
                    .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64));
                if numel.and_then(|n| n.checked_mul(dtype.size() as u64)) != Some(nbytes) {
                    return Err(c.bad(format!(
                        "variable {name} of shape {shape:?} ({}) has {nbytes} bytes",
                        dtype.name()
                    )));
                }
                let offset = c.pos;
                c.skip(nbytes)?;
                vars.insert(
                    name,
                    Var {
                        shape,
                        dtype,
                        offset,
                        nbytes,
                    },
                );
            }
            // Older files may end here; version 6 files have an alias table.
            if c.pos < c.len {
                let n_alias = c.u32()?;
                for _ in 0..n_alias.min(MAX_VARIABLES) {
                    let alias = c.string()?;
                    let target = c.string()?;
                    aliases.insert(alias, target);
                }
            }
        }
        Ok(Ct2File {
            path: path.to_path_buf(),
            reader,
            vars,
            aliases,
        })
    }

    /// Whether a variable (or an alias of one) exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.var(name).is_ok()
    }

    /// Looks a variable up, following one level of alias.
    pub(crate) fn var(&self, name: &str) -> Result<&Var, ModelError> {
        let key = self.aliases.get(name).map_or(name, String::as_str);
        self.vars.get(key).ok_or_else(|| ModelError::MissingTensor {
            name: name.to_string(),
        })
    }

    /// Names of all variables (not aliases).
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    fn raw(&mut self, name: &str) -> Result<(Var, Vec<u8>), ModelError> {
        let var = self.var(name)?.clone();
        let size = usize::try_from(var.nbytes).map_err(|_| ModelError::NotCt2 {
            path: self.path.clone(),
            reason: format!("variable {name} too large"),
        })?;
        let mut buf = vec![0u8; size];
        self.reader
            .seek(SeekFrom::Start(var.offset))
            .and_then(|_| self.reader.read_exact(&mut buf))
            .map_err(|e| ModelError::io(&self.path, e))?;
        Ok((var, buf))
    }

    /// Reads a variable as f32 values with its shape. An int8 variable is dequantised with
    /// its `<name>_scale` sibling (one scale per row, value = q / scale).
    pub(crate) fn read_f32(&mut self, name: &str) -> Result<(Vec<usize>, Vec<f32>), ModelError> {
        let (var, buf) = self.raw(name)?;
        let values: Vec<f32> = match var.dtype {
            Dtype::F32 => buf
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Dtype::F16 => buf
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Dtype::Bf16 => buf
                .chunks_exact(2)
                .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Dtype::I8 => return self.dequantize(name, &var, &buf),
            Dtype::I16 | Dtype::I32 => {
                return Err(ModelError::UnsupportedDtype {
                    name: name.to_string(),
                    dtype: var.dtype.name().to_string(),
                })
            }
        };
        Ok((var.shape, values))
    }

    fn dequantize(
        &mut self,
        name: &str,
        var: &Var,
        buf: &[u8],
    ) -> Result<(Vec<usize>, Vec<f32>), ModelError> {
        let target = self.aliases.get(name).cloned().unwrap_or(name.to_string());
        let scale_name = format!("{target}_scale");
        let unsupported = || ModelError::UnsupportedDtype {
            name: name.to_string(),
            dtype: "int8 without a per-row weight_scale".to_string(),
        };
        if !self.has(&scale_name) || var.shape.len() != 2 {
            return Err(unsupported());
        }
        let (scale_shape, scales) = self.read_f32(&scale_name)?;
        let rows = var.shape[0];
        let cols = var.shape[1];
        if scales.len() != rows {
            return Err(ModelError::BadShape {
                name: scale_name,
                expected: vec![rows],
                actual: scale_shape,
            });
        }
        let mut out = Vec::with_capacity(rows * cols);
        for (row, &scale) in buf.chunks_exact(cols.max(1)).zip(&scales) {
            let inv = if scale != 0.0 { 1.0 / scale } else { 0.0 };
            out.extend(row.iter().map(|&q| f32::from(q as i8) * inv));
        }
        Ok((var.shape.clone(), out))
    }

    /// Reads an integer scalar such as `encoder/num_heads`.
    pub(crate) fn read_int(&mut self, name: &str) -> Result<i64, ModelError> {
        let (var, buf) = self.raw(name)?;
        let first = |n: usize| {
            buf.get(..n).ok_or_else(|| ModelError::BadShape {
                name: name.to_string(),
                expected: vec![1],
                actual: var.shape.clone(),
            })
        };
        Ok(match var.dtype {
            Dtype::I8 => i64::from(first(1)?[0] as i8),
            Dtype::I16 => {
                let b = first(2)?;
                i64::from(i16::from_le_bytes([b[0], b[1]]))
            }
            Dtype::I32 => {
                let b = first(4)?;
                i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            other => {
                return Err(ModelError::UnsupportedDtype {
                    name: name.to_string(),
                    dtype: other.name().to_string(),
                })
            }
        })
    }
}
