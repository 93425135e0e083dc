//! The first page: a definition, an input, Run, and what the run produced (status, output or error,
//! and the history as a table). The full playground replaces it in a later issue.

use crate::api;
use serde_json::Value;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The default example: Parameters with States.Format, a Choice and a Succeed.
pub const DEFAULT_DEFINITION: &str = r#"{
  "Comment": "Hello world: greet with States.Format, then branch with a Choice",
  "StartAt": "Greet",
  "States": {
    "Greet": {
      "Type": "Pass",
      "Parameters": {
        "greeting.$": "States.Format('Hello, {}!', $.name)",
        "name.$": "$.name"
      },
      "Next": "IsLongName"
    },
    "IsLongName": {
      "Type": "Choice",
      "Choices": [
        { "Variable": "$.name", "StringMatches": "*ee*", "Next": "Done" }
      ],
      "Default": "Done"
    },
    "Done": { "Type": "Succeed" }
  }
}"#;

pub const DEFAULT_INPUT: &str = r#"{ "name": "Step Functions" }"#;

#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Ran(api::RunReport),
    Error(api::ApiError),
}

impl PartialEq for api::RunReport {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status && self.output == other.output && self.events == other.events
    }
}

impl PartialEq for api::ApiError {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && self.message == other.message
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The details member of an event, without the envelope.
fn details(e: &Value) -> (String, String) {
    let Some(m) = e.as_object() else {
        return (String::new(), String::new());
    };
    for (k, v) in m {
        if k.ends_with("EventDetails") {
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            return (name, v.to_string());
        }
    }
    (String::new(), String::new())
}

#[function_component(App)]
pub fn app() -> Html {
    let definition = use_state(|| DEFAULT_DEFINITION.to_string());
    let input = use_state(|| DEFAULT_INPUT.to_string());
    let outcome = use_state(|| Outcome::None);

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
    let on_run = {
        let (definition, input, outcome) = (definition.clone(), input.clone(), outcome.clone());
        Callback::from(move |_| {
            outcome.set(match api::run_definition(&definition, &input, 0) {
                Ok(r) => Outcome::Ran(r),
                Err(e) => Outcome::Error(e),
            })
        })
    };

    let result = match &*outcome {
        Outcome::None => html! { <p id="status" class="status">{ "Not run yet. Press Run." }</p> },
        Outcome::Error(e) => html! {
            <>
                <p id="status" class="status ERROR">{ e.code.clone() }</p>
                <pre id="output">{ e.message.clone() }</pre>
            </>
        },
        Outcome::Ran(r) => {
            let body = match (&r.output, &r.error) {
                (Some(o), _) => pretty(o),
                (None, Some(err)) => format!("{err}\n{}", r.cause.clone().unwrap_or_default()),
                (None, None) => String::new(),
            };
            html! {
                <>
                    <p id="status" class={classes!("status", r.status.clone())}>{ r.status.clone() }</p>
                    <pre id="output">{ body }</pre>
                </>
            }
        }
    };

    let history = match &*outcome {
        Outcome::Ran(r) => r
            .events
            .iter()
            .map(|e| {
                let (name, d) = details(e);
                html! {
                    <tr>
                        <td>{ e["id"].to_string() }</td>
                        <td>{ e["type"].as_str().unwrap_or("") }</td>
                        <td>{ name }</td>
                        <td>{ e["previousEventId"].to_string() }</td>
                        <td class="details">{ d }</td>
                    </tr>
                }
            })
            .collect::<Html>(),
        _ => html! {},
    };

    html! {
        <>
            <header>
                <h1>{ "sfnsim" }</h1>
                <p>{ "AWS Step Functions, simulated in your browser on a virtual clock" }</p>
            </header>
            <main>
                <section>
                    <label for="definition">{ "Definition (Amazon States Language)" }</label>
                    <textarea id="definition" spellcheck="false" value={(*definition).clone()} oninput={on_definition} />
                </section>
                <section>
                    <label for="input">{ "Execution input (JSON)" }</label>
                    <textarea id="input" spellcheck="false" value={(*input).clone()} oninput={on_input} />
                    <button id="run" onclick={on_run}>{ "Run" }</button>
                    <h2>{ "Result" }</h2>
                    { result }
                </section>
                <section class="history">
                    <h2>{ "Execution history" }</h2>
                    <table id="history">
                        <thead><tr><th>{ "ID" }</th><th>{ "Type" }</th><th>{ "State" }</th><th>{ "Previous" }</th><th>{ "Details" }</th></tr></thead>
                        <tbody>{ history }</tbody>
                    </table>
                </section>
            </main>
        </>
    }
}
