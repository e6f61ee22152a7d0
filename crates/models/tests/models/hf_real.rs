//! The real Whisper base weights (`.cache/ct2/base`, made by scripts/get-models.sh) written
//! out as a transformers checkpoint must import to the very file that import_ct2 makes of
//! them. Skipped without them, unless MEDLYT_REQUIRE_MODELS is set.

use std::path::{Path, PathBuf};

use medlyt_models::{import_ct2, import_hf, Quant};

use crate::hf_layout::{write_hf_from_ct2, Layout};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The CTranslate2 base model folder, or `None` (a failure where MEDLYT_REQUIRE_MODELS is set).
pub fn ct2_base() -> Option<PathBuf> {
    let cache =
        std::env::var_os("MEDLYT_CACHE").map_or_else(|| root().join(".cache"), PathBuf::from);
    let dir = cache.join("ct2/base");
    if dir.join("model.bin").is_file() && dir.join("tokenizer.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("MEDLYT_REQUIRE_MODELS").is_none(),
        "no CTranslate2 base model in {}: run scripts/get-models.sh (which builds it \
         with models/ggml-base.bin; remove that file first if it is there)",
        dir.display()
    );
    eprintln!("skipped: no CTranslate2 base model in {}", dir.display());
    None
}

fn sha256(path: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn real_base_round_trips_bit_identically() {
    let Some(ct2) = ct2_base() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (Layout::default(), Quant::F16),
        (
            Layout {
                prefix: "model.",
                shards: 2,
                slow_tokenizer: true,
            },
            Quant::Q8_0,
        ),
    ];
    for (i, (layout, quant)) in cases.iter().enumerate() {
        let hf = tmp.path().join(format!("hf{i}"));
        let dims = write_hf_from_ct2(&ct2, &hf, layout);
        assert_eq!((dims.d, dims.enc_layers, dims.dec_layers), (512, 6, 6));
        let from_ct2 = tmp.path().join(format!("ct2-{i}.bin"));
        let from_hf = tmp.path().join(format!("hf-{i}.bin"));
        let a = import_ct2(&ct2, &from_ct2, *quant).unwrap();
        let b = import_hf(&hf, &from_hf, *quant).unwrap();
        std::fs::remove_dir_all(&hf).unwrap();
        assert_eq!(b.ggml, a, "summaries differ");
        assert_eq!(b.ggml.n_tensors, 245);
        assert_eq!(sha256(&from_hf), a.sha256);
        let (x, y) = (
            std::fs::read(&from_ct2).unwrap(),
            std::fs::read(&from_hf).unwrap(),
        );
        assert!(x == y, "files differ");
        assert_eq!(b.dtypes, vec!["float16"]);
        let heads = vec![
            (3, 1),
            (4, 2),
            (4, 3),
            (4, 7),
            (5, 1),
            (5, 2),
            (5, 4),
            (5, 6),
        ];
        assert_eq!(b.alignment_heads, Some(heads));
        assert_eq!(b.alignment_heads_outside, 0);
        std::fs::remove_file(&from_ct2).unwrap();
        std::fs::remove_file(&from_hf).unwrap();
    }
}
