//! The template functions (`get_page`, `get_section`, `get_taxonomy`, `get_url`,
//! `get_integrity`, `resize_image`) and the site data behind them.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::values::PageValues;
use crate::assets::AssetMap;
use crate::images::{Catalog, Encoding, Op};
use crate::sync::{read, write};

/// Site data the template functions (`get_page`, `get_section`, `get_taxonomy`) can reach.
pub struct SiteLookup {
    /// Content key → index of the page in [`SiteLookup::page_values`].
    pub pages: HashMap<String, usize>,
    /// Every page's full value (with content), made when asked.
    pub page_values: PageValues,
    /// Content key → section value (with its pages).
    pub sections: HashMap<String, Value>,
    /// Taxonomy name → taxonomy value.
    pub taxonomies: HashMap<String, Value>,
    /// The site's base path, for `get_url`.
    pub base_path: String,
    /// Fingerprinted assets, for `get_url` and `get_integrity`.
    pub assets: AssetMap,
    /// The site's images, for `resize_image`.
    pub images: Arc<Catalog>,
}

impl SiteLookup {
    /// What `get_page(path=…)` returns for the page with this content key.
    pub fn page(&self, key: &str) -> Option<Value> {
        self.page_values.get(*self.pages.get(key)?)
    }

    /// What `get_url(path=…)` returns: the root-relative URL, fingerprinted for assets.
    pub fn url_for(&self, path: &str) -> String {
        let path = self
            .assets
            .get(path)
            .map_or(path.trim_start_matches('/'), |asset| asset.path.as_str());
        format!("{}{path}", self.base_path)
    }

    /// What `get_integrity(path=…)` returns, if `path` is a fingerprinted asset.
    pub fn integrity_for(&self, path: &str) -> Option<&str> {
        self.assets.get(path).map(|asset| asset.integrity.as_str())
    }
}

/// The site data behind the template functions. Functions are registered when templates
/// are parsed (tera checks that called functions exist), before the site is rendered; the
/// slot is filled once the data exists, and refilled on each rebuild when templates are reused.
#[derive(Clone, Default)]
pub struct LookupSlot(Arc<RwLock<Option<Arc<SiteLookup>>>>);

impl LookupSlot {
    /// Publishes the data of the current build.
    pub fn set(&self, lookup: SiteLookup) {
        *write(&self.0) = Some(Arc::new(lookup));
    }

    /// Withdraws the data of the current build, once every template is rendered; the
    /// caller decides when it is freed.
    pub fn take(&self) -> Option<Arc<SiteLookup>> {
        write(&self.0).take()
    }

    /// The data of the current build, if published.
    pub fn current(&self) -> Option<Arc<SiteLookup>> {
        read(&self.0).clone()
    }

    fn get(&self) -> TeraResult<Arc<SiteLookup>> {
        read(&self.0)
            .clone()
            .ok_or_else(|| Error::message("site data is not available while templates load"))
    }
}

/// Registers `get_page`, `get_section`, `get_taxonomy`, `get_url`, `get_integrity` and
/// `resize_image`.
pub fn register_functions(tera: &mut Tera, slot: LookupSlot) {
    let pages = slot.clone();
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<&str>("path")?;
        let lookup = pages.get()?;
        super::deps::note(super::deps::Dependency::Page(path.trim_start_matches('/').to_string()));
        lookup.page(path.trim_start_matches('/')).ok_or_else(|| {
            Error::message(format!(
                "get_page: no page `{path}` (name it by its path under content/, e.g. `reasons/healing.md`)"
            ))
        })
    });
    let sections = slot.clone();
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<&str>("path")?;
        let key = path.trim_start_matches('/').trim_end_matches('/');
        let key = if key.is_empty() {
            "_index.md".to_string()
        } else if key.ends_with("_index.md") {
            key.to_string()
        } else {
            format!("{key}/_index.md")
        };
        let lookup = sections.get()?;
        super::deps::note(super::deps::Dependency::Section(key.clone()));
        lookup.sections.get(&key).cloned().ok_or_else(|| {
            Error::message(format!(
                "get_section: no section `{path}` (name it like `reasons/_index.md`, or `_index.md` for home)"
            ))
        })
    });
    let taxonomies = slot.clone();
    tera.register_function(
        "get_taxonomy",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let name = kwargs.must_get::<&str>("name")?;
            let lookup = taxonomies.get()?;
            super::deps::note(super::deps::Dependency::Taxonomy(name.to_string()));
            lookup.taxonomies.get(name).cloned().ok_or_else(|| {
                Error::message(format!(
                    "get_taxonomy: no taxonomy `{name}` (cairn has `tags`)"
                ))
            })
        },
    );
    let urls = slot.clone();
    tera.register_function(
        "get_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let lookup = urls.get()?;
            super::deps::note(super::deps::Dependency::Url(path.to_string()));
            Ok(Value::from(lookup.url_for(path)))
        },
    );
    let images = slot.clone();
    tera.register_function(
        "resize_image",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let width = kwargs.get::<u32>("width")?;
            let height = kwargs.get::<u32>("height")?;
            let op_name = kwargs.get::<&str>("op")?.unwrap_or("fill");
            let format = kwargs.get::<&str>("format")?.unwrap_or("auto");
            let op = Op::parse(op_name, width, height)
                .map_err(|message| Error::message(format!("resize_image: {message}")))?;
            let lookup = images.get()?;
            let key = path.trim_start_matches('/');
            let encoding = match format {
                "auto" => lookup.images.own_encoding(key),
                other => Encoding::parse(other),
            };
            let Some(encoding) = encoding else {
                return Err(Error::message(match format {
                    "auto" => format!(
                        "resize_image: no image `{path}` (name a JPEG, PNG, WebP or GIF by its path under content/, e.g. `blog/photo.jpg`, or under static/)"
                    ),
                    other => format!(
                        "resize_image: `{other}` is not a format; use auto, webp, jpg or png"
                    ),
                }));
            };
            super::deps::note(super::deps::Dependency::Image(key.to_string(), op, encoding));
            match lookup.images.resize(key, op, encoding) {
                Some(Ok((url, width, height))) => {
                    let mut map = tera::Map::new();
                    map.insert("url".into(), url.into());
                    map.insert("width".into(), width.into());
                    map.insert("height".into(), height.into());
                    Ok(Value::from(map))
                }
                Some(Err(error)) => Err(Error::message(format!(
                    "resize_image: the image `{path}` {}",
                    error.message
                ))),
                None => Err(Error::message(format!(
                    "resize_image: no image `{path}` (name a JPEG, PNG, WebP or GIF by its path under content/, e.g. `blog/photo.jpg`, or under static/)"
                ))),
            }
        },
    );
    let hashes = slot;
    tera.register_function(
        "get_integrity",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let path = kwargs.must_get::<&str>("path")?;
            let lookup = hashes.get()?;
            super::deps::note(super::deps::Dependency::Integrity(path.to_string()));
            lookup.integrity_for(path).map(Value::from).ok_or_else(|| {
                Error::message(format!(
                    "get_integrity: `{path}` is not a fingerprinted stylesheet or script"
                ))
            })
        },
    );
}
