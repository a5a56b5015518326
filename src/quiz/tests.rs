//! The compiler's errors and warnings, each with its exact message, line and column.
//!
//! Links are checked against a site, so their tests build sites (`tests/quiz.rs`); these
//! compile a flow on its own.

use std::time::{Duration, Instant};

use super::compile::compile;
use crate::diagnostics::{Diagnostic, Severity, SourceFile};
use crate::markdown::MarkdownOptions;

/// A small valid flow; tests change one thing in it. Line numbers matter below.
const BASE: &str = r#"title: Test
start: first
nodes:
  first:
    question: First?
    answers:
      - { label: "Yes", next: second }
      - { label: "No", next: done }
  second:
    question: Second?
    answers:
      - { label: "A", next: done }
      - { label: "B", next: other }
outcomes:
  done:
    title: Done
    body: Done text.
  other:
    title: Other
    body: Other text.
tests:
  - { answers: ["Yes", "A"], outcome: done }
  - { answers: [1, 2], outcome: other }
"#;

fn problems(text: &str) -> Vec<Diagnostic> {
    let source = SourceFile::new("content/quiz/f.yaml", text);
    compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default())
        .problems
        .to_vec()
}

/// `BASE` with `from` replaced by `to` (which must occur exactly once).
fn changed(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "`{from}` must occur once in BASE"
    );
    BASE.replacen(from, to, 1)
}

/// The one diagnostic with `message`, checked for severity and `line:column`.
#[track_caller]
fn expect(
    found: &[Diagnostic],
    severity: Severity,
    message: &str,
    line: usize,
    column: usize,
) -> Diagnostic {
    let matching: Vec<&Diagnostic> = found.iter().filter(|d| d.message == message).collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one `{message}`, got:\n{}",
        found
            .iter()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let diagnostic = matching[0].clone();
    assert_eq!(diagnostic.severity, severity, "{message}");
    assert_eq!(
        diagnostic.location(),
        format!("content/quiz/f.yaml:{line}:{column}"),
        "{message}"
    );
    diagnostic
}

#[track_caller]
fn error(text: &str, message: &str, line: usize, column: usize) -> Diagnostic {
    expect(&problems(text), Severity::Error, message, line, column)
}

#[track_caller]
fn warning(text: &str, message: &str, line: usize, column: usize) -> Diagnostic {
    expect(&problems(text), Severity::Warning, message, line, column)
}

fn help(diagnostic: &Diagnostic) -> &str {
    diagnostic.help.as_deref().unwrap_or("")
}

#[test]
fn the_base_flow_compiles_without_problems() {
    let source = SourceFile::new("content/quiz/f.yaml", BASE);
    let result = compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default());
    assert!(
        result.problems.is_empty(),
        "{}",
        result.problems.render(false)
    );
    let flow = result.flow.expect("compiled");
    assert_eq!(flow.title, "Test");
    assert_eq!(flow.questions.len(), 2);
    assert_eq!(
        (flow.questions[0].step, flow.questions[0].max_steps),
        (1, 2)
    );
    assert_eq!(
        (flow.questions[1].step, flow.questions[1].max_steps),
        (2, 2)
    );
    assert_eq!(flow.outcomes[0].body_html, "<p>Done text.</p>\n");
}

// ---- The shape of the file -------------------------------------------------------------

#[test]
fn yaml_syntax_error() {
    let found = problems("title: [unclosed\n");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].location().starts_with("content/quiz/f.yaml:"),
        "{}",
        found[0].location()
    );
}

#[test]
fn duplicate_yaml_key_is_an_error_not_last_one_wins() {
    let text = changed("  second:\n", "  first:\n");
    let d = error(&text, "`first` is written twice", 9, 3);
    assert!(help(&d).contains("each key may appear once"));
}

