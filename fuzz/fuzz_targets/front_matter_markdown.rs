//! Fuzz target: any bytes as a content file, through the front matter splitter and parser and
//! the Markdown renderer. Nothing may panic; see `src/fuzzing.rs` for the shared driver.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cairn::fuzzing::content_file(data);
});
