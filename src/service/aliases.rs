//! State machine aliases: CreateStateMachineAlias, DescribeStateMachineAlias,
//! UpdateStateMachineAlias, DeleteStateMachineAlias, ListStateMachineAliases.
//!
//! An alias (`<state machine ARN>:<name>`) routes executions to one version, or to two with
//! weights that sum to 100; StartExecution on it picks by weight with the service's seeded
//! generator (versions.rs, `execution_target`), so a run replays. A version an alias routes to
//! cannot be deleted (DeleteStateMachineVersion's ConflictException).

use super::error::ServiceError;
use super::pagination::cursor;
use super::request::Request;
use super::versions::{base_arn, does_not_exist, qualifier, AliasRecord, Published, Qualifier};
use super::Service;
use serde_json::{json, Value};

/// A state machine may have at most this many aliases.
const MAX_ALIASES: usize = 100;

const NAME_PATTERN: &str = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";

fn not_found() -> ServiceError {
    ServiceError::new("ResourceNotFound", "Request references a resource that does not exist.")
}

fn check_alias_name(name: &str) -> Result<(), ServiceError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-.".contains(c);
    if !name.chars().all(allowed) || name.chars().all(|c| c.is_ascii_digit()) {
        return Err(ServiceError::validation(
            &format!("'{name}'"),
            "name",
            &format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
        ));
    }
    Ok(())
}

/// The routing configuration as the request gives it, checked as AWS checks it: the shape first
/// (1–2 items, weights 0–100), then that every ARN names a distinct version and the weights sum
/// to 100.
fn routing(v: Option<&Value>) -> Result<Vec<(String, u64)>, ServiceError> {
    let Some(v) = v else {
        return Err(ServiceError::validation("null", "routingConfiguration", "Member must not be null"));
    };
    let Some(items) = v.as_array() else {
        return Err(ServiceError::new(
            "SerializationException",
            "Unexpected value type for 'routingConfiguration': expected a list",
        ));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let r = Request(item);
        let arn = r.string("stateMachineVersionArn", 1, 2000).map_err(|e| at_item(e, i))?;
        let weight = match item.get("weight") {
            None | Some(Value::Null) => {
                return Err(ServiceError::validation("null", &format!("routingConfiguration.{}.member.weight", i + 1), "Member must not be null"))
            }
            Some(w) => w.as_i64().ok_or_else(|| {
                ServiceError::new("SerializationException", "Unexpected value type for 'weight': expected an integer")
            })?,
        };
        let member = format!("routingConfiguration.{}.member.weight", i + 1);
        if weight < 0 {
            return Err(ServiceError::validation(&format!("'{weight}'"), &member, "Member must have value greater than or equal to 0"));
        }
        if weight > 100 {
            return Err(ServiceError::validation(&format!("'{weight}'"), &member, "Member must have value less than or equal to 100"));
        }
        out.push((arn.to_string(), weight as u64));
    }
    let shown = || {
        let items: Vec<String> = out
            .iter()
            .map(|(a, w)| format!("RoutingConfigurationListItem(stateMachineVersionArn={a}, weight={w})"))
            .collect();
        format!("'[{}]'", items.join(", "))
    };
    if out.is_empty() {
        return Err(ServiceError::validation(&shown(), "routingConfiguration", "Member must have length greater than or equal to 1"));
    }
    if out.len() > 2 {
        return Err(ServiceError::validation(&shown(), "routingConfiguration", "Member must have length less than or equal to 2"));
    }
    let arns: Vec<&str> = out.iter().map(|(a, _)| a.as_str()).collect();
    let is_version = |a: &str| matches!(qualifier(a), Ok((_, Qualifier::Version(_))));
    if !arns.iter().all(|a| is_version(a)) {
        return Err(ServiceError::new(
            "ValidationException",
            format!("Routing configuration must contain state machine version ARNs. Received: [{}]", arns.join(", ")),
        ));
    }
    if arns.len() == 2 && arns[0] == arns[1] {
        return Err(ServiceError::new(
            "ValidationException",
            format!("Routing configuration must contain distinct state machine version ARNs. Received: [{}]", arns.join(", ")),
        ));
    }
    if out.iter().map(|(_, w)| w).sum::<u64>() != 100 {
        let weights: Vec<String> = out.iter().map(|(_, w)| w.to_string()).collect();
        return Err(ServiceError::new(
            "ValidationException",
            format!("Sum of routing configuration weights must equal 100. Received: [{}]", weights.join(", ")),
        ));
    }
    Ok(out)
}

