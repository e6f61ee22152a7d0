//! Pieces of the ggml file format: tensor types, q8_0 blocks and an atomic, hashing writer.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::ModelError;

/// The ggml file magic, "ggml" read as a little-endian u32.
pub const GGML_MAGIC: u32 = 0x6767_6d6c;

/// Values per q8_0 (and other ggml quantised) block.
pub const QK: usize = 32;
/// Bytes of one q8_0 block: an f16 scale and 32 i8.
pub const Q8_0_BLOCK_BYTES: usize = 2 + QK;

/// Tensor element types that whisper.cpp model files use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GgmlType {
    /// 32-bit float.
    F32,
    /// 16-bit float.
    F16,
    /// 4-bit blocks with a scale.
    Q4_0,
    /// 4-bit blocks with a scale and a minimum.
    Q4_1,
    /// 5-bit blocks with a scale.
    Q5_0,
    /// 5-bit blocks with a scale and a minimum.
    Q5_1,
    /// 8-bit blocks with an f16 scale.
    Q8_0,
    /// 2-bit k-quant super-blocks.
    Q2K,
    /// 3-bit k-quant super-blocks.
    Q3K,
    /// 4-bit k-quant super-blocks.
    Q4K,
    /// 5-bit k-quant super-blocks.
    Q5K,
    /// 6-bit k-quant super-blocks.
    Q6K,
}

impl GgmlType {
    /// The type from its id in a tensor record.
    pub fn from_id(id: i32) -> Option<GgmlType> {
        Some(match id {
            0 => GgmlType::F32,
            1 => GgmlType::F16,
            2 => GgmlType::Q4_0,
            3 => GgmlType::Q4_1,
            6 => GgmlType::Q5_0,
            7 => GgmlType::Q5_1,
            8 => GgmlType::Q8_0,
            10 => GgmlType::Q2K,
            11 => GgmlType::Q3K,
            12 => GgmlType::Q4K,
            13 => GgmlType::Q5K,
            14 => GgmlType::Q6K,
            _ => return None,
        })
    }

    /// Its id in a tensor record.
    pub fn id(self) -> i32 {
        match self {
            GgmlType::F32 => 0,
            GgmlType::F16 => 1,
            GgmlType::Q4_0 => 2,
            GgmlType::Q4_1 => 3,
            GgmlType::Q5_0 => 6,
            GgmlType::Q5_1 => 7,
            GgmlType::Q8_0 => 8,
            GgmlType::Q2K => 10,
            GgmlType::Q3K => 11,
            GgmlType::Q4K => 12,
            GgmlType::Q5K => 13,
            GgmlType::Q6K => 14,
        }
    }

    /// Values per block (1 for plain floats).
    pub fn block_len(self) -> usize {
        match self {
            GgmlType::F32 | GgmlType::F16 => 1,
            GgmlType::Q2K | GgmlType::Q3K | GgmlType::Q4K | GgmlType::Q5K | GgmlType::Q6K => 256,
            _ => QK,
        }
    }

    /// Bytes per block.
    pub fn block_bytes(self) -> usize {
        match self {
            GgmlType::F32 => 4,
            GgmlType::F16 => 2,
            GgmlType::Q4_0 => 18,
            GgmlType::Q4_1 => 20,
            GgmlType::Q5_0 => 22,
            GgmlType::Q5_1 => 24,
            GgmlType::Q8_0 => Q8_0_BLOCK_BYTES,
            GgmlType::Q2K => 84,
            GgmlType::Q3K => 110,
            GgmlType::Q4K => 144,
            GgmlType::Q5K => 176,
            GgmlType::Q6K => 210,
        }
    }

    /// Bytes of a tensor whose first dimension is `ne0`, or `None` if `ne0` does not fill
    /// whole blocks or the size overflows.
    pub fn data_bytes(self, ne: &[u64]) -> Option<u64> {
        let ne0 = *ne.first()?;
        if ne0 % self.block_len() as u64 != 0 {
            return None;
        }
        let numel = ne.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d))?;
        (numel / self.block_len() as u64).checked_mul(self.block_bytes() as u64)
    }

    /// Short lowercase name ("f16", "q8_0").
    pub fn name(self) -> &'static str {
        match self {
            GgmlType::F32 => "f32",
            GgmlType::F16 => "f16",
            GgmlType::Q4_0 => "q4_0",
            GgmlType::Q4_1 => "q4_1",
            GgmlType::Q5_0 => "q5_0",
            GgmlType::Q5_1 => "q5_1",
            GgmlType::Q8_0 => "q8_0",
            GgmlType::Q2K => "q2_k",
            GgmlType::Q3K => "q3_k",
            GgmlType::Q4K => "q4_k",
            GgmlType::Q5K => "q5_k",
            GgmlType::Q6K => "q6_k",
        }
    }

    /// The main weight type of a whisper file's header `ftype` (ggml's `ggml_ftype`, after
    /// removing the quantisation version, i.e. `ftype % 1000`).
    pub fn from_ftype(ftype: i32) -> Option<GgmlType> {
        Some(match ftype % 1000 {
            0 => GgmlType::F32,
            1 => GgmlType::F16,
            2 => GgmlType::Q4_0,
            3 => GgmlType::Q4_1,
            7 => GgmlType::Q8_0,
            8 => GgmlType::Q5_0,
            9 => GgmlType::Q5_1,
            10 => GgmlType::Q2K,
            11 => GgmlType::Q3K,
            12 => GgmlType::Q4K,
            13 => GgmlType::Q5K,
            14 => GgmlType::Q6K,
            _ => return None,
        })
    }
}

