//! G.711 mu-law and A-law expansion to 16-bit linear PCM (ITU-T G.711).

/// Expands one mu-law byte to linear PCM (range -32124 ..= 32124).
pub const fn ulaw_to_linear(byte: u8) -> i16 {
    let u = !byte;
    let exponent = (u >> 4) & 0x07;
    let mantissa = (u & 0x0F) as i16;
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    if u & 0x80 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// Expands one A-law byte to linear PCM (range -32256 ..= 32256).
pub const fn alaw_to_linear(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let exponent = (a >> 4) & 0x07;
    let mantissa = (a & 0x0F) as i16;
    let magnitude = if exponent == 0 {
        (mantissa << 4) + 8
    } else {
        ((mantissa << 4) + 0x108) << (exponent - 1)
    };
    if a & 0x80 != 0 {
        magnitude
    } else {
        -magnitude
    }
}

const fn table(alaw: bool) -> [i16; 256] {
    let mut t = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = if alaw {
            alaw_to_linear(i as u8)
        } else {
            ulaw_to_linear(i as u8)
        };
        i += 1;
    }
    t
}

/// Mu-law byte to linear PCM, as a lookup table.
pub static ULAW: [i16; 256] = table(false);
/// A-law byte to linear PCM, as a lookup table.
pub static ALAW: [i16; 256] = table(true);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mulaw_known_values() {
        assert_eq!(ULAW[0xFF], 0);
        assert_eq!(ULAW[0x7F], 0);
        assert_eq!(ULAW[0x00], -32124);
        assert_eq!(ULAW[0x80], 32124);
        assert_eq!(ULAW[0xFE], 8);
        assert_eq!(ULAW[0x7E], -8);
    }

    #[test]
    fn alaw_known_values() {
        assert_eq!(ALAW[0xD5], 8);
        assert_eq!(ALAW[0x55], -8);
        assert_eq!(ALAW[0xAA], 32256);
        assert_eq!(ALAW[0x2A], -32256);
    }

    #[test]
    fn tables_are_monotonic_per_sign() {
        // Mu-law codes 0x80..=0xFF are positive, decreasing in magnitude as the code grows.
        for c in 0x80u8..0xFF {
            assert!(ULAW[c as usize] >= ULAW[c as usize + 1], "mu-law {c:#x}");
        }
        for c in 0x00u8..0x7F {
            assert!(ULAW[c as usize] <= ULAW[c as usize + 1], "mu-law {c:#x}");
        }
        // A-law codes after the 0x55 inversion: magnitude grows with (code ^ 0x55) & 0x7f.
        let mut pos: Vec<i16> = (0..128u8)
            .map(|m| alaw_to_linear((m | 0x80) ^ 0x55))
            .collect();
        let sorted = {
            let mut s = pos.clone();
            s.sort();
            s
        };
        assert_eq!(pos, sorted);
        pos.dedup();
        assert_eq!(pos.len(), 128);
    }
}
