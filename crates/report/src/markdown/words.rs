//! The report's fixed wording in Danish and English.

use crate::format::{clock, number, percent};
use medlyt_analysis::{Finding, FindingCode, LixBand, MomentKind, Warning};
use medlyt_core::{Lang, Role};

/// Fixed labels.
pub(crate) struct Words {
    pub title: &'static str,
    pub call_of: &'static str,
    pub overview: &'static str,
    pub went_well: &'static str,
    pub nothing_well: &'static str,
    pub suggestions: &'static str,
    pub no_suggestions: &'static str,
    pub details: &'static str,
    pub employee: &'static str,
    pub citizen: &'static str,
    /// Said above the overview when a mono recording held one voice.
    pub one_voice: &'static str,
    pub talk_time: &'static str,
    pub wpm: &'static str,
    pub monologue: &'static str,
    pub reply_gap: &'static str,
    pub turns: &'static str,
    pub interruptions: &'static str,
    pub backchannels: &'static str,
    pub questions: &'static str,
    pub reflections: &'static str,
    pub simple: &'static str,
    pub one_complex: &'static str,
    pub complex: &'static str,
    pub open: &'static str,
    pub closed: &'static str,
    pub leading: &'static str,
    pub one_open: &'static str,
    pub one_closed: &'static str,
    pub one_leading: &'static str,
    pub why: &'static str,
    pub per_minute: &'static str,
    pub stacked: &'static str,
    pub silence: &'static str,
    pub longest_silence: &'static str,
    pub overlap: &'static str,
    pub escalation: &'static str,
    pub peak: &'static str,
    pub end_level: &'static str,
    pub curve: &'static str,
    pub moments: &'static str,
    pub structure: &'static str,
    pub opening: &'static str,
    pub closing: &'static str,
    pub greeting: &'static str,
    pub own_name: &'static str,
    pub unit: &'static str,
    pub purpose: &'static str,
    pub summary: &'static str,
    pub next_step: &'static str,
    pub thanks: &'static str,
    pub missing: &'static str,
    /// Said instead of "missing" where the words of that part are too unsure to tell.
    pub not_checked: &'static str,
    /// The heading over what could not be checked.
    pub unchecked: &'static str,
    pub language: &'static str,
    pub jargon: &'static str,
    pub explained: &'static str,
    pub unexplained: &'static str,
    pub quality: &'static str,
    pub transcript_notes: &'static str,
    pub mean_probability: &'static str,
    pub low_words: &'static str,
    pub uncertain_title: &'static str,
    pub uncertain_body: &'static str,
    pub uncertain_mark: &'static str,
    pub loudness_unmeasured: &'static str,
    pub seconds: &'static str,
    pub outcome_yielded: &'static str,
    pub outcome_talked_over: &'static str,
    pub none: &'static str,
    pub at: &'static str,
}

