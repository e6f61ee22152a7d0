//! Stage 2 of neural diarization: the local speakers' embeddings grouped into global
//! speakers by average-linkage agglomerative clustering on cosine distance. The number of
//! speakers is where the closest two groups are further apart than a threshold (or the
//! number asked for), and the last two groups large enough to be speakers may stay apart at a
//! lower one; small groups join the nearest large one. Every local speaker is then
//! given a global speaker, two local speakers of one chunk never the same one.

use super::chunks::Chunk;
use ndarray::Array1;

/// Largest number of embeddings clustered directly; longer recordings cluster an even
/// sample of them and assign the rest (memory and time stay bounded).
const MAX_CLUSTERED: usize = 1200;
/// A local speaker's embedding takes part in clustering when it spoke alone this long (s).
const MIN_CLEAN_S: f64 = 1.0;
/// Fewest chunks with two such local speakers from which the recording has two voices.
const MIN_TWO_VOICE_CHUNKS: usize = 3;

/// How the clustering decides.
#[derive(Debug, Clone, Copy)]
pub struct ClusterParams {
    /// Groups closer than this (cosine distance, average linkage) are the same speaker.
    pub threshold: f32,
    /// The last two groups large enough to be speakers stay apart beyond this distance (when
    /// it is below `threshold`): a call has two parties more often than three.
    pub last_split_threshold: f32,
    /// A group with less than this share of the clustered speech is not a speaker of its own.
    pub min_share: f64,
    /// Nor is a group with less than this many seconds of clean speech.
    pub min_speaker_s: f64,
    /// How many chunks hear each moment (chunk length over step): a local speaker's clean
    /// seconds are divided by it, so a group's weight is seconds of the recording.
    pub coverage: f64,
    /// Exactly this many speakers, when given.
    pub speakers: Option<usize>,
    /// The most speakers.
    pub max_speakers: usize,
    /// Distance counted between two local speakers of one chunk (the segmentation already
    /// told them apart), instead of their embeddings' distance.
    pub same_chunk_distance: f32,
    /// Where at least this share of the chunks has two local speakers that each spoke alone
    /// for [`MIN_CLEAN_S`], the recording has at least two speakers, however alike their
    /// embeddings are.
    pub two_voice_share: f64,
}

/// The result: global speaker of each local speaker, and the speakers' centroids.
pub struct Clusters {
    /// `labels[chunk][local]`: global speaker, or `None` when it could not be placed.
    pub labels: Vec<Vec<Option<usize>>>,
    /// Length-normalised centroid per speaker.
    pub centroids: Vec<Array1<f32>>,
    /// Mean margin between a clustered embedding's own centroid and the nearest other, in
    /// cosine similarity (1 for one speaker).
    pub margin: f32,
    /// Where the segmentation's evidence kept two voices apart that the embeddings alone
    /// would have merged: the share of chunks in which it heard two voices apart.
    pub held_apart: Option<f64>,
    /// Where the last two voices were kept apart only by the lower last-split threshold:
    /// their distance.
    pub last_split: Option<f32>,
}

/// Why the merging stopped, where the transcript note should say so.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Stop {
    /// The floor stopped a merge the thresholds would have made.
    held: bool,
    /// The last two voices were kept apart at this distance, closer than the threshold
    /// for every other merge.
    last_split: Option<f32>,
}

fn cos(a: &Array1<f32>, b: &Array1<f32>) -> f32 {
    a.dot(b)
}

