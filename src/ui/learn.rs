//! The Learn view: lessons beside the editor and the diagram. `#learn` lists them,
//! `#learn/<id>` opens one (the built-in ones are www/lessons/*.md; a teacher's file comes from
//! `#lesson-url=<url>`, a dropped `.md` file, or a share link that carries it).
//!
//! A lesson shows its text and task, a Check button whose results say why (with a way into the
//! inspector at the state that decided), hints one at a time, the solution after a first check,
//! and Next. Progress (done, and the text typed for each lesson) is kept in localStorage; the
//! playground's own work is put aside while a lesson is open and comes back when it closes.
//! The checks themselves are `crate::testing::checks`, the same the command line runs.

use crate::playground::lesson::{self, Lesson};
use crate::testing::checks::CheckResult;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Progress, per lesson id: done, and the definition as the learner left it.
pub const KEY_PROGRESS: &str = "sfnsim.lessons";

#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LessonProgress {
    #[serde(default)]
    pub done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

pub type Progress = BTreeMap<String, LessonProgress>;

pub fn load_progress() -> Progress {
    super::load(KEY_PROGRESS).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

pub fn save_progress(p: &Progress) {
    super::save(KEY_PROGRESS, &serde_json::to_string(p).unwrap_or_default());
}

/// What the address asks for.
#[derive(Clone, PartialEq, Debug)]
pub enum Route {
    /// Not the Learn view.
    Playground,
    List,
    Lesson(String),
    /// A teacher's lesson file to fetch.
    Url(String),
}

pub fn route(hash: &str) -> Route {
    let h = hash.trim_start_matches('#');
    if h == "learn" || h == "learn/" {
        Route::List
    } else if let Some(id) = h.strip_prefix("learn/") {
        Route::Lesson(decode_uri(id))
    } else if let Some(url) = h.strip_prefix("lesson-url=") {
        Route::Url(decode_uri(url))
    } else {
        Route::Playground
    }
}

fn decode_uri(s: &str) -> String {
    js_sys::decode_uri_component(s).ok().and_then(|v| v.as_string()).unwrap_or_else(|| s.to_string())
}

pub fn set_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

/// The built-in lessons, parsed once, in course order. A file that does not parse is left out
/// here (the native test `tests/lessons.rs` keeps that from happening).
pub fn builtin() -> &'static [Rc<Lesson>] {
    thread_local! {
        static LESSONS: &'static [Rc<Lesson>] = Box::leak(
            lesson::builtin().iter().filter_map(|(_, text)| lesson::parse(text).ok().map(Rc::new)).collect::<Vec<_>>().into_boxed_slice(),
        );
    }
    LESSONS.with(|l| *l)
}

/// What `Check` found: the results, or why nothing could run.
#[derive(Clone, PartialEq)]
pub enum Checked {
    Results(Rc<Vec<CheckResult>>),
    Refused(String),
}

