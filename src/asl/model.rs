//! The typed model of a definition, built once from validated JSON and shared by every execution.
//! Transitions are resolved to state indexes so that running never looks a name up.

use super::choice::Rule;
use super::intrinsics::{self, Call};
use super::path::Path;
use super::template::Template;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// A machine: the top level, a Parallel branch or a Map item processor.
#[derive(Debug)]
pub struct Machine {
    pub start: usize,
    pub states: Vec<State>,
    pub index: HashMap<String, usize>,
    /// Execution timeout (top level only).
    pub timeout_seconds: Option<u64>,
    pub jsonata: bool,
}

#[derive(Debug)]
pub struct State {
    pub name: Arc<str>,
    pub kind: Kind,
    pub jsonata: bool,
    pub input_path: DataPath,
    pub output_path: DataPath,
    pub result_path: DataPath,
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub assign: Option<Template>,
    /// None: the state ends its machine (End, Succeed, Fail; Choice uses its rules).
    pub next: Option<usize>,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    /// A JSONata state's definition object: its fields (Arguments, Output, Assign, Items,
    /// Seconds, Error, ...) are expressions the engine evaluates when the state runs.
    pub raw: Option<Arc<Value>>,
}

/// InputPath / OutputPath / ResultPath: absent means `$`; `null` is its own meaning.
#[derive(Debug, Clone)]
pub enum DataPath {
    Default,
    Null,
    Path(Path),
}

#[derive(Debug)]
pub enum Kind {
    Pass {
        result: Option<Value>,
    },
    Task(Task),
    Choice {
        choices: Vec<ChoiceBranch>,
        default: Option<usize>,
    },
    Wait(Wait),
    Succeed,
    Fail {
        error: Option<FailField>,
        cause: Option<FailField>,
    },
    Parallel {
        branches: Vec<Arc<Machine>>,
    },
    Map(Box<MapState>),
}

impl Kind {
    /// The prefix of this state's history events: `Pass` gives PassStateEntered etc.
    pub fn event_prefix(&self) -> &'static str {
        match self {
            Kind::Pass { .. } => "Pass",
            Kind::Task(_) => "Task",
            Kind::Choice { .. } => "Choice",
            Kind::Wait(_) => "Wait",
            Kind::Succeed => "Succeed",
            Kind::Fail { .. } => "Fail",
            Kind::Parallel { .. } => "Parallel",
            Kind::Map(_) => "Map",
        }
    }
}

#[derive(Debug)]
pub struct Task {
    pub resource: String,
    pub timeout: Option<Seconds>,
    pub heartbeat: Option<Seconds>,
    pub credentials: Option<Template>,
}

/// A number of seconds given literally or by a reference path.
#[derive(Debug, Clone)]
pub enum Seconds {
    Literal(u64),
    Path(Path),
}

#[derive(Debug)]
pub struct ChoiceBranch {
    pub rule: Rule,
    pub next: usize,
    pub assign: Option<Template>,
    /// A JSONata rule's object (Condition, Output, Assign).
    pub raw: Option<Value>,
}

#[derive(Debug)]
pub enum Wait {
    Seconds(u64),
    Timestamp(String),
    SecondsPath(Path),
    TimestampPath(Path),
}

#[derive(Debug)]
pub enum FailField {
    Literal(String),
    Path(Path),
    Call(Call),
}

#[derive(Debug)]
pub struct MapState {
    pub items_path: Option<Path>,
    pub item_selector: Option<Template>,
    pub processor: Arc<Machine>,
    pub max_concurrency: Option<Seconds>,
    pub distributed: bool,
    /// A Distributed Map's children are Express executions (ProcessorConfig.ExecutionType).
    pub express: bool,
    pub label: Option<String>,
    pub tolerated_failure_count: Option<Value>,
    pub tolerated_failure_percentage: Option<Value>,
    pub tolerated_failure_count_path: Option<Path>,
    pub tolerated_failure_percentage_path: Option<Path>,
    pub item_reader: Option<ItemReader>,
    pub item_batcher: Option<ItemBatcher>,
    /// Where a Distributed Map writes its results (S3 putObject): `Parameters`/`Arguments`.
    pub result_writer: Option<Template>,
}

