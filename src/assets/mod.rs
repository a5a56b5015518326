//! Assets: the files published as they are (the theme's and the site's `static/`, files
//! from `content/`) and the stylesheets cairn generates, with stylesheets and scripts
//! fingerprinted for caching.

pub mod fingerprint;
mod minify;

use std::path::{Path, PathBuf};

use crate::content::Site;
use crate::diagnostics::{self, Diagnostics};
use crate::output::{CopiedFile, Kind, Origin, OutputFile};
use crate::paths::RelPath;
use crate::theme::ThemeChain;
use crate::walk;

pub use fingerprint::AssetMap;

/// The site's assets, ready to publish.
pub struct Assets {
    /// Files copied as they are.
    pub copies: Vec<CopiedFile>,
    /// Generated and fingerprinted files.
    pub files: Vec<OutputFile>,
    /// Original path → fingerprinted file, for `get_url` in templates.
    pub map: AssetMap,
}

/// Collects every asset of the site, fingerprinting stylesheets and scripts when asked
/// (`cairn serve` does not, so a stylesheet keeps its URL and can be swapped in place).
pub fn collect(
    root: &Path,
    chain: &ThemeChain,
    site: &Site,
    fingerprint: bool,
    problems: &mut Diagnostics,
) -> Option<Assets> {
    let generated = vec![OutputFile {
        path: RelPath::fixed("css/syntax.css"),
        bytes: bytes::Bytes::from_static(crate::markdown::highlight_stylesheet().as_bytes()),
        origin: Origin::generated("the highlighting stylesheet"),
    }];
    let copies = static_copies(root, chain, site, problems)?;
    if !fingerprint {
        return Some(Assets {
            copies,
            files: generated,
            map: AssetMap::default(),
        });
    }
    match fingerprint::fingerprint(copies, generated, &site.config.base_url) {
        Ok((copies, files, map)) => Some(Assets { copies, files, map }),
        Err(problem) => {
            problems.push(problem);
            None
        }
    }
}

/// Static files: the theme chain from the most general theme, then the site's `static/`
/// (a later file replaces an earlier one at the same path), then content assets.
fn static_copies(
    root: &Path,
    chain: &ThemeChain,
    site: &Site,
    problems: &mut Diagnostics,
) -> Option<Vec<CopiedFile>> {
    let mut chosen: std::collections::BTreeMap<RelPath, CopiedFile> = Default::default();
    let mut refused = Diagnostics::default();
    let site_rules = walk::Rules::for_site(root, site.config.follow_outside_symlinks);
    let mut dirs: Vec<(PathBuf, walk::Rules)> = chain
        .0
        .iter()
        .rev()
        .map(|theme| (theme.static_dir(), theme.rules.clone()))
        .collect();
    dirs.push((root.join("static"), site_rules));
    for (dir, rules) in dirs {
        for file in walk::files(&dir, &rules, &mut refused) {
            let name = diagnostics::SourceFile::display_name(root, &file.path);
            chosen.insert(
                file.rel.clone(),
                CopiedFile {
                    source: file.path,
                    path: file.rel,
                    origin: Origin::file(Kind::Static, name),
                    hash: None,
                },
            );
        }
    }
    let stop = refused.has_errors();
    problems.extend(refused);
    if stop {
        return None;
    }
    let mut copies: Vec<CopiedFile> = chosen.into_values().collect();
    for asset in site
        .assets
        .iter()
        .chain(site.pages.iter().flat_map(|p| &p.assets))
    {
        copies.push(CopiedFile {
            source: asset.source.clone(),
            path: asset.output.clone(),
            origin: Origin::file(Kind::Asset, &*asset.name),
            hash: None,
        });
    }
    Some(copies)
}
