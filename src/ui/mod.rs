//! The first page: a definition, an input, Run, and what the run produced (status, output or error
//! and cause, and the history as a table). The full playground replaces it in a later issue.
//!
//! Stable hooks for tests: `#definition`, `#diagram`, `#input`, `#run`, `#status` (its class is the status,
//! or ERROR when the API refused the request), `#output`, `#error`, `#cause`, `#history`.

mod diagram;

use crate::api::{self, ApiError, RunReport};
use diagram::Diagram;
use serde_json::Value;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The default example: a Choice guards the input, a Pass builds a greeting with Parameters and
/// States.Format, a Succeed ends the run. Without a `name` the Choice's Default goes to a Fail.
pub const DEFAULT_DEFINITION: &str = r#"{
  "Comment": "Hello world: greet the input's name",
  "StartAt": "HasName",
  "States": {
    "HasName": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.name", "IsPresent": true, "Next": "Greet" }
      ],
      "Default": "NoName"
    },
    "Greet": {
      "Type": "Pass",
      "Parameters": {
        "greeting.$": "States.Format('Hello, {}!', $.name)",
        "name.$": "$.name"
      },
      "Next": "Done"
    },
    "Done": { "Type": "Succeed" },
    "NoName": {
      "Type": "Fail",
      "Error": "MissingName",
      "Cause": "The input has no name to greet"
    }
  }
}"#;

pub const DEFAULT_INPUT: &str = r#"{ "name": "Step Functions" }"#;

/// The seed for retry jitter and random intrinsics: fixed, so a run is repeatable.
const SEED: u64 = 0;

enum Outcome {
    NotRun,
    Ran(RunReport),
    Refused(ApiError),
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// An event's `...EventDetails` member: the state name (if any) and the other fields as
/// (key, text) pairs. Payloads are JSON text already and are shown as they are; the
/// `inputDetails`/`outputDetails` members are left out unless they say the payload was truncated.
fn details(event: &Value) -> (String, Vec<(String, String)>) {
    let Some(d) = event
        .as_object()
        .and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails")))
        .and_then(|(_, v)| v.as_object())
    else {
        return (String::new(), Vec::new());
    };
    let name = d
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let fields = d
        .iter()
        .filter(|(k, v)| {
            *k != "name" && !(k.ends_with("Details") && v["truncated"] == Value::Bool(false))
        })
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect();
    (name, fields)
}

fn history_row(event: &Value) -> Html {
    let (name, fields) = details(event);
    let previous = match &event["previousEventId"] {
        Value::Null => String::new(),
        v => v.to_string(),
    };
    html! {
        <tr>
            <td class="num">{ event["id"].to_string() }</td>
            <td>{ event["type"].as_str().unwrap_or("") }</td>
            <td>{ name }</td>
            <td class="num">{ previous }</td>
            <td class="details">
                { for fields.into_iter().map(|(k, v)| html! {
                    <div><span class="key">{ k }</span>{ " " }<span class="value">{ v }</span></div>
                }) }
            </td>
        </tr>
    }
}

fn result_view(outcome: &Outcome) -> Html {
    match outcome {
        Outcome::NotRun => html! {
            <p id="status" class="status">{ "Not run yet: press Run (or Ctrl+Enter)." }</p>
        },
        Outcome::Refused(e) => html! {
            <>
                <p id="status" class="status ERROR">{ e.code.clone() }</p>
                <pre id="output" class="message">{ e.message.clone() }</pre>
            </>
        },
        Outcome::Ran(r) => html! {
            <>
                <p id="status" class={classes!("status", r.status.clone())}>{ r.status.clone() }</p>
                if let Some(output) = &r.output {
                    <pre id="output">{ pretty(output) }</pre>
                }
                if r.error.is_some() || r.cause.is_some() {
                    <dl class="failure">
                        <dt>{ "Error" }</dt>
                        <dd id="error">{ r.error.clone().unwrap_or_default() }</dd>
                        <dt>{ "Cause" }</dt>
                        <dd id="cause">{ r.cause.clone().unwrap_or_default() }</dd>
                    </dl>
                }
                if r.status == "RUNNING" {
                    <p class="note">{ "The execution is waiting for a Task: nothing answers Tasks on this page yet." }</p>
                }
            </>
        },
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let definition = use_state(|| DEFAULT_DEFINITION.to_string());
    let input = use_state(|| DEFAULT_INPUT.to_string());
    let outcome = use_state(|| Outcome::NotRun);

    let on_definition = {
        let definition = definition.clone();
        Callback::from(move |e: InputEvent| {
            definition.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_input = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            input.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let run = {
        let (definition, input, outcome) = (definition.clone(), input.clone(), outcome.clone());
        Callback::from(move |()| {
            outcome.set(match api::run_definition(&definition, &input, SEED) {
                Ok(r) => Outcome::Ran(r),
                Err(e) => Outcome::Refused(e),
            })
        })
    };
    let on_click = run.reform(|_: MouseEvent| ());
    // Ctrl+Enter (Cmd+Enter on a Mac) in either text area runs.
    let on_key = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run.emit(());
            }
        })
    };

    let history = match &*outcome {
        Outcome::Ran(r) => r.events.iter().map(history_row).collect::<Html>(),
        _ => html! {},
    };

    html! {
        <>
            <header>
                <h1>{ "sfnsim" }</h1>
                <p>{ "AWS Step Functions, simulated in your browser on a virtual clock" }</p>
            </header>
            <main>
                <section class="definition">
                    <label for="definition">{ "Definition (Amazon States Language)" }</label>
                    <textarea id="definition" spellcheck="false" wrap="off"
                        value={(*definition).clone()} oninput={on_definition} onkeydown={on_key.clone()} />
                </section>
                <section class="run">
                    <label for="input">{ "Execution input (JSON)" }</label>
                    <textarea id="input" spellcheck="false" wrap="off"
                        value={(*input).clone()} oninput={on_input} onkeydown={on_key} />
                    <button id="run" type="button" title="Run (Ctrl+Enter)" onclick={on_click}>{ "Run" }</button>
                    <h2>{ "Result" }</h2>
                    { result_view(&outcome) }
                </section>
                <section class="graph">
                    <h2>{ "Diagram" }</h2>
                    <Diagram definition={AttrValue::from((*definition).clone())} />
                </section>
                <section class="history">
                    <h2>{ "Execution history" }</h2>
                    <div class="table-scroll">
                        <table id="history">
                            <thead>
                                <tr>
                                    <th class="num">{ "ID" }</th><th>{ "Type" }</th><th>{ "State" }</th>
                                    <th class="num">{ "Previous" }</th><th>{ "Details" }</th>
                                </tr>
                            </thead>
                            <tbody>{ history }</tbody>
                        </table>
                    </div>
                    if !matches!(&*outcome, Outcome::Ran(_)) {
                        <p class="note empty">{ "The history of a run appears here." }</p>
                    }
                </section>
            </main>
        </>
    }
}
