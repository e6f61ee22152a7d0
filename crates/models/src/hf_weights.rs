//! The weights of a Hugging Face checkpoint folder, whichever way they are stored:
//! `model.safetensors`, safetensors shards listed by `model.safetensors.index.json`,
//! `pytorch_model.bin`, or PyTorch shards listed by `pytorch_model.bin.index.json`.
//! Every file is indexed when opened; tensors are read one at a time.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::safetensors::Safetensors;
use crate::torch::Checkpoint;
use crate::ModelError;

/// One weights file.
enum Shard {
    Safetensors(Safetensors),
    Torch(Checkpoint),
}

impl Shard {
    fn open(path: &Path) -> Result<Shard, ModelError> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.ends_with(".safetensors")) {
            Ok(Shard::Safetensors(Safetensors::open(path)?))
        } else {
            Ok(Shard::Torch(Checkpoint::open(path)?))
        }
    }

    fn names(&self) -> Vec<String> {
        match self {
            Shard::Safetensors(s) => s.names().map(str::to_string).collect(),
            Shard::Torch(c) => c.names().map(str::to_string).collect(),
        }
    }

    fn shape(&self, name: &str) -> Option<&[usize]> {
        match self {
            Shard::Safetensors(s) => s.get_shape(name),
            Shard::Torch(c) => c.shape(name),
        }
    }

    /// The element type in PyTorch's words ("float16", "bfloat16", "float32", ...).
    fn dtype(&self, name: &str) -> Option<String> {
        match self {
            Shard::Safetensors(s) => s.dtype(name).map(|d| match d {
                "F32" => "float32".to_string(),
                "F16" => "float16".to_string(),
                "BF16" => "bfloat16".to_string(),
                other => other.to_lowercase(),
            }),
            Shard::Torch(c) => c.dtype(name).map(str::to_string),
        }
    }

    fn read(&mut self, name: &str) -> Result<Vec<f32>, ModelError> {
        match self {
            Shard::Safetensors(s) => s.read_f32(name),
            Shard::Torch(c) => Ok(c.read(name)?.data),
        }
    }
}

/// All weights of a checkpoint folder, by tensor name.
pub(crate) struct HfWeights {
    shards: Vec<Shard>,
    index: HashMap<String, usize>,
    /// The files read, e.g. `model.safetensors` or `2 files of model.safetensors.index.json`.
    pub(crate) files: String,
}

#[derive(serde::Deserialize)]
struct ShardIndex {
    weight_map: HashMap<String, String>,
}

impl HfWeights {
    /// Finds and indexes the weights in `dir`.
    pub(crate) fn open(dir: &Path) -> Result<HfWeights, ModelError> {
        let mut paths = Vec::new();
        let mut files = String::new();
        for single in ["model.safetensors", "pytorch_model.bin"] {
            if dir.join(single).is_file() {
                paths.push(dir.join(single));
                files = single.to_string();
                break;
            }
            let index = dir.join(format!("{single}.index.json"));
            if index.is_file() {
                let text =
                    std::fs::read_to_string(&index).map_err(|e| ModelError::io(&index, e))?;
                let parsed: ShardIndex =
                    serde_json::from_str(&text).map_err(|e| ModelError::Json {
                        path: index.clone(),
                        source: e,
                    })?;
                let names: BTreeSet<&String> = parsed.weight_map.values().collect();
                for name in &names {
                    if Path::new(name.as_str()).file_name() != Some(std::ffi::OsStr::new(name)) {
                        return Err(ModelError::BadCheckpoint {
                            path: index.clone(),
                            reason: format!("shard {name:?} is not a file in the folder"),
                        });
                    }
                    paths.push(dir.join(name));
                }
                files = format!("{} files of {single}.index.json", names.len());
                break;
            }
        }
        if paths.is_empty() {
            return Err(ModelError::BadCheckpoint {
                path: dir.to_path_buf(),
                reason: "no model.safetensors, model.safetensors.index.json, pytorch_model.bin \
                         or pytorch_model.bin.index.json"
                    .to_string(),
            });
        }
        let mut shards = Vec::new();
        let mut index = HashMap::new();
        for path in &paths {
            let shard = Shard::open(path)?;
            for name in shard.names() {
                index.entry(name).or_insert(shards.len());
            }
            shards.push(shard);
        }
        Ok(HfWeights {
            shards,
            index,
            files,
        })
    }

    /// Whether any tensor name starts with `prefix`.
    pub(crate) fn any_starts_with(&self, prefix: &str) -> bool {
        self.index.keys().any(|n| n.starts_with(prefix))
    }

    /// Shape of `name`, if there is such a tensor.
    pub(crate) fn shape(&self, name: &str) -> Option<&[usize]> {
        self.shards[*self.index.get(name)?].shape(name)
    }

    /// Element type of `name` ("float16", "bfloat16", "float32", or another type's name).
    pub(crate) fn dtype(&self, name: &str) -> Option<String> {
        self.shards[*self.index.get(name)?].dtype(name)
    }

    /// Reads `name` as f32 values.
    pub(crate) fn read(&mut self, name: &str) -> Result<Vec<f32>, ModelError> {
        let i = *self
            .index
            .get(name)
            .ok_or_else(|| ModelError::MissingTensor {
                name: name.to_string(),
            })?;
        self.shards[i].read(name)
    }
}