pub(crate) const DA: Words = Words {
    title: "Feedback på samtalen",
    call_of: "Samtale",
    overview: "Overblik",
    went_well: "Det gik godt",
    nothing_well: "Målingerne fandt ingen tydelige styrker i denne samtale; lyt efter dem selv.",
    suggestions: "Forslag til feedback",
    no_suggestions: "Målingerne fandt ingen tydelige forbedringspunkter.",
    details: "Detaljer",
    employee: "Medarbejder",
    citizen: "Borger",
    one_voice: "Der blev kun hørt én stemme i optagelsen, så der er ingen tal for borgeren (se \"Sådan blev transskriptionen lavet\").",
    talk_time: "Taletid",
    wpm: "Ord pr. minut",
    monologue: "Længste monolog",
    reply_gap: "Svartid (median)",
    turns: "Taleture",
    interruptions: "Afbrydelser",
    backchannels: "Lytteord (\"ja\", \"mm\")",
    questions: "Spørgsmål",
    open: "åbne",
    closed: "lukkede",
    leading: "ledende",
    one_open: "åbent",
    one_closed: "lukket",
    one_leading: "ledende",
    why: "hvorfor-spørgsmål",
    per_minute: "pr. minut",
    stacked: "Flere spørgsmål i samme tur",
    silence: "Tavshed",
    longest_silence: "længste",
    overlap: "Samtidig tale",
    escalation: "Eskalation",
    peak: "Højeste niveau",
    end_level: "niveau ved slut",
    curve: "Forløb (hvert felt er et tidsvindue)",
    moments: "Vigtige øjeblikke",
    structure: "Struktur",
    opening: "Indledning",
    closing: "Afslutning",
    greeting: "hilsen",
    own_name: "eget navn",
    unit: "enhed",
    purpose: "formål",
    summary: "opsummering",
    next_step: "aftalt næste skridt",
    thanks: "borgerens tak",
    reflections: "Refleksioner",
    simple: "simpel",
    one_complex: "kompleks",
    complex: "komplekse",
    missing: "mangler",
    not_checked: "kunne ikke tjekkes: transskriptionen er for usikker",
    unchecked: "Kunne ikke tjekkes",
    language: "Sprog",
    jargon: "Fagord",
    explained: "forklaret",
    unexplained: "uforklaret",
    quality: "Transskriptionens kvalitet",
    transcript_notes: "Sådan blev transskriptionen lavet",
    mean_probability: "Gennemsnitlig ordsikkerhed",
    low_words: "usikre ord",
    uncertain_title: "Usikker transskription",
    uncertain_body: "Teksten er dårligt genkendt, så målinger der bygger på ordene (spørgsmål, \
        eskalationsord, struktur, sprog) er usikre. Taletid, afbrydelser og lydstyrke gælder stadig. \
        Lyt selv efter før du bruger citaterne.",
    uncertain_mark: "(usikker tekst)",
    loudness_unmeasured: "Lydstyrke er ikke målt (ingen lyd).",
    seconds: "s",
    outcome_yielded: "gav ordet fra sig",
    outcome_talked_over: "blev talt hen over",
    none: "ingen",
    at: "ved",
};

pub(crate) const EN: Words = Words {
    title: "Feedback on the call",
    call_of: "Call",
    overview: "Overview",
    went_well: "What went well",
    nothing_well: "The measures found no clear strengths in this call; listen for them yourself.",
    suggestions: "Suggestions for the feedback",
    no_suggestions: "The measures found nothing clear to work on.",
    details: "Details",
    employee: "Employee",
    citizen: "Citizen",
    one_voice: "Only one voice was heard in the recording, so there are no figures for the citizen (see \"How the transcript was made\").",
    talk_time: "Talk time",
    wpm: "Words per minute",
    monologue: "Longest monologue",
    reply_gap: "Reply gap (median)",
    turns: "Turns",
    interruptions: "Interruptions",
    backchannels: "Backchannels (\"yeah\", \"mm\")",
    questions: "Questions",
    open: "open",
    closed: "closed",
    leading: "leading",
    one_open: "open",
    one_closed: "closed",
    one_leading: "leading",
    why: "why-questions",
    per_minute: "per minute",
    stacked: "Several questions in one turn",
    silence: "Silence",
    longest_silence: "longest",
    overlap: "Overlapping speech",
    escalation: "Escalation",
    peak: "Highest level",
    end_level: "level at the end",
    curve: "Course (each cell is a time window)",
    moments: "Key moments",
    structure: "Structure",
    opening: "Opening",
    closing: "Closing",
    greeting: "greeting",
    own_name: "own name",
    unit: "unit",
    purpose: "purpose",
    summary: "summary",
    next_step: "agreed next step",
    thanks: "citizen's thanks",
    reflections: "Reflections",
    simple: "simple",
    one_complex: "complex",
    complex: "complex",
    missing: "missing",
    not_checked: "could not be checked: the transcript is too unsure",
    unchecked: "Could not be checked",
    language: "Language",
    jargon: "Jargon",
    explained: "explained",
    unexplained: "unexplained",
    quality: "Transcript quality",
    transcript_notes: "How the transcript was made",
    mean_probability: "Mean word confidence",
    low_words: "uncertain words",
    uncertain_title: "Uncertain transcript",
    uncertain_body: "The text was poorly recognised, so measures based on the words (questions, \
        escalation cues, structure, language) are uncertain. Talk time, interruptions and loudness \
        still stand. Listen for yourself before using the quotes.",
    uncertain_mark: "(uncertain text)",
    loudness_unmeasured: "Loudness not measured (no audio).",
    seconds: "s",
    outcome_yielded: "yielded",
    outcome_talked_over: "was talked over",
    none: "none",
    at: "at",
};

pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Da => &DA,
        Lang::En => &EN,
    }
}

pub(crate) fn role(r: Role, lang: Lang) -> &'static str {
    match (r, lang) {
        (Role::Employee, Lang::Da) => "medarbejderen",
        (Role::Citizen, Lang::Da) => "borgeren",
        (Role::Unknown, Lang::Da) => "ukendt",
        (Role::Employee, Lang::En) => "the employee",
        (Role::Citizen, Lang::En) => "the citizen",
        (Role::Unknown, Lang::En) => "unknown",
    }
}

/// The headline and the advice of a finding.
pub(crate) fn finding(f: &Finding, lang: Lang) -> (String, &'static str) {
    use FindingCode::*;
    let v = f.value;
    let n = v.round() as i64;
    let p = percent(v, lang);
    let d = |x: f64| number(x, 0, lang);
    match lang {
        Lang::Da => match f.code {
            BalancedTalk => (format!("Borgeren fik plads: du talte {p} af tiden"), ""),
            ActiveListening => (format!("Du lyttede aktivt ({n} lytteord) og afbrød ikke"), ""),
            OpenQuestions => (format!("Mange åbne spørgsmål ({p})"), ""),
            FullOpening => ("Klar indledning: hilsen, navn og enhed".into(), ""),
            Acknowledging => (format!("Du anerkendte borgerens følelser eller beklagede ({})", times(n, lang)), ""),
            ClearClosing => ("Klar afslutning med opsummering eller aftalt næste skridt".into(), ""),
            CitizenThanks => ("Borgeren takkede til sidst".into(), ""),
            PlainLanguage => (format!("Let sprog (LIX {})", number(v, 1, lang)), ""),
            Interrupting => (format!("Du afbrød borgeren {}", times(n, lang)), "Lad borgeren tale færdig; vent et øjeblik, før du tager ordet."),
            EmployeeTalksMost => (format!("Du talte {p} af tiden"), "Giv borgeren mere plads: stil et åbent spørgsmål og lyt."),
            LongMonologue => (format!("En lang monolog på {} sekunder", d(v)), "Del forklaringen op og tjek undervejs, om borgeren følger med."),
            FewOpenQuestions => (format!("Få åbne spørgsmål ({p})"), "Prøv \"Kan du fortælle ...?\" eller \"Hvordan ...?\", så borgeren kan fortælle selv."),
            StackedQuestions => (format!("Flere spørgsmål på én gang ({})", times(n, lang)), "Stil ét spørgsmål ad gangen og vent på svaret."),
            WhyQuestions => (format!("Hvorfor-spørgsmål ({n})"), "\"Hvorfor\" kan lyde som et forhør; spørg hellere \"hvad skete der\" eller \"hvordan\"."),
            UnexplainedJargon => (format!("Fagord uden forklaring ({n})"), "Forklar fagord med almindelige ord, eller undgå dem."),
            RulesPhrase => (format!("Du henviste til reglerne ({})", times(n, lang)), "Forklar hvad reglen betyder for borgeren, og hvad borgeren kan gøre nu."),
            EscalationUnanswered => (format!("Borgerens frustration blev ikke anerkendt ({n} tegn)"), "Anerkend følelsen først (\"Jeg kan godt forstå, at ...\"), og forklar så næste skridt."),
            IncompleteOpening => (format!("Indledningen manglede dele ({n} af 4)"), "Sig hvem du er, hvor du er fra, og hvad samtalen handler om."),
            NoClearClosing => ("Ingen opsummering eller aftalt næste skridt".into(), "Slut med at opsummere og aftale, hvad der sker nu."),
            HardLanguage => (format!("Svært sprog (LIX {})", number(v, 1, lang)), "Brug kortere sætninger og kortere ord."),
        },
        Lang::En => match f.code {
            BalancedTalk => (format!("The citizen had room: you talked {p} of the time"), ""),
            ActiveListening => (format!("You listened actively ({n} backchannels) and did not interrupt"), ""),
            OpenQuestions => (format!("Many open questions ({p})"), ""),
            FullOpening => ("A clear opening: greeting, name and unit".into(), ""),
            Acknowledging => (format!("You acknowledged the citizen's feelings or apologised ({})", times(n, lang)), ""),
            ClearClosing => ("A clear closing with a summary or an agreed next step".into(), ""),
            CitizenThanks => ("The citizen said thank you at the end".into(), ""),
            PlainLanguage => (format!("Plain language (LIX {})", number(v, 1, lang)), ""),
            Interrupting => (format!("You interrupted the citizen {}", times(n, lang)), "Let the citizen finish; pause a moment before you take the floor."),
            EmployeeTalksMost => (format!("You talked {p} of the time"), "Give the citizen more room: ask an open question and listen."),
            LongMonologue => (format!("A long monologue of {} seconds", d(v)), "Break the explanation up and check that the citizen follows."),
            FewOpenQuestions => (format!("Few open questions ({p})"), "Try \"Can you tell me ...?\" or \"How ...?\" so the citizen can tell in their own words."),
            StackedQuestions => (format!("Several questions at once ({})", times(n, lang)), "Ask one question at a time and wait for the answer."),
            WhyQuestions => (format!("Why-questions ({n})"), "\"Why\" can feel like an interrogation; ask \"what happened\" or \"how\" instead."),
            UnexplainedJargon => (format!("Jargon without explanation ({n})"), "Explain technical terms in everyday words, or avoid them."),
            RulesPhrase => (format!("You referred to the rules ({})", times(n, lang)), "Explain what the rule means for the citizen and what they can do now."),
            EscalationUnanswered => (format!("The citizen's frustration was not acknowledged ({n} signs)"), "Acknowledge the feeling first (\"I can understand that ...\"), then explain the next step."),
            IncompleteOpening => (format!("The opening lacked parts ({n} of 4)"), "Say who you are, where you are from and what the call is about."),
            NoClearClosing => ("No summary or agreed next step".into(), "End by summing up and agreeing what happens next."),
            HardLanguage => (format!("Hard language (LIX {})", number(v, 1, lang)), "Use shorter sentences and shorter words."),
        },
    }
}

