//! Loading the templates, reusing the last parse while no template file changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::Templates;
use crate::diagnostics::Diagnostics;
use crate::stamp::FileStamp;
use crate::sync::lock;
use crate::theme::ThemeChain;

/// The template set of the last build and the stamps of the files it was parsed from; off,
/// it remembers nothing and every load parses.
pub struct TemplateMemo {
    last: Option<Mutex<Option<Parsed>>>,
}

/// A parse: the files it read and the templates.
type Parsed = (Vec<(PathBuf, Option<FileStamp>)>, Arc<Templates>);

impl Default for TemplateMemo {
    /// A memo that remembers.
    fn default() -> Self {
        Self::new()
    }
}

impl TemplateMemo {
    /// A memo that remembers the last parse.
    pub fn new() -> TemplateMemo {
        TemplateMemo {
            last: Some(Mutex::new(None)),
        }
    }

    /// A memo that remembers nothing.
    pub fn off() -> TemplateMemo {
        TemplateMemo { last: None }
    }
}

/// The templates of `chain` and the site, parsed again only when a file changed.
pub fn load(
    root: &Path,
    chain: &ThemeChain,
    memo: &TemplateMemo,
    problems: &mut Diagnostics,
) -> Option<Arc<Templates>> {
    let Some(last) = &memo.last else {
        return Templates::load(root, chain, problems).map(Arc::new);
    };
    let files = template_stamps(root, chain);
    let mut last = lock(last);
    if let Some((stamps, templates)) = last.as_ref()
        && *stamps == files
    {
        return Some(templates.clone());
    }
    *last = None;
    let templates = Arc::new(Templates::load(root, chain, problems)?);
    *last = Some((files, templates.clone()));
    Some(templates)
}

/// Every file in every templates folder the site uses, with its stamp, in a stable order.
fn template_stamps(root: &Path, chain: &ThemeChain) -> Vec<(PathBuf, Option<FileStamp>)> {
    let dirs = std::iter::once((root.join("templates"), chain.site_rules(root))).chain(
        chain
            .0
            .iter()
            .map(|theme| (theme.templates_dir(), theme.rules.clone())),
    );
    let mut files = Vec::new();
    for (dir, rules) in dirs {
        // A marker per folder, so the chain itself is part of the comparison.
        files.push((dir.clone(), None));
        // Refused files are reported by the parse; here they only need no stamp.
        for found in crate::walk::files(&dir, &rules, &mut Diagnostics::default()) {
            let stamp = FileStamp::of(&found.path);
            files.push((found.path, stamp));
        }
    }
    files
}
