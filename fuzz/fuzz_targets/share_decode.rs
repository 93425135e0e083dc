//! Share links: any fragment decodes to a state or a clear message, never a panic or a blow-up
//! (the decompressed size is capped); what decodes encodes back to the same state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfnsim::playground::share::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(state) = decode(text) {
        assert_eq!(decode(&encode(&state)).as_ref(), Ok(&state));
    }
});