#[test]
fn unknown_key_at_each_level() {
    let d = error(
        &changed("start: first\n", "start: first\ntitel: x\n"),
        "unknown key `titel`",
        3,
        1,
    );
    assert!(
        help(&d).starts_with("did you mean `title`?"),
        "{}",
        help(&d)
    );
    error(
        &changed(
            "    question: First?\n",
            "    question: First?\n    hlep: x\n",
        ),
        "unknown key `hlep`",
        6,
        5,
    );
    error(
        &changed("label: \"Yes\"", "label: \"Yes\", nxt: x"),
        "unknown key `nxt`",
        7,
        25,
    );
    error(
        &changed(
            "    body: Done text.\n",
            "    body: Done text.\n    reads: []\n",
        ),
        "unknown key `reads`",
        18,
        5,
    );
    error(
        &changed("outcome: done }", "outcome: done, expect: x }"),
        "unknown key `expect`",
        22,
        45,
    );
}

#[test]
fn a_misspelled_required_key_is_reported_once() {
    let found = problems(&changed(
        "    question: Second?\n",
        "    qestion: Second?\n",
    ));
    expect(&found, Severity::Error, "unknown key `qestion`", 10, 5);
    assert!(
        !found
            .iter()
            .any(|d| d.message.contains("has no `question`")),
        "{found:?}"
    );
}

#[test]
fn wrong_types() {
    error(
        &changed("title: Test\n", "title: [a, b]\n"),
        "`title` must be text, not a list",
        1,
        8,
    );
    error(
        &changed(
            "    answers:\n      - { label: \"A\"",
            "    answers: yes\n    x:\n      - { label: \"A\"",
        ),
        "`answers` must be a list, not a boolean",
        11,
        14,
    );
    error(
        &changed("      - { label: \"No\", next: done }\n", "      - No\n"),
        "an answer must be a set of `key: value` lines, not a boolean",
        8,
        9,
    );
    error(
        &changed(
            "  second:\n    question: Second?",
            "  second: 12\n  unused:\n    question: Second?",
        ),
        "the question `second` must be a set of `key: value` lines, not a number",
        9,
        11,
    );
    error(
        &changed("[1, 2]", "[1, {a: b}]"),
        "an answer in a test must be a label or a position, not a set of `name: value` lines",
        23,
        20,
    );
    error(
        &changed("outcomes:\n", "outcomes: [done]\nx:\n"),
        "`outcomes` must be a set of `key: value` lines, not a list",
        14,
        11,
    );
}

#[test]
fn empty_texts() {
    error(
        &changed("label: \"Yes\"", "label: \"  \""),
        "`label` is empty",
        7,
        18,
    );
    error(
        &changed("    question: First?\n", "    question:\n"),
        "`question` is empty",
        5,
        5,
    );
    error(
        &changed("    title: Done\n", "    title: ''\n"),
        "`title` is empty",
        16,
        12,
    );
}

#[test]
fn missing_required_keys() {
    let d = error(
        &changed("start: first\n", ""),
        "the flow has no `start`",
        1,
        1,
    );
    assert_eq!(help(&d), "add `start: <id of the first question>`");
    error(
        &changed("    question: First?\n", ""),
        "the question `first` has no `question`",
        4,
        3,
    );
    error(
        &changed("    body: Other text.\n", ""),
        "the outcome `other` has no `body`",
        18,
        3,
    );
    error(
        &changed("\"No\", next: done }", "\"No\" }"),
        "this answer has no `next`",
        8,
        9,
    );
    error(
        &changed(", outcome: other }", " }"),
        "this test has no `outcome`",
        23,
        5,
    );
}

#[test]
fn an_id_must_be_text() {
    error(
        &changed("  second:\n", "  ? [a, b]\n  : x\n  second:\n"),
        "an id must be text, not a list",
        9,
        5,
    );
}

// ---- Ids and edges ---------------------------------------------------------------------

#[test]
fn duplicate_id_across_questions_and_outcomes() {
    let text = changed("  other:\n", "  second:\n").replace("next: other", "next: second");
    let d = error(
        &text,
        "the id `second` is used twice: by a question on line 9 and by this outcome",
        18,
        3,
    );
    assert!(help(&d).contains("its own id"));
}

