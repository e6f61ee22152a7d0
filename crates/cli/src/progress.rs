//! The progress bar on standard error.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use medlyt_transcribe::Progress;

/// Draws pipeline progress; hidden when `quiet`.
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar for the file `name`.
    pub fn new(name: &str, quiet: bool) -> Self {
        let bar = ProgressBar::new(100);
        if quiet {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        } else {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        let style =
            ProgressStyle::with_template("{prefix} {msg:<22} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(name.to_string());
        Bar { bar }
    }

    /// Shows a pipeline event.
    pub fn update(&self, p: Progress) {
        match p {
            Progress::Decoding { done, total } => {
                self.bar.set_message("decoding audio (s)");
                self.bar.set_length(total.max(done).ceil() as u64);
                self.bar.set_position(done as u64);
            }
            Progress::FindingSpeech => {
                self.bar.set_message("finding speech");
            }
            Progress::Transcribing { done, total } => {
                self.bar.set_message("transcribing (windows)");
                self.bar.set_length(total as u64);
                self.bar.set_position(done as u64);
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
