//! Quizzes: fixture flows built into pages, links to and from flows, and flow errors in a
//! whole build (links are checked against the site, so those live here, not in unit tests).

use std::process::Command;

use crate::common::{TestSite, repo_path};

fn hrefs(page: &crate::common::Page, css: &str) -> Vec<String> {
    page.all(css)
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

#[test]
fn one_page_per_question_and_outcome_and_the_flow_as_json() {
    let site = TestSite::fixture("quiz");
    site.build();
    for file in [
        "quiz/pet/index.html",
        "quiz/pet/garden/index.html",
        "quiz/pet/space/index.html",
        "quiz/pet/dog/index.html",
        "quiz/pet/cat/index.html",
        "quiz/pet/flow.json",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    // The script and stylesheet, fingerprinted, are linked from every quiz page.
    let start = site.html("quiz/pet/index.html");
    for css in [
        "script[src*='quiz.']",
        "link[rel=stylesheet][href*='quiz.']",
    ] {
        let element = start.one(css).value();
        let url = element.attr("src").or(element.attr("href")).unwrap();
        let path = url.trim_start_matches("/sub/");
        assert!(site.public().join(path).is_file(), "missing {path}");
    }
    // The first question lives at the quiz's own URL only.
    assert!(!site.public().join("quiz/pet/time").exists());

    let data: serde_json::Value = serde_json::from_str(&site.read("quiz/pet/flow.json")).unwrap();
    assert_eq!(data["start"], "time");
    assert_eq!(data["questions"][0]["url"], "/sub/quiz/pet/");
    assert_eq!(data["questions"][1]["url"], "/sub/quiz/pet/garden/");
    assert_eq!(data["questions"][1]["answers"][1]["next"], "space");
    assert_eq!(data["outcomes"][1]["read"][0]["title"], "Grooming");
    assert_eq!(
        data["outcomes"][1]["read"][0]["url"],
        "/sub/guide/cats/#grooming"
    );
}

#[test]
fn answers_are_plain_links_and_progress_counts_questions() {
    let site = TestSite::fixture("quiz");
    site.build();
    let start = site.html("quiz/pet/index.html");
    assert_eq!(
        hrefs(&start, "a.quiz-answer"),
        ["/sub/quiz/pet/garden/", "/sub/quiz/pet/cat/"]
    );
    // The first page is the quiz's front page: its title, its intro, then the question.
    assert_eq!(start.text("title"), "Which pet <suits> you? · Quiz fixture");
    assert_eq!(start.text("h1"), "Which pet <suits> you?");
    assert_eq!(
        start.text("h2.quiz-question"),
        "Do you have time for \"walks\"?"
    );
    assert_eq!(start.text(".quiz-intro"), "Three questions & a result.");
    assert!(start.text(".quiz-history").contains("history"));
    assert!(start.all(".quiz-progress, .quiz-back").is_empty());
    for (page, step, value, max) in [
        ("quiz/pet/garden/index.html", "Question 2", "1", "3"),
        ("quiz/pet/space/index.html", "Question 3", "2", "3"),
    ] {
        let html = site.html(page);
        assert_eq!(html.text("#quiz-step"), step, "{page}");
        assert_eq!(html.attr("progress", "value"), value, "{page}");
        assert_eq!(html.attr("progress", "max"), max, "{page}");
        assert_eq!(html.attr("progress", "aria-labelledby"), "quiz-step");
    }
    // Help is Markdown, with its links resolved like any page's.
    assert_eq!(hrefs(&start, ".quiz-help a"), ["/sub/guide/dogs/"]);
    assert_eq!(start.text(".quiz-help strong"), "two walks");
}

#[test]
fn back_links_lead_to_the_one_parent_or_else_to_the_start() {
    let site = TestSite::fixture("quiz");
    site.build();
    for (page, back) in [
        // garden's only parent is the first question.
        ("quiz/pet/garden/index.html", "/sub/quiz/pet/"),
        ("quiz/pet/space/index.html", "/sub/quiz/pet/garden/"),
        // dog is reached from garden and from space: Back goes to the start.
        ("quiz/pet/dog/index.html", "/sub/quiz/pet/"),
        ("quiz/pet/cat/index.html", "/sub/quiz/pet/"),
    ] {
        let html = site.html(page);
        assert_eq!(hrefs(&html, ".quiz-back a"), [back], "{page}");
        assert_eq!(html.text(".quiz-back a"), "Back");
    }
    let data: serde_json::Value = serde_json::from_str(&site.read("quiz/pet/flow.json")).unwrap();
    assert_eq!(data["questions"][0]["back"], serde_json::Value::Null);
    assert_eq!(data["questions"][2]["back"], "garden");
    assert_eq!(data["outcomes"][0]["back"], "time");
}

#[test]
fn the_first_page_is_indexable_and_the_steps_are_not() {
    let site = TestSite::fixture("quiz");
    site.build();
    assert!(
        site.html("quiz/pet/index.html")
            .all("meta[name=robots]")
            .is_empty()
    );
    for page in ["quiz/pet/garden/index.html", "quiz/pet/cat/index.html"] {
        let html = site.html(page);
        assert_eq!(
            html.attr("meta[name=robots]", "content"),
            "noindex",
            "{page}"
        );
    }
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/sub/quiz/pet/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("/quiz/pet/cat/"), "{sitemap}");
    // No quiz page tells the next site where the reader came from.
    for page in ["quiz/pet/index.html", "quiz/pet/cat/index.html"] {
        assert_eq!(
            site.html(page).attr("meta[name=referrer]", "content"),
            "no-referrer"
        );
    }
}

#[test]
fn sensitive_pages_show_exit_this_page_and_sensitive_outcomes_the_help_links() {
    let site = TestSite::fixture("quiz");
    let text = std::fs::read_to_string(site.root().join("content/quiz/pet.yaml")).unwrap();
    site.write(
        "content/quiz/pet.yaml",
        &text
            .replacen(
                "start: time\n",
                "start: time\nexit: https://example.com/news\nhelp:\n  - { label: Call us, url: \"tel:+10000\" }\n  - { label: A directory, url: \"https://findahelpline.com/\" }\n",
                1,
            )
            .replacen("  space:\n", "  space:\n    sensitive: true\n", 1)
            .replacen("  cat:\n", "  cat:\n    sensitive: true\n", 1),
    );
    site.build();
    for page in ["quiz/pet/space/index.html", "quiz/pet/cat/index.html"] {
        let html = site.html(page);
        let exit = html.one("a.quiz-exit-link");
        assert_eq!(exit.value().attr("href"), Some("https://example.com/news"));
        assert_eq!(exit.value().attr("rel"), Some("noreferrer"));
        assert_eq!(html.text(".quiz-exit-link"), "Exit this page");
    }
    for page in [
        "quiz/pet/index.html",
        "quiz/pet/garden/index.html",
        "quiz/pet/dog/index.html",
    ] {
        assert!(site.html(page).all(".quiz-exit").is_empty(), "{page}");
    }
    let cat = site.html("quiz/pet/cat/index.html");
    assert_eq!(
        hrefs(&cat, ".quiz-support a"),
        ["tel:+10000", "https://findahelpline.com/"]
    );
    assert!(
        site.html("quiz/pet/dog/index.html")
            .all(".quiz-support")
            .is_empty()
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("quiz/pet/flow.json")).unwrap();
    assert_eq!(data["exit"], "https://example.com/news");
    assert_eq!(data["help"][0]["label"], "Call us");
    assert_eq!(data["questions"][2]["sensitive"], true);
    assert_eq!(data["outcomes"][1]["sensitive"], true);
}

#[test]
fn an_outcome_one_path_reaches_lists_that_path() {
    let site = TestSite::fixture("quiz");
    site.build();
    // dog: "Yes" then "Yes", or "Yes", "No", "Yes": several paths, nothing listed.
    assert!(
        site.html("quiz/pet/dog/index.html")
            .all(".quiz-path")
            .is_empty()
    );
    let text = std::fs::read_to_string(site.root().join("content/quiz/pet.yaml")).unwrap();
    site.write(
        "content/quiz/pet.yaml",
        &text.replacen(
            "      - { label: \"Yes\", next: dog }\n      - { label: \"No\", next: cat }",
            "      - { label: \"Big\", next: cat }\n      - { label: \"Small\", next: cat }",
            1,
        ),
    );
    site.build();
    let dog = site.html("quiz/pet/dog/index.html");
    let steps: Vec<String> = dog
        .all(".quiz-path li")
        .iter()
        .map(|li| li.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(
        steps,
        [
            "Do you have time for \"walks\"? Yes",
            "Do you have a garden? Yes"
        ]
    );
    assert_eq!(dog.text(".quiz-path h2"), "The answers that lead here");
}

#[test]
fn outcomes_show_their_text_what_to_read_and_start_over() {
    let site = TestSite::fixture("quiz");
    site.build();
    let cat = site.html("quiz/pet/cat/index.html");
    assert_eq!(cat.text("h1"), "Get a cat");
    assert_eq!(cat.text(".quiz-body em"), "independent");
    assert_eq!(
        hrefs(&cat, ".quiz-read a"),
        ["/sub/guide/cats/#grooming", "/sub/guide/cats/"]
    );
    let items: Vec<String> = cat
        .all(".quiz-read li")
        .iter()
        .map(|li| li.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(items, ["Grooming in All About Cats", "All About Cats"]);
    assert_eq!(cat.attr(".quiz-restart a", "href"), "/sub/quiz/pet/");
}

#[test]
fn quiz_pages_are_escaped_and_need_no_inline_script_or_style() {
    let site = TestSite::fixture("quiz");
    site.build();
    let dog_html = site.read("quiz/pet/dog/index.html");
    assert!(!dog_html.contains("<script>alert"), "the body is sanitized");
    assert!(dog_html.contains("Which pet &lt;suits&gt; you?"));
    for page in ["quiz/pet/index.html", "quiz/pet/dog/index.html"] {
        let html = site.html(page);
        for script in html.all("script") {
            let data = script.value().attr("type") == Some("application/ld+json");
            assert!(
                data || script.value().attr("src").is_some(),
                "inline script in {page}"
            );
        }
        assert!(
            html.one("script[src*='quiz.']")
                .value()
                .attr("defer")
                .is_some()
        );
        assert!(html.all("[style]").is_empty(), "style attribute in {page}");
        assert_eq!(
            html.attr("[data-quiz]", "data-quiz"),
            "/sub/quiz/pet/flow.json"
        );
        assert_eq!(
            html.all("main [aria-live=polite]").len(),
            1,
            "one quiz live region"
        );
    }
}

#[test]
fn markdown_links_to_a_flow_file_lead_to_its_first_question() {
    let site = TestSite::fixture("quiz");
    site.build();
    assert!(hrefs(&site.html("index.html"), "article a").contains(&"/sub/quiz/pet/".to_string()));
    assert!(
        hrefs(&site.html("guide/dogs/index.html"), "article a")
            .contains(&"/sub/quiz/pet/".to_string())
    );
}

/// Builds the fixture with `pet.yaml` changed, expecting failure; every diagnostic rendered.
fn broken(from: &str, to: &str) -> cairn::diagnostics::Diagnostics {
    let site = TestSite::fixture("quiz");
    let path = site.root().join("content/quiz/pet.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    site.write("content/quiz/pet.yaml", &text.replacen(from, to, 1));
    site.build_err()
}

#[track_caller]
fn one(
    problems: &cairn::diagnostics::Diagnostics,
    message: &str,
) -> cairn::diagnostics::Diagnostic {
    let found: Vec<_> = problems.iter().filter(|d| d.message == message).collect();
    assert_eq!(
        found.len(),
        1,
        "no single `{message}` in:\n{}",
        problems.render(false)
    );
    found[0].clone()
}

#[test]
fn read_link_to_a_page_that_does_not_exist() {
    let problems = broken("read: [../guide/dogs.md]", "read: [../guide/dgs.md]");
    let d = one(
        &problems,
        "the link `../guide/dgs.md` points at `content/guide/dgs.md`, which does not exist",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:26:12");
    assert_eq!(d.help.as_deref(), Some("did you mean `../guide/dogs.md`?"));
}

#[test]
fn read_link_to_a_heading_that_does_not_exist() {
    let problems = broken("cats.md#grooming", "cats.md#groming");
    let d = one(
        &problems,
        "the anchor `#groming` does not exist in content/guide/cats.md",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:32:9");
    assert_eq!(d.help.as_deref(), Some("did you mean `#grooming`?"));
}

#[test]
fn read_links_must_name_pages_of_the_site() {
    let problems = broken(
        "read: [../guide/dogs.md]",
        "read: [\"https://example.com/\", pet.yaml]",
    );
    let d = one(
        &problems,
        "`https://example.com/` is not a page of this site",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:26:12");
    let d = one(
        &problems,
        "`pet.yaml` is a quiz; `read` links name pages or headings",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:26:36");
}

#[test]
fn broken_link_in_markdown_points_at_the_link_in_the_flow() {
    let problems = broken("[dogs](../guide/dogs.md)", "[dogs](../guide/dog.md)");
    let d = one(
        &problems,
        "the link `../guide/dog.md` points at `content/guide/dog.md`, which does not exist",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:8:49");
}

#[test]
fn a_failing_flow_test_fails_the_build_and_nothing_is_written() {
    let site = TestSite::fixture("quiz");
    let text = std::fs::read_to_string(site.root().join("content/quiz/pet.yaml")).unwrap();
    site.write(
        "content/quiz/pet.yaml",
        &text.replace("outcome: dog }", "outcome: cat }"),
    );
    let problems = site.build_err();
    assert!(!site.public().exists());
    let d = one(
        &problems,
        "these answers reach the outcome `dog`, not `cat`",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:35:41");
}

#[test]
fn warnings_do_not_stop_the_build() {
    let site = TestSite::fixture("quiz");
    let text = std::fs::read_to_string(site.root().join("content/quiz/pet.yaml")).unwrap();
    site.write(
        "content/quiz/pet.yaml",
        &text.replace("  - { answers: [\"Yes\", \"Yes\"], outcome: dog }\n", ""),
    );
    let report = site.build();
    let warning = one(&report.warnings, "no test reaches the outcome `dog`");
    assert_eq!(warning.location(), "content/quiz/pet.yaml:23:3");
    assert!(site.public().join("quiz/pet/dog/index.html").is_file());
}

#[test]
fn a_link_to_a_flow_cannot_carry_an_anchor() {
    let site = TestSite::fixture("quiz");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nStart [here](quiz/pet.yaml#garden).\n",
    );
    let problems = site.build_err();
    let d = one(
        &problems,
        "the link `quiz/pet.yaml#garden` points into a quiz, which has no headings",
    );
    assert_eq!(d.location(), "content/_index.md:4:14");
}

#[test]
fn yaml_outside_content_quiz_is_refused() {
    let site = TestSite::fixture("quiz");
    site.write("content/guide/data.yaml", "a: 1\n");
    site.write("content/quiz/nested/deeper.yaml", "a: 1\n");
    let problems = site.build_err();
    let refused: Vec<String> = problems
        .iter()
        .filter(|d| d.message.starts_with("a YAML file outside content/quiz/"))
        .map(cairn::diagnostics::Diagnostic::location)
        .collect();
    assert_eq!(
        refused,
        ["content/guide/data.yaml", "content/quiz/nested/deeper.yaml"]
    );
}

#[test]
fn a_page_cannot_take_a_quiz_url() {
    let site = TestSite::fixture("quiz");
    site.write("content/quiz/pet.md", "---\ntitle: Pet\n---\n");
    site.write(
        "content/old.md",
        "---\ntitle: Old\naliases: [/quiz/pet/dog/]\n---\n",
    );
    let problems = site.build_err();
    one(
        &problems,
        "two files publish the same URL `/quiz/pet/`: content/quiz/pet.md and content/quiz/pet.yaml",
    );
    let d = one(
        &problems,
        "this id's page /quiz/pet/dog/ is also an alias of content/old.md",
    );
    assert_eq!(d.location(), "content/quiz/pet.yaml:23:3");
}

#[test]
fn a_theme_without_quiz_templates_is_told_what_to_add() {
    let site = TestSite::fixture("quiz");
    site.write(
        "site.yaml",
        "title: Q\nbase_url: https://example.org/\ntheme: bare\n",
    );
    site.write("themes/bare/theme.yaml", "name: bare\n");
    for name in cairn::templates::REQUIRED {
        site.write(&format!("themes/bare/templates/{name}"), "x");
    }
    let problems = site.build_err();
    let d = one(
        &problems,
        "the site has quizzes but no template `quiz_question.html`",
    );
    assert_eq!(d.location(), "templates/quiz_question.html");
}

#[test]
fn the_shipped_flow_builds_and_is_linked_from_home_and_faq() {
    let site = TestSite::fixture("quiz");
    for entry in ["content", "site.yaml"] {
        let from = repo_path(entry);
        let to = site.root().join(entry);
        if from.is_dir() {
            std::fs::remove_dir_all(&to).unwrap();
            crate::common::copy_dir(&from, &to);
        } else {
            std::fs::copy(&from, &to).unwrap();
        }
    }
    let report = site.build();
    assert!(
        report.warnings.is_empty(),
        "{}",
        report.warnings.render(false)
    );
    let quiz = "/quiz/should-i-contact-my-ex/";
    assert!(hrefs(&site.html("index.html"), "article a").contains(&quiz.to_string()));
    assert!(hrefs(&site.html("faq/index.html"), "article a").contains(&quiz.to_string()));
    let start = site.html("quiz/should-i-contact-my-ex/index.html");
    assert_eq!(
        start.text("title"),
        "Should I contact my ex? · Why You Should Not Contact An Ex Who Dumped You"
    );
    assert_eq!(start.text("h1"), "Should I contact my ex?");
    assert_eq!(start.text(".quiz-lead"), "First, a safety check");
    assert_eq!(
        start.text(".quiz-question"),
        "Have you ever felt unsafe with your ex?"
    );
    assert_eq!(
        start.attr(".quiz-exit-link", "href"),
        "https://www.bbc.co.uk/weather"
    );
    let safe = site.html("quiz/should-i-contact-my-ex/stay-safe/index.html");
    assert_eq!(
        hrefs(&safe, ".quiz-support a"),
        ["https://findahelpline.com/"]
    );
    let data: serde_json::Value =
        serde_json::from_str(&site.read("quiz/should-i-contact-my-ex/flow.json")).unwrap();
    assert!(data["questions"].as_array().unwrap().len() >= 6);
    assert!(data["outcomes"].as_array().unwrap().len() >= 5);
    for outcome in data["outcomes"].as_array().unwrap() {
        assert!(
            !outcome["read"].as_array().unwrap().is_empty(),
            "{} links nothing to read",
            outcome["id"]
        );
    }
}

fn cairn(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn cairn_quiz_check_compiles_one_flow_with_the_site_around_it() {
    let site = TestSite::fixture("quiz");
    let (code, _, stderr) = cairn(&["quiz", "check", "content/quiz/pet.yaml"], site.root());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "content/quiz/pet.yaml: 3 questions, 2 outcomes, 3 tests passed.\n"
    );

    let text = std::fs::read_to_string(site.root().join("content/quiz/pet.yaml")).unwrap();
    site.write(
        "content/quiz/pet.yaml",
        &text.replace("cats.md#grooming", "cats.md#nope"),
    );
    // Run from inside content/: the site is found by walking up to site.yaml.
    let (code, _, stderr) = cairn(
        &["quiz", "check", "pet.yaml"],
        &site.root().join("content/quiz"),
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: the anchor `#nope` does not exist in content/guide/cats.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/quiz/pet.yaml:32:9"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("content/quiz/pet.yaml: 1 error, 0 warnings.\n"),
        "{stderr}"
    );
}

#[test]
fn cairn_quiz_check_on_a_markdown_page_says_it_is_not_a_flow() {
    let site = TestSite::fixture("quiz");
    site.write("content/page.md", "---\ntitle: A page\n---\nText.\n");
    let (code, _, stderr) = cairn(&["quiz", "check", "content/page.md"], site.root());
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: this is not a quiz flow: flows are `.yaml` files\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("from_str"), "{stderr}");
}

#[test]
fn cairn_quiz_check_outside_a_site_warns_that_links_were_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(repo_path("tests/fixtures/quiz/content/quiz/pet.yaml")).unwrap();
    std::fs::write(dir.path().join("pet.yaml"), text).unwrap();
    let (code, _, stderr) = cairn(&["quiz", "check", "pet.yaml"], dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: links in this flow were not checked"),
        "{stderr}"
    );
}

#[test]
fn cairn_quiz_graph_prints_mermaid_or_dot() {
    let site = TestSite::fixture("quiz");
    let (code, stdout, stderr) = cairn(&["quiz", "graph", "content/quiz/pet.yaml"], site.root());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("flowchart TD\n"), "{stdout}");
    assert!(stdout.contains("  n0 -->|\"Yes\"| n1\n"), "{stdout}");
    let (code, stdout, _) = cairn(
        &["quiz", "graph", "content/quiz/pet.yaml", "--format", "dot"],
        site.root(),
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("digraph \"Which pet <suits> you?\" {\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  \"time\" -> \"garden\" [label=\"Yes\"];\n"),
        "{stdout}"
    );
    let (code, _, stderr) = cairn(
        &["quiz", "graph", "content/quiz/pet.yaml", "--format", "svg"],
        site.root(),
    );
    assert_eq!(code, 2, "{stderr}");
}