/// A count given literally or by a reference path (which may name a variable).
#[derive(Debug, Clone)]
pub enum Count {
    Literal(Value),
    Path(Path),
}

/// Where a Distributed Map reads its items (S3 through the simulated object store).
#[derive(Debug)]
pub struct ItemReader {
    /// `arn:aws:states:::s3:getObject`, `...:s3:listObjectsV2`.
    pub resource: String,
    pub parameters: Option<Template>,
    /// JSON, JSONL, CSV (getObject); absent for listObjectsV2.
    pub input_type: Option<String>,
    /// FIRST_ROW or GIVEN.
    pub csv_header_location: Option<String>,
    pub csv_headers: Vec<String>,
    pub max_items: Option<Count>,
}

/// How a Map groups items into batches (`{"Items": [...]}` per child).
#[derive(Debug)]
pub struct ItemBatcher {
    pub max_items_per_batch: Option<Count>,
    pub max_input_bytes_per_batch: Option<Count>,
    pub batch_input: Option<Template>,
}

#[derive(Debug)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    pub jitter_full: bool,
}

#[derive(Debug)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: usize,
    pub result_path: DataPath,
    pub assign: Option<Template>,
    /// A JSONata catcher's object (Output, Assign).
    pub raw: Option<Value>,
}

/// Builds the model from a definition that passed validation. Errors name the place (JSON pointer).
pub fn build(def: &Value) -> Result<Arc<Machine>, String> {
    let top_jsonata = def.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
    build_machine(def, "", top_jsonata)
}

fn build_machine(def: &Value, at: &str, inherited_jsonata: bool) -> Result<Arc<Machine>, String> {
    let obj = def
        .as_object()
        .ok_or_else(|| format!("{at}/: a machine must be an object"))?;
    let states = obj
        .get("States")
        .and_then(Value::as_object)
        .ok_or_else(|| format!("{at}/States: required object is missing"))?;
    let mut index = HashMap::with_capacity(states.len());
    for (i, name) in states.keys().enumerate() {
        index.insert(name.clone(), i);
    }
    let lookup = |name: &Value, place: String| -> Result<usize, String> {
        name.as_str()
            .and_then(|n| index.get(n).copied())
            .ok_or_else(|| format!("{place}: missing transition target {name}"))
    };
    let start = lookup(
        obj.get("StartAt").unwrap_or(&Value::Null),
        format!("{at}/StartAt"),
    )?;
    let mut out = Vec::with_capacity(states.len());
    for (name, s) in states {
        let here = format!("{at}/States/{name}");
        out.push(build_state(name, s, &here, inherited_jsonata, &lookup)?);
    }
    Ok(Arc::new(Machine {
        start,
        states: out,
        index,
        timeout_seconds: obj.get("TimeoutSeconds").and_then(Value::as_u64),
        jsonata: inherited_jsonata,
    }))
}

