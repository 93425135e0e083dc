//! The definition drawn as a diagram: the graph module's scene as SVG (the same SVG that
//! `sfnsim render` writes), recomputed only when the definition changes. While the definition
//! does not validate (mid-typing), the last good diagram stays, dimmed.
//!
//! The run is shown over it with a generated style sheet keyed on each state group's
//! `data-state` attribute: active states get a thick blue outline, visited ones a green outline,
//! the failed one a red dashed outline; a legend under the diagram says the same in words, so
//! colour is never the only signal.
//!
//! Zoom (buttons, Ctrl+wheel), pan (drag, or the scroll bars), Fit; Export as SVG and PNG. The
//! flow runs top to bottom or, with the Left to right toggle (remembered in localStorage), left
//! to right. A Parallel or Map collapses into one box (its − control, or C) and expands again
//! (+, or C); the collapsed set is kept per definition in sessionStorage. While the drawing is
//! larger than its pane, an overview (minimap) shows all of it with the part in view framed; a
//! click or a drag on it moves the view.
//! Without a mouse: every state is focusable; ↓ goes to the next state along a transition, ↑ to
//! the previous, ← → to the other targets of the same state (left to right: → and ← along the
//! flow, ↓ and ↑ across it); Enter opens it in the inspector. A text outline lists the states
//! and their transitions for screen readers.

use crate::playground::diagram;
use crate::graph::marks::{css_str, run_css, with_style, RunMarks};
use crate::graph::{Direction, Scene};
use std::collections::{BTreeMap, BTreeSet};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub definition: AttrValue,
    #[prop_or_default]
    pub active: Vec<String>,
    #[prop_or_default]
    pub visited: Vec<String>,
    #[prop_or_default]
    pub failed: Vec<String>,
    /// The state selected for the inspector (outlined).
    #[prop_or_default]
    pub selected: Option<String>,
    /// Transitions the run took (from, to): their edges are drawn green and thicker.
    #[prop_or_default]
    pub path: Vec<(String, String)>,
    /// States retried in the run, with how many retries: a ↻N badge on each.
    #[prop_or_default]
    pub retries: Vec<(String, u32)>,
    /// States with a failed visit, caught failures included: a collapsed box holding one says so.
    #[prop_or_default]
    pub failed_visits: Vec<String>,
    /// A state was clicked (or Enter pressed on it).
    #[prop_or_default]
    pub on_state: Callback<String>,
}

/// The run's marks as CSS; `prefix` scopes them (`#diagram ` in the page, nothing in an export).
fn run_style(prefix: &str, p: &DiagramProps) -> String {
    run_css(prefix, &RunMarks { active: &p.active, visited: &p.visited, failed: &p.failed, path: &p.path })
}

/// What the keyboard and the outline need: each state's targets and sources, in scene order.
#[derive(PartialEq, Default)]
struct Links {
    order: Vec<String>,
    kinds: BTreeMap<String, String>,
    rects: BTreeMap<String, crate::graph::Rect>,
    /// A Parallel's or Map's first state in each branch / item processor (↓ goes in, ↑ comes out).
    inner: BTreeMap<String, Vec<String>>,
    outer: BTreeMap<String, String>,
    /// The Parallel or Map each nested state lies in.
    container: BTreeMap<String, String>,
    next: BTreeMap<String, Vec<(String, Option<String>)>>,
    prev: BTreeMap<String, Vec<String>>,
}

fn links(scene: &Scene) -> Links {
    let mut l = Links::default();
    let is_state = |i: usize| !scene.nodes[i].kind.is_marker();
    for n in scene.nodes.iter().filter(|n| !n.kind.is_marker()) {
        if !l.order.contains(&n.name) {
            l.order.push(n.name.clone());
            l.kinds.insert(n.name.clone(), format!("{:?}", n.kind));
            l.rects.insert(n.name.clone(), n.rect);
        }
    }
    for (fi, f) in scene.frames.iter().enumerate() {
        let owner = scene.nodes[f.owner].name.clone();
        // The frame's first state: one no edge inside the frame leads to.
        let members: Vec<usize> = (0..scene.nodes.len()).filter(|&i| scene.nodes[i].frame == Some(fi) && is_state(i)).collect();
        for &m in &members {
            l.container.insert(scene.nodes[m].name.clone(), owner.clone());
        }
        let first = members.iter().copied().find(|&i| !scene.edges.iter().any(|e| e.to == i && members.contains(&e.from)));
        if let Some(i) = first.or(members.first().copied()) {
            l.inner.entry(owner.clone()).or_default().push(scene.nodes[i].name.clone());
            l.outer.insert(scene.nodes[i].name.clone(), owner);
        }
    }
    for e in &scene.edges {
        let (from, to) = (&scene.nodes[e.from], &scene.nodes[e.to]);
        if is_state(e.from) && is_state(e.to) {
            let label = e.label.as_ref().map(|x| x.text.clone());
            l.next.entry(from.name.clone()).or_default().push((to.name.clone(), label));
            l.prev.entry(to.name.clone()).or_default().push(from.name.clone());
        }
    }
    l
}

