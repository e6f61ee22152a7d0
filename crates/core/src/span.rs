use serde::{Deserialize, Serialize};

/// A time interval in seconds from the start of the recording, `start <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Start time in seconds.
    pub start: f64,
    /// End time in seconds.
    pub end: f64,
}

impl Span {
    /// A span from `start` to `end` seconds.
    pub fn new(start: f64, end: f64) -> Self {
        Span { start, end }
    }

    /// Length in seconds (never negative).
    pub fn duration(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }

    /// Length of the overlap with `other` in seconds.
    pub fn overlap(&self, other: &Span) -> f64 {
        (self.end.min(other.end) - self.start.max(other.start)).max(0.0)
    }

    /// The midpoint in seconds.
    pub fn mid(&self) -> f64 {
        (self.start + self.end) / 2.0
    }
}

/// Sorts the spans and merges those that overlap or are closer than `bridge` seconds.
pub fn union(spans: &[Span], bridge: f64) -> Vec<Span> {
    let mut sorted: Vec<Span> = spans.iter().copied().filter(|s| s.end > s.start).collect();
    sorted.sort_by(|a, b| a.start.total_cmp(&b.start));
    let mut out: Vec<Span> = Vec::with_capacity(sorted.len());
    for s in sorted {
        match out.last_mut() {
            Some(last) if s.start <= last.end + bridge => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Total time covered by the spans, counting overlapping time once.
pub fn total_duration(spans: &[Span]) -> f64 {
    union(spans, 0.0).iter().map(Span::duration).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_merges_overlaps_and_bridges_short_gaps() {
        let spans = [
            Span::new(5.0, 6.0),
            Span::new(0.0, 1.0),
            Span::new(0.5, 2.0),
            Span::new(2.1, 3.0),
        ];
        assert_eq!(
            union(&spans, 0.2),
            vec![Span::new(0.0, 3.0), Span::new(5.0, 6.0)]
        );
        assert_eq!(union(&spans, 0.0).len(), 3);
        assert!((total_duration(&spans) - 3.9).abs() < 1e-9);
    }
}
