//! `cairn build`: build the site into the output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `cairn build`.
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 on success, 1 when the content has errors, 2 on usage errors."
)]
pub(crate) struct BuildArgs {
    /// The site folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
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
    let options = cairn::BuildOptions {
        root: args.root,
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
                "{what} {} pages and {} sections into {} in {} ms ({} files written, {} unchanged, {} removed{}).",
                report.pages,
                report.sections,
                options.output_dir().display(),
                report.elapsed.as_millis(),
                report.write.written,
                report.write.unchanged,
                report.write.removed,
                match report.warnings.warning_count() {
                    0 => String::new(),
                    n => format!(", {n} warnings"),
                }
            );
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
            eprintln!(
                "Build failed: {} errors, {} warnings.{output}",
                problems.error_count(),
                problems.warning_count()
            );
            ExitCode::from(1)
        }
    }
}
