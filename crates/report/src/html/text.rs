//! Escaping text for HTML and writing numbers into SVG.

/// `text` safe inside HTML text and quoted attribute values.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A finite number with at most `decimals` decimals and no trailing zeros, `0` otherwise.
pub(crate) fn num(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "0".into();
    }
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// The first `max` characters of `text`, with an ellipsis when cut.
pub(crate) fn short(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            esc("<b a=\"1\">&'\u{7}</b>"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(num(12.5000, 3), "12.5");
        assert_eq!(num(3.0, 3), "3");
        assert_eq!(num(-0.0001, 3), "0");
        assert_eq!(num(f64::NAN, 3), "0");
        assert_eq!(short("abcdef", 3), "abc…");
        assert_eq!(short("abc", 3), "abc");
    }
}
