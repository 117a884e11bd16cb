//! `cargo` for builds started from inside another cargo process (a test, an xtask).

use std::process::Command;

/// `cargo`, without the variables cargo gave this process about its own package
/// (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, ...). Build scripts that watch them (ring's does)
/// would otherwise run again, and every crate above them rebuild, whenever one target
/// directory is built from two places: the conformance test and `cargo xtask conformance`,
/// or an xtask and a cargo typed in the shell.
pub fn cargo_command() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let is_package_identity = name.to_str().is_some_and(|name| {
            name.starts_with("CARGO_PKG_")
                || matches!(
                    name,
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_MANIFEST_LINKS"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "OUT_DIR"
                )
        });
        if is_package_identity {
            command.env_remove(name);
        }
    }
    command
}