#[test]
fn id_not_url_safe() {
    let text = BASE.replace("other", "Other Path");
    let d = error(&text, "the id `Other Path` is not URL-safe", 18, 3);
    assert!(help(&d).contains("e.g. `other-path`"), "{}", help(&d));
}

#[test]
fn start_names_an_outcome() {
    error(
        &changed("start: first", "start: done"),
        "`start` names the outcome `done`, not a question",
        2,
        8,
    );
}

#[test]
fn start_names_nothing() {
    let d = error(
        &changed("start: first", "start: frist"),
        "`start` names `frist`, which is not a question",
        2,
        8,
    );
    assert_eq!(help(&d), "did you mean `first`?");
}

#[test]
fn next_names_nothing_with_a_suggestion() {
    let d = error(
        &changed("next: other", "next: othr"),
        "`next: othr` names no question or outcome",
        13,
        29,
    );
    assert_eq!(help(&d), "did you mean `other`?");
    // The node it meant is not also reported as unreachable.
    assert!(
        !problems(&changed("next: other", "next: othr"))
            .iter()
            .any(|d| d.message.contains("cannot be reached"))
    );
}

#[test]
fn next_names_nothing_at_all() {
    let d = error(
        &changed("next: other", "next: elsewhere"),
        "`next: elsewhere` names no question or outcome",
        13,
        29,
    );
    assert!(help(&d).starts_with("name the id of a question"));
}

#[test]
fn unreachable_question_and_outcome() {
    let text = changed("next: second", "next: done")
        .replace("[\"Yes\", \"A\"]", "[\"Yes\"]")
        .replace("[1, 2]", "[2]");
    // One branch cut off is one mistake: reported at its first node, counting the rest.
    let d = error(
        &text,
        "the question `second` cannot be reached from `start`",
        9,
        3,
    );
    assert!(
        help(&d).ends_with("(the 1 question or outcome after it cannot be reached either)"),
        "{}",
        help(&d)
    );
    let found = problems(&text);
    assert!(
        !found.iter().any(|d| d.message.contains("`other`")),
        "{}",
        found.iter().map(|d| d.render(false)).collect::<String>()
    );
}

#[test]
fn cycle_is_printed_and_reported_at_the_closing_next() {
    let text = changed("next: other", "next: first");
    let d = error(
        &text,
        "the flow has a cycle: first → second → first",
        13,
        29,
    );
    assert!(help(&d).contains("always move forward"));
}

#[test]
fn question_that_reaches_no_outcome() {
    let text = changed(
        "next: done }\n      - { label: \"B\"",
        "next: second }\n      - { label: \"B\"",
    )
    .replace("next: other", "next: second");
    // Caught in a cycle it cannot leave: one error, at the cycle, saying so.
    let d = error(&text, "the flow has a cycle: second → second", 12, 29);
    assert!(
        help(&d).contains("no answer on this cycle leads out of it"),
        "{}",
        help(&d)
    );
    assert_eq!(problems(&text).iter().filter(|d| d.is_error()).count(), 1);
}

#[test]
fn fewer_than_two_answers() {
    let text = changed("      - { label: \"B\", next: other }\n", "");
    let d = error(&text, "the question `second` has only one answer", 11, 5);
    assert!(help(&d).contains("at least two"));
    error(
        &changed(
            "    answers:\n      - { label: \"A\", next: done }\n      - { label: \"B\", next: other }\n",
            "    answers: []\n",
        ),
        "the question `second` has no answers",
        11,
        5,
    );
}

#[test]
fn two_answers_with_the_same_label() {
    let d = error(
        &changed("label: \"B\"", "label: \" a \""),
        "two answers of `second` have the label `a`",
        13,
        18,
    );
    assert_eq!(
        help(&d),
        "the first is on line 12; give each answer a label of its own"
    );
}

