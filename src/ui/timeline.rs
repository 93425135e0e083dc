//! The timeline: state visits over virtual time (playground::replay::timeline), one row per
//! state in the order first entered, a bar per visit. Bars carry their outcome as a pattern and a text
//! title (colour is never the only signal); a click on a bar inspects that state.

use crate::playground::replay::Span;
use serde_json::Value;
use std::fmt::Write as _;
use std::rc::Rc;
use yew::prelude::*;

/// Most bars drawn: a 25,000-event history can have thousands of visits; the rest are summed up.
const MAX_BARS: usize = 3000;
const ROW: f64 = 22.0;
const LABEL_W: f64 = 150.0;
/// The drawing's width before the pane has been measured.
const DEFAULT_WIDTH: f64 = 900.0;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub events: Rc<Vec<Rc<Value>>>,
    /// The visits (crate::playground::replay::timeline of the events), computed once by the page.
    pub spans: Rc<Vec<Span>>,
    #[prop_or_default]
    pub on_state: Callback<String>,
}

fn seconds(ms: i64) -> String {
    format!("{:.3} s", ms as f64 / 1000.0)
}

#[component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    // The drawing spans the pane's width: a ResizeObserver keeps it measured (the pane may be
    // a hidden tab at first, or resized with the window).
    let width = use_state(|| DEFAULT_WIDTH);
    let host = use_node_ref();
    {
        let (width, host) = (width.clone(), host.clone());
        use_effect_with((), move |_| {
            let observer = host.cast::<web_sys::Element>().and_then(|el| {
                let seen = el.clone();
                let on_resize = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                    let w = seen.client_width() as f64 - 4.0;
                    if w > 200.0 && (w - *width).abs() > 2.0 {
                        width.set(w);
                    }
                });
                let observer = web_sys::ResizeObserver::new(wasm_bindgen::JsCast::unchecked_ref(on_resize.as_ref())).ok()?;
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
    let spans = props.spans.clone();
    if spans.is_empty() {
        return html! { <div id="timeline" ref={host} class="timeline"><p class="note">{ "The timeline of state visits appears when a run starts." }</p></div> };
    }
    let width_px = (*width).max(420.0);
    let t0 = props.events.first().and_then(|e| e["timestamp"].as_f64()).map_or(0, |s| (s * 1000.0).round() as i64);
    let t_end = spans.iter().map(|s| s.end_ms.unwrap_or(s.start_ms)).max().unwrap_or(t0).max(t0 + 1);
    let last_event = props.events.last().and_then(|e| e["timestamp"].as_f64()).map_or(t_end, |s| (s * 1000.0).round() as i64);
    let t_end = t_end.max(last_event).max(t0 + 1);
    let mut rows: Vec<&str> = Vec::new();
    for s in spans.iter() {
        if !rows.contains(&s.state.as_str()) {
            rows.push(&s.state);
        }
    }
    let scale = (width_px - LABEL_W - 10.0) / (t_end - t0) as f64;
    let x = |ms: i64| LABEL_W + (ms - t0) as f64 * scale;
    let height = rows.len() as f64 * ROW + 24.0;
    // One SVG string rather than a node per bar: a long run has thousands of bars, and
    // comparing them node by node on every tick costs more than drawing them.
    let mut bars = String::new();
    for s in spans.iter().take(MAX_BARS) {
        let row = rows.iter().position(|r| *r == s.state).unwrap_or(0) as f64;
        let end = s.end_ms.unwrap_or(last_event);
        let (x0, x1) = (x(s.start_ms), x(end));
        let w = (x1 - x0).max(3.0);
        let title = format!(
            "{} — {} from +{} to {}{}",
            s.state,
            s.outcome,
            seconds(s.start_ms - t0),
            s.end_ms.map_or_else(|| "now".to_string(), |e| format!("+{}", seconds(e - t0))),
            if s.retries > 0 { format!(", {} retries", s.retries) } else { String::new() }
        );
        let _ = write!(
            bars,
            r#"<rect class="bar {}" data-state="{}" x="{x0:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" rx="3"><title>{}</title></rect>"#,
            s.outcome,
            esc(&s.state),
            row * ROW + 4.0,
            ROW - 8.0,
            esc(&title)
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let _ = write!(bars, r#"<text class="row-label" x="4" y="{:.1}">{}</text>"#, i as f64 * ROW + ROW / 2.0 + 4.0, esc(r));
    }
    let on_click = {
        let on_state = props.on_state.clone();
        Callback::from(move |e: MouseEvent| {
            let name = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|el| el.closest("rect.bar").ok().flatten())
                .and_then(|el| el.get_attribute("data-state"));
            if let Some(n) = name {
                on_state.emit(n);
            }
        })
    };
    let axis_y = rows.len() as f64 * ROW + 16.0;
    let svg = format!(
        r##"<svg width="{width_px}" height="{height:.0}" viewBox="0 0 {width_px} {height:.0}" role="img" aria-label="Timeline: {} state visits over {} of virtual time"><defs><pattern id="tl-failed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde8e8"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c62828" stroke-width="3"/></pattern></defs>{bars}<text class="axis" x="{LABEL_W}" y="{axis_y:.0}">+0 s</text><text class="axis" x="{:.0}" y="{axis_y:.0}" text-anchor="end">+{}</text></svg>"##,
        spans.len(),
        seconds(t_end - t0),
        width_px - 10.0,
        seconds(t_end - t0)
    );
    html! {
        <div id="timeline" ref={host} class="timeline" onclick={on_click}>
            { Html::from_html_unchecked(AttrValue::from(svg)) }
            if spans.len() > MAX_BARS {
                <p class="note">{ format!("The first {MAX_BARS} of {} visits are drawn.", spans.len()) }</p>
            }
        </div>
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
