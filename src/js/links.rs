//! The playground's share payload (`#share=<payload>`): what "Open in playground" links carry
//! and what the iframe embed reads.

use super::convert::{options, to_js, type_error};
use crate::playground::share::{self, Shared};
use wasm_bindgen::prelude::*;

/// The payload for a share link to the playground: definition and input as typed, seed, world.
#[wasm_bindgen(js_name = encodeShare)]
pub fn encode_share(#[wasm_bindgen(unchecked_param_type = "Shared")] state: JsValue) -> Result<String, JsValue> {
    let s: Shared = options(&state, "encodeShare")?;
    Ok(share::encode(&s))
}

/// A share payload read back; a damaged one throws a TypeError saying so.
#[wasm_bindgen(js_name = decodeShare, unchecked_return_type = "Shared")]
pub fn decode_share(payload: &str) -> Result<JsValue, JsValue> {
    share::decode(payload).map(|s| to_js(&s)).map_err(|e| type_error(&e))
}
