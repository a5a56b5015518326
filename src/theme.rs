//! Themes: `themes/<name>/` with `theme.yaml`, `templates/` and `static/`, possibly extending
//! another theme.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::walk;
use crate::yaml::{self, Spanned};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extends: Option<Spanned<String>>,
    #[serde(default)]
    image_sizes: Option<String>,
}

/// One theme folder.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The folder name, which is how templates and `extends` name it.
    pub name: String,
    /// What the theme is for.
    pub description: String,
    /// `themes/<name>/`.
    pub dir: PathBuf,
    /// How its folders are walked: links confined to the site, or for the built-in theme
    /// (unpacked outside the site) to its own folder.
    pub rules: walk::Rules,
    /// The `sizes` attribute of responsive images in content: how wide the theme shows
    /// them (`image_sizes:` in theme.yaml).
    pub image_sizes: Option<String>,
}

impl Theme {
    /// The theme's `templates/` folder.
    pub fn templates_dir(&self) -> PathBuf {
        self.dir.join("templates")
    }

    /// The theme's `static/` folder.
    pub fn static_dir(&self) -> PathBuf {
        self.dir.join("static")
    }
}

/// The theme a site uses, then the theme it extends, and so on: most specific first.
#[derive(Debug, Clone)]
pub struct ThemeChain(pub Vec<Theme>);

impl ThemeChain {
    /// How the site's own folders are walked, under the same link setting as the themes.
    pub fn site_rules(&self, root: &Path) -> walk::Rules {
        let follow = self.0.first().is_some_and(|t| t.rules.follow_outside);
        walk::Rules::for_site(root, follow)
    }

    /// The `sizes` of content images: the most specific theme's that sets it, else the
    /// whole viewport's width.
    pub fn image_sizes(&self) -> &str {
        self.0
            .iter()
            .find_map(|theme| theme.image_sizes.as_deref())
            .unwrap_or("100vw")
    }
}

/// Resolves the site's theme and everything it extends.
pub fn resolve(root: &Path, config: &Config) -> Result<ThemeChain, Diagnostic> {
    let themes_dir = root.join("themes");
    let mut chain: Vec<Theme> = Vec::new();
    let mut wanted = config.theme.clone();
    let mut named_at: Option<(SourceFile, std::ops::Range<usize>)> = config
        .theme_range
        .clone()
        .map(|r| (config.source.clone(), r));
    loop {
        let mut dir = themes_dir.join(&wanted);
        let site_rules = walk::Rules::for_site(root, config.follow_outside_symlinks);
        let mut rules = site_rules.clone();
        // A site without its own copy of a shipped theme uses the one built into cairn.
        let built_in = if dir.join("theme.yaml").is_file() {
            None
        } else {
            crate::embedded_theme::theme_dir(&wanted)?
        };
        if let Some(built_in) = built_in {
            dir = built_in;
            rules.confine = walk::canonical(&dir);
        } else if !config.follow_outside_symlinks
            && dir.exists()
            && !walk::canonical(&dir).starts_with(&site_rules.confine)
        {
            let diagnostic = Diagnostic::error(format!(
                "the theme folder themes/{wanted} is a link to a folder outside the site, {}",
                walk::canonical(&dir).display()
            ));
            let diagnostic = match &named_at {
                Some((source, range)) => diagnostic.at(source, range.clone()),
                None => diagnostic.in_file(crate::config::CONFIG_FILE),
            };
            return Err(diagnostic.help("copy the theme into themes/, or set `follow_outside_symlinks: true` in site.yaml if you trust where it points"));
        }
        let valid_name = !wanted.is_empty()
            && wanted
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if !valid_name || !dir.join("theme.yaml").is_file() {
            let available = available_themes(&themes_dir);
            let mut diagnostic = Diagnostic::error(format!("there is no theme `{wanted}`"));
            diagnostic = match &named_at {
                Some((source, range)) => diagnostic.at(source, range.clone()),
                None => diagnostic.in_file(crate::config::CONFIG_FILE),
            };
            let help = match crate::suggest::closest(&wanted, available.iter().map(String::as_str))
            {
                Some(best) => format!("did you mean `{best}`?"),
                None if available.is_empty() => {
                    "add a theme under themes/<name>/ with a theme.yaml".to_string()
                }
                None => format!("themes here: {}", available.join(", ")),
            };
            return Err(diagnostic.help(help));
        }
        if chain.iter().any(|t| t.name == wanted) {
            let names: Vec<&str> = chain.iter().map(|t| t.name.as_str()).collect();
            let mut diagnostic = Diagnostic::error(format!(
                "themes extend each other in a loop: {} -> {wanted}",
                names.join(" -> ")
            ));
            if let Some((source, range)) = &named_at {
                diagnostic = diagnostic.at(source, range.clone());
            }
            return Err(diagnostic.help("remove `extends:` from one of them"));
        }
        let file_path = dir.join("theme.yaml");
        walk::check_file(&file_path, &rules)?;
        let text = std::fs::read_to_string(&file_path).map_err(|error| {
            Diagnostic::error(format!(
                "cannot read theme.yaml: {}",
                crate::diagnostics::io_reason(&error)
            ))
            .in_file(SourceFile::display_name(root, &file_path))
        })?;
        let source = SourceFile::new(SourceFile::display_name(root, &file_path), text);
        let parsed: ThemeFile = yaml::parse_document(&yaml::Document::file(&source, "theme.yaml"))?;
        if parsed.name.value != wanted {
            return Err(Diagnostic::error(format!(
                "the theme's name `{}` differs from its folder `{wanted}`",
                parsed.name.value
            ))
            .at(&source, yaml::range_of(&parsed.name, 0))
            .help("a theme is named after its folder; make the two the same"));
        }
        chain.push(Theme {
            name: wanted.clone(),
            description: parsed.description.unwrap_or_default(),
            dir,
            rules,
            image_sizes: parsed.image_sizes.filter(|sizes| !sizes.trim().is_empty()),
        });
        match parsed.extends {
            Some(parent) => {
                named_at = Some((source.clone(), yaml::range_of(&parent, 0)));
                wanted = parent.value;
            }
            None => return Ok(ThemeChain(chain)),
        }
    }
}

/// The site's own themes and the built-in ones, for "did you mean".
fn available_themes(themes_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(themes_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().join("theme.yaml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .chain(crate::embedded_theme::names().into_iter().map(String::from))
        .collect();
    names.sort();
    names.dedup();
    names
}
