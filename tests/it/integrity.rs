//! Integrity: nothing in a site's files can reach outside the output folder, publish files
//! from elsewhere on the machine, replace a generated page, or leave the output torn.
//! Each test names the finding it covers; each failed on the code before the fix.

use std::path::{Path, PathBuf};

use crate::common::{TestSite, snapshot};

/// A name unique to this test run, so a file escaping into a shared folder is found.
fn unique(name: &str) -> String {
    format!("cairn-escape-{}-{name}", std::process::id())
}

/// Every folder from the site root's parent up to the file system root.
fn ancestors(site: &TestSite) -> Vec<PathBuf> {
    site.root()
        .ancestors()
        .skip(1)
        .map(Path::to_path_buf)
        .collect()
}

fn messages(problems: &cairn::diagnostics::Diagnostics) -> String {
    problems.render(false)
}

// Finding 1 (critical): backslashes in file names were turned into separators, so
// `a\..\..\..\x.txt` in static/ or a page bundle was written outside public/.

#[cfg(unix)]
#[test]
fn a_static_file_named_with_backslashes_is_refused_and_nothing_escapes() {
    let site = TestSite::minimal();
    site.build();
    let before = snapshot(&site.public());
    let escaped = unique("static.txt");
    let name = format!("a\\..\\..\\..\\..\\..\\..\\{escaped}");
    site.write(&format!("static/{name}"), "pwned");
    site.write(&format!("static/\\tmp\\{escaped}"), "pwned");
    let problems = site.build_err();
    let text = messages(&problems);
    assert!(text.contains("file names may not contain `\\`"), "{text}");
    assert!(text.contains(&format!("static/{name}")), "{text}");
    for dir in ancestors(&site) {
        assert!(!dir.join(&escaped).exists(), "written to {}", dir.display());
    }
    assert!(!Path::new("/tmp").join(&escaped).exists());
    assert_eq!(before, snapshot(&site.public()), "public/ is untouched");
}

#[cfg(unix)]
#[test]
fn a_bundle_asset_named_with_backslashes_is_refused() {
    let site = TestSite::minimal();
    site.write("content/post/index.md", "---\ntitle: Post\n---\nText.\n");
    let escaped = unique("bundle.txt");
    site.write(
        &format!("content/post/a\\..\\..\\..\\..\\{escaped}"),
        "pwned",
    );
    let problems = site.build_err();
    let first = &problems[0];
    assert!(first.message.contains("may not contain `\\`"), "{first}");
    assert!(
        first.location().starts_with("content/post/a\\..\\"),
        "{}",
        first.location()
    );
    for dir in ancestors(&site) {
        assert!(!dir.join(&escaped).exists(), "written to {}", dir.display());
    }
}

// Finding 2: symbolic links leaving the site were followed and published.

#[cfg(unix)]
#[test]
fn a_static_link_to_a_file_outside_the_site_is_refused_unless_allowed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET=1").unwrap();
    let site = TestSite::minimal();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.root().join("static/env.txt"),
    )
    .unwrap();
    let problems = site.build_err();
    let first = &problems[0];
    assert!(first.message.contains("points outside the site"), "{first}");
    assert_eq!(first.location(), "static/env.txt");
    assert!(!site.public().join("env.txt").exists());

    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nfollow_outside_symlinks: true\n",
    );
    site.build();
    assert_eq!(site.read("env.txt"), "SECRET=1", "the setting allows it");
}

#[cfg(unix)]
#[test]
fn a_page_linked_to_a_system_file_is_refused_without_printing_it() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("passwd"),
        "root:x:0:0:root:/root:/bin/bash\n",
    )
    .unwrap();
    let site = TestSite::minimal();
    std::os::unix::fs::symlink(
        outside.path().join("passwd"),
        site.root().join("content/passwd.md"),
    )
    .unwrap();
    let problems = site.build_err();
    let text = messages(&problems);
    assert!(text.contains("content/passwd.md"), "{text}");
    assert!(text.contains("points outside the site"), "{text}");
    assert!(
        !text.contains("root:x"),
        "the file's text is not shown: {text}"
    );
}

#[cfg(unix)]
#[test]
fn a_content_folder_linked_outside_the_site_is_refused_and_links_inside_work() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("photo.png"), "png").unwrap();
    let site = TestSite::minimal();
    site.write("shared/note.md", "---\ntitle: Note\n---\nShared.\n");
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/linked")).unwrap();
    let problems = site.build_err();
    assert_eq!(problems[0].location(), "content/linked");
    std::fs::remove_file(site.root().join("content/linked")).unwrap();
    // A link to a folder inside the site is fine.
    std::os::unix::fs::symlink(
        site.root().join("shared"),
        site.root().join("content/inner"),
    )
    .unwrap();
    site.build();
    assert!(site.public().join("inner/note/index.html").is_file());
}

