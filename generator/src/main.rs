//! `discogen`: the command-line front end. Reads files, runs the pipeline, writes output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use discogen::docs::Profile;
use discogen::pipeline::{self, Input};
use discogen::{output, Error};

#[derive(Parser)]
#[command(name = "discogen", version, about = "Generate code and documentation from Google Discovery documents")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write StackQL resource pages: OUT/<service>/index.md and OUT/<service>/<resource>/index.md.
    Docs {
        /// The Discovery document (defaults to the one named by the configuration).
        #[arg(long, conflicts_with = "openapi")]
        discovery: Option<PathBuf>,
        /// An OpenAPI 3.0/3.1 document, JSON or YAML, instead: a StackQL provider spec's
        /// `x-stackQL-resources` are rendered as they are, with no overrides.
        #[arg(long)]
        openapi: Option<PathBuf>,
        /// Generator configuration (YAML). Without it: no overrides, provider `google`.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// `stackql`: StackQL's published pages byte for byte (the seed's format); `clean`: the
        /// same pages without StackQL's rendering defects; `stackql-0.7`: StackQL's current
        /// format, from provider specs (see the guide, StackQL pages).
        #[arg(long, default_value_t = Profile::Stackql)]
        profile: Profile,
    },
    /// Write a Rust client crate into OUT (Cargo.toml, src/...).
    Client {
        /// The Discovery document (defaults to the one named by the configuration).
        #[arg(long, conflicts_with = "openapi")]
        discovery: Option<PathBuf>,
        /// An OpenAPI 3.0/3.1 document, JSON or YAML, instead.
        #[arg(long)]
        openapi: Option<PathBuf>,
        /// Generator configuration (YAML); its `client:` section selects resources and types.
        /// Without it: every resource, crate `google-<name>-<version>`.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The crate directory.
        #[arg(long)]
        out: PathBuf,
        /// A local discogen-runtime checkout: the crate then depends on it by path (relative to
        /// OUT) as well as by version, for development before the runtime is published.
        #[arg(long, value_name = "DIR")]
        runtime_path: Option<PathBuf>,
    },
    /// The change in the generated client's public API between two revisions of a document:
    /// every item added, removed or changed, classed breaking or compatible. Exits with 2 when
    /// something is breaking, 0 otherwise.
    Diff {
        /// The old and the new Discovery document (the option twice, old first).
        #[arg(long, num_args = 1, action = clap::ArgAction::Append, conflicts_with = "openapi")]
        discovery: Vec<PathBuf>,
        /// The old and the new OpenAPI document instead.
        #[arg(long, num_args = 1, action = clap::ArgAction::Append)]
        openapi: Vec<PathBuf>,
        /// Generator configuration (YAML) used for both.
        #[arg(long)]
        config: Option<PathBuf>,
        /// JSON for tools instead of text for people.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    grow_heap_in_large_steps();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// glibc grows a heap 128 KiB at a time and hands memory back whenever that much is free at its
/// top, and gives each allocation of 128 KiB or more (the document's text, its line list, a
/// page) pages of its own from `mmap`: a run that builds ~30 MiB out of hundreds of thousands
/// of allocations (the provider spec's tree, the IR, the pages) pays for a thousand system
/// calls and the page faults of fresh memory after each. Growing 64 MiB at a time and keeping
/// allocations up to 32 MiB (glibc's maximum) in the heap (address space: pages never touched
/// are never resident, peak RSS is unchanged) took 10-15 % off the provider-spec path's CPU
/// time (issue 27). A process setting only: the library leaves the allocator alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn grow_heap_in_large_steps() {
    const M_TOP_PAD: std::ffi::c_int = -2;
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: glibc's `mallopt` only sets a tuning parameter of malloc (under malloc's own
    // lock); both values are in range. A failure (result 0) keeps the default: nothing to do.
    unsafe {
        mallopt(M_TOP_PAD, 64 << 20);
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn grow_heap_in_large_steps() {}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Read { path: path.to_owned(), source })
}

/// Which reader a document goes through.
#[derive(Clone, Copy)]
enum Format {
    Discovery,
    OpenApi,
}

/// What both commands read: the API document and the optional configuration.
struct Inputs {
    format: Format,
    document_name: String,
    document_text: String,
    config: Option<(String, String)>,
}

impl Inputs {
    fn read(document: Option<(Format, PathBuf)>, config: Option<PathBuf>) -> Result<Inputs, Error> {
        let config_text = config.as_deref().map(read).transpose()?;
        let (format, document) = match document {
            Some(named) => named,
            None => document_from_config(config.as_deref(), config_text.as_deref())?,
        };
        Ok(Inputs {
            format,
            document_text: read(&document)?,
            document_name: document.display().to_string(),
            config: config.map(|p| p.display().to_string()).zip(config_text),
        })
    }

    /// The IR and the configuration it was built with; a Discovery document's StackQL model by
    /// the converter rules of the pages asked for.
    fn load(&self, rules: discogen::stackql::Rules) -> Result<(discogen::ir::Api, discogen::config::Config), Error> {
        let config = self.config.as_ref().map(|(name, text)| Input { name, text });
        let document = Input { name: &self.document_name, text: &self.document_text };
        match self.format {
            Format::Discovery => pipeline::load_with(document, config, rules),
            // The process exits after its output: the document need not be freed.
            Format::OpenApi => pipeline::load_openapi_then_exit(document, config),
        }
    }
}

