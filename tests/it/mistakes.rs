//! The corpus of editor mistakes: `tests/fixtures/mistakes/<case>/`, one folder per mistake.
//!
//! Each case holds a `case.yaml` and the files that differ from a small valid site (a
//! `site.yaml` and a home page with descriptions): the driver writes that site, lays the
//! case's files over it, runs the command the case names (`cairn build` by default) and keeps
//! its complete output, as the terminal shows it without colour, as the snapshot
//! `message.snap` beside the case. A change to any message shows up as a diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test it mistakes` to accept).
//!
//! `case.yaml`:
//! ```yaml
//! mistake: A tab indents a line of front matter   # for the guide's "Common errors"
//! run: [build]                                     # the arguments to `cairn` (default)
//! cwd: content                                     # where to run it, below the site
//! base: false                                      # start from no site at all
//! ```
//!
//! The guide's "Common errors" table (`docs/content/guide/errors.md`) is made from the
//! corpus (each case's `mistake` and the first line and help of its message) and a test
//! keeps the two the same.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::common::{copy_dir, repo_path};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The mistake in a few words, as the guide lists it.
    mistake: String,
    /// Arguments to `cairn`.
    #[serde(default = "build")]
    run: Vec<String>,
    /// Folder to run in, relative to the site.
    #[serde(default)]
    cwd: Option<String>,
    /// Start from the small valid site (the default) or from an empty folder.
    #[serde(default = "yes")]
    base: bool,
}

fn build() -> Vec<String> {
    vec!["build".into()]
}

fn yes() -> bool {
    true
}

/// The site every case starts from: it builds and checks without a problem.
const BASE: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: Notes\nbase_url: https://example.org/\ndescription: Short notes on moving on.\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Notes\ndescription: Short notes on moving on.\n---\nWelcome.\n",
    ),
];

fn corpus() -> PathBuf {
    repo_path("tests/fixtures/mistakes")
}

/// Every case folder, by name.
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(corpus())
        .expect("tests/fixtures/mistakes")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("case.yaml").is_file())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    cases.sort();
    cases
}

fn read_case(dir: &Path) -> Case {
    let path = dir.join("case.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let source = cairn::diagnostics::SourceFile::new(path.display().to_string(), text.as_str());
    cairn::yaml::parse(&text, &source, 0).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

/// Runs one case and returns what an editor would see.
fn run(dir: &Path, case: &Case) -> String {
    run_as(dir, case, &case.run)
}

/// Runs one case's site with other arguments.
fn run_as(dir: &Path, case: &Case, args: &[String]) -> String {
    let site = tempfile::tempdir().unwrap();
    if case.base {
        for (rel, text) in BASE {
            let path = site.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        copy_dir(&repo_path("themes"), &site.path().join("themes"));
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap();
        let name = rel.to_string_lossy();
        if name == "case.yaml" || name.ends_with(".snap") || name.ends_with(".snap.new") {
            continue;
        }
        let target = site.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let cwd = match &case.cwd {
        Some(rel) => site.path().join(rel),
        None => site.path().to_path_buf(),
    };
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(&cwd)
        .env("NO_COLOR", "1")
        .env("XDG_CACHE_HOME", site.path().join(".cache"))
        .output()
        .unwrap();
    let mut shown = format!(
        "$ cairn {}\nexit status: {}\n",
        args.join(" "),
        output.status.code().unwrap_or(-1)
    );
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        if !text.is_empty() {
            shown.push('\n');
            shown.push_str(&text);
        }
    }
    normalize(&shown, site.path())
}

/// Masks what changes from run to run: the temporary folder and times.
fn normalize(text: &str, site: &Path) -> String {
    let site = site.display().to_string();
    let text = text.replace(&site, "<site>");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(" ms") {
        let before = &rest[..at];
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str(&before[..before.len() - digits]);
            out.push('N');
        } else {
            out.push_str(before);
        }
        out.push_str(" ms");
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_mistake_gets_the_message_reviewed() {
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "the corpus has {} mistakes; it should have at least 40",
        cases.len()
    );
    let mut failed = Vec::new();
    for (name, dir) in &cases {
        let case = read_case(dir);
        let shown = run(dir, &case);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_description(case.mistake.clone());
        settings.set_omit_expression(true);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_snapshot!("message", shown));
        }));
        if outcome.is_err() {
            failed.push(name.clone());
        }
    }
    assert!(failed.is_empty(), "messages changed: {}", failed.join(", "));
}

#[test]
fn build_check_and_quiz_check_report_a_mistake_alike() {
    // Every mistake `cairn build` refuses, `cairn check` reports with the same first line at
    // the same file, line and column (serve's overlay shows the build's own diagnostics);
    // every mistake `cairn quiz check` finds in a site's flow, `cairn build` reports alike.
    let mut compared = 0;
    for (name, dir) in cases() {
        let case = read_case(&dir);
        let other = if case.run == build() {
            "check"
        } else if case.run.len() == 3
            && case.run[..2] == ["quiz", "check"]
            && case.run[2].starts_with("content/quiz/")
        {
            "build"
        } else {
            continue;
        };
        let built = snapshot(&dir);
        let Some(at) = built.lines().position(|line| line.starts_with("error: ")) else {
            continue;
        };
        let lines: Vec<&str> = built.lines().collect();
        let message = lines[at];
        let place = lines.get(at + 1).copied().unwrap_or("").trim_start();
        let checked = run_as(&dir, &case, &[other.to_string()]);
        let found = checked.lines().collect::<Vec<_>>();
        let same = found
            .windows(2)
            .any(|pair| pair[0] == message && pair[1].trim_start() == place);
        assert!(
            same,
            "{name}: cairn {other} does not report `{message}` at `{place}`:\n{checked}"
        );
        compared += 1;
    }
    assert!(compared >= 30, "only {compared} cases compared");
}