#[test]
fn warning_when_every_answer_leads_to_the_same_place() {
    let text = changed("next: other", "next: done").replace("[1, 2]", "[2]");
    let d = warning(&text, "every answer of `second` leads to `done`", 11, 5);
    assert!(help(&d).contains("changes nothing"));
}

#[test]
fn two_distinct_cycles_are_both_reported_with_their_paths() {
    let text = r#"title: Two
start: a
nodes:
  a:
    question: A?
    answers:
      - { label: "On", next: b }
      - { label: "Back", next: a }
  b:
    question: B?
    answers:
      - { label: "On", next: c }
      - { label: "Back", next: a }
  c:
    question: C?
    answers:
      - { label: "On", next: d }
      - { label: "Out", next: done }
  d:
    question: D?
    answers:
      - { label: "Back", next: c }
      - { label: "Out", next: done }
outcomes:
  done:
    title: Done
    body: Done.
tests:
  - { answers: ["On", "On", "Out"], outcome: done }
"#;
    let found = problems(text);
    expect(
        &found,
        Severity::Error,
        "the flow has a cycle: a → a",
        8,
        32,
    );
    expect(
        &found,
        Severity::Error,
        "the flow has a cycle: a → b → a",
        13,
        32,
    );
    expect(
        &found,
        Severity::Error,
        "the flow has a cycle: c → d → c",
        22,
        32,
    );
    assert_eq!(found.len(), 3, "{found:?}");
}

/// A flow of `count` questions `q0`, `q1`, …: each leads on to the next (the last to the
/// outcome) and back to the question `back(i)`.
fn generated_flow(count: usize, back: fn(usize) -> usize) -> String {
    let mut text = String::from("title: Big\nstart: q0\nnodes:\n");
    for i in 0..count {
        let next = if i + 1 < count {
            format!("q{}", i + 1)
        } else {
            "done".to_string()
        };
        text.push_str(&format!(
            "  q{i}:\n    question: Q{i}?\n    answers:\n      - {{ label: \"On\", next: {next} }}\n      - {{ label: \"Back\", next: q{} }}\n",
            back(i)
        ));
    }
    text.push_str("outcomes:\n  done:\n    title: Done\n    body: Done.\n");
    text
}

#[test]
fn ten_thousand_questions_leading_back_are_checked_in_linear_time_with_a_small_report() {
    let to_start: fn(usize) -> usize = |_| 0;
    let to_half_way: fn(usize) -> usize = |i| i / 2;
    for back in [to_start, to_half_way] {
        let text = generated_flow(10_000, back);
        let source = SourceFile::new("content/quiz/f.yaml", text.as_str());
        let Ok(tree) = crate::yaml::Yaml::parse(&source) else {
            panic!("the generated flow is valid YAML");
        };
        let mut found = crate::diagnostics::Diagnostics::default();
        let written = super::schema::read(&tree, &source, &mut found);
        let started = Instant::now();
        super::graph::check(&written, &source, &mut found);
        // Generous: this guards against the quadratic report (minutes and gigabytes before).
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "took {:?}",
            started.elapsed()
        );

        let report = compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default()).problems;
        let rendered = report.render(false);
        assert!(rendered.len() < 64 * 1024, "{} bytes", rendered.len());
        let cycles: Vec<&Diagnostic> = report
            .iter()
            .filter(|d| d.message.starts_with("the flow has a cycle"))
            .collect();
        assert_eq!(cycles.len(), 20);
        assert!(cycles.iter().all(|d| d.message.len() < 200), "{cycles:?}");
        let more = expect(&report, Severity::Error, "…and 9980 more cycles", 108, 32);
        assert!(help(&more).starts_with("only the first 20 are listed"));
    }
}

