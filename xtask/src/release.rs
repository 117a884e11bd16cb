//! What a new Discovery revision does to a crate's release: the `discogen diff` summary against
//! the previous document, the version bump it calls for, a changelog entry, and the revisions and
//! sha256 of the committed documents in `specs/PROVENANCE.md`.
//!
//! Everything is kept in `specs/` (the inputs), never only in `generated/`: the version in the
//! configuration's `client.version`, the history in `specs/<service>.CHANGELOG.md` (copied into
//! the crate by the generation), so `cargo xtask check` stays a function of the committed files.

use std::collections::BTreeMap;
use std::path::Path;

use discogen::rust::record::NameRecord;
use discogen::rust::surface::{self, Change, ItemChange, Report};

use crate::specs::{self, Spec};

/// What a revision does to code written against the previous crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Something was removed or changed (see `discogen::rust::surface`).
    Breaking,
    /// Items were only added.
    Additions,
    /// The public API is the same (descriptions, say, changed).
    Unchanged,
}

impl Verdict {
    pub fn of(changes: &[ItemChange]) -> Verdict {
        if changes.iter().any(ItemChange::breaking) {
            Verdict::Breaking
        } else if changes.iter().any(|c| matches!(c.change, Change::Added | Change::Deprecated)) {
            Verdict::Additions
        } else {
            Verdict::Unchanged
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Verdict::Breaking => "breaking changes",
            Verdict::Additions => "additions only (compatible)",
            Verdict::Unchanged => "no change to the public API",
        }
    }
}

/// The version after a release with `verdict`, by the compatibility rules cargo applies to
/// `^version` requirements: from 1.0.0 major / minor / patch for breaking / additions / the rest;
/// below 1.0.0 the first non-zero part is the major one, so 0.x.y bumps x when breaking and y
/// otherwise, and 0.0.z bumps z always (cargo treats every 0.0.z as incompatible with the others).
/// A pre-release or build suffix is refused: such a version is set by hand.
pub fn bump(version: &str, verdict: Verdict) -> Result<String, String> {
    let parts: Vec<u64> =
        version.split('.').map(|part| part.parse::<u64>()).collect::<Result<_, _>>().map_err(|_| {
            format!("version `{version}`: only MAJOR.MINOR.PATCH can be bumped (set a pre-release by hand)")
        })?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("version `{version}`: expected MAJOR.MINOR.PATCH"));
    };
    let (major, minor, patch) = match (major, minor, verdict) {
        (0, 0, _) => (0, 0, patch + 1),
        (0, _, Verdict::Breaking) => (0, minor + 1, 0),
        (0, _, _) => (0, minor, patch + 1),
        (_, _, Verdict::Breaking) => (major + 1, 0, 0),
        (_, _, Verdict::Additions) => (major, minor + 1, 0),
        (_, _, Verdict::Unchanged) => (major, minor, patch + 1),
    };
    Ok(format!("{major}.{minor}.{patch}"))
}

/// The `revision` of a Discovery document.
pub fn revision(name: &str, text: &str) -> Result<String, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("{name}: not JSON: {e}"))?;
    doc.get("revision")
        .and_then(|r| r.as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("{name}: no `revision` (not a Discovery document?)"))
}

/// Whether revision `new` is later than `old`: Google's are dates (`20250814`), compared as
/// numbers; anything else as text.
pub fn newer(new: &str, old: &str) -> bool {
    match (new.parse::<u64>(), old.parse::<u64>()) {
        (Ok(new), Ok(old)) => new > old,
        _ => new > old,
    }
}

pub fn sha256(text: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, text.as_bytes()).as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Today (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    date(std::time::SystemTime::now())
}

/// The UTC date of `time`, as the runtime's RFC 3339 timestamps begin.
fn date(time: std::time::SystemTime) -> String {
    discogen_runtime::wkt::Timestamp::from(time).as_str().get(..10).unwrap_or_default().to_owned()
}

/// The marker closing each changelog entry: what it was computed from, so that running the
/// tasks again neither bumps twice nor stacks entries.
const MARKER: &str = "<!-- discogen-release:";

struct Marker {
    from_version: String,
    from_sha256: String,
    to_sha256: String,
}

/// The newest entry's marker (entries are newest first).
fn top_marker(changelog: &str) -> Option<Marker> {
    let line = changelog.lines().find(|line| line.starts_with(MARKER))?;
    let mut fields = BTreeMap::new();
    for field in line.trim_start_matches(MARKER).trim_end_matches("-->").split_whitespace() {
        if let Some((key, value)) = field.split_once('=') {
            fields.insert(key, value.to_owned());
        }
    }
    Some(Marker {
        from_version: fields.remove("from-version")?,
        from_sha256: fields.remove("from-sha256")?,
        to_sha256: fields.remove("to-sha256")?,
    })
}

