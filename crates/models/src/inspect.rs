//! Reads a ggml model file's header and every tensor record, without loading the data, and
//! says what the file is and whether whisper.cpp would accept it.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::expected::{self, Expected, VadDims, WhisperDims};
use crate::ggml::{GgmlType, GGML_MAGIC};
use crate::ModelError;

/// Longest tensor name accepted.
const MAX_NAME: i32 = 1024;
/// Longest vocabulary entry accepted.
const MAX_TOKEN: u32 = 4096;

/// What a ggml model file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// A whisper.cpp speech recognition model.
    Whisper,
    /// A whisper.cpp voice activity detection model (Silero).
    Vad,
}

impl std::fmt::Display for ModelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ModelKind::Whisper => "whisper",
            ModelKind::Vad => "vad",
        })
    }
}

/// One tensor record of a ggml file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    /// Tensor name.
    pub name: String,
    /// Element type.
    pub ty: GgmlType,
    /// ggml dimensions (`ne`, the numpy shape reversed).
    pub ne: Vec<u64>,
    /// Offset of the data in the file.
    pub offset: u64,
    /// Bytes of data.
    pub bytes: u64,
}

/// What [`inspect`] found in a ggml model file.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFileInfo {
    /// The file.
    pub path: PathBuf,
    /// Whisper or VAD.
    pub kind: ModelKind,
    /// File size in bytes.
    pub file_bytes: u64,
    /// Header `n_vocab` (whisper; 0 for VAD).
    pub n_vocab: usize,
    /// Vocabulary entries stored in the file (whisper; 0 for VAD).
    pub stored_tokens: usize,
    /// (encoder, decoder) layers for whisper; (encoder conv layers, 0) for VAD.
    pub layers: (usize, usize),
    /// Model width (`n_audio_state`; LSTM hidden size for VAD).
    pub width: usize,
    /// Mel bands (whisper; 0 for VAD).
    pub n_mels: usize,
    /// Header `ftype` as stored (whisper; 0 for VAD).
    pub ftype: i32,
    /// Main weight type from `ftype`, if known.
    pub weight_type: Option<GgmlType>,
    /// Whether the whisper model is multilingual (`n_vocab >= 51865`).
    pub multilingual: bool,
    /// "tiny", "base.en", "large-v3-turbo", "custom", or "silero" for VAD.
    pub size_name: String,
    /// Every tensor record, in file order.
    pub tensors: Vec<TensorInfo>,
    /// Reasons whisper.cpp would refuse the file (missing, unknown or misshapen tensors);
    /// empty for a complete file.
    pub problems: Vec<String>,
}

impl ModelFileInfo {
    /// Whether whisper.cpp's loader would accept every tensor record.
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }
}

