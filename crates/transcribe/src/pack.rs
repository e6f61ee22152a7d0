//! Packing speech regions into Whisper windows of at most 30 s, and mapping times back.
//!
//! Only speech goes to the model: the regions of one track are laid end to end with a short
//! gap of silence between them, so a minute of a call where this party talks for 20 s costs one
//! window instead of two. Each window keeps a map from its own time to the recording's time.

use medlyt_core::Span;

/// Limits for packing.
#[derive(Debug, Clone, Copy)]
pub struct PackParams {
    /// Longest window in seconds (Whisper's context is 30 s). 20 s leaves room for fast speech
    /// (up to 10 tokens a second) in the decoder's token limit
    /// ([`crate::engine::MAX_WINDOW_TOKENS`]).
    pub max_window: f64,
    /// Silence inserted between two regions in a window, in seconds.
    pub gap: f64,
    /// Padding added before and after each region, in seconds.
    pub pad: f64,
}

impl Default for PackParams {
    fn default() -> Self {
        PackParams {
            max_window: 20.0,
            gap: 0.6,
            pad: 0.2,
        }
    }
}

/// One piece of a window: `len` seconds of the recording starting at `source`, placed at
/// `offset` seconds into the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    /// Start of the piece inside the window, in seconds.
    pub offset: f64,
    /// Start of the piece in the recording, in seconds.
    pub source: f64,
    /// Length in seconds.
    pub len: f64,
}

impl Piece {
    /// The piece's span in recording time.
    pub fn source_span(&self) -> Span {
        Span::new(self.source, self.source + self.len)
    }
}

/// A window of packed speech.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The pieces in window order.
    pub pieces: Vec<Piece>,
}

impl Window {
    /// Length of the window in seconds.
    pub fn duration(&self) -> f64 {
        self.pieces.last().map(|p| p.offset + p.len).unwrap_or(0.0)
    }

    /// Seconds of recording audio in the window (without the gaps).
    pub fn speech(&self) -> f64 {
        self.pieces.iter().map(|p| p.len).sum()
    }

    /// The piece a window time belongs to: the one containing it, else the nearest.
    pub fn piece_at(&self, t: f64) -> usize {
        let mut best = 0;
        let mut best_dist = f64::INFINITY;
        for (i, p) in self.pieces.iter().enumerate() {
            let dist = if t < p.offset {
                p.offset - t
            } else if t > p.offset + p.len {
                t - (p.offset + p.len)
            } else {
                return i;
            };
            if dist < best_dist {
                best = i;
                best_dist = dist;
            }
        }
        best
    }

    /// The window cut in two at the piece border nearest its middle; a window of one piece is
    /// cut in the middle of it. Each half starts at window time 0.
    pub fn split(&self) -> (Window, Window) {
        let half = self.duration() / 2.0;
        if self.pieces.len() >= 2 {
            let k = (1..self.pieces.len())
                .min_by(|&a, &b| {
                    let da = (self.pieces[a].offset - half).abs();
                    let db = (self.pieces[b].offset - half).abs();
                    da.total_cmp(&db)
                })
                .unwrap_or(1);
            let shift = self.pieces[k].offset;
            let second = self.pieces[k..]
                .iter()
                .map(|p| Piece {
                    offset: p.offset - shift,
                    ..*p
                })
                .collect();
            return (
                Window {
                    pieces: self.pieces[..k].to_vec(),
                },
                Window { pieces: second },
            );
        }
        let (mut a, mut b) = (Vec::new(), Vec::new());
        if let Some(p) = self.pieces.first() {
            let cut = p.len / 2.0;
            a.push(Piece { len: cut, ..*p });
            b.push(Piece {
                offset: 0.0,
                source: p.source + cut,
                len: p.len - cut,
            });
        }
        (Window { pieces: a }, Window { pieces: b })
    }

    /// Maps a window time into recording time, clamped into piece `i`.
    pub fn to_source(&self, i: usize, t: f64) -> f64 {
        match self.pieces.get(i) {
            Some(p) => p.source + (t - p.offset).clamp(0.0, p.len),
            None => t,
        }
    }
}

