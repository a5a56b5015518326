//! `cairn new` and `cairn init`: the files an editor starts from.

use std::path::{Path, PathBuf};

use crate::deploy::hosts::Host;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

/// What `cairn new` should write.
#[derive(Debug, Clone)]
pub struct NewPage {
    /// The site root.
    pub root: PathBuf,
    /// `section/slug` (or just `slug` for a page on the home section), below `content/`.
    pub path: String,
    /// The title; default: made from the slug.
    pub title: Option<String>,
    /// The date written into the front matter, `YYYY-MM-DD`.
    pub date: String,
    /// Make a page bundle, `<slug>/index.md`, so the page's images go beside it.
    pub bundle: bool,
}

/// Today's date in the local time zone, `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::Zoned::now().date().to_string()
}

/// Writes `content/<section>/<slug>.md`, and the section's `_index.md` (and any missing
/// parent's) when missing. Refuses to overwrite anything. Returns the files written.
pub fn new_page(request: &NewPage) -> Result<Vec<PathBuf>, Diagnostic> {
    if !request.root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(format!(
            "there is no site.yaml in {}",
            request.root.display()
        ))
        .help("run `cairn new` in a site folder, pass --root DIR, or start a site with `cairn init DIR`"));
    }
    let trimmed = request
        .path
        .trim()
        .trim_start_matches("content/")
        .trim_matches('/');
    let trimmed = trimmed.strip_suffix(".md").unwrap_or(trimmed);
    let parts: Vec<&str> = trimmed.split('/').collect();
    if let Some((last, folders)) = parts.split_last()
        && let Some(refused) = index_path(&request.path, folders, &last.to_ascii_lowercase())
    {
        return Err(refused);
    }
    for part in &parts {
        let slug = slugify(part);
        if slug.is_empty() || *part != slug {
            let help = if slug.is_empty() {
                "use lowercase letters, digits and dashes, e.g. `articles/my-first-article`"
                    .to_string()
            } else {
                let fixed: Vec<String> = parts.iter().map(|p| slugify(p)).collect();
                format!("write it as a slug: `{}`", fixed.join("/"))
            };
            return Err(Diagnostic::error(format!(
                "`{}` is not a usable page path: `{part}` is not a slug",
                request.path
            ))
            .help(help));
        }
    }
    let (sections, slug) = parts.split_at(parts.len() - 1);
    let slug = slug[0];
    let content = request.root.join("content");
    let section_dir = sections.iter().fold(content.clone(), |dir, s| dir.join(s));
    let page = if request.bundle {
        section_dir.join(slug).join("index.md")
    } else {
        section_dir.join(format!("{slug}.md"))
    };
    let rel = |path: &Path| crate::diagnostics::SourceFile::display_name(&request.root, path);
    let section_index = section_dir.join(slug).join("_index.md");
    if section_index.exists() {
        return Err(Diagnostic::error(format!(
            "{} is a section already ({} exists), so a page cannot have its URL",
            rel(&section_dir.join(slug)),
            rel(&section_index)
        ))
        .help(format!(
            "add the page inside the section instead: `cairn new {}/<page>`",
            parts.join("/")
        )));
    }
    for existing in [
        section_dir.join(format!("{slug}.md")),
        section_dir.join(slug).join("index.md"),
    ] {
        if existing.exists() {
            return Err(
                Diagnostic::error(format!("{} already exists", rel(&existing)))
                    .help("choose another slug, or edit the existing page"),
            );
        }
    }
    let mut written = Vec::new();
    let mut dir = content.clone();
    for section in sections {
        dir = dir.join(section);
        let index = dir.join("_index.md");
        if !index.exists() {
            let text = format!(
                "---\ntitle: {}\ndescription: \"\"\nsort_by: date\n---\n",
                yaml_string(&title_from_slug(section))
            );
            write_new(&index, &text).map_err(|e| cannot_write(&rel(&index), &e))?;
            written.push(index);
        }
    }
    let title = request
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| title_from_slug(slug));
    let text = format!(
        "---\ntitle: {}\ndescription: \"\"\ndate: {}\ndraft: true\n---\n## Introduction\n\nWrite here. Fill in the description above, and remove `draft: true` to publish.\n",
        yaml_string(&title),
        request.date,
    );
    write_new(&page, &text).map_err(|e| cannot_write(&rel(&page), &e))?;
    written.push(page);
    Ok(written)
}

