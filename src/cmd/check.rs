//! `cairn check`: find every problem in the site before publishing.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use cairn::diagnostics::{Diagnostic, Diagnostics, count};
use clap::Args;

/// Arguments of `cairn check`.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when there are no errors (warnings allowed unless --strict), 1 otherwise, 2 on usage errors."
)]
pub(crate) struct CheckArgs {
    /// The site folder (default: this folder or the nearest one above it with site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Also check links to other sites (off by default: it needs the network).
    #[arg(long)]
    external: bool,
    /// Treat warnings (accessibility, descriptions, duplicate titles) as errors.
    #[arg(long)]
    strict: bool,
    /// Seconds an external request may take.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    timeout: u64,
    /// External requests in flight at once.
    #[arg(long, default_value_t = 8, value_name = "N")]
    concurrency: usize,
    /// Pause between two requests to the same host, in milliseconds.
    #[arg(long, default_value_t = 500, value_name = "MS")]
    host_delay: u64,
    /// With --external, also probe links to private and local addresses (localhost, 10.x,
    /// 192.168.x…), with HEAD only. Off by default, so a site's links cannot map your network.
    #[arg(long, requires = "external")]
    allow_private: bool,
}

/// Checks the site and prints the problems grouped by file, then what was checked.
pub(crate) fn run(args: CheckArgs) -> ExitCode {
    let root = match super::site_root(args.root.clone()) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let report = cairn::check::check(&check_options(&args, root));
    print_by_file(&report.problems, super::use_color());
    let external = if args.external {
        format!(", {}", count(report.external, "external URL"))
    } else {
        String::new()
    };
    eprintln!(
        "Checked {} and {}{external}: {}.",
        count(report.pages, "page"),
        count(report.references, "reference"),
        report.problems.tally()
    );
    if report.problems.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn check_options(args: &CheckArgs, root: PathBuf) -> cairn::check::CheckOptions {
    cairn::check::CheckOptions {
        build: cairn::BuildOptions {
            root,
            output: None,
            drafts: args.drafts,
            base_url: None,
            fingerprint: true,
        },
        strict: args.strict,
        external: args.external.then(|| cairn::check::ExternalOptions {
            timeout: Duration::from_secs(args.timeout.max(1)),
            concurrency: args.concurrency.max(1),
            host_delay: Duration::from_millis(args.host_delay),
            allow_private: args.allow_private,
        }),
    }
}

/// Each file's problems under a heading with their number; `problems` is sorted by file.
fn print_by_file(problems: &Diagnostics, color: bool) {
    for group in problems.chunk_by(|a, b| file_of(a) == file_of(b)) {
        eprintln!(
            "== {} ({})\n",
            group.first().map_or("", file_of),
            count(group.len(), "problem")
        );
        for problem in group {
            eprint!("{}\n\n", problem.render(color));
        }
    }
}

fn file_of(problem: &Diagnostic) -> &str {
    problem.file.as_deref().unwrap_or("(site)")
}
