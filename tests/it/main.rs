//! The integration tests: one binary, one module per area, sharing the fixture-site harness
//! in `common`. Each builds real sites (fixtures under `tests/fixtures/` or sites written by
//! the test) and checks the output with real parsers, servers and clients.

mod architecture;
mod build;
mod check;
mod common;
mod deploy;
mod errors;
mod hostile;
mod images;
mod incremental;
mod integrity;
mod mistakes;
mod properties;
mod quiz;
mod scaffold;
mod search;
mod series;
mod serve;
mod shipped_site;
mod snapshots;
