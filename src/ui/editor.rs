//! The definition editor: CodeMirror 6 through the page's glue (www/editor/editor.js, exposed as
//! `window.sfnsimEditor`), with the validation diagnostics underlined at their place and listed
//! below it. If the glue is missing (a failed script load) a plain text area does the job.

use crate::asl::{locate, validate};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// One problem in the text: its range (UTF-16 offsets), severity, code and message.
#[derive(Clone, PartialEq)]
pub struct Problem {
    pub range: Option<(usize, usize)>,
    pub error: bool,
    pub code: String,
    pub message: String,
    pub location: Option<String>,
}

/// The validation diagnostics of `text`, placed in it.
pub fn problems(text: &str) -> Vec<Problem> {
    validate::validate_text(text, validate::MachineType::Standard)
        .into_iter()
        // The page lists the short form: a syntax error's source excerpt is cut, not the whole text.
        .map(|d| validate::short_diagnostic(&d))
        .map(|d| Problem {
            range: d.location.as_deref().and_then(|l| locate::span_of(text, l)),
            error: d.severity == validate::Severity::Error,
            code: d.code,
            message: d.message,
            location: d.location,
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: AttrValue,
    pub on_change: Callback<String>,
    pub problems: Vec<Problem>,
    /// Text the editor held before `text` replaced it (a share link over saved work): the
    /// editor mounts with it and then takes `text` as an undoable change.
    #[prop_or_default]
    pub undo_base: Option<AttrValue>,
}

fn glue() -> Option<Object> {
    let w = web_sys::window()?;
    Reflect::get(&w, &"sfnsimEditor".into()).ok()?.dyn_into::<Object>().ok()
}

fn call(handle: &JsValue, method: &str, args: &[JsValue]) {
    let Ok(f) = Reflect::get(handle, &method.into()).and_then(|f| f.dyn_into::<Function>()) else { return };
    let args: Array = args.iter().collect();
    let _ = f.apply(handle, &args);
}

fn diagnostics_js(problems: &[Problem]) -> JsValue {
    let list = Array::new();
    for p in problems {
        let Some((from, to)) = p.range else { continue };
        let d = Object::new();
        let _ = Reflect::set(&d, &"from".into(), &(from as f64).into());
        let _ = Reflect::set(&d, &"to".into(), &(to.max(from + 1) as f64).into());
        let _ = Reflect::set(&d, &"severity".into(), &(if p.error { "error" } else { "warning" }).into());
        let _ = Reflect::set(&d, &"message".into(), &format!("{}: {}", p.code, p.message).into());
        list.push(&d);
    }
    list.into()
}

#[component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let handle = use_mut_ref(|| None::<JsValue>);
    let keep_alive = use_mut_ref(|| None::<Closure<dyn Fn(String)>>);
    let has_glue = use_state(|| glue().is_some());

    // Mount once.
    {
        let (host, handle, keep_alive, on_change, text, base) =
            (host.clone(), handle.clone(), keep_alive.clone(), props.on_change.clone(), props.text.clone(), props.undo_base.clone());
        use_effect_with((), move |_| {
            if let (Some(g), Some(el)) = (glue(), host.cast::<web_sys::Element>()) {
                let changed = Closure::<dyn Fn(String)>::new(move |t: String| on_change.emit(t));
                if let Ok(mount) = Reflect::get(&g, &"mount".into()).and_then(|f| f.dyn_into::<Function>()) {
                    let args: Array = [
                        JsValue::from(el),
                        JsValue::from(base.as_deref().unwrap_or(text.as_str())),
                        changed.as_ref().clone(),
                        JsValue::from("Definition (Amazon States Language)"),
                    ]
                    .iter()
                    .collect();
                    if let Ok(h) = mount.apply(&g, &args) {
                        if base.is_some() {
                            call(&h, "setText", &[JsValue::from(text.as_str())]);
                        }
                        *handle.borrow_mut() = Some(h);
                    }
                }
                *keep_alive.borrow_mut() = Some(changed);
            }
            let handle = handle.clone();
            move || {
                if let Some(h) = handle.borrow_mut().take() {
                    call(&h, "destroy", &[]);
                }
            }
        });
    }
    // Text set from outside (an example, a share link): into the editor without an echo.
    {
        let handle = handle.clone();
        use_effect_with(props.text.clone(), move |text| {
            if let Some(h) = &*handle.borrow() {
                call(h, "setText", &[JsValue::from(text.as_str())]);
            }
        });
    }
    {
        let handle = handle.clone();
        use_effect_with(props.problems.clone(), move |problems| {
            if let Some(h) = &*handle.borrow() {
                call(h, "setDiagnostics", &[diagnostics_js(problems)]);
            }
        });
    }
    let reveal = |pos: usize| {
        let handle = handle.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(h) = &*handle.borrow() {
                call(h, "reveal", &[JsValue::from(pos as f64)]);
            }
        })
    };
    let fallback_input = {
        let on = props.on_change.clone();
        Callback::from(move |e: InputEvent| on.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let errors = props.problems.iter().filter(|p| p.error).count();
    html! {
        <>
            if *has_glue {
                <div id="definition" ref={host} class="editor"></div>
            } else {
                <textarea id="definition" spellcheck="false" wrap="off" value={props.text.clone()} oninput={fallback_input} />
            }
            <div id="problems" class="problems" aria-live="polite">
                if props.problems.is_empty() {
                    <p class="note ok-text">{ "✓ Valid: CreateStateMachine would accept this definition." }</p>
                } else {
                    <p class="note">{ format!("{} error{}, {} warning{}", errors, if errors == 1 { "" } else { "s" },
                        props.problems.len() - errors, if props.problems.len() - errors == 1 { "" } else { "s" }) }</p>
                    <ul>
                        { for props.problems.iter().map(|p| html! {
                            <li class={if p.error { "error" } else { "warning" }}>
                                <button type="button" class="link" onclick={reveal(p.range.map_or(0, |r| r.0))}
                                    title="Show it in the editor">
                                    <strong>{ if p.error { "Error" } else { "Warning" } }</strong>
                                    { format!(" {}: {}", p.code, p.message) }
                                    if let Some(l) = &p.location { <code class="where">{ format!(" at {l}") }</code> }
                                </button>
                            </li>
                        }) }
                    </ul>
                }
            </div>
        </>
    }
}