/// The SVG as the page shows it: non-marker states focusable, with a label for screen readers.
fn interactive_svg(scene: &Scene) -> String {
    let mut svg = scene.to_svg();
    // Fitted drawings sit at the top of the pane rather than in its middle.
    svg = svg.replacen("<svg ", "<svg preserveAspectRatio=\"xMidYMin meet\" ", 1);
    for kind in ["task", "choice", "pass", "wait", "succeed", "fail", "parallel", "map", "parallel collapsed", "map collapsed"] {
        svg = svg.replace(
            &format!("<g class=\"state {kind}\""),
            &format!("<g tabindex=\"0\" role=\"button\" class=\"state {kind}\""),
        );
    }
    svg
}

fn focus_state(name: &str) {
    let doc = web_sys::window().and_then(|w| w.document());
    let sel = format!("#diagram g.state[data-state=\"{}\"]", css_str(name));
    if let Some(el) = doc.and_then(|d| d.query_selector(&sel).ok().flatten()) {
        if let Ok(svg) = el.dyn_into::<web_sys::SvgElement>() {
            let _ = svg.focus();
        }
    }
}

/// The state group an event happened in, if any.
fn state_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("g.state").ok().flatten()?.get_attribute("data-state")
}

fn download(href: &str, file: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", href);
        let _ = a.set_attribute("download", file);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
}

