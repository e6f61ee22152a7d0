//! The official whisper.cpp ggml files and their pinned sizes and SHA-256 sums.
//!
//! Sources: every value below is the Git LFS object id (the SHA-256 of the file's content)
//! and size that Hugging Face publishes for `ggerganov/whisper.cpp` at revision
//! `5359861c739e955e79d9a303bcbc70fb988958b1`. They were taken from three independent
//! public projects that pin them, and all three agree on every name, size and sum:
//!
//! 1. a captured response of `https://huggingface.co/api/models/ggerganov/whisper.cpp?blobs=true`
//!    (the `siblings[].lfs` records) kept as a test fixture by a Swift call-recorder app,
//! 2. the `(sha256, bytes)` table of a Python dictation daemon that refuses unlisted names,
//! 3. the `[size, sha256]` table of a Node.js whisper.cpp model downloader.
//!
//! Many further apps pin single entries with the same values (e.g. `large-v3-turbo`,
//! `large-v3`, `small`, `medium`, `tiny`, `base` and the q5/q8 files). One catalogue lists
//! another `large-v3` sum (`64d18257…`, with a rounded size); it matches no other source and is
//! not used. `ggml-large-v3-q8_0.bin` is published by a third party, not by whisper.cpp, and is
//! left out. whisper.cpp's own README lists SHA-1 sums, which are not used here.
//!
//! A name missing here is refused by `medlyt model fetch`; `--sha256 HEX` pins a value for a
//! listed name when the upstream file changes.

/// An official whisper.cpp model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    /// The name on the command line, e.g. `large-v3-turbo` or `base-q8_0`.
    pub name: &'static str,
    /// The file name, `ggml-NAME.bin`, both upstream and in the models folder.
    pub file: &'static str,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: &'static str,
}

impl KnownModel {
    /// Whether the model transcribes English only (`.en` names).
    pub fn english_only(&self) -> bool {
        self.name.contains(".en")
    }

    /// The quantized weight type in the name (`q5_0`, `q5_1`, `q8_0`), or `None` for f16.
    pub fn quant(&self) -> Option<&'static str> {
        self.name
            .rsplit_once('-')
            .map(|(_, last)| last)
            .filter(|last| last.starts_with('q'))
    }

    /// One line on what the file is, for `medlyt model list`.
    pub fn description(&self) -> String {
        format!(
            "official whisper.cpp file ({}, {} weights, {} MB), from `medlyt model fetch {}`",
            if self.english_only() {
                "English only"
            } else {
                "multilingual"
            },
            self.quant().unwrap_or("f16"),
            (self.bytes as f64 / 1e6).round(),
            self.name
        )
    }
}

const fn known(
    name: &'static str,
    file: &'static str,
    bytes: u64,
    sha256: &'static str,
) -> KnownModel {
    KnownModel {
        name,
        file,
        bytes,
        sha256,
    }
}

