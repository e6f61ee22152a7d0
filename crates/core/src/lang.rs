use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language medlyt analyses and writes reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish, the default.
    Da,
    /// English.
    En,
}

impl Lang {
    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "da" | "dan" | "danish" | "dansk" => Ok(Lang::Da),
            "en" | "eng" | "english" | "engelsk" => Ok(Lang::En),
            other => Err(format!(
                "unsupported language '{other}' (expected da or en)"
            )),
        }
    }
}