/// `--discovery FILE` or `--openapi FILE`, if either was given.
fn named_document(discovery: Option<PathBuf>, openapi: Option<PathBuf>) -> Option<(Format, PathBuf)> {
    discovery.map(|path| (Format::Discovery, path)).or(openapi.map(|path| (Format::OpenApi, path)))
}

use discogen::rust::record::NameRecord;
use discogen::rust::surface::Surface;

/// Prints the change between the two documents; `true` when something is breaking.
fn diff(discovery: Vec<PathBuf>, openapi: Vec<PathBuf>, config: Option<PathBuf>, json: bool) -> Result<bool, Error> {
    let (format, documents) =
        if openapi.is_empty() { (Format::Discovery, discovery) } else { (Format::OpenApi, openapi) };
    let [old, new] = <[PathBuf; 2]>::try_from(documents).map_err(|given| Error::Config {
        file: "(command line)".to_owned(),
        location: "--discovery / --openapi".to_owned(),
        message: format!("give the old and the new document (two of them, old first), not {}", given.len()),
    })?;
    // The new revision is generated as `cargo xtask regen` would after the old one: keeping
    // the names the old generation chose.
    let surface = |path: PathBuf, previous: Option<NameRecord>| -> Result<(Surface, NameRecord), Error> {
        // The StackQL rules shape only pages; the client is the same under either.
        let rules = discogen::stackql::Rules::Seed;
        let (api, config) = Inputs::read(Some((format, path)), config.clone())?.load(rules)?;
        let mut client = pipeline::client_config(&api, &config);
        client.previous_names = previous;
        discogen::rust::surface::surface_and_names(&api, &client)
    };
    let (old, names) = surface(old, None)?;
    let (new, _) = surface(new, Some(names))?;
    let changes = discogen::rust::surface::diff(&old, &new);
    if json {
        println!("{:#}", discogen::rust::surface::json(&new.crate_name, &changes));
    } else {
        print!("{}", discogen::rust::surface::Report { crate_name: &new.crate_name, changes: &changes });
    }
    Ok(changes.iter().any(|change| change.breaking()))
}

fn run(command: Command) -> Result<ExitCode, Error> {
    /// What to write: a client (with the runtime path asked for) or docs in a profile.
    enum Job {
        Client(Option<PathBuf>),
        Docs(Profile),
    }
    let (inputs, out, job) = match command {
        Command::Client { discovery, openapi, config, out, runtime_path } => {
            (Inputs::read(named_document(discovery, openapi), config)?, out, Job::Client(runtime_path))
        }
        Command::Docs { discovery, openapi, config, out, profile } => {
            (Inputs::read(named_document(discovery, openapi), config)?, out, Job::Docs(profile))
        }
        Command::Diff { discovery, openapi, config, json } => {
            let breaking = diff(discovery, openapi, config, json)?;
            return Ok(if breaking { ExitCode::from(2) } else { ExitCode::SUCCESS });
        }
    };
    let rules = match &job {
        Job::Docs(profile) if profile.is_current() => discogen::stackql::Rules::Current,
        _ => discogen::stackql::Rules::Seed,
    };
    let (api, config) = inputs.load(rules)?;
    for warning in &api.warnings {
        eprintln!("warning: {warning}");
    }
    let files = match job {
        Job::Client(runtime_path) => {
            let mut client = pipeline::client_config(&api, &config);
            client.runtime_path = runtime_path.map(|dir| runtime_dependency_path(&out, &dir)).transpose()?;
            client.previous_names = output::read_names(&out)?;
            discogen::rust::render(&api, &client)?
        }
        Job::Docs(profile) => discogen::docs::render_profile(&api, profile)?,
    };
    output::write_tree(&out, &files)?;
    eprintln!("wrote {} files under {}", files.len(), out.display());
    // The process ends here: skip freeing the IR and the output piece by piece (about a sixth
    // of the run time of the docs step for aiplatform).
    std::mem::forget((api, files, inputs));
    Ok(ExitCode::SUCCESS)
}

/// `runtime` as seen from the crate directory `out` (relative when they share a root).
fn runtime_dependency_path(out: &Path, runtime: &Path) -> Result<String, Error> {
    let absolute =
        |path: &Path| std::path::absolute(path).map_err(|source| Error::Read { path: path.to_owned(), source });
    let (out, runtime) = (absolute(out)?, absolute(runtime)?);
    if !runtime.join("Cargo.toml").is_file() {
        return Err(Error::Config {
            file: "(command line)".to_owned(),
            location: "--runtime-path".to_owned(),
            message: format!("{} has no Cargo.toml: name the discogen-runtime crate directory", runtime.display()),
        });
    }
    let path = discogen::output::relative_path(&out, &runtime).unwrap_or(runtime);
    Ok(path.display().to_string())
}

fn document_from_config(config: Option<&Path>, text: Option<&str>) -> Result<(Format, PathBuf), Error> {
    let missing = || {
        Error::Config {
        file: config.map_or_else(|| "(command line)".to_owned(), |p| p.display().to_string()),
        location: "discovery".to_owned(),
        message: "no API document: pass --discovery FILE (or --openapi FILE) or set `discovery:` (or `openapi:`) in the configuration".to_owned(),
    }
    };
    let (config, text) = config.zip(text).ok_or_else(missing)?;
    let parsed = discogen::config::Config::parse(&config.display().to_string(), text)?;
    let (format, relative) = named_document(parsed.discovery, parsed.openapi).ok_or_else(missing)?;
    Ok((format, config.parent().unwrap_or(Path::new(".")).join(relative)))
}