/// Clusters the chunks' local speakers.
pub fn cluster(chunks: &[Chunk], p: &ClusterParams) -> Clusters {
    let (mut items, mut chunk_of) = embedded(chunks, MIN_CLEAN_S, p.coverage);
    if items.is_empty() {
        // Nobody spoke long enough alone: fall back to every embedding there is.
        (items, chunk_of) = embedded(chunks, 0.0, p.coverage);
    }
    if items.len() > MAX_CLUSTERED {
        let step = items.len() as f64 / MAX_CLUSTERED as f64;
        let pick: Vec<usize> = (0..MAX_CLUSTERED)
            .map(|i| (i as f64 * step) as usize)
            .collect();
        items = pick.iter().map(|&i| items[i]).collect();
        chunk_of = pick.iter().map(|&i| chunk_of[i]).collect();
    }
    let (floor, share) = fewest_speakers(chunks, p);
    let (groups, stop) = agglomerate(&items, &chunk_of, p, floor);
    let centroids: Vec<Array1<f32>> = groups.iter().map(|g| centroid(&items, g)).collect();
    let margin = margin(&items, &groups, &centroids);
    let labels = chunks.iter().map(|c| assign(c, &centroids)).collect();
    Clusters {
        held_apart: (stop.held && centroids.len() >= 2).then_some(share),
        last_split: stop.last_split.filter(|_| centroids.len() == 2),
        labels,
        centroids,
        margin,
    }
}

/// The embeddings of local speakers with at least `min_clean_s` of clean speech, each weighed
/// by its clean seconds (at least 0.1) over `coverage`, and the chunk each comes from.
fn embedded(
    chunks: &[Chunk],
    min_clean_s: f64,
    coverage: f64,
) -> (Vec<(&Array1<f32>, f64)>, Vec<usize>) {
    let mut items = Vec::new();
    let mut chunk_of = Vec::new();
    for (ci, c) in chunks.iter().enumerate() {
        for l in c.locals.iter().filter(|l| l.clean_s >= min_clean_s) {
            if let Some(e) = &l.embedding {
                items.push((e, l.clean_s.max(0.1) / coverage.max(1.0)));
                chunk_of.push(ci);
            }
        }
    }
    (items, chunk_of)
}

fn centroid(items: &[(&Array1<f32>, f64)], members: &[usize]) -> Array1<f32> {
    let mut sum = Array1::<f32>::zeros(items[members[0]].0.len());
    for &i in members {
        sum.scaled_add(items[i].1 as f32, items[i].0);
    }
    let n = sum.dot(&sum).sqrt().max(1e-12);
    sum / n
}

/// The fewest speakers the segmentation's own evidence allows: two where enough chunks hold
/// two local speakers who each spoke alone long enough (a one-voice recording rarely has
/// any), else one; and the share of chunks that do.
fn fewest_speakers(chunks: &[Chunk], p: &ClusterParams) -> (usize, f64) {
    let two = chunks
        .iter()
        .filter(|c| c.locals.iter().filter(|l| l.clean_s >= MIN_CLEAN_S).count() >= 2)
        .count();
    let share = two as f64 / chunks.len().max(1) as f64;
    let two_voices = share >= p.two_voice_share && two >= MIN_TWO_VOICE_CHUNKS;
    (
        if two_voices && p.max_speakers >= 2 {
            2
        } else {
            1
        },
        share,
    )
}

