//! Counts per API and the failing methods, printed by the test and `cargo xtask conformance`.

use std::fmt;

use crate::compare::Outcome;

pub struct Report {
    /// Per API: (crate, compared, equal, intentional, failing).
    pub apis: Vec<(String, usize, usize, usize, usize)>,
    /// Failing calls and how they differ.
    pub failures: Vec<(String, String)>,
    /// Calls beside the one per method, by kind: a body clearing every field, a media
    /// upload, a media download (the suffixes of `discogen::rust::conformance`).
    pub variants: [(&'static str, usize); 3],
    /// Intentional differences and how many methods each covers.
    pub intentional: Vec<(&'static str, usize)>,
}

impl Default for Report {
    fn default() -> Self {
        use discogen::rust::conformance::{DOWNLOAD, PRESENCE, UPLOAD};
        Report {
            apis: Vec::new(),
            failures: Vec::new(),
            intentional: Vec::new(),
            variants: [(PRESENCE, 0), (UPLOAD, 0), (DOWNLOAD, 0)],
        }
    }
}

impl Report {
    pub fn add(&mut self, api: &str, outcomes: Vec<(String, Outcome)>) {
        let mut counts = (api.to_owned(), outcomes.len(), 0, 0, 0);
        for (id, outcome) in outcomes {
            if let Some(variant) = self.variants.iter_mut().find(|(suffix, _)| id.ends_with(suffix)) {
                variant.1 += 1;
            }
            match outcome {
                Outcome::Equal => counts.2 += 1,
                Outcome::Intentional(names) => {
                    counts.3 += 1;
                    for name in names {
                        match self.intentional.iter_mut().find(|(n, _)| *n == name) {
                            Some(entry) => entry.1 += 1,
                            None => self.intentional.push((name, 1)),
                        }
                    }
                }
                Outcome::Failing(differences) => {
                    counts.4 += 1;
                    self.failures.push((id, format!("{differences:?}")));
                }
            }
        }
        self.apis.push(counts);
    }

    /// How many calls of a variant (by its suffix) were compared.
    pub fn variant_calls(&self, suffix: &str) -> usize {
        self.variants.iter().find(|(s, _)| *s == suffix).map_or(0, |(_, count)| *count)
    }

    /// (compared, equal, intentional, failing) over every API.
    pub fn totals(&self) -> (usize, usize, usize, usize) {
        self.apis.iter().fold((0, 0, 0, 0), |t, a| (t.0 + a.1, t.1 + a.2, t.2 + a.3, t.3 + a.4))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (api, compared, equal, intentional, failing) in &self.apis {
            writeln!(f, "{api}: {compared} calls, {equal} equal, {intentional} intentional, {failing} failing")?;
        }
        for (id, differences) in self.failures.iter().take(40) {
            writeln!(f, "FAIL {id}: {differences}")?;
        }
        if self.failures.len() > 40 {
            writeln!(f, "... and {} more failing calls", self.failures.len() - 40)?;
        }
        for (name, count) in &self.intentional {
            writeln!(f, "intentional: {name}: {count} calls")?;
        }
        let (compared, equal, intentional, failing) = self.totals();
        use discogen::rust::conformance::{DOWNLOAD, PRESENCE, UPLOAD};
        let (presence, upload, download) =
            (self.variant_calls(PRESENCE), self.variant_calls(UPLOAD), self.variant_calls(DOWNLOAD));
        write!(
            f,
            "conformance: {compared} calls compared (one per method; {presence} more clear a body's fields, \
             {upload} upload media, {download} download it), {equal} equal, {intentional} intentional, \
             {failing} failing"
        )
    }
}
