//! State machine versions: `publish` on CreateStateMachine and UpdateStateMachine,
//! PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion,
//! DescribeStateMachine on a version ARN, and what StartExecution and ListExecutions make of a
//! qualified ARN (`<state machine ARN>:<version number>` or `:<alias name>`).
//!
//! A version is a snapshot of the state machine at one revision. Its number counts up per state
//! machine and is never reused (a deleted :2 is followed by :3). Publishing a revision that already
//! has a version returns that version. The revision of a state machine never updated is `INITIAL`
//! for `revisionId` checks.

use super::arn::Arn;
use super::error::ServiceError;
use super::pagination::cursor;
use super::request::Request;
use super::{ExecutionRecord, Service, StateMachineRecord};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A state machine may have at most this many versions.
const MAX_VERSIONS: usize = 1000;

#[derive(Debug, Clone)]
pub(crate) struct VersionRecord {
    pub arn: String,
    /// The state machine as published (its `arn` is the unqualified one).
    pub machine: StateMachineRecord,
    pub description: Option<String>,
    pub created_ms: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct AliasRecord {
    /// Counts up per state machine in creation order.
    pub number: u64,
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
    /// (version ARN, weight), as given.
    pub routing: Vec<(String, u64)>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// The versions and aliases of one state machine.
#[derive(Debug, Clone, Default)]
pub(crate) struct Published {
    /// The number the next version gets.
    pub next: u64,
    pub versions: BTreeMap<u64, VersionRecord>,
    /// In creation order (ListStateMachineAliases' order).
    pub aliases: Vec<AliasRecord>,
    /// The creation number the next alias gets (ListStateMachineAliases' sort key).
    pub next_alias: u64,
    /// The versionDescription of a CreateStateMachine with `publish` (`Some(None)` without a
    /// description): part of what makes a repeated create idempotent.
    pub created_with: Option<Option<String>>,
}

/// What a qualified state machine ARN names.
pub(crate) enum Qualifier {
    None,
    Version(u64),
    Alias(String),
}

/// Splits `arn:…:stateMachine:<name>[:<qualifier>]`; a qualifier of digits is a version number.
pub(crate) fn qualifier(text: &str) -> Result<(Arn, Qualifier), ServiceError> {
    let arn = Arn::expect(text, &["stateMachine"])?;
    let q = match arn.parts.as_slice() {
        [_] => Qualifier::None,
        [_, q] if !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()) => match q.parse() {
            Ok(n) => Qualifier::Version(n),
            Err(_) => return Err(does_not_exist(text)),
        },
        [_, q] => Qualifier::Alias(q.clone()),
        _ => return Err(ServiceError::invalid_arn(text)),
    };
    Ok((arn, q))
}

/// The unqualified ARN of a parsed state machine ARN.
pub(crate) fn base_arn(arn: &Arn) -> String {
    format!("arn:{}:states:{}:{}:stateMachine:{}", arn.partition, arn.region, arn.account, arn.parts[0])
}

pub(crate) fn does_not_exist(text: &str) -> ServiceError {
    ServiceError::new("StateMachineDoesNotExist", format!("State Machine Does Not Exist: '{text}'"))
}

fn deleting(arn: &str) -> ServiceError {
    ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{arn}'"))
}

impl Service {
    /// Publishes the state machine's current revision, or returns the version that already holds
    /// it: (version ARN, creation time).
    pub(crate) fn publish(&mut self, sm_arn: &str, description: Option<&str>) -> Result<(String, i64), ServiceError> {
        let sm = self.state_machines.get(sm_arn).ok_or_else(|| does_not_exist(sm_arn))?.clone();
        let now = self.now_ms;
        let p = self.published.entry(sm_arn.to_string()).or_insert_with(|| Published { next: 1, ..Default::default() });
        if let Some(v) = p.versions.values().rev().find(|v| v.machine.revision_id == sm.revision_id) {
            return Ok((v.arn.clone(), v.created_ms));
        }
        if p.versions.len() >= MAX_VERSIONS {
            return Err(ServiceError::new(
                "ServiceQuotaExceededException",
                format!("The maximum number of versions ({MAX_VERSIONS}) of state machine '{sm_arn}' has been reached"),
            ));
        }
        let n = p.next;
        p.next += 1;
        let arn = format!("{sm_arn}:{n}");
        p.versions.insert(
            n,
            VersionRecord { arn: arn.clone(), machine: sm, description: description.map(str::to_string), created_ms: now },
        );
        Ok((arn, now))
    }

