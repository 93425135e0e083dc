//! Java renderings Jayway's messages and comparisons depend on: the class Jackson maps a value
//! to, `Object.toString()` of it, `Double.toString`, and BigDecimal's reading and printing of
//! number texts.

use serde_json::{Number, Value};

/// The Java class Jackson maps a JSON value to.
pub(super) fn java_class(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.LinkedHashMap",
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i32::try_from(i).is_ok() {
                    "java.lang.Integer"
                } else {
                    "java.lang.Long"
                }
            } else if n.is_u64() {
                "java.math.BigInteger"
            } else {
                "java.lang.Double"
            }
        }
    }
}

/// `Object.toString()` of the Java value Jackson maps a JSON value to: `{a=1, b=[x, y]}`.
pub(super) fn java_to_string(v: &Value) -> String {
    let mut s = String::new();
    java_write(v, &mut s);
    s
}

fn java_write(v: &Value, s: &mut String) {
    match v {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::String(t) => s.push_str(t),
        Value::Number(n) => s.push_str(&java_number(n)),
        Value::Array(a) => {
            s.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                java_write(x, s);
            }
            s.push(']');
        }
        Value::Object(m) => {
            s.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                s.push_str(k);
                s.push('=');
                java_write(x, s);
            }
            s.push('}');
        }
    }
}

fn java_number(n: &Number) -> String {
    match n.as_f64() {
        Some(f) if !(n.is_i64() || n.is_u64()) => java_double(f),
        _ => n.to_string(),
    }
}

/// Java's `Double.toString`: `1.0`, `0.001`, `1234567.0`, `1.0E7`, `1.0E-4`.
pub(super) fn java_double(d: f64) -> String {
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    if !d.is_finite() {
        return if d.is_nan() {
            "NaN"
        } else if d > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_string();
    }
    let sci = format!("{:e}", d.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if d < 0.0 { "-" } else { "" };
    let a = d.abs();
    if (1e-3..1e7).contains(&a) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{sign}{digits}{}.0", "0".repeat(int_len - digits.len()))
            } else {
                let (i, f) = digits.split_at(int_len);
                format!("{sign}{i}.{f}")
            }
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exp}")
    }
}

/// `new BigDecimal(text).toString()` for a Java number text; None when BigDecimal would reject it.
pub(super) fn big_decimal_string(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut digits = String::new();
    let mut frac_len: i64 = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_digit() {
            digits.push(c as char);
            seen_digit = true;
            if seen_point {
                frac_len += 1;
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    let mut exp: i64 = 0;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let rest = text.get(i + 1..)?;
        exp = rest.strip_prefix('+').unwrap_or(rest).parse().ok()?;
        if rest.starts_with("+-") || rest.starts_with("++") {
            return None;
        }
        i = b.len();
    }
    if i != b.len() {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() { "0" } else { trimmed };
    // i128: no overflow whatever the exponent (Java's int scale would have rejected most).
    let scale = i128::from(frac_len) - i128::from(exp);
    let nd = digits.len() as i128;
    let adjusted = -scale + (nd - 1);
    let mut out = String::new();
    if neg && digits != "0" {
        out.push('-');
    }
    if scale == 0 {
        out.push_str(digits);
    } else if scale > 0 && adjusted >= -6 {
        if nd > scale {
            let (a, f) = digits.split_at((nd - scale) as usize);
            out.push_str(a);
            out.push('.');
            out.push_str(f);
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((scale - nd) as usize));
            out.push_str(digits);
        }
    } else {
        let (a, f) = digits.split_at(1);
        out.push_str(a);
        if !f.is_empty() {
            out.push('.');
            out.push_str(f);
        }
        out.push('E');
        if adjusted > 0 {
            out.push('+');
        }
        out.push_str(&adjusted.to_string());
    }
    Some(out)
}

/// A number as Java's BigDecimal reads it (digits, optional point, optional exponent).
pub(super) fn number_from_text(t: &str) -> Option<Number> {
    big_decimal_string(t)?;
    if let Ok(i) = t.parse::<i64>() {
        return Some(Number::from(i));
    }
    if let Ok(u) = t.parse::<u64>() {
        return Some(Number::from(u));
    }
    t.parse::<f64>().ok().and_then(Number::from_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn java_texts() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(1.5), "1.5");
        assert_eq!(java_double(-0.0), "-0.0");
        assert_eq!(java_double(100.0), "100.0");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(1234567.0), "1234567.0");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(1.25e-4), "1.25E-4");
        assert_eq!(java_double(-3e20), "-3.0E20");
        assert_eq!(big_decimal_string("1"), Some("1".into()));
        assert_eq!(big_decimal_string("1.50"), Some("1.50".into()));
        assert_eq!(big_decimal_string("1.0E20"), Some("1.0E+20".into()));
        assert_eq!(big_decimal_string("1.0E-5"), Some("0.000010".into()));
        assert_eq!(big_decimal_string("1.234E-7"), Some("1.234E-7".into()));
        assert_eq!(big_decimal_string("-0012"), Some("-12".into()));
        assert_eq!(big_decimal_string(".5"), Some("0.5".into()));
        assert_eq!(big_decimal_string("x"), None);
        assert_eq!(big_decimal_string("1e"), None);
        assert_eq!(big_decimal_string("Infinity"), None);
        assert_eq!(
            java_to_string(&json!({"a": [1, "b", null], "c": {"d": 2.5}})),
            "{a=[1, b, null], c={d=2.5}}"
        );
    }
}
