//! A definition's diagnostics and its diagram: `validate`, `layout`, `renderSvg`, and
//! `highlights` (what the diagram shows of a run after its first events).

use super::convert::{aws_error, definition_text, from_js, options, to_js, type_error, DefinitionArg};
use crate::asl::validate::{self, MachineType, Severity};
use crate::graph::marks::{marked_svg, RunMarks};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// `validate`'s options.
#[derive(Debug, Default, Deserialize, tsify::Tsify)]
#[tsify(missing_as_null)]
pub struct ValidateOptions {
    /// The state machine type the definition is checked for (STANDARD when absent).
    #[serde(default, rename = "type")]
    #[tsify(optional, type = "\"STANDARD\" | \"EXPRESS\"")]
    pub machine_type: Option<String>,
}

/// One problem with a definition, where it is: `location` is a JSON pointer into the definition;
/// `line` and `column` (1-based, UTF-16 columns as the browser counts) point into its text.
#[derive(Debug, Serialize, tsify::Tsify)]
#[tsify(missing_as_null)]
pub struct Diagnostic {
    #[tsify(type = "\"ERROR\" | \"WARNING\"")]
    pub severity: &'static str,
    /// AWS's code, e.g. SCHEMA_VALIDATION_FAILED or MISSING_TRANSITION_TARGET.
    pub code: String,
    pub message: String,
    pub location: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// What `validate` answers: valid when no diagnostic is an error (warnings may remain).
#[derive(Debug, Serialize, tsify::Tsify)]
#[tsify(missing_as_null)]
pub struct Validation {
    pub valid: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// `renderSvg`'s options.
#[derive(Debug, Default, Deserialize, tsify::Tsify)]
#[tsify(missing_as_null)]
pub struct RenderOptions {
    /// A run to mark: its history events (GetExecutionHistory's `{ events }`, or the array).
    #[serde(default)]
    #[tsify(optional, type = "HistoryEvent[] | { events: HistoryEvent[] }")]
    pub execution: Option<Value>,
    /// Which way the flow runs: "TB" (top to bottom, the default) or "LR" (left to right).
    #[serde(default)]
    #[tsify(optional, type = "\"TB\" | \"LR\"")]
    pub direction: Option<crate::graph::Direction>,
    /// Parallel and Map states to draw as one box each, by id as a scene's nodes spell it
    /// (`Fan`, or `Fan/2/Each` for a Map inside Fan's second branch).
    #[serde(default)]
    #[tsify(optional)]
    pub collapsed: Option<Vec<String>>,
}

/// `layout`'s options.
#[derive(Debug, Default, Deserialize, tsify::Tsify)]
#[tsify(missing_as_null)]
pub struct LayoutOptions {
    /// Which way the flow runs: "TB" (top to bottom, the default) or "LR" (left to right).
    #[serde(default)]
    #[tsify(optional, type = "\"TB\" | \"LR\"")]
    pub direction: Option<crate::graph::Direction>,
    /// Parallel and Map states to draw as one box each, by id as a scene's nodes spell it
    /// (`Fan`, or `Fan/2/Each` for a Map inside Fan's second branch).
    #[serde(default)]
    #[tsify(optional)]
    pub collapsed: Option<Vec<String>>,
}

/// 1-based line and UTF-16 column of a UTF-16 offset into `text`.
fn line_column(text: &str, utf16_offset: usize) -> (u32, u32) {
    let (mut line, mut col, mut at) = (1u32, 1u32, 0usize);
    for c in text.chars() {
        if at >= utf16_offset {
            break;
        }
        at += c.len_utf16();
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += c.len_utf16() as u32;
        }
    }
    (line, col)
}

pub(super) fn diagnostics_of(text: &str, machine_type: MachineType) -> Validation {
    let diagnostics: Vec<Diagnostic> = validate::validate_text(text, machine_type)
        .into_iter()
        .map(|d| {
            let at = d
                .location
                .as_deref()
                .and_then(|l| crate::asl::locate::span_of(text, l))
                .map(|(from, _)| line_column(text, from));
            Diagnostic {
                severity: match d.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                },
                code: d.code,
                message: d.message,
                location: d.location,
                line: at.map(|a| a.0),
                column: at.map(|a| a.1),
            }
        })
        .collect();
    Validation {
        valid: !diagnostics.iter().any(|d| d.severity == "ERROR"),
        diagnostics,
    }
}

