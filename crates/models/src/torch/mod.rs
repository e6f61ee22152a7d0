//! Reading the tensors of a PyTorch checkpoint (`torch.save` zip format) without Python:
//! the archive's `data.pkl` is run by a small pickle machine that builds values without
//! executing anything, and each tensor's storage is read from its own member file, one
//! tensor at a time, so a checkpoint larger than memory can be converted.

mod pickle;
mod zip;

use crate::ModelError;
use pickle::Value;
use std::collections::HashMap;
use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Largest checkpoint [`read_state_dict`] reads whole (the speaker models are 6 and 28 MB).
const MAX_BYTES: u64 = 1 << 30;
/// Largest `data.pkl` read.
const MAX_PICKLE: u64 = 256 << 20;

/// A float tensor read from a checkpoint, in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// Dimensions.
    pub shape: Vec<usize>,
    /// Values.
    pub data: Vec<f32>,
}

/// Reads every float tensor (float32, float16 or bfloat16, as f32) of the checkpoint's
/// state dict (the top-level dict, or its `state_dict` entry for Lightning checkpoints), by
/// name.
pub fn read_state_dict(path: &Path) -> Result<HashMap<String, Tensor>, ModelError> {
    let mut ckpt = Checkpoint::open(path)?;
    if ckpt.len > MAX_BYTES {
        return Err(ckpt.bad(format!(
            "{} bytes is larger than the {MAX_BYTES}-byte limit",
            ckpt.len
        )));
    }
    let names: Vec<String> = ckpt.names().map(str::to_string).collect();
    let mut out = HashMap::new();
    for name in names {
        let t = ckpt.read(&name)?;
        out.insert(name, t);
    }
    Ok(out)
}

/// An opened checkpoint: its members and the float tensors of its state dict, indexed but
/// not read.
pub struct Checkpoint {
    path: PathBuf,
    file: File,
    len: u64,
    storages: HashMap<String, Range<u64>>,
    tensors: HashMap<String, TensorRef>,
    order: Vec<String>,
}

impl Checkpoint {
    /// Opens `path` and runs its `data.pkl`; reads no tensor data.
    pub fn open(path: &Path) -> Result<Checkpoint, ModelError> {
        let mut file = File::open(path).map_err(|e| ModelError::io(path, e))?;
        let len = file.metadata().map_err(|e| ModelError::io(path, e))?.len();
        let bad = |reason: String| ModelError::BadTorch {
            path: path.to_path_buf(),
            reason,
        };
        let members = zip::members(&mut file, len).map_err(bad)?;
        let pkl = members
            .iter()
            .find(|m| m.name.ends_with("/data.pkl") || m.name == "data.pkl")
            .ok_or_else(|| bad("no data.pkl in the archive".into()))?;
        let prefix = pkl.name.trim_end_matches("data.pkl").to_string();
        let pkl_len = pkl.range.end - pkl.range.start;
        if pkl_len > MAX_PICKLE {
            return Err(bad(format!("data.pkl of {pkl_len} bytes is too large")));
        }
        let program = zip::read_at(&mut file, pkl.range.start, pkl_len).map_err(bad)?;
        let root = pickle::load(&program).map_err(bad)?;
        let dict = state_dict(root).ok_or_else(|| bad("no state dict at the top".into()))?;
        let storages: HashMap<String, Range<u64>> = members
            .into_iter()
            .filter_map(|m| {
                let key = m.name.strip_prefix(&prefix)?.strip_prefix("data/")?;
                Some((key.to_string(), m.range))
            })
            .collect();
        let mut tensors = HashMap::new();
        let mut order = Vec::new();
        for (k, v) in dict {
            let (Value::Str(name), Some(t)) = (k, tensor_ref(&v)) else {
                continue;
            };
            if t.elem_size().is_none() {
                continue; // integer buffers such as batch counters
            }
            if !storages.contains_key(&t.key) {
                return Err(bad(format!("storage {} of {name} missing", t.key)));
            }
            if tensors.insert(name.clone(), t).is_none() {
                order.push(name);
            }
        }
        Ok(Checkpoint {
            path: path.to_path_buf(),
            file,
            len,
            storages,
            tensors,
            order,
        })
    }

    fn bad(&self, reason: String) -> ModelError {
        ModelError::BadTorch {
            path: self.path.clone(),
            reason,
        }
    }

