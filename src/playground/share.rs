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
    /// A lesson (its Markdown file) the link opens, with `definition` as the learner's work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub lesson: Option<String>,
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

/// What the Share menu's Embed gives for a page: the one-script-tag form (a `<pre class="sfnsim">`
/// holding the definition as typed, its options as `data-` attributes) and the iframe form (the
/// share payload in `embed/frame.html`'s fragment). `playground` is the playground's folder URL
/// (ending in `/`); the embed is served from its `embed/` folder.
pub fn embed_snippets(playground: &str, state: &Shared, direction: crate::graph::Direction) -> (String, String) {
    let attr = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    let lr = direction == crate::graph::Direction::LeftRight;
    let mut pre = String::from("<pre class=\"sfnsim\"");
    if lr {
        // The page's view goes with it: the embed draws left to right too.
        pre.push_str(" data-direction=\"LR\"");
    }
    let input = state.input.trim();
    if !input.is_empty() && input != "{}" {
        pre.push_str(&format!(" data-input=\"{}\"", attr(input)));
    }
    if state.seed != 0 {
        pre.push_str(&format!(" data-seed=\"{}\"", state.seed));
    }
    if !state.world.is_null() {
        pre.push_str(&format!(" data-world=\"{}\"", attr(&state.world.to_string())));
    }
    let body = state.definition.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let script = format!("<script src=\"{playground}embed/sfnsim.js\" defer></script>\n{pre}>{body}</pre>\n");
    let title = crate::asl::definition_json::parse(&state.definition)
        .ok()
        .and_then(|d| d.get("Comment").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| "A Step Functions state machine".into());
    let iframe = format!(
        "<iframe src=\"{playground}embed/frame.html#share={}{}\" title=\"{}\" width=\"100%\" height=\"560\" loading=\"lazy\" style=\"border: 0\"></iframe>\n",
        encode(state),
        if lr { "&amp;direction=LR" } else { "" },
        attr(&title)
    );
    (script, iframe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly_and_compresses() {
        let ex = crate::playground::examples::Example::by_id("order-workflow").unwrap();
        let state = Shared {
            definition: format!("{}\n  ", ex.definition_text()),
            input: "{ \"id\": \"o-1\" }".into(),
            seed: 42,
            world: serde_json::json!({"mockConfig": ex.mock_config, "testCase": "HappyPath"}),
            lesson: Some("---\nid: x\n---\n".into()),
        };
        let link = encode(&state);
        assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&link).unwrap(), state);
        let raw = serde_json::to_vec(&state).unwrap().len();
        assert!(link.len() * 3 < raw * 2, "{} chars for {} bytes", link.len(), raw);
    }

    #[test]
    fn embed_snippets_carry_the_definition_as_typed_and_escape_it() {
        let state = Shared {
            definition: "{\"Comment\": \"a < b & \\\"c\\\"\", \"StartAt\": \"A\"}".into(),
            input: "{\"q\": \"it's \\\"x\\\"\"}".into(),
            seed: 7,
            world: serde_json::json!({"spec": {"activities": ["a"]}, "machineName": "M"}),
            lesson: None,
        };
        let (script, iframe) = embed_snippets("https://h/p/", &state, crate::graph::Direction::TopDown);
        assert!(script.starts_with("<script src=\"https://h/p/embed/sfnsim.js\" defer></script>\n<pre class=\"sfnsim\""), "{script}");
        assert!(script.contains(r#"data-input="{&quot;q&quot;: &quot;it's \&quot;x\&quot;&quot;}""#), "{script}");
        assert!(script.contains(r#" data-seed="7""#), "{script}");
        assert!(script.contains(r#"data-world="{&quot;spec&quot;:{&quot;activities&quot;:[&quot;a&quot;]},&quot;machineName&quot;:&quot;M&quot;}""#), "{script}");
        assert!(script.contains(r#">{"Comment": "a &lt; b &amp; \"c\"", "StartAt": "A"}</pre>"#), "{script}");
        let payload = iframe.split("#share=").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(decode(payload).unwrap(), state);
        assert!(iframe.contains(r#"title="a &lt; b &amp; &quot;c&quot;""#), "{iframe}");
        // Nothing optional when there is nothing to say.
        let plain_state = Shared { definition: "{}".into(), input: "{}".into(), ..Default::default() };
        let (plain, plain_iframe) = embed_snippets("/", &plain_state, crate::graph::Direction::TopDown);
        assert_eq!(plain, "<script src=\"/embed/sfnsim.js\" defer></script>\n<pre class=\"sfnsim\">{}</pre>\n");
        assert!(!plain_iframe.contains("direction"), "{plain_iframe}");
        // Drawn left to right on the page: the embeds say so too.
        let (lr, lr_iframe) = embed_snippets("/", &plain_state, crate::graph::Direction::LeftRight);
        assert!(lr.contains(r#"<pre class="sfnsim" data-direction="LR">"#), "{lr}");
        let payload = lr_iframe.split("#share=").nth(1).unwrap().split("&amp;").next().unwrap();
        assert_eq!(decode(payload).unwrap(), plain_state);
        assert!(lr_iframe.contains("&amp;direction=LR\""), "{lr_iframe}");
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