/// `changelog` with `entry` before its newest entry (after the heading), or a new changelog.
fn prepend(changelog: &str, crate_name: &str, document: &str, entry: &str) -> String {
    let changelog = if changelog.is_empty() {
        format!(
            "# Changelog of {crate_name}\n\nOne entry per Discovery revision of `{document}`, newest first, written by\n\
             `cargo xtask update` and `cargo xtask regen` (the summary is `discogen diff` of the two revisions).\n"
        )
    } else {
        changelog.to_owned()
    };
    match changelog.find("\n## ") {
        Some(at) => format!("{}{entry}\n{}", &changelog[..at + 1], &changelog[at + 1..]),
        None => format!("{}\n{entry}", changelog.trim_end_matches('\n').to_owned() + "\n"),
    }
}

/// `changelog` without its newest entry.
fn drop_top_entry(changelog: &str) -> String {
    let Some(start) = changelog.find("\n## ") else { return changelog.to_owned() };
    let end = changelog[start + 1..].find("\n## ").map_or(changelog.len(), |at| start + 1 + at + 1);
    format!("{}{}", &changelog[..start + 1], &changelog[end..])
}

/// The configuration text with `client.version` set to `version` (the line rewritten in place,
/// comments kept; added after `crate_name:` when absent).
fn set_version(config: &str, version: &str) -> Result<String, String> {
    let lines: Vec<&str> = config.split_inclusive('\n').collect();
    let client = lines.iter().position(|line| line.trim_end() == "client:").ok_or("no `client:` section")?;
    let end = lines[client + 1..]
        .iter()
        .position(|line| !line.trim().is_empty() && !line.starts_with([' ', '#']))
        .map_or(lines.len(), |at| client + 1 + at);
    let field =
        |name: &str| (client + 1..end).find(|&i| lines[i].trim_start().starts_with(name) && lines[i].starts_with(' '));
    let mut out: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
    if let Some(i) = field("version:") {
        let indent = &lines[i][..lines[i].len() - lines[i].trim_start().len()];
        out[i] = format!("{indent}version: {version}\n");
    } else {
        let i = field("crate_name:").ok_or("no `client.crate_name`")?;
        let indent = &lines[i][..lines[i].len() - lines[i].trim_start().len()];
        out.insert(i + 1, format!("{indent}version: {version}\n"));
    }
    Ok(out.concat())
}

/// A recorded release of one crate.
#[derive(Debug, PartialEq)]
pub struct Release {
    pub crate_name: String,
    pub from_version: String,
    pub version: String,
    pub verdict: Verdict,
}

