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

/// Pieces of quiz flows: keys, ids, references, anchors, aliases, odd scalars.
fn flowish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "title: Q\n",
        "start: a\n",
        "start: z\n",
        "nodes:\n",
        "outcomes:\n",
        "tests:\n",
        "  a:\n",
        "  b:\n",
        "  o:\n",
        "    question: Why?\n",
        "    help: \"*x*\"\n",
        "    answers:\n",
        "      - { label: Yes, next: b }\n",
        "      - { label: No, next: o }\n",
        "      - { label: No, next: a }\n",
        "      - label: \"\"\n",
        "        next: zz\n",
        "    title: Done\n",
        "    body: \"[r](../x.md#y)\"\n",
        "    read: [../x.md, \"#a\"]\n",
        "  - answers: [Yes, 2, 9]\n",
        "    outcome: o\n",
        "&x ",
        "*x",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "\t",
        "é",
        "\n",
        "  ",
        "? ",
        "!!str ",
        "~",
        "'",
    ]);
    prop::collection::vec(pieces, 0..50).prop_map(|v| v.concat())
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
        cairn::fuzzing::quiz_flow(&bytes);
    }

    #[test]
    fn quiz_flows_never_panic(text in flowish()) {
        cairn::fuzzing::quiz_flow(text.as_bytes());
    }
}

#[test]
fn fuzz_regressions_still_pass() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        cairn::fuzzing::content_file(&bytes);
        cairn::fuzzing::quiz_flow(&bytes);
    }
}