/// The refusal for a path naming `index` or `_index` itself: `index.md` makes a page
/// bundle of its folder, `--bundle` says so plainly; `_index.md` is a section's, which
/// `cairn new` writes when a section is missing.
fn index_path(path: &str, sections: &[&str], slug: &str) -> Option<Diagnostic> {
    let folder = sections.join("/");
    match slug {
        "index" if !folder.is_empty() => Some(
            Diagnostic::error(format!(
                "`{path}` would write content/{folder}/index.md, which turns the folder into one page"
            ))
            .help(format!(
                "for a page with its images beside it, run `cairn new {folder} --bundle` (it writes content/{folder}/index.md); for a page in a section, name the page: `cairn new {folder}/my-page`"
            )),
        ),
        "index" | "_index" if folder.is_empty() => Some(
            Diagnostic::error(format!("`{path}` names no page: give the page its own name"))
                .help("e.g. `cairn new articles/my-page`; the home page is content/_index.md"),
        ),
        "_index" => Some(
            Diagnostic::error(format!(
                "`{path}` names a section's own file: `cairn new` writes it when it adds a page to a new section"
            ))
            .help(format!("add a page to the section: `cairn new {folder}/my-page`")),
        ),
        _ => None,
    }
}

/// What `cairn init` should write.
#[derive(Debug, Clone)]
pub struct NewSite {
    /// The folder to create the site in; created, or must be empty.
    pub dir: PathBuf,
    /// The site title; default: made from the folder name.
    pub title: Option<String>,
    /// Today's date, `YYYY-MM-DD`, for the example article.
    pub date: String,
    /// The theme, one of those built into cairn.
    pub theme: String,
    /// Where the site will be published: which host files to write.
    pub host: Host,
}

/// Creates a site that builds and serves at once with a built-in theme, and the files its
/// host needs.
pub fn init_site(request: &NewSite) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = &request.dir;
    if !crate::embedded_theme::is_built_in(&request.theme) {
        return Err(
            Diagnostic::error(format!("there is no built-in theme `{}`", request.theme)).help(
                format!(
                    "choose one of: {}",
                    crate::embedded_theme::names().join(", ")
                ),
            ),
        );
    }
    if dir.exists() {
        let empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none());
        if !dir.is_dir() || !empty {
            return Err(Diagnostic::error(format!(
                "{} already exists and is not an empty folder",
                dir.display()
            ))
            .help("pass the name of a new folder, e.g. `cairn init my-site`"));
        }
    }
    // `cairn init .` names the site after the current folder.
    let folder_name = std::path::absolute(dir)
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let slug = Some(slugify(&folder_name))
        .filter(|slug| !slug.is_empty())
        .unwrap_or_else(|| "my-site".to_string());
    let title = request
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| title_from_slug(&slug));
    let host = request.host;
    let mut files: Vec<(&str, String)> = vec![
        (
            "site.yaml",
            format!(
                "# The site's settings; see \"Configuration\" in the cairn guide for every key.\ntitle: {}\n{}\nbase_url: {}\nlanguage: en\ndescription: \"\"\n# Built into cairn: {}.\ntheme: {}\n",
                yaml_string(&title),
                host.base_url_comment(),
                host.base_url(&slug),
                crate::embedded_theme::names().join(", "),
                request.theme,
            ),
        ),
        (
            "content/_index.md",
            format!(
                "---\ntitle: {}\ndescription: A new site made with cairn.\n---\nWelcome. This is the home page, `content/_index.md`.\n\nThe example article, `content/articles/first-article.md`, is a draft: `cairn serve` shows\nit, marked \"Draft\", and `cairn build` leaves it out until you publish it.\n",
                yaml_string(&title)
            ),
        ),
        (
            "content/articles/_index.md",
            "---\ntitle: Articles\ndescription: Everything written so far, newest first.\nsort_by: date\n---\n".to_string(),
        ),
        (
            "content/articles/first-article.md",
            format!(
                "---\ntitle: The first article\ndescription: What a page looks like, to copy from.\ndate: {}\ntags: [example]\n# A draft: shown by `cairn serve`, never published by `cairn build`.\ndraft: true\n---\nThis is `content/articles/first-article.md`, an example to copy from. It is a **draft**\n(`draft: true` above), so it never goes live by accident: `cairn serve` shows it, and\n`cairn build` leaves it out. Make it your first article and remove `draft: true`, or\ndelete this file.\n\nRun `cairn serve`, edit this file and watch the browser update.\n\n## Front matter\n\nThe lines between the two `---` at the top are the page's settings: its `title`, a\none-sentence `description` for lists and search engines, its `date` and `tags`.\n\n## Links\n\nLink to other pages by their file: [the home page](../_index.md). Headings get ids,\nso [this section](#links) works too.\n\n## Next steps\n\n- Add a page with `cairn new articles/my-article --title \"My article\"`.\n- Check the site before publishing with `cairn check`.\n- Build it into `public/` with `cairn build`, and publish that folder.\n",
                request.date
            ),
        ),
        // Keeps the empty folder in git; names starting with `.` are never published.
        ("static/.gitkeep", String::new()),
        (".gitignore", "/public/\n/.cairn/\n".to_string()),
    ];
    files.extend(host.files(&slug));
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text).map_err(|e| cannot_write(&path.display().to_string(), &e))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a new file (and its folders); fails rather than overwrite.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

