//! The `cairn` command line: parses arguments and hands over to one subcommand.

mod cmd;

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
    Build(cmd::build::BuildArgs),
    /// Serve the site locally, rebuilding and reloading the browser on every change.
    Serve(cmd::serve::ServeArgs),
    /// Check the site before publishing: links, anchors, images, accessibility, metadata.
    Check(cmd::check::CheckArgs),
    /// Scaffold a page: cairn new <section>/<slug> [--title "…"].
    New(cmd::new::NewArgs),
    /// Create a new site in a folder, ready to build and serve.
    Init(cmd::init::InitArgs),
    /// Check a quiz flow or draw it as a graph.
    Quiz(cmd::quiz::QuizArgs),
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
    match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Quiz(args) => cmd::quiz::run(args),
    }
}

// glibc's allocator spent a tenth of a build's CPU time in its own bookkeeping (many
// threads allocating and freeing small strings); mimalloc is built for exactly that. It is
// built without asking for transparent huge pages (the `no_thp` feature): with them, each
// page it returned to the system and took again was a fresh 2 MiB to zero. A warm build of
// 10,000 pages spent half as long in the kernel without them (1.0 s instead of 1.5 to 2.1),
// ran 6 to 10% faster and peaked 14% lower. On a system whose huge pages are always on
// (not on request), the kernel may still use them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
