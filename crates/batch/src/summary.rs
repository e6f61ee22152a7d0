//! `summary.html`: the batch's distributions as charts, and the list of calls linking to their
//! `report.html`. Built from each analysed call's `report.json`, kept only as far as the page
//! needs it, so memory stays small however large the batch.

use crate::record::{write_atomic, CallRecord};
use crate::BatchError;
use medlyt_analysis::Analysis;
use medlyt_core::Lang;
use std::path::{Component, Path};

/// Writes `out_dir/summary.html` in `lang` for the analysed calls among `records`. Each call's
/// outputs are looked for under `calls/NAME/` in `folders`, in order (the batch's own folder, or
/// the shard folders of an aggregation); links are relative to `out_dir`. A call whose
/// `report.json` cannot be read is left out of the page (it is still in `calls.csv`). Returns
/// how many calls the page shows.
pub fn write_summary_html(
    out_dir: &Path,
    folders: &[&Path],
    records: &[CallRecord],
    lang: Lang,
) -> Result<usize, BatchError> {
    let mut calls: Vec<(String, Analysis)> = Vec::new();
    for r in records.iter().filter(|r| r.figures().is_some()) {
        let found = folders.iter().find_map(|f| {
            let dir = f.join("calls").join(&r.name);
            let text = std::fs::read_to_string(dir.join("report.json")).ok()?;
            let a: Analysis = serde_json::from_str(&text).ok()?;
            Some((dir, a))
        });
        if let Some((dir, a)) = found {
            calls.push((link(out_dir, &dir.join("report.html")), slim(a)));
        }
    }
    let page = medlyt_report::summary_html(&calls, lang);
    write_atomic(&out_dir.join("summary.html"), page.as_bytes())?;
    Ok(calls.len())
}

/// Keeps what the summary page reads: the figures, and the last utterance (for the call's
/// length when it runs past the recording's stated duration).
fn slim(mut a: Analysis) -> Analysis {
    let last = a
        .utterances
        .iter()
        .enumerate()
        .max_by(|x, y| x.1.end.total_cmp(&y.1.end))
        .map(|(i, _)| i);
    a.utterances = last
        .map(|i| a.utterances.swap_remove(i))
        .into_iter()
        .collect();
    a.moments = Vec::new();
    a.findings = Vec::new();
    a
}

/// The address of `target` relative to the folder `from`, with `/` separators.
fn link(from: &Path, target: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, target) = (normal(&abs(from)), normal(&abs(target)));
    let common = from
        .iter()
        .zip(target.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(target[common..].iter().cloned());
    parts.join("/")
}

/// The path's parts with `.` and `..` resolved.
fn normal(p: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                out.pop();
            }
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_summary() {
        assert_eq!(
            link(
                Path::new("/o/batch"),
                Path::new("/o/batch/calls/a/report.html")
            ),
            "calls/a/report.html"
        );
        assert_eq!(
            link(
                Path::new("/o/all"),
                Path::new("/o/shard-1/calls/a/report.html")
            ),
            "../shard-1/calls/a/report.html"
        );
        assert_eq!(
            link(
                Path::new("/o/./all/x/.."),
                Path::new("/o/all/calls/b/report.html")
            ),
            "calls/b/report.html"
        );
    }
}
