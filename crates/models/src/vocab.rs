//! The regular (non-special) tokens of a Whisper tokenizer, as raw bytes.
//!
//! `tokenizer.json` stores byte-level BPE tokens through GPT-2's byte-to-unicode table (a
//! space is `Ġ`, the byte 0xC3 is `Ã`). whisper.cpp wants the bytes themselves, so the table
//! is undone here. The result equals the token list of openai-whisper's `.tiktoken` files.

use std::collections::HashMap;
use std::path::Path;

use crate::ModelError;

/// The token that ends the regular vocabulary; every id below it is a regular token.
pub const END_OF_TEXT: &str = "<|endoftext|>";

/// GPT-2's table from a byte to the character that stands for it.
pub fn byte_to_char_table() -> [char; 256] {
    let mut table = ['\0'; 256];
    let printable = |b: u32| {
        (u32::from(b'!')..=u32::from(b'~')).contains(&b)
            || (0xA1..=0xAC).contains(&b)
            || (0xAE..=0xFF).contains(&b)
    };
    let mut next = 256u32;
    for (b, slot) in table.iter_mut().enumerate() {
        let b = b as u32;
        let code = if printable(b) {
            b
        } else {
            let c = next;
            next += 1;
            c
        };
        *slot = char::from_u32(code).unwrap_or('\0');
    }
    table
}

/// Undoes GPT-2's byte-to-unicode mapping for one token; `None` if a character is not in the table.
pub fn token_bytes(token: &str, reverse: &HashMap<char, u8>) -> Option<Vec<u8>> {
    token.chars().map(|c| reverse.get(&c).copied()).collect()
}

/// Reverse of [`byte_to_char_table`].
pub fn char_to_byte_map() -> HashMap<char, u8> {
    byte_to_char_table()
        .iter()
        .enumerate()
        .map(|(b, &c)| (c, b as u8))
        .collect()
}

#[derive(serde::Deserialize)]
struct TokenizerJson {
    model: BpeModel,
    #[serde(default)]
    added_tokens: Vec<AddedToken>,
}

#[derive(serde::Deserialize)]
struct BpeModel {
    vocab: HashMap<String, u32>,
}

#[derive(serde::Deserialize)]
struct AddedToken {
    id: u32,
    content: String,
}

/// Reads `tokenizer.json` and returns the regular tokens in id order, as bytes, and the id of
/// `<|endoftext|>` (50256 for English-only models, 50257 for multilingual ones).
pub fn read_vocab(path: &Path) -> Result<(Vec<Vec<u8>>, u32), ModelError> {
    let parsed: TokenizerJson = read_json(path)?;
    let added = parsed
        .added_tokens
        .iter()
        .map(|t| (t.content.as_str(), t.id));
    regular_tokens(path, &parsed.model.vocab, added)
}

/// Reads the slow-tokenizer files of a Hugging Face checkpoint folder: `vocab.json` (token to
/// id), with `<|endoftext|>` found there, in `added_tokens.json` or in `tokenizer_config.json`'s
/// `added_tokens_decoder`. Returns what [`read_vocab`] does.
pub fn read_vocab_json(dir: &Path) -> Result<(Vec<Vec<u8>>, u32), ModelError> {
    let path = dir.join("vocab.json");
    let vocab: HashMap<String, u32> = read_json(&path)?;
    let mut added: Vec<(String, u32)> = Vec::new();
    let extra = dir.join("added_tokens.json");
    if extra.is_file() {
        let map: HashMap<String, u32> = read_json(&extra)?;
        added.extend(map);
    }
    let config = dir.join("tokenizer_config.json");
    if config.is_file() {
        let cfg: TokenizerConfig = read_json(&config)?;
        for (id, t) in cfg.added_tokens_decoder {
            if let Ok(id) = id.parse() {
                added.push((t.content, id));
            }
        }
    }
    let added = added.iter().map(|(c, id)| (c.as_str(), *id));
    regular_tokens(&path, &vocab, added)
}

#[derive(serde::Deserialize)]
struct TokenizerConfig {
    #[serde(default)]
    added_tokens_decoder: HashMap<String, AddedContent>,
}

#[derive(serde::Deserialize)]
struct AddedContent {
    content: String,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|e| ModelError::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| ModelError::Json {
        path: path.to_path_buf(),
        source: e,
    })
}

/// The tokens below `<|endoftext|>` (looked up in `vocab`, then in `added`), as bytes.
fn regular_tokens<'a>(
    path: &Path,
    vocab: &HashMap<String, u32>,
    mut added: impl Iterator<Item = (&'a str, u32)>,
) -> Result<(Vec<Vec<u8>>, u32), ModelError> {
    let bad = |reason: String| ModelError::BadTokenizer {
        path: path.to_path_buf(),
        reason,
    };
    let eot = vocab
        .get(END_OF_TEXT)
        .copied()
        .or_else(|| added.find(|(c, _)| *c == END_OF_TEXT).map(|(_, id)| id))
        .ok_or_else(|| bad(format!("no {END_OF_TEXT} token")))?;
    let mut by_id: Vec<Option<&str>> = vec![None; eot as usize];
    for (token, &id) in vocab {
        if let Some(slot) = by_id.get_mut(id as usize) {
            if slot.replace(token).is_some() {
                return Err(bad(format!("id {id} is used twice")));
            }
        }
    }
    let reverse = char_to_byte_map();
    let mut tokens = Vec::with_capacity(by_id.len());
    for (id, token) in by_id.iter().enumerate() {
        let token = token.ok_or_else(|| bad(format!("no token with id {id}")))?;
        let bytes = token_bytes(token, &reverse)
            .ok_or_else(|| bad(format!("token {id} ({token:?}) is not byte-level bpe")))?;
        tokens.push(bytes);
    }
    Ok((tokens, eot))
}
