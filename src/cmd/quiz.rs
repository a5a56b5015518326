//! `cairn quiz`: check a quiz flow on its own, or print it as a graph.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use cairn::diagnostics::count;
use cairn::quiz::{self, export};

/// Arguments of `cairn quiz`.
#[derive(Args)]
pub(crate) struct QuizArgs {
    #[command(subcommand)]
    command: QuizCommand,
}

#[derive(Subcommand)]
enum QuizCommand {
    /// Compile a flow and report every problem, as `cairn build` would.
    #[command(
        after_help = "Links are checked against the site around the file (found by its site.yaml).\nExit status: 0 when the flow has no errors, 1 when it has, 2 on usage errors."
    )]
    Check {
        /// The flow file, e.g. content/quiz/should-i-contact-my-ex.yaml.
        file: PathBuf,
    },
    /// Print a flow as a Mermaid flowchart or a Graphviz DOT graph.
    #[command(
        after_help = "Examples:\n  cairn quiz graph content/quiz/my-quiz.yaml > my-quiz.mmd\n  cairn quiz graph content/quiz/my-quiz.yaml --format dot | dot -Tsvg > my-quiz.svg\n\nA flow with errors is still drawn (a `next` naming nothing points at a dashed node);\nits problems go to stderr and the exit status is 1."
    )]
    Graph {
        /// The flow file.
        file: PathBuf,
        /// The graph language to print.
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    /// A Mermaid flowchart.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

/// Runs `cairn quiz check` or `cairn quiz graph`.
pub(crate) fn run(args: QuizArgs) -> ExitCode {
    let color = super::use_color();
    match args.command {
        QuizCommand::Check { file } => {
            let check = quiz::check_file(&file);
            let problems = &check.compilation.problems;
            eprint!("{}", problems.render(color));
            let name = check
                .source
                .as_ref()
                .map_or_else(|| file.display().to_string(), |s| s.name.clone());
            match (&check.compilation.flow, &check.compilation.written) {
                (Some(flow), Some(written)) if !problems.has_errors() => {
                    eprintln!(
                        "{name}: {}, {}, {} passed{}.",
                        count(flow.questions.len(), "question"),
                        count(flow.outcomes.len(), "outcome"),
                        count(written.tests.len(), "test"),
                        match problems.warning_count() {
                            0 => String::new(),
                            n => format!(", {}", count(n, "warning")),
                        }
                    );
                    ExitCode::SUCCESS
                }
                _ => {
                    eprintln!("{name}: {}.", problems.tally());
                    ExitCode::from(1)
                }
            }
        }
        QuizCommand::Graph { file, format } => {
            let check = quiz::check_file(&file);
            let problems = &check.compilation.problems;
            let Some(written) = &check.compilation.written else {
                eprint!("{}", problems.render(color));
                return ExitCode::from(1);
            };
            let format = match format {
                GraphFormat::Mermaid => export::Format::Mermaid,
                GraphFormat::Dot => export::Format::Dot,
            };
            print!("{}", export::render(written, format));
            if problems.has_errors() {
                eprint!("{}", problems.render(color));
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
