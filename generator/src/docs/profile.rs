//! Output profiles. `stackql` (the default) writes StackQL's published pages byte for byte,
//! defects included; `clean` switches each of those defects off so that text renders as the
//! Discovery description says. Each defect is switched in one named place, which asks the
//! profile here.

use std::fmt;
use std::str::FromStr;

/// Which pages to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// StackQL's pages, byte for byte.
    #[default]
    Stackql,
    /// StackQL's page layout and resource model without its rendering defects.
    Clean,
    /// StackQL's current pages (`@stackql/provider-utils` 0.7.7 plus its docs repository's
    /// MDX brace escaping), byte for byte, defects included.
    Stackql07,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Stackql, Profile::Clean, Profile::Stackql07];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Stackql => "stackql",
            Profile::Clean => "clean",
            Profile::Stackql07 => "stackql-0.7",
        }
    }

    /// True when StackQL's defects are reproduced.
    pub fn is_stackql(self) -> bool {
        matches!(self, Profile::Stackql | Profile::Stackql07)
    }

    /// True for StackQL's current page format (CodeBlock manifests, enum values, brace
    /// escaping); false for the seed's format (`stackql`, `clean`).
    pub fn is_current(self) -> bool {
        self == Profile::Stackql07
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(text: &str) -> Result<Profile, String> {
        Profile::ALL
            .into_iter()
            .find(|profile| profile.name() == text)
            .ok_or_else(|| format!("unknown profile {text:?} (expected stackql, clean or stackql-0.7)"))
    }
}
