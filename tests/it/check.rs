//! `cairn check` on a fixture with one of every problem, and external links against a local
//! server (never the internet).

use std::time::{Duration, Instant};

use crate::common::TestSite;
use cairn::check::{CheckOptions, ExternalOptions, check};
use cairn::diagnostics::Severity;

fn options(site: &TestSite) -> CheckOptions {
    CheckOptions {
        build: site.options(),
        strict: false,
        external: None,
    }
}

/// `severity location: message` for every problem, in report order.
fn lines(report: &cairn::check::CheckReport) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|d| {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!("{severity} {}: {}", d.location(), d.message)
        })
        .collect()
}

#[test]
fn every_kind_of_problem_is_listed_exactly_once() {
    let site = TestSite::fixture("check");
    let report = check(&options(&site));
    assert_eq!(
        lines(&report),
        [
            "error /site/notes/links/ (rendered): the asset `/site/css/missing.css` points at nothing in the site",
            "warning content/notes/a11y.md:7:11: the image `/site/img/logo.png` has no alt text",
            "warning content/notes/a11y.md:9:22: this link has no text",
            "warning content/notes/a11y.md:11:6: the heading `Too deep` skips from h2 to h4",
            "warning content/notes/a11y.md:13:1: the page has 2 `h1` headings; it should have one",
            "warning content/notes/fine.md:2:8: this page has no description",
            "error content/notes/links.md:8:18: the link `/site/nowhere/` points at nothing in the site",
            "error content/notes/links.md:8:54: the anchor `#nope` of `/site/notes/fine/#nope` does not exist on that page",
            "error content/notes/links.md:9:27: the link `/about/` leads outside the site, which lives under `/site/`",
            "error content/notes/links.md:9:60: the image or media file `/site/img/missing.png` points at nothing in the site",
            // Once for the pair.
            "warning content/notes/twin-a.md:2:8: the title `Twins` is also the title of content/notes/twin-b.md",
        ]
    );
    let anchor = report
        .problems
        .iter()
        .find(|d| d.message.contains("#nope"))
        .unwrap();
    assert_eq!(
        anchor.help.as_deref(),
        Some("link to a heading id of that page")
    );
    let outside = report
        .problems
        .iter()
        .find(|d| d.message.contains("/about/"))
        .unwrap();
    assert_eq!(
        outside.help.as_deref(),
        Some("links inside the site start with the base path: `/site/about/`")
    );
    // The ten content pages and the search listing page.
    assert_eq!(report.pages, 11);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let site = TestSite::fixture("check");
    let mut strict = options(&site);
    strict.strict = true;
    let report = check(&strict);
    assert_eq!(report.problems.warning_count(), 0);
    assert_eq!(report.problems.error_count(), 11);
}

#[test]
fn build_errors_are_reported_by_check_too() {
    let site = TestSite::minimal();
    site.write(
        "content/page.md",
        "---\ntitle: Page\ndescription: A page.\n---\nSee [gone](gone.md).\n",
    );
    let report = check(&options(&site));
    assert_eq!(
        lines(&report),
        [
            "error content/page.md:5:12: the link `gone.md` points at `content/gone.md`, which does not exist"
        ]
    );
}

#[test]
fn the_command_groups_by_file_and_exits_non_zero_on_errors_only() {
    let site = TestSite::fixture("check");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("== content/notes/links.md (4 problems)\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(" --> content/notes/links.md:8:18"),
        "{stderr}"
    );
    // (The logo is a resized picture: its WebP source is one more reference; the search
    // results page links "All pages".)
    assert!(
        stderr.ends_with("Checked 11 pages and 241 references: 5 errors, 6 warnings.\n"),
        "{stderr}"
    );

    // Warnings alone pass, unless --strict.
    let clean = TestSite::minimal();
    clean.write(
        "content/_index.md",
        "---\ntitle: Home\ndescription: Home.\n---\n## Hello\n",
    );
    clean.write(
        "content/page.md",
        "---\ntitle: Page\ndate: 2024-01-01\ntags: [a]\n---\n## Hi\n",
    );
    let run = |strict: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"));
        command.args(["check", "--root"]).arg(clean.root());
        if strict {
            command.arg("--strict");
        }
        command.output().unwrap()
    };
    let relaxed = run(false);
    assert_eq!(
        relaxed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&relaxed.stderr)
    );
    assert!(String::from_utf8_lossy(&relaxed.stderr).contains("this page has no description"));
    assert_eq!(run(true).status.code(), Some(1));
}

