//! The inspector: one state visit (playground::inspect) shown step by step — input, each
//! data-flow step with the field's text and the value after it, output, variables assigned, failure,
//! retries with their back-off, and for a Choice each rule with why it did or did not match.
//! Each value says whether it was recorded in the history or recomputed from recorded values.

use crate::playground::inspect::{Source, Visit};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The visit, or why it could not be rebuilt; None when nothing is selected.
    pub visit: Option<Rc<Result<Visit, String>>>,
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn source_tag(s: Source) -> Html {
    match s {
        Source::Recorded => html! { <span class="tag recorded" title="Read from the execution history">{ "recorded" }</span> },
        Source::Recomputed => html! { <span class="tag recomputed" title="Computed from recorded values with the engine's evaluators">{ "recomputed" }</span> },
    }
}

fn seconds(s: f64) -> String {
    format!("{s:.3} s").replace(".000 s", " s")
}

#[component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let Some(visit) = &props.visit else {
        return html! {
            <p id="inspector" class="note">{ "Click a state in the diagram or an event in the history (or focus a state and press Enter) to see its input, each data-flow step and its output." }</p>
        };
    };
    let v = match &**visit {
        Ok(v) => v,
        Err(e) => return html! { <p id="inspector" class="note">{ format!("Nothing to inspect: {e}") }</p> },
    };
    let event_range = match v.exited_event {
        Some(x) => format!("events {}–{}", v.entered_event, x),
        None => format!("from event {}", v.entered_event),
    };
    html! {
        <div id="inspector" class="inspector">
            <h3>
                <span id="inspector-state">{ v.state.clone() }</span>
                <span class="note">{ format!(" · {} state · {} · {}", v.kind, v.query_language, event_range) }</span>
            </h3>
            if let Some(input) = &v.input {
                <details open=true class="flow input"><summary>{ "Input" }{ source_tag(Source::Recorded) }</summary><pre>{ pretty(input) }</pre></details>
            }
            <ol class="flow-steps">
                { for v.steps.iter().map(|s| html! {
                    <li class={classes!("flow", match &s.value { Err(e) if e.starts_with("not recomputed") => Some("unknown"), Err(_) => Some("failed"), Ok(_) => None })} data-field={s.field}>
                        <div class="flow-head"><strong>{ s.field }</strong>{ source_tag(s.source) }
                            if let Some(d) = &s.definition {
                                <code class="flow-def">{ match d { Value::String(t) => t.clone(), other => other.to_string() } }</code>
                            }
                        </div>
                        { match &s.value {
                            Ok(val) => html! { <pre>{ pretty(val) }</pre> },
                            Err(e) if e.starts_with("not recomputed") => html! { <p class="note">{ e.clone() }</p> },
                            Err(e) => html! { <p class="error-text">{ e.clone() }</p> },
                        } }
                    </li>
                }) }
            </ol>
            if !v.choice.is_empty() {
                <h4>{ "Choice rules" }</h4>
                <ol id="inspector-rules" class="rules">
                    { for v.choice.iter().map(|r| {
                        let (class, mark) = match r.matched {
                            Some(true) => ("matched", "✓ matched"),
                            Some(false) => ("unmatched", "✗ no match"),
                            None => ("skipped", "– not evaluated"),
                        };
                        html! {
                            <li class={class}>
                                <div><strong>{ mark }</strong>{ format!(" → {}", r.next) }</div>
                                <pre class="why">{ r.explanation.clone() }</pre>
                            </li>
                        }
                    }) }
                </ol>
                if let Some(n) = &v.next {
                    <p class="next">{ format!("Next: {n}") }</p>
                }
            }
            if !v.retries.is_empty() {
                <h4>{ "Retries" }</h4>
                <table id="inspector-retries" class="retries">
                    <thead><tr><th>{ "#" }</th><th>{ "Error" }</th><th>{ "Retrier" }</th><th>{ "Back-off (definition)" }</th><th>{ "Waited (history)" }</th></tr></thead>
                    <tbody>
                        { for v.retries.iter().map(|r| html! {
                            <tr>
                                <td class="num">{ r.attempt }</td>
                                <td title={r.cause.clone()}>{ r.error.clone() }</td>
                                <td>{ r.retrier.map(|i| format!("Retry[{i}]")).unwrap_or_else(|| "none".into()) }</td>
                                <td class="num">{ match r.computed_delay {
                                    Some((a, b)) if a == b => seconds(a),
                                    Some((a, b)) => format!("{} – {} (full jitter)", seconds(a), seconds(b)),
                                    None => "—".into(),
                                } }</td>
                                <td class="num">{ r.observed_delay.map(seconds).unwrap_or_else(|| "—".into()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if let Some(o) = &v.output {
                <details open=true class="flow output"><summary>{ "Output" }{ source_tag(Source::Recorded) }</summary><pre id="inspector-output">{ pretty(o) }</pre></details>
            }
            if let Some(m) = &v.output_mismatch {
                <p class="warning">{ "The recomputed output differs from the recorded one (a random value, a time or a context field the history does not hold): " }<code>{ m.to_string() }</code></p>
            }
            if !v.assigned.is_empty() {
                <h4>{ "Variables assigned" }</h4>
                <dl id="inspector-variables" class="variables">
                    { for v.assigned.iter().map(|(k, val)| html! { <><dt>{ format!("${k}") }</dt><dd><code>{ val.to_string() }</code></dd></> }) }
                </dl>
            }
            if let Some((error, cause)) = &v.failure {
                <dl id="inspector-failure" class="failure">
                    <dt>{ "Error" }</dt><dd>{ error.clone() }</dd>
                    <dt>{ "Cause" }</dt><dd>{ cause.clone() }</dd>
                </dl>
            }
        </div>
    }
}