    pub(crate) fn publish_state_machine_version(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineArn", 1, 256)?.to_string();
        let revision = r.opt_string("revisionId", 0, 256)?;
        let description = r.opt_string("description", 0, 256)?;
        let sm = self.existing_state_machine(&arn)?;
        if sm.deleting {
            return Err(deleting(&arn));
        }
        let current = sm.revision_id.clone().unwrap_or_else(|| "INITIAL".into());
        if let Some(given) = revision {
            if given != current {
                return Err(ServiceError::new(
                    "ConflictException",
                    format!("Failed to publish the State Machine version for revision {given}. The current State Machine revision is {current}."),
                ));
            }
        }
        let (version_arn, created) = self.publish(&arn, description)?;
        Ok(json!({"creationDate": Service::date(created), "stateMachineVersionArn": version_arn}))
    }

    pub(crate) fn list_state_machine_versions(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineArn", 1, 256)?;
        let (parsed, q) = qualifier(arn)?;
        if !matches!(q, Qualifier::None) {
            return Err(ServiceError::new("ValidationException", format!("Invalid Arn: 'Qualified state machine ARNs are not supported here: {arn}'")));
        }
        let base = base_arn(&parsed);
        // Newest first; the token holds the last version number listed.
        let c = cursor(&r, &format!("ListStateMachineVersions|{base}"), 1024)?;
        let before: Option<u64> = c.after()?;
        let versions = self
            .published
            .get(&base)
            .filter(|_| self.state_machines.contains_key(&base))
            .into_iter()
            .flat_map(|p| p.versions.range(..before.unwrap_or(u64::MAX)).rev());
        let (items, next) = c.page(versions, |(n, _)| **n, |(_, v)| {
            json!({"stateMachineVersionArn": v.arn, "creationDate": Service::date(v.created_ms)})
        });
        let mut out = json!({"stateMachineVersions": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }

    pub(crate) fn delete_state_machine_version(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineVersionArn", 1, 2000)?;
        let (parsed, q) = qualifier(arn)?;
        let Qualifier::Version(n) = q else {
            return Err(ServiceError::new("ValidationException", format!("Invalid Arn: 'Not a state machine version ARN: {arn}'")));
        };
        let base = base_arn(&parsed);
        let Some(p) = self.published.get_mut(&base) else { return Ok(json!({})) };
        let referencing: Vec<&str> =
            p.aliases.iter().filter(|a| a.routing.iter().any(|(v, _)| v == arn)).map(|a| a.name.as_str()).collect();
        if !referencing.is_empty() {
            return Err(ServiceError::new(
                "ConflictException",
                format!(
                    "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [{}]",
                    referencing.join(", ")
                ),
            ));
        }
        p.versions.remove(&n);
        Ok(json!({}))
    }

    /// A live version by its ARN.
    pub(crate) fn version(&self, text: &str) -> Option<&VersionRecord> {
        let (parsed, Qualifier::Version(n)) = qualifier(text).ok()? else { return None };
        let base = base_arn(&parsed);
        self.state_machines.get(&base)?;
        self.published.get(&base)?.versions.get(&n)
    }

    /// DescribeStateMachine of a version ARN; None for an ARN that is not one (the caller
    /// answers those).
    pub(crate) fn describe_version(&self, text: &str, metadata_only: bool) -> Result<Option<Value>, ServiceError> {
        let Ok((_, Qualifier::Version(_))) = qualifier(text) else { return Ok(None) };
        let v = self.version(text).ok_or_else(|| does_not_exist(text))?;
        let sm = &v.machine;
        let mut out = json!({
            "stateMachineArn": v.arn,
            "name": sm.name,
            "status": "ACTIVE",
            "definition": if metadata_only { "{}" } else { sm.definition.as_str() },
            "roleArn": sm.role_arn,
            "type": if sm.express { "EXPRESS" } else { "STANDARD" },
            "creationDate": Service::date(v.created_ms),
            "loggingConfiguration": sm.logging,
            "tracingConfiguration": sm.tracing,
        });
        if let Some(rev) = &sm.revision_id {
            out["revisionId"] = json!(rev);
        }
        if let Some(d) = &v.description {
            out["description"] = json!(d);
        }
        if let Some(refs) = super::variables::variable_references(&sm.definition).filter(|_| !metadata_only) {
            out["variableReferences"] = refs;
        }
        Ok(Some(out))
    }

    /// What StartExecution runs for a state machine, version or alias ARN: the state machine as it
    /// is, or as published, and the version and alias ARNs the execution records. An alias picks
    /// one of its versions with the service's seeded generator, by weight.
    pub(crate) fn execution_target(&mut self, text: &str) -> Result<(StateMachineRecord, Option<String>, Option<String>), ServiceError> {
        let (parsed, q) = qualifier(text)?;
        let base = base_arn(&parsed);
        let sm = self.state_machines.get(&base).ok_or_else(|| does_not_exist(text))?;
        if sm.deleting {
            return Err(deleting(&base));
        }
        let version_arn = match q {
            Qualifier::None => return Ok((sm.clone(), None, None)),
            Qualifier::Version(_) => text.to_string(),
            Qualifier::Alias(name) => {
                let alias = self
                    .published
                    .get(&base)
                    .and_then(|p| p.aliases.iter().find(|a| a.name == name))
                    .ok_or_else(|| does_not_exist(text))?
                    .clone();
                let pick = self.random_u64() % 100;
                let mut sum = 0;
                let mut chosen = alias.routing[0].0.clone();
                for (v, w) in &alias.routing {
                    sum += w;
                    if pick < sum {
                        chosen = v.clone();
                        break;
                    }
                }
                let v = self.version(&chosen).ok_or_else(|| does_not_exist(&chosen))?;
                return Ok((v.machine.clone(), Some(chosen), Some(text.to_string())));
            }
        };
        let v = self.version(&version_arn).ok_or_else(|| does_not_exist(text))?;
        Ok((v.machine.clone(), Some(version_arn), None))
    }

    /// The unqualified state machine a (possibly qualified) ARN belongs to, checking that the
    /// version or alias exists: ListExecutions takes all three.
    pub(crate) fn listed_state_machine(&self, text: &str) -> Result<&StateMachineRecord, ServiceError> {
        let (parsed, q) = qualifier(text)?;
        let base = base_arn(&parsed);
        let sm = self.state_machines.get(&base).ok_or_else(|| does_not_exist(text))?;
        let exists = match q {
            Qualifier::None => true,
            Qualifier::Version(_) => self.version(text).is_some(),
            Qualifier::Alias(name) => self.published.get(&base).is_some_and(|p| p.aliases.iter().any(|a| a.name == name)),
        };
        if exists {
            Ok(sm)
        } else {
            Err(does_not_exist(text))
        }
    }
}

/// The version and alias members of DescribeExecution and ListExecutions' items.
pub(crate) fn add_qualified(out: &mut Value, e: &ExecutionRecord) {
    if let Some(v) = &e.version_arn {
        out["stateMachineVersionArn"] = json!(v);
    }
    if let Some(a) = &e.alias_arn {
        out["stateMachineAliasArn"] = json!(a);
    }
}

#[cfg(test)]
mod tests;
