//! The page's console: `aws stepfunctions <subcommand> --flags` lines, read the way the AWS CLI
//! reads them, turned into an operation and its JSON request for the service. Flag names are the
//! CLI's (`--state-machine-arn`), values are JSON or the CLI's shorthand (`key=a,value=b`);
//! `file://` cannot be read in a page, so the text is pasted instead.

use serde_json::{json, Map, Value};

/// How a member's value is written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    Int,
    /// A floating-point number (`--tolerated-failure-percentage 12.5`).
    Float,
    Bool,
    /// A JSON object, or shorthand `a=1,b=x`.
    Structure,
    /// `[{key, value}]`: JSON, or shorthand `key=k,value=v key=k2,value=v2`.
    Tags,
    /// A list of strings: `a b c` or JSON.
    Strings,
    /// An alias's routing configuration: JSON, or shorthand
    /// `stateMachineVersionArn=arn,weight=50 stateMachineVersionArn=arn2,weight=50`.
    Routing,
}

/// (member name, type, required)
type Member = (&'static str, Ty, bool);

/// The subcommands: (CLI name, operation, members).
const COMMANDS: &[(&str, &str, &[Member])] = &[
    ("create-activity", "CreateActivity", &[("name", Ty::Str, true), ("tags", Ty::Tags, false)]),
    (
        "create-state-machine-alias",
        "CreateStateMachineAlias",
        &[("description", Ty::Str, false), ("name", Ty::Str, true), ("routingConfiguration", Ty::Routing, true)],
    ),
    (
        "create-state-machine",
        "CreateStateMachine",
        &[
            ("name", Ty::Str, true),
            ("definition", Ty::Str, true),
            ("roleArn", Ty::Str, true),
            ("type", Ty::Str, false),
            ("loggingConfiguration", Ty::Structure, false),
            ("tracingConfiguration", Ty::Structure, false),
            ("tags", Ty::Tags, false),
            ("publish", Ty::Bool, false),
            ("versionDescription", Ty::Str, false),
        ],
    ),
    ("delete-activity", "DeleteActivity", &[("activityArn", Ty::Str, true)]),
    ("delete-state-machine", "DeleteStateMachine", &[("stateMachineArn", Ty::Str, true)]),
    ("delete-state-machine-alias", "DeleteStateMachineAlias", &[("stateMachineAliasArn", Ty::Str, true)]),
    ("delete-state-machine-version", "DeleteStateMachineVersion", &[("stateMachineVersionArn", Ty::Str, true)]),
    ("describe-activity", "DescribeActivity", &[("activityArn", Ty::Str, true)]),
    ("describe-execution", "DescribeExecution", &[("executionArn", Ty::Str, true), ("includedData", Ty::Str, false)]),
    ("describe-map-run", "DescribeMapRun", &[("mapRunArn", Ty::Str, true)]),
    ("describe-state-machine", "DescribeStateMachine", &[("stateMachineArn", Ty::Str, true), ("includedData", Ty::Str, false)]),
    ("describe-state-machine-alias", "DescribeStateMachineAlias", &[("stateMachineAliasArn", Ty::Str, true)]),
    (
        "describe-state-machine-for-execution",
        "DescribeStateMachineForExecution",
        &[("executionArn", Ty::Str, true), ("includedData", Ty::Str, false)],
    ),
    ("get-activity-task", "GetActivityTask", &[("activityArn", Ty::Str, true), ("workerName", Ty::Str, false)]),
    (
        "get-execution-history",
        "GetExecutionHistory",
        &[
            ("executionArn", Ty::Str, true),
            ("maxResults", Ty::Int, false),
            ("reverseOrder", Ty::Bool, false),
            ("nextToken", Ty::Str, false),
            ("includeExecutionData", Ty::Bool, false),
        ],
    ),
    ("list-activities", "ListActivities", &[("maxResults", Ty::Int, false), ("nextToken", Ty::Str, false)]),
    (
        "list-executions",
        "ListExecutions",
        &[
            ("stateMachineArn", Ty::Str, false),
            ("statusFilter", Ty::Str, false),
            ("maxResults", Ty::Int, false),
            ("nextToken", Ty::Str, false),
            ("mapRunArn", Ty::Str, false),
            ("redriveFilter", Ty::Str, false),
        ],
    ),
    (
        "list-map-runs",
        "ListMapRuns",
        &[("executionArn", Ty::Str, true), ("maxResults", Ty::Int, false), ("nextToken", Ty::Str, false)],
    ),
    (
        "list-state-machine-aliases",
        "ListStateMachineAliases",
        &[("stateMachineArn", Ty::Str, true), ("nextToken", Ty::Str, false), ("maxResults", Ty::Int, false)],
    ),
    (
        "list-state-machine-versions",
        "ListStateMachineVersions",
        &[("stateMachineArn", Ty::Str, true), ("nextToken", Ty::Str, false), ("maxResults", Ty::Int, false)],
    ),
    ("list-state-machines", "ListStateMachines", &[("maxResults", Ty::Int, false), ("nextToken", Ty::Str, false)]),
    ("list-tags-for-resource", "ListTagsForResource", &[("resourceArn", Ty::Str, true)]),
    (
        "publish-state-machine-version",
        "PublishStateMachineVersion",
        &[("stateMachineArn", Ty::Str, true), ("revisionId", Ty::Str, false), ("description", Ty::Str, false)],
    ),
    ("redrive-execution", "RedriveExecution", &[("executionArn", Ty::Str, true), ("clientToken", Ty::Str, false)]),
    (
        "send-task-failure",
        "SendTaskFailure",
        &[("taskToken", Ty::Str, true), ("error", Ty::Str, false), ("cause", Ty::Str, false)],
    ),
    ("send-task-heartbeat", "SendTaskHeartbeat", &[("taskToken", Ty::Str, true)]),
    ("send-task-success", "SendTaskSuccess", &[("taskToken", Ty::Str, true), ("output", Ty::Str, true)]),
    (
        "start-execution",
        "StartExecution",
        &[("stateMachineArn", Ty::Str, true), ("name", Ty::Str, false), ("input", Ty::Str, false), ("traceHeader", Ty::Str, false)],
    ),
    (
        "start-sync-execution",
        "StartSyncExecution",
        &[
            ("stateMachineArn", Ty::Str, true),
            ("name", Ty::Str, false),
            ("input", Ty::Str, false),
            ("traceHeader", Ty::Str, false),
            ("includedData", Ty::Str, false),
        ],
    ),
    ("stop-execution", "StopExecution", &[("executionArn", Ty::Str, true), ("error", Ty::Str, false), ("cause", Ty::Str, false)]),
    ("tag-resource", "TagResource", &[("resourceArn", Ty::Str, true), ("tags", Ty::Tags, true)]),
    (
        "test-state",
        "TestState",
        &[
            ("definition", Ty::Str, true),
            ("roleArn", Ty::Str, false),
            ("input", Ty::Str, false),
            ("inspectionLevel", Ty::Str, false),
            ("revealSecrets", Ty::Bool, false),
            ("variables", Ty::Str, false),
            ("stateName", Ty::Str, false),
            ("mock", Ty::Structure, false),
            ("context", Ty::Str, false),
            ("stateConfiguration", Ty::Structure, false),
        ],
    ),
    ("untag-resource", "UntagResource", &[("resourceArn", Ty::Str, true), ("tagKeys", Ty::Strings, true)]),
    (
        "update-map-run",
        "UpdateMapRun",
        &[
            ("mapRunArn", Ty::Str, true),
            ("maxConcurrency", Ty::Int, false),
            ("toleratedFailurePercentage", Ty::Float, false),
            ("toleratedFailureCount", Ty::Int, false),
        ],
    ),
    (
        "update-state-machine",
        "UpdateStateMachine",
        &[
            ("stateMachineArn", Ty::Str, true),
            ("definition", Ty::Str, false),
            ("roleArn", Ty::Str, false),
            ("loggingConfiguration", Ty::Structure, false),
            ("tracingConfiguration", Ty::Structure, false),
            ("publish", Ty::Bool, false),
            ("versionDescription", Ty::Str, false),
        ],
    ),
    (
        "update-state-machine-alias",
        "UpdateStateMachineAlias",
        &[("stateMachineAliasArn", Ty::Str, true), ("description", Ty::Str, false), ("routingConfiguration", Ty::Routing, false)],
    ),
    (
        "validate-state-machine-definition",
        "ValidateStateMachineDefinition",
        &[("definition", Ty::Str, true), ("type", Ty::Str, false), ("severity", Ty::Str, false), ("maxResults", Ty::Int, false)],
    ),
];

/// The CLI's pagination flags, mapped onto the API's members.
const PAGING_ALIASES: &[(&str, &str)] = &[("max-items", "maxResults"), ("page-size", "maxResults"), ("starting-token", "nextToken")];

/// A parsed console line.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub operation: String,
    pub request: Value,
}

