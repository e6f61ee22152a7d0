//! Test helpers shared by medlyt's crates (a dev-dependency only): RIFF/WAVE files built byte
//! by byte, so a test can write any header a hostile or broken file may have, and a small
//! seeded random generator, so the fuzz tests repeat exactly from their printed seed.

#![forbid(unsafe_code)]

/// A RIFF/WAVE file: a 16-byte `fmt ` chunk with format `tag` (1 PCM, 3 float, ...), then the
/// whole chunks in `before`, then the data chunk holding `data`. Sizes are written as they
/// are, so a test can pass impossible combinations on purpose.
pub fn wav(tag: u16, channels: u16, rate: u32, bits: u16, before: &[u8], data: &[u8]) -> Vec<u8> {
    let align = channels.wrapping_mul(bits) / 8;
    let mut body = b"WAVE".to_vec();
    body.extend(b"fmt ");
    body.extend(16u32.to_le_bytes());
    body.extend(tag.to_le_bytes());
    body.extend(channels.to_le_bytes());
    body.extend(rate.to_le_bytes());
    body.extend(rate.wrapping_mul(u32::from(align)).to_le_bytes());
    body.extend(align.to_le_bytes());
    body.extend(bits.to_le_bytes());
    body.extend(before);
    body.extend(b"data");
    body.extend((data.len() as u32).to_le_bytes());
    body.extend(data);
    let mut file = b"RIFF".to_vec();
    file.extend((body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}

/// Marsaglia's xorshift64: fast, seeded, the same sequence on every machine. Not for
/// anything but tests. A zero seed is replaced by a fixed non-zero one (zero would stay zero).
pub struct XorShift(u64);

impl XorShift {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        XorShift(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// The next number.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// One of `items`, chosen evenly enough for a test (`items` must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wav_header_holds_its_sizes() {
        let f = wav(1, 2, 16_000, 16, &[], &[0; 8]);
        assert_eq!(&f[..4], b"RIFF");
        assert_eq!(
            u32::from_le_bytes([f[4], f[5], f[6], f[7]]) as usize,
            f.len() - 8
        );
        assert_eq!(&f[36..40], b"data");
        assert_eq!(f.len(), 44 + 8);
    }

    #[test]
    fn the_generator_repeats_from_its_seed() {
        let (mut a, mut b) = (XorShift::new(7), XorShift::new(7));
        let first: Vec<u64> = (0..5).map(|_| a.next()).collect();
        assert_eq!(first, (0..5).map(|_| b.next()).collect::<Vec<_>>());
        assert!(first.iter().all(|&v| v != 0));
        assert_ne!(XorShift::new(0).next(), 0);
    }
}
