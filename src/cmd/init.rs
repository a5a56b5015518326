//! `cairn init`: start a new site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `cairn init`.
#[derive(Args)]
pub(crate) struct InitArgs {
    /// The folder to create; it must not exist yet or be empty.
    dir: PathBuf,
    /// The site title (default: made from the folder name).
    #[arg(long)]
    title: Option<String>,
}

/// Creates the site and says what to do next.
pub(crate) fn run(args: InitArgs) -> ExitCode {
    let request = cairn::scaffold::NewSite {
        dir: args.dir.clone(),
        title: args.title,
        date: cairn::scaffold::today(),
    };
    match cairn::scaffold::init_site(&request) {
        Ok(written) => {
            for path in &written {
                println!("Created {}", path.display());
            }
            println!(
                "\nNext:\n  cd {}\n  cairn serve                 # see it at http://127.0.0.1:1111/, drafts included\n  cairn new articles/my-article --title \"My article\"\n  cairn check                 # before publishing\n  cairn build                 # into public/",
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprint!("{}\n\n", diagnostic.render(super::use_color()));
            ExitCode::from(1)
        }
    }
}