/// What a finding that could not be checked looked for.
pub(crate) fn unchecked(f: &Finding, lang: Lang) -> String {
    use FindingCode::*;
    let p = percent(f.value, lang);
    match (f.code, lang) {
        (IncompleteOpening, Lang::Da) => format!(
            "Indledningen (hilsen, navn, enhed og formål; {} af 4 hørt)",
            f.value.round() as i64
        ),
        (IncompleteOpening, Lang::En) => format!(
            "The opening (greeting, name, unit and purpose; {} of 4 heard)",
            f.value.round() as i64
        ),
        (NoClearClosing, Lang::Da) => "Afslutningen (opsummering og aftalt næste skridt)".into(),
        (NoClearClosing, Lang::En) => "The closing (summary and agreed next step)".into(),
        (FewOpenQuestions, Lang::Da) => format!("Åbne spørgsmål (usikker andel: {p})"),
        (FewOpenQuestions, Lang::En) => format!("Open questions (uncertain share: {p})"),
        _ => finding(f, lang).0,
    }
}

/// "1 gang", "3 gange" / "1 time", "3 times".
fn times(n: i64, lang: Lang) -> String {
    match (lang, n == 1) {
        (Lang::Da, true) => "1 gang".into(),
        (Lang::Da, false) => format!("{n} gange"),
        (Lang::En, true) => "once".into(),
        (Lang::En, false) => format!("{n} times"),
    }
}