#[component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let direction = use_state(saved_direction);
    use_effect_with(*direction, |d| {
        let _ = super::saved::save(KEY_DIRECTION, if *d == Direction::LeftRight { "LR" } else { "TB" });
    });
    // Which Parallel and Map boxes are collapsed: kept per definition in sessionStorage;
    // `folds_changed` is bumped by a toggle, so that the drawing reads the set again.
    let folds_changed = use_state(|| 0u32);
    let current_folds = use_mut_ref(BTreeSet::<String>::new);
    let built = {
        let current_folds = current_folds.clone();
        use_memo((props.definition.clone(), *direction, *folds_changed), move |(definition, direction, _)| {
            let carried = current_folds.borrow().clone();
            let mut d = diagram::drawing(definition, *direction, &carried).ok()?;
            let key = folds_key(&d.boxes);
            // This definition's set, or (a definition not seen yet, e.g. while typing) the one
            // drawn before, as far as its boxes are here.
            let set = load_folds(&key).unwrap_or_else(|| carried.iter().filter(|b| d.boxes.contains(b)).cloned().collect());
            if set != carried {
                d = diagram::drawing(definition, *direction, &set).ok()?;
            }
            if !set.is_empty() {
                save_folds(&key, &set);
            }
            *current_folds.borrow_mut() = set;
            Some(Drawn::of(d.scene, key))
        })
    };
    let last_good = use_mut_ref(|| None::<std::rc::Rc<Option<Drawn>>>);
    let (shown, stale) = match &*built {
        Some(_) => {
            *last_good.borrow_mut() = Some(built.clone());
            (Some(built.clone()), false)
        }
        None => (last_good.borrow().clone(), true),
    };
    // A state to give the focus back to once the drawing is redrawn (a box collapsed by key).
    let refocus = use_mut_ref(|| None::<String>);
    {
        let refocus = refocus.clone();
        use_effect(move || {
            if let Some(name) = refocus.borrow_mut().take() {
                focus_state(&name);
            }
        });
    }
    // For the page-load benchmark: when the first diagram is in the DOM (performance.now()).
    use_effect_with(built.is_some(), |&drawn| {
        if drawn {
            if let Some(w) = web_sys::window() {
                let unset = js_sys::Reflect::get(&w, &"sfnsimDiagramReadyMs".into()).map(|v| v.is_undefined()).unwrap_or(false);
                if unset {
                    let now = w.performance().map(|p| p.now()).unwrap_or(0.0);
                    let _ = js_sys::Reflect::set(&w, &"sfnsimDiagramReadyMs".into(), &now.into());
                }
            }
        }
    });
    // None: fitted to the pane (the default, and what Fit goes back to); Some: a chosen zoom.
    let zoom = use_state(|| None::<f64>);
    let container = use_node_ref();
    let drag = use_mut_ref(|| None::<(i32, i32, i32, i32)>);
    // The overview (minimap): which part of the drawing the pane shows, while it does not show
    // all of it; measured on scroll, when the zoom or the drawing changes and when the pane is
    // resized.
    let view = use_state_eq(|| None::<Viewport>);
    {
        let (view, container) = (view.clone(), container.clone());
        let drawing = shown.as_ref().and_then(|d| d.as_ref().as_ref().map(|d| d.svg.clone()));
        use_effect_with((*zoom, drawing), move |_| view.set(Viewport::measure(&container)));
    }
    {
        let (view, container) = (view.clone(), container.clone());
        use_effect_with(shown.is_some(), move |_| {
            let observer = container.cast::<web_sys::Element>().and_then(|el| {
                let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || view.set(Viewport::measure(&container)));
                let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                Some((observer, on_resize))
            });
            move || {
                if let Some((o, _)) = observer {
                    o.disconnect();
                }
            }
        });
    }
    // The overview's picture: the drawing with the run's marks, as an image (no second copy of
    // the states to focus or to select), made only while it is shown.
    let mini_src = {
        let svg = shown.as_ref().and_then(|d| d.as_ref().as_ref().map(|d| d.svg.clone()));
        let marks = run_style("", props);
        use_memo((svg, marks, view.is_some()), |(svg, marks, shown)| match (svg, shown) {
            (Some(svg), true) => {
                // Stretched to the overview's box (whose proportions are the drawing's, unless
                // it is very long), so that a point of the box is that point of the drawing.
                let text = with_style(svg, marks)
                    .replace(" tabindex=\"0\" role=\"button\"", "")
                    .replacen("preserveAspectRatio=\"xMidYMin meet\"", "preserveAspectRatio=\"none\"", 1);
                format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text)))
            }
            _ => String::new(),
        })
    };
    let mini_drag = use_mut_ref(|| false);
    let mini = use_node_ref();

    let Some(shown) = shown else {
        return html! { <p id="diagram" class="note">{ "The diagram appears when the definition is valid." }</p> };
    };
    let Some(drawn) = &*shown else { return html! {} };
    let (svg, links) = (&drawn.svg, &drawn.links);
    let (width, height) = (drawn.width, drawn.height);
    let toggle = {
        let (folds_changed, current_folds, key) = (folds_changed.clone(), current_folds.clone(), drawn.key.clone());
        Callback::from(move |id: String| {
            let mut set = current_folds.borrow().clone();
            if !set.remove(&id) {
                set.insert(id);
            }
            save_folds(&key, &set);
            folds_changed.set(folds_changed.wrapping_add(1));
        })
    };

    // Retry badges, drawn over the states' top-right corners.
    let svg: AttrValue = if props.retries.is_empty() {
        svg.clone()
    } else {
        let mut badges = String::new();
        for (name, n) in &props.retries {
            if let Some(r) = links.rects.get(name) {
                // A Parallel's or Map's badge stands left of its collapse control.
                let room = if drawn.box_ids.contains_key(name) { 24.0 } else { 0.0 };
                let (x, y) = (r.x + r.w - 2.0 - room, r.y + 2.0);
                badges.push_str(&format!(
                    r##"<g class="retry-badge" data-state="{}"><title>{} retried {} time{}</title><rect x="{:.1}" y="{:.1}" width="30" height="16" rx="8" fill="#8a5a00"/><text x="{:.1}" y="{:.1}" text-anchor="middle" dominant-baseline="central" fill="#ffffff" font-size="11">↻{}</text></g>"##,
                    html_escape(name), html_escape(name), n, if *n == 1 { "" } else { "s" },
                    x - 15.0, y - 8.0, x, y, n
                ));
            }
        }
        AttrValue::from(svg.replacen("</svg>", &format!("{badges}</svg>"), 1))
    };
    // What ran inside each collapsed box: a badge on its bottom border, in words.
    let inside: Vec<(String, &'static str)> = drawn
        .folds
        .iter()
        .filter_map(|f| {
            let any = |names: &[String]| f.inner.iter().any(|n| names.contains(n));
            let status = if any(&props.failed) || any(&props.failed_visits) {
                "failed"
            } else if any(&props.active) {
                "active"
            } else if any(&props.visited) {
                "visited"
            } else {
                return None;
            };
            Some((f.name.clone(), status))
        })
        .collect();
    let svg: AttrValue = if inside.is_empty() {
        svg
    } else {
        let mut badges = String::new();
        for (name, status) in &inside {
            let Some(r) = links.rects.get(name) else { continue };
            // A small disc on the box's bottom-right corner, its sign saying what it says in words
            // in its tooltip and in the legend.
            let (sign, fill, what) = match *status {
                "failed" => ("✕", "#c62828", "a state inside failed"),
                "active" => ("●", "#1565d8", "a state inside is running"),
                _ => ("✓", "#1d8a4a", "the states inside ran"),
            };
            let (cx, cy) = (r.x + r.w - 14.0, r.y + r.h);
            badges.push_str(&format!(
                r##"<g class="inside-badge {status}" data-state="{n}"><title>{n}: {what}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="8.5" fill="{fill}" stroke="#ffffff" stroke-width="1.5"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" dominant-baseline="central" fill="#ffffff" font-size="10" font-weight="bold">{sign}</text></g>"##,
                n = html_escape(name),
                ty = cy + 0.5,
            ));
        }
        AttrValue::from(svg.replacen("</svg>", &format!("{badges}</svg>"), 1))
    };
    let mut style = run_style("#diagram ", props);
    match *zoom {
        // Fitted: as large as the pane allows, never more than 1.25× its natural size; on a
        // phone the pane's height follows the drawing, so only the width bounds it.
        None => style.push_str(&format!(
            "#diagram svg {{ width: 100%; height: 100%; max-width: {:.0}px; max-height: {:.0}px; }}\n\
             @media (max-width: 799px) {{ #diagram svg {{ height: auto; max-height: none; }} }}\n",
            width * 1.25,
            height * 1.25
        )),
        Some(z) => style.push_str(&format!("#diagram svg {{ width: {:.0}px; height: {:.0}px; }}\n", width * z, height * z)),
    }
    // A state hidden in a collapsed box is shown selected on the box.
    let selected = props.selected.as_ref().map(|s| drawn.folds.iter().find(|f| f.inner.contains(s)).map_or(s, |f| &f.name));
    if let Some(s) = selected {
        style.push_str(&format!(
            "#diagram g.state[data-state=\"{}\"] > rect {{ filter: drop-shadow(0 0 4px #7a4fd0); stroke-width: 4px; }}\n",
            css_str(s)
        ));
    }
    let legend = |label: &'static str, class: &'static str, names: &[String]| -> Html {
        if names.is_empty() {
            return html! {};
        }
        html! { <li class={class}><span class="swatch" aria-hidden="true"></span>{ format!("{label}: {}", names.join(", ")) }</li> }
    };

    // The zoom the drawing is shown at now: a fitted drawing's is measured from its box.
    let current_zoom = {
        let container = container.clone();
        move |z: Option<f64>| -> f64 {
            z.unwrap_or_else(|| {
                container
                    .cast::<web_sys::Element>()
                    .and_then(|el| el.query_selector("svg").ok().flatten())
                    .map(|svg| {
                        let r = svg.get_bounding_client_rect();
                        (r.width() / width).min(r.height() / height)
                    })
                    .filter(|z| z.is_finite() && *z > 0.0)
                    .unwrap_or(1.0)
            })
        }
    };
    let set_zoom = |f: fn(f64) -> f64| {
        let (zoom, current_zoom) = (zoom.clone(), current_zoom.clone());
        Callback::from(move |_: MouseEvent| zoom.set(Some(f(current_zoom(*zoom)).clamp(0.2, 4.0))))
    };
    let fit = {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(None))
    };
    let lr = *direction == Direction::LeftRight;
    let toggle_direction = {
        let (zoom, direction) = (zoom.clone(), direction.clone());
        Callback::from(move |_: MouseEvent| {
            // The other orientation has other proportions: fitted again.
            zoom.set(None);
            direction.set(if lr { Direction::TopDown } else { Direction::LeftRight });
        })
    };
    let on_wheel = {
        let (zoom, current_zoom) = (zoom.clone(), current_zoom.clone());
        Callback::from(move |e: WheelEvent| {
            if e.ctrl_key() {
                e.prevent_default();
                let f = if e.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
                zoom.set(Some((current_zoom(*zoom) * f).clamp(0.2, 4.0)));
            }
        })
    };
    let on_down = {
        let (drag, container) = (drag.clone(), container.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 || state_of(e.target()).is_some() || toggle_of(e.target()).is_some() {
                return;
            }
            if let Some(el) = container.cast::<web_sys::Element>() {
                *drag.borrow_mut() = Some((e.client_x(), e.client_y(), el.scroll_left(), el.scroll_top()));
            }
        })
    };
    let on_move = {
        let (drag, container) = (drag.clone(), container.clone());
        Callback::from(move |e: PointerEvent| {
            if let (Some((x, y, left, top)), Some(el)) = (*drag.borrow(), container.cast::<web_sys::Element>()) {
                el.set_scroll_left(left - (e.client_x() - x));
                el.set_scroll_top(top - (e.client_y() - y));
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| *drag.borrow_mut() = None)
    };
    let on_click = {
        let (on_state, toggle) = (props.on_state.clone(), toggle.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(id) = toggle_of(e.target()) {
                toggle.emit(id);
            } else if let Some(name) = state_of(e.target()) {
                on_state.emit(name);
            }
        })
    };
    let on_key = {
        let on_state = props.on_state.clone();
        let next: BTreeMap<String, Vec<String>> =
            links.next.iter().map(|(k, v)| (k.clone(), v.iter().map(|(n, _)| n.clone()).collect())).collect();
        let prev = links.prev.clone();
        let (inner, outer, container) = (links.inner.clone(), links.outer.clone(), links.container.clone());
        let (box_ids, toggle, refocus) = (drawn.box_ids.clone(), toggle.clone(), refocus.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(name) = state_of(e.target()) else { return };
            // C on a Parallel or Map collapses or expands it; the focus stays on it.
            if e.key().eq_ignore_ascii_case("c") && !e.ctrl_key() && !e.meta_key() && !e.alt_key() {
                if let Some(id) = box_ids.get(&name) {
                    e.prevent_default();
                    e.stop_propagation();
                    *refocus.borrow_mut() = Some(name.clone());
                    toggle.emit(id.clone());
                }
                return;
            }
            let siblings = |step: isize| -> Option<String> {
                // Other targets of the same state, or the other branches of the same Parallel.
                let list = match (prev.get(&name).and_then(|p| p.first()), outer.get(&name)) {
                    (Some(parent), _) => next.get(parent)?,
                    (None, Some(owner)) => inner.get(owner)?,
                    (None, None) => return None,
                };
                let i = list.iter().position(|n| *n == name)? as isize;
                let len = list.len() as isize;
                list.get(((i + step).rem_euclid(len)) as usize).cloned()
            };
            // Left to right, the flow runs along → and ←, and ↓ ↑ go across it.
            let key = match (lr, e.key().as_str()) {
                (true, "ArrowRight") => "ArrowDown".to_string(),
                (true, "ArrowLeft") => "ArrowUp".to_string(),
                (true, "ArrowDown") => "ArrowRight".to_string(),
                (true, "ArrowUp") => "ArrowLeft".to_string(),
                (_, k) => k.to_string(),
            };
            let target = match key.as_str() {
                "ArrowDown" => inner
                    .get(&name)
                    .and_then(|l| l.first().cloned())
                    .or_else(|| next.get(&name).and_then(|l| l.first().cloned()))
                    // The end of a branch: on to what follows its Parallel or Map.
                    .or_else(|| container.get(&name).and_then(|o| next.get(o)).and_then(|l| l.first().cloned())),
                "ArrowUp" => prev.get(&name).and_then(|l| l.first().cloned()).or_else(|| outer.get(&name).cloned()),
                "ArrowRight" => siblings(1),
                "ArrowLeft" => siblings(-1),
                "Enter" | " " => {
                    e.prevent_default();
                    e.stop_propagation();
                    on_state.emit(name.clone());
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            e.stop_propagation();
            if let Some(t) = target {
                focus_state(&t);
            }
        })
    };
    // The overview: a click or a drag on it brings that part of the drawing to the pane's centre.
    let (mini_w, mini_h) = view.map_or((0.0, 0.0), |v| v.overview_size(width, height));
    let pan_to = {
        let (container, mini) = (container.clone(), mini.clone());
        move |e: &PointerEvent| {
            let Some(mini) = mini.cast::<web_sys::Element>() else { return };
            let m = mini.get_bounding_client_rect();
            let (fx, fy) = (((e.client_x() as f64 - m.left()) / m.width()).clamp(0.0, 1.0), ((e.client_y() as f64 - m.top()) / m.height()).clamp(0.0, 1.0));
            if let Some(el) = container.cast::<web_sys::Element>() {
                if let Some(svg) = el.query_selector("svg").ok().flatten() {
                    let (c, r) = (el.get_bounding_client_rect(), svg.get_bounding_client_rect());
                    let centre_x = c.left() + el.client_left() as f64 + el.client_width() as f64 / 2.0;
                    let centre_y = c.top() + el.client_top() as f64 + el.client_height() as f64 / 2.0;
                    el.set_scroll_left(el.scroll_left() + (r.left() + fx * r.width() - centre_x).round() as i32);
                    el.set_scroll_top(el.scroll_top() + (r.top() + fy * r.height() - centre_y).round() as i32);
                }
            }
        }
    };
    let on_mini_down = {
        let (pan_to, mini_drag, mini) = (pan_to.clone(), mini_drag.clone(), mini.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            e.prevent_default();
            *mini_drag.borrow_mut() = true;
            if let Some(el) = mini.cast::<web_sys::Element>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            pan_to(&e);
        })
    };
    let on_mini_move = {
        let mini_drag = mini_drag.clone();
        Callback::from(move |e: PointerEvent| {
            if *mini_drag.borrow() {
                pan_to(&e);
            }
        })
    };
    let on_mini_up = {
        let mini_drag = mini_drag.clone();
        Callback::from(move |_: PointerEvent| *mini_drag.borrow_mut() = false)
    };
    let on_scroll = {
        let (view, container) = (view.clone(), container.clone());
        Callback::from(move |_: Event| view.set(Viewport::measure(&container)))
    };
    let minimap = match *view {
        Some(v) => {
            let (x, y) = (v.x0 * mini_w, v.y0 * mini_h);
            let (w, h) = (((v.x1 - v.x0) * mini_w).max(6.0), ((v.y1 - v.y0) * mini_h).max(6.0));
            html! {
                <div id="minimap" ref={mini} class="minimap" aria-hidden="true" title="Overview: click or drag to move the view"
                    style={format!("width: {mini_w:.0}px; height: {mini_h:.0}px;")}
                    onpointerdown={on_mini_down} onpointermove={on_mini_move} onpointerup={on_mini_up.clone()} onpointercancel={on_mini_up}>
                    <img src={(*mini_src).clone()} alt="" draggable="false" />
                    <div class="minimap-view" style={format!("left: {x:.1}px; top: {y:.1}px; width: {w:.1}px; height: {h:.1}px;")}></div>
                </div>
            }
        }
        None => html! {},
    };
    let export_svg = {
        let (svg, style) = (svg.clone(), run_style("", props));
        Callback::from(move |_: MouseEvent| {
            let text = with_style(&svg, &style).replace(" tabindex=\"0\" role=\"button\"", "");
            let href = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&text));
            download(&href, "state-machine.svg");
        })
    };
    let export_png = {
        let (svg, style) = (svg.clone(), run_style("", props));
        Callback::from(move |_: MouseEvent| {
            let text = with_style(&svg, &style);
            // The drawing is done by the page's small glue (index.html): an image on a canvas.
            let f = web_sys::window()
                .and_then(|w| js_sys::Reflect::get(&w, &"sfnsimExportPng".into()).ok())
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(f) = f {
                let _ = f.call2(&wasm_bindgen::JsValue::NULL, &text.into(), &"state-machine.png".into());
            }
        })
    };

    html! {
        <>
            <style>{ style }</style>
            <div class="diagram-tools" role="toolbar" aria-label="Diagram">
                <button id="zoom-in" type="button" title="Zoom in (Ctrl+wheel)" onclick={set_zoom(|z| z * 1.25)}>{ "+" }</button>
                <button id="zoom-out" type="button" title="Zoom out (Ctrl+wheel)" onclick={set_zoom(|z| z / 1.25)}>{ "−" }</button>
                <button id="zoom-fit" type="button" title="Fit the diagram in the pane" onclick={fit}>{ "Fit" }</button>
                <button id="zoom-reset" type="button" title="Actual size" onclick={set_zoom(|_| 1.0)}>{ "1:1" }</button>
                <span id="zoom-level" class="note">{ match *zoom { None => "fitted".to_string(), Some(z) => format!("{:.0}%", z * 100.0) } }</span>
                <button id="direction" type="button" aria-pressed={lr.to_string()}
                    title={if lr { "The flow runs left to right: press to draw it top to bottom" } else { "The flow runs top to bottom: press to draw it left to right" }}
                    onclick={toggle_direction}>{ "→ Left to right" }</button>
                <button id="export-svg" type="button" onclick={export_svg}>{ "Export SVG" }</button>
                <button id="export-png" type="button" onclick={export_png}>{ "Export PNG" }</button>
            </div>
            <div class="diagram-stage">
                <div id="diagram" ref={container} class={classes!("diagram", stale.then_some("stale"))}
                    onclick={on_click} onkeydown={on_key} onwheel={on_wheel} onscroll={on_scroll}
                    onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()} onpointerleave={on_up}>
                    { Html::from_html_unchecked(AttrValue::from(svg.replacen("</svg>", &format!("{}</svg>", drawn.toggles), 1))) }
                </div>
                { minimap }
            </div>
            <ul id="diagram-legend" class="legend">
                { legend("Active", "active", &props.active) }
                { legend("Failed", "failed", &props.failed) }
                if !props.retries.is_empty() {
                    <li class="retried"><span class="swatch" aria-hidden="true"></span>{ format!("Retried: {}", props.retries.iter().map(|(n, c)| format!("{n} ×{c}")).collect::<Vec<_>>().join(", ")) }</li>
                }
                if !props.path.is_empty() {
                    <li class="path"><span class="swatch" aria-hidden="true"></span>{ "Transitions taken: thick green arrows" }</li>
                }
                { legend("Visited", "visited", &props.visited) }
                if !inside.is_empty() {
                    <li class="inside"><span class="swatch" aria-hidden="true"></span>{ format!("Inside collapsed boxes: {}", inside.iter().map(|(n, st)| format!("{n} ({})", match *st { "failed" => "a state failed", "active" => "running", _ => "ran" })).collect::<Vec<_>>().join(", ")) }</li>
                }
            </ul>
            <details id="diagram-outline" class="outline">
                <summary>{ "Text outline of the states and transitions" }</summary>
                <ul>
                    { for links.order.iter().map(|name| {
                        let targets = links.next.get(name).map(|l| l.iter().map(|(n, label)| match label {
                            Some(t) => format!("{n} ({t})"),
                            None => n.clone(),
                        }).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                        let mut kind = links.kinds.get(name).cloned().unwrap_or_default();
                        if let Some(f) = drawn.folds.iter().find(|f| f.name == *name) {
                            kind = format!("{kind}, collapsed: {}", f.summary);
                        }
                        html! {
                            <li>
                                <strong>{ name.clone() }</strong>{ format!(" — {kind}") }
                                if !targets.is_empty() { { format!("; next: {targets}") } } else { { "; ends its flow" } }
                            </li>
                        }
                    }) }
                </ul>
            </details>
        </>
    }
}