// Finding 3: an asset or alias could replace a generated page.

#[test]
fn an_alias_over_a_generated_page_is_an_error_naming_both() {
    for (alias, expected) in [
        ("/index.html", "content/_index.md"),
        ("/404.html", "the 404 page"),
        ("/tags/", "the tag pages"),
        ("/search/", "the page listing every page for search"),
        ("/sitemap.xml/", "the sitemap"),
        ("/atom.xml/", "the Atom feed"),
        ("/_redirects/", "_redirects"),
    ] {
        let site = TestSite::minimal();
        site.build();
        let before = snapshot(&site.public());
        site.write(
            "content/a.md",
            &format!(
                "---\ntitle: A\ndate: 2024-01-01\ntags: [x]\naliases: [\"{alias}\"]\n---\nText.\n"
            ),
        );
        let problems = site.build_err();
        let text = messages(&problems);
        assert!(
            text.contains(&format!("the alias `{alias}` in content/a.md")),
            "{alias}: {text}"
        );
        assert!(text.contains(expected), "{alias}: {text}");
        assert!(
            text.contains("content/a.md:5:"),
            "{alias}: points at the alias: {text}"
        );
        assert_eq!(
            before,
            snapshot(&site.public()),
            "{alias}: public/ untouched"
        );
    }
}

#[test]
fn aliases_that_would_be_host_wildcards_are_refused() {
    for alias in ["/old page/", "/blog/*", "/:splat/", "/a\tb/"] {
        let site = TestSite::minimal();
        site.write(
            "content/a.md",
            &format!("---\ntitle: A\naliases: [{alias:?}]\n---\n"),
        );
        let problems = site.build_err();
        assert!(
            problems[0].message.contains("cannot be a URL path"),
            "{alias}: {}",
            problems[0]
        );
    }
}

#[test]
fn an_asset_over_a_section_page_is_an_error_naming_both() {
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nunsafe_html: true\n",
    );
    site.write("content/blog/_index.md", "---\ntitle: Blog\n---\n");
    site.write("content/blog/index.html", "<p>mine</p>");
    let problems = site.build_err();
    assert_eq!(
        problems[0].message,
        "two files publish the same URL `/blog/`: content/blog/_index.md and content/blog/index.html"
    );
}

#[test]
fn static_files_that_collide_with_pages_or_each_other_in_letter_case_are_errors() {
    let site = TestSite::minimal();
    site.write("content/about.md", "---\ntitle: About\n---\n");
    site.write("static/about/index.html", "<p>static</p>");
    let problems = site.build_err();
    assert!(
        problems[0]
            .message
            .contains("two files publish the same URL `/about/`"),
        "{}",
        problems[0]
    );

    let site = TestSite::minimal();
    site.write("static/Logo.png", "a");
    site.write("static/logo.png", "b");
    let problems = site.build_err();
    assert!(
        problems[0].message.contains("differ only in letter case"),
        "{}",
        problems[0]
    );
}

#[test]
fn the_site_may_still_replace_robots_txt_and_the_theme_files() {
    let site = TestSite::minimal();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.write("static/_redirects", "/old /new 301\n");
    site.build();
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
    assert_eq!(site.read("_redirects"), "/old /new 301\n");
}

// Finding 4: files a browser runs, dropped into content/, were published on the site's
// own address.

#[test]
fn files_a_browser_runs_are_refused_in_content_but_not_in_static() {
    for name in ["x.js", "x.mjs", "x.html", "x.svg", "x.xhtml", "x.XML"] {
        let site = TestSite::minimal();
        site.write(&format!("content/blog/{name}"), "alert(1)");
        let problems = site.build_err();
        assert!(
            problems[0].message.contains("a browser runs them"),
            "{name}: {}",
            problems[0]
        );
        assert_eq!(problems[0].location(), format!("content/blog/{name}"));
        let site = TestSite::minimal();
        site.write(&format!("static/{name}"), "owner's file");
        site.build();
        let published = snapshot(&site.public())
            .into_iter()
            .any(|(path, bytes)| path.ends_with(&name[1..]) && bytes == b"owner's file");
        assert!(published, "{name} from static/ is published");
    }
    let site = TestSite::minimal();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://example.org/\nunsafe_html: true\n",
    );
    site.write("content/diagram.svg", "<svg/>");
    site.build();
    assert!(
        site.public().join("diagram.svg").is_file(),
        "allowed with unsafe_html"
    );
}

