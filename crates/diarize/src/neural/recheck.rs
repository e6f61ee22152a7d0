//! Stage 4 of neural diarization: the stitched turns, cut into pieces of one to two
//! seconds, are embedded again (pooled from CAM++'s frame output over the speech, see
//! `reseg`), and each piece goes to the speaker whose centroid it is clearly nearest. The segmentation sometimes hears two alike voices of one chunk as one
//! local speaker; that chunk's embedding is then a blend, and whole turns go to the wrong
//! voice. A piece this short is nearly always one voice, and its own embedding says which.

use crate::Turn;
use medlyt_core::Span;
use ndarray::Array1;

/// How the turns are checked.
#[derive(Debug, Clone, Copy)]
pub struct RecheckParams {
    /// Turns are cut into pieces of this length to twice it (seconds); a shorter turn is
    /// one piece.
    pub piece_s: f64,
    /// Pieces shorter than this (seconds) keep their speaker.
    pub min_piece_s: f64,
    /// A piece moves only where the other centroid is nearer (cosine) by this share of the
    /// cosine distance between the two centroids.
    pub margin: f32,
}

/// The pieces that [`recheck`] judges: each turn cut into pieces of one to two lengths.
pub fn pieces(turns: &[Turn], p: &RecheckParams) -> Vec<Turn> {
    cut(turns, p.piece_s)
}

/// The turns, each of `pieces` (from [`pieces`]) given to the speaker its embedding is
/// clearly nearest; a piece that overlaps a turn of that speaker stays.
pub fn recheck(
    turns: &[Turn],
    pieces: Vec<Turn>,
    embeddings: &[Option<Array1<f32>>],
    centroids: &[Array1<f32>],
    p: &RecheckParams,
) -> Vec<Turn> {
    if centroids.len() < 2 {
        return turns.to_vec();
    }
    let mut out = pieces;
    for (piece, e) in out.iter_mut().zip(embeddings) {
        let to = e
            .as_ref()
            .and_then(|e| better_speaker(e, piece, centroids, p))
            .filter(|&to| !clashes(turns, piece.span, to));
        if let Some(to) = to {
            piece.speaker = to;
        }
    }
    join_adjacent(out)
}

/// Each turn cut where another voice's turn starts or ends inside it (so that a piece is
/// either all overlapped or not at all), and each part into equal pieces of `piece_s` to
/// twice that.
fn cut(turns: &[Turn], piece_s: f64) -> Vec<Turn> {
    let mut out = Vec::with_capacity(turns.len());
    for t in turns {
        let mut bounds = vec![t.span.start, t.span.end];
        for o in turns.iter().filter(|o| o.speaker != t.speaker) {
            for x in [o.span.start, o.span.end] {
                if t.span.start < x && x < t.span.end {
                    bounds.push(x);
                }
            }
        }
        bounds.sort_by(f64::total_cmp);
        bounds.dedup();
        for w in bounds.windows(2) {
            out.extend(even_pieces(Span::new(w[0], w[1]), t.speaker, piece_s));
        }
    }
    out
}

/// `span` cut into equal pieces of `piece_s` to twice that (one piece when shorter).
fn even_pieces(span: Span, speaker: usize, piece_s: f64) -> impl Iterator<Item = Turn> {
    let len = span.end - span.start;
    let n = (len / piece_s.max(0.1)).floor().max(1.0) as usize;
    (0..n).map(move |i| Turn {
        span: Span::new(
            span.start + len * i as f64 / n as f64,
            span.start + len * (i + 1) as f64 / n as f64,
        ),
        speaker,
    })
}

/// Whether `speaker` already talks at some time of `span` (moving there would make the
/// voice overlap itself).
fn clashes(turns: &[Turn], span: Span, speaker: usize) -> bool {
    turns
        .iter()
        .any(|o| o.speaker == speaker && o.span.start < span.end && span.start < o.span.end)
}

/// The speaker a piece with embedding `e` should have instead of its own, where the
/// embedding says so clearly.
fn better_speaker(
    e: &Array1<f32>,
    t: &Turn,
    centroids: &[Array1<f32>],
    p: &RecheckParams,
) -> Option<usize> {
    if t.span.end - t.span.start < p.min_piece_s || t.speaker >= centroids.len() {
        return None;
    }
    let sims: Vec<f32> = centroids.iter().map(|c| e.dot(c)).collect();
    let (best, &top) = sims.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
    // Voices that lie close (a phone line) move a piece on a smaller difference.
    let margin = p.margin * (1.0 - centroids[best].dot(&centroids[t.speaker]));
    (best != t.speaker && top - sims[t.speaker] > margin).then_some(best)
}