/// The part of the drawing the pane shows, as fractions of its width and height (0 to 1).
#[derive(Clone, Copy, PartialEq, Debug)]
struct Viewport {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    /// The pane's inner size, px.
    pane_w: f64,
    pane_h: f64,
}

impl Viewport {
    /// What the pane `container` shows of its drawing; None when it shows all of it.
    fn measure(container: &NodeRef) -> Option<Viewport> {
        let el = container.cast::<web_sys::Element>()?;
        let (cw, ch) = (el.client_width() as f64, el.client_height() as f64);
        if el.scroll_width() as f64 <= cw + 1.0 && el.scroll_height() as f64 <= ch + 1.0 {
            return None;
        }
        let svg = el.query_selector("svg").ok().flatten()?.get_bounding_client_rect();
        let c = el.get_bounding_client_rect();
        let (left, top) = (c.left() + el.client_left() as f64, c.top() + el.client_top() as f64);
        if svg.width() <= 0.0 || svg.height() <= 0.0 {
            return None;
        }
        // Rounded, so that sub-pixel jitter does not redraw the page.
        let f = |v: f64| ((v * 1000.0).round() / 1000.0).clamp(0.0, 1.0);
        Some(Viewport {
            x0: f((left - svg.left()) / svg.width()),
            y0: f((top - svg.top()) / svg.height()),
            x1: f((left + cw - svg.left()) / svg.width()),
            y1: f((top + ch - svg.top()) / svg.height()),
            pane_w: cw,
            pane_h: ch,
        })
    }

