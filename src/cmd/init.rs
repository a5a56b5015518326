//! `cairn init`: start a new site.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use cairn::deploy::hosts::Host;
use clap::Args;
use clap::builder::PossibleValuesParser;

/// Arguments of `cairn init`.
#[derive(Args)]
pub(crate) struct InitArgs {
    /// The folder to create; it must not exist yet or be empty.
    dir: PathBuf,
    /// The site title (default: made from the folder name).
    #[arg(long)]
    title: Option<String>,
    /// Where the site will be published: writes what that host needs. Asked when run in a
    /// terminal; `none` otherwise.
    #[arg(long, value_parser = PossibleValuesParser::new(Host::ALL.map(Host::name)))]
    host: Option<String>,
    /// The theme, one of those built into cairn.
    #[arg(long, default_value = cairn::embedded_theme::NAME, value_parser = PossibleValuesParser::new(cairn::embedded_theme::names()))]
    theme: String,
}

/// Creates the site and says what to do next.
pub(crate) fn run(args: InitArgs) -> ExitCode {
    let host = match args.host.as_deref().and_then(Host::from_name) {
        Some(host) => host,
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => ask_host(),
        None => Host::None,
    };
    let request = cairn::scaffold::NewSite {
        dir: args.dir.clone(),
        title: args.title,
        date: cairn::scaffold::today(),
        theme: args.theme,
        host,
    };
    match cairn::scaffold::init_site(&request) {
        Ok(written) => {
            for path in &written {
                println!("Created {}", path.display());
            }
            println!(
                "\nNext:\n  cd {}\n  cairn serve                 # see it at http://127.0.0.1:1111/, drafts included\n  cairn new articles/my-article --title \"My article\"\n  cairn check                 # before publishing\n  cairn build                 # into public/\n\nTo publish: {}.",
                args.dir.display(),
                host.next_steps()
            );
            if let Some(todo) = host.repository_to_set() {
                println!("Before the first deploy: {todo}.");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprint!("{}\n\n", diagnostic.render(super::use_color()));
            ExitCode::from(1)
        }
    }
}

/// Asks where the site will be published, by number or name; `none` on an empty answer or
/// when input ends.
fn ask_host() -> Host {
    println!("Where will the site be published?");
    for (number, host) in Host::ALL.iter().enumerate() {
        println!("  {}. {:<11} {}", number + 1, host.name(), host.describe());
    }
    let stdin = std::io::stdin();
    loop {
        print!("Host [none]: ");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Host::None,
            Ok(_) => {}
        }
        let answer = line.trim().to_lowercase();
        if answer.is_empty() {
            return Host::None;
        }
        let by_number = answer
            .parse::<usize>()
            .ok()
            .and_then(|n| Host::ALL.get(n.wrapping_sub(1)).copied());
        if let Some(host) = by_number.or_else(|| Host::from_name(&answer)) {
            return host;
        }
        println!(
            "Answer with a number from 1 to {} or a name: {}.",
            Host::ALL.len(),
            Host::ALL.map(Host::name).join(", ")
        );
    }
}