fn build_state(
    name: &str,
    s: &Value,
    here: &str,
    inherited_jsonata: bool,
    lookup: &dyn Fn(&Value, String) -> Result<usize, String>,
) -> Result<State, String> {
    let m = s
        .as_object()
        .ok_or_else(|| format!("{here}: a state must be an object"))?;
    let jsonata = match m.get("QueryLanguage").and_then(Value::as_str) {
        Some("JSONata") => true,
        Some(_) => false,
        None => inherited_jsonata,
    };
    let get = |k: &str| m.get(k);
    let path_field = |k: &str| -> Result<DataPath, String> {
        match m.get(k) {
            None => Ok(DataPath::Default),
            Some(Value::Null) => Ok(DataPath::Null),
            Some(Value::String(t)) => Path::parse(t)
                .map(DataPath::Path)
                .map_err(|e| format!("{here}/{k}: {e}")),
            Some(_) => Err(format!("{here}/{k}: must be a string or null")),
        }
    };
    let template = |k: &str| -> Result<Option<Template>, String> {
        match m.get(k) {
            None => Ok(None),
            Some(v) if jsonata => Ok(Some(Template::Literal(v.clone()))),
            Some(v) => Template::compile(v)
                .map(Some)
                .map_err(|e| format!("{here}/{k}: {e}")),
        }
    };
    let next = match get("Next") {
        Some(n) => Some(lookup(n, format!("{here}/Next"))?),
        None => None,
    };
    let kind = match get("Type").and_then(Value::as_str).unwrap_or("") {
        "Pass" => Kind::Pass {
            result: get("Result").cloned(),
        },
        "Task" => Kind::Task(Task {
            resource: get("Resource")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            timeout: seconds(m, "TimeoutSeconds", "TimeoutSecondsPath", here)?,
            heartbeat: seconds(m, "HeartbeatSeconds", "HeartbeatSecondsPath", here)?,
            credentials: template("Credentials")?,
        }),
        "Choice" => {
            let mut choices = Vec::new();
            for (i, c) in get("Choices")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let place = format!("{here}/Choices[{i}]");
                let rule = if jsonata {
                    // JSONata rules use Condition; they are not run yet (the state fails with a
                    // clear message at run time), so they get a rule that is never evaluated.
                    Rule::And(Vec::new())
                } else {
                    Rule::parse(c, true).map_err(|(msg, loc)| format!("{place}{loc}: {msg}"))?
                };
                let next = lookup(
                    c.get("Next").unwrap_or(&Value::Null),
                    format!("{place}/Next"),
                )?;
                let assign = match c.get("Assign") {
                    Some(a) => {
                        Some(Template::compile(a).map_err(|e| format!("{place}/Assign: {e}"))?)
                    }
                    None => None,
                };
                let raw = jsonata.then(|| c.clone());
                choices.push(ChoiceBranch { rule, next, assign, raw });
            }
            let default = match get("Default") {
                Some(d) => Some(lookup(d, format!("{here}/Default"))?),
                None => None,
            };
            Kind::Choice { choices, default }
        }
        // A JSONata Wait's Seconds may be an expression: the engine reads it from `raw`.
        "Wait" => Kind::Wait(if let Some(v) = get("Seconds").filter(|v| !(jsonata && v.is_string())) {
            Wait::Seconds(
                v.as_u64()
                    .ok_or_else(|| format!("{here}/Seconds: must be a non-negative integer"))?,
            )
        } else if jsonata && get("Seconds").is_some() {
            Wait::Seconds(0)
        } else if let Some(v) = get("Timestamp") {
            Wait::Timestamp(v.as_str().unwrap_or_default().to_string())
        } else if let Some(v) = get("SecondsPath") {
            Wait::SecondsPath(reference(v, &format!("{here}/SecondsPath"))?)
        } else if let Some(v) = get("TimestampPath") {
            Wait::TimestampPath(reference(v, &format!("{here}/TimestampPath"))?)
        } else {
            return Err(format!(
                "{here}: a Wait needs Seconds, Timestamp, SecondsPath or TimestampPath"
            ));
        }),
        "Succeed" => Kind::Succeed,
        "Fail" => Kind::Fail {
            error: fail_field(m, "Error", "ErrorPath", here)?,
            cause: fail_field(m, "Cause", "CausePath", here)?,
        },
        "Parallel" => {
            let mut branches = Vec::new();
            for (i, b) in get("Branches")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                branches.push(build_machine(b, &format!("{here}/Branches[{i}]"), jsonata)?);
            }
            Kind::Parallel { branches }
        }
        "Map" => {
            let (proc_key, proc) = match (get("ItemProcessor"), get("Iterator")) {
                (Some(p), _) => ("ItemProcessor", p),
                (None, Some(p)) => ("Iterator", p),
                _ => return Err(format!("{here}: a Map needs an ItemProcessor")),
            };
            let distributed = proc
                .pointer("/ProcessorConfig/Mode")
                .and_then(Value::as_str)
                == Some("DISTRIBUTED");
            let selector = match (get("ItemSelector"), get("Parameters")) {
                (Some(_), _) => template("ItemSelector")?,
                (None, Some(_)) => template("Parameters")?,
                _ => None,
            };
            let max_concurrency = match (get("MaxConcurrency"), get("MaxConcurrencyPath")) {
                (Some(v), _) => v.as_u64().map(Seconds::Literal),
                (None, Some(p)) => Some(Seconds::Path(reference(
                    p,
                    &format!("{here}/MaxConcurrencyPath"),
                )?)),
                _ => None,
            };
            let count = |obj: &Value, k: &str, at: &str| -> Result<Option<Count>, String> {
                if let Some(v) = obj.get(k) {
                    return Ok(Some(Count::Literal(v.clone())));
                }
                match obj.get(format!("{k}Path")) {
                    Some(p) => Ok(Some(Count::Path(reference(p, &format!("{at}/{k}Path"))?))),
                    None => Ok(None),
                }
            };
            let item_reader = match get("ItemReader") {
                None => None,
                Some(r) => {
                    let at = format!("{here}/ItemReader");
                    let config = r.get("ReaderConfig").cloned().unwrap_or(Value::Null);
                    let parameters = match r.get("Parameters").or_else(|| r.get("Arguments")) {
                        None => None,
                        Some(v) if jsonata => Some(Template::Literal(v.clone())),
                        Some(v) => Some(Template::compile(v).map_err(|e| format!("{at}/Parameters: {e}"))?),
                    };
                    Some(ItemReader {
                        resource: r.get("Resource").and_then(Value::as_str).unwrap_or("").to_string(),
                        parameters,
                        input_type: config.get("InputType").and_then(Value::as_str).map(str::to_string),
                        csv_header_location: config.get("CSVHeaderLocation").and_then(Value::as_str).map(str::to_string),
                        csv_headers: strings(config.get("CSVHeaders")),
                        max_items: count(&config, "MaxItems", &format!("{at}/ReaderConfig"))?,
                    })
                }
            };
            let item_batcher = match get("ItemBatcher") {
                None => None,
                Some(b) => {
                    let at = format!("{here}/ItemBatcher");
                    Some(ItemBatcher {
                        max_items_per_batch: count(b, "MaxItemsPerBatch", &at)?,
                        max_input_bytes_per_batch: count(b, "MaxInputBytesPerBatch", &at)?,
                        batch_input: match b.get("BatchInput") {
                            None => None,
                            Some(v) if jsonata => Some(Template::Literal(v.clone())),
                            Some(v) => Some(Template::compile(v).map_err(|e| format!("{at}/BatchInput: {e}"))?),
                        },
                    })
                }
            };
            let result_writer = match get("ResultWriter") {
                None => None,
                Some(w) => match w.get("Parameters").or_else(|| w.get("Arguments")) {
                    None => Some(Template::Literal(Value::Object(Map::new()))),
                    Some(v) if jsonata => Some(Template::Literal(v.clone())),
                    Some(v) => Some(Template::compile(v).map_err(|e| format!("{here}/ResultWriter/Parameters: {e}"))?),
                },
            };
            Kind::Map(Box::new(MapState {
                result_writer,
                item_reader,
                item_batcher,
                items_path: match get("ItemsPath") {
                    Some(v) => Some(reference(v, &format!("{here}/ItemsPath"))?),
                    None => None,
                },
                item_selector: selector,
                processor: build_machine(proc, &format!("{here}/{proc_key}"), jsonata)?,
                max_concurrency,
                distributed,
                express: distributed && proc.pointer("/ProcessorConfig/ExecutionType").and_then(Value::as_str) == Some("EXPRESS"),
                label: get("Label").and_then(Value::as_str).map(str::to_string),
                tolerated_failure_count: get("ToleratedFailureCount").cloned(),
                tolerated_failure_percentage: get("ToleratedFailurePercentage").cloned(),
                tolerated_failure_count_path: match get("ToleratedFailureCountPath") {
                    Some(v) => Some(reference(v, &format!("{here}/ToleratedFailureCountPath"))?),
                    None => None,
                },
                tolerated_failure_percentage_path: match get("ToleratedFailurePercentagePath") {
                    Some(v) => Some(reference(
                        v,
                        &format!("{here}/ToleratedFailurePercentagePath"),
                    )?),
                    None => None,
                },
            }))
        }
        other => return Err(format!("{here}/Type: unknown state type '{other}'")),
    };
    let is_map = matches!(kind, Kind::Map(_));
    let mut retry = Vec::new();
    for (i, r) in get("Retry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        retry.push(build_retrier(r, &format!("{here}/Retry[{i}]"))?);
    }
    let mut catch = Vec::new();
    for (i, c) in get("Catch")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let place = format!("{here}/Catch[{i}]");
        let cm = c
            .as_object()
            .ok_or_else(|| format!("{place}: must be an object"))?;
        catch.push(Catcher {
            error_equals: strings(cm.get("ErrorEquals")),
            next: lookup(
                cm.get("Next").unwrap_or(&Value::Null),
                format!("{place}/Next"),
            )?,
            result_path: match cm.get("ResultPath") {
                None => DataPath::Default,
                Some(Value::Null) => DataPath::Null,
                Some(v) => DataPath::Path(reference(v, &format!("{place}/ResultPath"))?),
            },
            assign: match cm.get("Assign") {
                Some(a) if !jsonata => {
                    Some(Template::compile(a).map_err(|e| format!("{place}/Assign: {e}"))?)
                }
                Some(a) => Some(Template::Literal(a.clone())),
                None => None,
            },
            raw: jsonata.then(|| Value::Object(cm.clone())),
        });
    }
    Ok(State {
        raw: jsonata.then(|| Arc::new(s.clone())),
        name: Arc::from(name),
        jsonata,
        input_path: path_field("InputPath")?,
        output_path: path_field("OutputPath")?,
        result_path: match m.get("ResultPath") {
            None => DataPath::Default,
            Some(Value::Null) => DataPath::Null,
            Some(v) => DataPath::Path(reference(v, &format!("{here}/ResultPath"))?),
        },
        // A Map's legacy Parameters are its per-item selector, not a state-level template.
        parameters: if is_map {
            None
        } else {
            template("Parameters")?
        },
        result_selector: template("ResultSelector")?,
        assign: template("Assign")?,
        next,
        kind,
        retry,
        catch,
    })
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn reference(v: &Value, place: &str) -> Result<Path, String> {
    let t = v
        .as_str()
        .ok_or_else(|| format!("{place}: must be a string"))?;
    Path::parse(t).map_err(|e| format!("{place}: {e}"))
}

