//! The execution history with AWS's columns (ID, Type, State, elapsed virtual time, Details), a
//! type filter and a virtualised body: only the rows in view (plus a margin) are in the DOM, so a
//! 25,000-event history scrolls as smoothly as a short one. A row is one line; clicking it (or
//! Enter on it) expands its details below the table.

use serde_json::Value;
use std::rc::Rc;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

pub const ROW_PX: f64 = 26.0;
/// The tallest the table's scroll box gets (www/style.css says the same).
const VIEW_PX: f64 = 364.0;
const OVERSCAN: usize = 10;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub events: Rc<Vec<Rc<Value>>>,
    /// Called with the event id when a row is opened (the inspector shows its state visit).
    #[prop_or_default]
    pub on_open: Callback<u64>,
}

/// An event's `...EventDetails` member: state name and the other fields as text.
pub fn details(event: &Value) -> (String, Vec<(String, String)>) {
    let Some(d) = event
        .as_object()
        .and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails")))
        .and_then(|(_, v)| v.as_object())
    else {
        return (String::new(), Vec::new());
    };
    let name = d.get("name").and_then(Value::as_str).unwrap_or("").to_string();
    let fields = d
        .iter()
        .filter(|(k, v)| *k != "name" && !(k.ends_with("Details") && v["truncated"] == Value::Bool(false)))
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

/// Milliseconds since the first event, as `+1.234 s`.
pub fn elapsed(event: &Value, t0: f64) -> String {
    let t = event["timestamp"].as_f64().unwrap_or(t0);
    format!("+{:.3} s", (t - t0).max(0.0))
}

#[component(History)]
pub fn history(props: &HistoryProps) -> Html {
    let filter = use_state(String::new);
    let scroll = use_state(|| 0.0f64);
    let open = use_state(|| None::<u64>);
    let events = props.events.clone();
    let shown: Rc<Vec<usize>> = {
        let events = events.clone();
        let f = (*filter).to_lowercase();
        use_memo((events, f), |(events, f)| {
            events
                .iter()
                .enumerate()
                .filter(|(_, e)| f.is_empty() || e["type"].as_str().unwrap_or("").to_lowercase().contains(f.as_str()))
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    };
    // The state of every event (AWS's event view names it for TaskScheduled and the like too).
    let names = use_memo(events.clone(), |events| crate::playground::inspect::scopes::state_names(events.as_slice()));
    let t0 = events.first().and_then(|e| e["timestamp"].as_f64()).unwrap_or(0.0);
    let first = ((*scroll / ROW_PX) as usize).saturating_sub(OVERSCAN).min(shown.len());
    let last = (first + (VIEW_PX / ROW_PX) as usize + 2 * OVERSCAN).min(shown.len());
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| scroll.set(e.target_unchecked_into::<Element>().scroll_top() as f64))
    };
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let rows = shown[first..last].iter().map(|&i| {
        let e = &events[i];
        let id = e["id"].as_u64().unwrap_or(0);
        let name = names.get(i).cloned().flatten().unwrap_or_default();
        let flip = {
            let (open, on_open) = (open.clone(), props.on_open.clone());
            move || {
                let opening = *open != Some(id);
                open.set(opening.then_some(id));
                if opening {
                    on_open.emit(id);
                }
            }
        };
        let toggle = {
            let flip = flip.clone();
            Callback::from(move |_: MouseEvent| flip())
        };
        let key_toggle = Callback::from(move |k: KeyboardEvent| if k.key() == "Enter" { flip() });
        let ty = e["type"].as_str().unwrap_or("").to_string();
        html! {
            <tr key={id} tabindex="0" class={classes!((*open == Some(id)).then_some("open"), ty.ends_with("Failed").then_some("failed"))}
                onclick={toggle} onkeydown={key_toggle} aria-expanded={(*open == Some(id)).to_string()}>
                <td class="num">{ id }</td>
                <td>{ ty }</td>
                <td>{ name }</td>
                <td class="num">{ elapsed(e, t0) }</td>
                <td class="more">{ if *open == Some(id) { "▾" } else { "▸" } }</td>
            </tr>
        }
    });
    let top = first as f64 * ROW_PX;
    let bottom = (shown.len() - last) as f64 * ROW_PX;
    let opened = (*open).and_then(|id| events.iter().find(|e| e["id"].as_u64() == Some(id)));
    html! {
        <div class="history-pane">
            <div class="history-tools">
                <label for="history-filter">{ "Filter by type" }</label>
                <input id="history-filter" type="search" placeholder="e.g. TaskStateEntered" value={(*filter).clone()} oninput={on_filter} />
                <span id="history-count" class="note">{ format!("{} of {} events", shown.len(), events.len()) }</span>
            </div>
            <div class="table-scroll virtual" onscroll={on_scroll}>
                <table id="history">
                    <thead>
                        <tr><th class="num col-id">{ "ID" }</th><th class="col-type">{ "Type" }</th><th class="col-state">{ "State" }</th><th class="num col-elapsed">{ "Elapsed" }</th><th class="col-more"><span class="visually-hidden">{ "Details" }</span></th></tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" style={format!("height:{top}px")} />
                        { for rows }
                        <tr class="spacer" style={format!("height:{bottom}px")} />
                    </tbody>
                </table>
            </div>
            if let Some(e) = opened {
                <div id="event-details" class="event-details">
                    <h3>{ format!("Event {} · {}", e["id"], e["type"].as_str().unwrap_or("")) }</h3>
                    <dl>
                        { for details(e).1.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd><pre>{ v }</pre></dd></> }) }
                    </dl>
                </div>
            }
        </div>
    }
}
