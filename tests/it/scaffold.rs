//! `cairn init` and `cairn new` make sites that build, with the built-in theme.

use std::path::Path;
use std::process::{Command, Output};

fn cairn(dir: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .current_dir(dir)
        .env("XDG_CACHE_HOME", cache)
        .env("NO_COLOR", "1")
        .output()
        .expect("run cairn")
}

#[test]
fn init_then_new_then_build_works_without_a_themes_folder() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let init = cairn(work.path(), cache.path(), &["init", "blog"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let site = work.path().join("blog");
    assert!(!site.join("themes").exists());

    let new = cairn(
        &site,
        cache.path(),
        &["new", "notes/hello-world", "--title", "Hello, world"],
    );
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let page = std::fs::read_to_string(site.join("content/notes/hello-world.md")).unwrap();
    assert!(
        page.starts_with("---\ntitle: \"Hello, world\"\ndescription: \"\"\ndate: "),
        "{page}"
    );
    assert!(page.contains("\ndraft: true\n---\n## "), "{page}");
    assert!(site.join("content/notes/_index.md").is_file());

    let again = cairn(&site, cache.path(), &["new", "notes/hello-world"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("content/notes/hello-world.md already exists")
    );

    let build = cairn(&site, cache.path(), &["build", "--drafts"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    for file in [
        "index.html",
        "articles/first-article/index.html",
        "notes/hello-world/index.html",
        "404.html",
    ] {
        assert!(site.join("public").join(file).is_file(), "missing {file}");
    }
    let stylesheets: Vec<String> = std::fs::read_dir(site.join("public/assets/css"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        stylesheets.iter().any(|name| name.starts_with("site.")),
        "{stylesheets:?}"
    );
    let html = std::fs::read_to_string(site.join("public/notes/hello-world/index.html")).unwrap();
    assert!(html.contains("Hello, world"));

    // Without --drafts the new page is left out, and the site still builds.
    let published = cairn(&site, cache.path(), &["build"]);
    assert!(published.status.success());
    assert!(!site.join("public/notes/hello-world").exists());
}

#[test]
fn the_sample_article_is_a_draft_that_says_so() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let init = cairn(work.path(), cache.path(), &["init", "site"]);
    assert!(init.status.success());
    let site = work.path().join("site");
    let article = std::fs::read_to_string(site.join("content/articles/first-article.md")).unwrap();
    assert!(article.contains("\ndraft: true\n"), "{article}");
    assert!(article.contains("It is a **draft**"), "{article}");
    let build = cairn(&site, cache.path(), &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(site.join("public/index.html").is_file());
    assert!(!site.join("public/articles/first-article").exists());
    let drafts = cairn(&site, cache.path(), &["build", "--drafts"]);
    assert!(drafts.status.success());
    assert!(
        site.join("public/articles/first-article/index.html")
            .is_file()
    );
}

#[test]
fn hidden_files_are_not_published_except_well_known() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    assert!(
        cairn(work.path(), cache.path(), &["init", "site"])
            .status
            .success()
    );
    let site = work.path().join("site");
    assert!(site.join("static/.gitkeep").is_file());
    for (path, text) in [
        ("static/.env", "SECRET=1"),
        ("static/.hidden/file.txt", "no"),
        (
            "static/.well-known/security.txt",
            "Contact: mailto:a@example.org",
        ),
        (
            "content/.draft-notes.md",
            "---\ntitle: Notes\n---\nNot for the site.\n",
        ),
        (
            "content/articles/.backup/old.md",
            "---\ntitle: Old\n---\nOld.\n",
        ),
        ("content/.well-known/traffic-advice", "[]"),
    ] {
        let file = site.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let build = cairn(&site, cache.path(), &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let public = site.join("public");
    for hidden in [
        ".gitkeep",
        ".env",
        ".hidden",
        ".draft-notes",
        "articles/.backup",
        "articles/backup",
    ] {
        assert!(!public.join(hidden).exists(), "{hidden} was published");
    }
    assert!(public.join(".well-known/security.txt").is_file());
    assert!(public.join(".well-known/traffic-advice").is_file());
}

#[test]
fn init_picks_a_built_in_theme() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let init = cairn(
        work.path(),
        cache.path(),
        &["init", "site", "--theme", "paper"],
    );
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let site = work.path().join("site");
    let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(config.contains("\ntheme: paper\n"), "{config}");
    let build = cairn(&site, cache.path(), &["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let css: Vec<String> = std::fs::read_dir(site.join("public/assets/css"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(css.iter().any(|n| n.starts_with("paper.")), "{css:?}");
    assert!(css.iter().any(|n| n.starts_with("site.")), "{css:?}");

    let unknown = cairn(
        work.path(),
        cache.path(),
        &["init", "other", "--theme", "fancy"],
    );
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("default") && stderr.contains("paper"),
        "{stderr}"
    );
    assert!(!work.path().join("other").exists());
}

#[test]
fn a_site_names_a_built_in_theme_it_has_no_folder_for() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    assert!(
        cairn(work.path(), cache.path(), &["init", "site"])
            .status
            .success()
    );
    let site = work.path().join("site");
    let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        config.replace("theme: default", "theme: papr"),
    )
    .unwrap();
    let build = cairn(&site, cache.path(), &["build"]);
    assert_eq!(build.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(stderr.contains("there is no theme `papr`"), "{stderr}");
    assert!(stderr.contains("did you mean `paper`?"), "{stderr}");
}

#[test]
fn init_writes_what_each_host_needs_and_nothing_by_default() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let expected = [
        ("none", vec![]),
        ("netlify", vec!["netlify.toml"]),
        ("github", vec![".github/workflows/pages.yml"]),
        ("cloudflare", vec![".github/workflows/cloudflare-pages.yml"]),
        ("nginx", vec!["nginx.conf"]),
    ];
    let all: Vec<&str> = expected.iter().flat_map(|(_, f)| f.clone()).collect();
    for (host, files) in &expected {
        let name = format!("site-{host}");
        let out = cairn(work.path(), cache.path(), &["init", &name, "--host", host]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let site = work.path().join(&name);
        for file in &all {
            assert_eq!(
                site.join(file).is_file(),
                files.contains(file),
                "{host}: {file}"
            );
        }
        let build = cairn(&site, cache.path(), &["build"]);
        assert!(
            build.status.success(),
            "{}",
            String::from_utf8_lossy(&build.stderr)
        );
    }
    // Without --host and without a terminal, init asks nothing and writes no host files.
    let quiet = cairn(work.path(), cache.path(), &["init", "quiet"]);
    assert!(quiet.status.success());
    assert!(!String::from_utf8_lossy(&quiet.stdout).contains("Where will"));
    for file in &all {
        assert!(!work.path().join("quiet").join(file).exists(), "{file}");
    }
    let config = std::fs::read_to_string(work.path().join("site-netlify/site.yaml")).unwrap();
    assert!(
        config.contains("base_url: https://site-netlify.netlify.app/"),
        "{config}"
    );
    let config = std::fs::read_to_string(work.path().join("site-cloudflare/site.yaml")).unwrap();
    assert!(
        config.contains("base_url: https://site-cloudflare.pages.dev/"),
        "{config}"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("keep.txt"), "mine").unwrap();
    let out = cairn(work.path(), work.path(), &["init", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already exists and is not an empty folder")
    );
    assert_eq!(
        std::fs::read_to_string(work.path().join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_outside_a_site_says_how_to_start_one() {
    let work = tempfile::tempdir().unwrap();
    let out = cairn(work.path(), work.path(), &["new", "articles/x"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("there is no site.yaml"), "{stderr}");
    assert!(stderr.contains("cairn init DIR"), "{stderr}");
}

#[test]
fn init_in_a_terminal_asks_for_the_host_until_it_understands() {
    // `script` (util-linux) runs cairn on a pseudo-terminal, as a person would.
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let command = format!("{} init site", env!("CARGO_BIN_EXE_cairn"));
    let mut child = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(work.path())
        .env("XDG_CACHE_HOME", cache.path())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run script");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"vercel\n4\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("Where will the site be published?"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Answer with a number from 1 to 5"),
        "{stdout}"
    );
    let site = work.path().join("site");
    assert!(
        site.join(".github/workflows/cloudflare-pages.yml")
            .is_file()
    );
    assert!(!site.join(".github/workflows/pages.yml").exists());
}