fn seconds(
    m: &Map<String, Value>,
    lit: &str,
    path: &str,
    here: &str,
) -> Result<Option<Seconds>, String> {
    if let Some(v) = m.get(lit) {
        return Ok(v.as_u64().map(Seconds::Literal));
    }
    match m.get(path) {
        Some(p) => Ok(Some(Seconds::Path(reference(
            p,
            &format!("{here}/{path}"),
        )?))),
        None => Ok(None),
    }
}

fn fail_field(
    m: &Map<String, Value>,
    lit: &str,
    path: &str,
    here: &str,
) -> Result<Option<FailField>, String> {
    if let Some(v) = m.get(lit) {
        return Ok(Some(FailField::Literal(
            v.as_str().unwrap_or_default().to_string(),
        )));
    }
    match m.get(path).and_then(Value::as_str) {
        Some(t) if intrinsics::is_call(t) => Ok(Some(FailField::Call(
            intrinsics::parse(t).map_err(|e| format!("{here}/{path}: {e}"))?,
        ))),
        Some(t) => Ok(Some(FailField::Path(
            Path::parse(t).map_err(|e| format!("{here}/{path}: {e}"))?,
        ))),
        None => Ok(None),
    }
}

fn build_retrier(r: &Value, place: &str) -> Result<Retrier, String> {
    let m = r
        .as_object()
        .ok_or_else(|| format!("{place}: must be an object"))?;
    Ok(Retrier {
        error_equals: strings(m.get("ErrorEquals")),
        interval_seconds: m
            .get("IntervalSeconds")
            .and_then(Value::as_f64)
            .unwrap_or(1.0),
        max_attempts: m.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3),
        backoff_rate: m.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0),
        max_delay_seconds: m.get("MaxDelaySeconds").and_then(Value::as_f64),
        jitter_full: m.get("JitterStrategy").and_then(Value::as_str) == Some("FULL"),
    })
}