fn cannot_write(name: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot write {name}: {}",
        crate::diagnostics::io_reason(error)
    ))
    .help("check that the folder is writable")
}

/// A title from a slug: `my-first-post` → `My first post`.
pub fn title_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}

/// A YAML scalar for any text: a JSON string is a valid double-quoted YAML scalar.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_from_slug("my-first_post"), "My first post");
        assert_eq!(title_from_slug(""), "Untitled");
    }

    #[test]
    fn new_refuses_bad_paths_and_existing_pages() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: x\nbase_url: https://e.org/\n",
        )
        .unwrap();
        let request = |path: &str| NewPage {
            root: dir.path().to_path_buf(),
            path: path.into(),
            title: Some("A \"quoted\" title: yes".into()),
            date: "2025-02-03".into(),
            bundle: false,
        };
        let error = new_page(&request("Articles/My Post")).unwrap_err();
        assert_eq!(
            error.help.as_deref(),
            Some("write it as a slug: `articles/my-post`")
        );
        assert!(new_page(&request("a/../b")).is_err());
        let written = new_page(&request("notes/first")).unwrap();
        assert_eq!(written.len(), 2);
        let text = std::fs::read_to_string(dir.path().join("content/notes/first.md")).unwrap();
        assert!(text.starts_with("---\ntitle: \"A \\\"quoted\\\" title: yes\"\ndescription: \"\"\ndate: 2025-02-03\ndraft: true\n---\n## Introduction\n"), "{text}");
        let again = new_page(&request("notes/first")).unwrap_err();
        assert_eq!(again.message, "content/notes/first.md already exists");
    }

    #[test]
    fn new_refuses_index_paths_and_makes_bundles_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: x\nbase_url: https://e.org/\n",
        )
        .unwrap();
        let request = |path: &str, bundle: bool| NewPage {
            root: dir.path().to_path_buf(),
            path: path.into(),
            title: None,
            date: "2025-02-03".into(),
            bundle,
        };
        let error = new_page(&request("articles/trip/index", false)).unwrap_err();
        assert_eq!(
            error.message,
            "`articles/trip/index` would write content/articles/trip/index.md, which turns the folder into one page"
        );
        assert!(
            error
                .help
                .unwrap()
                .contains("`cairn new articles/trip --bundle`"),
            "the help offers --bundle"
        );
        let error = new_page(&request("articles/_index", false)).unwrap_err();
        assert!(
            error.message.contains("a section's own file"),
            "{}",
            error.message
        );
        assert!(new_page(&request("index", false)).is_err());
        // Written in capitals, it is still `index`: the advice is --bundle, not `index`.
        let error = new_page(&request("articles/trip/INDEX.md", false)).unwrap_err();
        assert!(error.message.contains("turns the folder into one page"));
        let written = new_page(&request("articles/trip", true)).unwrap();
        assert!(written.ends_with(&[dir.path().join("content/articles/trip/index.md")]));
        // The page exists now, as a bundle: a page of the same name is refused.
        let again = new_page(&request("articles/trip", false)).unwrap_err();
        assert_eq!(
            again.message,
            "content/articles/trip/index.md already exists"
        );
        // A section of that name is refused too.
        new_page(&request("notes/first", false)).unwrap();
        let error = new_page(&request("notes", false)).unwrap_err();
        assert!(
            error.message.contains("is a section already"),
            "{}",
            error.message
        );
    }
}