impl Checked {
    pub fn passed(&self) -> bool {
        matches!(self, Checked::Results(r) if r.iter().all(|c| c.passed))
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub progress: Rc<Progress>,
}

/// `#learn`: the course, in order, with what is done.
#[component(LessonList)]
pub fn lesson_list(props: &LessonListProps) -> Html {
    let lessons = builtin();
    let done = lessons.iter().filter(|l| props.progress.get(&l.id).is_some_and(|p| p.done)).count();
    html! {
        <section id="learn" class="learn" aria-labelledby="learn-title">
            <h2 id="learn-title">{ "Learn Step Functions" }</h2>
            <p class="note">{ format!("{} lessons, {done} done. Each teaches one idea: read, change the definition in the editor until Check passes.", lessons.len()) }</p>
            <ol id="lesson-list" class="lesson-list">
                { for lessons.iter().map(|l| {
                    let p = props.progress.get(&l.id);
                    let state = if p.is_some_and(|p| p.done) { "done" } else if p.is_some_and(|p| p.text.is_some()) { "started" } else { "new" };
                    html! {
                        <li class={state} data-lesson={l.id.clone()}>
                            <a href={format!("#learn/{}", l.id)}>{ l.title.clone() }</a>
                            <span class="lesson-state">{ match state { "done" => "✓ done", "started" => "started", _ => "" } }</span>
                        </li>
                    }
                }) }
            </ol>
            <p class="note">{ "Teachers: a lesson is a Markdown file (see www/lessons/); open yours with " }<code>{ "#lesson-url=<url>" }</code>{ " or drop it on the page." }</p>
            <p><a href="#" id="leave-learn">{ "Back to the playground" }</a></p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPaneProps {
    pub lesson: Rc<Lesson>,
    /// The definition in the editor (what Check checks).
    pub definition: AttrValue,
    pub done: bool,
    /// The next lesson of the course: (id, title).
    pub next: Option<(String, String)>,
    /// Check ran: what it found, and the input of the first failed check (to run it).
    pub on_checked: Callback<(Checked, Option<String>)>,
    /// "Use this solution": put it in the editor.
    pub on_solution: Callback<String>,
    /// Show a state in the inspector.
    pub on_inspect: Callback<String>,
    pub on_share: Callback<()>,
    pub on_close: Callback<()>,
}

#[component(LessonPane)]
pub fn lesson_pane(props: &LessonPaneProps) -> Html {
    let checked = use_state(|| None::<Checked>);
    let hints = use_state(|| 0usize);
    let solution = use_state(|| false);
    // Another lesson: start afresh.
    {
        let (checked, hints, solution) = (checked.clone(), hints.clone(), solution.clone());
        use_effect_with(props.lesson.id.clone(), move |_| {
            checked.set(None);
            hints.set(0);
            solution.set(false);
        });
    }
    // The verdict comes into view (the pane may be scrolled to the task).
    use_effect_with(checked.is_some(), |shown| {
        if *shown {
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("check-results")) {
                el.scroll_into_view_with_bool(false);
            }
        }
    });
    let l = &props.lesson;
    let on_check = {
        let (lesson, definition, checked, on) = (l.clone(), props.definition.clone(), checked.clone(), props.on_checked.clone());
        Callback::from(move |_: MouseEvent| {
            let result = match lesson::check(&lesson, &definition) {
                Ok(r) => Checked::Results(Rc::new(r)),
                Err(e) => Checked::Refused(e),
            };
            let input = match &result {
                Checked::Results(r) => r.iter().find(|c| !c.passed).or(r.first()).and_then(|c| c.input.clone()),
                Checked::Refused(_) => None,
            };
            checked.set(Some(result.clone()));
            on.emit((result, input));
        })
    };
    let more_hint = {
        let hints = hints.clone();
        Callback::from(move |_: MouseEvent| hints.set(*hints + 1))
    };
    let show_solution = {
        let solution = solution.clone();
        Callback::from(move |_: MouseEvent| solution.set(true))
    };
    let md = |text: &str| Html::from_html_unchecked(AttrValue::from(lesson::to_html(text)));
    let results = match &*checked {
        None => html! {},
        Some(Checked::Refused(e)) => html! {
            <div id="check-results" class="check-results refused" role="status">
                <p class="verdict fail">{ "Not checked: the definition does not validate." }</p>
                <pre class="message">{ e.clone() }</pre>
            </div>
        },
        Some(Checked::Results(r)) => {
            let passed = r.iter().filter(|c| c.passed).count();
            html! {
                <div id="check-results" class="check-results" role="status">
                    <p class={classes!("verdict", if passed == r.len() { "pass" } else { "fail" })}>
                        { if passed == r.len() { format!("All {} checks pass. Well done!", r.len()) } else { format!("{passed} of {} checks pass.", r.len()) } }
                    </p>
                    <ul>
                        { for r.iter().map(|c| {
                            let inspect = c.state.clone().map(|s| {
                                let on = props.on_inspect.clone();
                                let label = format!("Show {s} in the inspector");
                                html! { <button type="button" class="link inspect-state" onclick={Callback::from(move |_: MouseEvent| on.emit(s.clone()))}>{ label }</button> }
                            });
                            html! {
                                <li class={if c.passed { "pass" } else { "fail" }}>
                                    <span class="mark" aria-hidden="true">{ if c.passed { "✓" } else { "✗" } }</span>
                                    <span class="what">{ c.check.clone() }</span>
                                    if let Some(i) = &c.input { <span class="input-name">{ format!(" (input {i})") }</span> }
                                    if !c.passed {
                                        if let Some(m) = &c.message { <p class="teacher">{ m.clone() }</p> }
                                        <p class="why">{ c.why.clone() }</p>
                                        { for inspect }
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            }
        }
    };
    let shown_hints = (*hints).min(l.hints.len());
    html! {
        <section id="lesson" class="lesson" aria-labelledby="lesson-title" data-lesson={l.id.clone()}>
            <p class="lesson-nav"><a href="#learn">{ "← All lessons" }</a>
                if props.done { <span class="lesson-done">{ "✓ done" }</span> }</p>
            <h2 id="lesson-title">{ l.title.clone() }</h2>
            <div class="lesson-text">{ md(&l.intro) }</div>
            <h3>{ "Task" }</h3>
            <div id="lesson-task" class="lesson-task">{ md(&l.task) }</div>
            <div class="lesson-actions">
                <button id="check" type="button" onclick={on_check}>{ "Check" }</button>
                if shown_hints < l.hints.len() {
                    <button id="hint" type="button" class="secondary" onclick={more_hint}>{ format!("Hint ({} of {})", shown_hints + 1, l.hints.len()) }</button>
                }
                if checked.is_some() && l.solution.is_some() && !*solution {
                    <button id="show-solution" type="button" class="secondary" onclick={show_solution}>{ "Show the solution" }</button>
                }
                <button id="share-lesson" type="button" class="secondary" title="A link with this lesson and your definition" onclick={{ let on = props.on_share.clone(); Callback::from(move |_: MouseEvent| on.emit(())) }}>{ "Share" }</button>
                <button id="leave-lesson" type="button" class="secondary" title="Back to the playground (your lesson work is kept)" onclick={{ let on = props.on_close.clone(); Callback::from(move |_: MouseEvent| on.emit(())) }}>{ "Leave" }</button>
            </div>
            { results }
            if shown_hints > 0 {
                <ol id="hints" class="hints">
                    { for l.hints.iter().take(shown_hints).map(|h| html! { <li>{ md(h) }</li> }) }
                </ol>
            }
            if *solution {
                if let Some(s) = &l.solution {
                    <div id="solution" class="solution">
                        <pre>{ s.clone() }</pre>
                        <button id="use-solution" type="button" class="secondary" onclick={{ let (on, s) = (props.on_solution.clone(), s.clone()); Callback::from(move |_: MouseEvent| on.emit(s.clone())) }}>{ "Put it in the editor" }</button>
                    </div>
                }
            }
            if props.done || checked.as_ref().is_some_and(Checked::passed) {
                if let Some((id, title)) = &props.next {
                    <p class="lesson-next"><a id="next-lesson" href={format!("#learn/{id}")}>{ format!("Next: {title} →") }</a></p>
                } else {
                    <p class="lesson-next">{ "That was the last lesson of the course." }</p>
                }
            }
        </section>
    }
}

/// An open lesson and the Markdown it was read from (shared with the learner's work).
#[derive(Clone, PartialEq)]
pub struct OpenLesson {
    pub lesson: Rc<Lesson>,
    pub source: Rc<str>,
}

/// Why a teacher's lesson could not be opened.
#[derive(Clone, PartialEq)]
pub enum LessonProblem {
    /// Each error names the block and the line.
    Malformed(Rc<Vec<lesson::LessonError>>),
    /// `#lesson-url=` could not be fetched.
    Fetch(String),
}

/// What the App needs of the Learn view.
#[derive(Clone)]
pub struct Lessons {
    pub route: Route,
    pub open: Option<OpenLesson>,
    pub progress: Rc<Progress>,
    pub problem: Option<LessonProblem>,
    /// A lesson file's text (and the learner's definition to start from, from a share link).
    pub load_text: Callback<(String, Option<String>)>,
    /// A check passed everything: the lesson is done.
    pub mark_done: Callback<String>,
}

fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

fn builtin_open(id: &str) -> Option<OpenLesson> {
    let texts = lesson::builtin();
    builtin().iter().zip(texts.iter()).find(|(l, _)| l.id == id).map(|(l, (_, text))| OpenLesson { lesson: l.clone(), source: Rc::from(*text) })
}

/// Fetches a lesson file's text (same origin or CORS-enabled).
fn fetch_text(url: &str, done: Callback<Result<String, String>>) {
    let Some(w) = web_sys::window() else { return };
    let url_owned = url.to_string();
    let fail = {
        let done = done.clone();
        wasm_bindgen::closure::Closure::once(move |e: wasm_bindgen::JsValue| {
            let why = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "network error".into());
            done.emit(Err(format!("The lesson at {url_owned} could not be fetched: {why}")));
        })
    };
    let url_owned = url.to_string();
    let got = wasm_bindgen::closure::Closure::once(move |r: wasm_bindgen::JsValue| {
        use wasm_bindgen::JsCast;
        let Ok(resp) = r.dyn_into::<web_sys::Response>() else { return };
        if !resp.ok() {
            done.emit(Err(format!("The lesson at {url_owned} could not be fetched: HTTP {}", resp.status())));
            return;
        }
        let read = wasm_bindgen::closure::Closure::once(move |t: wasm_bindgen::JsValue| done.emit(Ok(t.as_string().unwrap_or_default())));
        if let Ok(p) = resp.text() {
            let _ = p.then(&read);
        }
        read.forget();
    });
    let _ = w.fetch_with_str(url).then(&got).catch(&fail);
    got.forget();
    fail.forget();
}

/// The Learn view's state, kept beside the playground's: the route (from the address), the
/// lesson open, progress, and the playground's own work put aside while a lesson is open.
#[hook]
pub fn use_lessons(pg: UseReducerHandle<super::state::Playground>) -> Lessons {
    use super::state::{Action, Snapshot, MACHINE};
    let route = use_state(|| route(&hash()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || route.set(self::route(&hash())));
            let w = web_sys::window();
            if let Some(w) = &w {
                use wasm_bindgen::JsCast;
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &w {
                    use wasm_bindgen::JsCast;
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    let custom = use_state(|| None::<OpenLesson>);
    let progress = use_state(|| Rc::new(load_progress()));
    let problem = use_state(|| None::<LessonProblem>);
    let open = match &*route {
        Route::Lesson(id) => custom.as_ref().filter(|c| c.lesson.id == *id).cloned().or_else(|| builtin_open(id)),
        _ => None,
    };

    let load_text = {
        let (custom, progress, problem) = (custom.clone(), progress.clone(), problem.clone());
        Callback::from(move |(text, definition): (String, Option<String>)| match lesson::parse(&text) {
            Ok(l) => {
                problem.set(None);
                if let Some(d) = definition {
                    let mut p = (**progress).clone();
                    p.entry(l.id.clone()).or_default().text = Some(d);
                    save_progress(&p);
                    progress.set(Rc::new(p));
                }
                let id = l.id.clone();
                custom.set(Some(OpenLesson { lesson: Rc::new(l), source: Rc::from(text.as_str()) }));
                set_hash(&format!("learn/{id}"));
            }
            Err(errors) => problem.set(Some(LessonProblem::Malformed(Rc::new(errors)))),
        })
    };
    // A share link that carries a lesson opens it with the learner's definition.
    {
        let load_text = load_text.clone();
        use_effect_with((), move |_| {
            if let Some(Ok(s)) = super::shared_from_location() {
                if let Some(text) = s.lesson {
                    load_text.emit((text, Some(s.definition)));
                }
            }
        });
    }
    // `#lesson-url=<url>`: a teacher's file.
    {
        let (load_text, problem) = (load_text.clone(), problem.clone());
        use_effect_with((*route).clone(), move |r| {
            if let Route::Url(url) = r {
                let done = Callback::from(move |r: Result<String, String>| match r {
                    Ok(text) => load_text.emit((text, None)),
                    Err(e) => problem.set(Some(LessonProblem::Fetch(e))),
                });
                fetch_text(url, done);
            }
        });
    }
    // Opening a lesson puts its text (as the learner left it) in the editor; leaving brings the
    // playground's own work back (it is what the playground saved, never a lesson's text).
    {
        let (pg, open, progress) = (pg.clone(), open.clone(), progress.clone());
        use_effect_with(open.as_ref().map(|o| o.lesson.id.clone()), move |id| match (id, &open) {
            (Some(id), Some(o)) if pg.lesson.as_deref() != Some(id.as_str()) => {
                let l = &o.lesson;
                let text = progress.get(id).and_then(|p| p.text.clone()).unwrap_or_else(|| l.start.clone());
                let input = l.inputs.first().map(|i| i.text.clone()).unwrap_or_else(|| "{}".into());
                pg.dispatch(Action::Replace {
                    text: Snapshot { definition: text, input, world: Rc::new(Default::default()), machine_name: MACHINE.into(), example_id: String::new() },
                    world: l.world.clone().unwrap_or(serde_json::Value::Null),
                    seed: l.seed,
                    lesson: Some(id.clone()),
                });
            }
            (None, _) if pg.lesson.is_some() => {
                let world = super::load(super::KEY_WORLD).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(serde_json::Value::Null);
                pg.dispatch(Action::Replace {
                    text: Snapshot {
                        definition: super::saved::load_definition().unwrap_or_else(|| super::DEFAULT_DEFINITION.to_string()),
                        input: super::load(super::KEY_INPUT).unwrap_or_else(|| super::DEFAULT_INPUT.to_string()),
                        world: Rc::new(Default::default()),
                        machine_name: MACHINE.into(),
                        example_id: String::new(),
                    },
                    world,
                    seed: super::SEED,
                    lesson: None,
                });
            }
            _ => {}
        });
    }
    // The learner's typing is the lesson's progress.
    {
        let progress = progress.clone();
        use_effect_with((pg.definition.clone(), pg.lesson.clone()), move |(d, l)| {
            if let Some(l) = l {
                if progress.get(l).and_then(|p| p.text.as_deref()) != Some(d.as_str()) {
                    let mut p = (**progress).clone();
                    p.entry(l.clone()).or_default().text = Some(d.clone());
                    save_progress(&p);
                    progress.set(Rc::new(p));
                }
            }
        });
    }
    let mark_done = {
        let progress = progress.clone();
        Callback::from(move |id: String| {
            let mut p = (**progress).clone();
            p.entry(id).or_default().done = true;
            save_progress(&p);
            progress.set(Rc::new(p));
        })
    };
    Lessons { route: (*route).clone(), open, progress: (*progress).clone(), problem: (*problem).clone(), load_text, mark_done }
}

/// A teacher's lesson that could not be opened: every error, with its block and line.
pub fn problem_view(p: &LessonProblem) -> Html {
    match p {
        LessonProblem::Fetch(e) => html! { <div id="lesson-problem" class="lesson-problem" role="alert"><p>{ e.clone() }</p></div> },
        LessonProblem::Malformed(errors) => html! {
            <div id="lesson-problem" class="lesson-problem" role="alert">
                <p>{ format!("This lesson file has {} problem{}:", errors.len(), if errors.len() == 1 { "" } else { "s" }) }</p>
                <ul>{ for errors.iter().map(|e| html! { <li><code>{ e.block.clone() }</code>{ format!(", line {}: {}", e.line, e.message) }</li> }) }</ul>
            </div>
        },
    }
}
