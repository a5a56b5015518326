//! Rebuilds cairn when a shipped theme changes: every theme under themes/ is embedded in the
//! binary (`src/embedded_theme.rs`), and the embedding macro does not tell cargo which files
//! it read. Also tells the highlighter which syntect it is built with
//! (`CAIRN_SYNTECT_VERSION`), so highlighted code kept between builds is never reused across a
//! change of grammars.

fn main() {
    println!("cargo:rerun-if-changed=themes");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let version = lock
        .split("[[package]]")
        .find(|package| package.contains("name = \"syntect\""))
        .and_then(|package| {
            package
                .lines()
                .find_map(|line| line.strip_prefix("version = \""))
                .map(|rest| rest.trim_end_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=CAIRN_SYNTECT_VERSION={version}");
}
