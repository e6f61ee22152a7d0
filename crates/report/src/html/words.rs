//! The page's wording: the Markdown report's words (shared, so both reports say the same) and
//! the labels only the HTML page has.

pub(crate) use crate::markdown::words::{finding, moment_kind, role, warning, words, Words};

use medlyt_core::Lang;

/// Labels only the HTML page uses.
pub(crate) struct Labels {
    pub timeline: &'static str,
    pub timeline_help: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub zoom_fit: &'static str,
    pub legend_open: &'static str,
    pub legend_reflection: &'static str,
    pub legend_affirmation: &'static str,
    pub legend_closed: &'static str,
    pub legend_leading: &'static str,
    pub legend_interruption: &'static str,
    pub legend_overlap: &'static str,
    pub legend_silence: &'static str,
    pub legend_moment: &'static str,
    pub legend_backchannel: &'static str,
    pub transcript: &'static str,
    pub search: &'static str,
    pub filter_all: &'static str,
    pub filter_questions: &'static str,
    pub shown: &'static str,
    pub play_from: &'static str,
    pub no_audio: &'static str,
    pub audio_missing: &'static str,
    pub reference: &'static str,
    pub own_share: &'static str,
    pub open_share: &'static str,
    pub your_interruptions: &'static str,
    pub silence_share: &'static str,
    pub overlap_share: &'static str,
    pub reply_gap: &'static str,
    pub lix: &'static str,
    pub escalation_peak: &'static str,
    pub why_it_matters: &'static str,
    pub summary_title: &'static str,
    pub calls: &'static str,
    pub distributions: &'static str,
    pub median: &'static str,
    pub call: &'static str,
    pub duration: &'static str,
    pub count_of_calls: &'static str,
}

pub(crate) const DA: Labels = Labels {
    timeline: "Samtalens forløb",
    timeline_help:
        "Klik på en taleblok eller et øjeblik for at afspille optagelsen fra det tidspunkt.",
    zoom_in: "Zoom ind",
    zoom_out: "Zoom ud",
    zoom_fit: "Hele samtalen",
    legend_open: "åbent spørgsmål",
    legend_reflection: "refleksion",
    legend_affirmation: "anerkendelse",
    legend_closed: "lukket spørgsmål",
    legend_leading: "ledende spørgsmål",
    legend_interruption: "afbrydelse",
    legend_overlap: "samtidig tale",
    legend_silence: "lang tavshed",
    legend_moment: "vigtigt øjeblik",
    legend_backchannel: "lytteord",
    transcript: "Udskrift",
    search: "Søg i udskriften",
    filter_all: "Alle ytringer",
    filter_questions: "Kun spørgsmål",
    shown: "vist",
    play_from: "Afspil fra",
    no_audio: "Optagelsen er ikke med i rapporten; tidspunkterne kan findes i udskriften.",
    audio_missing: "Optagelsen kunne ikke åbnes. Læg lydfilen i samme mappe som rapporten.",
    reference: "pejlemærke",
    own_share: "Din andel af taletiden",
    open_share: "Andel åbne spørgsmål",
    your_interruptions: "Dine afbrydelser",
    silence_share: "Tavshed",
    overlap_share: "Samtidig tale",
    reply_gap: "Din svartid (median)",
    lix: "LIX (din tale)",
    escalation_peak: "Eskalation, højeste niveau",
    why_it_matters: "Hvorfor det betyder noget",
    summary_title: "Oversigt over samtalerne",
    calls: "Samtaler",
    distributions: "Fordelinger",
    median: "median",
    call: "Samtale",
    duration: "Varighed",
    count_of_calls: "antal samtaler",
};

pub(crate) const EN: Labels = Labels {
    timeline: "The call over time",
    timeline_help: "Click a speech block or a moment to play the recording from that time.",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    zoom_fit: "Whole call",
    legend_open: "open question",
    legend_reflection: "reflection",
    legend_affirmation: "affirmation",
    legend_closed: "closed question",
    legend_leading: "leading question",
    legend_interruption: "interruption",
    legend_overlap: "overlapping speech",
    legend_silence: "long silence",
    legend_moment: "key moment",
    legend_backchannel: "backchannel",
    transcript: "Transcript",
    search: "Search the transcript",
    filter_all: "All utterances",
    filter_questions: "Questions only",
    shown: "shown",
    play_from: "Play from",
    no_audio: "The recording is not part of the report; find the times in the transcript.",
    audio_missing: "The recording could not be opened. Put the audio file in the report's folder.",
    reference: "reference",
    own_share: "Your share of talk time",
    open_share: "Share of open questions",
    your_interruptions: "Your interruptions",
    silence_share: "Silence",
    overlap_share: "Overlapping speech",
    reply_gap: "Your reply gap (median)",
    lix: "LIX (your speech)",
    escalation_peak: "Escalation, highest level",
    why_it_matters: "Why it matters",
    summary_title: "Summary of the calls",
    calls: "Calls",
    distributions: "Distributions",
    median: "median",
    call: "Call",
    duration: "Length",
    count_of_calls: "number of calls",
};

pub(crate) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Da => &DA,
        Lang::En => &EN,
    }
}

/// Why a kind of key moment matters for the feedback.
pub(crate) fn why(kind: medlyt_analysis::MomentKind, lang: Lang) -> &'static str {
    use medlyt_analysis::MomentKind::*;
    match (kind, lang) {
        (Interruption, Lang::Da) => "Den der bliver afbrudt, kan føle sig overhørt.",
        (Anger, Lang::Da) => "Borgeren viser frustration: anerkend følelsen, før du forklarer.",
        (Complaint, Lang::Da) => {
            "Borgeren overvejer at klage: tag det alvorligt og forklar næste skridt."
        }
        (Threat, Lang::Da) => "En trussel: bevar roen, sæt grænser venligt og hold dig til sagen.",
        (Swearing, Lang::Da) => "Bandeord tyder på stærke følelser lige her.",
        (Loud, Lang::Da) => "Stemmen hæves: samtalen spidser til.",
        (Deescalating, Lang::Da) => "Et dæmpende træk: det hjælper borgeren ned i niveau.",
        (Escalating, Lang::Da) => "Et træk, der kan optrappe samtalen.",
        (EscalationPeak, Lang::Da) => "Her begynder den mest ophedede del af samtalen.",
        (Thanks, Lang::Da) => "Borgerens tak er tegn på en god samtale.",
        (Interruption, Lang::En) => "The one interrupted may feel unheard.",
        (Anger, Lang::En) => "The citizen shows frustration: acknowledge it before explaining.",
        (Complaint, Lang::En) => {
            "The citizen considers complaining: take it seriously and explain the next step."
        }
        (Threat, Lang::En) => "A threat: stay calm, set limits kindly and keep to the matter.",
        (Swearing, Lang::En) => "Swearing signals strong feelings at this point.",
        (Loud, Lang::En) => "A raised voice: the call is heating up.",
        (Deescalating, Lang::En) => "A calming move: it helps the citizen come down.",
        (Escalating, Lang::En) => "A move that can escalate the call.",
        (EscalationPeak, Lang::En) => "The most heated part of the call begins here.",
        (Thanks, Lang::En) => "The citizen's thanks is a sign of a good call.",
    }
}
