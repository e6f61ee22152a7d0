//! Records from devices for a while and prints the summary, with the CPU time used:
//! `record OUT.wav SECONDS DEVICE [DEVICE]` (a device may be `file:PATH.wav`).

use medlyt_record::{record, stop_on_signals, DeviceSpec, RecordOptions};
use std::path::PathBuf;
use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: record OUT.wav SECONDS DEVICE [DEVICE]".into());
    }
    let mut opts = RecordOptions::new(PathBuf::from(&args[0]));
    opts.max_duration = Some(Duration::from_secs_f64(args[1].parse()?));
    opts.live_every = Some(Duration::from_secs(5));
    opts.devices = args[2..]
        .iter()
        .map(|d| DeviceSpec {
            name: Some(d.clone()),
            rate: None,
        })
        .collect();
    let stop = stop_on_signals()?;
    let mut last_live = None;
    let s = record(&opts, &stop, &mut |st| {
        if st.live.is_some() {
            last_live = st.live.clone();
        }
    })?;
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the name).
    let cpu_s = (ticks(11) + ticks(12)) / 100.0;
    println!(
        "recorded {:.1} s, overruns {}, stream errors {}, drift {:?} ppm, end {:?}",
        s.duration_s(),
        s.overruns,
        s.stream_errors,
        s.drift_ppm,
        s.end
    );
    println!(
        "cpu {:.2} s = {:.2} % of one core; live {:?}",
        cpu_s,
        100.0 * cpu_s / s.duration_s().max(1e-9),
        last_live
    );
    Ok(())
}
