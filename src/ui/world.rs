//! The simulated world editor: activities and their workers (latency, heartbeat interval, and
//! the answer: succeed with JSON, fail with error and cause, or go silent), callback responders
//! for `.waitForTaskToken` tasks, and the Step Functions Local mock configuration with the test
//! case to run. Every change is applied to the service at once (crate::sim::WorldSpec).

use crate::sim::{ActivityWorker, Answer, CallbackResponder, WorldSpec};
use serde_json::Value;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

const ACTIVITY_PREFIX: &str = "arn:aws:states:us-east-1:123456789012:activity:";

#[derive(Properties, PartialEq)]
pub struct WorldProps {
    pub world: Rc<WorldSpec>,
    pub on_change: Callback<WorldSpec>,
}

fn value_of(e: &Event) -> String {
    let t = e.target();
    if let Some(i) = t.clone().and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(t).ok()) {
        return i.value();
    }
    if let Some(s) = t.clone().and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlSelectElement>(t).ok()) {
        return s.value();
    }
    t.and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlTextAreaElement>(t).ok()).map(|a| a.value()).unwrap_or_default()
}

fn activity_name(arn: &str) -> String {
    arn.rsplit(':').next().unwrap_or(arn).to_string()
}

fn kind_of(a: &Answer) -> &'static str {
    match a {
        Answer::Succeed { .. } => "succeed",
        Answer::Fail { .. } => "fail",
        Answer::Silent => "silent",
    }
}

/// The answer editor shared by workers and responders: kind, then output or error and cause.
fn answer_fields(id: &str, answer: &Answer, set: Callback<Answer>, bad_json: UseStateHandle<Option<String>>) -> Html {
    let kind = {
        let (set, answer) = (set.clone(), answer.clone());
        Callback::from(move |e: Event| {
            let a = match value_of(&e).as_str() {
                "succeed" => Answer::Succeed { output: serde_json::json!({}) },
                "fail" => Answer::Fail { error: Some("Error".into()), cause: None },
                _ => Answer::Silent,
            };
            if kind_of(&a) != kind_of(&answer) {
                set.emit(a);
            }
        })
    };
    let body = match answer {
        Answer::Succeed { output } => {
            let set = set.clone();
            let bad = bad_json.clone();
            let on = Callback::from(move |e: Event| match serde_json::from_str::<Value>(&value_of(&e)) {
                Ok(v) => {
                    bad.set(None);
                    set.emit(Answer::Succeed { output: v });
                }
                Err(err) => bad.set(Some(format!("Not JSON: {err}"))),
            });
            html! {
                <>
                    <label class="inline">{ "Output (JSON) " }
                        <input class="answer-output" type="text" value={output.to_string()} onchange={on} /></label>
                    if let Some(b) = &*bad_json { <span class="error-text">{ b.clone() }</span> }
                </>
            }
        }
        Answer::Fail { error, cause } => {
            let (e1, c1) = (error.clone(), cause.clone());
            let set_error = {
                let set = set.clone();
                Callback::from(move |e: Event| set.emit(Answer::Fail { error: Some(value_of(&e)).filter(|s| !s.is_empty()), cause: c1.clone() }))
            };
            let set_cause = {
                let set = set.clone();
                Callback::from(move |e: Event| set.emit(Answer::Fail { error: e1.clone(), cause: Some(value_of(&e)).filter(|s| !s.is_empty()) }))
            };
            html! {
                <>
                    <label class="inline">{ "Error " }<input class="answer-error" type="text" value={error.clone().unwrap_or_default()} onchange={set_error} /></label>
                    <label class="inline">{ "Cause " }<input class="answer-cause" type="text" value={cause.clone().unwrap_or_default()} onchange={set_cause} /></label>
                </>
            }
        }
        Answer::Silent => html! { <span class="note">{ "never answers: the task's TimeoutSeconds or HeartbeatSeconds ends it" }</span> },
    };
    html! {
        <div class="answer">
            <label class="inline">{ "Answer " }
                <select class="answer-kind" id={format!("{id}-answer")} onchange={kind}>
                    <option value="succeed" selected={kind_of(answer) == "succeed"}>{ "succeed" }</option>
                    <option value="fail" selected={kind_of(answer) == "fail"}>{ "fail" }</option>
                    <option value="silent" selected={kind_of(answer) == "silent"}>{ "go silent" }</option>
                </select>
            </label>
            { body }
        </div>
    }
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0)
}

#[derive(Properties, PartialEq)]
struct WorkerProps {
    index: usize,
    worker: ActivityWorker,
    on_change: Callback<Option<ActivityWorker>>,
}