/// Checks a definition as ValidateStateMachineDefinition does, with each diagnostic's line and
/// column in the text.
#[wasm_bindgen(unchecked_return_type = "Validation")]
pub fn validate(
    definition: &DefinitionArg,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] opts: Option<js_sys::Object>,
) -> Result<JsValue, JsValue> {
    let text = definition_text(definition)?;
    let opts: ValidateOptions = options(&opts.map(JsValue::from).unwrap_or_default(), "validate options")?;
    let machine_type = match opts.machine_type.as_deref() {
        None | Some("STANDARD") => MachineType::Standard,
        Some("EXPRESS") => MachineType::Express,
        Some(other) => return Err(type_error(&format!("validate options: type must be STANDARD or EXPRESS, not {other}"))),
    };
    Ok(to_js(&diagnostics_of(&text, machine_type)))
}

fn scene_of(
    text: &str,
    direction: Option<crate::graph::Direction>,
    collapsed: Option<Vec<String>>,
) -> Result<crate::graph::Scene, JsValue> {
    let collapsed: std::collections::BTreeSet<String> = collapsed.unwrap_or_default().into_iter().collect();
    crate::playground::diagram::drawing(text, direction.unwrap_or_default(), &collapsed)
        .map(|d| d.scene)
        .map_err(|e| aws_error(e.code, &e.message))
}

/// The diagram's geometry: nodes, nested boxes (frames) and routed edges, in px. An invalid
/// definition throws an Error named InvalidDefinition.
#[wasm_bindgen(unchecked_return_type = "Scene")]
pub fn layout(
    definition: &DefinitionArg,
    #[wasm_bindgen(unchecked_optional_param_type = "LayoutOptions")] opts: Option<js_sys::Object>,
) -> Result<JsValue, JsValue> {
    let opts: LayoutOptions = options(&opts.map(JsValue::from).unwrap_or_default(), "layout options")?;
    Ok(to_js(&scene_of(&definition_text(definition)?, opts.direction, opts.collapsed)?))
}

/// The diagram as a self-contained SVG document, optionally marked with a run.
#[wasm_bindgen(js_name = renderSvg)]
pub fn render_svg(
    definition: &DefinitionArg,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] opts: Option<js_sys::Object>,
) -> Result<String, JsValue> {
    let opts: RenderOptions = options(&opts.map(JsValue::from).unwrap_or_default(), "renderSvg options")?;
    let svg = scene_of(&definition_text(definition)?, opts.direction, opts.collapsed)?.to_svg();
    let Some(execution) = opts.execution else { return Ok(svg) };
    let steps = crate::playground::replay::import(&execution.to_string()).map_err(|e| type_error(&format!("renderSvg options: execution: {e}")))?;
    let h = crate::playground::replay::highlights(&steps, steps.len());
    Ok(marked_svg(&svg, &RunMarks { active: &h.active, visited: &h.visited, failed: &h.failed, path: &h.path }))
}

/// What the diagram shows after the first `upto` events of a history (all when absent): the
/// active, visited and failed states and the transitions taken.
#[wasm_bindgen(unchecked_return_type = "Highlights")]
pub fn highlights(
    #[wasm_bindgen(unchecked_param_type = "HistoryEvent[] | { events: HistoryEvent[] }")] events: JsValue,
    upto: Option<u32>,
) -> Result<JsValue, JsValue> {
    let v = from_js(&events)?.ok_or_else(|| type_error("highlights: events must be an array of history events"))?;
    let steps = crate::playground::replay::import(&v.to_string()).map_err(|e| type_error(&format!("highlights: {e}")))?;
    let upto = upto.map_or(steps.len(), |u| u as usize);
    Ok(to_js(&crate::playground::replay::highlights(&steps, upto)))
}

/// The style sheet that marks a run on a rendered diagram (the page's and the embeds' rules):
/// put it in a `<style>`, or in a constructed sheet under a strict Content-Security-Policy.
#[wasm_bindgen(js_name = marksCss)]
pub fn marks_css(#[wasm_bindgen(unchecked_param_type = "Highlights")] highlights: JsValue) -> Result<String, JsValue> {
    let h: crate::playground::replay::Highlights = options(&highlights, "marksCss")?;
    Ok(crate::graph::marks::run_css("", &RunMarks { active: &h.active, visited: &h.visited, failed: &h.failed, path: &h.path }))
}