/// Average-linkage clustering, down to no fewer than `floor` groups unless a number was
/// asked for; returns the member lists of the final groups, largest first, and why it
/// stopped.
fn agglomerate(
    items: &[(&Array1<f32>, f64)],
    chunk_of: &[usize],
    p: &ClusterParams,
    floor: usize,
) -> (Vec<Vec<usize>>, Stop) {
    let n = items.len();
    if n == 0 {
        return (Vec::new(), Stop::default());
    }
    let mut dist = vec![vec![0f32; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            let d = if chunk_of[i] == chunk_of[j] {
                p.same_chunk_distance
            } else {
                1.0 - cos(items[i].0, items[j].0)
            };
            dist[i][j] = d;
            dist[j][i] = d;
        }
    }
    let mut groups: Vec<Option<Vec<usize>>> = (0..n).map(|i| Some(vec![i])).collect();
    let mut alive = n;
    let want = p.speakers.map(|k| k.clamp(1, p.max_speakers));
    let mut stop = Stop::default();
    let total: f64 = items.iter().map(|i| i.1).sum();
    let big = |g: &Option<Vec<usize>>| {
        g.as_ref()
            .is_some_and(|m| speaker_sized(weight(items, m), total, p))
    };
    while let Some((a, b, d)) = closest(&dist, &groups) {
        // The merge of the last two groups large enough to be speakers would leave one voice.
        let last_two =
            big(&groups[a]) && big(&groups[b]) && groups.iter().filter(|g| big(g)).count() == 2;
        let limit = if last_two {
            p.threshold.min(p.last_split_threshold)
        } else {
            p.threshold
        };
        let done = match want {
            Some(k) => alive <= k,
            None => alive <= floor || d > limit,
        };
        if done {
            if want.is_none() {
                stop.held = d <= limit;
                stop.last_split = (alive > floor && d > limit && d <= p.threshold).then_some(d);
            }
            break;
        }
        merge(&mut dist, &mut groups, a, b);
        alive -= 1;
    }
    let mut out: Vec<Vec<usize>> = groups.into_iter().flatten().collect();
    out.sort_by(|x, y| weight(items, y).total_cmp(&weight(items, x)));
    if want.is_none() {
        out = absorb_small(items, out, p, floor);
    }
    (out, stop)
}

fn closest(dist: &[Vec<f32>], groups: &[Option<Vec<usize>>]) -> Option<(usize, usize, f32)> {
    let mut best: Option<(usize, usize, f32)> = None;
    for i in 0..groups.len() {
        if groups[i].is_none() {
            continue;
        }
        for j in i + 1..groups.len() {
            if groups[j].is_some() && best.is_none_or(|b| dist[i][j] < b.2) {
                best = Some((i, j, dist[i][j]));
            }
        }
    }
    best
}

/// Merges group `b` into `a`, updating average-linkage distances (Lance-Williams).
fn merge(dist: &mut [Vec<f32>], groups: &mut [Option<Vec<usize>>], a: usize, b: usize) {
    let na = groups[a].as_ref().map_or(0, Vec::len) as f32;
    let nb = groups[b].as_ref().map_or(0, Vec::len) as f32;
    for k in 0..groups.len() {
        if k == a || k == b || groups[k].is_none() {
            continue;
        }
        let d = (na * dist[a][k] + nb * dist[b][k]) / (na + nb);
        dist[a][k] = d;
        dist[k][a] = d;
    }
    if let Some(moved) = groups[b].take() {
        if let Some(g) = groups[a].as_mut() {
            g.extend(moved);
        }
    }
}

/// Groups under `min_share` of the speech, and any beyond `max_speakers`, join the large
/// group whose centroid is nearest; the `floor` largest groups always stay.
fn absorb_small(
    items: &[(&Array1<f32>, f64)],
    groups: Vec<Vec<usize>>,
    p: &ClusterParams,
    floor: usize,
) -> Vec<Vec<usize>> {
    let total: f64 = items.iter().map(|i| i.1).sum();
    let mut big = Vec::new();
    let mut small = Vec::new();
    for (rank, g) in groups.into_iter().enumerate() {
        let enough = speaker_sized(weight(items, &g), total, p);
        if rank < floor.max(1) || (rank < p.max_speakers && enough) {
            big.push(g);
        } else {
            small.push(g);
        }
    }
    let centroids: Vec<Array1<f32>> = big.iter().map(|g| centroid(items, g)).collect();
    for g in small {
        let c = centroid(items, &g);
        let nearest = (0..centroids.len())
            .max_by(|&x, &y| cos(&c, &centroids[x]).total_cmp(&cos(&c, &centroids[y])))
            .unwrap_or(0);
        big[nearest].extend(g);
    }
    big
}

/// A group's weight: the seconds of its members' clean speech.
fn weight(items: &[(&Array1<f32>, f64)], members: &[usize]) -> f64 {
    members.iter().map(|&i| items[i].1).sum()
}