/// The snapshot of a case, without insta's header.
fn snapshot(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("message.snap")).unwrap_or_default();
    match text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
    {
        Some((_, body)) => body.to_string(),
        None => text,
    }
}

/// Words that belong to cairn's code, never to a message an editor reads.
const RUST_ISMS: &[&str] = &[
    "Option<",
    "i64",
    "u64",
    "usize",
    "deserialize",
    "variant",
    "from_str",
    "os error",
    "Spanned",
    "serde",
    "saphyr",
    "scalar",
    "sequence start",
    "mapping start",
    "panicked",
    "invalid type",
    "invalid value",
    "Vec<",
    "String",
    "struct ",
    "enum ",
    "while scanning",
    "while parsing",
    "mapping values are not allowed",
    "did not find expected",
];

#[test]
fn no_message_speaks_rust() {
    for (name, dir) in cases() {
        let shown = snapshot(&dir);
        for word in RUST_ISMS {
            assert!(
                !shown.contains(word),
                "the message of {name} says `{word}`:\n{shown}"
            );
        }
    }
}

#[test]
fn every_message_says_what_to_do() {
    for (name, dir) in cases() {
        let shown = snapshot(&dir);
        let lines: Vec<&str> = shown.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            if !(line.starts_with("error: ") || line.starts_with("warning: ")) {
                continue;
            }
            let rest = lines[at + 1..]
                .iter()
                .take_while(|l| !(l.starts_with("error: ") || l.starts_with("warning: ")));
            let mut rest = rest.peekable();
            let located = rest
                .peek()
                .is_some_and(|l| l.trim_start().starts_with("-->"));
            assert!(
                rest.clone().any(|l| l.trim_start().starts_with("= help: ")),
                "the message of {name} has no help:\n{shown}"
            );
            // A message about a file's text points at its line and column.
            if let Some(place) = located.then(|| lines[at + 1].trim_start()) {
                let whole_file = ["quiz-check-on-a-page", "yaml-file-outside-quiz"];
                assert!(
                    whole_file.contains(&name.as_str())
                        || place.rsplit(':').take(2).all(|n| n.parse::<u32>().is_ok()),
                    "the message of {name} has no line and column: {place}"
                );
            }
        }
    }
}

/// The guide's "Common errors" table as the corpus makes it: each mistake, the first line
/// of what cairn says about it, and the first line of its help.
fn common_errors() -> String {
    let mut out = String::from("| mistake | cairn says | and suggests |\n| --- | --- | --- |\n");
    for (_, dir) in cases() {
        let case = read_case(&dir);
        let shown = snapshot(&dir);
        let mut lines = shown
            .lines()
            .skip_while(|line| !(line.starts_with("error: ") || line.starts_with("warning: ")));
        // A mistake that is no error (a draft left out) is told by the output's last line.
        let last = shown
            .lines()
            .rev()
            .find(|line| !line.is_empty())
            .unwrap_or("");
        let first = lines.next().unwrap_or(last);
        let block: Vec<&str> = lines
            .take_while(|line| !(line.starts_with("error: ") || line.starts_with("warning: ")))
            .collect();
        let at = block
            .iter()
            .position(|line| line.trim_start().starts_with("= help: "));
        let help = at.map_or("", |at| {
            block[at]
                .trim_start()
                .strip_prefix("= help: ")
                .unwrap_or("")
        });
        // A help of several lines (an example to copy) goes on in code, line by line.
        let example: Vec<&str> = at.map_or(Vec::new(), |at| {
            let indent = block[at].len() - help.len();
            block[at + 1..]
                .iter()
                .take_while(|line| line.len() > indent && line[..indent].trim().is_empty())
                .map(|line| &line[indent..])
                .collect()
        });
        // The guide is Markdown: a `|` would end the cell, a `<` start an HTML tag, and
        // `--` become a dash outside code (the odd pieces between backticks).
        let cell = |text: &str| {
            let text = text.replace('|', "\\|");
            let pieces: Vec<String> = text
                .split('`')
                .enumerate()
                .map(|(i, piece)| match i % 2 {
                    0 => piece.replace('<', "&lt;").replace("--", "\\-\\-"),
                    _ => piece.to_string(),
                })
                .collect();
            pieces.join("`")
        };
        let mut suggests = cell(help);
        for line in example {
            suggests.push_str(&format!("<br>`{}`", line.replace('|', "\\|")));
        }
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(&case.mistake),
            cell(first),
            suggests
        ));
    }
    out
}

const START: &str = "<!-- common errors: made from tests/fixtures/mistakes -->\n";
const END: &str = "<!-- end of common errors -->";

#[test]
fn the_guide_lists_the_common_errors_of_the_corpus() {
    let guide_path = repo_path("docs/content/guide/errors.md");
    let guide = std::fs::read_to_string(&guide_path).unwrap();
    let (before, rest) = guide
        .split_once(START)
        .expect("the guide's errors page has the common errors marker");
    let (listed, after) = rest.split_once(END).expect("the common errors end marker");
    let expected = common_errors();
    if listed != expected {
        if std::env::var_os("CAIRN_UPDATE_DOCS").is_some() {
            std::fs::write(
                &guide_path,
                format!("{before}{START}{expected}{END}{after}"),
            )
            .unwrap();
        } else {
            panic!(
                "the guide's common errors differ from the corpus; run with CAIRN_UPDATE_DOCS=1 to rewrite them:\n{expected}"
            );
        }
    }
}
