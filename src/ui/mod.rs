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
mod learn;
mod saved;
mod test_state;
mod timeline;
mod world;
pub mod state;

use crate::playground::{examples, inspect, replay, share};
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

/// The examples menu's entry for the work a share link replaced.
const PREVIOUS_WORK: &str = "previous-work";

pub const DEFAULT_INPUT: &str = r#"{ "name": "Step Functions" }"#;

/// The seed for retry jitter and random intrinsics: fixed, so a run is repeatable.
pub const SEED: u64 = 0;

use saved::{load, KEY_INPUT, KEY_WORLD};

fn save(key: &str, value: &str) {
    let _ = saved::save(key, value);
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
#[component(PendingTaskRow)]
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

/// Does `el` take keys for itself? Text fields, the CodeMirror editor (a contenteditable),
/// controls (a button takes space, a select the arrows) and the diagram's focusable states.
/// The page's run shortcuts apply only when focus is on none of these.
fn takes_keys(el: &web_sys::Element) -> bool {
    el.closest(
        "input, textarea, select, button, summary, [contenteditable]:not([contenteditable='false']), .cm-editor, g.state, [role=tab], [role=dialog]",
    )
    .ok()
    .flatten()
    .is_some()
}

/// Every state name in a definition's text, nested ones included.
fn state_names_of(definition: &str) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(states)) = m.get("States") {
                    out.extend(states.keys().cloned());
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = crate::asl::definition_json::parse(definition) {
        walk(&v, &mut out);
    }
    out
}

