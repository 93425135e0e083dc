//! Crossing the boundary: JS values in and out (plain objects, never JSON text to parse), the
//! "object or JSON text" definition argument, and errors as JS `Error`s named after AWS's codes.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const DEFINITION_TS: &str = r#"
/** An Amazon States Language definition: the parsed object, or its JSON text (kept as typed). */
export type Definition = string | Record<string, unknown>;
/** One history event in AWS's GetExecutionHistory shape (`type`, `id`, `previousEventId`, `timestamp`, one `...EventDetails` member). */
export type HistoryEvent = { type: string; id: number; previousEventId: number; timestamp: number; [details: string]: unknown };
"#;

#[wasm_bindgen]
extern "C" {
    /// `string | object` on the JS side.
    #[wasm_bindgen(typescript_type = "Definition")]
    pub type DefinitionArg;
}

/// A Rust value as a plain JS value: maps become objects, integers numbers.
pub fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A JS value as JSON; `undefined` and `null` are None.
pub fn from_js(v: &JsValue) -> Result<Option<Value>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    serde_wasm_bindgen::from_value(v.clone())
        .map(Some)
        .map_err(|e| type_error(&format!("not a JSON value: {e}")))
}

/// A definition given as JSON text (kept exactly, so diagnostics' lines and columns are the
/// author's) or as an object (written as compact JSON).
pub fn definition_text(v: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    match from_js(v)? {
        Some(def @ Value::Object(_)) => Ok(def.to_string()),
        _ => Err(type_error("definition must be an object or JSON text")),
    }
}

/// An `Error` whose `name` is AWS's error code and whose `message` is AWS's message.
pub fn aws_error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(code);
    e.into()
}

/// A `TypeError` for arguments the caller got wrong (not an AWS answer).
pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// An options object's field, deserialised; absent options are the type's default.
pub fn options<T: serde::de::DeserializeOwned + Default>(v: &JsValue, what: &str) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(v.clone()).map_err(|e| type_error(&format!("{what}: {e}")))
}
