//! The notes a transcript carries on how it was made, written in English into the transcript
//! and put into the report's language by [`localize`]. Each note is built here, beside its
//! translation, so the two cannot drift apart.

use crate::Lang;

const MONO_DIARIZED: (&str, &str) = (
    "mono recording: the ",
    " voices were told apart from the sound alone (",
);
const CONFIDENCE: &str = "; confidence ";
const MONO_DIARIZED_END: &str =
    "), so who said what may be wrong near turn changes and in overlapping speech";
const EMPLOYEE: (&str, &str) = ("speaker ", " was taken as the employee (");
const EMPLOYEE_END: &str = "); override with --employee";

/// Why a voice was taken as the employee, one reason.
pub const SPOKE_FIRST: &str = "spoke first";
/// The user chose the employee.
pub const SET_BY_USER: &str = "set with --employee";
/// Nothing pointed either way.
pub const NO_CUE: &str = "no cue either way; the first voice heard was taken";
const OPENED_WITH: &str = "opened with \"";
const ASKED_MOST: &str = "asked the most questions (";

const ONE_VOICE: (&str, &str) = (
    "mono recording: one voice was heard (",
    "), so the report covers one party only; if two people spoke, their voices were too alike to tell apart",
);
const FALLBACK: &str =
    "the neural speaker models are not installed (scripts/get-models.sh), so the \
     voices were told apart by signal features alone, which often confuses real voices; treat the \
     per-party measures with care";

const NO_VOICE: &str = "mono recording: no voice was found in it, so there is nobody to measure";

/// The note on a mono recording in which no voice was found.
pub fn mono_no_voice() -> String {
    NO_VOICE.to_string()
}

/// The note on a mono recording where the speaker models were missing.
pub fn diarization_fallback() -> String {
    FALLBACK.to_string()
}

/// The note on a mono recording in which one voice was found.
pub fn mono_one_voice(method: &str) -> String {
    format!("{}{method}{}", ONE_VOICE.0, ONE_VOICE.1)
}

/// The note on a mono recording whose voices were told apart from the sound.
pub fn mono_diarized(speakers: usize, method: &str, confidence: f64) -> String {
    format!(
        "{}{speakers}{}{method}{CONFIDENCE}{confidence:.2}{MONO_DIARIZED_END}",
        MONO_DIARIZED.0, MONO_DIARIZED.1
    )
}

/// The note on which voice of a mono recording was taken as the employee, and why (reasons
/// from [`SPOKE_FIRST`], [`opened_with`], [`asked_most`], [`SET_BY_USER`], [`NO_CUE`]).
pub fn employee_chosen(label: &str, reasons: &[String]) -> String {
    format!(
        "{}{label}{}{}{EMPLOYEE_END}",
        EMPLOYEE.0,
        EMPLOYEE.1,
        reasons.join(", ")
    )
}

/// A reason: the voice opened the call with this greeting, name or unit cue.
pub fn opened_with(cue: &str) -> String {
    format!("{OPENED_WITH}{cue}\"")
}

/// A reason: the voice asked the most questions (`n`).
pub fn asked_most(n: usize) -> String {
    format!("{ASKED_MOST}{n})")
}

/// The note in `lang`: English as written; Danish for the notes built here, and the English
/// text for any other.
pub fn localize(note: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return note.to_string();
    }
    danish(note).unwrap_or_else(|| note.to_string())
}

fn danish(note: &str) -> Option<String> {
    if note == NO_VOICE {
        return Some(
            "mono-optagelse: der blev ikke fundet nogen stemme, så der er ingen at måle på"
                .to_string(),
        );
    }
    if note == FALLBACK {
        return Some(
            "de neurale talermodeller er ikke installeret (scripts/get-models.sh), så stemmerne er \
             skilt ad ud fra signaltræk alene, som ofte forveksler rigtige stemmer; brug målene \
             per part med forsigtighed"
                .to_string(),
        );
    }
    if let Some(rest) = note.strip_prefix(ONE_VOICE.0) {
        let method = rest.strip_suffix(ONE_VOICE.1)?;
        return Some(format!(
            "mono-optagelse: der blev hørt én stemme ({method}), så rapporten dækker kun én part; \
             hvis to personer talte, lød deres stemmer for ens til at kunne skilles ad"
        ));
    }
    if let Some(rest) = note.strip_prefix(MONO_DIARIZED.0) {
        let (speakers, rest) = rest.split_once(MONO_DIARIZED.1)?;
        let inner = rest.strip_suffix(MONO_DIARIZED_END)?;
        let (method, confidence) = inner.rsplit_once(CONFIDENCE)?;
        return Some(format!(
            "mono-optagelse: de {speakers} stemmer er skilt ad ud fra lyden alene ({method}; \
             sikkerhed {}), så hvem der sagde hvad kan være forkert ved taleskift og når de taler \
             i munden på hinanden",
            confidence.replace('.', ",")
        ));
    }
    if let Some(rest) = note.strip_prefix(EMPLOYEE.0) {
        let (label, rest) = rest.split_once(EMPLOYEE.1)?;
        let why = rest.strip_suffix(EMPLOYEE_END)?;
        let reasons: Vec<String> = why.split(", ").map(danish_reason).collect();
        return Some(format!(
            "stemme {label} blev taget som medarbejderen ({}); kan ændres med --employee",
            reasons.join(", ")
        ));
    }
    None
}

fn danish_reason(reason: &str) -> String {
    if let Some(cue) = reason
        .strip_prefix(OPENED_WITH)
        .and_then(|r| r.strip_suffix('"'))
    {
        return format!("åbnede med »{cue}«");
    }
    if let Some(n) = reason
        .strip_prefix(ASKED_MOST)
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("stillede flest spørgsmål ({n})");
    }
    match reason {
        SPOKE_FIRST => "talte først".to_string(),
        SET_BY_USER => "valgt med --employee".to_string(),
        NO_CUE => "intet pegede nogen vej; den første stemme blev valgt".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_built_here_come_out_in_danish() {
        let d = localize(&mono_diarized(2, "log-mel clustering", 0.634), Lang::Da);
        assert!(d.starts_with("mono-optagelse: de 2 stemmer"), "{d}");
        assert!(d.contains("(log-mel clustering; sikkerhed 0,63)"), "{d}");
        let reasons = vec![
            SPOKE_FIRST.to_string(),
            opened_with("goddag"),
            asked_most(7),
        ];
        let d = localize(&employee_chosen("A", &reasons), Lang::Da);
        assert_eq!(
            d,
            "stemme A blev taget som medarbejderen (talte først, åbnede med »goddag«, stillede \
             flest spørgsmål (7)); kan ændres med --employee"
        );
        let d = localize(&employee_chosen("B", &[NO_CUE.to_string()]), Lang::Da);
        assert!(d.contains("intet pegede nogen vej"), "{d}");
    }

    #[test]
    fn english_and_unknown_notes_are_kept() {
        let note = mono_diarized(2, "x", 0.5);
        assert_eq!(localize(&note, Lang::En), note);
        assert_eq!(localize("something else", Lang::Da), "something else");
    }
}
