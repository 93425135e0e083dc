//! The playground: a definition and an input, runs that go through the Step Functions service on
//! a virtual clock (start, step, play/pause at 1×/10×/100× or instant, rerun with the same seed),
//! the executions listed, the selected one drawn over the diagram, its history, and the open tasks
//! answered from a pane. App state lives in one `use_reducer` ([`state::Playground`]); components
//! get props and send actions back.
//!
//! Stable hooks for tests: `#definition`, `#diagram`, `#input`, `#run`, `#step`, `#play`,
//! `#to-end`, `#rerun`, `#clock`, `#executions`, `#status` (its class is the status, or ERROR when
//! the API refused the request), `#output`, `#error`, `#cause`, `#history`, `#pending`, `#inspector`, `#diagram-outline`,
//! `#zoom-in`, `#zoom-fit`, `#export-svg`, `#export-png`.

mod console;
mod diagram;
mod editor;
mod history;
mod import;
mod inspector;
mod timeline;
mod world;
pub mod state;

use console::Console;
use diagram::Diagram;
use editor::Editor;
use import::Import;
use history::History;
use inspector::Inspector;
use timeline::Timeline;
use world::World;
use serde_json::Value;
use state::{Action, Playground, Speed};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
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
pub const SEED: u64 = 0;

const KEY_DEFINITION: &str = "sfnsim.definition";
const KEY_INPUT: &str = "sfnsim.input";
/// The simulated world (workers, responders, mocks) and machine name that go with the text.
const KEY_WORLD: &str = "sfnsim.world";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

fn pretty_text(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}

fn short_token(t: &str) -> String {
    if t.len() > 16 {
        format!("{}…{}", &t[..8], &t[t.len() - 6..])
    } else {
        t.to_string()
    }
}

fn format_ms(ms: i64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}.{:03}", s / 3600, (s / 60) % 60, s % 60, ms % 1000)
}

#[derive(Properties, PartialEq)]
struct TaskProps {
    state: AttrValue,
    token: AttrValue,
    input: AttrValue,
    on_action: Callback<Action>,
}

/// One open task with Success (JSON output), Failure (error, cause) and Heartbeat.
#[function_component(PendingTaskRow)]
fn pending_task_row(p: &TaskProps) -> Html {
    let output = use_state(|| "{}".to_string());
    let error = use_state(|| "Error".to_string());
    let cause = use_state(String::new);
    let text = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let token = p.token.to_string();
    let success = {
        let (on, token, output) = (p.on_action.clone(), token.clone(), output.clone());
        Callback::from(move |_: MouseEvent| on.emit(Action::Success { token: token.clone(), output: (*output).clone() }))
    };
    let failure = {
        let (on, token, error, cause) = (p.on_action.clone(), token.clone(), error.clone(), cause.clone());
        Callback::from(move |_: MouseEvent| {
            on.emit(Action::Failure { token: token.clone(), error: (*error).clone(), cause: (*cause).clone() })
        })
    };
    let heartbeat = {
        let (on, token) = (p.on_action.clone(), token.clone());
        Callback::from(move |_: MouseEvent| on.emit(Action::Heartbeat { token: token.clone() }))
    };
    html! {
        <li class="task">
            <div><strong class="task-state">{ p.state.clone() }</strong>{ " " }
                <code title={p.token.clone()}>{ short_token(&p.token) }</code></div>
            <details><summary>{ "Input" }</summary><pre>{ pretty_text(&p.input) }</pre></details>
            <div class="task-row">
                <input class="task-output" aria-label="Output (JSON)" value={(*output).clone()} oninput={text(&output)} />
                <button class="task-success" type="button" onclick={success}>{ "Success" }</button>
            </div>
            <div class="task-row">
                <input class="task-error" aria-label="Error" value={(*error).clone()} oninput={text(&error)} />
                <input class="task-cause" aria-label="Cause" placeholder="cause" value={(*cause).clone()} oninput={text(&cause)} />
                <button class="task-failure" type="button" onclick={failure}>{ "Failure" }</button>
                <button class="task-heartbeat" type="button" onclick={heartbeat}>{ "Heartbeat" }</button>
            </div>
        </li>
    }
}

