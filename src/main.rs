//! The `cairn` command line: parses arguments and hands over to the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cairn",
    version,
    about = "A static site generator: Markdown with YAML front matter in, a themed static site out.",
    after_help = "Examples:\n  cairn build                       build the site in this folder into public/\n  cairn build --root site --drafts  build another folder, drafts included\n  cairn build --base-url https://example.org/guide/ --output dist"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    #[command(
        after_help = "Exit status: 0 on success, 1 when the content has errors, 2 on usage errors."
    )]
    Build {
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
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
        } => {
            let options = cairn::BuildOptions {
                root,
                output,
                drafts,
                base_url,
            };
            match cairn::build(&options) {
                Ok(report) => {
                    eprint!("{}", report.warnings.render(color));
                    eprintln!(
                        "Built {} pages and {} sections into {} in {} ms ({} files written, {} unchanged, {} removed{}).",
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
                    eprintln!(
                        "Build failed: {} errors, {} warnings. Nothing was written.",
                        problems.error_count(),
                        problems.warning_count()
                    );
                    ExitCode::from(1)
                }
            }
        }
    }
}