/// Every official file `medlyt model fetch` downloads, smallest family first.
#[rustfmt::skip]
pub const KNOWN_MODELS: &[KnownModel] = &[
    known("tiny", "ggml-tiny.bin", 77_691_713, "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21"),
    known("tiny-q5_1", "ggml-tiny-q5_1.bin", 32_152_673, "818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7"),
    known("tiny-q8_0", "ggml-tiny-q8_0.bin", 43_537_433, "c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca"),
    known("tiny.en", "ggml-tiny.en.bin", 77_704_715, "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f"),
    known("tiny.en-q5_1", "ggml-tiny.en-q5_1.bin", 32_166_155, "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b"),
    known("tiny.en-q8_0", "ggml-tiny.en-q8_0.bin", 43_550_795, "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94"),
    known("base", "ggml-base.bin", 147_951_465, "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe"),
    known("base-q5_1", "ggml-base-q5_1.bin", 59_707_625, "422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898"),
    known("base-q8_0", "ggml-base-q8_0.bin", 81_768_585, "c577b9a86e7e048a0b7eada054f4dd79a56bbfa911fbdacf900ac5b567cbb7d9"),
    known("base.en", "ggml-base.en.bin", 147_964_211, "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002"),
    known("base.en-q5_1", "ggml-base.en-q5_1.bin", 59_721_011, "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f"),
    known("base.en-q8_0", "ggml-base.en-q8_0.bin", 81_781_811, "a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e"),
    known("small", "ggml-small.bin", 487_601_967, "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b"),
    known("small-q5_1", "ggml-small-q5_1.bin", 190_085_487, "ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb"),
    known("small-q8_0", "ggml-small-q8_0.bin", 264_464_607, "49c8fb02b65e6049d5fa6c04f81f53b867b5ec9540406812c643f177317f779f"),
    known("small.en", "ggml-small.en.bin", 487_614_201, "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d"),
    known("small.en-q5_1", "ggml-small.en-q5_1.bin", 190_098_681, "bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30"),
    known("small.en-q8_0", "ggml-small.en-q8_0.bin", 264_477_561, "67a179f608ea6114bd3fdb9060e762b588a3fb3bd00c4387971be4d177958067"),
    known("medium", "ggml-medium.bin", 1_533_763_059, "6c14d5adee5f86394037b4e4e8b59f1673b6cee10e3cf0b11bbdbee79c156208"),
    known("medium-q5_0", "ggml-medium-q5_0.bin", 539_212_467, "19fea4b380c3a618ec4723c3eef2eb785ffba0d0538cf43f8f235e7b3b34220f"),
    known("medium-q8_0", "ggml-medium-q8_0.bin", 823_369_779, "42a1ffcbe4167d224232443396968db4d02d4e8e87e213d3ee2e03095dea6502"),
    known("medium.en", "ggml-medium.en.bin", 1_533_774_781, "cc37e93478338ec7700281a7ac30a10128929eb8f427dda2e865faa8f6da4356"),
    known("medium.en-q5_0", "ggml-medium.en-q5_0.bin", 539_225_533, "76733e26ad8fe1c7a5bf7531a9d41917b2adc0f20f2e4f5531688a8c6cd88eb0"),
    known("medium.en-q8_0", "ggml-medium.en-q8_0.bin", 823_382_461, "43fa2cd084de5a04399a896a9a7a786064e221365c01700cea4666005218f11c"),
    known("large-v1", "ggml-large-v1.bin", 3_094_623_691, "7d99f41a10525d0206bddadd86760181fa920438b6b33237e3118ff6c83bb53d"),
    known("large-v2", "ggml-large-v2.bin", 3_094_623_691, "9a423fe4d40c82774b6af34115b8b935f34152246eb19e80e376071d3f999487"),
    known("large-v2-q5_0", "ggml-large-v2-q5_0.bin", 1_080_732_091, "3a214837221e4530dbc1fe8d734f302af393eb30bd0ed046042ebf4baf70f6f2"),
    known("large-v2-q8_0", "ggml-large-v2-q8_0.bin", 1_656_129_691, "fef54e6d898246a65c8285bfa83bd1807e27fadf54d5d4e81754c47634737e8c"),
    known("large-v3", "ggml-large-v3.bin", 3_095_033_483, "64d182b440b98d5203c4f9bd541544d84c605196c4f7b845dfa11fb23594d1e2"),
    known("large-v3-q5_0", "ggml-large-v3-q5_0.bin", 1_081_140_203, "d75795ecff3f83b5faa89d1900604ad8c780abd5739fae406de19f23ecd98ad1"),
    known("large-v3-turbo", "ggml-large-v3-turbo.bin", 1_624_555_275, "1fc70f774d38eb169993ac391eea357ef47c88757ef72ee5943879b7e8e2bc69"),
    known("large-v3-turbo-q5_0", "ggml-large-v3-turbo-q5_0.bin", 574_041_195, "394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2"),
    known("large-v3-turbo-q8_0", "ggml-large-v3-turbo-q8_0.bin", 874_188_075, "317eb69c11673c9de1e1f0d459b253999804ec71ac4c23c17ecf5fbe24e259a1"),
];

/// The known model called `name`.
pub fn lookup(name: &str) -> Option<&'static KnownModel> {
    KNOWN_MODELS.iter().find(|m| m.name == name)
}

/// The known model stored as `file` (e.g. `ggml-large-v3-turbo.bin`).
pub fn lookup_file(file: &str) -> Option<&'static KnownModel> {
    KNOWN_MODELS.iter().find(|m| m.file == file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_files_are_unique_and_consistent() {
        let mut names = HashSet::new();
        let mut sums = HashSet::new();
        for m in KNOWN_MODELS {
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert!(sums.insert(m.sha256), "duplicate sha256 for {}", m.name);
            assert_eq!(m.file, format!("ggml-{}.bin", m.name));
            assert!(m.bytes > 30_000_000, "{} is {} bytes", m.name, m.bytes);
        }
    }

    #[test]
    fn every_sha256_is_64_lowercase_hex_digits() {
        for m in KNOWN_MODELS {
            assert_eq!(m.sha256.len(), 64, "{}", m.name);
            assert!(
                m.sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
                "{}: {}",
                m.name,
                m.sha256
            );
        }
    }

    #[test]
    fn the_names_the_docs_use_are_known() {
        for name in [
            "large-v3-turbo",
            "large-v3",
            "medium",
            "small",
            "base",
            "tiny.en",
        ] {
            assert!(lookup(name).is_some(), "{name}");
        }
        let turbo = lookup_file("ggml-large-v3-turbo.bin").map(|m| m.bytes);
        assert_eq!(turbo, Some(1_624_555_275));
        assert_eq!(lookup("large-v3-q8_0"), None);
        assert_eq!(lookup("base.en-q5_1").and_then(|m| m.quant()), Some("q5_1"));
        assert_eq!(lookup("large-v3-turbo").and_then(|m| m.quant()), None);
        assert!(lookup("small.en").is_some_and(|m| m.english_only()));
        assert!(!lookup("large-v3-turbo-q8_0").is_some_and(|m| m.english_only()));
    }
}
