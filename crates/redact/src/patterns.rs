//! Pattern detectors: CPR numbers, phone numbers, e-mail and street addresses.

use crate::{Hit, Kind};
use regex::Regex;

/// Words after a number that make it an amount, not a phone number.
const CURRENCY: &[&str] = &[
    "kr", "kroner", "dkk", "eur", "euro", "€", "£", "$", "pounds", "dollars", ",-",
];

/// Danish street-name endings (as part of the word: "Vesterbrogade", "Egevænget").
const DA_STREET: &str = "vej|vejen|gade|allé|alle|vænge|vænget|stræde|plads|pladsen|torv|torvet|\
boulevard|park|parken|have|haven|bakke|bakken|høj|højen|toft|toften|eng|engen|vang|vangen|sti|stien|\
hegn|holm|løkke|løkken|dal|dalen|kvarter|mark|marken|ager|agervej|gården|bro|broen|kaj|kajen|\
bjerg|bjerget|skov|skoven|strand|stranden|vænge";

/// English street types.
const EN_STREET: &str =
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Court|Ct|Place|Pl|\
Gardens|Crescent|Terrace|Square|Boulevard|Blvd|Grove|Row|Hill|Mews|Walk";

#[derive(Debug)]
pub(crate) struct Patterns {
    cpr: Regex,
    date: Regex,
    email: Regex,
    spoken_email: Regex,
    phone: Regex,
    da_address: Regex,
    en_address: Regex,
    uk_postcode: Regex,
}

pub(crate) fn compile(pattern: &str) -> Regex {
    // The patterns are constants checked by the tests; an invalid one would be a build error.
    match Regex::new(pattern) {
        Ok(r) => r,
        Err(e) => unreachable!("invalid built-in pattern: {e}"),
    }
}

impl Patterns {
    pub(crate) fn new() -> Self {
        let da_address = format!(
            r"(?:\b[A-ZÆØÅ][\p{{L}}.'-]*\s+){{0,3}}(?:[A-ZÆØÅ][\p{{L}}'-]*(?:{DA_STREET})|[A-ZÆØÅ][\p{{L}}'-]*\s+(?:Vej|Gade|Allé|Alle|Plads|Boulevard|Torv|Stræde|Have|Park))\s+\d{{1,4}}\s?[A-Za-z]?\b(?:,?\s*\d{{1,2}}\.?\s*(?:th|tv|mf|sal)\b\.?)?(?:,?\s*\d{{4}}\s+[A-ZÆØÅ][\p{{L}}-]+(?:\s+[A-ZÆØÅ]\b\.?)?)?"
        );
        let en_address = format!(
            r"\b\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][\p{{L}}'-]*\s+){{1,3}}(?:{EN_STREET})\b\.?"
        );
        Patterns {
            cpr: compile(r"\b(\d{2})[ .]?(\d{2})[ .]?(\d{2})\s?[-–]?\s?(\d{4})\b"),
            date: compile(
                r"\b(?:(\d{1,2})[./-](\d{1,2})[./-](?:\d{4}|\d{2})|\d{4}-(\d{2})-(\d{2}))\b",
            ),
            email: compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"),
            spoken_email: compile(
                r"(?i)\b[\w.-]+(?:\s+(?:punktum|dot)\s+[\w.-]+)*\s+(?:snabel-a|snabela|at)\s+[\w-]+(?:\s+(?:punktum|dot)\s+[\w-]+)+\b",
            ),
            phone: compile(
                r"(?:(?:\+|\b00)\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\b\d{2,5}(?:[ .-]?\d{2,4}){0,4}\b",
            ),
            da_address: compile(&da_address),
            en_address: compile(&en_address),
            uk_postcode: compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"),
        }
    }

    /// CPR numbers: DDMMYY-XXXX with or without a hyphen or spaces, where DDMMYY is a date.
    pub(crate) fn cpr(&self, text: &str) -> Vec<Hit> {
        self.cpr
            .captures_iter(text)
            .filter_map(|c| {
                let m = c.get(0)?;
                let day: u32 = c.get(1)?.as_str().parse().ok()?;
                let month: u32 = c.get(2)?.as_str().parse().ok()?;
                let plausible = (1..=31).contains(&day) && (1..=12).contains(&month);
                // No modulus-11 check: many valid CPR numbers fail it.
                plausible.then_some(Hit {
                    kind: Kind::Cpr,
                    start: m.start(),
                    end: m.end(),
                })
            })
            .collect()
    }

    pub(crate) fn email(&self, text: &str) -> Vec<Hit> {
        let mut out: Vec<Hit> = self
            .email
            .find_iter(text)
            .map(|m| hit(Kind::Email, m.start(), m.end()))
            .collect();
        for m in self.spoken_email.find_iter(text) {
            if !out.iter().any(|h| h.overlaps(m.start(), m.end())) {
                out.push(hit(Kind::Email, m.start(), m.end()));
            }
        }
        out
    }

