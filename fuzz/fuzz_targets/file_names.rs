//! Fuzz target: any bytes as file names from a pull request (`static/`, `content/`, a page
//! bundle, an alias), turned into output paths: each accepted one must stay inside the
//! output folder. See `src/fuzzing.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cairn::fuzzing::file_names(data);
});