fn result_view(pg: &Playground, described: &Option<Value>) -> Html {
    if let Some((code, message)) = &pg.refused {
        return html! {
            <>
                <p id="status" class="status ERROR">{ code.clone() }</p>
                <pre id="output" class="message">{ message.clone() }</pre>
            </>
        };
    }
    let Some(d) = described else {
        return html! { <p id="status" class="status">{ "Not run yet: press Start (or Ctrl+Enter)." }</p> };
    };
    let status = d["status"].as_str().unwrap_or("").to_string();
    html! {
        <>
            <p id="status" class={classes!("status", status.clone())}>{ status.clone() }</p>
            if let Some(o) = d["output"].as_str() {
                <pre id="output">{ pretty_text(o) }</pre>
            }
            if d.get("error").is_some() || d.get("cause").is_some() {
                <dl class="failure">
                    <dt>{ "Error" }</dt>
                    <dd id="error">{ d["error"].as_str().unwrap_or("").to_string() }</dd>
                    <dt>{ "Cause" }</dt>
                    <dd id="cause">{ d["cause"].as_str().unwrap_or("").to_string() }</dd>
                </dl>
            }
        </>
    }
}

/// Visited states (every state entered) and the failed one (the last entered, when the run failed).
fn run_marks(events: &[Rc<Value>], status: &str) -> (Vec<String>, Vec<String>) {
    let mut visited: Vec<String> = Vec::new();
    let mut last = None;
    for e in events {
        if e["type"].as_str().is_some_and(|t| t.ends_with("StateEntered")) {
            if let Some(n) = e["stateEnteredEventDetails"]["name"].as_str() {
                if !visited.iter().any(|v| v == n) {
                    visited.push(n.to_string());
                }
                last = Some(n.to_string());
            }
        }
    }
    let failed = match (status, last) {
        ("FAILED" | "TIMED_OUT" | "ABORTED", Some(n)) => vec![n],
        _ => Vec::new(),
    };
    (visited, failed)
}

thread_local! {
    /// Set by the play interval: the next render is a tick's, and is timed (window.sfnsimTickMs).
    static TICKING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn now_ms() -> Option<f64> {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now())
}