/// A local web server for external links: /ok, /missing (404), /no-head (HEAD refused),
/// /slow (answers after 3 s).
fn start_link_server() -> (String, std::sync::mpsc::Sender<()>) {
    use axum::Router;
    use axum::http::{Method, StatusCode};
    use axum::routing::{any, get};
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let app = Router::new()
                .route("/ok", get(|| async { "fine" }))
                .route(
                    "/no-head",
                    any(|method: Method| async move {
                        if method == Method::HEAD {
                            StatusCode::METHOD_NOT_ALLOWED
                        } else {
                            StatusCode::OK
                        }
                    }),
                )
                .route(
                    "/slow",
                    get(|| async {
                        tokio::time::sleep(Duration::from_secs(3)).await;
                        "late"
                    }),
                );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready_tx.send(listener.local_addr().unwrap()).unwrap();
            let server = axum::serve(listener, app);
            tokio::select! {
                _ = server => {}
                _ = tokio::task::spawn_blocking(move || { let _ = stop_rx.recv_timeout(Duration::from_secs(60)); }) => {}
            }
        });
    });
    let address = ready_rx.recv_timeout(Duration::from_secs(10)).unwrap();
    (format!("http://{address}"), stop_tx)
}

#[test]
fn external_links_are_checked_with_a_timeout_and_a_pause_per_host() {
    let (server, stop) = start_link_server();
    let site = TestSite::minimal();
    // The default theme links the feed and the tag list, which need a dated, tagged page.
    site.write(
        "content/post.md",
        "---\ntitle: Post\ndescription: A post.\ndate: 2024-01-01\ntags: [a]\n---\n## Post\n",
    );
    site.write(
        "content/_index.md",
        &format!(
            "---\ntitle: Home\ndescription: Home.\n---\n[ok]({server}/ok) [again]({server}/ok#part) [missing]({server}/missing)\n[no head]({server}/no-head) [slow]({server}/slow) [mail](mailto:a@example.org)\n\nAnd [missing again]({server}/missing).\n"
        ),
    );
    let mut with_external = options(&site);
    // The server is on the loopback address, which is only probed when allowed.
    with_external.external = Some(ExternalOptions {
        timeout: Duration::from_secs(1),
        concurrency: 4,
        host_delay: Duration::from_millis(200),
        allow_private: true,
    });
    let started = Instant::now();
    let report = check(&with_external);
    let elapsed = started.elapsed();
    let _ = stop.send(());
    assert_eq!(report.external, 4, "ok, missing, no-head, slow");
    let found: Vec<String> = lines(&report)
        .into_iter()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(
        found[0],
        format!(
            "error content/_index.md:5:83: the external link `{server}/missing` answered 404 Not Found (linked 2 times)"
        )
    );
    // A private address gets HEAD only, never the GET retry.
    assert_eq!(
        found[1],
        format!(
            "error content/_index.md:6:11: the external link `{server}/no-head` answered 405 Method Not Allowed"
        )
    );
    assert!(
        found[2].starts_with(&format!(
            "error content/_index.md:6:50: the external link `{server}/slow` "
        )),
        "{found:#?}"
    );
    // One host: four requests with a pause between them.
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");

    // Without --external nothing goes out.
    let report = check(&options(&site));
    assert_eq!(report.external, 0);
    assert_eq!(report.problems.error_count(), 0, "{:#?}", lines(&report));
}

/// A web server on 127.0.0.1 that answers HEAD with 405 and GET with 200, and the request
/// lines it received (`HEAD /a`), one per connection.
fn start_counting_server() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let request: Vec<&str> = first.split_whitespace().take(2).collect();
            log.lock().unwrap().push(request.join(" "));
            let status = if first.starts_with("HEAD") {
                "405 Method Not Allowed"
            } else {
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (port, seen)
}

fn external(allow_private: bool) -> Option<ExternalOptions> {
    Some(ExternalOptions {
        timeout: Duration::from_secs(2),
        concurrency: 4,
        host_delay: Duration::ZERO,
        allow_private,
    })
}

/// A site whose home page links each of `urls`, one per line.
fn site_linking(urls: &[String]) -> TestSite {
    let site = TestSite::minimal();
    site.write(
        "content/post.md",
        "---\ntitle: Post\ndescription: A post.\ndate: 2024-01-01\ntags: [a]\n---\n## Post\n",
    );
    let links: String = urls
        .iter()
        .map(|url| format!("[link]({url})\n\n"))
        .collect();
    site.write(
        "content/_index.md",
        &format!("---\ntitle: Home\ndescription: Home.\n---\n{links}"),
    );
    site
}

