//! `cargo check` of generated crates in one scratch workspace, warnings denied: shared by the
//! Discovery and OpenAPI corpus runs.

use std::path::Path;
use std::time::Instant;

use crate::specs;

/// Writes the workspace manifest naming `members` (paths relative to `workspace`), copies the
/// project's lock file and runs `cargo check` on every member with every feature but the
/// other TLS backends ([`feature_args`]).
pub fn cargo_check(
    workspace: &Path,
    members: &[String],
    extra_args: &[&str],
    target_dir: Option<&Path>,
) -> Result<(), String> {
    let root = specs::project_root();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The project's lock file pins the runtime's dependencies to the versions CI tested.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| e.to_string())?;
    println!("\ncargo check of {} generated crates (warnings denied)", members.len());
    let started = Instant::now();
    let mut command = specs::cargo();
    // Every feature: big APIs without a configuration have per-resource features.
    command.args(["check", "--workspace", "--quiet"]).args(feature_args(workspace, members)?).args(extra_args);
    if let Some(dir) = target_dir {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let status = command
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(workspace)
        .status()
        .map_err(|e| format!("cargo check: {e}"))?;
    println!("cargo check took {:.1} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err("a generated crate does not pass cargo check".to_owned())
    }
}

/// The TLS backends a generated crate offers beside its default (`rustls-ring`). They only
/// choose the runtime's TLS library (no generated line depends on them), and CI builds and
/// tests the runtime with each; here they cost a C build of aws-lc and OpenSSL's bindings in
/// the scratch target directory, about a minute of CI.
const OTHER_TLS_BACKENDS: [&str; 2] = ["rustls-aws-lc", "native-tls"];

/// `--features` naming every feature any member declares, less [`OTHER_TLS_BACKENDS`]: what
/// `--all-features` would check of the generated code. Cargo applies each name to the
/// selected members that have it.
pub fn feature_args(workspace: &Path, members: &[String]) -> Result<Vec<String>, String> {
    let mut features = std::collections::BTreeSet::new();
    for member in members {
        let manifest = workspace.join(member.trim_matches('"')).join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
        features.extend(declared_features(&text).filter(|name| !OTHER_TLS_BACKENDS.contains(name)).map(str::to_owned));
    }
    Ok(match features.is_empty() {
        true => Vec::new(),
        false => vec!["--features".to_owned(), features.into_iter().collect::<Vec<_>>().join(",")],
    })
}

/// The names of a manifest's `[features]` table, as the generator writes it: one
/// `name = [...]` per line at the start of the line, arrays continued on indented lines.
fn declared_features(manifest: &str) -> impl Iterator<Item = &str> {
    let mut in_features = false;
    manifest.lines().filter_map(move |line| {
        if line.starts_with('[') {
            in_features = line.trim_end() == "[features]";
            return None;
        }
        let (name, _) = line.split_once('=')?;
        let name = name.trim_end();
        let plain = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        (in_features && plain).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_features_are_the_keys_of_the_features_table_only() {
        let manifest = "[package]\nname = \"corpus-x\"\n\n[features]\ndefault = [\"rustls-ring\", \"a\"]\n\
                        # A comment = not a feature\nadc = [\"discogen-runtime/adc\"]\nfull = [\n    \"a\",\n    \"b-c\",\n]\n\
                        a = []\nb-c = []\n\n[dependencies]\nserde = \"1\"\n";
        let names: Vec<&str> = declared_features(manifest).collect();
        assert_eq!(names, ["default", "adc", "full", "a", "b-c"]);
    }

    #[test]
    fn feature_args_name_every_feature_but_the_other_tls_backends() {
        let workspace = std::env::temp_dir().join(format!("xtask-features-{}", std::process::id()));
        for (member, features) in
            [("one", "full = [\"x\"]\nx = []\nnative-tls = []\n"), ("two", "rustls-aws-lc = []\nadc = []\n")]
        {
            std::fs::create_dir_all(workspace.join(member)).unwrap();
            std::fs::write(workspace.join(member).join("Cargo.toml"), format!("[features]\n{features}")).unwrap();
        }
        let args = feature_args(&workspace, &["\"one\"".to_owned(), "\"two\"".to_owned()]);
        let _ = std::fs::remove_dir_all(&workspace);
        assert_eq!(args.unwrap(), ["--features", "adc,full,x"]);
    }
}
