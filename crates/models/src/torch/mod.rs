//! Reading the tensors of a PyTorch checkpoint (`torch.save` zip format) without Python:
//! the archive's `data.pkl` is run by a small pickle machine that builds values without
//! executing anything, and each tensor's storage is read from its own member file.

mod pickle;
mod zip;

use crate::ModelError;
use pickle::Value;
use std::collections::HashMap;
use std::path::Path;

/// Largest checkpoint read (the speaker models are 6 and 28 MB).
const MAX_BYTES: u64 = 1 << 30;

/// A float tensor read from a checkpoint, in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Tensor {
    /// Dimensions.
    pub shape: Vec<usize>,
    /// Values.
    pub data: Vec<f32>,
}

/// Reads every float32 tensor of the checkpoint's state dict (the top-level dict, or its
/// `state_dict` entry for Lightning checkpoints), by name.
pub fn read_state_dict(path: &Path) -> Result<HashMap<String, Tensor>, ModelError> {
    let bad = |reason: String| ModelError::BadTorch {
        path: path.to_path_buf(),
        reason,
    };
    let len = std::fs::metadata(path)
        .map_err(|source| io(path, source))?
        .len();
    if len > MAX_BYTES {
        return Err(bad(format!(
            "{len} bytes is larger than the {MAX_BYTES}-byte limit"
        )));
    }
    let bytes = std::fs::read(path).map_err(|source| io(path, source))?;
    let members = zip::members(&bytes).map_err(bad)?;
    let pkl = members
        .iter()
        .find(|m| m.name.ends_with("/data.pkl") || m.name == "data.pkl")
        .ok_or_else(|| bad("no data.pkl in the archive".into()))?;
    let prefix = pkl.name.trim_end_matches("data.pkl").to_string();
    let files: HashMap<&str, &[u8]> = members
        .iter()
        .map(|m| (m.name.as_str(), &bytes[m.range.clone()]))
        .collect();
    let root = pickle::load(&bytes[pkl.range.clone()]).map_err(bad)?;
    let dict = state_dict(root).ok_or_else(|| bad("no state dict at the top".into()))?;
    let mut out = HashMap::new();
    for (k, v) in dict {
        let (Value::Str(name), Some(t)) = (k, tensor_ref(&v)) else {
            continue;
        };
        let storage = files
            .get(format!("{prefix}data/{}", t.key).as_str())
            .ok_or_else(|| bad(format!("storage {} of {name} missing", t.key)))?;
        if let Some(data) = t.read(storage).map_err(|r| bad(format!("{name}: {r}")))? {
            out.insert(name, data);
        }
    }
    Ok(out)
}

fn io(path: &Path, source: std::io::Error) -> ModelError {
    ModelError::Io {
        path: path.to_path_buf(),
        source,
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
    /// The tensor's values; `None` for a non-float storage (e.g. batch counters).
    fn read(&self, storage: &[u8]) -> Result<Option<Tensor>, String> {
        if self.dtype != "FloatStorage" {
            return Ok(None);
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
            let b = storage
                .get(at * 4..at * 4 + 4)
                .ok_or("element outside its storage")?;
            data.push(f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            for d in (0..index.len()).rev() {
                index[d] += 1;
                if index[d] < self.shape[d] {
                    break;
                }
                index[d] = 0;
            }
        }
        Ok(Some(Tensor {
            shape: self.shape.clone(),
            data,
        }))
    }
}
