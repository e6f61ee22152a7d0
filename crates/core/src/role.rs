use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The part a speaker plays in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The public-sector employee whose conversation is being coached.
    Employee,
    /// The citizen calling or being called.
    Citizen,
    /// Not known (for example a mono recording before diarization).
    Unknown,
}

impl Role {
    /// The lowercase name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Citizen => "citizen",
            Role::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "employee" | "medarbejder" | "e" => Ok(Role::Employee),
            "citizen" | "borger" | "c" => Ok(Role::Citizen),
            "unknown" | "ukendt" | "-" => Ok(Role::Unknown),
            other => Err(format!(
                "unknown role '{other}' (expected employee, citizen or unknown)"
            )),
        }
    }
}
