//! Lessons for the embeds (`data-lesson`): a lesson file read, a learner's definition checked,
//! Markdown as HTML (raw HTML in a teacher's file is escaped).

use super::convert::{definition_text, to_js, DefinitionArg};
use crate::playground::lesson;
use wasm_bindgen::prelude::*;

/// A lesson file (Markdown with the lesson blocks) read; a malformed one throws an Error named
/// InvalidLesson whose message lists every problem with its block and line, and whose `errors`
/// holds them as objects.
#[wasm_bindgen(js_name = parseLesson, unchecked_return_type = "Lesson")]
pub fn parse_lesson(text: &str) -> Result<JsValue, JsValue> {
    match lesson::parse(text) {
        Ok(l) => Ok(to_js(&l)),
        Err(errors) => {
            let message = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
            let e = js_sys::Error::new(&message);
            e.set_name("InvalidLesson");
            let _ = js_sys::Reflect::set(&e, &"errors".into(), &to_js(&errors));
            Err(e.into())
        }
    }
}

/// Runs `definition` on every input of the lesson and evaluates its checks, each with its why.
/// A definition that does not validate throws an Error named InvalidDefinition.
#[wasm_bindgen(js_name = checkLesson, unchecked_return_type = "CheckResult[]")]
pub fn check_lesson(lesson_text: &str, definition: &DefinitionArg) -> Result<JsValue, JsValue> {
    let l = lesson::parse(lesson_text).map_err(|errors| {
        let e = js_sys::Error::new(&errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
        e.set_name("InvalidLesson");
        JsValue::from(e)
    })?;
    let text = definition_text(definition)?;
    lesson::check(&l, &text).map(|r| to_js(&r)).map_err(|m| super::convert::aws_error("InvalidDefinition", &m))
}

/// Markdown as HTML, as the lessons are shown (raw HTML escaped).
#[wasm_bindgen(js_name = markdownHtml)]
pub fn markdown_html(markdown: &str) -> String {
    lesson::to_html(markdown)
}