/// Quantises values to q8_0 blocks exactly as ggml's reference `quantize_row_q8_0` does:
/// scale `d = max|x| / 127` stored as f16, values `round(x * (1/d))` as i8.
/// The length must be a multiple of [`QK`]; a shorter last block is padded with zeros.
pub fn quantize_q8_0(values: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len().div_ceil(QK) * Q8_0_BLOCK_BYTES);
    for block in values.chunks(QK) {
        let amax = block.iter().fold(0.0f32, |m, &x| m.max(x.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&half::f16::from_f32(d).to_le_bytes());
        for i in 0..QK {
            let x = block.get(i).copied().unwrap_or(0.0);
            out.push((x * id).round() as i8 as u8);
        }
    }
    out
}

/// Expands q8_0 blocks back to f32 values.
pub fn dequantize_q8_0(bytes: &[u8]) -> Vec<f32> {
    let mut out = Vec::with_capacity(bytes.len() / Q8_0_BLOCK_BYTES * QK);
    for block in bytes.chunks_exact(Q8_0_BLOCK_BYTES) {
        let d = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        out.extend(block[2..].iter().map(|&q| f32::from(q as i8) * d));
    }
    out
}

/// Encodes values as a tensor of type `ty` (f32, f16 or q8_0).
pub(crate) fn encode(values: &[f32], ty: GgmlType) -> Option<Vec<u8>> {
    match ty {
        GgmlType::F32 => Some(values.iter().flat_map(|v| v.to_le_bytes()).collect()),
        GgmlType::F16 => Some(
            values
                .iter()
                .flat_map(|&v| half::f16::from_f32(v).to_le_bytes())
                .collect(),
        ),
        GgmlType::Q8_0 => Some(quantize_q8_0(values)),
        _ => None,
    }
}

/// A file written under a temporary name in the target's directory and renamed into place
/// by [`AtomicWriter::finish`]; dropped unfinished, the temporary file is removed.
pub(crate) struct AtomicWriter {
    tmp: PathBuf,
    out: PathBuf,
    inner: Option<BufWriter<File>>,
    hasher: Sha256,
    bytes: u64,
}

impl AtomicWriter {
    pub(crate) fn create(out: &Path) -> Result<AtomicWriter, ModelError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".to_string());
        if out.is_dir() {
            return Err(ModelError::io(
                out,
                std::io::Error::other("the output is a folder; give a file name"),
            ));
        }
        let tmp = out.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(|e| ModelError::io(&tmp, e))?;
        Ok(AtomicWriter {
            tmp,
            out: out.to_path_buf(),
            inner: Some(BufWriter::with_capacity(1 << 20, file)),
            hasher: Sha256::new(),
            bytes: 0,
        })
    }

    pub(crate) fn bytes(&mut self, data: &[u8]) -> Result<(), ModelError> {
        let Some(inner) = self.inner.as_mut() else {
            return Ok(());
        };
        inner
            .write_all(data)
            .map_err(|e| ModelError::io(&self.tmp, e))?;
        self.hasher.update(data);
        self.bytes += data.len() as u64;
        Ok(())
    }

    pub(crate) fn i32(&mut self, v: i32) -> Result<(), ModelError> {
        self.bytes(&v.to_le_bytes())
    }

    pub(crate) fn u32(&mut self, v: u32) -> Result<(), ModelError> {
        self.bytes(&v.to_le_bytes())
    }

    /// Writes one tensor record: header, `ne` (the numpy shape reversed), name, data.
    pub(crate) fn tensor(
        &mut self,
        name: &str,
        numpy_shape: &[usize],
        ty: GgmlType,
        data: &[u8],
    ) -> Result<(), ModelError> {
        let too_big = || ModelError::BadShape {
            name: name.to_string(),
            expected: vec![i32::MAX as usize],
            actual: numpy_shape.to_vec(),
        };
        self.i32(i32::try_from(numpy_shape.len()).map_err(|_| too_big())?)?;
        self.i32(i32::try_from(name.len()).map_err(|_| too_big())?)?;
        self.i32(ty.id())?;
        for &d in numpy_shape.iter().rev() {
            self.i32(i32::try_from(d).map_err(|_| too_big())?)?;
        }
        self.bytes(name.as_bytes())?;
        self.bytes(data)
    }

    /// Flushes, syncs and renames into place; returns the size and the sha256 (hex).
    pub(crate) fn finish(mut self) -> Result<(u64, String), ModelError> {
        if let Some(inner) = self.inner.take() {
            let file = inner
                .into_inner()
                .map_err(|e| ModelError::io(&self.tmp, e.into_error()))?;
            file.sync_all().map_err(|e| ModelError::io(&self.tmp, e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            let _ = std::fs::remove_file(&self.tmp);
            return Err(ModelError::io(&self.out, e));
        }
        let digest = std::mem::take(&mut self.hasher).finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok((self.bytes, hex))
    }
}

impl Drop for AtomicWriter {
    fn drop(&mut self) {
        if self.inner.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
