// STUB: replaced by the real module.
use serde_json::Value;
#[derive(Debug, Clone, PartialEq)]
pub enum Root { Data, Context, Variable(String) }
#[derive(Debug, Clone)]
pub struct Path { root: Root, text: String, segs: Vec<String> }
#[derive(Debug, Clone, PartialEq)]
pub struct PathMiss { pub message: String }
impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let (root, rest) = if let Some(r) = text.strip_prefix("$$") { (Root::Context, r) } else if let Some(r) = text.strip_prefix('$') {
            let name: String = r.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name.is_empty() { (Root::Data, r) } else { (Root::Variable(name.clone()), &r[name.len()..]) }
        } else { return Err("must start with $".into()) };
        let segs = rest.split('.').filter(|s| !s.is_empty()).map(str::to_string).collect();
        Ok(Path { root, text: text.to_string(), segs })
    }
    pub fn parse_reference(text: &str) -> Result<Path, String> { Path::parse(text) }
    pub fn root(&self) -> &Root { &self.root }
    pub fn text(&self) -> &str { &self.text }
    pub fn is_definite(&self) -> bool { true }
    pub fn select(&self, v: &Value) -> Result<Value, PathMiss> {
        let mut cur = v;
        for s in &self.segs { cur = cur.get(s).ok_or_else(|| PathMiss { message: format!("No results for path: $['{s}']") })?; }
        Ok(cur.clone())
    }
    pub fn assign(&self, mut target: Value, value: Value) -> Result<Value, String> {
        if self.segs.is_empty() { return Ok(value); }
        let mut cur = &mut target;
        for s in &self.segs[..self.segs.len()-1] { cur = cur.as_object_mut().ok_or("not object")?.entry(s.clone()).or_insert(Value::Object(Default::default())); }
        cur.as_object_mut().ok_or("not object")?.insert(self.segs.last().unwrap().clone(), value);
        Ok(target)
    }
}
