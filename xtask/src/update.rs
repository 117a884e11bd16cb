//! `cargo xtask update`: newer Discovery documents into `specs/`, from a directory or a
//! Discovery directory service, recorded (revision, sha256, version bump, changelog entry) and
//! regenerated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::release;
use crate::specs;

/// Where the newer documents come from.
pub enum Source {
    /// A directory holding `<name>.<version>.json` files (e.g. google-api-python-client's
    /// `googleapiclient/discovery_cache/documents`).
    Dir(PathBuf),
    /// A URL with `{api}` and `{version}` in it, e.g. Google's
    /// `https://www.googleapis.com/discovery/v1/apis/{api}/{version}/rest`.
    Url(String),
}

impl Source {
    /// The newer document for the spec whose current document is `current` (file `file`), and
    /// how the provenance table names where it came from; `None` when the source has none.
    fn fetch(&self, file: &str, current: &serde_json::Value) -> Result<Option<(String, String)>, String> {
        match self {
            Source::Dir(dir) => {
                let path = dir.join(file);
                if !path.is_file() {
                    return Ok(None);
                }
                Ok(Some((specs::read(&path)?, format!("`{}`", path.display()))))
            }
            Source::Url(template) => {
                let field = |key: &str| current.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                let url = template.replace("{api}", &field("name")).replace("{version}", &field("version"));
                let output = std::process::Command::new("curl")
                    .args(["--silent", "--show-error", "--fail", "--location", "--max-time", "120", &url])
                    .output()
                    .map_err(|e| format!("curl {url}: {e}"))?;
                if !output.status.success() {
                    return Err(format!("curl {url}: {}", String::from_utf8_lossy(&output.stderr).trim()));
                }
                let text = String::from_utf8(output.stdout).map_err(|_| format!("{url}: not UTF-8"))?;
                Ok(Some((text, format!("<{url}>"))))
            }
        }
    }
}

/// Updates the Discovery specs of the project at `root` (only the one named `only`, by its
/// configuration's or document's name, when given) from `source`; `date` dates the changelog
/// entries.
pub fn run(root: &Path, source: &Source, only: Option<&str>, date: &str) -> Result<(), String> {
    let mut sources = BTreeMap::new();
    let mut matched = false;
    for spec in specs::all_in(root)?.into_iter().filter(|spec| !spec.openapi) {
        let file = spec.document.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let stem = spec.config.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        if only.is_some_and(|only| only != stem && only != file) {
            continue;
        }
        matched = true;
        let old_text = specs::read(&spec.document)?;
        let current: serde_json::Value =
            serde_json::from_str(&old_text).map_err(|e| format!("{}: {e}", specs::display(&spec.document)))?;
        let Some((new_text, from)) = source.fetch(&file, &current)? else {
            println!("{file}: not in the source; kept");
            continue;
        };
        let new: serde_json::Value = serde_json::from_str(&new_text).map_err(|e| format!("{from}: not JSON: {e}"))?;
        for key in ["name", "version"] {
            if new.get(key) != current.get(key) {
                return Err(format!("{from}: `{key}` is {}, not {} as in {file}", new[key], current[key]));
            }
        }
        let (old_revision, new_revision) = (release::revision(&file, &old_text)?, release::revision(&from, &new_text)?);
        if !release::newer(&new_revision, &old_revision) {
            println!("{file}: revision {new_revision} is not newer than {old_revision}; kept");
            continue;
        }
        std::fs::write(&spec.document, &new_text).map_err(|e| format!("{}: {e}", specs::display(&spec.document)))?;
        println!("{file}: revision {old_revision} -> {new_revision} from {from}");
        release::record(&spec, &old_text, date)?;
        sources.insert(file, format!("{from}, {date}"));
    }
    if let (Some(only), false) = (only, matched) {
        return Err(format!("--only {only}: no Discovery spec of that name under specs/"));
    }
    release::write_provenance(root, &sources)?;
    specs::generated_tree_in(root)?.write(&root.join("generated"))
}