    /// Names of the float tensors, in the state dict's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.order.iter().map(String::as_str)
    }

    /// Shape of tensor `name`, if there is one.
    pub fn shape(&self, name: &str) -> Option<&[usize]> {
        self.tensors.get(name).map(|t| t.shape.as_slice())
    }

    /// Element type of tensor `name` ("float32", "float16" or "bfloat16").
    pub fn dtype(&self, name: &str) -> Option<&'static str> {
        self.tensors.get(name).and_then(TensorRef::dtype_name)
    }

    /// Reads tensor `name` as f32 values.
    pub fn read(&mut self, name: &str) -> Result<Tensor, ModelError> {
        let t = self
            .tensors
            .get(name)
            .ok_or_else(|| ModelError::MissingTensor {
                name: name.to_string(),
            })?;
        let range = self.storages.get(&t.key).cloned().unwrap_or(0..0);
        let storage_len = range.end - range.start;
        let size = t.elem_size().unwrap_or(4) as u64;
        let n: usize = t.shape.iter().product();
        // A contiguous tensor reads just its bytes; any other layout reads its whole storage.
        let (at, bytes) = if t.is_contiguous() {
            let start = (t.offset as u64).checked_mul(size);
            let bytes = (n as u64).checked_mul(size);
            match (start, bytes) {
                (Some(s), Some(b)) if s.checked_add(b).is_some_and(|e| e <= storage_len) => {
                    (range.start + s, b)
                }
                _ => return Err(self.bad(format!("{name}: elements outside its storage"))),
            }
        } else {
            (range.start, storage_len)
        };
        let storage = zip::read_at(&mut self.file, at, bytes).map_err(|r| self.bad(r))?;
        let data = t
            .values(&storage)
            .map_err(|r| self.bad(format!("{name}: {r}")))?;
        Ok(Tensor {
            shape: t.shape.clone(),
            data,
        })
    }
}

fn state_dict(root: Value) -> Option<Vec<(Value, Value)>> {
    let Value::Dict(d) = root else { return None };
    let inner = d.iter().find_map(|(k, v)| match (k, v) {
        (Value::Str(s), Value::Dict(inner)) if s == "state_dict" => Some(inner.clone()),
        _ => None,
    });
    Some(inner.unwrap_or(d))
}

struct TensorRef {
    key: String,
    dtype: String,
    offset: usize,
    shape: Vec<usize>,
    stride: Vec<usize>,
}

fn ints(v: &Value) -> Option<Vec<usize>> {
    let Value::List(items) = v else { return None };
    items
        .iter()
        .map(|x| match x {
            Value::Int(i) if *i >= 0 => Some(*i as usize),
            _ => None,
        })
        .collect()
}

/// `_rebuild_tensor_v2(storage, offset, size, stride, ...)`, possibly inside
/// `_rebuild_parameter(tensor, ...)`.
fn tensor_ref(v: &Value) -> Option<TensorRef> {
    let Value::Call(f, args) = v else { return None };
    let Value::Global(_, name) = f.as_ref() else {
        return None;
    };
    match name.as_str() {
        "_rebuild_parameter" => tensor_ref(args.first()?),
        "_rebuild_tensor_v2" => {
            let Value::Persistent(id) = args.first()? else {
                return None;
            };
            let Value::List(id) = id.as_ref() else {
                return None;
            };
            let (Some(Value::Global(_, dtype)), Some(Value::Str(key))) = (id.get(1), id.get(2))
            else {
                return None;
            };
            let Value::Int(offset) = args.get(1)? else {
                return None;
            };
            Some(TensorRef {
                key: key.clone(),
                dtype: dtype.clone(),
                offset: usize::try_from(*offset).ok()?,
                shape: ints(args.get(2)?)?,
                stride: ints(args.get(3)?)?,
            })
        }
        _ => None,
    }
}

impl TensorRef {
    /// Bytes per element of a float storage; `None` for any other storage.
    fn elem_size(&self) -> Option<usize> {
        match self.dtype.as_str() {
            "FloatStorage" => Some(4),
            "HalfStorage" | "BFloat16Storage" => Some(2),
            _ => None,
        }
    }

    fn dtype_name(&self) -> Option<&'static str> {
        match self.dtype.as_str() {
            "FloatStorage" => Some("float32"),
            "HalfStorage" => Some("float16"),
            "BFloat16Storage" => Some("bfloat16"),
            _ => None,
        }
    }

    /// Whether the elements lie in row-major order from `offset`.
    fn is_contiguous(&self) -> bool {
        let mut expected = 1;
        for (&d, &s) in self.shape.iter().zip(&self.stride).rev() {
            if d != 1 && s != expected {
                return false;
            }
            expected *= d;
        }
        self.shape.len() == self.stride.len()
    }

    fn decode(&self, b: &[u8]) -> f32 {
        match self.dtype.as_str() {
            "HalfStorage" => half::f16::from_le_bytes([b[0], b[1]]).to_f32(),
            "BFloat16Storage" => half::bf16::from_le_bytes([b[0], b[1]]).to_f32(),
            _ => f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        }
    }

    /// The values from `bytes`: exactly the tensor's elements when it is contiguous, else
    /// its whole storage.
    fn values(&self, bytes: &[u8]) -> Result<Vec<f32>, String> {
        let size = self.elem_size().ok_or("not a float tensor")?;
        if self.is_contiguous() {
            return Ok(bytes.chunks_exact(size).map(|b| self.decode(b)).collect());
        }
        let n: usize = self.shape.iter().product();
        let mut data = Vec::with_capacity(n);
        let mut index = vec![0usize; self.shape.len()];
        for _ in 0..n {
            let at = self.offset
                + index
                    .iter()
                    .zip(&self.stride)
                    .map(|(i, s)| i * s)
                    .sum::<usize>();
            let b = bytes
                .get(at * size..at * size + size)
                .ok_or("element outside its storage")?;
            data.push(self.decode(b));
            for d in (0..index.len()).rev() {
                index[d] += 1;
                if index[d] < self.shape[d] {
                    break;
                }
                index[d] = 0;
            }
        }
        Ok(data)
    }
}