/// Whether a group of `weight` (of `total`) is large enough to be a speaker of its own.
fn speaker_sized(weight: f64, total: f64, p: &ClusterParams) -> bool {
    weight >= (p.min_share * total).max(p.min_speaker_s)
}

fn margin(items: &[(&Array1<f32>, f64)], groups: &[Vec<usize>], centroids: &[Array1<f32>]) -> f32 {
    if centroids.len() < 2 {
        return 1.0;
    }
    let mut sum = 0f32;
    let mut n = 0usize;
    for (k, g) in groups.iter().enumerate() {
        for &i in g {
            let own = cos(items[i].0, &centroids[k]);
            let other = (0..centroids.len())
                .filter(|&j| j != k)
                .map(|j| cos(items[i].0, &centroids[j]))
                .fold(f32::MIN, f32::max);
            sum += own - other;
            n += 1;
        }
    }
    sum / n.max(1) as f32
}

/// The global speaker of each local speaker of a chunk: the assignment with the highest
/// total similarity in which no two local speakers share a speaker (when there are enough).
fn assign(c: &Chunk, centroids: &[Array1<f32>]) -> Vec<Option<usize>> {
    let k = centroids.len();
    let n = c.locals.len();
    if k == 0 {
        return vec![None; n];
    }
    let sim: Vec<Vec<f32>> = c
        .locals
        .iter()
        .map(|l| match &l.embedding {
            Some(e) => centroids.iter().map(|m| cos(e, m)).collect(),
            None => vec![0.0; k],
        })
        .collect();
    let mut best = (f32::MIN, vec![None; n]);
    let mut current = vec![0usize; n];
    search(&sim, k, 0, &mut current, 0.0, &mut best, k >= n);
    best.1
}

