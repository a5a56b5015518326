//! Subcommands: each file holds one subcommand's arguments and its `run`.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod quiz;
pub mod serve;

use std::io::IsTerminal;

/// Whether diagnostics on stderr should be colored: a terminal, and `NO_COLOR` unset.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
