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
// threads allocating and freeing small strings); mimalloc is built for exactly that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
