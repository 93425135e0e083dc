//! Java renderings and conversions: AWS converts JSON to Java objects (Integer, Long, Double,
//! String, Boolean, null, List, LinkedHashMap) and uses their `toString`; several groups also
//! read numbers as Java ints.

use serde_json::{Number, Value};

/// Java's `String.valueOf` of the value: strings unquoted (also inside containers), maps as
/// `{k=v, k2=v2}`, lists as `[a, b]`, doubles as `Double.toString`.
pub(super) fn java_to_string(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&java_number(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_to_string(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                java_to_string(item, out);
            }
            out.push('}');
        }
    }
}

pub(super) fn java_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        java_double(n.as_f64().unwrap_or(0.0))
    }
}

/// Java's `Double.toString` (JDK 19+, shortest digits): `1.0`, `1.1`, `100.0`, `1.0E7`, `1.0E-4`.
fn java_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".to_string();
    }
    if d.is_infinite() {
        return if d > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let sci = format!("{:e}", d.abs()); // shortest round-trip digits, e.g. "1.2345e-5"
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let (first, rest) = digits.split_at(1.min(digits.len()));
    let mut out = String::new();
    if d < 0.0 {
        out.push('-');
    }
    let abs = d.abs();
    if (1e-3..1e7).contains(&abs) {
        if exp >= 0 {
            let int_len = (exp as usize) + 1;
            let padded: String = if digits.len() < int_len {
                format!("{digits}{}", "0".repeat(int_len - digits.len()))
            } else {
                digits.clone()
            };
            let (int_part, frac) = padded.split_at(int_len);
            out.push_str(int_part);
            out.push('.');
            out.push_str(if frac.is_empty() { "0" } else { frac });
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(first);
        out.push('.');
        out.push_str(if rest.is_empty() { "0" } else { rest });
        out.push('E');
        out.push_str(&exp.to_string());
    }
    out
}

/// A number truncated toward zero to a Java int (AWS's int conversion of intrinsic arguments
/// [aws-obs]); None for non-numbers and values outside the 32-bit range [guess].
pub(super) fn java_int_truncated(v: &Value) -> Option<i64> {
    let Value::Number(n) = v else { return None };
    let i = if let Some(i) = n.as_i64() {
        i
    } else {
        let f = n.as_f64()?;
        if !f.is_finite() {
            return None;
        }
        let t = f.trunc();
        if t < i32::MIN as f64 || t > i32::MAX as f64 {
            return None;
        }
        t as i64
    };
    i32::try_from(i).ok().map(i64::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_double_to_string() {
        for (d, s) in [
            (1.0, "1.0"),
            (1.1, "1.1"),
            (-1.5, "-1.5"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1234567.0, "1234567.0"),
            (1e7, "1.0E7"),
            (1.5e20, "1.5E20"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (123.456, "123.456"),
            (1.2345e-7, "1.2345E-7"),
            (2e-3, "0.002"),
            (9007199254740993.0, "9.007199254740992E15"),
            (0.1 + 0.2, "0.30000000000000004"),
        ] {
            assert_eq!(java_double(d), s, "{d}");
        }
    }
}
