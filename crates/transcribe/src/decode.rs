//! The recording, decoded to 16 kHz.

use crate::progress::Progress;
use crate::TranscribeError;
use medlyt_audio::AudioInfo;
use medlyt_core::Recording;
use std::path::Path;

/// A recording whose length is known, not yet decoded.
pub(crate) struct OpenedFile<'a> {
    path: &'a Path,
    /// Seconds in the file (0 when unknown).
    total: f64,
}

/// Opens the recording: checks that it can be read and learns its length.
pub(crate) fn open(path: &Path) -> Result<OpenedFile<'_>, TranscribeError> {
    let info = medlyt_audio::open(path)?;
    Ok(OpenedFile {
        path,
        total: info.duration_s,
    })
}

/// The decoded recording.
pub(crate) struct DecodedAudio {
    /// The file, as the transcript describes it.
    pub recording: Recording,
    /// 16 kHz samples, one vector per channel (0 = left).
    pub channels: Vec<Vec<i16>>,
    /// Samples of the file that were not numbers and were replaced by silence.
    pub non_finite: u64,
    /// The file stops before its stream ends.
    pub ends_early: bool,
    /// Where the file's first two channels carry one signal (one microphone on both): what
    /// their levels showed; `channels` then holds their mix alone.
    pub one_signal: Option<medlyt_audio::ChannelLevels>,
}

impl OpenedFile<'_> {
    /// Decodes and resamples every channel, reporting the seconds done.
    pub(crate) fn decode(
        self,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<DecodedAudio, TranscribeError> {
        let total = self.total;
        let decoded = medlyt_audio::decode(self.path, &Default::default(), &mut |done| {
            progress(Progress::Decoding { done, total })
        })?;
        let (channels, one_signal) = one_microphone(decoded.channels);
        Ok(DecodedAudio {
            recording: recording(self.path, &decoded.info),
            channels,
            non_finite: decoded.non_finite,
            ends_early: decoded.ends_early,
            one_signal,
        })
    }
}

/// The channels as they are, or, where the first two carry one signal, their mix alone and
/// what their levels showed.
fn one_microphone(channels: Vec<Vec<i16>>) -> (Vec<Vec<i16>>, Option<medlyt_audio::ChannelLevels>) {
    let [a, b, ..] = channels.as_slice() else {
        return (channels, None);
    };
    let levels = medlyt_audio::compare_channels(a, b);
    if !levels.one_signal() {
        return (channels, None);
    }
    (
        vec![medlyt_audio::mix_channels(&channels[..2])],
        Some(levels),
    )
}

impl DecodedAudio {
    /// Seconds decoded.
    pub(crate) fn duration(&self) -> f64 {
        self.recording.duration
    }

    /// The channels transcribed, one per party: the first two of a multichannel file, or the
    /// mono mix.
    pub(crate) fn party_channels(&self) -> Vec<&[i16]> {
        self.channels.iter().take(2).map(Vec::as_slice).collect()
    }
}

/// The transcript's description of the file at `path`.
fn recording(path: &Path, info: &AudioInfo) -> Recording {
    Recording {
        source: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        duration: info.duration_s,
        sample_rate: info.sample_rate,
        channels: info.channels,
        codec: info.codec.clone(),
    }
}
