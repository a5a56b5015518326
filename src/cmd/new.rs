//! `cairn new`: scaffold a page.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `cairn new`.
#[derive(Args)]
#[command(
    after_help = "Example:\n  cairn new articles/my-first-article --title \"My first article\"\nwrites content/articles/my-first-article.md as a draft (and content/articles/_index.md if missing)."
)]
pub(crate) struct NewArgs {
    /// Where the page goes below content/: `<section>/<slug>`, e.g. `articles/my-article`.
    path: String,
    /// The page title (default: made from the slug).
    #[arg(long)]
    title: Option<String>,
    /// Make a page bundle, `<slug>/index.md`, so the page's images can go beside it.
    #[arg(long)]
    bundle: bool,
    /// The site folder (default: this folder or the nearest one above it with site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
}

/// Writes the page and says what to do next.
pub(crate) fn run(args: NewArgs) -> ExitCode {
    let root = match super::site_root(args.root) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let request = cairn::scaffold::NewPage {
        root: root.clone(),
        path: args.path,
        title: args.title,
        date: cairn::scaffold::today(),
        bundle: args.bundle,
    };
    match cairn::scaffold::new_page(&request) {
        Ok(written) => {
            for path in &written {
                println!(
                    "Created {}",
                    cairn::diagnostics::SourceFile::display_name(&root, path)
                );
            }
            println!(
                "The page is a draft: `cairn serve` shows it, marked as a draft; `cairn build` leaves it out until you remove `draft: true`."
            );
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprint!("{}\n\n", diagnostic.render(super::use_color()));
            ExitCode::from(1)
        }
    }
}
