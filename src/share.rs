//! Share links: what a user typed (definition, input) and the simulation settings, compressed
//! (raw DEFLATE) into URL-safe base64 for the fragment of a link, and back, exactly.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Format version, first byte of every link payload.
const VERSION: u8 = 1;
/// A shared state decompresses to at most this much (protects the page from a hostile link).
const MAX_SHARED_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Shared {
    /// The definition text exactly as typed (not re-formatted).
    pub definition: String,
    pub input: String,
    #[serde(default)]
    pub seed: u64,
    /// Workers, responders, mock configuration and test case, as the page keeps them.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "WorldSpec"))]
    pub world: Value,
}

/// The link payload for `state`.
pub fn encode(state: &Shared) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    let mut bytes = vec![VERSION];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(&json, 9));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Reads a link payload back; a clear message when it is damaged or from a newer format.
pub fn decode(payload: &str) -> Result<Shared, String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim().trim_start_matches('#'))
        .map_err(|_| "The share link is damaged (not base64url).".to_string())?;
    let Some((&version, body)) = bytes.split_first() else {
        return Err("The share link is empty.".into());
    };
    if version != VERSION {
        return Err(format!("The share link has format {version}; this sfnsim reads format {VERSION}."));
    }
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_SHARED_BYTES)
        .map_err(|_| "The share link is damaged (cannot be decompressed).".to_string())?;
    serde_json::from_slice(&json).map_err(|e| format!("The share link is damaged: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly_and_compresses() {
        let ex = crate::examples::Example::by_id("order-workflow").unwrap();
        let state = Shared {
            definition: format!("{}\n  ", ex.definition_text()),
            input: "{ \"id\": \"o-1\" }".into(),
            seed: 42,
            world: serde_json::json!({"mockConfig": ex.mock_config, "testCase": "HappyPath"}),
        };
        let link = encode(&state);
        assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&link).unwrap(), state);
        let raw = serde_json::to_vec(&state).unwrap().len();
        assert!(link.len() * 3 < raw * 2, "{} chars for {} bytes", link.len(), raw);
    }

    #[test]
    fn damaged_links_are_refused_clearly() {
        assert!(decode("!!!").unwrap_err().contains("not base64url"));
        assert!(decode("").unwrap_err().contains("empty"));
        assert!(decode("Ag").unwrap_err().contains("format 2"));
        let mut link = encode(&Shared::default());
        link.truncate(link.len() / 2);
        assert!(decode(&link).is_err());
    }
}
