//! JSON equality (numbers by value, so `1` and `1.0` are the same, as in JSONPath and JSONata) and
//! partial matching (`outputContains`), each telling where the values first differ.

use serde_json::Value;

/// Whether `actual` equals `expected`; Err names the first place they differ, as a path
/// (`$.order.total: 250, expected 300`).
pub fn equal(expected: &Value, actual: &Value) -> Result<(), String> {
    walk(expected, actual, "$", false)
}

/// Whether `actual` contains `expected`: an expected object's keys are all in the actual object
/// with values that contain theirs (other keys may be there too); an expected array matches an
/// actual array of the same length element by element; anything else by equality.
pub fn contains(expected: &Value, actual: &Value) -> Result<(), String> {
    walk(expected, actual, "$", true)
}

fn walk(expected: &Value, actual: &Value, at: &str, partial: bool) -> Result<(), String> {
    use super::show;
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            if a == b || a.as_f64() == b.as_f64() {
                Ok(())
            } else {
                Err(format!("{at} is {b}, expected {a}"))
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let here = member(at, k);
                match a.get(k) {
                    Some(av) => walk(ev, av, &here, partial)?,
                    None => return Err(format!("{here} is missing (expected {})", show(ev))),
                }
            }
            if !partial {
                if let Some(k) = a.keys().find(|k| !e.contains_key(*k)) {
                    return Err(format!("{} is there but not expected", member(at, k)));
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{at} has {} item{}, expected {}", a.len(), if a.len() == 1 { "" } else { "s" }, e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(ev, av, &format!("{at}[{i}]"), partial)?;
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{at} is {}, expected {}", show(a), show(e))),
    }
}

/// `$.key`, or `$['odd key']` when the key is not a plain name.
fn member(at: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        format!("{at}.{key}")
    } else {
        format!("{at}['{}']", key.replace('\'', "\\'"))
    }
}
