//! Subcommands: each file holds one subcommand's arguments and its `run`.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod quiz;
pub(crate) mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// The site folder: `--root`, or this folder or the nearest one above it with `site.yaml`.
/// When there is none, the error is printed and the exit status returned.
pub(crate) fn site_root(root: Option<PathBuf>) -> Result<PathBuf, ExitCode> {
    cairn::config::find_root(root.as_deref(), std::path::Path::new(".")).map_err(|problem| {
        eprint!("{}\n\n", problem.render(use_color()));
        ExitCode::from(1)
    })
}

/// Whether diagnostics on stderr should be colored: a terminal, and `NO_COLOR` unset.
pub(crate) fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