#[test]
fn a_long_cycle_is_shown_by_its_ends() {
    let found = problems(&generated_flow(20, |_| 0));
    expect(
        &found,
        Severity::Error,
        "the flow has a cycle through 20 questions: q0 → q1 → q2 → q3 → q4 → q5 → … → q18 → q19 → q0",
        103,
        32,
    );
    expect(
        &found,
        Severity::Error,
        "the flow has a cycle: q0 → q1 → q2 → q0",
        18,
        32,
    );
}

#[test]
fn thousands_of_unreachable_questions_are_summed_up() {
    let flow = |next: &dyn Fn(usize) -> (String, String)| {
        let mut text = String::from(
            "title: Big\nstart: q\nnodes:\n  q:\n    question: Q?\n    answers:\n      - { label: \"A\", next: done }\n      - { label: \"B\", next: done2 }\n",
        );
        for i in 0..10_000 {
            let (a, b) = next(i);
            text.push_str(&format!(
                "  u{i}:\n    question: U{i}?\n    answers:\n      - {{ label: \"A\", next: {a} }}\n      - {{ label: \"B\", next: {b} }}\n",
            ));
        }
        text.push_str("outcomes:\n  done:\n    title: Done\n    body: Done.\n  done2:\n    title: Done\n    body: Done.\n");
        text
    };
    // Ten thousand questions nothing leads to: twenty listed, the rest summed up.
    let text = flow(&|_| ("done".into(), "done2".into()));
    let found = problems(&text);
    let rendered: usize = found.iter().map(|d| d.render(false).len()).sum();
    assert!(rendered < 64 * 1024, "{rendered} bytes");
    let first_unlisted = 9 + 20 * 5;
    expect(
        &found,
        Severity::Error,
        "…and 9980 more questions and outcomes that cannot be reached from `start`",
        first_unlisted,
        3,
    );
    // Ten thousand questions leading into each other, nothing leading to them: one branch
    // cut off, one error for it (and its cycles, summed up).
    let text = flow(&|i| {
        (
            format!("u{}", (i + 1) % 10_000),
            format!("u{}", (i + 2) % 10_000),
        )
    });
    let found = problems(&text);
    let rendered: usize = found.iter().map(|d| d.render(false).len()).sum();
    assert!(rendered < 64 * 1024, "{rendered} bytes");
    let d = expect(
        &found,
        Severity::Error,
        "the question `u0` cannot be reached from `start`",
        9,
        3,
    );
    assert!(
        help(&d).contains("the 9999 questions and outcomes after it"),
        "{}",
        help(&d)
    );
    assert_eq!(
        found
            .iter()
            .filter(|d| d.message.contains("cannot be reached"))
            .count(),
        1
    );
    // A help line that lists the questions lists the first ten.
    let found = problems(&text.replace("start: q\n", "start: done\n"));
    let d = expect(
        &found,
        Severity::Error,
        "`start` names the outcome `done`, not a question",
        2,
        8,
    );
    assert!(help(&d).ends_with("`u8`, and 9991 more"), "{}", help(&d));
}

// ---- The flow's tests ------------------------------------------------------------------

#[test]
fn test_answer_label_that_does_not_exist() {
    let d = error(
        &changed("[\"Yes\", \"A\"]", "[\"Yes\", \"a\"]"),
        "the question `second` has no answer `a`",
        22,
        24,
    );
    assert_eq!(help(&d), "did you mean `A`?");
}

#[test]
fn test_answer_position_out_of_range() {
    let d = error(
        &changed("[1, 2]", "[1, 3]"),
        "the question `second` has no answer 3",
        23,
        20,
    );
    assert_eq!(help(&d), "positions count from 1; `second` has 2 answers");
    error(
        &changed("[1, 2]", "[0, 2]"),
        "the question `first` has no answer 0",
        23,
        17,
    );
}

#[test]
fn test_answers_after_the_outcome() {
    error(
        &changed("[1, 2]", "[2, 1]"),
        "this answer comes after the flow reached the outcome `done`",
        23,
        20,
    );
}