/// Records in `specs/` what `spec`'s document, now in the working tree, changed against
/// `old_text` (the previous document): prints the `discogen diff` summary, bumps
/// `client.version` and prepends a changelog entry dated `date`. Nothing when the revision is the
/// same or earlier, or the spec has no client; nothing again when the newest entry already records this
/// document; a newest entry from the same old document (the new one was replaced again before
/// a commit) is replaced, not stacked.
pub fn record(spec: &Spec, old_text: &str, date: &str) -> Result<Option<Release>, String> {
    let new_text = specs::read(&spec.document)?;
    if spec.openapi || new_text == old_text {
        return Ok(None);
    }
    let name = specs::display(&spec.document);
    let (old_revision, new_revision) = (revision(&name, old_text)?, revision(&name, &new_text)?);
    let config_text = specs::read(&spec.config)?;
    let config =
        discogen::config::Config::parse(&specs::display(&spec.config), &config_text).map_err(|e| e.to_string())?;
    let Some(client) = config.client.filter(|_| old_revision != new_revision) else { return Ok(None) };
    if !newer(&new_revision, &old_revision) {
        // A document put back to an earlier revision is not a release.
        println!("{}: revision {new_revision} is older than {old_revision}; not recorded", client.crate_name);
        return Ok(None);
    }
    let changelog_path = spec.changelog();
    let changelog = if changelog_path.is_file() { specs::read(&changelog_path)? } else { String::new() };
    let (old_sha, new_sha) = (sha256(old_text), sha256(&new_text));
    let (changelog, from_version) = match top_marker(&changelog) {
        Some(top) if top.to_sha256 == new_sha => {
            println!("{}: revision {new_revision} already recorded as {}", client.crate_name, client.version);
            return Ok(None);
        }
        Some(top) if top.from_sha256 == old_sha => (drop_top_entry(&changelog), top.from_version),
        _ => (changelog, client.version.clone()),
    };

    // Both generations as regeneration makes them: the old one with the names its committed
    // crate recorded, the new one keeping the old one's names (names stay put).
    let surface_of = |text: &str, previous| -> Result<(surface::Surface, NameRecord), String> {
        let (api, config) = specs::load_text(spec, text)?;
        let mut client = config.client.ok_or("no client")?;
        client.previous_names = previous;
        surface::surface_and_names(&api, &client).map_err(|e| e.to_string())
    };
    let root = spec.config.parent().and_then(Path::parent).unwrap_or(Path::new("."));
    let committed = specs::previous_names(&root.join("generated").join(&client.crate_name))?;
    let (old, names) = surface_of(old_text, committed)?;
    let (new, _) = surface_of(&new_text, Some(names))?;
    let changes = surface::diff(&old, &new);
    let verdict = Verdict::of(&changes);
    let version = bump(&from_version, verdict)?;
    let report = Report { crate_name: &client.crate_name, changes: &changes }.to_string();

    println!("{}: revision {old_revision} -> {new_revision} ({name})", client.crate_name);
    print!("{report}");
    println!("{}: {}, so {from_version} -> {version}", client.crate_name, verdict.describe());

    let document = spec.document.file_name().unwrap_or_default().to_string_lossy();
    let entry = format!(
        "## {version} ({date})\n\nDiscovery revision {old_revision} -> {new_revision}: {}, so {from_version} -> \
         {version}.\n\n```text\n{report}```\n\n{MARKER} from-version={from_version} from-sha256={old_sha} \
         to-sha256={new_sha} -->\n",
        verdict.describe()
    );
    let changelog = prepend(&changelog, &client.crate_name, &document, &entry);
    std::fs::write(&spec.config, set_version(&config_text, &version)?)
        .map_err(|e| format!("{}: {e}", specs::display(&spec.config)))?;
    std::fs::write(&changelog_path, changelog).map_err(|e| format!("{}: {e}", specs::display(&changelog_path)))?;
    Ok(Some(Release { crate_name: client.crate_name, from_version, version, verdict }))
}

