// STUB: replaced by the real module.
use serde_json::Value;
#[derive(Debug, Clone)]
pub struct Call { text: String }
pub trait Env { fn resolve(&mut self, path: &str) -> Result<Value, String>; fn random_u64(&mut self) -> u64; }
#[derive(Debug, Clone, PartialEq)]
pub struct IntrinsicError { pub error: String, pub cause: String }
pub fn is_call(text: &str) -> bool { text.starts_with("States.") }
pub fn parse(text: &str) -> Result<Call, String> { Ok(Call { text: text.into() }) }
impl Call {
    pub fn eval(&self, _env: &mut dyn Env) -> Result<Value, IntrinsicError> { Err(IntrinsicError { error: "States.Runtime".into(), cause: format!("stub {}", self.text) }) }
    pub fn paths(&self) -> Vec<&str> { vec![] }
    pub fn name(&self) -> &str { &self.text }
}
