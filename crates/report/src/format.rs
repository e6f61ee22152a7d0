//! Times and numbers as a reader expects them in each language.

use medlyt_core::Lang;

/// `mm:ss`, or `h:mm:ss` from one hour; negative and non-finite times read as 0.
pub fn clock(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.floor() as u64
    } else {
        0
    };
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// `value` with `decimals` decimals and the language's decimal mark.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{value:.decimals$}");
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A share 0-1 as a whole percentage, e.g. `45 %` (Danish) or `45%` (English).
pub fn percent(share: f64, lang: Lang) -> String {
    let p = (share * 100.0).round();
    match lang {
        Lang::Da => format!("{p:.0} %"),
        Lang::En => format!("{p:.0}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_switches_to_hours_past_an_hour() {
        assert_eq!(clock(133.7), "02:13");
        assert_eq!(clock(3600.0), "1:00:00");
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(clock(-1.0), "00:00");
        assert_eq!(clock(f64::NAN), "00:00");
    }

    #[test]
    fn numbers_use_the_language_decimal_mark() {
        assert_eq!(number(2.25, 1, Lang::Da), "2,2");
        assert_eq!(number(2.5, 1, Lang::En), "2.5");
        assert_eq!(percent(0.456, Lang::Da), "46 %");
    }
}