#[test]
fn test_answers_that_stop_before_an_outcome() {
    let d = error(
        &changed("[1, 2]", "[1]"),
        "the answers stop at the question `second`, before any outcome",
        23,
        17,
    );
    assert_eq!(help(&d), "add the answer to give to `second`");
}

#[test]
fn test_that_reaches_another_outcome() {
    let d = error(
        &changed("outcome: other", "outcome: done"),
        "these answers reach the outcome `other`, not `done`",
        23,
        33,
    );
    assert_eq!(
        help(&d),
        "the answers go first → “Yes” → second → “B” → other"
    );
}

#[test]
fn test_naming_an_outcome_that_does_not_exist() {
    let d = error(
        &changed("outcome: other", "outcome: othre"),
        "there is no outcome `othre`",
        23,
        33,
    );
    assert_eq!(help(&d), "did you mean `other`?");
}

#[test]
fn warning_for_an_outcome_no_test_reaches() {
    let text = changed("  - { answers: [1, 2], outcome: other }\n", "");
    let d = warning(&text, "no test reaches the outcome `other`", 18, 3);
    assert!(help(&d).contains("outcome: other"));
}

#[test]
fn a_flow_without_tests_gets_one_warning_with_a_test_that_would_pass() {
    let text = BASE.split("tests:").next().unwrap().to_string();
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = warning(
        &text,
        "the flow has no tests, so nothing checks that its answers reach its 2 outcomes",
        15,
        3,
    );
    assert!(
        help(&d).ends_with("- { answers: [2], outcome: done }"),
        "{}",
        help(&d)
    );
}

// ---- One mistake, one error ------------------------------------------------------------

#[test]
fn another_name_for_a_key_gets_a_did_you_mean_and_no_follow_on_errors() {
    let text = changed("nodes:\n", "questions:\n");
    let found = problems(&text);
    let d = error(&text, "unknown key `questions`", 3, 1);
    assert!(
        help(&d).starts_with("did you mean `nodes`?"),
        "{}",
        help(&d)
    );
    // Not also "the flow has no `nodes`", nor "`start` names nothing".
    assert_eq!(
        found.iter().filter(|d| d.is_error()).count(),
        1,
        "{}",
        found.iter().map(|d| d.render(false)).collect::<String>()
    );
}

#[test]
fn a_cycle_is_one_error_naming_the_branch_its_answer_cut_off() {
    // `second`'s B answer led to `other`; sent back to `first`, it closes a cycle, leaves
    // `other` unreachable and makes the tests fail: one mistake, one error.
    let text = changed("next: other", "next: first");
    let found = problems(&text);
    let errors: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error()).collect();
    assert_eq!(
        errors.len(),
        1,
        "{}",
        found.iter().map(|d| d.render(false)).collect::<String>()
    );
    assert_eq!(
        errors[0].message,
        "the flow has a cycle: first → second → first"
    );
    assert!(
        help(errors[0]).ends_with("(nothing leads to `other` now)"),
        "{}",
        help(errors[0])
    );
    assert!(found.iter().all(Diagnostic::is_error), "no warnings either");
}

// ---- Markdown ---------------------------------------------------------------------------

#[test]
fn markdown_is_rendered_and_sanitized() {
    let text = changed(
        "    body: Done text.\n",
        "    body: |\n      **Done** <script>alert(1)</script>\n",
    );
    let source = SourceFile::new("content/quiz/f.yaml", text.as_str());
    let result = compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default());
    let flow = result.flow.expect("compiles");
    assert!(flow.outcomes[0].body_html.contains("<strong>Done</strong>"));
    assert!(
        !flow.outcomes[0].body_html.contains("<script"),
        "{}",
        flow.outcomes[0].body_html
    );
}

#[test]
fn missing_anchor_in_the_text_itself() {
    let text = changed(
        "    body: Done text.\n",
        "    body: |\n      ## Why {#why}\n      See [below](#wyh).\n",
    );
    error(
        &text,
        "the anchor `#wyh` does not exist in this text",
        19,
        19,
    );
}