#[test]
fn links_to_private_addresses_are_refused_without_any_connection() {
    let (port, seen) = start_counting_server();
    // Every spelling of this machine, and the cloud metadata address.
    let spellings = [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("[::]", "::"),
        ("[::1]", "::1"),
        ("localhost.", "localhost."),
        ("169.254.169.254", "169.254.169.254"),
    ];
    let urls: Vec<String> = spellings
        .iter()
        .map(|(host, _)| format!("http://{host}:{port}/"))
        .collect();
    let site = site_linking(&urls);
    let mut guarded = options(&site);
    guarded.external = external(false);
    let report = check(&guarded);
    assert_eq!(report.external, spellings.len());
    let mut expected: Vec<String> = spellings
        .iter()
        .zip(&urls)
        .enumerate()
        .map(|(i, ((_, shown), url))| {
            format!(
                "warning content/_index.md:{}:8: the external link `{url}` points at a private or local address ({shown}); cairn does not probe those",
                5 + 2 * i
            )
        })
        .collect();
    expected.sort();
    let mut found = lines(&report);
    found.sort();
    assert_eq!(found, expected);
    assert!(
        report
            .problems
            .iter()
            .all(|d| d.help.as_deref() == Some("use --allow-private to check it anyway"))
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
}

#[test]
fn allowed_private_addresses_are_asked_with_head_and_never_get() {
    let (port, seen) = start_counting_server();
    let url = format!("http://127.0.0.1:{port}/no-head");
    let site = site_linking(std::slice::from_ref(&url));
    let mut allowed = options(&site);
    allowed.external = external(true);
    let report = check(&allowed);
    assert_eq!(
        lines(&report),
        [format!(
            "error content/_index.md:5:8: the external link `{url}` answered 405 Method Not Allowed"
        )]
    );
    assert_eq!(*seen.lock().unwrap(), ["HEAD /no-head"]);
}

#[test]
fn allow_private_needs_external() {
    let site = TestSite::minimal();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["check", "--allow-private", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--external"));
}

#[test]
fn a_template_problem_is_reported_once_for_all_its_pages() {
    let site = TestSite::minimal();
    site.write(
        "templates/broken.html",
        "{% extends \"default/page.html\" %}{% block head %}<link rel=\"stylesheet\" href=\"/css/missing.css\">{% endblock head %}",
    );
    for name in ["one", "two", "three"] {
        site.write(
            &format!("content/{name}.md"),
            &format!(
                "---\ntitle: Page {name}\ndescription: A page.\ntemplate: broken.html\n---\n## Hi\n"
            ),
        );
    }
    let report = check(&options(&site));
    let found: Vec<String> = lines(&report)
        .into_iter()
        .filter(|l| l.contains("missing.css"))
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].ends_with(
            " (rendered): the asset `/css/missing.css` points at nothing in the site (on 3 pages, from a template)"
        ),
        "{found:#?}"
    );
}

#[test]
fn every_pager_of_a_section_points_at_the_section_markdown() {
    let site = TestSite::minimal();
    site.write(
        "content/blog/_index.md",
        "---\ntitle: Blog\ndescription: Posts.\npaginate_by: 1\n---\nSee [the archive](/archive/).\n",
    );
    for (name, day) in [("first", 1), ("second", 2), ("third", 3)] {
        site.write(
            &format!("content/blog/{name}.md"),
            &format!("---\ntitle: Post {name}\ndescription: A post.\ndate: 2024-01-0{day}\n---\n## Post\n"),
        );
    }
    let report = check(&options(&site));
    let found: Vec<String> = lines(&report)
        .into_iter()
        .filter(|l| l.contains("/archive/"))
        .collect();
    // Shown on all three pagers, written once: one problem, in the Markdown.
    assert_eq!(
        found,
        ["error content/blog/_index.md:6:19: the link `/archive/` points at nothing in the site"]
    );
}

#[test]
fn titles_are_shared_whatever_their_case_and_a_blank_description_is_none() {
    let site = TestSite::minimal();
    site.write(
        "content/a.md",
        "---\ntitle: Getting started\ndescription: \"  \"\n---\n## A\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: getting Started \ndescription: The other one.\n---\n## B\n",
    );
    let report = check(&options(&site));
    let found: Vec<String> = lines(&report)
        .into_iter()
        .filter(|l| l.contains("content/a.md") || l.contains("content/b.md"))
        .collect();
    assert_eq!(
        found,
        [
            "warning content/a.md:2:8: the title `Getting started` is also the title of content/b.md",
            "warning content/a.md:2:8: this page has no description",
        ]
    );
}

#[test]
fn images_and_links_without_text_are_found_where_the_markdown_writes_them() {
    let site = TestSite::minimal();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\ndescription: Home.\n---\nWelcome.\n",
    );
    site.write(
        "content/faq.md",
        "---\ntitle: FAQ\ndescription: Questions.\n---\n## How long\n",
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ndescription: A page.\n---\nText.\n\n![](photo.png) and ![A photo](photo.png)\n\nSee [](faq.md) or [the FAQ](faq.md).\n",
    );
    std::fs::write(
        site.root().join("content/photo.png"),
        include_bytes!("../fixtures/check/static/img/logo.png"),
    )
    .unwrap();
    let report = check(&options(&site));
    assert_eq!(
        lines(&report),
        [
            "warning content/a.md:7:1: this image has no description (alt text)",
            "warning content/a.md:9:5: this link has no text",
        ]
    );
}

#[test]
fn a_site_without_a_description_is_told_at_its_description() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\ndescription: \"\"\n",
    );
    site.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    let report = check(&options(&site));
    assert_eq!(
        lines(&report),
        ["warning site.yaml:3:14: the site has no description, so its home page has none"]
    );
    // The home page's own description is enough.
    site.write(
        "content/_index.md",
        "---\ntitle: Home\ndescription: Welcome.\n---\nWelcome.\n",
    );
    assert!(lines(&check(&options(&site))).is_empty());
}
