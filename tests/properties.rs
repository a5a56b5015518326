//! The fuzz targets' drivers as bounded property tests on stable: CI runs these; `cargo fuzz`
//! runs the same drivers for longer (see the README). Crashes found by fuzzing are kept as
//! regression cases in `tests/fixtures/fuzz/` and replayed here.

use proptest::prelude::*;

/// Pieces that make inputs likely to reach interesting code: fences, front matter, links,
/// headings with attributes, HTML, alerts, tables, footnotes, and multi-byte text.
fn markdownish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "---\n",
        "title: x\n",
        "title: [\n",
        "tags: [a, b]\n",
        "date: 2024-02-30\n",
        "&a [1]\n",
        "*a\n",
        "# ",
        "## ",
        "{#id .c}",
        "{#",
        "\n",
        "\n\n",
        "> ",
        "> [!NOTE]\n",
        "- ",
        "1. ",
        "  ",
        "```rust\n",
        "```\n",
        "`",
        "*",
        "_",
        "~~",
        "[x](y.md#z)",
        "[x](#a)",
        "![i](p.png)",
        "<script>",
        "</script>",
        "<img onerror=x>",
        "<!-- more -->",
        "| a | b |\n|:-|-:|\n",
        "[^1]",
        "[^1]: n\n",
        "é",
        "🙂",
        "\u{feff}",
        "\r\n",
        "\\",
        "&amp;",
        "<h2 id=\"x\">",
        "<hr>",
        "word ",
        "---",
        "\t",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn content_files_never_panic(text in markdownish()) {
        cairn::fuzzing::content_file(text.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        cairn::fuzzing::content_file(&bytes);
    }
}

#[test]
fn fuzz_regressions_still_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        cairn::fuzzing::content_file(&bytes);
    }
}