#[test]
fn no_input_makes_the_compiler_panic() {
    // Every prefix of a valid flow, and a few odd documents: errors, never a panic.
    let mut inputs: Vec<String> = BASE
        .char_indices()
        .map(|(index, _)| BASE[..index].to_string())
        .collect();
    inputs.extend(
        [
            "", "~", "[]", "42", "nodes: 1", "start: [a]", "? [a]\n: b",
            "nodes: {a: {answers: [{next: a}, {next: a}]}}\nstart: a",
            "title: t\nstart: a\nnodes: {a: {question: q, answers: [{label: x, next: o}, {label: y, next: o}]}}\noutcomes: {o: {title: t, body: b}}\ntests: [{answers: [-1, 99999999999999999999], outcome: o}]",
        ]
        .map(String::from),
    );
    for input in inputs {
        let _ = problems(&input);
    }
}

// ---- Intro, exit, help links, sensitive pages ---------------------------------------------

/// `BASE` with the flow-level keys `extra` after `start`, lines 3 onwards.
fn with_top(extra: &str) -> String {
    changed("start: first\n", &format!("start: first\n{extra}"))
}

#[test]
fn the_new_keys_compile_into_the_flow() {
    let text = with_top(
        "intro: Two *short* questions.\nexit: https://example.org/news\nhelp:\n  - { label: Call, url: \"tel:+100\" }\n  - { label: Directory, url: \"https://findahelpline.com/\" }\n",
    )
    .replace(
        "    question: First?\n",
        "    lead: First, a check\n    sensitive: true\n    question: First?\n",
    )
    .replace("    title: Done\n", "    title: Done\n    sensitive: true\n");
    let source = SourceFile::new("content/quiz/f.yaml", text.as_str());
    let result = compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default());
    assert!(
        result.problems.is_empty(),
        "{}",
        result.problems.render(false)
    );
    let flow = result.flow.expect("compiled");
    assert_eq!(
        flow.intro_html.as_deref(),
        Some("<p>Two <em>short</em> questions.</p>\n")
    );
    assert_eq!(flow.exit, "https://example.org/news");
    assert_eq!(
        flow.help
            .iter()
            .map(|h| (h.label.as_str(), h.url.as_str()))
            .collect::<Vec<_>>(),
        [
            ("Call", "tel:+100"),
            ("Directory", "https://findahelpline.com/")
        ]
    );
    assert_eq!(flow.questions[0].lead.as_deref(), Some("First, a check"));
    assert!(flow.questions[0].sensitive && !flow.questions[1].sensitive);
    assert!(flow.outcomes[0].sensitive && !flow.outcomes[1].sensitive);
}

#[test]
fn without_the_new_keys_the_defaults_apply() {
    let source = SourceFile::new("content/quiz/f.yaml", BASE);
    let flow = compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default())
        .flow
        .expect("compiled");
    assert_eq!(flow.exit, super::compile::DEFAULT_EXIT);
    assert!(flow.intro_html.is_none() && flow.help.is_empty());
    assert!(!flow.questions[0].sensitive && flow.questions[0].lead.is_none());
}

#[test]
fn parents_and_paths_are_compiled_for_back_links() {
    let source = SourceFile::new("content/quiz/f.yaml", BASE);
    let flow = compile(&source, "quiz/f.yaml", None, &MarkdownOptions::default())
        .flow
        .expect("compiled");
    // `second`'s only parent is `first`; `done` is reached from both questions.
    assert_eq!(flow.questions[0].parent, None);
    assert_eq!(flow.questions[1].parent, Some(0));
    assert_eq!(flow.outcomes[0].parent, None);
    assert_eq!(flow.outcomes[0].path, None);
    // `other`: only through "Yes" then "B".
    assert_eq!(flow.outcomes[1].parent, Some(1));
    assert_eq!(flow.outcomes[1].path, Some(vec![(0, 0), (1, 1)]));
}

