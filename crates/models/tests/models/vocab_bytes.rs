//! GPT-2 byte-level tokens back to bytes.

use medlyt_models::import_ct2;
use medlyt_models::vocab::{byte_to_char_table, char_to_byte_map, token_bytes};
use medlyt_models::Quant;

use crate::support::*;

#[test]
fn table_is_a_bijection_with_known_points() {
    let table = byte_to_char_table();
    let reverse = char_to_byte_map();
    assert_eq!(reverse.len(), 256);
    for (b, c) in table.iter().enumerate() {
        assert_eq!(reverse[c] as usize, b);
    }
    assert_eq!(table[b' ' as usize], '\u{120}'); // Ġ
    assert_eq!(table[b'\n' as usize], '\u{10a}'); // Ċ
    assert_eq!(table[b'A' as usize], 'A');
    assert_eq!(table[0xC3], '\u{c3}'); // Ã
    assert_eq!(table[0xAD], '\u{143}'); // soft hyphen byte is remapped
}

#[test]
fn tokens_become_raw_bytes() {
    let reverse = char_to_byte_map();
    assert_eq!(token_bytes("\u{120}hello", &reverse).unwrap(), b" hello");
    assert_eq!(
        token_bytes("\u{c3}\u{a6}", &reverse).unwrap(),
        "æ".as_bytes()
    );
    assert_eq!(
        token_bytes("\u{c3}\u{a5}", &reverse).unwrap(),
        "å".as_bytes()
    );
    // Latin-1 letters such as æ stand for their own byte; € is outside the table.
    assert_eq!(token_bytes("æ", &reverse).unwrap(), [0xE6]);
    assert!(token_bytes("€", &reverse).is_none());
}

#[test]
fn converted_file_stores_regular_tokens_as_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    write_model_dir(tmp.path(), &tiny_model());
    let out = tmp.path().join("o.bin");
    import_ct2(tmp.path(), &out, Quant::F16).unwrap();
    let file = read_whisper(&out);
    let expected: Vec<Vec<u8>> = TOKENS.iter().map(|(_, b)| b.to_vec()).collect();
    assert_eq!(file.tokens, expected);
}
