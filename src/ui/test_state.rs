//! Test state: one state of the editor's definition run alone through the service's TestState
//! (as the AWS console's "Test state" does), with an input (pre-filled from the last run's input
//! to that state), an optional mocked result or error, and the inspection level; the answer's
//! status, next state, output or error, and each data-processing stage are shown.

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/sfnsim-test-state";
/// inspectionData's stages, in the order the state applies them.
const STAGES: [(&str, &str); 12] = [
    ("input", "Input"),
    ("afterInputPath", "After InputPath"),
    ("afterItemsPath", "After ItemsPath"),
    ("afterItemSelector", "After ItemSelector"),
    ("afterItemBatcher", "After ItemBatcher"),
    ("afterParameters", "After Parameters"),
    ("afterArguments", "After Arguments"),
    ("result", "Result"),
    ("afterResultSelector", "After ResultSelector"),
    ("afterResultPath", "After ResultPath"),
    ("variables", "Variables"),
    ("toleratedFailureCount", "Tolerated failures"),
];

#[derive(Properties, PartialEq)]
pub struct TestStateProps {
    pub definition: AttrValue,
    pub state: AttrValue,
    /// The last run's input to the state, if there was one.
    pub input: AttrValue,
    pub on_close: Callback<()>,
}

fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or_else(|| text.to_string())
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => pretty(s),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

#[component(TestState)]
pub fn test_state(props: &TestStateProps) -> Html {
    let input = use_state(|| props.input.to_string());
    let mock = use_state(|| "none".to_string());
    let mock_result = use_state(|| "{}".to_string());
    let mock_error = use_state(|| "States.TaskFailed".to_string());
    let mock_cause = use_state(String::new);
    let level = use_state(|| "DEBUG".to_string());
    let answer = use_state(|| None::<Result<Value, (String, String)>>);
    {
        // Another state: its own input, and no old answer.
        let (input, answer) = (input.clone(), answer.clone());
        use_effect_with((props.state.clone(), props.input.clone()), move |(_, i)| {
            input.set(i.to_string());
            answer.set(None);
        });
    }
    let text = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let field = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let pick = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: Event| h.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let run = {
        let (definition, state) = (props.definition.clone(), props.state.clone());
        let (input, mock, mock_result, mock_error, mock_cause, level, answer) =
            (input.clone(), mock.clone(), mock_result.clone(), mock_error.clone(), mock_cause.clone(), level.clone(), answer.clone());
        Callback::from(move |_: MouseEvent| {
            let mut req = json!({
                "definition": definition.as_str(), "roleArn": ROLE, "input": (*input).clone(),
                "stateName": state.as_str(), "inspectionLevel": (*level).clone(),
            });
            match mock.as_str() {
                "result" => req["mock"] = json!({"result": (*mock_result).clone()}),
                "error" => req["mock"] = json!({"errorOutput": {"error": (*mock_error).clone(), "cause": (*mock_cause).clone()}}),
                _ => {}
            }
            let mut service = crate::service::Service::new(Default::default());
            answer.set(Some(service.call("TestState", &req).map_err(|e| (e.code.to_string(), e.message))));
        })
    };
    let result = match &*answer {
        None => html! {},
        Some(Err((code, message))) => html! {
            <div id="test-state-result" class="test-state-result">
                <p class="status ERROR">{ code.clone() }</p>
                <pre class="message">{ message.clone() }</pre>
            </div>
        },
        Some(Ok(r)) => {
            let status = r["status"].as_str().unwrap_or("").to_string();
            let data = r.get("inspectionData").and_then(Value::as_object);
            html! {
                <div id="test-state-result" class="test-state-result">
                    <p class={classes!("status", status.clone())}>{ status.clone() }
                        if let Some(n) = r["nextState"].as_str() { <span class="next">{ format!(" → next: {n}") }</span> }</p>
                    if let Some(o) = r["output"].as_str() { <pre class="output">{ pretty(o) }</pre> }
                    if r.get("error").is_some() {
                        <dl class="failure">
                            <dt>{ "Error" }</dt><dd>{ r["error"].as_str().unwrap_or("").to_string() }</dd>
                            <dt>{ "Cause" }</dt><dd>{ r["cause"].as_str().unwrap_or("").to_string() }</dd>
                        </dl>
                    }
                    if let Some(d) = data {
                        <dl class="stages">
                            { for STAGES.iter().filter_map(|(k, label)| d.get(*k).map(|v| html! {
                                <>
                                    <dt>{ *label }</dt>
                                    <dd><pre>{ shown(v) }</pre></dd>
                                </>
                            })) }
                        </dl>
                    }
                </div>
            }
        }
    };
    html! {
        <section id="test-state" class="test-state" aria-label={format!("Test {} alone", props.state)}>
            <h3>{ format!("Test “{}” alone", props.state) }</h3>
            <label for="test-state-input">{ "Input" }</label>
            <textarea id="test-state-input" spellcheck="false" rows="4" value={(*input).clone()} oninput={text(&input)} />
            <div class="test-state-row">
                <label for="test-state-mock">{ "Its work" }</label>
                <select id="test-state-mock" onchange={pick(&mock)}>
                    <option value="none" selected={*mock == "none"}>{ "as the simulator answers it" }</option>
                    <option value="result" selected={*mock == "result"}>{ "mocked result" }</option>
                    <option value="error" selected={*mock == "error"}>{ "mocked error" }</option>
                </select>
                <label for="test-state-level">{ "Inspection" }</label>
                <select id="test-state-level" onchange={pick(&level)}>
                    { for ["INFO", "DEBUG", "TRACE"].iter().map(|l| html! { <option value={*l} selected={*level == *l}>{ *l }</option> }) }
                </select>
            </div>
            if *mock == "result" {
                <label for="test-state-mock-result">{ "Mocked result (JSON)" }</label>
                <textarea id="test-state-mock-result" spellcheck="false" rows="3" value={(*mock_result).clone()} oninput={text(&mock_result)} />
            }
            if *mock == "error" {
                <div class="test-state-row">
                    <label for="test-state-mock-error">{ "Error" }</label>
                    <input id="test-state-mock-error" type="text" value={(*mock_error).clone()} oninput={field(&mock_error)} />
                    <label for="test-state-mock-cause">{ "Cause" }</label>
                    <input id="test-state-mock-cause" type="text" value={(*mock_cause).clone()} oninput={field(&mock_cause)} />
                </div>
            }
            <div class="test-state-row">
                <button id="test-state-run" type="button" onclick={run}>{ "Test" }</button>
                <button type="button" class="secondary" onclick={{ let on = props.on_close.clone(); Callback::from(move |_: MouseEvent| on.emit(())) }}>{ "Close" }</button>
            </div>
            { result }
        </section>
    }
}
