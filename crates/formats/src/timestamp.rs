//! Reading and writing clock times such as `01:02:03.456`.

/// Longest run of digits accepted in the leading (hours or minutes) field, so hostile input cannot
/// overflow the arithmetic.
const MAX_LEAD_DIGITS: usize = 6;

/// Reads `h:mm:ss(.fff)` or `m:ss(.fff)` as seconds. The leading field may have any number of
/// digits (up to a limit); the later fields must have two digits and be below 60. The fraction may
/// be written with `.` or `,` and have 1 to 9 digits. Returns `None` for anything else.
pub(crate) fn parse_clock(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let (last, lead) = parts.split_last()?;
    let (sec_text, frac_text) = match last.find(['.', ',']) {
        Some(i) => (&last[..i], Some(&last[i + 1..])),
        None => (*last, None),
    };
    let mut total: u64 = 0;
    for (i, field) in lead.iter().enumerate() {
        let value = if i == 0 {
            digits(field, 1, MAX_LEAD_DIGITS)?
        } else {
            below_sixty(field)?
        };
        total = total.checked_mul(60)?.checked_add(value)?;
    }
    let secs = below_sixty(sec_text)?;
    total = total.checked_mul(60)?.checked_add(secs)?;
    let frac = match frac_text {
        Some(f) => digits(f, 1, 9)? as f64 / 10f64.powi(f.len() as i32),
        None => 0.0,
    };
    Some(total as f64 + frac)
}

fn digits(s: &str, min: usize, max: usize) -> Option<u64> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn below_sixty(s: &str) -> Option<u64> {
    digits(s, 2, 2).filter(|v| *v < 60)
}

/// Whole milliseconds of `secs`, with negative and non-finite times as 0.
pub(crate) fn millis(secs: f64) -> u64 {
    if secs.is_finite() && secs > 0.0 {
        (secs * 1000.0).round() as u64
    } else {
        0
    }
}

/// Writes `hh:mm:ss` followed by `sep` and milliseconds, e.g. `00:01:02.345`.
pub(crate) fn format_clock(secs: f64, sep: char) -> String {
    let ms = millis(secs);
    let (h, m, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{h:02}:{m:02}:{s:02}{sep}{f:03}")
}

/// Writes the time rounded to the second as `mm:ss`, or `h:mm:ss` from an hour on.
pub(crate) fn format_short(secs: f64) -> String {
    let total = (millis(secs) + 500) / 1000;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn reads_clock_times_with_and_without_hours() {
        assert_eq!(parse_clock("00:01:02.345"), Some(62.345));
        assert_eq!(parse_clock("01:02.345"), Some(62.345));
        assert_eq!(parse_clock("1:02:03"), Some(3723.0));
        assert_eq!(parse_clock("00:12"), Some(12.0));
        assert_eq!(parse_clock("00:00:01,5"), Some(1.5));
        assert_eq!(parse_clock("75:10"), Some(4510.0));
    }

    #[test]
    fn rejects_malformed_clock_times() {
        for bad in [
            "",
            "12",
            "1:2",
            "00:60",
            "00:61:00",
            "aa:bb",
            "00:12.",
            "1:2:3:4",
            "00:12.x",
            "9999999:00",
            "-1:00",
            "00:1a",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn writes_clock_times() {
        assert_eq!(format_clock(62.345, '.'), "00:01:02.345");
        assert_eq!(format_clock(3723.0014, ','), "01:02:03,001");
        assert_eq!(format_clock(-3.0, '.'), "00:00:00.000");
        assert_eq!(format_short(62.6), "01:03");
        assert_eq!(format_short(3723.0), "1:02:03");
    }
}
