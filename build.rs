//! Rebuilds cairn when a shipped theme changes: every theme under themes/ is embedded in the
//! binary (`src/embedded_theme.rs`), and the embedding macro does not tell cargo which files
//! it read.

fn main() {
    println!("cargo:rerun-if-changed=themes");
}
