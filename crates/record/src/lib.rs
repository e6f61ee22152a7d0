//! Live recording for medlyt: a consultant listening in on a call records both parties into one
//! WAV file, sees the levels while it records, and has a file that is safe at every second.
//!
//! - [`list_devices`] lists the input devices (channels, rates, the default marked).
//! - [`record`] captures one device (its channels carry the roles, e.g. a headset splitter with
//!   the employee left and the call right) or two devices (one role each) into a 16-bit WAV file.
//!   Two devices run on their own clocks: the second is resampled to the first's rate with rubato,
//!   its drift is measured and corrected, and their start times are lined up ([`Aligner`]).
//! - The cpal data callback only copies samples into a lock-free ring buffer (rtrb): no locks, no
//!   allocation, no waiting. The recording loop reads the rings, writes the file and brings the
//!   header up to date and syncs it every second ([`LiveWav`]), so a killed process leaves a
//!   playable file with everything up to the last second. Frames lost to a full ring are counted
//!   and reported as overruns.
//! - A device that goes away or stops delivering audio, or a disk that fills up, ends the
//!   recording with everything so far kept in a valid file ([`EndReason`]).
//! - [`repair`] fixes the header of a recording that was cut off before its header was updated.
//! - [`stop_on_signals`] turns Ctrl-C and SIGTERM into a stop flag for [`record`].
#![warn(missing_docs)]

mod align;
mod capture;
mod error;
mod meter;
mod session;
mod simulated;
mod wav;

pub use align::Aligner;
pub use capture::{list_devices, DeviceInfo};
pub use error::RecordError;
pub use meter::{live_stats, ChannelLevel, LiveStats, CLIP_DBFS, QUIET_DBFS};
pub use session::{
    output_order, record, DeviceSpec, EndReason, RecordOptions, RecordSummary, Status,
};
pub use wav::{header, repair, repair_to, LiveWav, Repair, Sink, HEADER_LEN, MAX_DATA_BYTES};

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A flag that Ctrl-C (SIGINT) and SIGTERM set, for [`record`]'s `stop`.
pub fn stop_on_signals() -> Result<Arc<AtomicBool>, RecordError> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&flag))
            .map_err(|source| RecordError::Signal { source })?;
    }
    Ok(flag)
}