struct Reader {
    path: PathBuf,
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Reader {
    fn need(&self, what: &str, n: u64) -> Result<(), ModelError> {
        if self.pos.checked_add(n).is_none_or(|end| end > self.len) {
            return Err(ModelError::Truncated {
                path: self.path.clone(),
                what: what.to_string(),
                offset: self.pos,
                needed: n,
                file_len: self.len,
            });
        }
        Ok(())
    }

    fn bytes(&mut self, what: &str, n: u64) -> Result<Vec<u8>, ModelError> {
        self.need(what, n)?;
        let mut buf = vec![0u8; n as usize];
        self.inner
            .read_exact(&mut buf)
            .map_err(|e| ModelError::io(&self.path, e))?;
        self.pos += n;
        Ok(buf)
    }

    fn i32(&mut self, what: &str) -> Result<i32, ModelError> {
        let b = self.bytes(what, 4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn skip(&mut self, what: &str, n: u64) -> Result<(), ModelError> {
        self.need(what, n)?;
        let delta = i64::try_from(n).map_err(|_| self.bad(format!("{what} is too large")))?;
        self.inner
            .seek_relative(delta)
            .map_err(|e| ModelError::io(&self.path, e))?;
        self.pos += n;
        Ok(())
    }

    fn bad(&self, reason: String) -> ModelError {
        ModelError::BadGgml {
            path: self.path.clone(),
            reason,
        }
    }

    /// Reads a header value that must lie in `range`.
    fn dim(&mut self, what: &str, range: std::ops::RangeInclusive<i32>) -> Result<u64, ModelError> {
        let v = self.i32(what)?;
        if !range.contains(&v) {
            return Err(self.bad(format!("{what} is {v}, expected {range:?}")));
        }
        Ok(v as u64)
    }
}

/// Reads the header and every tensor record header of a whisper or VAD ggml file, checking
/// that all data lies inside the file. Errors for a file that is not ggml, is truncated or
/// has a malformed header; tensor-set mismatches are listed in
/// [`ModelFileInfo::problems`] (see [`check`] to reject them).
pub fn inspect(path: &Path) -> Result<ModelFileInfo, ModelError> {
    let file = File::open(path).map_err(|e| ModelError::io(path, e))?;
    let len = file.metadata().map_err(|e| ModelError::io(path, e))?.len();
    let mut r = Reader {
        path: path.to_path_buf(),
        inner: BufReader::with_capacity(1 << 16, file),
        pos: 0,
        len,
    };
    if len < 4 {
        return Err(ModelError::NotGgml {
            path: path.to_path_buf(),
            magic: 0,
        });
    }
    let magic = r.i32("magic")? as u32;
    if magic != GGML_MAGIC {
        return Err(ModelError::NotGgml {
            path: path.to_path_buf(),
            magic,
        });
    }
    // A VAD file continues with a short type name ("silero-16k"), a whisper file with n_vocab.
    let first = r.i32("header")?;
    if (1..=64).contains(&first) && r.pos + first as u64 <= len {
        let name = r.bytes("vad model type", first as u64)?;
        if name.starts_with(b"silero") {
            return inspect_vad(r);
        }
        r.inner
            .seek_relative(-i64::from(first))
            .map_err(|e| ModelError::io(path, e))?;
        r.pos -= first as u64;
    }
    inspect_whisper(r, first)
}

/// [`inspect`], then an error unless the file is of `kind` and complete.
pub fn check(path: &Path, kind: ModelKind) -> Result<ModelFileInfo, ModelError> {
    let info = inspect(path)?;
    if info.kind != kind {
        return Err(ModelError::WrongKind {
            path: path.to_path_buf(),
            expected: kind,
            actual: info.kind,
        });
    }
    if !info.problems.is_empty() {
        let mut reason = info.problems[..info.problems.len().min(3)].join("; ");
        if info.problems.len() > 3 {
            reason.push_str(&format!(" (and {} more)", info.problems.len() - 3));
        }
        return Err(ModelError::BadGgml {
            path: path.to_path_buf(),
            reason,
        });
    }
    Ok(info)
}

fn inspect_whisper(mut r: Reader, n_vocab: i32) -> Result<ModelFileInfo, ModelError> {
    if !(1..=1_000_000).contains(&n_vocab) {
        return Err(r.bad(format!("n_vocab is {n_vocab}, expected 1..=1000000")));
    }
    let n_audio_ctx = r.dim("n_audio_ctx", 1..=1_000_000)?;
    let n_audio_state = r.dim("n_audio_state", 1..=100_000)?;
    let _n_audio_head = r.dim("n_audio_head", 1..=1024)?;
    let n_audio_layer = r.dim("n_audio_layer", 1..=1024)?;
    let n_text_ctx = r.dim("n_text_ctx", 1..=1_000_000)?;
    let n_text_state = r.dim("n_text_state", 1..=100_000)?;
    let _n_text_head = r.dim("n_text_head", 1..=1024)?;
    let n_text_layer = r.dim("n_text_layer", 1..=1024)?;
    let n_mels = r.dim("n_mels", 1..=1024)?;
    let ftype = r.i32("ftype")?;
    if n_text_state != n_audio_state {
        return Err(r.bad(format!(
            "n_text_state {n_text_state} differs from n_audio_state {n_audio_state}"
        )));
    }
    let filter_mels = r.dim("mel filter count", 1..=1024)?;
    let filter_fft = r.dim("mel filter width", 1..=100_000)?;
    r.skip("mel filters", filter_mels * filter_fft * 4)?;
    let stored = r.dim("vocabulary size", 0..=n_vocab)?;
    for i in 0..stored {
        let n = r.i32("token length")? as u32;
        if n > MAX_TOKEN {
            return Err(r.bad(format!("token {i} has length {n}")));
        }
        r.skip("token", u64::from(n))?;
    }
    let weight_type = GgmlType::from_ftype(ftype);
    let tensors = read_tensors(&mut r)?;
    let mut problems = Vec::new();
    match weight_type {
        Some(wtype) => {
            let dims = WhisperDims {
                n_vocab: n_vocab as u64,
                n_audio_ctx,
                n_audio_state,
                n_audio_layer,
                n_text_ctx,
                n_text_state,
                n_text_layer,
                n_mels,
                wtype,
            };
            problems = compare(&tensors, &expected::whisper(&dims));
        }
        None => problems.push(format!("unknown ftype {ftype}")),
    }
    if filter_mels != n_mels {
        problems.push(format!("{filter_mels} mel filters for {n_mels} mels"));
    }
    Ok(ModelFileInfo {
        path: r.path,
        kind: ModelKind::Whisper,
        file_bytes: r.len,
        n_vocab: n_vocab as usize,
        stored_tokens: stored as usize,
        layers: (n_audio_layer as usize, n_text_layer as usize),
        width: n_audio_state as usize,
        n_mels: n_mels as usize,
        ftype,
        weight_type,
        multilingual: n_vocab as usize >= crate::MULTILINGUAL_MIN_VOCAB,
        size_name: expected::size_name(
            n_audio_layer,
            n_audio_state,
            n_text_layer,
            n_vocab as u64,
            n_mels,
        ),
        tensors,
        problems,
    })
}

fn inspect_vad(mut r: Reader) -> Result<ModelFileInfo, ModelError> {
    for what in ["version major", "version minor", "version patch"] {
        r.i32(what)?;
    }
    r.dim("n_window", 1..=1_000_000)?;
    r.dim("n_context", 0..=1_000_000)?;
    let n_layers = r.dim("encoder layer count", 1..=64)?;
    let mut layers = Vec::new();
    for _ in 0..n_layers {
        let c_in = r.dim("encoder in-channels", 1..=100_000)?;
        let c_out = r.dim("encoder out-channels", 1..=100_000)?;
        let k = r.dim("kernel size", 1..=1024)?;
        layers.push((c_in, c_out, k));
    }
    let _lstm_in = r.dim("lstm input size", 1..=100_000)?;
    let lstm_hidden = r.dim("lstm hidden size", 1..=100_000)?;
    let final_conv_in = r.dim("final conv in", 1..=100_000)?;
    let _final_conv_out = r.dim("final conv out", 1..=100_000)?;
    let tensors = read_tensors(&mut r)?;
    let dims = VadDims {
        layers,
        lstm_hidden,
        final_conv_in,
    };
    let mut problems = compare(&tensors, &expected::vad(&dims));
    problems.extend(non_finite(&r.path, &tensors)?);
    Ok(ModelFileInfo {
        path: r.path,
        kind: ModelKind::Vad,
        file_bytes: r.len,
        n_vocab: 0,
        stored_tokens: 0,
        layers: (n_layers as usize, 0),
        width: lstm_hidden as usize,
        n_mels: 0,
        ftype: 0,
        weight_type: None,
        multilingual: false,
        size_name: "silero".to_string(),
        tensors,
        problems,
    })
}

/// The tensors (f32 and f16) that hold weights that are not numbers (NaN or infinite), as
/// problems: a VAD model with them finds no speech at all. (The VAD file is small; Whisper
/// files are not read through.)
fn non_finite(path: &Path, tensors: &[TensorInfo]) -> Result<Vec<String>, ModelError> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path).map_err(|e| ModelError::io(path, e))?;
    let mut problems = Vec::new();
    for t in tensors {
        let width = match t.ty {
            GgmlType::F32 => 4,
            GgmlType::F16 => 2,
            _ => continue,
        };
        let mut data = vec![0u8; usize::try_from(t.bytes).unwrap_or(0)];
        file.seek(SeekFrom::Start(t.offset))
            .and_then(|_| file.read_exact(&mut data))
            .map_err(|e| ModelError::io(path, e))?;
        let bad = data
            .chunks_exact(width)
            .filter(|c| match c {
                [a, b, c, d] => !f32::from_le_bytes([*a, *b, *c, *d]).is_finite(),
                [a, b] => !half::f16::from_le_bytes([*a, *b]).is_finite(),
                _ => false,
            })
            .count();
        if bad > 0 {
            problems.push(format!(
                "tensor {} holds {bad} weights that are not numbers (NaN or infinite)",
                t.name
            ));
        }
    }
    Ok(problems)
}

/// Reads tensor records to the end of the file, checking that each one's data fits.
fn read_tensors(r: &mut Reader) -> Result<Vec<TensorInfo>, ModelError> {
    let mut tensors = Vec::new();
    while r.pos < r.len {
        let n_dims = r.i32("tensor record")?;
        let name_len = r.i32("tensor record")?;
        let type_id = r.i32("tensor record")?;
        let at = tensors.len();
        if !(1..=4).contains(&n_dims) {
            return Err(r.bad(format!("tensor record {at} has {n_dims} dimensions")));
        }
        if !(1..=MAX_NAME).contains(&name_len) {
            return Err(r.bad(format!("tensor record {at} has a name of {name_len} bytes")));
        }
        let ty = GgmlType::from_id(type_id)
            .ok_or_else(|| r.bad(format!("tensor record {at} has unknown type {type_id}")))?;
        let mut ne = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            ne.push(r.dim("tensor dimension", 1..=i32::MAX)?);
        }
        let name = String::from_utf8(r.bytes("tensor name", name_len as u64)?)
            .map_err(|_| r.bad(format!("tensor record {at} has a name that is not utf-8")))?;
        let bytes = ty.data_bytes(&ne).ok_or_else(|| {
            r.bad(format!(
                "tensor {name} of shape {ne:?} does not fit type {}",
                ty.name()
            ))
        })?;
        let offset = r.pos;
        r.skip(&format!("data of tensor {name}"), bytes)?;
        tensors.push(TensorInfo {
            name,
            ty,
            ne,
            offset,
            bytes,
        });
    }
    Ok(tensors)
}

/// Lists how `tensors` differ from what the loader expects.
fn compare(tensors: &[TensorInfo], expected: &Expected) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for t in tensors {
        if !seen.insert(t.name.as_str()) {
            problems.push(format!("tensor {} appears twice", t.name));
            continue;
        }
        match expected.get(&t.name) {
            None => problems.push(format!("unknown tensor {}", t.name)),
            Some((ne, ty)) => {
                if *ne != t.ne {
                    problems.push(format!(
                        "tensor {} has ne {:?}, expected {ne:?}",
                        t.name, t.ne
                    ));
                } else if *ty != t.ty {
                    let (got, want) = (t.ty.name(), ty.name());
                    problems.push(format!("tensor {} is {got}, expected {want}", t.name));
                }
            }
        }
    }
    for name in expected.keys() {
        if !seen.contains(name.as_str()) {
            problems.push(format!("missing tensor {name}"));
        }
    }
    problems
}
