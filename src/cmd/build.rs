//! `cairn build`: build the site into the output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use cairn::diagnostics::count;
use clap::Args;

/// Arguments of `cairn build`.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 on success, 1 when the content has errors, 2 on usage errors."
)]
pub(crate) struct BuildArgs {
    /// The site folder (default: this folder or the nearest one above it with site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Where to write the site (default: <root>/public).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Override base_url from site.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Print the wall and CPU time of each build stage.
    #[arg(long)]
    timings: bool,
}

/// Builds the site and prints the diagnostics and a one-line summary.
pub(crate) fn run(args: BuildArgs) -> ExitCode {
    let color = super::use_color();
    let root = match super::site_root(args.root) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let options = cairn::BuildOptions {
        root,
        output: args.output,
        drafts: args.drafts,
        base_url: args.base_url,
        fingerprint: true,
    };
    match cairn::build(&options) {
        Ok(report) => {
            eprint!("{}", report.warnings.render(color));
            if args.timings {
                eprint!("{}", report.timings.render());
            }
            let what = if report.nothing_changed {
                "Nothing changed since the last build of"
            } else {
                "Built"
            };
            eprintln!(
                "{what} {} and {} into {} in {} ms ({} written, {} unchanged, {} removed{}).",
                count(report.pages, "page"),
                count(report.sections, "section"),
                options.output_dir().display(),
                report.elapsed.as_millis(),
                count(report.write.written, "file"),
                report.write.unchanged,
                report.write.removed,
                match report.warnings.warning_count() {
                    0 => String::new(),
                    n => format!(", {}", count(n, "warning")),
                }
            );
            if !report.drafts.is_empty() {
                const SHOWN: usize = 5;
                let mut listed = report.drafts[..report.drafts.len().min(SHOWN)].join(", ");
                if report.drafts.len() > SHOWN {
                    listed.push_str(&format!(" and {} more", report.drafts.len() - SHOWN));
                }
                eprintln!(
                    "{} left out (use --drafts to include): {listed}",
                    count(report.drafts.len(), "draft")
                );
            }
            ExitCode::SUCCESS
        }
        Err(mut problems) => {
            problems.sort();
            eprint!("{}", problems.render(color));
            // A build that failed while putting its files in place says how far it got.
            let output = if cairn::output::changed_the_output(&problems) {
                ""
            } else {
                " The output folder was not changed."
            };
            eprintln!("Build failed: {}.{output}", problems.tally());
            ExitCode::from(1)
        }
    }
}