fn search(
    sim: &[Vec<f32>],
    k: usize,
    i: usize,
    current: &mut Vec<usize>,
    score: f32,
    best: &mut (f32, Vec<Option<usize>>),
    distinct: bool,
) {
    if i == sim.len() {
        if score > best.0 {
            *best = (score, current.iter().map(|&x| Some(x)).collect());
        }
        return;
    }
    for s in 0..k {
        if distinct && current[..i].contains(&s) {
            continue;
        }
        current[i] = s;
        search(sim, k, i + 1, current, score + sim[i][s], best, distinct);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neural::chunks::Local;

    fn chunk(clean: &[f64]) -> Chunk {
        Chunk {
            start: 0,
            locals: clean
                .iter()
                .map(|&clean_s| Local {
                    active: Vec::new(),
                    embedding: None,
                    clean_s,
                })
                .collect(),
            count: Vec::new(),
        }
    }

    fn params(two_voice_share: f64) -> ClusterParams {
        ClusterParams {
            threshold: 0.55,
            last_split_threshold: 0.55,
            min_share: 0.1,
            min_speaker_s: 1.0,
            coverage: 2.0,
            speakers: None,
            max_speakers: 4,
            same_chunk_distance: 1.0,
            two_voice_share,
        }
    }

    #[test]
    fn two_voices_heard_apart_in_enough_chunks_make_two_speakers() {
        let mut chunks: Vec<Chunk> = (0..16).map(|_| chunk(&[4.0])).collect();
        chunks.extend((0..4).map(|_| chunk(&[3.0, 1.5])));
        assert_eq!(
            fewest_speakers(&chunks, &params(0.2)).0,
            2,
            "4 of 20 chunks"
        );
        assert_eq!(
            fewest_speakers(&chunks, &params(0.4)).0,
            1,
            "under the share"
        );
        chunks[16] = chunk(&[3.0, 0.5]);
        chunks[17] = chunk(&[3.0, 0.9]);
        assert_eq!(
            fewest_speakers(&chunks, &params(0.05)).0,
            1,
            "two chunks are too few"
        );
    }

    #[test]
    fn the_floor_keeps_two_alike_voices_apart_and_says_so() {
        let unit = |x: f32| {
            let v = Array1::from(vec![1.0, x]);
            let n = v.dot(&v).sqrt();
            v / n
        };
        // Two tight groups 0.1 apart in cosine distance: one voice by the threshold.
        let embs: Vec<Array1<f32>> = [0.0, 0.02, 0.45, 0.47].iter().map(|&x| unit(x)).collect();
        let items: Vec<(&Array1<f32>, f64)> = embs.iter().map(|e| (e, 2.0)).collect();
        let chunk_of = [0, 1, 2, 3];
        let (one, stop) = agglomerate(&items, &chunk_of, &params(0.2), 1);
        assert_eq!((one.len(), stop.held), (1, false));
        let (two, stop) = agglomerate(&items, &chunk_of, &params(0.2), 2);
        assert_eq!((two.len(), stop.held), (2, true));
        let mut sizes: Vec<usize> = two.iter().map(Vec::len).collect();
        sizes.sort_unstable();
        assert_eq!(sizes, vec![2, 2], "{two:?}");
    }

    /// Unit vectors at `angles` (radians) in a plane.
    fn at(angles: &[f32]) -> Vec<Array1<f32>> {
        angles
            .iter()
            .map(|a| Array1::from(vec![a.cos(), a.sin()]))
            .collect()
    }

    #[test]
    fn the_last_two_voices_stay_apart_at_the_lower_threshold() {
        // Two tight groups about 0.4 apart in cosine distance (acos 0.6 = 0.927 rad).
        let embs = at(&[0.0, 0.01, 0.927, 0.937]);
        let items: Vec<(&Array1<f32>, f64)> = embs.iter().map(|e| (e, 2.0)).collect();
        let chunk_of = [0, 1, 2, 3];
        let mut p = params(0.2);
        p.threshold = 0.45;
        assert_eq!(agglomerate(&items, &chunk_of, &p, 1).0.len(), 1);
        p.last_split_threshold = 0.35;
        let (two, stop) = agglomerate(&items, &chunk_of, &p, 1);
        assert_eq!((two.len(), stop.held), (2, false), "{two:?}");
        let d = stop.last_split.unwrap_or(0.0);
        assert!((d - 0.4).abs() < 0.01, "kept apart at {d}");
    }

    #[test]
    fn a_far_voice_with_a_small_share_stays_a_speaker_above_min_share() {
        // A talker (19 items of 2 s) and a listener far away (1 item of 2 s: 5 % of the speech).
        let mut angles = vec![0.0f32; 19];
        angles.push(1.5);
        let embs = at(&angles);
        let items: Vec<(&Array1<f32>, f64)> = embs.iter().map(|e| (e, 2.0)).collect();
        let groups = vec![(0..19).collect::<Vec<usize>>(), vec![19]];
        let mut p = params(0.2);
        p.min_share = 0.02;
        assert_eq!(absorb_small(&items, groups.clone(), &p, 1).len(), 2);
        p.min_share = 0.1;
        assert_eq!(
            absorb_small(&items, groups, &p, 1).len(),
            1,
            "folded under 10 %"
        );
    }

    #[test]
    fn the_lower_threshold_does_not_keep_a_third_voice() {
        // Three groups, each about 0.4 from the next: the first merge is not of the last two.
        let embs = at(&[0.0, 0.01, 0.927, 0.937, 1.854, 1.864]);
        let items: Vec<(&Array1<f32>, f64)> = embs.iter().map(|e| (e, 2.0)).collect();
        let chunk_of = [0, 1, 2, 3, 4, 5];
        let mut p = params(0.2);
        p.threshold = 0.45;
        p.last_split_threshold = 0.35;
        assert_eq!(agglomerate(&items, &chunk_of, &p, 1).0.len(), 2);
    }
}
