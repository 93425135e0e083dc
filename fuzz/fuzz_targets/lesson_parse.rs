//! Lesson files: any text is read as a lesson or refused with errors that name their lines; its
//! Markdown renders to HTML without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfnsim::playground::lesson::{parse, to_html};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse(text) {
        Ok(lesson) => {
            let _ = to_html(&lesson.intro);
            let _ = to_html(&lesson.task);
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
    let _ = to_html(text);
});
