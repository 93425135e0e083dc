//! The definition drawn as a diagram: the graph module's scene as SVG (the same SVG that
//! `sfnsim render` writes), recomputed only when the definition changes. While the definition
//! does not validate (mid-typing), the last good diagram stays, dimmed; the Result pane says why
//! when Run is pressed.

use crate::api;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub definition: AttrValue,
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let svg = use_memo(props.definition.clone(), |definition| {
        api::scene(definition)
            .ok()
            .map(|s| AttrValue::from(s.to_svg()))
    });
    let last_good = use_mut_ref(|| None::<AttrValue>);
    let (shown, stale) = match &*svg {
        Some(svg) => {
            *last_good.borrow_mut() = Some(svg.clone());
            (Some(svg.clone()), false)
        }
        None => (last_good.borrow().clone(), true),
    };
    match shown {
        Some(svg) => html! {
            <div id="diagram" class={classes!("diagram", stale.then_some("stale"))}>
                { Html::from_html_unchecked(svg) }
            </div>
        },
        None => html! {
            <p id="diagram" class="note">{ "The diagram appears when the definition is valid." }</p>
        },
    }
}