/// `update` and `regen` on a small project in a temporary directory (never the real `specs/`):
/// synthetic revisions of one API, each change known to be breaking, additive or neither.
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const DATE: &str = "2026-12-05";

    /// Revision `revision` of a small API; `edit` changes it.
    fn document(revision: &str, edit: impl FnOnce(&mut Value)) -> String {
        let mut doc = json!({
            "kind": "discovery#restDescription", "name": "shop", "version": "v1", "title": "Shop",
            "rootUrl": "https://shop.example.com/", "servicePath": "", "revision": revision,
            "schemas": {"Item": {"id": "Item", "type": "object", "properties": {
                "name": {"type": "string"}, "count": {"type": "integer", "format": "int32"}}}},
            "resources": {"items": {"methods": {
                "get": {"id": "shop.items.get", "path": "items/{item}", "httpMethod": "GET",
                    "parameterOrder": ["item"], "response": {"$ref": "Item"},
                    "parameters": {"item": {"type": "string", "location": "path", "required": true}}},
                "purge": {"id": "shop.items.purge", "path": "items:purge", "httpMethod": "POST"}}}}
        });
        edit(&mut doc);
        serde_json::to_string_pretty(&doc).unwrap()
    }

    fn first() -> String {
        document("20250101", |_| {})
    }
    /// A method removed: breaking.
    fn breaking(revision: &str) -> String {
        document(revision, |doc| {
            doc["resources"]["items"]["methods"].as_object_mut().unwrap().remove("purge");
        })
    }
    /// A field added to the document [`breaking`] wrote: compatible.
    fn addition(revision: &str) -> String {
        document(revision, |doc| {
            doc["resources"]["items"]["methods"].as_object_mut().unwrap().remove("purge");
            doc["schemas"]["Item"]["properties"]["color"] = json!({"type": "string"});
        })
    }

    const PROSE: &str = "# shop.v1.json\n\nWhere the document came from, by hand.\n";

    /// A project with one spec at revision `first()`, version 0.1.0, committed in git.
    fn project(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-update-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("specs")).unwrap();
        std::fs::create_dir_all(root.join("incoming")).unwrap();
        std::fs::write(root.join("specs/shop.v1.json"), first()).unwrap();
        let config = "provider: google\ndiscovery: shop.v1.json\nclient:\n  crate_name: google-shop-v1\n  # bumped by \
                      the tasks\n  version: 0.1.0\n";
        std::fs::write(root.join("specs/shop.yaml"), config).unwrap();
        std::fs::write(root.join("specs/PROVENANCE.md"), PROSE).unwrap();
        git(&root, &["init", "--quiet"]);
        git(&root, &["add", "specs"]);
        git(&root, &["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "first"]);
        root
    }

    fn git(root: &Path, args: &[&str]) {
        let status = std::process::Command::new("git").arg("-C").arg(root).args(args).status().unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn read(root: &Path, path: &str) -> String {
        std::fs::read_to_string(root.join(path)).unwrap_or_default()
    }

    /// The inputs the tasks keep: config, changelog, provenance and document.
    fn inputs(root: &Path) -> [String; 4] {
        ["specs/shop.yaml", "specs/shop.CHANGELOG.md", "specs/PROVENANCE.md", "specs/shop.v1.json"]
            .map(|p| read(root, p))
    }

    fn version(root: &Path) -> String {
        let config = read(root, "specs/shop.yaml");
        config.lines().find_map(|l| l.strip_prefix("  version: ")).unwrap().to_owned()
    }

    fn update_from(root: &Path, text: &str) {
        std::fs::write(root.join("incoming/shop.v1.json"), text).unwrap();
        run(root, &Source::Dir(root.join("incoming")), None, DATE).unwrap();
    }

    /// sha256 by coreutils, not by the code under test.
    fn sha256sum(path: &Path) -> String {
        let output = std::process::Command::new("sha256sum").arg(path).output().unwrap();
        String::from_utf8(output.stdout).unwrap().split_whitespace().next().unwrap().to_owned()
    }

    #[test]
    fn update_bumps_by_the_verdict_writes_the_changelog_and_provenance_once() {
        let root = project("update");
        update_from(&root, &breaking("20250201"));
        assert_eq!(version(&root), "0.2.0", "breaking: minor, below 1.0");
        let changelog = read(&root, "specs/shop.CHANGELOG.md");
        assert!(changelog.starts_with("# Changelog of google-shop-v1\n"), "{changelog}");
        assert!(
            changelog.contains(
                "## 0.2.0 (2026-12-05)\n\nDiscovery revision 20250101 -> 20250201: breaking changes, so 0.1.0 -> 0.2.0."
            ),
            "{changelog}"
        );
        assert!(
            changelog
                .contains("google-shop-v1: 1 breaking, 0 compatible\nbreaking   removed  method client.items().purge"),
            "{changelog}"
        );
        // The crate carries the changelog and the version.
        assert_eq!(read(&root, "generated/google-shop-v1/CHANGELOG.md"), changelog);
        assert!(read(&root, "generated/google-shop-v1/Cargo.toml").contains("\nversion = \"0.2.0\"\n"));
        // Provenance: the prose kept, the document's revision and the file's own sha256.
        let provenance = read(&root, "specs/PROVENANCE.md");
        assert!(provenance.starts_with(PROSE), "{provenance}");
        let row = format!("| `shop.v1.json` | 20250201 | `{}` | `", sha256sum(&root.join("specs/shop.v1.json")));
        assert!(provenance.contains(&row), "{row} not in\n{provenance}");

        // The same source again: not newer, nothing changes. regen sees the entry for it.
        let before = inputs(&root);
        update_from(&root, &breaking("20250201"));
        release::regen(&root, "2026-12-06").unwrap();
        assert_eq!(inputs(&root), before);

        // Only additions: patch, below 1.0; the entry goes first.
        update_from(&root, &addition("20250301"));
        assert_eq!(version(&root), "0.2.1");
        let changelog = read(&root, "specs/shop.CHANGELOG.md");
        let (new, old) = (changelog.find("## 0.2.1 (").unwrap(), changelog.find("## 0.2.0 (").unwrap());
        assert!(new < old, "{changelog}");
        assert!(changelog.contains("20250201 -> 20250301: additions only (compatible), so 0.2.0 -> 0.2.1."));
        assert!(changelog.contains("compatible added    field Item.color: String"), "{changelog}");
        assert!(read(&root, "specs/PROVENANCE.md")
            .contains(&format!("| 20250301 | `{}` |", sha256sum(&root.join("specs/shop.v1.json")))));

        // A newer revision with the same public API: patch. An older one: kept.
        update_from(&root, &addition("20250401").replace("\"Shop\"", "\"The shop\""));
        assert_eq!(version(&root), "0.2.2");
        assert!(read(&root, "specs/shop.CHANGELOG.md").contains("no change to the public API, so 0.2.1 -> 0.2.2."));
        let before = inputs(&root);
        update_from(&root, &breaking("20250115"));
        assert_eq!(inputs(&root), before);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn check_fails_when_provenance_does_not_match_the_documents() {
        let root = project("provenance-check");
        // The prose alone, no table yet: stale.
        let error = release::check_provenance(&root).unwrap_err();
        assert!(error.contains("| `shop.v1.json` | 20250101 |"), "{error}");
        update_from(&root, &breaking("20250201"));
        release::check_provenance(&root).unwrap();
        // The document edited by hand after the update: its sha256 no longer matches.
        let edited = read(&root, "specs/shop.v1.json").replace("\"Shop\"", "\"Shop!\"");
        std::fs::write(root.join("specs/shop.v1.json"), edited).unwrap();
        let error = release::check_provenance(&root).unwrap_err();
        let sha = sha256sum(&root.join("specs/shop.v1.json"));
        assert!(error.contains(&format!("| `shop.v1.json` | 20250201 | `{sha}` |")), "{error}");
        release::regen(&root, DATE).unwrap();
        release::check_provenance(&root).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn regen_records_a_revision_against_git_head_once() {
        let root = project("regen");
        // Nothing differs from HEAD: no bump, no entry.
        release::regen(&root, DATE).unwrap();
        assert_eq!(version(&root), "0.1.0");
        assert!(!root.join("specs/shop.CHANGELOG.md").exists());
        assert!(read(&root, "specs/PROVENANCE.md").contains("| `shop.v1.json` | 20250101 |"));

        std::fs::write(root.join("specs/shop.v1.json"), addition("20250201")).unwrap();
        release::regen(&root, DATE).unwrap();
        assert_eq!(version(&root), "0.2.0", "a method removed, a field added: breaking");
        let once = inputs(&root);
        release::regen(&root, DATE).unwrap();
        assert_eq!(inputs(&root), once, "a second regen bumps nothing");

        // Replaced again before a commit: the entry is redone from HEAD, not stacked.
        std::fs::write(root.join("specs/shop.v1.json"), document("20250301", |_| {})).unwrap();
        release::regen(&root, DATE).unwrap();
        assert_eq!(version(&root), "0.1.1");
        let changelog = read(&root, "specs/shop.CHANGELOG.md");
        assert_eq!(changelog.matches("\n## ").count(), 1, "{changelog}");
        assert!(changelog.contains("20250101 -> 20250301: no change to the public API, so 0.1.0 -> 0.1.1."));
        assert_eq!(read(&root, "generated/google-shop-v1/CHANGELOG.md"), changelog);

        // Put back to an earlier revision than HEAD's: not a release.
        git(&root, &["add", "specs"]);
        git(&root, &["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "second"]);
        let committed = inputs(&root);
        std::fs::write(root.join("specs/shop.v1.json"), first()).unwrap();
        release::regen(&root, DATE).unwrap();
        assert_eq!(version(&root), "0.1.1");
        assert_eq!(read(&root, "specs/shop.CHANGELOG.md"), committed[1]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn update_reads_a_discovery_directory_service() {
        let root = project("url");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            use std::io::{BufRead, Write};
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = String::new();
            std::io::BufReader::new(&stream).read_line(&mut request).unwrap();
            let body = breaking("20250201");
            let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
            stream.write_all(reply.as_bytes()).unwrap();
            request
        });
        let url = format!("http://127.0.0.1:{port}/discovery/v1/apis/{{api}}/{{version}}/rest");
        run(&root, &Source::Url(url), Some("shop"), DATE).unwrap();
        assert!(server.join().unwrap().starts_with("GET /discovery/v1/apis/shop/v1/rest "));
        assert_eq!(version(&root), "0.2.0");
        let provenance = read(&root, "specs/PROVENANCE.md");
        assert!(
            provenance.contains(&format!("<http://127.0.0.1:{port}/discovery/v1/apis/shop/v1/rest>, {DATE} |")),
            "{provenance}"
        );
        assert!(run(&root, &Source::Dir(root.join("incoming")), Some("nothing"), DATE).is_err());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