/// A member error of routing item `i` named as Coral names it.
fn at_item(e: ServiceError, i: usize) -> ServiceError {
    let member = format!("'routingConfiguration.{}.member.stateMachineVersionArn'", i + 1);
    ServiceError::new(e.code, e.message.replace("'stateMachineVersionArn'", &member))
}

fn routing_json(routing: &[(String, u64)]) -> Value {
    Value::Array(routing.iter().map(|(a, w)| json!({"stateMachineVersionArn": a, "weight": w})).collect())
}

impl Service {
    /// The state machine all of `routing`'s versions belong to, once each exists.
    fn routed_state_machine(&self, routing: &[(String, u64)]) -> Result<String, ServiceError> {
        let mut base: Option<String> = None;
        for (arn, _) in routing {
            let (parsed, _) = qualifier(arn)?;
            let b = base_arn(&parsed);
            if base.as_ref().is_some_and(|x| *x != b) {
                return Err(ServiceError::new(
                    "ValidationException",
                    format!(
                        "Routing configuration must contain versions of one state machine. Received: [{}]",
                        routing.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            if self.version(arn).is_none() {
                return Err(not_found());
            }
            base = Some(b);
        }
        base.ok_or_else(not_found)
    }

    /// The alias an ARN names: (unqualified state machine ARN, index in its aliases).
    fn alias_at(&self, text: &str) -> Result<Option<(String, usize)>, ServiceError> {
        let (parsed, q) = qualifier(text)?;
        let Qualifier::Alias(name) = q else {
            return Err(ServiceError::new("ValidationException", format!("Invalid Arn: 'Not a state machine alias ARN: {text}'")));
        };
        let base = base_arn(&parsed);
        if !self.state_machines.contains_key(&base) {
            return Ok(None);
        }
        Ok(self.published.get(&base).and_then(|p| p.aliases.iter().position(|a| a.name == name)).map(|i| (base, i)))
    }

    pub(crate) fn create_state_machine_alias(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let description = r.opt_string("description", 0, 256)?.map(str::to_string);
        let name = r.string("name", 1, 80)?;
        check_alias_name(name)?;
        let routing = routing(r.opt_value("routingConfiguration"))?;
        let base = self.routed_state_machine(&routing)?;
        if self.state_machines.get(&base).is_some_and(|s| s.deleting) {
            return Err(ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{base}'")));
        }
        let now = self.now_ms;
        let p = self.published.entry(base.clone()).or_insert_with(|| Published { next: 1, ..Default::default() });
        if let Some(a) = p.aliases.iter().find(|a| a.name == name) {
            if a.routing == routing && a.description == description {
                return Ok(json!({"stateMachineAliasArn": a.arn, "creationDate": Service::date(a.created_ms)}));
            }
            return Err(ServiceError::new(
                "ConflictException",
                "Failed to create alias because an alias with the same name and a different routing configuration already exists.",
            ));
        }
        if p.aliases.len() >= MAX_ALIASES {
            return Err(ServiceError::new(
                "ServiceQuotaExceededException",
                format!("The maximum number of aliases ({MAX_ALIASES}) of state machine '{base}' has been reached"),
            ));
        }
        let arn = format!("{base}:{name}");
        p.next_alias += 1;
        p.aliases.push(AliasRecord {
            number: p.next_alias,
            arn: arn.clone(),
            name: name.to_string(),
            description,
            routing,
            created_ms: now,
            updated_ms: now,
        });
        Ok(json!({"stateMachineAliasArn": arn, "creationDate": Service::date(now)}))
    }

    pub(crate) fn describe_state_machine_alias(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = Request(req).string("stateMachineAliasArn", 1, 256)?;
        let (base, i) = self.alias_at(arn)?.ok_or_else(not_found)?;
        let a = &self.published[&base].aliases[i];
        let mut out = json!({
            "stateMachineAliasArn": a.arn,
            "name": a.name,
            "routingConfiguration": routing_json(&a.routing),
            "creationDate": Service::date(a.created_ms),
            "updateDate": Service::date(a.updated_ms),
        });
        if let Some(d) = &a.description {
            out["description"] = json!(d);
        }
        Ok(out)
    }

    pub(crate) fn update_state_machine_alias(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineAliasArn", 1, 256)?;
        let description = r.opt_string("description", 0, 256)?.map(str::to_string);
        let routing = match r.opt_value("routingConfiguration") {
            Some(v) => Some(routing(Some(v))?),
            None => None,
        };
        if description.is_none() && routing.is_none() {
            return Err(ServiceError::new(
                "ValidationException",
                "Either the description or the routing configuration must be specified",
            ));
        }
        let (base, i) = self.alias_at(arn)?.ok_or_else(not_found)?;
        if self.state_machines.get(&base).is_some_and(|s| s.deleting) {
            return Err(ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{base}'")));
        }
        if let Some(routing) = &routing {
            if self.routed_state_machine(routing)? != base {
                return Err(ServiceError::new(
                    "ValidationException",
                    "Routing configuration must contain versions of the alias's state machine",
                ));
            }
        }
        let now = self.now_ms;
        let a = &mut self.published.get_mut(&base).expect("alias found").aliases[i];
        if let Some(d) = description {
            a.description = Some(d);
        }
        if let Some(routing) = routing {
            a.routing = routing;
        }
        a.updated_ms = now;
        Ok(json!({"updateDate": Service::date(now)}))
    }

    pub(crate) fn delete_state_machine_alias(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let arn = Request(req).string("stateMachineAliasArn", 1, 256)?;
        if let Some((base, i)) = self.alias_at(arn)? {
            self.published.get_mut(&base).expect("alias found").aliases.remove(i);
        }
        Ok(json!({}))
    }

    pub(crate) fn list_state_machine_aliases(&mut self, req: &Value) -> Result<Value, ServiceError> {
        let r = Request(req);
        let arn = r.string("stateMachineArn", 1, 256)?;
        let (parsed, q) = qualifier(arn)?;
        let base = base_arn(&parsed);
        let sm = self.state_machines.get(&base).ok_or_else(|| does_not_exist(arn))?;
        if sm.deleting {
            return Err(ServiceError::new("StateMachineDeleting", format!("State Machine is being deleted: '{base}'")));
        }
        let routes_to = match q {
            Qualifier::None => None,
            Qualifier::Version(_) => {
                self.version(arn).ok_or_else(|| does_not_exist(arn))?;
                Some(arn)
            }
            Qualifier::Alias(_) => return Err(not_found()),
        };
        // In creation order; the token holds the creation number of the last alias listed.
        let c = cursor(&r, &format!("ListStateMachineAliases|{arn}"), 1024)?;
        let after: Option<u64> = c.after()?;
        let aliases = self
            .published
            .get(&base)
            .into_iter()
            .flat_map(|p| p.aliases.iter())
            .filter(|a| after.is_none_or(|n| a.number > n))
            .filter(|a| routes_to.is_none_or(|v| a.routing.iter().any(|(x, _)| x == v)));
        let (items, next) = c.page(aliases, |a| a.number, |a| {
            json!({"stateMachineAliasArn": a.arn, "creationDate": Service::date(a.created_ms)})
        });
        let mut out = json!({"stateMachineAliases": items});
        if let Some(t) = next {
            out["nextToken"] = json!(t);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