    /// The overview's size for a drawing of `width` × `height`: its proportions kept, about as
    /// big as 200 × 150 px (half that on a small pane), a long drawing longer, but never more
    /// than 360 px nor a third of the pane's width or half its height, and at least 24 px each way.
    fn overview_size(&self, width: f64, height: f64) -> (f64, f64) {
        let (w, h) = (width.max(1.0), height.max(1.0));
        let area = if self.pane_w < 600.0 { 15_000.0 } else { 30_000.0 };
        let long = 360.0f64;
        let scale = (area / (w * h))
            .sqrt()
            .min(long.min(self.pane_w / 3.0) / w)
            .min(long.min(self.pane_h / 2.0) / h);
        ((w * scale).max(24.0), (h * scale).max(24.0))
    }
}

/// A drawing as the page shows it: the SVG with focusable states, the collapse controls to put
/// over it, and what the keys, the badges and the outline need.
#[derive(PartialEq)]
struct Drawn {
    svg: AttrValue,
    /// One control a Parallel or Map (`g.box-toggle[data-toggle=id]`), drawn over the SVG in the
    /// page but not exported.
    toggles: String,
    width: f64,
    height: f64,
    links: Links,
    /// Each Parallel and Map drawn, by name: its id.
    box_ids: BTreeMap<String, String>,
    folds: Vec<Fold>,
    /// The definition's key in the session's collapsed sets.
    key: String,
}