/// The previous document of `spec`: its content in git's `HEAD`, if any.
pub fn committed_document(spec: &Spec) -> Option<String> {
    let dir = spec.document.parent()?;
    let file = spec.document.file_name()?.to_string_lossy();
    let output =
        std::process::Command::new("git").arg("-C").arg(dir).arg("show").arg(format!("HEAD:./{file}")).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

const TABLE_BEGIN: &str = "<!-- revisions: begin (cargo xtask update / regen rewrite this table) -->";
const TABLE_END: &str = "<!-- revisions: end -->";

/// Rewrites the machine-kept table of `specs/PROVENANCE.md` (added at the end when absent; the
/// prose is kept): every Discovery document under `specs/` with its revision, sha256 and
/// source. `sources` names where documents just written came from; other rows keep their source
/// while their sha256 is the same.
pub fn write_provenance(root: &Path, sources: &BTreeMap<String, String>) -> Result<(), String> {
    let path = root.join("specs/PROVENANCE.md");
    let (text, written) = provenance(root, sources)?;
    if written != text {
        std::fs::write(&path, written).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Part of `cargo xtask check`: fails when the table of `specs/PROVENANCE.md` does not list
/// every Discovery document under `specs/` with its revision and sha256 as committed.
pub fn check_provenance(root: &Path) -> Result<(), String> {
    let (text, written) = provenance(root, &BTreeMap::new())?;
    if text == written {
        return Ok(());
    }
    let stale: Vec<&str> = written.lines().filter(|line| line.starts_with("| `") && !text.contains(line)).collect();
    Err(format!(
        "specs/PROVENANCE.md does not match the documents under specs/ (run `cargo xtask regen`); rows it should have:\n{}",
        stale.join("\n")
    ))
}

/// The text of `specs/PROVENANCE.md` now, and with its table rewritten.
fn provenance(root: &Path, sources: &BTreeMap<String, String>) -> Result<(String, String), String> {
    let path = root.join("specs/PROVENANCE.md");
    let text = if path.is_file() { specs::read(&path)? } else { String::new() };
    let mut known: BTreeMap<String, (String, String)> = BTreeMap::new();
    let (before, after) = match (text.find(TABLE_BEGIN), text.find(TABLE_END)) {
        (Some(begin), Some(end)) if begin < end => {
            for row in text[begin..end].lines().filter(|line| line.starts_with("| `")) {
                let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
                if let [document, _, sha, source] = cells[..] {
                    let sha = sha.trim_matches('`');
                    known.insert(document.trim_matches('`').to_owned(), (sha.to_owned(), source.to_owned()));
                }
            }
            (text[..begin].to_owned(), text[end + TABLE_END.len()..].to_owned())
        }
        _ => {
            let heading = "\n# Revisions and sha256 of the committed documents\n\nKept by `cargo xtask update` \
                           (and `cargo xtask regen`): the documents under `specs/` as\ncommitted, with the sha256 \
                           of the file itself (not of the copy it was re-ordered from, above).\n\n";
            let prose = if text.is_empty() { String::new() } else { text.trim_end().to_owned() + "\n" };
            (prose + heading, "\n".to_owned())
        }
    };
    let mut table = format!("{TABLE_BEGIN}\n| document | revision | sha256 | source |\n|---|---|---|---|\n");
    for spec in specs::all_in(root)?.iter().filter(|spec| !spec.openapi) {
        let document = spec.document.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let content = specs::read(&spec.document)?;
        let sha = sha256(&content);
        let source = match (sources.get(&document), known.get(&document)) {
            (Some(source), _) => source.clone(),
            (None, Some((known_sha, source))) if *known_sha == sha => source.clone(),
            (None, Some(_)) => "changed in the working tree (no source recorded)".to_owned(),
            (None, None) => "see above".to_owned(),
        };
        let revision = revision(&document, &content)?;
        table.push_str(&format!("| `{document}` | {revision} | `{sha}` | {source} |\n"));
    }
    table.push_str(TABLE_END);
    let written = format!("{before}{table}{after}");
    Ok((text, written))
}

/// `cargo xtask regen` on the project at `root`: for each Discovery spec whose document differs
/// from git's `HEAD` by revision, the summary, bump and entry of [`record`]; the provenance
/// table; then `generated/`.
pub fn regen(root: &Path, date: &str) -> Result<(), String> {
    for spec in specs::all_in(root)? {
        if let Some(old) = committed_document(&spec) {
            record(&spec, &old, date)?;
        }
    }
    write_provenance(root, &BTreeMap::new())?;
    specs::generated_tree_in(root)?.write(&root.join("generated"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_as_cargo_reads_them() {
        use Verdict::*;
        let cases = [
            ("1.2.3", Breaking, "2.0.0"),
            ("1.2.3", Additions, "1.3.0"),
            ("1.2.3", Unchanged, "1.2.4"),
            ("0.1.0", Breaking, "0.2.0"),
            ("0.1.0", Additions, "0.1.1"),
            ("0.1.3", Unchanged, "0.1.4"),
            ("0.0.3", Breaking, "0.0.4"),
            ("0.0.3", Additions, "0.0.4"),
        ];
        for (from, verdict, to) in cases {
            assert_eq!(bump(from, verdict).unwrap(), to, "{from} {verdict:?}");
        }
        assert!(bump("1.0.0-beta.1", Breaking).is_err());
        assert!(bump("1.0", Breaking).is_err());
    }

    #[test]
    fn revisions_dates_and_digests() {
        assert!(newer("20251120", "20250814") && !newer("20250814", "20250814") && newer("10", "9"));
        let day = |n: u64| date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(n * 86_400 + 3_600));
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(20_427), "2025-12-05");
        assert_eq!(day(11_016), "2000-02-29");
        // FIPS 180-2's example.
        assert_eq!(sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn the_version_line_is_rewritten_in_place() {
        let config = "provider: google\nclient:\n  crate_name: x\n  # the crate\n  version: 0.1.0\n  features: true\n\
                      other:\n  version: 9\n";
        assert_eq!(set_version(config, "0.2.0").unwrap(), config.replace("0.1.0", "0.2.0"));
        let without = "client:\n  crate_name: x\n  features: true\n";
        assert_eq!(
            set_version(without, "0.1.1").unwrap(),
            "client:\n  crate_name: x\n  version: 0.1.1\n  features: true\n"
        );
    }

    #[test]
    fn entries_go_first_and_the_newest_can_be_replaced() {
        let one = prepend("", "c", "d.json", "## 0.2.0 (d)\n\nfirst\n");
        assert!(one.starts_with("# Changelog of c\n"), "{one}");
        let two = prepend(&one, "c", "d.json", "## 0.3.0 (d)\n\nsecond\n");
        assert!(two.find("## 0.3.0").unwrap() < two.find("## 0.2.0").unwrap(), "{two}");
        assert_eq!(drop_top_entry(&two), one);
        assert_eq!(drop_top_entry(&one), prepend("", "c", "d.json", ""));
    }
}