#[component(WorkerRow)]
fn worker_row(p: &WorkerProps) -> Html {
    let bad = use_state(|| None::<String>);
    let w = p.worker.clone();
    let edit = |f: fn(&mut ActivityWorker, String)| {
        let (w, on) = (w.clone(), p.on_change.clone());
        Callback::from(move |e: Event| {
            let mut w = w.clone();
            f(&mut w, value_of(&e));
            on.emit(Some(w));
        })
    };
    let set_answer = {
        let (w, on) = (w.clone(), p.on_change.clone());
        Callback::from(move |a: Answer| {
            let mut w = w.clone();
            w.answer = a;
            on.emit(Some(w));
        })
    };
    let remove = {
        let on = p.on_change.clone();
        Callback::from(move |_: MouseEvent| on.emit(None))
    };
    let id = format!("worker-{}", p.index);
    html! {
        <li class="worker" id={id.clone()}>
            <div class="row">
                <label class="inline">{ "Name " }<input class="worker-name" type="text" value={w.name.clone()} onchange={edit(|w, v| w.name = v)} /></label>
                <label class="inline">{ "Activity " }<input class="worker-activity" type="text" value={activity_name(&w.activity_arn)}
                    onchange={edit(|w, v| w.activity_arn = format!("{ACTIVITY_PREFIX}{}", v.trim()))} /></label>
                <button type="button" class="secondary remove" title="Remove this worker" onclick={remove}>{ "Remove" }</button>
            </div>
            <div class="row">
                <label class="inline">{ "Works for (s) " }<input class="worker-latency" type="number" min="0" step="any" value={w.latency_seconds.to_string()}
                    onchange={edit(|w, v| w.latency_seconds = number(&v).unwrap_or(0.0))} /></label>
                <label class="inline">{ "Heartbeat every (s) " }<input class="worker-heartbeat" type="number" min="0" step="any" placeholder="none"
                    value={w.heartbeat_seconds.map(|h| h.to_string()).unwrap_or_default()}
                    onchange={edit(|w, v| w.heartbeat_seconds = number(&v).filter(|h| *h > 0.0))} /></label>
            </div>
            { answer_fields(&id, &w.answer, set_answer, bad) }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ResponderProps {
    index: usize,
    responder: CallbackResponder,
    on_change: Callback<Option<CallbackResponder>>,
}

#[component(ResponderRow)]
fn responder_row(p: &ResponderProps) -> Html {
    let bad = use_state(|| None::<String>);
    let r = p.responder.clone();
    let edit = |f: fn(&mut CallbackResponder, String)| {
        let (r, on) = (r.clone(), p.on_change.clone());
        Callback::from(move |e: Event| {
            let mut r = r.clone();
            f(&mut r, value_of(&e));
            on.emit(Some(r));
        })
    };
    let set_answer = {
        let (r, on) = (r.clone(), p.on_change.clone());
        Callback::from(move |a: Answer| {
            let mut r = r.clone();
            r.answer = a;
            on.emit(Some(r));
        })
    };
    let remove = {
        let on = p.on_change.clone();
        Callback::from(move |_: MouseEvent| on.emit(None))
    };
    let id = format!("responder-{}", p.index);
    html! {
        <li class="responder" id={id.clone()}>
            <div class="row">
                <label class="inline">{ "State " }<input class="responder-state" type="text" placeholder="any state" value={r.state_name.clone().unwrap_or_default()}
                    onchange={edit(|r, v| r.state_name = Some(v.trim().to_string()).filter(|s| !s.is_empty()))} /></label>
                <label class="inline">{ "Answers after (s) " }<input class="responder-delay" type="number" min="0" step="any" value={r.delay_seconds.to_string()}
                    onchange={edit(|r, v| r.delay_seconds = number(&v).unwrap_or(0.0))} /></label>
                <label class="inline">{ "Heartbeat every (s) " }<input class="responder-heartbeat" type="number" min="0" step="any" placeholder="none"
                    value={r.heartbeat_seconds.map(|h| h.to_string()).unwrap_or_default()}
                    onchange={edit(|r, v| r.heartbeat_seconds = number(&v).filter(|h| *h > 0.0))} /></label>
                <button type="button" class="secondary remove" title="Remove this responder" onclick={remove}>{ "Remove" }</button>
            </div>
            { answer_fields(&id, &r.answer, set_answer, bad) }
        </li>
    }
}

#[component(World)]
pub fn world(p: &WorldProps) -> Html {
    let mock_error = use_state(|| None::<String>);
    let spec = (*p.world).clone();
    let emit = {
        let on = p.on_change.clone();
        move |s: WorldSpec| on.emit(s)
    };
    let add_worker = {
        let (spec, emit) = (spec.clone(), emit.clone());
        Callback::from(move |_: MouseEvent| {
            let mut s = spec.clone();
            let activity = s.activities.first().cloned().unwrap_or_else(|| "work".into());
            if !s.activities.contains(&activity) {
                s.activities.push(activity.clone());
            }
            s.workers.push(ActivityWorker {
                name: format!("worker-{}", s.workers.len() + 1),
                activity_arn: format!("{ACTIVITY_PREFIX}{activity}"),
                latency_seconds: 5.0,
                heartbeat_seconds: None,
                answer: Answer::Succeed { output: serde_json::json!({"done": true}) },
            });
            emit(s);
        })
    };
    let add_responder = {
        let (spec, emit) = (spec.clone(), emit.clone());
        Callback::from(move |_: MouseEvent| {
            let mut s = spec.clone();
            s.responders.push(CallbackResponder {
                state_name: None,
                delay_seconds: 10.0,
                heartbeat_seconds: None,
                answer: Answer::Succeed { output: serde_json::json!({"ok": true}) },
            });
            emit(s);
        })
    };
    let set_activities = {
        let (spec, emit) = (spec.clone(), emit.clone());
        Callback::from(move |e: Event| {
            let mut s = spec.clone();
            s.activities = value_of(&e).split([',', ' ']).map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect();
            emit(s);
        })
    };
    let set_mocks = {
        let (spec, emit, err) = (spec.clone(), emit.clone(), mock_error.clone());
        Callback::from(move |e: Event| {
            let text = value_of(&e);
            let mut s = spec.clone();
            if text.trim().is_empty() {
                s.mock_config = None;
            } else {
                match serde_json::from_str::<Value>(&text) {
                    Ok(v) => s.mock_config = Some(v),
                    Err(x) => return err.set(Some(format!("The mock configuration is not JSON: {x}"))),
                }
            }
            err.set(None);
            emit(s);
        })
    };
    let set_test_case = {
        let (spec, emit) = (spec.clone(), emit.clone());
        Callback::from(move |e: Event| {
            let mut s = spec.clone();
            s.test_case = Some(value_of(&e).trim().to_string()).filter(|t| !t.is_empty());
            emit(s);
        })
    };
    let workers = spec.workers.iter().enumerate().map(|(i, w)| {
        let (spec, emit) = (spec.clone(), emit.clone());
        let on_change = Callback::from(move |w: Option<ActivityWorker>| {
            let mut s = spec.clone();
            match w {
                Some(w) => {
                    let name = activity_name(&w.activity_arn);
                    if !s.activities.contains(&name) {
                        s.activities.push(name);
                    }
                    s.workers[i] = w;
                }
                None => {
                    s.workers.remove(i);
                }
            }
            emit(s);
        });
        html! { <WorkerRow key={i} index={i} worker={w.clone()} on_change={on_change} /> }
    });
    let responders = spec.responders.iter().enumerate().map(|(i, r)| {
        let (spec, emit) = (spec.clone(), emit.clone());
        let on_change = Callback::from(move |r: Option<CallbackResponder>| {
            let mut s = spec.clone();
            match r {
                Some(r) => s.responders[i] = r,
                None => {
                    s.responders.remove(i);
                }
            }
            emit(s);
        });
        html! { <ResponderRow key={i} index={i} responder={r.clone()} on_change={on_change} /> }
    });
    let mock_text = spec.mock_config.as_ref().map(|m| serde_json::to_string_pretty(m).unwrap_or_default()).unwrap_or_default();
    html! {
        <div id="world" class="world">
            <h3>{ "Activities and workers" }</h3>
            <label class="inline">{ "Activities " }
                <input id="world-activities" type="text" placeholder="names, comma separated" value={spec.activities.join(", ")} onchange={set_activities} /></label>
            <ul class="workers">{ for workers }</ul>
            <button id="add-worker" type="button" class="secondary" onclick={add_worker}>{ "Add a worker" }</button>
            <h3>{ "Callback responders (.waitForTaskToken)" }</h3>
            <ul class="responders">{ for responders }</ul>
            <button id="add-responder" type="button" class="secondary" onclick={add_responder}>{ "Add a responder" }</button>
            <p class="note">{ "Without a responder, open tokens wait in the pending tasks pane for your answer." }</p>
            <h3>{ "Mocked integrations (Step Functions Local format)" }</h3>
            <textarea id="world-mocks" spellcheck="false" wrap="off" placeholder={"{\"StateMachines\": {...}, \"MockedResponses\": {...}}"}
                value={mock_text} onchange={set_mocks} />
            if let Some(e) = &*mock_error { <p id="world-mocks-error" class="error-text" role="alert">{ e.clone() }</p> }
            <label class="inline">{ "Test case " }
                <input id="world-test-case" type="text" placeholder="none" value={spec.test_case.clone().unwrap_or_default()} onchange={set_test_case} /></label>
        </div>
    }
}