    /// Phone numbers: 8 to 11 digits in groups, optionally after a country code; not dates,
    /// not amounts of money.
    pub(crate) fn phone(&self, text: &str) -> Vec<Hit> {
        let dates: Vec<(usize, usize)> = self
            .date
            .captures_iter(text)
            .filter(|c| {
                // Day and month (either order of the ISO form's month and day is accepted).
                let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
                match (num(1), num(2), num(3), num(4)) {
                    (Some(d), Some(m), _, _) => (1..=31).contains(&d) && (1..=12).contains(&m),
                    (_, _, Some(m), Some(d)) => (1..=12).contains(&m) && (1..=31).contains(&d),
                    _ => false,
                }
            })
            .filter_map(|c| c.get(0).map(|m| (m.start(), m.end())))
            .collect();
        self.phone
            .find_iter(text)
            .filter(|m| {
                let s = m.as_str();
                let (code, rest) = split_country_code(s);
                let digits = rest.chars().filter(char::is_ascii_digit).count();
                let enough = if code {
                    (7..=11).contains(&digits)
                } else {
                    (8..=11).contains(&digits)
                };
                let is_date = dates.iter().any(|&(a, b)| a < m.end() && m.start() < b);
                enough && !is_date && !followed_by_currency(text, m.end())
            })
            .map(|m| {
                // `+4512345678`: the plus is outside the match (no word boundary in the digits).
                let plus = text[..m.start()].ends_with('+');
                hit(Kind::Phone, m.start() - usize::from(plus), m.end())
            })
            .collect()
    }

    pub(crate) fn address(&self, text: &str) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        for re in [&self.da_address, &self.en_address, &self.uk_postcode] {
            for m in re.find_iter(text) {
                let (start, end) = trim_span(text, m.start(), m.end());
                if !out.iter().any(|h| h.overlaps(start, end)) {
                    out.push(hit(Kind::Address, start, end));
                }
            }
        }
        out
    }
}

fn hit(kind: Kind, start: usize, end: usize) -> Hit {
    Hit { kind, start, end }
}

/// Whether the match starts with `+CC` or `00CC`, and the rest after it.
fn split_country_code(s: &str) -> (bool, &str) {
    let body = if let Some(r) = s.strip_prefix('+') {
        r
    } else if let Some(r) = s.strip_prefix("00") {
        r
    } else {
        return (false, s);
    };
    let code_len = body.chars().take_while(char::is_ascii_digit).count().min(3);
    match body.get(code_len..) {
        Some(rest) if rest.starts_with([' ', '-', '.', '(']) => (true, rest),
        // `+4512345678`: take two digits as the code.
        _ => (true, body.get(2.min(body.len())..).unwrap_or_default()),
    }
}

fn followed_by_currency(text: &str, end: usize) -> bool {
    let after = text
        .get(end..)
        .unwrap_or_default()
        .trim_start()
        .to_lowercase();
    CURRENCY.iter().any(|c| {
        after.starts_with(c)
            && !after[c.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    })
}

/// Drops trailing spaces and commas from a span.
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = text.get(start..end).unwrap_or_default();
    let trimmed = s.trim_end_matches([' ', ',']);
    (start, start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(p: &Patterns, f: fn(&Patterns, &str) -> Vec<Hit>, text: &str) -> Vec<String> {
        f(p, text)
            .iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn cpr_accepts_numbers_failing_modulus_11() {
        let p = Patterns::new();
        // 010170-1234 fails the modulus-11 check.
        assert_eq!(kinds(&p, Patterns::cpr, "cpr 010170-1234"), ["010170-1234"]);
        assert!(kinds(&p, Patterns::cpr, "nummer 991370-1234").is_empty());
    }

    #[test]
    fn phone_skips_dates_and_amounts() {
        let p = Patterns::new();
        assert_eq!(
            kinds(&p, Patterns::phone, "ring på +45 20 30 40 50"),
            ["+45 20 30 40 50"]
        );
        assert!(kinds(&p, Patterns::phone, "den 12.03.2024").is_empty());
        assert!(kinds(&p, Patterns::phone, "i alt 12 500 000 kr").is_empty());
    }

    #[test]
    fn addresses_in_both_languages() {
        let p = Patterns::new();
        assert_eq!(
            kinds(
                &p,
                Patterns::address,
                "jeg bor på Egevænget 12, 2. th, 2100 København Ø."
            ),
            ["Egevænget 12, 2. th, 2100 København Ø."]
        );
        assert_eq!(
            kinds(&p, Patterns::address, "I live at 221B Baker Street now"),
            ["221B Baker Street"]
        );
    }
}
