//! The fuzz targets' drivers as bounded property tests on stable: CI runs these; `cargo fuzz`
//! runs the same drivers for longer (see CONTRIBUTING.md). Crashes found by fuzzing are kept as
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

/// Pieces of hostile file names: separators of other systems, dots, drives, controls,
/// long runs and multi-byte text.
fn nameish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "a",
        "x.txt",
        "..",
        ".",
        "\\",
        "/",
        "C:",
        "c:",
        ":",
        "\0",
        "\n",
        "\t",
        " ",
        "*",
        "%2e",
        "%2f",
        "?",
        "#",
        "é",
        "\u{202e}",
        "index.html",
        "_index.md",
        ".md",
        ".well-known",
        "~",
        "\u{FFFF}",
        "tmp",
        "etc",
    ]);
    let piece = prop_oneof![
        8 => pieces.prop_map(|p| p.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..8),
        1 => Just(vec![b'y'; 300]),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn file_names_become_paths_inside_the_output(name in nameish()) {
        cairn::fuzzing::file_names(&name);
    }

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
        cairn::fuzzing::file_names(&bytes);
    }
}

/// A site whose `static/` holds files with hostile names, built for real: the build
/// succeeds or fails, and nothing appears anywhere but in the site's folder.
#[cfg(unix)]
#[test]
fn hostile_static_names_never_write_outside_the_site() {
    use std::os::unix::ffi::OsStrExt;
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    let themes = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    runner
        .run(&prop::collection::vec(nameish(), 1..4), |names| {
            let outer = tempfile::tempdir().unwrap();
            let root = outer.path().join("site");
            std::fs::create_dir_all(root.join("content")).unwrap();
            std::fs::create_dir_all(root.join("static")).unwrap();
            std::fs::write(
                root.join("site.yaml"),
                "title: T\nbase_url: https://example.org/\n",
            )
            .unwrap();
            std::fs::write(root.join("content/_index.md"), "---\ntitle: Home\n---\n").unwrap();
            std::os::unix::fs::symlink(&themes, root.join("themes")).unwrap();
            let token = format!("escape-{}", std::process::id());
            for name in &names {
                // The last part is the file's name, with the token in it; earlier parts are
                // folders. Names the file system refuses are skipped.
                let mut path = root.join("static");
                let parts: Vec<&[u8]> = name.split(|b| *b == b'/').collect();
                for (index, part) in parts.iter().enumerate() {
                    if part.is_empty() || part.contains(&0) || *part == b".." || *part == b"." {
                        continue;
                    }
                    let mut part = part.to_vec();
                    if index + 1 == parts.len() {
                        part.extend_from_slice(token.as_bytes());
                    }
                    part.truncate(200);
                    path.push(std::ffi::OsStr::from_bytes(&part));
                }
                if let Some(parent) = path.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                let _ = std::fs::write(&path, "x");
            }
            // The themes are a link to this repository; the site may follow it.
            std::fs::write(
                root.join("site.yaml"),
                "title: T\nbase_url: https://example.org/\nfollow_outside_symlinks: true\n",
            )
            .unwrap();
            let _ = cairn::build(&cairn::BuildOptions::new(&root));
            let outside: Vec<_> = std::fs::read_dir(outer.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            prop_assert_eq!(outside, vec![std::ffi::OsString::from("site")]);
            for dir in outer.path().ancestors().take(3) {
                for entry in std::fs::read_dir(dir).unwrap().flatten() {
                    prop_assert!(
                        !entry.file_name().to_string_lossy().contains(&token),
                        "{} escaped",
                        entry.path().display()
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}
