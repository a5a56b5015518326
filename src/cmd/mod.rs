//! Subcommands: each file holds one subcommand's arguments and its `run`.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod quiz;
pub(crate) mod serve;

use std::io::IsTerminal;

/// Whether diagnostics on stderr should be colored: a terminal, and `NO_COLOR` unset.
pub(crate) fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
