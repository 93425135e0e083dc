//! The definition drawn as a diagram: the graph module's scene as SVG (the same SVG that
//! `sfnsim render` writes), recomputed only when the definition changes. While the definition
//! does not validate (mid-typing), the last good diagram stays, dimmed.
//!
//! The run is shown over it with a generated style sheet keyed on each state group's
//! `data-state` attribute: active states get a thick blue outline, visited ones a green outline,
//! the failed one a red dashed outline; a legend under the diagram says the same in words, so
//! colour is never the only signal.

use crate::api;
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
}

fn css_str(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\a ")
}

fn rules(names: &[String], body: &str) -> String {
    if names.is_empty() {
        return String::new();
    }
    let sel: Vec<String> = names
        .iter()
        .map(|n| format!("#diagram g.state[data-state=\"{}\"] > rect", css_str(n)))
        .collect();
    format!("{} {{ {body} }}\n", sel.join(", "))
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let svg = use_memo(props.definition.clone(), |definition| {
        api::scene(definition).ok().map(|s| AttrValue::from(s.to_svg()))
    });
    let last_good = use_mut_ref(|| None::<AttrValue>);
    let (shown, stale) = match &*svg {
        Some(svg) => {
            *last_good.borrow_mut() = Some(svg.clone());
            (Some(svg.clone()), false)
        }
        None => (last_good.borrow().clone(), true),
    };
    let style = format!(
        "{}{}{}",
        rules(&props.visited, "stroke: #1d8a4a; stroke-width: 3px;"),
        rules(&props.active, "stroke: #1565d8; stroke-width: 4.5px; stroke-dasharray: none;"),
        rules(&props.failed, "stroke: #c62828; stroke-width: 4px; stroke-dasharray: 5 3; fill: #fde8e8;"),
    );
    let legend = |label: &'static str, class: &'static str, names: &[String]| -> Html {
        if names.is_empty() {
            return html! {};
        }
        html! { <li class={class}><span class="swatch" aria-hidden="true"></span>{ format!("{label}: {}", names.join(", ")) }</li> }
    };
    match shown {
        Some(svg) => html! {
            <>
                <style>{ style }</style>
                <div id="diagram" class={classes!("diagram", stale.then_some("stale"))}>
                    { Html::from_html_unchecked(svg) }
                </div>
                <ul id="diagram-legend" class="legend">
                    { legend("Active", "active", &props.active) }
                    { legend("Failed", "failed", &props.failed) }
                    { legend("Visited", "visited", &props.visited) }
                </ul>
            </>
        },
        None => html! {
            <p id="diagram" class="note">{ "The diagram appears when the definition is valid." }</p>
        },
    }
}
