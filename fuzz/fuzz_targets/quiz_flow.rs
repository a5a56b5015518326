//! Fuzz target: any bytes as a quiz flow, through the YAML reader, the compiler's checks, the
//! flow's own tests and the graph export. Nothing may panic; see `src/fuzzing.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    cairn::fuzzing::quiz_flow(data);
});
