pub mod diagnostics;
pub mod suggest;
pub mod yaml;
pub mod config;
pub mod content;