/// A collapsed box: its name, what it says of its contents, and the states inside.
#[derive(PartialEq)]
struct Fold {
    name: String,
    summary: String,
    inner: Vec<String>,
}

impl Drawn {
    fn of(scene: Scene, key: String) -> Drawn {
        let mut toggles = String::new();
        let mut box_ids = BTreeMap::new();
        let mut folds = Vec::new();
        for n in scene.nodes.iter().filter(|n| n.kind.is_compound()) {
            box_ids.insert(n.name.clone(), n.id.clone());
            let r = n.rect;
            let (x, y, sign, what) = match &n.collapsed {
                Some(c) => {
                    folds.push(Fold { name: n.name.clone(), summary: c.summary.clone(), inner: c.inner.clone() });
                    (r.x + r.w - 21.0, r.y + 4.0, "+", "Expand")
                }
                None => (r.x + r.w - 22.0, r.y + 7.0, "−", "Collapse"),
            };
            let name = html_escape(&n.name);
            toggles.push_str(&format!(
                r##"<g class="box-toggle" data-toggle="{id}" role="button" aria-label="{what} {name}"><title>{what} {name} (C)</title><rect x="{x:.1}" y="{y:.1}" width="16" height="16" rx="4" fill="#ffffff" stroke="#6e7a8f" stroke-width="1"/><text x="{cx:.1}" y="{cy:.1}" text-anchor="middle" dominant-baseline="central" font-size="14" font-weight="bold" fill="#2b3340">{sign}</text></g>"##,
                id = html_escape(&n.id),
                cx = x + 8.0,
                cy = y + 8.5,
            ));
        }
        Drawn {
            svg: AttrValue::from(interactive_svg(&scene)),
            toggles,
            width: scene.width,
            height: scene.height,
            links: links(&scene),
            box_ids,
            folds,
            key,
        }
    }
}

