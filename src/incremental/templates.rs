//! Parsed templates, reused while no template file changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::diagnostics::Diagnostics;
use crate::stamp::FileStamp;
use crate::templates::Templates;
use crate::theme::ThemeChain;

/// The template set of the last build and the files it was parsed from.
#[derive(Default)]
pub struct TemplateCache {
    current: Mutex<Option<Parsed>>,
    generation: std::sync::atomic::AtomicU64,
}

impl TemplateCache {
    /// The templates of `chain` and the site, parsed again only when a file changed; with
    /// the generation number that identifies this parse.
    pub fn load(
        &self,
        root: &Path,
        chain: &ThemeChain,
    ) -> Result<(Arc<Templates>, u64), Diagnostics> {
        let files = template_stamps(root, chain);
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((stamps, templates, generation)) = current.as_ref()
            && *stamps == files
        {
            return Ok((templates.clone(), *generation));
        }
        *current = None;
        let templates = Arc::new(Templates::load(root, chain)?);
        let generation = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        *current = Some((files, templates.clone(), generation));
        Ok((templates, generation))
    }
}

/// A parse: the files it read, the templates and its generation number.
type Parsed = (Vec<(PathBuf, Option<FileStamp>)>, Arc<Templates>, u64);

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
        for found in crate::walk::files(&dir, &rules).0 {
            let stamp = FileStamp::of(&found.path);
            files.push((found.path, stamp));
        }
    }
    files
}
