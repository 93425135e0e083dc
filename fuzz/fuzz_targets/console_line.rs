//! The console: any line is split into words, parsed as an `aws stepfunctions` command, completed,
//! and run against a fresh service, always ending in an answer or the CLI's error text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfnsim::playground::console::{complete, parse, run, words};
use sfnsim::service::{Service, ServiceConfig};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = words(text);
    let _ = parse(text);
    let _ = complete(text);
    // Several lines run in turn, so later commands can use what earlier ones created.
    let mut service = Service::new(ServiceConfig::default());
    for line in text.lines().take(8) {
        let _ = run(&mut service, line);
    }
});