/// `stateMachineArn` → `state-machine-arn`.
fn flag_name(member: &str) -> String {
    let mut out = String::new();
    for c in member.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a line into words as a POSIX shell does: quotes group, backslashes escape.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("unterminated ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(x @ ('"' | '\\' | '$' | '`')) => cur.push(x),
                            Some(x) => {
                                cur.push('\\');
                                cur.push(x);
                            }
                            None => return Err("unterminated \" quote".into()),
                        },
                        Some(x) => cur.push(x),
                        None => return Err("unterminated \" quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// `a=1,b=x` (shorthand) or JSON, as an object.
fn structure(text: &str, flag: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| format!("Error parsing parameter '--{flag}': Invalid JSON: {e}"));
    }
    let mut m = Map::new();
    for pair in text.split(',').filter(|p| !p.is_empty()) {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(format!("Error parsing parameter '--{flag}': Expected: '=', received: '{pair}'"));
        };
        let v = match v {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(v.to_string()),
        };
        m.insert(k.trim().to_string(), v);
    }
    Ok(Value::Object(m))
}

fn value(ty: Ty, flag: &str, args: &[String]) -> Result<Value, String> {
    let one = || -> Result<&String, String> {
        match args {
            [v] => Ok(v),
            [] => Err(format!("aws: error: argument --{flag}: expected one argument")),
            _ => Err(format!("aws: error: unrecognized arguments: {}", args[1..].join(" "))),
        }
    };
    match ty {
        Ty::Str => {
            let v = one()?;
            if v.starts_with("file://") || v.starts_with("fileb://") {
                return Err(format!("--{flag}: files cannot be read in the page; paste the text instead of {v}"));
            }
            Ok(Value::String(v.clone()))
        }
        Ty::Int => one()?
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("aws: error: argument --{flag}: invalid int value: '{}'", args.join(" "))),
        Ty::Float => one()?
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Value::from)
            .ok_or_else(|| format!("aws: error: argument --{flag}: invalid float value: '{}'", args.join(" "))),
        Ty::Bool => match args {
            [] => Ok(Value::Bool(true)),
            [v] if v == "true" => Ok(Value::Bool(true)),
            [v] if v == "false" => Ok(Value::Bool(false)),
            _ => Err(format!("aws: error: argument --{flag}: ignored explicit argument '{}'", args.join(" "))),
        },
        Ty::Structure => structure(one()?, flag),
        Ty::Tags => {
            if let [v] = args {
                if v.trim_start().starts_with('[') {
                    return serde_json::from_str(v).map_err(|e| format!("Error parsing parameter '--{flag}': Invalid JSON: {e}"));
                }
            }
            if args.is_empty() {
                return Err(format!("aws: error: argument --{flag}: expected at least one argument"));
            }
            args.iter().map(|a| structure(a, flag)).collect::<Result<Vec<_>, _>>().map(Value::Array)
        }
        Ty::Routing => {
            let mut items = value(Ty::Tags, flag, args)?;
            for item in items.as_array_mut().into_iter().flatten() {
                if let Some(w) = item.get("weight").and_then(Value::as_str).and_then(|w| w.parse::<i64>().ok()) {
                    item["weight"] = Value::from(w);
                }
            }
            Ok(items)
        }
        Ty::Strings => {
            if let [v] = args {
                if v.trim_start().starts_with('[') {
                    return serde_json::from_str(v).map_err(|e| format!("Error parsing parameter '--{flag}': Invalid JSON: {e}"));
                }
            }
            Ok(Value::Array(args.iter().map(|a| Value::String(a.clone())).collect()))
        }
    }
}

/// Reads one console line: `[aws] [stepfunctions] <subcommand> [--flag value ...]`.
pub fn parse(line: &str) -> Result<Command, String> {
    let mut w = words(line)?;
    if w.first().map(String::as_str) == Some("aws") {
        w.remove(0);
    }
    // Global CLI options that make no sense here are accepted and ignored.
    let mut i = 0;
    while i < w.len() {
        if ["--region", "--profile", "--endpoint-url", "--output"].contains(&w[i].as_str()) {
            w.drain(i..(i + 2).min(w.len()));
        } else if ["--no-cli-pager", "--no-paginate", "--debug", "--no-verify-ssl"].contains(&w[i].as_str()) {
            w.remove(i);
        } else {
            i += 1;
        }
    }
    if w.first().map(String::as_str) == Some("stepfunctions") {
        w.remove(0);
    }
    let Some(sub) = w.first().cloned() else {
        return Err(format!("usage: aws stepfunctions <subcommand> [parameters]\nsubcommands: {}", subcommands().join(", ")));
    };
    let Some((_, op, members)) = COMMANDS.iter().find(|(name, _, _)| *name == sub) else {
        return Err(format!(
            "aws: error: argument operation: Invalid choice '{sub}', valid choices are:\n{}",
            subcommands().join(" | ")
        ));
    };
    let mut request = Map::new();
    let mut k = 1;
    while k < w.len() {
        let word = &w[k];
        let Some(flag) = word.strip_prefix("--") else {
            return Err(format!("aws: error: unrecognized arguments: {word}"));
        };
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (flag.to_string(), None),
        };
        let mut end = k + 1;
        while end < w.len() && !w[end].starts_with("--") {
            end += 1;
        }
        let args: Vec<String> = match inline {
            Some(v) => vec![v],
            None => w[k + 1..end].to_vec(),
        };
        k = end;
        if flag == "cli-input-json" {
            let v: Value = serde_json::from_str(args.first().map(String::as_str).unwrap_or(""))
                .map_err(|e| format!("Error parsing parameter '--cli-input-json': Invalid JSON: {e}"))?;
            let Value::Object(m) = v else {
                return Err("--cli-input-json must be a JSON object".into());
            };
            request.extend(m);
            continue;
        }
        if let Some(name) = flag.strip_prefix("no-") {
            if let Some((m, Ty::Bool, _)) = members.iter().find(|(m, _, _)| flag_name(m) == name) {
                request.insert(m.to_string(), Value::Bool(false));
                continue;
            }
        }
        let member = members
            .iter()
            .find(|(m, _, _)| flag_name(m) == flag)
            .map(|(m, ty, _)| (*m, *ty))
            .or_else(|| {
                PAGING_ALIASES
                    .iter()
                    .find(|(f, _)| *f == flag)
                    .and_then(|(_, m)| members.iter().find(|(x, _, _)| x == m))
                    .map(|(m, ty, _)| (*m, *ty))
            });
        let Some((member, ty)) = member else {
            return Err(format!("aws: error: unrecognized arguments: --{flag}"));
        };
        request.insert(member.to_string(), value(ty, &flag, &args)?);
    }
    let missing: Vec<String> = members
        .iter()
        .filter(|(m, _, required)| *required && !request.contains_key(*m))
        .map(|(m, _, _)| format!("--{}", flag_name(m)))
        .collect();
    if !missing.is_empty() {
        return Err(format!("aws: error: the following arguments are required: {}", missing.join(", ")));
    }
    Ok(Command {
        operation: op.to_string(),
        request: Value::Object(request),
    })
}

/// Every subcommand, in the CLI's names.
pub fn subcommands() -> Vec<&'static str> {
    COMMANDS.iter().map(|(n, _, _)| *n).collect()
}

/// Completions for the word being typed at the end of `line`: subcommands, then that
/// subcommand's flags not given yet.
pub fn complete(line: &str) -> Vec<String> {
    let mut w = words(line).unwrap_or_default();
    let ends_with_space = line.ends_with(char::is_whitespace);
    let current = if ends_with_space { String::new() } else { w.pop().unwrap_or_default() };
    let rest: Vec<&str> = w.iter().map(String::as_str).filter(|x| *x != "aws" && *x != "stepfunctions").collect();
    match rest.first() {
        None => {
            let mut out: Vec<String> = subcommands().into_iter().filter(|s| s.starts_with(&current)).map(str::to_string).collect();
            if "stepfunctions".starts_with(&current) && !w.iter().any(|x| x == "stepfunctions") && !current.is_empty() {
                out.insert(0, "stepfunctions".into());
            }
            out
        }
        Some(sub) => {
            let Some((_, _, members)) = COMMANDS.iter().find(|(n, _, _)| n == sub) else {
                return Vec::new();
            };
            members
                .iter()
                .map(|(m, _, _)| format!("--{}", flag_name(m)))
                .filter(|f| f.starts_with(&current) && !w.contains(f))
                .collect()
        }
    }
}

/// The console's answer to a line, as the AWS CLI v2 prints it: the service's response with its
/// timestamps in ISO 8601 ([`cli_output`]; null for an empty response), or the CLI's error text.
pub fn run(service: &mut crate::service::Service, line: &str) -> Result<Value, String> {
    run_raw(service, line).map(|mut v| {
        cli_output(&mut v);
        v
    })
}

/// As [`run`], with the service's response as the API returns it (timestamps as epoch-second
/// numbers), for code that reads values from the answer.
pub fn run_raw(service: &mut crate::service::Service, line: &str) -> Result<Value, String> {
    let cmd = parse(line)?;
    service
        .call(&cmd.operation, &cmd.request)
        .map_err(|e| format!("An error occurred ({}) when calling the {} operation: {}", e.code, cmd.operation, e.message))
        .map(|v| if v == json!({}) { Value::Null } else { v })
}

/// The Step Functions API's timestamp members (epoch seconds on the wire, JSON 1.0 protocol).
const TIMESTAMP_MEMBERS: &[&str] = &["creationDate", "startDate", "stopDate", "updateDate", "redriveDate", "timestamp"];

/// A response as the AWS CLI v2 prints it by default (`cli_timestamp_format = iso8601`): every
/// timestamp member's epoch-second number, at any depth (history events' `timestamp`, list
/// items' `startDate` …), becomes [`iso8601`] text. Payloads (input, output, definition) are
/// JSON text in strings and stay as they are.
pub fn cli_output(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if let (true, Some(secs)) = (TIMESTAMP_MEMBERS.contains(&k.as_str()), x.as_f64()) {
                    *x = Value::String(iso8601(secs));
                } else {
                    cli_output(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(cli_output),
        _ => {}
    }
}

/// Epoch seconds as the AWS CLI v2 prints a timestamp: Python's `datetime.isoformat()` of the
/// time in the local zone, here UTC (a page has no other): `2026-12-03T10:15:30.123000+00:00`,
/// microseconds only when not zero (`2026-12-03T10:15:30+00:00`).
pub fn iso8601(epoch_seconds: f64) -> String {
    let micros = (epoch_seconds * 1e6).round() as i64;
    let Some(t) = chrono::DateTime::from_timestamp_micros(micros) else { return epoch_seconds.to_string() };
    let fraction = micros.rem_euclid(1_000_000);
    if fraction == 0 {
        format!("{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
    } else {
        format!("{}.{fraction:06}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_shell_quoting() {
        assert_eq!(words(r#"a 'b c' "d \"e\"" f\ g"#).unwrap(), ["a", "b c", "d \"e\"", "f g"]);
        assert_eq!(words(r#"--input '{"a": 1}'"#).unwrap(), ["--input", r#"{"a": 1}"#]);
        assert!(words("'open").is_err());
    }

    #[test]
    fn reads_the_aws_cli_flags() {
        let c = parse(r#"aws stepfunctions start-execution --state-machine-arn arn:aws:states:us-east-1:123456789012:stateMachine:M --input '{"n": 1}' --name run-1"#).unwrap();
        assert_eq!(c.operation, "StartExecution");
        assert_eq!(
            c.request,
            json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "input": "{\"n\": 1}", "name": "run-1"})
        );
        let c = parse("get-execution-history --execution-arn x --reverse-order --max-items 5 --no-include-execution-data").unwrap();
        assert_eq!(c.request, json!({"executionArn": "x", "reverseOrder": true, "maxResults": 5, "includeExecutionData": false}));
        let c = parse("tag-resource --resource-arn r --tags key=team,value=core key=env,value=dev").unwrap();
        assert_eq!(c.request["tags"], json!([{"key": "team", "value": "core"}, {"key": "env", "value": "dev"}]));
        let c = parse(r#"tag-resource --resource-arn r --tags '[{"key":"a","value":"b"}]'"#).unwrap();
        assert_eq!(c.request["tags"], json!([{"key": "a", "value": "b"}]));
        let c = parse("untag-resource --resource-arn r --tag-keys a b").unwrap();
        assert_eq!(c.request["tagKeys"], json!(["a", "b"]));
        let c = parse("create-state-machine --name M --definition '{}' --role-arn r --logging-configuration level=OFF,includeExecutionData=false").unwrap();
        assert_eq!(c.request["loggingConfiguration"], json!({"level": "OFF", "includeExecutionData": false}));
        let c = parse(r#"stepfunctions list-state-machines --region us-east-1 --cli-input-json '{"maxResults": 2}'"#).unwrap();
        assert_eq!(c.request, json!({"maxResults": 2}));
    }

    #[test]
    fn refuses_like_the_cli() {
        assert_eq!(
            parse("start-execution --name x").unwrap_err(),
            "aws: error: the following arguments are required: --state-machine-arn"
        );
        assert!(parse("frobnicate").unwrap_err().contains("Invalid choice 'frobnicate'"));
        assert!(parse("list-state-machines --bogus 1").unwrap_err().contains("unrecognized arguments: --bogus"));
        assert!(parse("list-state-machines --max-results x").unwrap_err().contains("invalid int value"));
        assert!(parse("create-state-machine --name M --definition file://m.json --role-arn r").unwrap_err().contains("paste the text"));
    }

    #[test]
    fn reads_versions_and_aliases() {
        let c = parse("create-state-machine-alias --name live --routing-configuration stateMachineVersionArn=arn:aws:states:us-east-1:1:stateMachine:m:1,weight=90 stateMachineVersionArn=arn:aws:states:us-east-1:1:stateMachine:m:2,weight=10").unwrap();
        assert_eq!(c.operation, "CreateStateMachineAlias");
        assert_eq!(
            c.request["routingConfiguration"],
            json!([{"stateMachineVersionArn": "arn:aws:states:us-east-1:1:stateMachine:m:1", "weight": 90}, {"stateMachineVersionArn": "arn:aws:states:us-east-1:1:stateMachine:m:2", "weight": 10}])
        );
        let c = parse(r#"update-state-machine-alias --state-machine-alias-arn a --routing-configuration '[{"stateMachineVersionArn": "v", "weight": 100}]'"#).unwrap();
        assert_eq!(c.request["routingConfiguration"][0]["weight"], 100);
        let c = parse("update-state-machine --state-machine-arn a --definition {} --publish --version-description d").unwrap();
        assert_eq!((&c.request["publish"], &c.request["versionDescription"]), (&json!(true), &json!("d")));
        let c = parse("publish-state-machine-version --state-machine-arn a --revision-id r").unwrap();
        assert_eq!(c.request, json!({"stateMachineArn": "a", "revisionId": "r"}));
        assert_eq!(complete("list-state-machine"), ["list-state-machine-aliases", "list-state-machine-versions", "list-state-machines"]);
        assert_eq!(complete("delete-state-machine-version --"), ["--state-machine-version-arn"]);
        assert_eq!(complete("validate-state-machine-definition --definition x --"), ["--type", "--severity", "--max-results"]);
    }

    #[test]
    fn knows_every_subcommand_of_aws_stepfunctions() {
        // `aws stepfunctions help` today (AWS CLI v2), less the CLI-only `help` and `wait`.
        let cli = [
            "create-activity", "create-state-machine", "create-state-machine-alias", "delete-activity",
            "delete-state-machine", "delete-state-machine-alias", "delete-state-machine-version",
            "describe-activity", "describe-execution", "describe-map-run", "describe-state-machine",
            "describe-state-machine-alias", "describe-state-machine-for-execution", "get-activity-task",
            "get-execution-history", "list-activities", "list-executions", "list-map-runs",
            "list-state-machine-aliases", "list-state-machine-versions", "list-state-machines",
            "list-tags-for-resource", "publish-state-machine-version", "redrive-execution",
            "send-task-failure", "send-task-heartbeat", "send-task-success", "start-execution",
            "start-sync-execution", "stop-execution", "tag-resource", "test-state", "untag-resource",
            "update-map-run", "update-state-machine", "update-state-machine-alias",
            "validate-state-machine-definition",
        ];
        let mut ours = subcommands();
        ours.sort_unstable();
        assert_eq!(ours, cli);
    }

    #[test]
    fn reads_map_run_commands() {
        let c = parse("update-map-run --map-run-arn m --max-concurrency 5 --tolerated-failure-percentage 12.5 --tolerated-failure-count 2").unwrap();
        assert_eq!(c.operation, "UpdateMapRun");
        assert_eq!(c.request, json!({"mapRunArn": "m", "maxConcurrency": 5, "toleratedFailurePercentage": 12.5, "toleratedFailureCount": 2}));
        assert!(parse("update-map-run --map-run-arn m --tolerated-failure-percentage lots").unwrap_err().contains("invalid float value: 'lots'"));
        let c = parse("list-map-runs --execution-arn e --max-items 1").unwrap();
        assert_eq!((c.operation.as_str(), c.request.clone()), ("ListMapRuns", json!({"executionArn": "e", "maxResults": 1})));
        assert_eq!(parse("describe-map-run --map-run-arn m").unwrap().request, json!({"mapRunArn": "m"}));
        assert_eq!(complete("update-map-run --map-run-arn m --"), ["--max-concurrency", "--tolerated-failure-percentage", "--tolerated-failure-count"]);
    }

    #[test]
    fn completes_subcommands_and_flags() {
        assert_eq!(complete("aws stepfunctions start-"), ["start-execution", "start-sync-execution"]);
        let flags = complete("start-execution --state-machine-arn x --");
        assert_eq!(flags, ["--name", "--input", "--trace-header"]);
        assert!(COMMANDS.iter().all(|(_, op, _)| crate::service::OPERATIONS.contains(op)));
        assert_eq!(subcommands().len(), crate::service::OPERATIONS.len());
    }

    #[test]
    fn the_prefix_is_optional() {
        let want = parse("list-executions --state-machine-arn a").unwrap();
        for line in [
            "aws stepfunctions list-executions --state-machine-arn a",
            "stepfunctions list-executions --state-machine-arn a",
            "  aws   stepfunctions   list-executions --state-machine-arn a ",
            "aws --region us-east-1 stepfunctions list-executions --state-machine-arn a --output json",
            "aws stepfunctions --no-cli-pager list-executions --state-machine-arn a",
        ] {
            assert_eq!(parse(line).as_ref(), Ok(&want), "{line}");
        }
        for line in ["aws", "aws stepfunctions", "stepfunctions", ""] {
            assert!(parse(line).unwrap_err().starts_with("usage: aws stepfunctions <subcommand>"), "{line:?}");
        }
    }

    #[test]
    fn timestamps_print_as_the_cli_v2_prints_them() {
        assert_eq!(iso8601(1_764_756_930.123), "2025-12-03T10:15:30.123000+00:00");
        assert_eq!(iso8601(1_764_756_930.0), "2025-12-03T10:15:30+00:00");
        assert_eq!(iso8601(0.5), "1970-01-01T00:00:00.500000+00:00");
        assert_eq!(iso8601(1_764_756_930.000_001), "2025-12-03T10:15:30.000001+00:00");
        let mut v = json!({"executions": [{"startDate": 1_764_756_930.5, "stopDate": 1_764_756_931, "name": "n"}],
            "events": [{"timestamp": 0, "id": 1, "executionStartedEventDetails": {"input": "{\"startDate\": 5}"}}],
            "creationDate": "already text", "redriveCount": 0});
        cli_output(&mut v);
        assert_eq!(
            v,
            json!({"executions": [{"startDate": "2025-12-03T10:15:30.500000+00:00", "stopDate": "2025-12-03T10:15:31+00:00", "name": "n"}],
                "events": [{"timestamp": "1970-01-01T00:00:00+00:00", "id": 1, "executionStartedEventDetails": {"input": "{\"startDate\": 5}"}}],
                "creationDate": "already text", "redriveCount": 0})
        );
    }

    #[test]
    fn answers_carry_iso_timestamps_and_the_raw_answer_numbers() {
        let mut s = crate::service::Service::new(Default::default());
        let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"End":true}}}"#;
        let sm = run(&mut s, &format!("create-state-machine --name M --definition '{def}' --role-arn arn:aws:iam::123456789012:role/R")).unwrap();
        // The service starts its clock at 2025-01-01T00:00:00Z.
        assert_eq!(sm["creationDate"], "2025-01-01T00:00:00+00:00");
        let arn = sm["stateMachineArn"].as_str().unwrap();
        let started = run(&mut s, &format!("aws stepfunctions start-execution --state-machine-arn {arn}")).unwrap();
        assert!(started["executionArn"].is_string(), "the page reads executionArn from the answer");
        assert!(started["startDate"].as_str().is_some_and(|d| d.starts_with("2025-01-01T00:00:00") && d.ends_with("+00:00")), "{started}");
        s.run_to_quiescence(i64::MAX);
        let exec = started["executionArn"].as_str().unwrap();
        let d = run(&mut s, &format!("describe-execution --execution-arn {exec}")).unwrap();
        assert_eq!(d["status"], "SUCCEEDED");
        assert!(d["stopDate"].as_str().is_some_and(|t| t.starts_with("2025-01-01T00:00:02")), "{d}");
        let h = run(&mut s, &format!("get-execution-history --execution-arn {exec}")).unwrap();
        assert!(h["events"].as_array().unwrap().iter().all(|e| e["timestamp"].as_str().is_some_and(|t| t.ends_with("+00:00"))), "{h}");
        let l = run(&mut s, &format!("list-executions --state-machine-arn {arn}")).unwrap();
        assert!(l["executions"][0]["startDate"].is_string());
        let raw = run_raw(&mut s, &format!("describe-execution --execution-arn {exec}")).unwrap();
        assert!(raw["startDate"].is_number() && raw["stopDate"].is_number());
    }

    #[test]
    fn test_state_runs_one_state() {
        assert_eq!(complete("aws stepfunctions test-"), ["test-state"]);
        let flags = complete("test-state --definition x --");
        assert!(flags.contains(&"--inspection-level".to_string()) && flags.contains(&"--state-name".to_string()), "{flags:?}");
        let mut s = crate::service::Service::new(Default::default());
        let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.r","Next":"U"},"U":{"Type":"Succeed"}}}"#;
        let mock = r#"{"result":"{\"ok\":true}"}"#;
        let line = format!("aws stepfunctions test-state --definition '{def}' --role-arn arn:aws:iam::123456789012:role/R --input '{{\"a\":1}}' --state-name T --inspection-level DEBUG --mock '{mock}'");
        let out = run(&mut s, &line).unwrap();
        assert_eq!(out["status"], "SUCCEEDED");
        assert_eq!(out["nextState"], "U");
        assert_eq!(out["output"], r#"{"a":1,"r":{"ok":true}}"#);
        assert_eq!(out["inspectionData"]["result"], r#"{"ok":true}"#);
        let err = run(&mut s, r#"test-state --definition '{"Type":"Pass","End":true}' --mock '{"result":"1"}'"#).unwrap_err();
        assert!(err.contains("(ValidationException) when calling the TestState operation"), "{err}");
    }

    #[test]
    fn runs_against_the_service() {
        let mut s = crate::service::Service::new(Default::default());
        let def = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;
        let out = run(&mut s, &format!("aws stepfunctions create-state-machine --name M --definition '{def}' --role-arn arn:aws:iam::123456789012:role/R")).unwrap();
        assert!(out["stateMachineArn"].is_string());
        let err = run(&mut s, "aws stepfunctions describe-execution --execution-arn nope").unwrap_err();
        assert_eq!(err, "An error occurred (InvalidArn) when calling the DescribeExecution operation: Invalid Arn: 'Invalid ARN prefix: nope'");
    }
}
