//! Rebuilds cairn when the default theme changes: it is embedded in the binary
//! (`src/embedded_theme.rs`), and the embedding macro does not tell cargo which files it read.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
