//! The content model: pages, sections, tags and assets, loaded from `content/`.
//!
//! [`load`] reads every file, parses front matter, gives each page and section its URL,
//! refuses collisions, orders sections, collects tags and resolves series. The result is plain data that the
//! later stages only read.

pub mod dates;
pub mod front_matter;
pub mod links;
mod load;
mod model;
mod series;
pub mod walk;

pub use load::{LoadOptions, ParseMemo, ParsedFile, asset_output, load};
pub use model::*;
