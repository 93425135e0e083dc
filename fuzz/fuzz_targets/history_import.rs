//! History import: any text is read as a history or refused with a message; what is read can be
//! replayed (highlights at every step, the timeline) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfnsim::playground::replay::{highlights, import, timeline};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(steps) = import(text) else { return };
    for upto in 0..=steps.len().min(64) {
        let _ = highlights(&steps, upto);
    }
    let _ = highlights(&steps, steps.len());
    let _ = timeline(&steps);
});
