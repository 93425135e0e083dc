//! Generated definitions of any size, for benchmarks, pictures and tests: chains of Task, Pass
//! and Wait states with Choices (forward jumps, loops back, Fail exits), Catches to handlers, and
//! nested Parallel and Map states. Deterministic: the same size and seed give the same definition.

use serde_json::{json, Map, Value};

/// A valid definition with about `states` states in all (nested ones included).
pub fn definition(states: usize, seed: u64) -> Value {
    let mut g = Gen {
        rng: seed ^ 0x9E37_79B9_7F4A_7C15,
        depth: 0,
    };
    g.machine(states.max(1), "S")
}

struct Gen {
    rng: u64,
    depth: usize,
}

impl Gen {
    /// splitmix64
    fn next(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn machine(&mut self, budget: usize, prefix: &str) -> Value {
        let mut states = Map::new();
        let mut spine: Vec<String> = Vec::new();
        let mut extra: Vec<(String, Value)> = Vec::new();
        let mut used = 0;
        let mut i = 0;
        // The spine: each state goes to the next one; the last ends the machine.
        while used < budget {
            let name = format!("{prefix}{i}");
            i += 1;
            let left = budget - used;
            let roll = self.below(100);
            let (state, cost) = if self.depth < 2 && left > 8 && roll < 8 {
                let inner = (left / 4).clamp(2, 24);
                self.depth += 1;
                let s = if roll < 4 {
                    let n = 2 + self.below(2);
                    let branches: Vec<Value> = (0..n)
                        .map(|b| self.machine(inner / n + 1, &format!("{name}b{b}_")))
                        .collect();
                    json!({"Type": "Parallel", "Branches": branches})
                } else {
                    let p = self.machine(inner, &format!("{name}m_"));
                    json!({"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": p})
                };
                self.depth -= 1;
                (s, inner + 1)
            } else if roll < 22 && left > 2 {
                (json!({"Type": "Choice"}), 1)
            } else if roll < 30 {
                (json!({"Type": "Pass"}), 1)
            } else if roll < 35 {
                (json!({"Type": "Wait", "Seconds": 1}), 1)
            } else {
                (
                    json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f"}),
                    1,
                )
            };
            used += cost;
            spine.push(name.clone());
            extra.push((name, state));
        }
        let n = spine.len();
        for k in 0..n {
            let (name, mut s) = (extra[k].0.clone(), extra[k].1.take());
            let next = spine.get(k + 1).cloned();
            let kind = s["Type"].as_str().unwrap_or("").to_string();
            if kind == "Choice" {
                let mut choices = Vec::new();
                let rules = 1 + self.below(2);
                for r in 0..rules {
                    let target = match self.below(10) {
                        0..=1 if k > 0 => spine[self.below(k)].clone(),
                        2..=4 => {
                            let fail = format!("{name}_fail{r}");
                            states
                                .insert(fail.clone(), json!({"Type": "Fail", "Error": "Rejected"}));
                            fail
                        }
                        _ => spine[(k + 1 + self.below(4)).min(n - 1)].clone(),
                    };
                    choices.push(json!({"Variable": format!("$.v{r}"), "NumericGreaterThan": r * 10, "Next": target}));
                }
                s["Choices"] = Value::Array(choices);
                s["Default"] = json!(next.clone().unwrap_or_else(|| {
                    states.insert(format!("{name}_done"), json!({"Type": "Succeed"}));
                    format!("{name}_done")
                }));
            } else {
                match next {
                    Some(nx) => s["Next"] = json!(nx),
                    None => s["End"] = json!(true),
                }
                if kind == "Task" && self.below(6) == 0 {
                    let handler = format!("{name}_handler");
                    let after = if self.below(2) == 0 {
                        let fail = format!("{name}_failed");
                        states.insert(fail.clone(), json!({"Type": "Fail", "Error": "Failed"}));
                        fail
                    } else {
                        spine[(k + 1 + self.below(3)).min(n - 1)].clone()
                    };
                    states.insert(handler.clone(), json!({"Type": "Pass", "Next": after}));
                    s["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "Next": handler}]);
                }
            }
            states.insert(name, s);
        }
        json!({"StartAt": spine[0], "States": states})
    }
}