/// States an imported history enters that the definition does not have.
fn unknown_states(definition: &str, events: &[Rc<Value>]) -> Vec<String> {
    let known = state_names_of(definition);
    let mut out: Vec<String> = Vec::new();
    for e in events {
        if let Some(n) = e["stateEnteredEventDetails"]["name"].as_str() {
            if !known.iter().any(|k| k == n) && !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
    }
    out
}

const KEY_TAB: &str = "sfnsim.tab";
const KEY_DOCK: &str = "sfnsim.dock";
const TABS: [(&str, &str); 5] =
    [("history", "History"), ("timeline", "Timeline"), ("world", "Simulated world"), ("console", "Console"), ("import", "Import")];

/// The `?` overlay: every shortcut of the page.
fn help_view(on_close: Callback<MouseEvent>) -> Html {
    let row = |keys: &str, what: &str| html! { <tr><td><kbd>{ keys.to_string() }</kbd></td><td>{ what.to_string() }</td></tr> };
    html! {
        <div class="overlay" id="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <table class="keys">
                    <tbody>
                        { row("Ctrl+Enter / ⌘+Enter", "Start a run (from anywhere, the editor included)") }
                        { row("Space", "Play / pause (when no text field or button has focus)") }
                        { row("→", "Step to the next event (likewise)") }
                        { row("?", "Show this list; Esc closes it") }
                        { row("Tab, then ↑ ↓ ← →", "Move between the diagram's states along transitions") }
                        { row("Enter on a state", "Inspect it") }
                        { row("C on a Parallel or Map", "Collapse it into one box, or expand it") }
                        { row("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo in the editor (an example load or a restored link too)") }
                        { row("Ctrl+F", "Search the definition") }
                        { row("Tab, ↑ ↓ in the console", "Complete, recall earlier lines") }
                    </tbody>
                </table>
                <button id="help-close" type="button" onclick={on_close}>{ "Close" }</button>
            </div>
        </div>
    }
}

#[component(App)]
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
    // What the editor held before a share link replaced it: its first undo step.
    let undo_base = use_state(|| match shared_from_location() {
        Some(Ok(_)) => Some(AttrValue::from(saved::load_definition().unwrap_or_else(|| DEFAULT_DEFINITION.to_string()))),
        _ => None,
    });
    let pg = use_reducer(|| {
        let mut p = Playground::new(
            saved::load_definition().unwrap_or_else(|| DEFAULT_DEFINITION.to_string()),
            load(KEY_INPUT).unwrap_or_else(|| DEFAULT_INPUT.to_string()),
            SEED,
        );
        if let Some(w) = load(KEY_WORLD).and_then(|t| serde_json::from_str::<Value>(&t).ok()) {
            p.set_world_json(&w);
        }
        // A share link (`#share=...`) wins over what was saved, which is kept as the previous work.
        if let Some(Ok(shared)) = shared_from_location() {
            saved::keep_before_share(&shared, DEFAULT_DEFINITION);
            p = Rc::new(p).reduce(Action::Restore(shared)).as_ref().clone();
        }
        p
    });
    let share_error = use_state(|| shared_from_location().and_then(Result::err));
    let share_link = use_state(|| None::<String>);
    // The Share menu's Embed: the snippets for a documentation page (script form, iframe form).
    let embed = use_state(|| None::<(String, String)>);
    let help = use_state(|| false);
    // The keyboard listener is registered once; it reads whether the overlay is open here.
    let help_cell = use_memo((), |_| std::cell::Cell::new(false));
    let tab = use_state(|| load(KEY_TAB).filter(|t| TABS.iter().any(|(id, _)| id == t)).unwrap_or_else(|| "history".into()));
    // Closed at first, so the editor, the diagram, the result and the inspector have the window;
    // opening or closing it is remembered.
    let dock_open = use_state(|| load(KEY_DOCK).is_some_and(|v| v == "open"));
    // The Learn view (#learn, #learn/<id>): lessons beside the editor and the diagram.
    let lessons = learn::use_lessons(pg.clone());
    let explain_open = use_state(|| false);
    // Test state: the inspected state run alone (TestState), opened from the inspector.
    let testing_state = use_state(|| false);

    // The work a share link replaced (saved.rs), offered back in the examples menu.
    let previous_work = use_state(saved::previous);
    // A restored link leaves the address bar: a reload shows what was typed since, not the link.
    use_effect_with((), |_| {
        if let Some(Ok(_)) = shared_from_location() {
            leave_address_bar();
        }
    });
    // A link pasted into the address bar of an open playground changes only the fragment: it is
    // restored the same way, the work it replaces kept.
    {
        let (pg, previous_work, share_error) = (pg.clone(), previous_work.clone(), share_error.clone());
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || match shared_from_location() {
                Some(Ok(shared)) => {
                    saved::keep_before_share(&shared, DEFAULT_DEFINITION);
                    previous_work.set(saved::previous());
                    share_error.set(None);
                    pg.dispatch(Action::Restore(shared));
                    leave_address_bar();
                }
                Some(Err(e)) => share_error.set(Some(e)),
                None => {}
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }

    // Nothing is lost: the text is saved as it is typed (saved.rs: quota, other tabs, share links).
    // While a lesson is open its text is the lesson's progress (learn.rs), not the playground's.
    let save_outcome = use_state(saved::Saved::default);
    {
        let save_outcome = save_outcome.clone();
        use_effect_with((pg.definition.clone(), pg.input.clone(), pg.world_json(), pg.lesson.is_some()), move |(d, i, w, lesson)| {
            if !lesson {
                let outcome = saved::save_work(d, i, w);
                if *save_outcome != outcome {
                    save_outcome.set(outcome);
                }
            }
        });
    }
    let other_tab = saved::use_other_tab();
    use_effect_with((*tab).clone(), |t| save(KEY_TAB, t));
    use_effect_with(*dock_open, |o| save(KEY_DOCK, if *o { "open" } else { "closed" }));

    // Play: a 100 ms interval moves the virtual clock by 100 ms × speed (or to quiescence).
    {
        let dispatcher = pg.dispatcher();
        use_effect_with((pg.playing, pg.speed), move |(playing, _)| {
            let interval = playing.then(|| {
                gloo_timers::callback::Interval::new(100, move || {
                    TICKING.with(|t| t.set(true));
                    dispatcher.dispatch(Action::Tick(100));
                    // A tick that changed nothing (one that came after a pause) is not rendered:
                    // nothing to time, and the next render is not a tick's.
                    if state::last_reduce_kept() {
                        TICKING.with(|t| t.set(false));
                    }
                })
            });
            move || drop(interval)
        });
    }

    // Keyboard: Ctrl/Cmd+Enter starts from anywhere; space plays/pauses, → steps and ? lists the
    // shortcuts only when focus is on nothing that takes keys itself (the editor, a text field,
    // a control): every key typed into those reaches them.
    {
        let dispatcher = pg.dispatcher();
        let help = help.setter();
        let help_mirror = help_cell.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                    e.prevent_default();
                    dispatcher.dispatch(Action::Start);
                    return;
                }
                if e.key() == "Escape" && help_mirror.get() {
                    help_mirror.set(false);
                    help.set(false);
                    return;
                }
                let typing = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| takes_keys(&el));
                if typing || e.default_prevented() || e.ctrl_key() || e.meta_key() || e.alt_key() {
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
                    "?" => {
                        e.prevent_default();
                        let open = !help_mirror.get();
                        help_mirror.set(open);
                        help.set(open);
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
    // The overlay's Close button and the header's ? button keep the listener's copy in step.
    let set_help = |open: bool| {
        let (help, cell) = (help.clone(), help_cell.clone());
        Callback::from(move |_: MouseEvent| {
            cell.set(open);
            help.set(open);
        })
    };
    // The overlay takes focus when it opens, so Esc and Tab work in it at once.
    use_effect_with(*help, |open| {
        if *open {
            if let Some(b) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("help-close")) {
                if let Ok(b) = b.dyn_into::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
        }
    });

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

    // Which definition the diagram draws: the selected execution's (DescribeStateMachineForExecution),
    // unless the user typed since or asked for the editor's; an imported history is drawn over
    // the editor's text.
    // Keyed on what was deployed too: a fresh service (an example, a lesson) reuses the ARN run-1.
    let run_definition = use_memo((pg.selected.clone(), pg.deployed.clone()), {
        let pg = pg.clone();
        move |_| pg.run_definition()
    });
    let run_name = pg.selected.as_deref().map(|a| a.rsplit(':').next().unwrap_or(a).to_string()).unwrap_or_default();
    let differs = run_definition.as_ref().as_ref().is_some_and(|(d, _)| *d != *settled);
    let drawing_run = run_definition.is_some() && !pg.draw_editor;
    let drawn: String = match &*run_definition {
        Some((d, _)) if drawing_run => d.clone(),
        _ => (*settled).clone(),
    };
    // The run's marks are drawn only over the definition the run ran.
    let marks_apply = pg.imported.is_some() || run_definition.is_none() || drawing_run || !differs;
    let misfit = use_memo((pg.imported.as_ref().map(|i| i.events.clone()), (*settled).clone()), |(events, text)| {
        events.as_ref().map(|ev| unknown_states(text, ev)).unwrap_or_default()
    });

    // The Map iterations and Parallel branches of the run, and the events the picked ones leave
    // in view (the other iterations of a picked owner are left out).
    // Branches are numbered by the definition's Branches order.
    let scopes = use_memo((events.clone(), drawn.clone()), |(events, definition)| {
        inspect::scopes::scopes_in(events.as_slice(), definition)
    });
    let scoped_events: Rc<Vec<Rc<Value>>> = {
        let picks = pg.scope_pick.clone();
        if picks.is_empty() {
            events.clone()
        } else {
            let mut hidden: std::collections::HashSet<i64> = std::collections::HashSet::new();
            for (owner, index) in &picks {
                for sc in scopes.iter().filter(|sc| sc.owner_entered == *owner && sc.index != *index) {
                    hidden.extend(sc.event_ids.iter().copied());
                }
            }
            Rc::new(events.iter().filter(|e| !e["id"].as_i64().is_some_and(|id| hidden.contains(&id))).cloned().collect())
        }
    };
    let (visited, failed) = run_marks(&scoped_events, &status);
    // The transitions taken and the retries, as the replay of the history sees them.
    let replayed = use_memo(scoped_events.clone(), |events| {
        let steps = replay::from_events(events);
        let spans = Rc::new(replay::timeline(&steps));
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
        let marks = replay::highlights(steps, steps.len());
        let path = marks.path;
        let mut retries: Vec<(String, u32)> = Vec::new();
        for span in spans.iter().filter(|s| s.retries > 0).cloned() {
            match retries.iter_mut().find(|(n, _)| *n == span.state) {
                Some((_, c)) => *c += span.retries,
                None => retries.push((span.state, span.retries)),
            }
        }
        // Every state that failed at some point (an error, a timeout, a failure caught after it
        // too): a collapsed box holding one says so.
        let mut failed_visits: Vec<String> = marks.failed;
        for span in spans.iter().filter(|s| s.outcome == "failed") {
            if !failed_visits.contains(&span.state) {
                failed_visits.push(span.state.clone());
            }
        }
        (path, retries, failed_visits)
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
    // The last run's input to the inspected state, for Test state.
    let visit_input = inspection
        .as_ref()
        .as_ref()
        .and_then(|r| r.as_ref().as_ref().ok())
        .and_then(|v| v.input.as_ref())
        .map(|i| serde_json::to_string_pretty(i).unwrap_or_default())
        .unwrap_or_else(|| pg.input.clone());
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
            if id == PREVIOUS_WORK {
                if let Some(p) = saved::previous() {
                    pg.dispatch(Action::Restore(p));
                }
            } else if !id.is_empty() {
                pg.dispatch(Action::LoadExample(id));
            }
        })
    };
    let on_share = {
        let (pg, share_link) = (pg.clone(), share_link.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else { return };
            let link = share_link_for(&pg.shared(None));
            // Not put in the address bar: a reload would bring the shared text back over later edits.
            let _ = window.navigator().clipboard().write_text(&link);
            share_link.set(Some(link));
        })
    };
    let on_embed = {
        let (pg, embed) = (pg.clone(), embed.clone());
        Callback::from(move |_: MouseEvent| {
            if embed.is_some() {
                embed.set(None);
                return;
            }
            let shared = pg.shared(None);
            let Some(window) = web_sys::window() else { return };
            let href = window.location().href().unwrap_or_default();
            let page = href.split(['#', '?']).next().unwrap_or("");
            // The playground's folder (a page name such as index.html dropped): embed/ is in it.
            let folder = &page[..page.rfind('/').map_or(page.len(), |i| i + 1)];
            embed.set(Some(share::embed_snippets(folder, &shared, diagram::saved_direction())));
        })
    };
    let copy_text = |id: &'static str| {
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else { return };
            let el = window.document().and_then(|d| d.get_element_by_id(id));
            if let Some(area) = el.and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                area.select();
                let _ = window.navigator().clipboard().write_text(&area.value());
            }
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
    let pick_tab = |id: &'static str| {
        let (tab, dock_open) = (tab.clone(), dock_open.clone());
        Callback::from(move |_: MouseEvent| {
            if *tab == id {
                dock_open.set(!*dock_open);
            } else {
                tab.set(id.to_string());
                dock_open.set(true);
            }
        })
    };
    let example = gallery().iter().find(|(id, _)| *id == pg.example_id).map(|(_, x)| x.clone());
    // The example's description, folded to its title on request; a new example unfolds it.
    let info_folded = use_state(|| false);
    {
        let info_folded = info_folded.clone();
        use_effect_with(pg.example_id.clone(), move |_| info_folded.set(false));
    }
    let draw = |editor: bool| {
        let pg = pg.clone();
        Callback::from(move |_: MouseEvent| pg.dispatch(Action::DrawEditor(editor)))
    };
    let machine_of_run = run_definition.as_ref().as_ref().map(|(_, m)| m.clone()).unwrap_or_default();
    let sign: Html = if let Some(im) = &pg.imported {
        html! {
            <div id="diagram-sign" class="sign import">
                { format!("Viewing an imported history ({} events) over the editor's definition.", im.events.len()) }
                <button type="button" class="secondary" onclick={act(|| Action::LeaveImport)}>{ "Back to local runs" }</button>
                if !misfit.is_empty() {
                    <p id="import-misfit" class="error-text" role="alert">{ format!(
                        "This history does not fit the definition: it enters {} that the definition does not have. Paste the definition it ran (the AWS console's Definition tab) into the editor.",
                        misfit.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")) }</p>
                }
            </div>
        }
    } else if differs && drawing_run {
        let whose = if machine_of_run != pg.machine_name {
            format!("Drawn: the definition {run_name} ran (state machine {machine_of_run}), not the editor's text.")
        } else {
            format!("Drawn: the definition {run_name} ran; the editor's text has changed since.")
        };
        html! {
            <div id="diagram-sign" class="sign">{ whose }
                <button id="draw-editor" type="button" class="secondary" onclick={draw(true)}>{ "Draw the editor's text" }</button></div>
        }
    } else if differs {
        html! {
            <div id="diagram-sign" class="sign">{ format!("Drawn: the editor's text. {run_name} ran another definition, so its marks are not shown.") }
                <button id="draw-run" type="button" class="secondary" onclick={draw(false)}>{ format!("Draw {run_name}'s definition") }</button></div>
        }
    } else {
        html! {}
    };

    // The iteration picker: for each Map / Parallel visit of the run, choose an iteration or
    // a branch (failed ones listed apart); nested Maps get one picker per level, shown once
    // their enclosing iteration is picked.
    let pickers: Html = {
        let mut owners: Vec<(i64, String, Option<usize>)> = Vec::new();
        for sc in scopes.iter() {
            if !owners.iter().any(|(o, _, _)| *o == sc.owner_entered) {
                owners.push((sc.owner_entered, sc.owner.clone(), sc.parent));
            }
        }
        // A nested owner's picker shows when every scope it lies in is the picked one.
        let visible = |parent: Option<usize>| -> bool {
            let mut p = parent;
            while let Some(i) = p {
                let Some(sc) = scopes.get(i) else { return false };
                if !pg.scope_pick.iter().any(|(o, x)| *o == sc.owner_entered && *x == sc.index) {
                    return false;
                }
                p = sc.parent;
            }
            true
        };
        let owners: Vec<_> = owners.into_iter().filter(|(_, _, parent)| visible(*parent)).collect();
        if owners.is_empty() {
            html! {}
        } else {
            html! {
                <div id="scope-pickers" class="scope-pickers">
                    { for owners.into_iter().map(|(owner, name, _)| {
                        let mine: Vec<_> = scopes.iter().filter(|s| s.owner_entered == owner).collect();
                        let picked = pg.scope_pick.iter().find(|(o, _)| *o == owner).map(|(_, i)| *i);
                        let on_pick = {
                            let pg = pg.clone();
                            Callback::from(move |e: Event| {
                                let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                                pg.dispatch(Action::PickScope(owner, v.parse::<usize>().ok()));
                            })
                        };
                        let option = |s: &inspect::scopes::Scope| html! {
                            <option value={s.index.to_string()} selected={picked == Some(s.index)}>{ s.label.clone() }</option>
                        };
                        let (bad, good): (Vec<&inspect::scopes::Scope>, Vec<&inspect::scopes::Scope>) = mine.iter().copied().partition(|s| s.failed);
                        let id = format!("scope-{owner}");
                        html! {
                            <label class="inline scope-picker" for={id.clone()}>{ format!("{name}: ") }
                                <select id={id} class="scope-select" data-owner={name.clone()} onchange={on_pick}>
                                    <option value="" selected={picked.is_none()}>{ format!("all {} ({})", if mine.first().is_some_and(|s| s.label.starts_with("Branch")) { "branches" } else { "iterations" }, mine.len()) }</option>
                                    if !bad.is_empty() {
                                        <optgroup label={format!("Failed ({})", bad.len())}>{ for bad.iter().map(|s| option(s)) }</optgroup>
                                    }
                                    <optgroup label={format!("Succeeded or running ({})", good.len())}>{ for good.iter().map(|s| option(s)) }</optgroup>
                                </select>
                            </label>
                        }
                    }) }
                </div>
            }
        }
    };

    // The lesson pane and the list, when the address asks for them.
    let learn_view = if let Some(open) = &lessons.open {
        let l = open.lesson.clone();
        let next = learn::builtin().iter().position(|x| x.id == l.id).and_then(|i| learn::builtin().get(i + 1)).map(|n| (n.id.clone(), n.title.clone()));
        let on_checked = {
            let (pg, l, done) = (pg.clone(), l.clone(), lessons.mark_done.clone());
            Callback::from(move |(checked, input): (learn::Checked, Option<String>)| {
                if checked.passed() {
                    done.emit(l.id.clone());
                }
                if let learn::Checked::Results(_) = checked {
                    // The run the checks judged, in the playground: its diagram, history and inspector.
                    if let Some(i) = input.and_then(|n| l.inputs.iter().find(|i| i.name.as_deref() == Some(n.as_str()))) {
                        pg.dispatch(Action::SetInput(i.text.clone()));
                    }
                    pg.dispatch(Action::Start);
                    pg.dispatch(Action::RunToEnd);
                }
            })
        };
        let on_share_lesson = {
            let (pg, share_link, source) = (pg.clone(), share_link.clone(), open.source.clone());
            Callback::from(move |_: ()| {
                let Some(window) = web_sys::window() else { return };
                let link = share_link_for(&pg.shared(Some(source.to_string())));
                let _ = window.navigator().clipboard().write_text(&link);
                share_link.set(Some(link));
            })
        };
        html! {
            <learn::LessonPane lesson={l.clone()} definition={AttrValue::from(pg.definition.clone())}
                done={lessons.progress.get(&l.id).is_some_and(|p| p.done)} next={next}
                on_checked={on_checked}
                on_solution={{ let pg = pg.clone(); Callback::from(move |s: String| pg.dispatch(Action::SetDefinition(s))) }}
                on_inspect={on_state.clone()} on_share={on_share_lesson}
                on_close={Callback::from(|_: ()| learn::set_hash(""))} />
        }
    } else if lessons.route == learn::Route::List || matches!(lessons.route, learn::Route::Lesson(_)) {
        html! { <learn::LessonList progress={lessons.progress.clone()} /> }
    } else {
        html! {}
    };
    let lesson_problem = lessons.problem.as_ref().map(learn::problem_view);
    // A lesson file dropped anywhere on the page opens it.
    let on_drop_lesson = {
        let load_text = lessons.load_text.clone();
        Callback::from(move |e: DragEvent| {
            let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
            if !file.name().to_ascii_lowercase().ends_with(".md") {
                return;
            }
            e.prevent_default();
            let load_text = load_text.clone();
            let read = Closure::once(move |v: wasm_bindgen::JsValue| load_text.emit((v.as_string().unwrap_or_default(), None)));
            let _ = file.text().then(&read);
            read.forget();
        })
    };
    let on_drag_over = Callback::from(|e: DragEvent| {
        if e.data_transfer().is_some_and(|d| d.types().includes(&"Files".into(), 0)) {
            e.prevent_default();
        }
    });
    // Explain: the selected run told event by event, in words.
    let narration = if *explain_open {
        let definition = pg.run_definition().map(|(d, _)| d).unwrap_or_else(|| pg.definition.clone());
        let plain: Vec<Value> = events.iter().map(|e| (**e).clone()).collect();
        Some(crate::playground::explain::narrate(&definition, &plain))
    } else {
        None
    };
    let on_explain = {
        let open = explain_open.clone();
        Callback::from(move |e: Event| open.set(e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open()))
    };

    let empty = Vec::new;
    html! {
        <div class="app" ondrop={on_drop_lesson} ondragover={on_drag_over}>
            <header>
                <h1>{ "sfnsim" }</h1>
                <p class="tagline">{ "AWS Step Functions, simulated in your browser on a virtual clock" }</p>
                <label for="examples" class="examples-label">{ "Example" }</label>
                <select id="examples" onchange={on_example}>
                    <option value="" selected={example.is_none()}>{ "Load an example…" }</option>
                    if previous_work.is_some() {
                        <option value={PREVIOUS_WORK}>{ "Your previous work (before a share link)" }</option>
                    }
                    { for gallery().iter().map(|(id, x)| html! { <option value={*id} selected={pg.example_id == *id}>{ x.title.clone() }</option> }) }
                </select>
                <a id="learn-link" class="learn-link" href="#learn" title="Lessons with checks">{ "Learn" }</a>
                <button id="share" type="button" class="secondary" title="Put the definition, input and settings in a link (copied to the clipboard)" onclick={on_share}>{ "Share" }</button>
                <button id="embed" type="button" class="secondary" title="Put this state machine, live, on a documentation page" aria-expanded={embed.is_some().to_string()} aria-controls="embed-panel" onclick={on_embed.clone()}>{ "Embed" }</button>
                <button id="help-button" type="button" class="secondary" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onclick={set_help(true)}>{ "?" }</button>
                if let Some(link) = &*share_link {
                    <input id="share-link" class="share-link" type="text" readonly=true aria-label="Share link" value={link.clone()} />
                }
                if let Some((script, iframe)) = &*embed {
                    <section id="embed-panel" class="embed-panel" aria-label="Embed this state machine">
                        <p>{ "Paste into a page: the script turns the block into a live diagram (Markdown: a " }<code>{ "```sfnsim" }</code>{ " fence works too). Options: " }<code>{ "data-mode" }</code>{ " = run, diagram or autoplay; " }<code>{ "data-height" }</code>{ ", " }<code>{ "data-theme" }</code>{ ", " }<code>{ "data-speed" }</code>{ "." }</p>
                        <label for="embed-script">{ "Script and block" }</label>
                        <textarea id="embed-script" readonly=true rows="5" spellcheck="false" value={script.clone()} />
                        <button type="button" class="secondary" onclick={copy_text("embed-script")}>{ "Copy" }</button>
                        <label for="embed-iframe">{ "Or an iframe (for sites that allow only iframes)" }</label>
                        <textarea id="embed-iframe" readonly=true rows="3" spellcheck="false" value={iframe.clone()} />
                        <button type="button" class="secondary" onclick={copy_text("embed-iframe")}>{ "Copy" }</button>
                        <button id="embed-close" type="button" class="secondary" onclick={on_embed}>{ "Close" }</button>
                    </section>
                }
                if let Some(e) = &*share_error {
                    <p id="share-error" class="error-text" role="alert">{ e.clone() }</p>
                }
                if let saved::Saved::Refused { bytes } = &*save_outcome {
                    <p id="save-warning" class="error-text" role="alert">{ format!(
                        "Not saved: this definition ({} KB) is more than this browser's storage holds. Copy it, Share it or download it before you close the tab.",
                        bytes.div_ceil(1024)) }</p>
                }
                if *other_tab {
                    <p id="other-tab" class="notice" role="status">
                        { "Another tab of this playground has saved its own work; what you type here is saved over it. " }
                        <button id="other-tab-load" type="button" class="secondary" onclick={{
                            let (pg, other_tab) = (pg.clone(), other_tab.clone());
                            Callback::from(move |_: MouseEvent| {
                                if let Some((definition, input, world)) = saved::load_work() {
                                    pg.dispatch(Action::Restore(share::Shared { definition, input, seed: pg.seed, world, lesson: None }));
                                }
                                other_tab.set(false);
                            })
                        }}>{ "Load the other tab's work" }</button>
                        <button id="other-tab-keep" type="button" class="secondary" onclick={{
                            let (pg, other_tab) = (pg.clone(), other_tab.clone());
                            Callback::from(move |_: MouseEvent| {
                                if pg.lesson.is_none() {
                                    let _ = saved::save_work(&pg.definition, &pg.input, &pg.world_json());
                                }
                                other_tab.set(false);
                            })
                        }}>{ "Keep this tab's" }</button>
                    </p>
                }
            </header>
            if example.is_some() || pg.replaced.is_some() {
                <div id="example-info" class="example-info">
                    if let Some(x) = &example {
                        if *info_folded {
                            <p><strong id="example-title">{ x.title.clone() }</strong></p>
                        } else {
                            <p><strong id="example-title">{ x.title.clone() }</strong>{ " — " }<span id="example-description">{ x.description.clone() }</span></p>
                            if !x.try_this.is_empty() {
                                <p id="example-try"><strong>{ "Try: " }</strong>{ x.try_this.clone() }</p>
                            }
                        }
                        <button id="fold-example-info" type="button" class="secondary" aria-expanded={(!*info_folded).to_string()}
                            title="Fold the example's description to one line (more room for the workbench)"
                            onclick={{ let f = info_folded.clone(); Callback::from(move |_: MouseEvent| f.set(!*f)) }}>
                            { if *info_folded { "About" } else { "Fold" } }</button>
                    } else {
                        <p>{ "Restored from a share link." }
                            if previous_work.is_some() { { " Your own work is kept: Undo, or “Your previous work” in the examples menu, brings it back." } }</p>
                    }
                    if pg.replaced.is_some() {
                        <button id="undo-load" type="button" class="secondary" title="Bring back the definition, input and world from before (Ctrl+Z in the editor undoes the text too)"
                            onclick={act(|| Action::UndoLoad)}>{ "Undo" }</button>
                    }
                </div>
            }
            <main class="workbench">
                <section class="pane-editor">
                    <label for="definition-editor-content">{ "Definition (Amazon States Language)" }</label>
                    <Editor text={AttrValue::from(pg.definition.clone())} on_change={on_definition} problems={(*problems).clone()}
                        undo_base={(*undo_base).clone()} />
                    <label for="input" class="input-label">{ "Execution input (JSON)" }</label>
                    <textarea id="input" spellcheck="false" wrap="off"
                        value={pg.input.clone()} oninput={on_input} />
                </section>
                <section class="pane-diagram">
                    <div class="controls" role="toolbar" aria-label="Run controls">
                        <button id="run" type="button" title="Start an execution (Ctrl+Enter)" onclick={act(|| Action::Start)}>{ "Start" }</button>
                        <button id="step" type="button" title="Step to the next event (→)" onclick={act(|| Action::Step)}>{ "Step" }</button>
                        <button id="play" type="button" title="Play / pause (space)" aria-pressed={pg.playing.to_string()} onclick={act(|| Action::TogglePlay)}>
                            { if pg.playing { "Pause" } else { "Play" } }</button>
                        <button id="to-end" type="button" title="Run until nothing more can happen" onclick={act(|| Action::RunToEnd)}>{ "To end" }</button>
                        <button id="rerun" type="button" title="Run the selected execution again from scratch, same seed" onclick={act(|| Action::Rerun)}>{ "Rerun" }</button>
                        if described.as_ref().is_some_and(|d| d["redriveStatus"] == "REDRIVABLE") {
                            <button id="redrive" type="button" title="RedriveExecution: continue this failed run from the state it stopped in (the states that succeeded are not run again)" onclick={act(|| Action::Redrive)}>{ "Redrive" }</button>
                        }
                        <label for="speed" class="visually-hidden">{ "Speed" }</label>
                        <select id="speed" title="Speed of the virtual clock while playing" onchange={on_speed}>
                            { for Speed::ALL.into_iter().map(|s| html! { <option value={s.label()} selected={s == pg.speed}>{ s.label() }</option> }) }
                        </select>
                        <span id="clock" class="clock" title="Virtual time since the simulation started">{ format_ms(elapsed) }</span>
                    </div>
                    if !executions.is_empty() {
                        <div class="executions-row">
                            <label for="executions" class="inline">{ "Execution" }</label>
                            <select id="executions" onchange={on_select}>
                                { for executions.iter().map(|e| {
                                    let arn = e["executionArn"].as_str().unwrap_or("").to_string();
                                    let mut machine = e["stateMachineArn"].as_str().and_then(|m| m.rsplit(':').next()).unwrap_or("").to_string();
                                    // Started through an alias or on a version: say which (`Orders@prod → v3`).
                                    if let Some(alias) = e["stateMachineAliasArn"].as_str().and_then(|a| a.rsplit(':').next()) {
                                        machine = format!("{machine}@{alias}");
                                    }
                                    if let Some(v) = e["stateMachineVersionArn"].as_str().and_then(|a| a.rsplit(':').next()) {
                                        machine = format!("{machine} v{v}");
                                    }
                                    let label = format!("{} — {} ({machine})", e["name"].as_str().unwrap_or(""), e["status"].as_str().unwrap_or(""));
                                    html! { <option value={arn.clone()} selected={pg.selected.as_deref() == Some(arn.as_str())}>{ label }</option> }
                                }) }
                            </select>
                        </div>
                    }
                    { sign }
                    { pickers }
                    <Diagram definition={AttrValue::from(drawn)}
                        active={if marks_apply { active } else { empty() }}
                        visited={if marks_apply { visited } else { empty() }}
                        failed={if marks_apply { failed } else { empty() }}
                        selected={inspected_state.clone()} on_state={on_state.clone()}
                        path={if marks_apply { taken.0.clone() } else { Vec::new() }}
                        retries={if marks_apply { taken.1.clone() } else { Vec::new() }}
                        failed_visits={if marks_apply { taken.2.clone() } else { Vec::new() }} />
                </section>
                <section class="pane-side">
                    { for lesson_problem }
                    { learn_view }
                    <h2>{ "Result" }</h2>
                    { result_view(&pg, &described) }
                    if !events.is_empty() {
                        <details id="explain" class="explain" open={*explain_open} ontoggle={on_explain}>
                            <summary>{ "Explain this run, step by step" }</summary>
                            if let Some(lines) = &narration {
                                <ol class="narration">
                                    { for lines.iter().map(|n| {
                                        let (pg, id) = (pg.clone(), n.event_id);
                                        html! { <li><button type="button" class="link" title="Show in the inspector" onclick={Callback::from(move |_: MouseEvent| pg.dispatch(Action::InspectEvent(id as i64)))}>{ n.text.clone() }</button></li> }
                                    }) }
                                </ol>
                            }
                        </details>
                    }
                    if !pending.is_empty() {
                        <h2>{ "Pending tasks" }</h2>
                        <ul id="pending" class="pending">
                            { for pending.iter().map(|(state, token, _arn, input)| html! {
                                <PendingTaskRow key={token.clone()} state={AttrValue::from(state.clone())} token={AttrValue::from(token.clone())}
                                    input={AttrValue::from(input.clone())} on_action={on_action.clone()} />
                            }) }
                        </ul>
                    } else {
                        <p class="note" id="pending-empty">{ "No open task: activities and .waitForTaskToken calls wait here for an answer." }</p>
                    }
                    <h2>{ "Inspector" }</h2>
                    <Inspector visit={(*inspection).clone()} />
                    if let Some(state) = &inspected_state {
                        if *testing_state {
                            <test_state::TestState definition={AttrValue::from(pg.definition.clone())} state={AttrValue::from(state.clone())}
                                input={AttrValue::from(visit_input.clone())}
                                on_close={{ let t = testing_state.clone(); Callback::from(move |_: ()| t.set(false)) }} />
                        } else {
                            <button id="test-state-open" type="button" class="secondary" title="Run this state alone (TestState), with an input and a mocked result or error"
                                onclick={{ let t = testing_state.clone(); Callback::from(move |_: MouseEvent| t.set(true)) }}>{ format!("Test “{state}” alone") }</button>
                        }
                    }
                </section>
                <section class={classes!("dock", (!*dock_open).then_some("closed"))}>
                    <div class="tabs" role="tablist" aria-label="Run details">
                        { for TABS.iter().map(|(id, title)| {
                            let selected = *tab == *id;
                            html! {
                                <button id={format!("tab-{id}")} type="button" role="tab" aria-selected={selected.to_string()}
                                    aria-controls={format!("panel-{id}")} class={classes!("tab", selected.then_some("selected"))}
                                    onclick={pick_tab(id)}>{ *title }
                                    if *id == "history" && !events.is_empty() { <span class="count">{ format!(" {}", events.len()) }</span> }
                                </button>
                            }
                        }) }
                        <button id="dock-toggle" type="button" class="secondary dock-toggle" aria-expanded={dock_open.to_string()}
                            title={if *dock_open { "Hide the panel" } else { "Show the panel" }}
                            onclick={{ let d = dock_open.clone(); Callback::from(move |_: MouseEvent| d.set(!*d)) }}>
                            { if *dock_open { "▾" } else { "▴" } }</button>
                    </div>
                    <div id="panel-history" role="tabpanel" aria-labelledby="tab-history" class="panel" hidden={!(*dock_open && *tab == "history")}>
                        <History events={events.clone()} on_open={on_open_event} />
                        if pg.selected.is_none() && pg.imported.is_none() {
                            <p class="note empty">{ "The history of a run appears here." }</p>
                        }
                    </div>
                    <div id="panel-timeline" role="tabpanel" aria-labelledby="tab-timeline" class="panel" hidden={!(*dock_open && *tab == "timeline")}>
                        <Timeline events={timeline.1.clone()} spans={timeline.0.clone()} on_state={on_state.clone()} />
                    </div>
                    <div id="panel-world" role="tabpanel" aria-labelledby="tab-world" class="panel world-pane" hidden={!(*dock_open && *tab == "world")}>
                        <World world={pg.world.clone()} on_change={{
                            let pg = pg.clone();
                            Callback::from(move |w: crate::sim::WorldSpec| pg.dispatch(Action::SetWorld(w)))
                        }} />
                    </div>
                    <div id="panel-console" role="tabpanel" aria-labelledby="tab-console" class="panel console-pane" hidden={!(*dock_open && *tab == "console")}>
                        <Console entries={pg.console.clone()} definition={AttrValue::from(pg.definition.clone())}
                            machines={pg.machine_arns()}
                            on_run={{
                                let pg = pg.clone();
                                Callback::from(move |line: String| pg.dispatch(Action::Console(line)))
                            }} />
                    </div>
                    <div id="panel-import" role="tabpanel" aria-labelledby="tab-import" class="panel import-pane" hidden={!(*dock_open && *tab == "import")}>
                        <Import on_action={on_action.clone()} viewing={pg.imported.as_ref().map(|i| i.events.len())} error={pg.import_error.clone()} />
                    </div>
                </section>
            </main>
            if *help { { help_view(set_help(false)) } }
        </div>
    }
}


/// The gallery (www/examples), parsed once.
fn gallery() -> &'static [(&'static str, examples::Example)] {
    thread_local! {
        static GALLERY: &'static [(&'static str, examples::Example)] = Box::leak(
            examples::EXAMPLES
                .iter()
                .filter_map(|(id, _)| Some((*id, examples::Example::by_id(id)?)))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
    }
    GALLERY.with(|g| *g)
}

/// A link to this page that restores `shared` (`#share=<payload>`).
fn share_link_for(shared: &share::Shared) -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    format!("{}#share={}", href.split('#').next().unwrap_or(""), share::encode(shared))
}

/// Takes the fragment (a share link's payload) out of the address bar, without a reload.
fn leave_address_bar() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let url = format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The shared state in the page's address (`#share=...`), if there is one.
fn shared_from_location() -> Option<Result<share::Shared, String>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let payload = hash.strip_prefix("#share=")?;
    Some(share::decode(payload))
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