pub(crate) fn band(b: LixBand, lang: Lang) -> &'static str {
    match (b, lang) {
        (LixBand::VeryEasy, Lang::Da) => "meget let",
        (LixBand::Easy, Lang::Da) => "let",
        (LixBand::Medium, Lang::Da) => "middel",
        (LixBand::Hard, Lang::Da) => "svær",
        (LixBand::VeryHard, Lang::Da) => "meget svær",
        (LixBand::VeryEasy, Lang::En) => "very easy",
        (LixBand::Easy, Lang::En) => "easy",
        (LixBand::Medium, Lang::En) => "medium",
        (LixBand::Hard, Lang::En) => "hard",
        (LixBand::VeryHard, Lang::En) => "very hard",
    }
}

pub(crate) fn moment_kind(k: MomentKind, lang: Lang) -> &'static str {
    use MomentKind::*;
    match (k, lang) {
        (Interruption, Lang::Da) => "afbrydelse",
        (Anger, Lang::Da) => "vrede",
        (Complaint, Lang::Da) => "klage",
        (Threat, Lang::Da) => "trussel",
        (Swearing, Lang::Da) => "bandeord",
        (Loud, Lang::Da) => "højere stemme",
        (Deescalating, Lang::Da) => "dæmpende",
        (Escalating, Lang::Da) => "optrappende",
        (EscalationPeak, Lang::Da) => "højt niveau begynder",
        (Thanks, Lang::Da) => "tak",
        (Interruption, Lang::En) => "interruption",
        (Anger, Lang::En) => "anger",
        (Complaint, Lang::En) => "complaint",
        (Threat, Lang::En) => "threat",
        (Swearing, Lang::En) => "swearing",
        (Loud, Lang::En) => "raised voice",
        (Deescalating, Lang::En) => "calming",
        (Escalating, Lang::En) => "escalating",
        (EscalationPeak, Lang::En) => "high level begins",
        (Thanks, Lang::En) => "thanks",
    }
}

pub(crate) fn warning(w: &Warning, lang: Lang) -> String {
    let da = lang == Lang::Da;
    match w {
        Warning::LowMeanProbability { mean, threshold } => {
            if da {
                format!(
                    "Gennemsnitlig ordsikkerhed {} er under {}.",
                    number(*mean, 2, lang),
                    number(*threshold, 2, lang)
                )
            } else {
                format!(
                    "Mean word confidence {} is below {}.",
                    number(*mean, 2, lang),
                    number(*threshold, 2, lang)
                )
            }
        }
        Warning::ManyUncertainWords { share, threshold } => {
            if da {
                format!(
                    "{} af ordene er usikre (grænse {}).",
                    percent(*share, lang),
                    percent(*threshold, lang)
                )
            } else {
                format!(
                    "{} of the words are uncertain (limit {}).",
                    percent(*share, lang),
                    percent(*threshold, lang)
                )
            }
        }
        Warning::LanguageMismatch { expected, detected } => {
            if da {
                format!("Sproget blev genkendt som '{detected}', men analysen er for '{expected}'.")
            } else {
                format!("The language was recognised as '{detected}', but the analysis is for '{expected}'.")
            }
        }
        Warning::InventedText { at, phrase } => {
            if da {
                format!(
                    "{}: tekst som talegenkendelse ofte opfinder (\"{phrase}\").",
                    clock(*at)
                )
            } else {
                format!(
                    "{}: text that speech recognition often invents (\"{phrase}\").",
                    clock(*at)
                )
            }
        }
        Warning::NoEmployee => {
            if da {
                "Ingen spor har rollen medarbejder.".into()
            } else {
                "No track has the employee role.".into()
            }
        }
        Warning::NoCitizen => {
            if da {
                "Ingen spor har rollen borger.".into()
            } else {
                "No track has the citizen role.".into()
            }
        }
        Warning::UnknownSpeakers { tracks } => {
            if da {
                format!("{tracks} spor med ukendt rolle er udeladt.")
            } else {
                format!("{tracks} track(s) with an unknown role were left out.")
            }
        }
    }
}
