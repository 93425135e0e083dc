// STUB: replaced by the real module.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic { pub severity: Severity, pub code: String, pub message: String, pub location: Option<String> }
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Severity { #[serde(rename = "ERROR")] Error, #[serde(rename = "WARNING")] Warning }
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineType { Standard, Express }
pub fn validate_text(text: &str, _t: MachineType) -> Vec<Diagnostic> {
    match serde_json::from_str::<serde_json::Value>(text) { Ok(_) => vec![], Err(e) => vec![Diagnostic { severity: Severity::Error, code: "INVALID_JSON_DESCRIPTION".into(), message: e.to_string(), location: None }] }
}
pub fn validate_value(_def: &serde_json::Value, _t: MachineType) -> Vec<Diagnostic> { vec![] }
pub fn invalid_definition_message(diags: &[Diagnostic]) -> String {
    let parts: Vec<String> = diags.iter().map(|d| format!("{}: {}{}", d.code, d.message, d.location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default())).collect();
    format!("Invalid State Machine Definition: '{}'", parts.join(", "))
}