/// Turns of one speaker that touch or overlap become one turn; the result is in time order.
pub(super) fn join_adjacent(mut turns: Vec<Turn>) -> Vec<Turn> {
    turns.sort_by(|a, b| {
        a.speaker
            .cmp(&b.speaker)
            .then(a.span.start.total_cmp(&b.span.start))
    });
    let mut out: Vec<Turn> = Vec::with_capacity(turns.len());
    for t in turns {
        match out.last_mut() {
            Some(last) if last.speaker == t.speaker && t.span.start <= last.span.end + 1e-6 => {
                last.span.end = last.span.end.max(t.span.end);
            }
            _ => out.push(t),
        }
    }
    out.sort_by(|a, b| a.span.start.total_cmp(&b.span.start));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use crate::neural::chunks::embed_samples;
    use crate::neural::test_turn as turn;
    use crate::neural::{real_fixture, reseg, test_models};

    /// The samples of `span` (seconds) as floats in [-1, 1).
    fn floats(samples: &[i16], span: Span) -> Vec<f32> {
        let from = ((span.start * 16_000.0).max(0.0) as usize).min(samples.len());
        let to = ((span.end * 16_000.0) as usize).clamp(from, samples.len());
        crate::neural::chunks::floats(&samples[from..to])
    }

    #[test]
    fn turns_are_cut_into_pieces_of_one_to_two_lengths() {
        let p = cut(&[turn(0.0, 3.9, 0), turn(4.0, 4.5, 1)], 1.0);
        assert_eq!(p.len(), 4);
        assert!((p[2].span.end - 3.9).abs() < 1e-9);
        assert!(p[..3]
            .iter()
            .all(|t| (t.span.end - t.span.start - 1.3).abs() < 1e-9));
        assert_eq!(p[3], turn(4.0, 4.5, 1));
    }

    #[test]
    fn a_turn_is_cut_where_another_voice_starts_or_stops() {
        // Voice 1 talks over voice 0 from 2.0 to 2.6 s; voice 0 goes on alone to 3.8 s.
        let p = cut(&[turn(0.0, 3.8, 0), turn(2.0, 2.6, 1)], 1.0);
        let spans: Vec<(f64, f64, usize)> = p
            .iter()
            .map(|t| (t.span.start, t.span.end, t.speaker))
            .collect();
        assert_eq!(
            spans,
            vec![
                (0.0, 1.0, 0),
                (1.0, 2.0, 0),
                (2.0, 2.6, 0),
                (2.6, 3.8, 0),
                (2.0, 2.6, 1)
            ]
        );
        // The piece after the overlap may move to voice 1: it does not clash with its turn.
        assert!(!clashes(&[turn(2.0, 2.6, 1)], p[3].span, 1));
    }

    #[test]
    fn pieces_of_one_speaker_join_again() {
        let j = join_adjacent(vec![
            turn(1.0, 2.0, 0),
            turn(0.0, 1.0, 0),
            turn(2.0, 3.0, 1),
        ]);
        assert_eq!(j, vec![turn(0.0, 2.0, 0), turn(2.0, 3.0, 1)]);
    }

    #[test]
    fn a_turn_given_to_the_wrong_voice_goes_back_to_its_own() {
        let Some(m) = test_models() else { return };
        let (samples, mut turns) = real_fixture("real-nl-fish-tel");
        // Each voice's centroid: the embedding of all its turns but the one to be swapped.
        let long = (0..turns.len())
            .filter(|&i| !clashes(&turns, turns[i].span, 1 - turns[i].speaker))
            .max_by(|&a, &b| {
                let len = |i: usize| turns[i].span.end - turns[i].span.start;
                len(a).total_cmp(&len(b))
            })
            .unwrap();
        let centroids: Vec<Array1<f32>> = (0..2)
            .map(|k| {
                let audio: Vec<f32> = turns
                    .iter()
                    .enumerate()
                    .filter(|(i, t)| t.speaker == k && *i != long)
                    .flat_map(|(_, t)| floats(&samples, t.span))
                    .collect();
                embed_samples(&m, &audio).unwrap()
            })
            .collect();
        let right = turns[long].speaker;
        turns[long].speaker = 1 - right;
        let p = RecheckParams {
            piece_s: 1.0,
            min_piece_s: 0.5,
            margin: 0.15,
        };
        let pieces = pieces(&turns, &p);
        let spans: Vec<Span> = pieces.iter().map(|t| t.span).collect();
        let pass = reseg::frame_pass(&m, &samples, &turns, &spans, &reseg::ResegParams::default());
        let out = recheck(&turns, pieces, &pass.pieces, &centroids, &p);
        let at = |t: &[Turn]| {
            t.iter()
                .find(|x| {
                    x.span.start <= turns[long].span.start + 0.01
                        && turns[long].span.start < x.span.end
                })
                .map(|x| x.speaker)
        };
        assert_eq!(
            at(&out),
            Some(right),
            "the swapped turn of {:.1} s",
            turns[long].span.end - turns[long].span.start
        );
    }

    #[test]
    fn a_piece_may_not_move_onto_its_own_voice() {
        let turns = [turn(0.0, 2.0, 0), turn(1.5, 3.0, 1)];
        assert!(clashes(&turns, Span::new(1.0, 2.0), 1));
        assert!(!clashes(&turns, Span::new(0.0, 1.0), 1));
    }
}
