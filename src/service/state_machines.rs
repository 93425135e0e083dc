//! State machines: CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
//! DeleteStateMachine, ListStateMachines.

use super::arn::Arn;
use super::error::ServiceError;
use super::pagination::cursor;
use super::request::Request;
use super::tags::parse_tags;
use super::{load_definition, Service, StateMachineRecord};
use crate::asl::model::Machine;
use crate::asl::validate::{forbidden_name_char, MachineType};
use serde_json::{json, Value};
use std::ops::Bound;
use std::sync::Arc;

/// Names of state machines, executions and activities: 1–80 characters, none of AWS's forbidden ones.
pub(crate) fn check_name(name: &str) -> Result<(), ServiceError> {
    let n = name.chars().count();
    if n == 0 || n > 80 || name.chars().any(forbidden_name_char) {
        return Err(ServiceError::invalid_name(name));
    }
    Ok(())
}

fn default_logging() -> Value {
    json!({"level": "OFF", "includeExecutionData": false})
}

fn default_tracing() -> Value {
    json!({"enabled": false})
}

/// The logging configuration as Describe echoes it, checked as AWS checks it.
fn logging_configuration(v: Option<&Value>) -> Result<Value, ServiceError> {
    let Some(v) = v else {
        return Ok(default_logging());
    };
    let r = Request(v);
    let level = r
        .opt_enum("level", &["ALL", "ERROR", "FATAL", "OFF"])
        .map_err(|e| {
            ServiceError::new("ValidationException", e.message.replace("'level'", "'loggingConfiguration.level'"))
        })?
        .unwrap_or("OFF");
    let include = r.opt_bool("includeExecutionData")?.unwrap_or(false);
    let destinations = v.get("destinations").and_then(Value::as_array).cloned().unwrap_or_default();
    if level != "OFF" && destinations.len() != 1 {
        return Err(ServiceError::new(
            "InvalidLoggingConfiguration",
            "Invalid Logging Configuration: Must specify exactly one Log Destination.",
        ));
    }
    let mut out = json!({"level": level, "includeExecutionData": include});
    if !destinations.is_empty() {
        for d in &destinations {
            let group = d["cloudWatchLogsLogGroup"]["logGroupArn"].as_str().unwrap_or("");
            if !group.starts_with("arn:") || !group.ends_with(":*") {
                return Err(ServiceError::new(
                    "InvalidLoggingConfiguration",
                    "Invalid Logging Configuration: Log Destination not found.",
                ));
            }
        }
        out["destinations"] = Value::Array(destinations);
    }
    Ok(out)
}

fn tracing_configuration(v: Option<&Value>) -> Result<Value, ServiceError> {
    match v {
        None => Ok(default_tracing()),
        Some(v) => Ok(json!({"enabled": Request(v).opt_bool("enabled")?.unwrap_or(false)})),
    }
}

/// AWS's quota of state machines per account and region (aws-facts §3.14).
pub const MAX_STATE_MACHINES: usize = 10_000;

fn load(definition: &str, express: bool) -> Result<Arc<Machine>, ServiceError> {
    load_definition(definition, if express { MachineType::Express } else { MachineType::Standard })
}

impl Service {
    /// The state machine an unqualified ARN names; a version or alias ARN (versions.rs) is not one.
    pub(crate) fn state_machine_arn(&self, text: &str) -> Result<String, ServiceError> {
        let arn = Arn::expect(text, &["stateMachine"])?;
        if arn.parts.len() != 1 {
            return Err(ServiceError::new(
                "StateMachineDoesNotExist",
                format!("State Machine Does Not Exist: '{text}'"),
            ));
        }
        Ok(text.to_string())
    }

    pub(crate) fn existing_state_machine(&self, text: &str) -> Result<&StateMachineRecord, ServiceError> {
        let arn = self.state_machine_arn(text)?;
        self.state_machines.get(&arn).ok_or_else(|| {
            ServiceError::new("StateMachineDoesNotExist", format!("State Machine Does Not Exist: '{text}'"))
        })
    }