#[function_component(App)]
pub fn app() -> Html {
    // A tick's work is its reducer step plus this render (children included), which ends when
    // effects run; both are timed for the page benchmark.
    let render_start = now_ms();
    use_effect(move || {
        if TICKING.with(|t| t.replace(false)) {
            if let (Some(t0), Some(t1)) = (render_start, now_ms()) {
                record_tick(t1 - t0 + state::last_reduce_ms());
                record_named("sfnsimReduceMs", state::last_reduce_ms());
            }
        }
    });
    let pg = use_reducer(|| {
        let mut p = Playground::new(
            load(KEY_DEFINITION).unwrap_or_else(|| DEFAULT_DEFINITION.to_string()),
            load(KEY_INPUT).unwrap_or_else(|| DEFAULT_INPUT.to_string()),
            SEED,
        );
        if let Some(w) = load(KEY_WORLD).and_then(|t| serde_json::from_str::<Value>(&t).ok()) {
            p.set_world_json(&w);
        }
        // A share link (`#share=...`) wins over what was saved.
        if let Some(Ok(shared)) = shared_from_location() {
            p = Rc::new(p).reduce(Action::Restore(shared)).as_ref().clone();
        }
        p
    });
    let share_error = use_memo((), |_| shared_from_location().and_then(Result::err));
    let share_link = use_state(|| None::<String>);

    // Nothing is lost: the text is saved as it is typed.
    use_effect_with(pg.definition.clone(), |d| save(KEY_DEFINITION, d));
    use_effect_with(pg.input.clone(), |i| save(KEY_INPUT, i));
    use_effect_with(pg.world_json(), |w| save(KEY_WORLD, &w.to_string()));

    // Play: a 100 ms interval moves the virtual clock by 100 ms × speed (or to quiescence).
    {
        let dispatcher = pg.dispatcher();
        use_effect_with((pg.playing, pg.speed), move |(playing, _)| {
            let interval = playing.then(|| {
                gloo_timers::callback::Interval::new(100, move || {
                    TICKING.with(|t| t.set(true));
                    dispatcher.dispatch(Action::Tick(100));
                })
            });
            move || drop(interval)
        });
    }

    // Keyboard: Ctrl+Enter starts; space plays/pauses and → steps, unless the user is typing.
    {
        let dispatcher = pg.dispatcher();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    // A focused diagram state takes the arrow keys and Enter for itself.
                    .map(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT" | "BUTTON") || el.closest("g.state").ok().flatten().is_some())
                    .unwrap_or(false);
                // Ctrl+Enter (Cmd+Enter on a Mac) starts a run from anywhere, text areas included.
                if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                    e.prevent_default();
                    dispatcher.dispatch(Action::Start);
                    return;
                }
                if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                match e.key().as_str() {
                    " " => {
                        e.prevent_default();
                        dispatcher.dispatch(Action::TogglePlay);
                    }
                    "ArrowRight" => {
                        e.prevent_default();
                        dispatcher.dispatch(Action::Step);
                    }
                    _ => {}
                }
            });
            let doc = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &doc {
                let _ = d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = &doc {
                    let _ = d.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
                }
            }
        });
    }

    // The diagram and the diagnostics follow typed text 250 ms after the last keystroke, and
    // text set otherwise (an example, a share link) at once.
    let typed = use_mut_ref(|| false);
    let on_definition = {
        let (pg, typed) = (pg.clone(), typed.clone());
        Callback::from(move |text: String| {
            *typed.borrow_mut() = true;
            pg.dispatch(Action::SetDefinition(text))
        })
    };
    let settled = use_state(|| pg.definition.clone());
    {
        let settled = settled.clone();
        let timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
        use_effect_with(pg.definition.clone(), move |text| {
            let text = text.clone();
            let was_typed = std::mem::take(&mut *typed.borrow_mut());
            if *settled != text {
                if was_typed {
                    *timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(250, move || settled.set(text)));
                } else {
                    *timer.borrow_mut() = None;
                    settled.set(text);
                }
            }
        });
    }
    let problems = use_memo((*settled).clone(), |text| editor::problems(text));
    let on_input = {
        let pg = pg.clone();
        Callback::from(move |e: InputEvent| pg.dispatch(Action::SetInput(e.target_unchecked_into::<HtmlTextAreaElement>().value())))
    };
    let act = |a: fn() -> Action| {
        let pg = pg.clone();
        Callback::from(move |_: MouseEvent| pg.dispatch(a()))
    };
    let on_action = {
        let pg = pg.clone();
        Callback::from(move |a: Action| pg.dispatch(a))
    };

    // What the views read from the service, recomputed when it changed.
    let events = use_memo((pg.version, pg.selected.clone()), {
        let pg = pg.clone();
        move |_| pg.history_rc()
    });
    let events: Rc<Vec<Rc<Value>>> = (*events).clone();
    let described = pg.describe();
    let status = described.as_ref().and_then(|d| d["status"].as_str()).unwrap_or("").to_string();
    let (visited, failed) = run_marks(&events, &status);
    // The transitions taken and the retries, as the replay of the history sees them.
    let replayed = use_memo(events.clone(), |events| {
        let steps = crate::replay::from_events(events);
        let spans = Rc::new(crate::replay::timeline(&steps));
        (Rc::new(steps), spans)
    });
    // While playing, the timeline (every visit redrawn as the time axis grows) follows at most
    // twice a second; paused or ended, at once. Drawing it on every tick doubled a tick's cost.
    let timeline = {
        let shown = use_mut_ref(|| (f64::NEG_INFINITY, Rc::new(Vec::new()), Rc::new(Vec::new())));
        let now = now_ms().unwrap_or(0.0);
        let mut shown = shown.borrow_mut();
        if !pg.playing || now - shown.0 >= 500.0 || shown.1.len() > events.len() {
            *shown = (now, replayed.1.clone(), events.clone());
        }
        (shown.1.clone(), shown.2.clone())
    };
    let taken = use_memo(replayed.clone(), |replayed| {
        let (steps, spans) = &**replayed;
        let path = crate::replay::highlights(steps, steps.len()).path;
        let mut retries: Vec<(String, u32)> = Vec::new();
        for span in spans.iter().filter(|s| s.retries > 0).cloned() {
            match retries.iter_mut().find(|(n, _)| *n == span.state) {
                Some((_, c)) => *c += span.retries,
                None => retries.push((span.state, span.retries)),
            }
        }
        (path, retries)
    });
    let active = pg.active_states();
    let executions = pg.executions();
    let pending = pg.pending();
    let elapsed = pg.now_ms() - pg.start_ms();
    let inspection = use_memo((pg.version, pg.selected.clone(), pg.inspected), {
        let (pg, events) = (pg.clone(), events.clone());
        move |_| pg.inspection(&events)
    });
    let inspected_state = inspection.as_ref().as_ref().and_then(|r| r.as_ref().as_ref().ok()).map(|v| v.state.clone());
    let on_state = {
        let pg = pg.clone();
        Callback::from(move |name: String| pg.dispatch(Action::InspectState(name)))
    };
    let on_open_event = {
        let pg = pg.clone();
        Callback::from(move |id: u64| pg.dispatch(Action::InspectEvent(id as i64)))
    };

    let on_select = {
        let pg = pg.clone();
        Callback::from(move |e: Event| pg.dispatch(Action::Select(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value())))
    };
    let on_example = {
        let pg = pg.clone();
        Callback::from(move |e: Event| {
            let el = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
            let id = el.value();
            if !id.is_empty() {
                pg.dispatch(Action::LoadExample(id));
            }
            el.set_value("");
        })
    };
    let on_share = {
        let (pg, share_link) = (pg.clone(), share_link.clone());
        Callback::from(move |_: MouseEvent| {
            let shared = crate::share::Shared {
                definition: pg.definition.clone(),
                input: pg.input.clone(),
                seed: pg.seed,
                world: pg.world_json(),
            };
            let Some(window) = web_sys::window() else { return };
            let payload = crate::share::encode(&shared);
            let href = window.location().href().unwrap_or_default();
            let base = href.split('#').next().unwrap_or("").to_string();
            let link = format!("{base}#share={payload}");
            let _ = window.location().set_hash(&format!("share={payload}"));
            let _ = window.navigator().clipboard().write_text(&link);
            share_link.set(Some(link));
        })
    };
    let on_speed = {
        let pg = pg.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Some(s) = Speed::ALL.into_iter().find(|s| s.label() == v) {
                pg.dispatch(Action::SetSpeed(s));
            }
        })
    };

    html! {
        <>
            <header>
                <h1>{ "sfnsim" }</h1>
                <p>{ "AWS Step Functions, simulated in your browser on a virtual clock" }</p>
                <label for="examples" class="examples-label">{ "Examples" }</label>
                <select id="examples" onchange={on_example}>
                    <option value="" selected=true>{ "Load an example…" }</option>
                    { for gallery().iter().map(|(id, x)| html! { <option value={*id} title={x.description.clone()}>{ x.title.clone() }</option> }) }
                </select>
                <button id="share" type="button" class="secondary" title="Put the definition, input and settings in a link (copied to the clipboard)" onclick={on_share}>{ "Share" }</button>
                if let Some(link) = &*share_link {
                    <input id="share-link" class="share-link" type="text" readonly=true aria-label="Share link" value={link.clone()} />
                }
                if let Some(e) = &*share_error {
                    <p id="share-error" class="error-text" role="alert">{ e.clone() }</p>
                }
            </header>
            <main>
                <section class="definition">
                    <label for="definition">{ "Definition (Amazon States Language)" }</label>
                    <Editor text={AttrValue::from(pg.definition.clone())} on_change={on_definition} problems={(*problems).clone()} />
                </section>
                <section class="run">
                    <label for="input">{ "Execution input (JSON)" }</label>
                    <textarea id="input" spellcheck="false" wrap="off"
                        value={pg.input.clone()} oninput={on_input} />
                    <div class="controls" role="toolbar" aria-label="Run controls">
                        <button id="run" type="button" title="Start an execution (Ctrl+Enter)" onclick={act(|| Action::Start)}>{ "Start" }</button>
                        <button id="step" type="button" title="Step to the next event (→)" onclick={act(|| Action::Step)}>{ "Step" }</button>
                        <button id="play" type="button" title="Play / pause (space)" aria-pressed={pg.playing.to_string()} onclick={act(|| Action::TogglePlay)}>
                            { if pg.playing { "Pause" } else { "Play" } }</button>
                        <button id="to-end" type="button" title="Run until nothing more can happen" onclick={act(|| Action::RunToEnd)}>{ "To end" }</button>
                        <button id="rerun" type="button" title="Run the selected execution again from scratch, same seed" onclick={act(|| Action::Rerun)}>{ "Rerun" }</button>
                        <label for="speed">{ "Speed" }</label>
                        <select id="speed" onchange={on_speed}>
                            { for Speed::ALL.into_iter().map(|s| html! { <option value={s.label()} selected={s == pg.speed}>{ s.label() }</option> }) }
                        </select>
                        <span id="clock" class="clock" title="Virtual time since the simulation started">{ format!("Virtual time {}", format_ms(elapsed)) }</span>
                    </div>
                    if !executions.is_empty() {
                        <label for="executions">{ "Executions" }</label>
                        <select id="executions" onchange={on_select}>
                            { for executions.iter().map(|e| {
                                let arn = e["executionArn"].as_str().unwrap_or("").to_string();
                                let label = format!("{} — {}", e["name"].as_str().unwrap_or(""), e["status"].as_str().unwrap_or(""));
                                html! { <option value={arn.clone()} selected={pg.selected.as_deref() == Some(arn.as_str())}>{ label }</option> }
                            }) }
                        </select>
                    }
                    <h2>{ "Result" }</h2>
                    { result_view(&pg, &described) }
                    <h2>{ "Pending tasks" }</h2>
                    if pending.is_empty() {
                        <p class="note" id="pending-empty">{ "No open task: activities and .waitForTaskToken calls wait here for an answer." }</p>
                    } else {
                        <ul id="pending" class="pending">
                            { for pending.iter().map(|(state, token, _arn, input)| html! {
                                <PendingTaskRow key={token.clone()} state={AttrValue::from(state.clone())} token={AttrValue::from(token.clone())}
                                    input={AttrValue::from(input.clone())} on_action={on_action.clone()} />
                            }) }
                        </ul>
                    }
                </section>
                <section class="graph">
                    <h2>{ "Diagram" }</h2>
                    <Diagram definition={AttrValue::from((*settled).clone())} active={active} visited={visited} failed={failed}
                        selected={inspected_state} on_state={on_state.clone()}
                        path={taken.0.clone()} retries={taken.1.clone()} />
                </section>
                <section class="inspect">
                    <h2>{ "Inspector" }</h2>
                    <Inspector visit={(*inspection).clone()} />
                </section>
                <section class="history">
                    <h2>{ "Execution history" }</h2>
                    <details class="timeline-pane" open=true>
                        <summary>{ "Timeline of state visits (virtual time)" }</summary>
                        <Timeline events={timeline.1.clone()} spans={timeline.0.clone()} on_state={on_state.clone()} />
                    </details>
                    <History events={events.clone()} on_open={on_open_event} />
                    if pg.selected.is_none() && pg.imported.is_none() {
                        <p class="note empty">{ "The history of a run appears here." }</p>
                    }
                </section>
                <section class="world-pane">
                    <h2>{ "Simulated world" }</h2>
                    <World world={pg.world.clone()} on_change={{
                        let pg = pg.clone();
                        Callback::from(move |w: crate::sim::WorldSpec| pg.dispatch(Action::SetWorld(w)))
                    }} />
                </section>
                <section class="console-pane">
                    <h2>{ "Console" }</h2>
                    <Console entries={pg.console.clone()} on_run={{
                        let pg = pg.clone();
                        Callback::from(move |line: String| pg.dispatch(Action::Console(line)))
                    }} />
                </section>
                <section class="import-pane">
                    <h2>{ "Import a run from AWS" }</h2>
                    <Import on_action={on_action.clone()} viewing={pg.imported.as_ref().map(|i| i.events.len())} error={pg.import_error.clone()} />
                </section>
            </main>
        </>
    }
}

/// The gallery (www/examples), parsed once.
fn gallery() -> &'static [(&'static str, crate::examples::Example)] {
    thread_local! {
        static GALLERY: &'static [(&'static str, crate::examples::Example)] = Box::leak(
            crate::examples::EXAMPLES
                .iter()
                .filter_map(|(id, _)| Some((*id, crate::examples::Example::by_id(id)?)))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
    }
    GALLERY.with(|g| *g)
}

/// The shared state in the page's address (`#share=...`), if there is one.
fn shared_from_location() -> Option<Result<crate::share::Shared, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let payload = hash.strip_prefix("#share=")?;
    Some(crate::share::decode(payload))
}

/// Appends a tick's duration (ms) to `window.sfnsimTickMs`, for the page benchmark.
fn record_tick(ms: f64) {
    record_named("sfnsimTickMs", ms)
}

fn record_named(name: &str, ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let key = wasm_bindgen::JsValue::from(name);
    let list = match js_sys::Reflect::get(&w, &key).ok().and_then(|v| v.dyn_into::<js_sys::Array>().ok()) {
        Some(l) => l,
        None => {
            let l = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&w, &key, &l);
            l
        }
    };
    if list.length() < 100_000 {
        list.push(&ms.into());
    }
}