// Finding 7: output folder refusals could be bypassed.

#[cfg(unix)]
#[test]
fn an_output_folder_through_a_link_into_content_is_refused() {
    let site = TestSite::minimal();
    std::os::unix::fs::symlink(site.root().join("content"), site.root().join("out")).unwrap();
    let mut options = site.options();
    options.output = Some(site.root().join("out/public"));
    let problems = cairn::build(&options).unwrap_err();
    assert!(
        problems[0]
            .message
            .contains("inside the site's content/ folder"),
        "{}",
        problems[0]
    );
    assert!(!site.root().join("content/public").exists());
}

#[test]
fn another_site_is_never_an_output_folder_even_with_the_marker() {
    let site = TestSite::minimal();
    let other = TestSite::minimal();
    std::fs::write(other.root().join(".cairn-build"), "").unwrap();
    let mut options = site.options();
    options.output = Some(other.root().to_path_buf());
    let problems = cairn::build(&options).unwrap_err();
    assert!(
        problems[0].message.contains("holds a site"),
        "{}",
        problems[0]
    );
    assert!(other.root().join("content/_index.md").is_file());
}

// Finding 8: characters XML 1.0 forbids, valid as YAML escapes, made atom.xml invalid.

#[test]
fn a_feed_with_characters_xml_forbids_still_parses() {
    let site = TestSite::minimal();
    site.write(
        "content/a.md",
        "---\ntitle: \"Odd \\uFFFF\\uFFFE\\x01 title\"\ndescription: \"\\x1b[31m\"\ndate: 2024-01-01\ntags: [\"t\\uFFFF\"]\n---\nBody \u{FFFF}.\n",
    );
    site.build();
    let feed = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("atom.xml is XML");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .and_then(|entry| entry.children().find(|n| n.has_tag_name("title")))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(title, "Odd  title");
    roxmltree::Document::parse(&site.read("sitemap.xml")).expect("sitemap.xml is XML");
}

// Finding 5: a failure in the write stage left some pages new and some old, files
// truncated mid-tag, and the message said "Nothing was written".

/// A site of `pages` pages, each with the word `version` in its body.
fn many_pages(site: &TestSite, pages: usize, version: &str) {
    for i in 0..pages {
        site.write(
            &format!("content/p{i}.md"),
            &format!(
                "---\ntitle: Page {i}\n---\nThis is {version} of page {i}.\n\n{}\n",
                "Filler text. ".repeat(200)
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_only_whole_files() {
    let site = TestSite::minimal();
    many_pages(&site, 300, "version one");
    site.build();
    many_pages(&site, 300, "version two");
    let binary = env!("CARGO_BIN_EXE_cairn");
    for (round, delay) in [5u64, 40, 80, 120, 200, 300].into_iter().enumerate() {
        // A new section each round: its folder is new to the output, too.
        for i in 0..40 {
            site.write(
                &format!("content/new{round}/n{i}.md"),
                &format!("---\ntitle: New {i}\n---\nNew page {i}.\n"),
            );
        }
        let mut child = std::process::Command::new(binary)
            .args(["build", "--root"])
            .arg(site.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        for i in 0..300 {
            let html = site.read(&format!("p{i}/index.html"));
            assert!(
                html.trim_end().ends_with("</html>"),
                "p{i} is whole after a kill at {delay} ms"
            );
            assert!(
                html.contains("version one") || html.contains("version two"),
                "p{i} after a kill at {delay} ms"
            );
        }
        if site.public().join(format!("new{round}")).exists() {
            for i in 0..40 {
                let html = site.read(&format!("new{round}/n{i}/index.html"));
                assert!(html.trim_end().ends_with("</html>"), "new{round}/n{i}");
            }
        }
        let next = if round % 2 == 0 {
            "version one"
        } else {
            "version two"
        };
        many_pages(&site, 300, next);
    }
    site.build();
    let left: Vec<_> = walkdir::WalkDir::new(site.public())
        .into_iter()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".cairn-") && name != ".cairn-build")
        .collect();
    assert!(left.is_empty(), "cleared by the next build: {left:?}");
    for round in 0..6 {
        assert!(
            site.public()
                .join(format!("new{round}/n39/index.html"))
                .is_file()
        );
    }
}