    pub(crate) fn create_state_machine(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let name = r.string("name", 1, 80).map_err(|e| match e.code {
            "ValidationException" if req.get("name").is_some() => ServiceError::invalid_name(req["name"].as_str().unwrap_or("")),
            _ => e,
        })?;
        let definition = r.sensitive_string("definition", 1, 1_048_576)?;
        let role_arn = r.string("roleArn", 1, 256)?;
        let express = r.opt_enum("type", &["STANDARD", "EXPRESS"])? == Some("EXPRESS");
        let logging = logging_configuration(r.opt_value("loggingConfiguration"))?;
        let tracing = tracing_configuration(r.opt_value("tracingConfiguration"))?;
        let tags = parse_tags(r.opt_value("tags"))?;
        let publish = r.opt_bool("publish")?.unwrap_or(false);
        let version_description = r.opt_string("versionDescription", 0, 256)?;
        if version_description.is_some() && !publish {
            return Err(ServiceError::new("ValidationException", "Version description can only be set when publish is true"));
        }
        check_name(name)?;
        if !role_arn.starts_with("arn:") {
            return Err(ServiceError::invalid_arn(format!("Invalid ARN prefix: {role_arn}")));
        }
        let arn = self.scope.state_machine(name);
        if let Some(existing) = self.state_machines.get(&arn) {
            if existing.deleting {
                return Err(ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{arn}'")));
            }
            // Idempotent only for the very same text, type and configurations (tags and role ignored).
            let created_with = self.published.get(&arn).and_then(|p| p.created_with.clone());
            if existing.definition == definition
                && existing.express == express
                && existing.logging == logging
                && existing.tracing == tracing
                && created_with == publish.then(|| version_description.map(str::to_string))
            {
                let mut out = json!({"stateMachineArn": arn, "creationDate": Service::date(existing.created_ms)});
                if publish {
                    out["stateMachineVersionArn"] = json!(self.publish(&arn, version_description)?.0);
                }
                return Ok(out);
            }
            return Err(ServiceError::new("StateMachineAlreadyExists", format!("State Machine Already Exists: '{arn}'")));
        }
        if self.state_machines.len() >= MAX_STATE_MACHINES {
            return Err(ServiceError::new(
                "StateMachineLimitExceeded",
                "The maximum number of state machines has been reached. Existing state machines must be deleted before a new state machine can be created.",
            ));
        }
        let machine = load(definition, express)?;
        let now = self.now_ms;
        self.state_machines.insert(
            arn.clone(),
            StateMachineRecord {
                arn: arn.clone(),
                name: name.to_string(),
                definition: definition.to_string(),
                machine,
                role_arn: role_arn.to_string(),
                express,
                created_ms: now,
                updated_ms: now,
                logging,
                tracing,
                revision_id: None,
                deleting: false,
                tags,
            },
        );
        let mut out = json!({"stateMachineArn": arn, "creationDate": Service::date(now)});
        if publish {
            out["stateMachineVersionArn"] = json!(self.publish(&arn, version_description)?.0);
            if let Some(p) = self.published.get_mut(&arn) {
                p.created_with = Some(version_description.map(str::to_string));
            }
        }
        Ok(out)
    }

    pub(crate) fn describe_state_machine(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineArn", 1, 2000)?;
        let metadata_only = r.opt_enum("includedData", &["ALL_DATA", "METADATA_ONLY"])? == Some("METADATA_ONLY");
        if let Some(out) = self.describe_version(arn, metadata_only)? {
            return Ok(out);
        }
        let sm = self.existing_state_machine(arn)?;
        let mut out = json!({
            "stateMachineArn": sm.arn,
            "name": sm.name,
            "status": if sm.deleting { "DELETING" } else { "ACTIVE" },
            "definition": if metadata_only { "{}" } else { sm.definition.as_str() },
            "roleArn": sm.role_arn,
            "type": if sm.express { "EXPRESS" } else { "STANDARD" },
            "creationDate": Service::date(sm.created_ms),
            "loggingConfiguration": sm.logging,
            "tracingConfiguration": sm.tracing,
        });
        if let Some(rev) = &sm.revision_id {
            out["revisionId"] = json!(rev);
        }
        if let Some(refs) = super::variables::variable_references(&sm.definition).filter(|_| !metadata_only) {
            out["variableReferences"] = refs;
        }
        Ok(out)
    }

    pub(crate) fn update_state_machine(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineArn", 1, 256)?.to_string();
        let definition = r.opt_sensitive_string("definition", 1, 1_048_576)?;
        let role_arn = r.opt_string("roleArn", 1, 256)?;
        let logging = r.opt_value("loggingConfiguration");
        let tracing = r.opt_value("tracingConfiguration");
        let publish = r.opt_bool("publish")? == Some(true);
        let version_description = r.opt_string("versionDescription", 0, 256)?;
        if version_description.is_some() && !publish {
            return Err(ServiceError::new("ValidationException", "Version description can only be set when publish is true"));
        }
        let sm = self.existing_state_machine(&arn)?.clone();
        if sm.deleting {
            return Err(ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{arn}'")));
        }
        if definition.is_none() && role_arn.is_none() && logging.is_none() && tracing.is_none() {
            return Err(ServiceError::new(
                "MissingRequiredParameter",
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified",
            ));
        }
        let mut next = sm.clone();
        if let Some(d) = definition {
            next.machine = load(d, sm.express)?;
            next.definition = d.to_string();
        }
        if let Some(role) = role_arn {
            if !role.starts_with("arn:") {
                return Err(ServiceError::invalid_arn(format!("Invalid ARN prefix: {role}")));
            }
            next.role_arn = role.to_string();
        }
        if logging.is_some() {
            next.logging = logging_configuration(logging)?;
        }
        if tracing.is_some() {
            next.tracing = tracing_configuration(tracing)?;
        }
        let changed = next.definition != sm.definition
            || next.role_arn != sm.role_arn
            || next.logging != sm.logging
            || next.tracing != sm.tracing;
        // The revision changes with the state machine; an update that changes nothing keeps it
        // (none at all, before the first change).
        if changed {
            next.revision_id = Some(self.uuid());
        }
        next.updated_ms = self.now_ms;
        let mut out = json!({"updateDate": Service::date(next.updated_ms)});
        if let Some(rev) = &next.revision_id {
            out["revisionId"] = json!(rev);
        }
        self.state_machines.insert(arn.clone(), next);
        if publish {
            out["stateMachineVersionArn"] = json!(self.publish(&arn, version_description)?.0);
        }
        Ok(out)
    }

    pub(crate) fn delete_state_machine(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = Request(req).string("stateMachineArn", 1, 256)?.to_string();
        let parsed = Arn::expect(&arn, &["stateMachine"])?;
        if parsed.parts.len() != 1 {
            return Err(ServiceError::new("ValidationException", format!("Invalid Arn: 'Qualified state machine ARNs are not supported here: {arn}'")));
        }
        if let Some(sm) = self.state_machines.get_mut(&arn) {
            sm.deleting = true;
            self.deleting.insert(arn);
        }
        self.forget_deleted();
        Ok(json!({}))
    }

    /// Deleted state machines disappear once none of their executions still runs.
    pub(crate) fn forget_deleted(&mut self) {
        let gone: Vec<String> = self.deleting.iter().filter(|arn| !self.executions.any_running(arn)).cloned().collect();
        for arn in gone {
            self.deleting.remove(&arn);
            self.state_machines.remove(&arn);
            self.published.remove(&arn);
        }
    }

    /// In ARN order (that is, by name); the token holds the last ARN listed.
    pub(crate) fn list_state_machines(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let c = cursor(&Request(req), "ListStateMachines", 1024)?;
        let after: Option<String> = c.after()?;
        let from = after.as_ref().map_or(Bound::Unbounded, Bound::Excluded);
        let machines = self.state_machines.range::<String, _>((from, Bound::Unbounded)).map(|(_, s)| s);
        let (items, next) = c.page(machines, |s| s.arn.clone(), |s| {
            json!({
                "stateMachineArn": s.arn,
                "name": s.name,
                "type": if s.express { "EXPRESS" } else { "STANDARD" },
                "creationDate": Service::date(s.created_ms),
            })
        });
        let mut out = json!({"stateMachines": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }
}
