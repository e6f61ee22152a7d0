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

const NOT_NUMBERS: (&str, &str) = (
    " samples were not numbers and were replaced by silence",
    " sample was not a number and was replaced by silence",
);

/// The note on a recording (or transcript) in which no speech was found, in English.
pub const NO_SPEECH: &str = "No speech was found in the recording";
/// The same note in Danish.
pub const NO_SPEECH_DA: &str = "Der blev ikke fundet tale i optagelsen";

const ENDS_EARLY: &str = "the file ends early at ";
const ENDS_EARLY_END: &str =
    ": it was cut off (the rest of the call is missing), so the measures cover only what is there";

const ONE_SIGNAL: (&str, &str) = (
    "the file's two channels carry one signal (their levels differ by 6 dB or more in ",
    " % of the sounding frames; with a channel per party nearly all would): it was taken as a \
     mono recording, one microphone hearing both voices",
);
const NO_VOICE: &str = "mono recording: no voice was found in it, so there is nobody to measure";

const LANGUAGE_HEARD: (&str, &str) = ("language: ", ", heard in the first ");
const LANGUAGE_HEARD_P: (&str, &str) = (" s of speech (probability ", ")");
const BETWEEN_DA_EN: &str = " between Danish and English";
const LANGUAGE_ASKED: (&str, &str) = ("language: ", ", as asked with --language");
const LANGUAGE_DEFAULT: (&str, &str, &str) = (
    "language: ",
    ", the default: the first ",
    " s of speech did not sound clearly English (probability of English ",
);
/// How the note on a call that sounds like another language than the one forced begins.
pub const LANGUAGE_MISMATCH: &str = "the call sounds like language '";
const LANGUAGE_MISMATCH_MID: (&str, &str) = ("' (probability ", "), not the requested '");
const LANGUAGE_MISMATCH_END: (&str, &str) = (
    "': if so, transcribe again with --language ",
    " or without --language",
);

/// The note on the language the call was transcribed in, as heard on the first `seconds` of
/// speech: `between` says the choice was between Danish and English only.
pub fn language_heard(code: &str, probability: f32, seconds: usize, between: bool) -> String {
    let among = if between { BETWEEN_DA_EN } else { "" };
    format!(
        "{}{code}{}{seconds}{}{probability:.2}{among}{}",
        LANGUAGE_HEARD.0, LANGUAGE_HEARD.1, LANGUAGE_HEARD_P.0, LANGUAGE_HEARD_P.1
    )
}

/// The note on a language given with `--language`.
pub fn language_asked(code: &str) -> String {
    format!("{}{code}{} {code}", LANGUAGE_ASKED.0, LANGUAGE_ASKED.1)
}

/// The note on Danish kept as the default because the first `seconds` of speech did not sound
/// clearly English (`english`: its probability).
pub fn language_default(code: &str, seconds: usize, english: f32) -> String {
    format!(
        "{}{code}{}{seconds}{}{english:.2})",
        LANGUAGE_DEFAULT.0, LANGUAGE_DEFAULT.1, LANGUAGE_DEFAULT.2
    )
}

/// The note on a call that sounds (surely) like another language than the one forced.
pub fn language_mismatch(heard: &str, probability: f32, requested: &str) -> String {
    format!(
        "{LANGUAGE_MISMATCH}{heard}{}{probability:.2}{}{requested}{}{heard}{}",
        LANGUAGE_MISMATCH_MID.0,
        LANGUAGE_MISMATCH_MID.1,
        LANGUAGE_MISMATCH_END.0,
        LANGUAGE_MISMATCH_END.1
    )
}

fn danish_language(note: &str) -> Option<String> {
    let da = |p: &str| p.replace('.', ",");
    if let Some(rest) = note.strip_prefix(LANGUAGE_MISMATCH) {
        let (heard, rest) = rest.split_once(LANGUAGE_MISMATCH_MID.0)?;
        let (p, rest) = rest.split_once(LANGUAGE_MISMATCH_MID.1)?;
        let (requested, _) = rest.split_once(LANGUAGE_MISMATCH_END.0)?;
        return Some(format!(
            "samtalen lyder som sproget '{heard}' (sandsynlighed {}), ikke det valgte \
             '{requested}': transskribér i så fald igen med --language {heard} eller uden \
             --language",
            da(p)
        ));
    }
    let rest = note.strip_prefix(LANGUAGE_HEARD.0)?;
    if let Some((code, rest)) = rest.split_once(LANGUAGE_DEFAULT.1) {
        let (seconds, rest) = rest.split_once(LANGUAGE_DEFAULT.2)?;
        let p = rest.strip_suffix(')')?;
        return Some(format!(
            "sprog: {code}, standardvalget: de første {seconds} s tale lød ikke tydeligt \
             engelske (sandsynlighed for engelsk {})",
            da(p)
        ));
    }
    if let Some((code, _)) = rest.split_once(LANGUAGE_ASKED.1) {
        return Some(format!("sprog: {code}, som valgt med --language {code}"));
    }
    let (code, rest) = rest.split_once(LANGUAGE_HEARD.1)?;
    let (seconds, rest) = rest.split_once(LANGUAGE_HEARD_P.0)?;
    let inner = rest.strip_suffix(LANGUAGE_HEARD_P.1)?;
    let (p, among) = match inner.strip_suffix(BETWEEN_DA_EN) {
        Some(p) => (p, " mellem dansk og engelsk"),
        None => (inner, ""),
    };
    Some(format!(
        "sprog: {code}, hørt i de første {seconds} s tale (sandsynlighed {}{among})",
        da(p)
    ))
}

