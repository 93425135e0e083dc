//! Nothing typed is lost: the playground's own work (definition, input, simulated world) in
//! localStorage, and what keeps it safe.
//!
//! - Opening a `#share=` link keeps the work it replaces as "your previous work" (its own key),
//!   which the examples menu offers back until another link replaces it.
//! - A definition too big for the storage quota is saved compressed (the share link's format);
//!   when even that does not fit, the page says so instead of silently not saving.
//! - Another tab of the playground saving over this one's work is noticed (the `storage` event)
//!   and said, with the choice of loading the other tab's work or keeping this one's.

use crate::playground::share::{self, Shared};
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

const KEY_DEFINITION: &str = "sfnsim.definition";
/// The definition compressed ([`share::encode`]), when the text itself did not fit.
const KEY_DEFINITION_PACKED: &str = "sfnsim.definition.packed";
pub const KEY_INPUT: &str = "sfnsim.input";
/// The simulated world (workers, responders, mocks) and machine name that go with the text.
pub const KEY_WORLD: &str = "sfnsim.world";
/// The work a share link replaced ([`Shared`] as JSON).
const KEY_PREVIOUS: &str = "sfnsim.previous";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Saves `value`; false when the browser refused (quota, storage disabled).
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The saved definition: the text, or its compressed form when only that fitted.
pub fn load_definition() -> Option<String> {
    if let Some(packed) = load(KEY_DEFINITION_PACKED) {
        if let Ok(s) = share::decode(&packed) {
            return Some(s.definition);
        }
    }
    load(KEY_DEFINITION)
}

/// The saved work, if any was saved.
pub fn load_work() -> Option<(String, String, Value)> {
    let definition = load_definition()?;
    let input = load(KEY_INPUT).unwrap_or_default();
    let world = load(KEY_WORLD).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(Value::Null);
    Some((definition, input, world))
}

/// What saving the work came to, for the page to say when it matters.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Saved {
    #[default]
    Whole,
    /// Saved, but only compressed: the text alone was over the quota.
    Compressed { bytes: usize },
    /// Not saved: what is typed lives only in this tab until it is copied or shared.
    Refused { bytes: usize },
}

/// Saves the definition, the input and the world.
pub fn save_work(definition: &str, input: &str, world: &Value) -> Saved {
    let _ = save(KEY_INPUT, input);
    let _ = save(KEY_WORLD, &world.to_string());
    if save(KEY_DEFINITION, definition) {
        remove(KEY_DEFINITION_PACKED);
        return Saved::Whole;
    }
    // Over the quota: make room (the stale text) and try the compressed form.
    remove(KEY_DEFINITION);
    let packed = share::encode(&Shared { definition: definition.to_string(), ..Default::default() });
    if save(KEY_DEFINITION_PACKED, &packed) {
        Saved::Compressed { bytes: definition.len() }
    } else {
        Saved::Refused { bytes: definition.len() }
    }
}

/// Keeps `work` as the previous work (a share link is replacing it).
pub fn keep_previous(work: &Shared) {
    if let Ok(text) = serde_json::to_string(work) {
        let _ = save(KEY_PREVIOUS, &text);
    }
}

/// The work a share link replaced, if any.
pub fn previous() -> Option<Shared> {
    load(KEY_PREVIOUS).and_then(|t| serde_json::from_str(&t).ok())
}

/// What a share link is about to replace, kept unless it is what the link holds anyway or the
/// untouched default.
pub fn keep_before_share(shared: &Shared, default_definition: &str) {
    let Some((definition, input, world)) = load_work() else { return };
    let same = definition == shared.definition && input == shared.input && world == shared.world;
    if same || definition == default_definition {
        return;
    }
    keep_previous(&Shared { definition, input, seed: shared.seed, world, lesson: None });
}

/// True once another tab of this page has saved its own work over this tab's (until `reset`).
#[hook]
pub fn use_other_tab() -> UseStateHandle<bool> {
    let changed = use_state(|| false);
    {
        let changed = changed.clone();
        use_effect_with((), move |_| {
            // A StorageEvent, read through Reflect (its key is all that matters here).
            let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
                let key = js_sys::Reflect::get(&e, &"key".into()).ok().and_then(|k| k.as_string()).unwrap_or_default();
                if [KEY_DEFINITION, KEY_DEFINITION_PACKED, KEY_INPUT, KEY_WORLD].contains(&key.as_str()) {
                    changed.set(true);
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    changed
}