#[test]
fn new_keys_misspelled_or_mistyped_are_reported_where_written() {
    let d = error(
        &changed(
            "    question: First?\n",
            "    question: First?\n    sensitve: true\n",
        ),
        "unknown key `sensitve`",
        6,
        5,
    );
    assert!(
        help(&d).starts_with("did you mean `sensitive`?"),
        "{}",
        help(&d)
    );
    let d = error(&with_top("hlep: []\n"), "unknown key `hlep`", 3, 1);
    assert!(help(&d).starts_with("did you mean `help`?"), "{}", help(&d));
    let d = error(
        &changed(
            "    title: Done\n",
            "    title: Done\n    sensitive: maybe\n",
        ),
        "`sensitive` must be `true` or `false`, not text",
        17,
        16,
    );
    assert!(help(&d).contains("sensitive: true"), "{}", help(&d));
    error(
        &changed(
            "    question: First?\n",
            "    question: First?\n    lead:\n",
        ),
        "`lead` is empty",
        6,
        5,
    );
    error(
        &with_top("intro: [a]\n"),
        "`intro` must be text, not a list",
        3,
        8,
    );
    error(
        &with_top("help: https://findahelpline.com/\n"),
        "`help` must be a list, not text",
        3,
        7,
    );
    error(
        &with_top("help:\n  - { label: Directory }\n"),
        "this help link has no `url`",
        4,
        5,
    );
    error(
        &with_top("help:\n  - { label: Directory, link: x }\n"),
        "unknown key `link`",
        4,
        25,
    );
}

#[test]
fn addresses_must_be_full_and_of_a_safe_kind() {
    let d = error(
        &with_top("exit: bbc.co.uk/weather\n"),
        "`bbc.co.uk/weather` is not a full address",
        3,
        7,
    );
    assert!(help(&d).contains("`https:`"), "{}", help(&d));
    error(
        &with_top("exit: \"javascript:alert(1)\"\n"),
        "`exit` cannot be a `javascript:` address",
        3,
        7,
    );
    // A phone number is a fine help link, not a page to exit to.
    error(
        &with_top("exit: \"tel:+100\"\n"),
        "`exit` cannot be a `tel:` address",
        3,
        7,
    );
    let text = with_top("help:\n  - { label: A, url: \"data:text/html,x\" }\n").replace(
        "    title: Done\n",
        "    title: Done\n    sensitive: true\n",
    );
    error(&text, "`url` cannot be a `data:` address", 4, 22);
}

#[test]
fn help_links_no_outcome_shows_are_a_warning() {
    let d = warning(
        &with_top("help:\n  - { label: A, url: \"https://findahelpline.com/\" }\n"),
        "no outcome shows these `help` links: none is marked `sensitive: true`",
        3,
        1,
    );
    assert!(help(&d).contains("sensitive: true"));
}

#[test]
fn answers_that_cannot_be_read_are_one_error_each() {
    // `answers` is no list: neither "has no answers" nor "`other` cannot be reached"
    // (only `second` led there) follows it.
    let text = changed(
        "    answers:\n      - { label: \"A\", next: done }\n      - { label: \"B\", next: other }\n",
        "    answers: yes\n",
    );
    let found = problems(&text);
    assert_eq!(
        found.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
        ["`answers` must be a list, not a boolean"],
    );
    // An answer written as plain text: one error for it, not "only one answer" too.
    let text = changed("      - { label: \"B\", next: other }\n", "      - B\n");
    let found = problems(&text);
    assert_eq!(
        found.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
        ["an answer must be a set of `key: value` lines, not text"],
    );
    // An answer without `next`: "`other` cannot be reached" would repeat it.
    let text = changed(
        "      - { label: \"B\", next: other }\n",
        "      - { label: \"B\" }\n",
    );
    let found = problems(&text);
    assert_eq!(
        found.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
        ["this answer has no `next`"],
    );
}
