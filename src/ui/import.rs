//! Import: a history exported from AWS (the console's export or GetExecutionHistory's JSON),
//! pasted or dropped here, is viewed and stepped over the definition in the editor, with the
//! diagram, history and inspector as for a local run — the debugger for runs in the cloud.

use super::state::Action;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub on_action: Callback<Action>,
    /// Events in the imported history, when one is being viewed.
    pub viewing: Option<usize>,
    pub error: Option<String>,
}

#[component(Import)]
pub fn import(props: &ImportProps) -> Html {
    let text = use_state(String::new);
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let view = {
        let (text, on) = (text.clone(), props.on_action.clone());
        Callback::from(move |_: MouseEvent| on.emit(Action::Import((*text).clone())))
    };
    let leave = {
        let on = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on.emit(Action::LeaveImport))
    };
    // A dropped file is read as text, then imported.
    let on_drop = {
        let (text, on) = (text.clone(), props.on_action.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
            let (text, on) = (text.clone(), on.clone());
            let read = wasm_bindgen::closure::Closure::once(move |v: wasm_bindgen::JsValue| {
                let s = v.as_string().unwrap_or_default();
                text.set(s.clone());
                on.emit(Action::Import(s));
            });
            let _ = file.text().then(&read);
            read.forget();
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    html! {
        <div class="import">
            if let Some(n) = props.viewing {
                <p id="import-banner" class="banner">
                    { format!("Viewing an imported history ({n} events) over the definition in the editor. Step, play or go to the end as for a local run.") }
                    <button id="leave-import" type="button" onclick={leave}>{ "Back to local runs" }</button>
                </p>
            }
            <label for="import-text">{ "Paste or drop a history exported from AWS (GetExecutionHistory JSON)" }</label>
            <textarea id="import-text" spellcheck="false" wrap="off" placeholder={"{\"events\": [ ... ]}"}
                value={(*text).clone()} oninput={on_input} ondrop={on_drop} ondragover={on_drag_over} />
            <button id="import-view" type="button" onclick={view}>{ "View on the diagram" }</button>
            if let Some(e) = &props.error {
                <p id="import-error" class="error-text" role="alert">{ e.clone() }</p>
            }
        </div>
    }
}
