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