/// The collapse control an event happened on: the id of its box.
fn toggle_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("g.box-toggle").ok().flatten()?.get_attribute("data-toggle")
}

/// Where the session keeps each definition's collapsed boxes: `[[key, [id, …]], …]`, the most
/// recently used last.
const KEY_FOLDS: &str = "sfnsim.collapsed";
/// How many definitions' sets the session keeps.
const FOLDS_KEPT: usize = 50;

/// A definition's key: a hash of its boxes' ids (what can be collapsed), so that typing
/// elsewhere in it keeps its set, and another definition has its own.
fn folds_key(boxes: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in boxes {
        for byte in b.bytes().chain([0]) {
            h = (h ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn all_folds() -> Vec<(String, BTreeSet<String>)> {
    session()
        .and_then(|s| s.get_item(KEY_FOLDS).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// The collapsed boxes of the definition with key `key`, if the session has them.
fn load_folds(key: &str) -> Option<BTreeSet<String>> {
    all_folds().into_iter().find(|(k, _)| k == key).map(|(_, set)| set)
}

fn save_folds(key: &str, set: &BTreeSet<String>) {
    let mut all = all_folds();
    all.retain(|(k, _)| k != key);
    all.push((key.to_string(), set.clone()));
    let drop = all.len().saturating_sub(FOLDS_KEPT);
    all.drain(..drop);
    if let (Some(s), Ok(text)) = (session(), serde_json::to_string(&all)) {
        let _ = s.set_item(KEY_FOLDS, &text);
    }
}

/// Where the page remembers the diagram's direction (`TB` or `LR`).
const KEY_DIRECTION: &str = "sfnsim.direction";

pub(super) fn saved_direction() -> Direction {
    super::saved::load(KEY_DIRECTION).and_then(|d| d.parse().ok()).unwrap_or_default()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
