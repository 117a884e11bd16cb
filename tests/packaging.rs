//! Generated crates are real packages: they take the runtime by version, by path only where
//! asked, and carry a package page.

use std::process::Command;

use discogen_tests::{discogen_binary, read, root};

fn runtime_version() -> String {
    let manifest = read("runtime/Cargo.toml");
    let line = manifest.lines().find(|l| l.starts_with("version = ")).expect("runtime/Cargo.toml has a version");
    line.trim_start_matches("version = ").trim_matches('"').to_owned()
}

#[test]
fn generated_crates_name_the_runtime_version_the_repository_has() {
    assert_eq!(discogen::rust::RUNTIME_VERSION, runtime_version());
    let manifest = read("generated/google-aiplatform-v1/Cargo.toml");
    let expected = format!(
        "discogen-runtime = {{ version = \"{}\", path = \"../../runtime\", default-features = false }}",
        runtime_version()
    );
    assert!(manifest.lines().any(|l| l == expected), "no `{expected}` in the committed crate's Cargo.toml");
}

fn manifest_line<'a>(manifest: &'a str, key: &str) -> &'a str {
    manifest.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no `{key}` line in\n{manifest}"))
}

#[test]
fn a_crate_written_anywhere_depends_on_the_runtime_by_version_or_by_the_path_asked_for() {
    let out = std::env::temp_dir().join(format!("discogen-packaging-{}", std::process::id()));
    let crate_dir = out.join("nested").join("google-aiplatform-v1");
    let run = |extra: &[&str]| {
        let mut command = Command::new(discogen_binary());
        command.args(["client", "--config"]).arg(root().join("specs/aiplatform.yaml")).arg("--out").arg(&crate_dir);
        let output = command.args(extra).output().expect("run discogen");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("Cargo.toml written")
    };

    let by_version = run(&[]);
    assert_eq!(
        manifest_line(&by_version, "discogen-runtime"),
        format!("discogen-runtime = {{ version = \"{}\", default-features = false }}", runtime_version())
    );

    // A relative --runtime-path is taken from the working directory, then made relative to the crate.
    std::fs::create_dir_all(out.join("runtime")).unwrap();
    std::fs::write(out.join("runtime/Cargo.toml"), "[package]\n").unwrap();
    let by_path = run(&["--runtime-path", out.join("nested/../runtime").to_str().unwrap()]);
    assert_eq!(
        manifest_line(&by_path, "discogen-runtime"),
        format!(
            "discogen-runtime = {{ version = \"{}\", path = \"../../runtime\", default-features = false }}",
            runtime_version()
        )
    );

    let readme = std::fs::read_to_string(crate_dir.join("README.md")).expect("README.md written");
    assert!(readme.starts_with("# google-aiplatform-v1\n"), "{readme}");
    assert!(readme.contains("use google_aiplatform_v1::{Client, LocationName, TryStreamExt};"), "{readme}");
    assert!(readme.contains("| `notebook-execution-jobs` | `projects.locations.notebookExecutionJobs` |"));
    let lib = std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap();
    assert!(lib.contains("#![doc = include_str!(\"../README.md\")]"), "the package page is the crate's front page");

    // A directory that is not a crate is refused, naming the flag.
    let mut command = Command::new(discogen_binary());
    command.args(["client", "--config"]).arg(root().join("specs/aiplatform.yaml")).arg("--out").arg(&crate_dir);
    let refused = command.args(["--runtime-path", out.join("nested").to_str().unwrap()]).output().unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--runtime-path") && stderr.contains("has no Cargo.toml"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}

/// The crates `cargo tree` lists for the committed aiplatform client with `features`
/// (normal dependencies, the crate itself included), as "name version".
fn dependency_tree(features: &[&str]) -> std::collections::BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(["tree", "--locked", "-p", "google-aiplatform-v1", "-e", "normal", "--prefix", "none"]);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command.current_dir(root()).output().expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect()
}

#[test]
fn the_default_client_stays_under_100_crates_and_tracing_adds_at_most_5() {
    let default = dependency_tree(&[]);
    assert!(default.len() < 100, "{} crates at default features: {default:?}", default.len());
    assert!(default.iter().any(|c| c.starts_with("discogen-runtime ")), "the tree is the client's: {default:?}");
    let traced = dependency_tree(&["tracing"]);
    let added: Vec<&String> = traced.difference(&default).collect();
    assert!(added.len() <= 5, "the tracing feature adds {added:?}");
    assert!(traced.iter().any(|c| c.starts_with("tracing ")), "tracing is in the traced tree: {traced:?}");
}

/// The crates of `package`'s normal dependency tree with `features`, by name.
fn tree(package: &str, features: &[&str]) -> std::collections::BTreeSet<String> {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "--locked", "-e", "normal", "--prefix", "none", "-p", package])
        .args(features)
        .current_dir(root())
        .output()
        .expect("run cargo tree");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_generated_crates_tls_features_choose_the_backend() {
    let backends = ["ring", "aws-lc-rs", "native-tls", "openssl", "rustls"];
    let chosen = |features: &[&str]| -> Vec<&str> {
        let crates = tree("google-storage-v1", features);
        backends.into_iter().filter(|name| crates.contains(*name)).collect()
    };
    assert_eq!(chosen(&[]), ["ring", "rustls"], "the default: rustls with ring");
    let only = |feature| ["--no-default-features", "--features", feature];
    assert_eq!(chosen(&only("rustls-aws-lc")), ["aws-lc-rs", "rustls"]);
    assert_eq!(chosen(&only("rustls-ring")), ["ring", "rustls"]);
    assert_eq!(chosen(&only("native-tls")), ["native-tls", "openssl"]);
}
