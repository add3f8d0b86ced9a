//! cargo-fuzz target: see `../harness.rs`.
#![no_main]

// Each target uses one of the harness's functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::discovery_to_render(data));