/// The note on a recording in which `n` samples (counted over all channels at the file's rate)
/// were NaN or infinite and were replaced by silence.
pub fn samples_not_numbers(n: u64) -> String {
    if n == 1 {
        format!("{n}{}", NOT_NUMBERS.1)
    } else {
        format!("{n}{}", NOT_NUMBERS.0)
    }
}

/// The note on a recording in which no speech was found.
pub fn no_speech() -> String {
    NO_SPEECH.to_string()
}

/// The note on a file that ends before its header says it should, at `seconds`.
pub fn ends_early(seconds: f64) -> String {
    let s = if seconds.is_finite() && seconds > 0.0 {
        seconds.floor() as u64
    } else {
        0
    };
    let at = if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    };
    format!("{ENDS_EARLY}{at}{ENDS_EARLY_END}")
}

/// The note on a stereo file whose channels carry one signal (`apart_share` of the sounding
/// frames have levels 6 dB or more apart), taken as a mono recording.
pub fn one_signal(apart_share: f64) -> String {
    format!("{}{:.0}{}", ONE_SIGNAL.0, 100.0 * apart_share, ONE_SIGNAL.1)
}

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
    if let Some(d) = danish_language(note) {
        return Some(d);
    }
    if let Some(n) = note.strip_suffix(NOT_NUMBERS.0) {
        return Some(format!(
            "{n} samples var ikke tal og blev erstattet med stilhed"
        ));
    }
    if let Some(n) = note.strip_suffix(NOT_NUMBERS.1) {
        return Some(format!(
            "{n} sample var ikke et tal og blev erstattet med stilhed"
        ));
    }
    if note == NO_SPEECH {
        return Some(NO_SPEECH_DA.to_string());
    }
    if let Some(at) = note
        .strip_prefix(ENDS_EARLY)
        .and_then(|r| r.strip_suffix(ENDS_EARLY_END))
    {
        return Some(format!(
            "filen slutter for tidligt ved {at}: den er afskåret (resten af samtalen mangler), så \
             målene dækker kun det, der er med"
        ));
    }
    if let Some(share) = note
        .strip_prefix(ONE_SIGNAL.0)
        .and_then(|r| r.strip_suffix(ONE_SIGNAL.1))
    {
        return Some(format!(
            "filens to kanaler bærer ét signal (deres niveau er 6 dB eller mere fra hinanden i \
             {share} % af de hørbare stykker; med en kanal per part ville næsten alle være): den \
             er behandlet som en mono-optagelse, én mikrofon der hører begge stemmer"
        ));
    }
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
        let d = localize(&one_signal(0.013), Lang::Da);
        assert!(d.starts_with("filens to kanaler bærer ét signal"), "{d}");
        assert!(d.contains(" i 1 % af "), "{d}");
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
    fn no_speech_and_ends_early_come_out_in_danish() {
        assert_eq!(
            localize(&no_speech(), Lang::Da),
            "Der blev ikke fundet tale i optagelsen"
        );
        let e = ends_early(125.7);
        assert!(e.starts_with("the file ends early at 02:05"), "{e}");
        let d = localize(&e, Lang::Da);
        assert!(d.starts_with("filen slutter for tidligt ved 02:05"), "{d}");
    }

    #[test]
    fn language_notes_come_out_in_danish() {
        let d = localize(&language_heard("en", 0.934, 6, true), Lang::Da);
        assert_eq!(
            d,
            "sprog: en, hørt i de første 6 s tale (sandsynlighed 0,93 mellem dansk og engelsk)"
        );
        let d = localize(&language_heard("fr", 0.5, 6, false), Lang::Da);
        assert_eq!(
            d,
            "sprog: fr, hørt i de første 6 s tale (sandsynlighed 0,50)"
        );
        let d = localize(&language_asked("da"), Lang::Da);
        assert_eq!(d, "sprog: da, som valgt med --language da");
        let d = localize(&language_mismatch("en", 0.9, "da"), Lang::Da);
        assert!(
            d.starts_with("samtalen lyder som sproget 'en' (sandsynlighed 0,90)"),
            "{d}"
        );
        assert!(d.contains("ikke det valgte 'da'"), "{d}");
        let d = localize(&language_default("da", 6, 0.128), Lang::Da);
        assert_eq!(
            d,
            "sprog: da, standardvalget: de første 6 s tale lød ikke tydeligt engelske \
             (sandsynlighed for engelsk 0,13)"
        );
    }

    #[test]
    fn the_note_on_samples_that_were_not_numbers_comes_out_in_danish() {
        let note = samples_not_numbers(16_000);
        assert_eq!(
            note,
            "16000 samples were not numbers and were replaced by silence"
        );
        assert_eq!(
            localize(&note, Lang::Da),
            "16000 samples var ikke tal og blev erstattet med stilhed"
        );
        let one = samples_not_numbers(1);
        assert_eq!(one, "1 sample was not a number and was replaced by silence");
        assert_eq!(
            localize(&one, Lang::Da),
            "1 sample var ikke et tal og blev erstattet med stilhed"
        );
    }

    #[test]
    fn english_and_unknown_notes_are_kept() {
        let note = mono_diarized(2, "x", 0.5);
        assert_eq!(localize(&note, Lang::En), note);
        assert_eq!(localize("something else", Lang::Da), "something else");
    }
}
