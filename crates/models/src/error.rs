//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong while importing or checking a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Reading or writing a file failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not a CTranslate2 Whisper model this importer understands.
    #[error("{path} is not a usable CTranslate2 whisper model: {reason}")]
    NotCt2 {
        /// The file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A source variable has an element type this importer cannot convert.
    #[error("variable {name} has unsupported dtype {dtype}")]
    UnsupportedDtype {
        /// Variable name.
        name: String,
        /// The dtype as the source format names it.
        dtype: String,
    },
    /// A variable the conversion needs is absent.
    #[error("missing tensor {name}")]
    MissingTensor {
        /// Variable name.
        name: String,
    },
    /// A variable has a shape that does not fit the model.
    #[error("tensor {name} has shape {actual:?}, expected {expected:?}")]
    BadShape {
        /// Variable name.
        name: String,
        /// The shape the model needs.
        expected: Vec<usize>,
        /// The shape found.
        actual: Vec<usize>,
    },
    /// A bias that the ggml format drops is not zero, so dropping it would change the model.
    #[error("bias {name} must be zero to be dropped, but its largest magnitude is {max_abs}")]
    NonZeroBias {
        /// Variable name.
        name: String,
        /// Largest absolute value found.
        max_abs: f32,
    },
    /// The tokenizer cannot be turned into a whisper.cpp vocabulary.
    #[error("bad tokenizer in {path}: {reason}")]
    BadTokenizer {
        /// The file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A safetensors file is malformed, truncated or lacks what the model needs.
    #[error("bad safetensors file {path}: {reason}")]
    BadSafetensors {
        /// The file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The file does not start with the ggml magic.
    #[error("{path} is not a ggml model file (magic {magic:#010x})")]
    NotGgml {
        /// The file involved.
        path: PathBuf,
        /// The first four bytes read as a little-endian u32.
        magic: u32,
    },
    /// The file ends before a header, record or tensor data that it announces.
    #[error(
        "{path} is truncated: {what} needs {needed} bytes at offset {offset}, file has {file_len}"
    )]
    Truncated {
        /// The file involved.
        path: PathBuf,
        /// What was being read.
        what: String,
        /// Offset where it starts.
        offset: u64,
        /// Bytes it needs.
        needed: u64,
        /// Length of the file.
        file_len: u64,
    },
    /// The ggml file is readable but malformed or incomplete.
    #[error("{path} is not a valid ggml model: {reason}")]
    BadGgml {
        /// The file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The ggml file holds another kind of model than the one asked for.
    #[error("{path} is a {actual} model, expected a {expected} model")]
    WrongKind {
        /// The file involved.
        path: PathBuf,
        /// Kind asked for.
        expected: crate::ModelKind,
        /// Kind found.
        actual: crate::ModelKind,
    },
    /// A PyTorch checkpoint could not be read.
    #[error("{path} is not a readable PyTorch checkpoint: {reason}")]
    BadTorch {
        /// The file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A Hugging Face checkpoint folder is not a Whisper model this importer understands.
    #[error("{path} is not a usable Hugging Face Whisper checkpoint: {reason}")]
    BadCheckpoint {
        /// The folder or file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A speaker model (source checkpoint or medlyt speaker file) is unusable.
    #[error("{path} is not a usable speaker model: {reason}")]
    BadSpeakerModel {
        /// The file involved.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A JSON file could not be parsed.
    #[error("failed to parse json in {path}: {source}")]
    Json {
        /// The file involved.
        path: PathBuf,
        /// The parser error.
        #[source]
        source: serde_json::Error,
    },
}

impl ModelError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        ModelError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