/// Packs speech regions (recording time) into windows. Regions are padded, merged where the
/// padding makes them touch, cut into parts no longer than the window, then laid end to end.
pub fn pack(regions: &[Span], duration: f64, params: &PackParams) -> Vec<Window> {
    let padded: Vec<Span> = regions
        .iter()
        .map(|s| {
            Span::new(
                (s.start - params.pad).max(0.0),
                (s.end + params.pad).min(duration),
            )
        })
        .collect();
    let merged = medlyt_core::union(&padded, 0.0);
    let mut parts = Vec::new();
    for s in merged {
        let n = (s.duration() / params.max_window).ceil().max(1.0);
        let step = s.duration() / n;
        for k in 0..n as usize {
            let start = s.start + step * k as f64;
            parts.push(Span::new(start, (start + step).min(s.end)));
        }
    }
    let mut windows = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut used = 0.0;
    for s in parts {
        let len = s.duration();
        let offset = if current.is_empty() {
            0.0
        } else {
            used + params.gap
        };
        if !current.is_empty() && offset + len > params.max_window {
            windows.push(Window {
                pieces: std::mem::take(&mut current),
            });
            current.push(Piece {
                offset: 0.0,
                source: s.start,
                len,
            });
            used = len;
            continue;
        }
        current.push(Piece {
            offset,
            source: s.start,
            len,
        });
        used = offset + len;
    }
    if !current.is_empty() {
        windows.push(Window { pieces: current });
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-9;

    #[test]
    fn packs_short_regions_into_one_window_with_gaps() {
        let regions = [Span::new(1.0, 3.0), Span::new(10.0, 12.0)];
        let w = pack(&regions, 60.0, &PackParams::default());
        assert_eq!(w.len(), 1);
        let p = &w[0].pieces;
        assert_eq!(p.len(), 2);
        assert!((p[0].source - 0.8).abs() < EPS && (p[0].len - 2.4).abs() < EPS);
        assert!((p[1].offset - 3.0).abs() < EPS && (p[1].source - 9.8).abs() < EPS);
        // A time inside the second piece maps back into the second region.
        let i = w[0].piece_at(4.0);
        assert_eq!(i, 1);
        assert!((w[0].to_source(i, 4.0) - 10.8).abs() < EPS);
        // A time in the gap maps to the nearest piece's edge.
        let g = w[0].piece_at(2.5);
        assert_eq!(g, 0);
        assert!((w[0].to_source(g, 2.5) - 3.2).abs() < EPS);
    }

    #[test]
    fn long_regions_are_split_and_windows_never_exceed_the_limit() {
        let regions = [
            Span::new(0.0, 70.0),
            Span::new(80.0, 85.0),
            Span::new(90.0, 100.0),
        ];
        let params = PackParams::default();
        let w = pack(&regions, 100.0, &params);
        for win in &w {
            assert!(win.duration() <= params.max_window + EPS);
        }
        let speech: f64 = w.iter().map(Window::speech).sum();
        // 70.2 + 5.4 + 10.2 (padding clipped at the ends of the recording)
        assert!((speech - 85.8).abs() < 1e-6, "{speech}");
    }

    #[test]
    fn a_window_splits_at_the_piece_border_nearest_its_middle() {
        let regions = [
            Span::new(0.0, 4.0),
            Span::new(10.0, 14.0),
            Span::new(20.0, 24.0),
        ];
        let w = &pack(&regions, 30.0, &PackParams::default())[0];
        let (a, b) = w.split();
        assert_eq!(a.pieces.len() + b.pieces.len(), 3);
        assert!((a.speech() + b.speech() - w.speech()).abs() < EPS);
        assert_eq!(b.pieces[0].offset, 0.0);
        assert_eq!(b.pieces[0].source, w.pieces[a.pieces.len()].source);
        // One piece is cut in the middle, and the halves cover it.
        let one = &pack(&[Span::new(5.0, 15.0)], 30.0, &PackParams::default())[0];
        let (a, b) = one.split();
        assert!((a.duration() - b.duration()).abs() < EPS);
        assert!((b.pieces[0].source - (a.pieces[0].source + a.pieces[0].len)).abs() < EPS);
    }

    #[test]
    fn no_regions_no_windows() {
        assert!(pack(&[], 10.0, &PackParams::default()).is_empty());
    }
}
