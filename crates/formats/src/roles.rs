//! Which speaker is the employee.
//!
//! Rules, in order (also in `docs/transcript-format.md`):
//! 1. A speaker named with `ReadOptions::employee` (case-insensitive, or a unique case-insensitive
//!    prefix such as "Anna" for "Anna Jensen") is the employee.
//! 2. Otherwise, where the file marks roles itself and marks an employee, those roles are used:
//!    WebVTT voice-tag classes such as `<v.employee Anna Jensen>` (as medlyt writes them), or
//!    speakers named after a role (`employee`, `medarbejder`, `citizen`, `borger`).
//! 3. Otherwise the first speaker is the employee: in the calls medlyt coaches, the employee answers
//!    the phone or opens the call.
//!
//! Every other named speaker is a citizen, also when there are more than two (a relative or an
//! interpreter joining the citizen). The placeholder speaker `unknown` (cues without a voice tag)
//! always has the role unknown. A note saying how the roles were decided goes into the transcript.

use crate::FormatError;
use medlyt_core::Role;

/// The speaker name given to text without a speaker (a WebVTT cue without a voice tag).
pub(crate) const UNKNOWN_SPEAKER: &str = "unknown";

/// One speaker as the reader found it: the name and the role the file marks, if any.
pub(crate) struct Speaker {
    pub name: String,
    pub marked: Option<Role>,
}

/// The roles of `speakers` (same order) and a note saying how they were decided.
pub(crate) fn assign_roles(
    speakers: &[Speaker],
    employee: Option<&str>,
) -> Result<(Vec<Role>, String), FormatError> {
    let named: Vec<usize> = (0..speakers.len())
        .filter(|&i| !is_unknown(&speakers[i].name))
        .collect();
    let others = named.len().saturating_sub(1);
    let others_text = match others {
        0 => "there is no other speaker".to_string(),
        1 => "the other speaker is the citizen".to_string(),
        n => format!("the {n} other speakers are all marked citizen"),
    };

    let chosen: Option<(usize, String)> = if let Some(name) = employee {
        let i = find_employee(speakers, &named, name)?;
        let why = format!(
            "roles: '{}' is the employee as named with --employee; {others_text}",
            speakers[i].name
        );
        Some((i, why))
    } else if named
        .iter()
        .any(|&i| speakers[i].marked == Some(Role::Employee))
    {
        let roles = speakers
            .iter()
            .map(|s| match (is_unknown(&s.name), s.marked) {
                (true, _) => Role::Unknown,
                (false, Some(r)) => r,
                (false, None) => Role::Citizen,
            })
            .collect();
        let note = "roles: taken from the file, which marks them (voice-tag classes or speakers named after a role)".to_string();
        return Ok((roles, note));
    } else {
        named.first().map(|&i| {
            let why = format!(
                "roles: '{}' is taken to be the employee because they speak first (the employee \
                 usually answers or opens the call); {others_text}; name the employee with \
                 --employee if this is wrong",
                speakers[i].name
            );
            (i, why)
        })
    };

    match chosen {
        Some((employee_index, note)) => {
            let roles = (0..speakers.len())
                .map(|i| {
                    if i == employee_index {
                        Role::Employee
                    } else if is_unknown(&speakers[i].name) {
                        Role::Unknown
                    } else {
                        Role::Citizen
                    }
                })
                .collect();
            Ok((roles, note))
        }
        None => Ok((
            vec![Role::Unknown; speakers.len()],
            "roles: the file names no speakers, so all roles are unknown".to_string(),
        )),
    }
}

fn is_unknown(name: &str) -> bool {
    name.eq_ignore_ascii_case(UNKNOWN_SPEAKER)
}

/// Finds the speaker `wanted` names: an exact case-insensitive match, else a unique prefix.
fn find_employee(
    speakers: &[Speaker],
    named: &[usize],
    wanted: &str,
) -> Result<usize, FormatError> {
    let key = wanted.trim().to_lowercase();
    let lower: Vec<(usize, String)> = named
        .iter()
        .map(|&i| (i, speakers[i].name.to_lowercase()))
        .collect();
    if let Some((i, _)) = lower.iter().find(|(_, n)| *n == key) {
        return Ok(*i);
    }
    let matches: Vec<usize> = if key.is_empty() {
        Vec::new()
    } else {
        lower
            .iter()
            .filter(|(_, n)| n.starts_with(&key))
            .map(|(i, _)| *i)
            .collect()
    };
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(FormatError::UnknownEmployee {
            name: wanted.to_string(),
            speakers: speakers.iter().map(|s| s.name.clone()).collect(),
        }),
        many => Err(FormatError::AmbiguousEmployee {
            name: wanted.to_string(),
            matches: many.iter().map(|&i| speakers[i].name.clone()).collect(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    fn speakers(names: &[&str]) -> Vec<Speaker> {
        names
            .iter()
            .map(|n| Speaker {
                name: n.to_string(),
                marked: None,
            })
            .collect()
    }

    #[test]
    fn first_speaker_is_employee_without_a_name() {
        let (roles, note) = assign_roles(&speakers(&["Anna", "Bo"]), None).unwrap();
        assert_eq!(roles, vec![Role::Employee, Role::Citizen]);
        assert!(note.contains("speak first"), "{note}");
    }

    #[test]
    fn named_employee_by_unique_prefix_case_insensitive() {
        let s = speakers(&["unknown", "Bo Hansen", "Anna Jensen", "Carl"]);
        let (roles, note) = assign_roles(&s, Some("anna")).unwrap();
        assert_eq!(
            roles,
            vec![Role::Unknown, Role::Citizen, Role::Employee, Role::Citizen]
        );
        assert!(note.contains("2 other speakers"), "{note}");
    }

    #[test]
    fn exact_match_wins_over_prefix() {
        let s = speakers(&["Anna", "Anna Jensen"]);
        let (roles, _) = assign_roles(&s, Some("ANNA")).unwrap();
        assert_eq!(roles, vec![Role::Employee, Role::Citizen]);
    }

    #[test]
    fn unknown_and_ambiguous_employee_names_are_errors() {
        let s = speakers(&["Anna Jensen", "Anders Bo"]);
        let err = assign_roles(&s, Some("Carl")).unwrap_err();
        assert!(err.to_string().contains("Anna Jensen, Anders Bo"), "{err}");
        let err = assign_roles(&s, Some("An")).unwrap_err();
        assert!(
            matches!(err, FormatError::AmbiguousEmployee { .. }),
            "{err}"
        );
        assert!(assign_roles(&s, Some("  ")).is_err());
    }

    #[test]
    fn marked_roles_are_used_when_an_employee_is_marked() {
        let s = vec![
            Speaker {
                name: "Bo".into(),
                marked: Some(Role::Citizen),
            },
            Speaker {
                name: "Anna".into(),
                marked: Some(Role::Employee),
            },
        ];
        let (roles, _) = assign_roles(&s, None).unwrap();
        assert_eq!(roles, vec![Role::Citizen, Role::Employee]);
    }
}
