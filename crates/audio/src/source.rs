//! The common shape of every decoder: planar f32 blocks at the file's own rate.

use crate::AudioError;

/// Frames per block a source hands over at a time.
pub const BLOCK_FRAMES: usize = 4096;

/// A decoder that yields the file's samples in blocks.
pub trait BlockSource {
    /// Replaces the contents of `out` (one vector per channel) with the next frames, as f32 in
    /// -1.0 ..= 1.0. Returns the number of frames, 0 at the end of the file.
    fn next_block(&mut self, out: &mut [Vec<f32>]) -> Result<usize, AudioError>;

    /// Called after the last block with the frames decoded, to report a file that ended early.
    fn check_end(&self, _frames: u64) -> Result<(), AudioError> {
        Ok(())
    }

    /// The exact length in frames the container states, where it states one that can be trusted
    /// to cut decoder padding (see [`crate::resample::Writer::finish`]).
    fn stated_frames(&self) -> Option<u64> {
        None
    }
}
