//! The function library: JSONata's built-ins and AWS Step Functions' additions.

use super::eval::{apply, arity, arr, deep_eq, from_json, items, seq, to_json, truthy, Ctx, Func, Obj, V, R};
use super::Error;
use crate::asl::meter;
use std::rc::Rc;

const NAMES: &[&str] = &[
    "sum", "count", "max", "min", "average", "string", "substring", "substringBefore", "substringAfter", "lowercase",
    "uppercase", "length", "trim", "pad", "contains", "split", "join", "replace", "match", "number", "abs", "floor",
    "ceil", "round", "power", "sqrt", "random", "boolean", "not", "exists", "keys", "lookup", "spread", "merge",
    "each", "error", "assert", "type", "append", "sort", "reverse", "shuffle", "distinct", "zip", "now", "millis",
    "fromMillis", "toMillis", "base64encode", "base64decode", "encodeUrl", "encodeUrlComponent", "decodeUrl",
    "decodeUrlComponent", "map", "filter", "reduce", "single", "sift", "eval", "formatBase", "parseInteger",
    "partition", "range", "hash", "uuid", "parse", "formatInteger", "formatNumber",
];

/// The value of a decimal digit of any Unicode digit family (Arabic-Indic, fullwidth, ...).
fn unicode_digit(c: char) -> Option<u32> {
    const ZEROS: [u32; 8] = [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10, 0x1D7CE, 0x2460 - 1];
    let cp = c as u32;
    ZEROS.iter().find(|z| cp >= **z && cp < **z + 10).map(|z| cp - z)
}

pub fn native(name: &str) -> Option<&'static str> {
    NAMES.iter().find(|n| **n == name).copied()
}

/// A number as JavaScript prints it.
pub fn js_num(n: f64) -> String {
    if n == 0.0 {
        return "0".into();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    if n.abs() >= 1e21 || n.abs() < 1e-6 {
        let s = format!("{n:e}");
        return match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        };
    }
    format!("{n}")
}

/// JSON text with JavaScript number printing (what $string and & produce for non-strings).
/// Charged to the meter as it grows: a value that shares one array many times prints far larger
/// than it is; an exhausted meter ends the text early (the evaluator then fails).
pub fn to_json_text(v: &V) -> String {
    fn quoted(out: &mut String, s: &str) {
        out.push_str(&serde_json::Value::String(s.to_string()).to_string());
    }
    fn write(out: &mut String, v: &V) {
        let before = out.len();
        match v {
            V::Null => out.push_str("null"),
            V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            V::Num(n) => out.push_str(&js_num(*n)),
            V::Str(s) => quoted(out, s),
            V::Arr(a, _) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if meter::exhausted() {
                        return;
                    }
                    if i > 0 {
                        out.push(',');
                    }
                    write(out, x);
                }
                out.push(']');
            }
            V::Obj(m) => {
                out.push('{');
                for (i, (k, x)) in m.iter().enumerate() {
                    if meter::exhausted() {
                        return;
                    }
                    if i > 0 {
                        out.push(',');
                    }
                    quoted(out, k);
                    out.push(':');
                    write(out, x);
                }
                out.push('}');
            }
            // Functions inside print as "" (as JSON.stringify's replacer does in the reference).
            V::Func(_) => out.push_str("\"\""),
        }
        // Only what this node added itself: its children charged their own text.
        if matches!(v, V::Arr(..) | V::Obj(_)) {
            meter::spend(super::eval::WALK);
        } else {
            meter::spend((out.len() - before) as u64);
        }
    }
    let mut out = String::new();
    write(&mut out, v);
    out
}

fn round15(n: f64) -> f64 {
    format!("{n:.14e}").parse().unwrap_or(n)
}

pub fn string_of(v: &V) -> Result<String, Error> {
    Ok(match v {
        V::Str(s) => s.to_string(),
        V::Num(n) => {
            if !n.is_finite() {
                return Err(Error::new("D3001", "Attempting to invoke string function on Infinity or NaN"));
            }
            js_num(round15(*n))
        }
        V::Func(_) => String::new(),
        other if super::eval::has_infinity(other) => return Err(Error::new("D1001", "Number out of range")),
        other => {
            let t = to_json_text(other);
            if meter::exhausted() {
                return Err(super::eval::size_limit_error());
            }
            t
        }
    })
}


fn arg_err(name: &str, i: usize) -> Error {
    Error::new("T0410", format!("Argument {} of function \"{name}\" does not match function signature", i + 1))
}

fn want_str(name: &str, args: &[Option<V>], i: usize) -> Result<Option<Rc<str>>, Error> {
    match args.get(i) {
        None | Some(None) => Ok(None),
        Some(Some(V::Str(x))) => Ok(Some(x.clone())),
        _ => Err(arg_err(name, i)),
    }
}

fn want_num(name: &str, args: &[Option<V>], i: usize) -> Result<Option<f64>, Error> {
    match args.get(i) {
        None | Some(None) => Ok(None),
        Some(Some(V::Num(x))) => Ok(Some(*x)),
        _ => Err(arg_err(name, i)),
    }
}

fn want_nums(name: &str, v: &Option<V>) -> Result<Option<Vec<f64>>, Error> {
    match v {
        None => Ok(None),
        Some(V::Str(_) | V::Bool(_) | V::Obj(_) | V::Null | V::Func(_)) => Err(arg_err(name, 0)),
        Some(v) => items(v)
            .iter()
            .map(|x| match x {
                V::Num(n) => Ok(*n),
                _ => Err(Error::new("T0412", format!("Argument 1 of function \"{name}\" must be an array of numbers"))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
    }
}

fn func_arg(name: &str, args: &[Option<V>], i: usize) -> Result<Rc<Func>, Error> {
    match args.get(i) {
        Some(Some(V::Func(f))) => Ok(f.clone()),
        _ => Err(arg_err(name, i)),
    }
}

fn num(n: f64) -> Option<V> {
    Some(V::Num(n))
}

/// The arguments `$each` and `$sift` pass: value, then key and the object as far as `f` takes them.
fn entry_args(f: &Func, v: &V, k: &str, m: &Rc<Obj>) -> Vec<Option<V>> {
    let n = arity(f);
    let mut a = vec![Some(v.clone())];
    if n > 1 {
        a.push(text(k));
    }
    if n > 2 {
        a.push(Some(V::Obj(m.clone())));
    }
    a
}

fn text(t: impl AsRef<str>) -> Option<V> {
    Some(V::Str(Rc::from(t.as_ref())))
}

/// Characters as JSONata counts them: code points.
fn utf16(sv: &str) -> Vec<char> {
    sv.chars().collect()
}

fn from_utf16(u: &[char]) -> String {
    u.iter().collect()
}

/// Round half to even, as JSONata's $round does, shifting the decimal point in text (as the
/// reference does with `e` notation) so that 4.525 is exactly half.
fn round_even(n: f64, places: i32) -> f64 {
    let x: f64 = format!("{n}e{places}").parse().unwrap_or(n);
    let mut r = x.round();
    if (r - x).abs() == 0.5 && r % 2.0 != 0.0 {
        r -= x.signum();
    }
    format!("{r}e{}", -places).parse().unwrap_or(r)
}

pub fn regex_match_object(re: &regex_lite::Regex, s: &str, from: usize) -> Option<V> {
    let m = re.captures_at(s, from)?;
    let whole = m.get(0)?;
    let mut o = Obj::new();
    o.insert("match".into(), V::Str(Rc::from(whole.as_str())));
    o.insert("index".into(), V::Num(utf16(&s[..whole.start()]).len() as f64));
    let groups: Vec<V> = (1..m.len()).map(|i| V::Str(Rc::from(m.get(i).map(|g| g.as_str()).unwrap_or("")))).collect();
    o.insert("groups".into(), arr(groups));
    Some(V::Obj(Rc::new(o)))
}

fn hof_args(f: &Func, v: &V, i: usize, all: &V) -> Vec<Option<V>> {
    let n = arity(f).max(1);
    let mut a = vec![Some(v.clone())];
    if n > 1 {
        a.push(num(i as f64));
    }
    if n > 2 {
        a.push(Some(all.clone()));
    }
    a
}

fn type_name(v: &V) -> &'static str {
    match v {
        V::Null => "null",
        V::Bool(_) => "boolean",
        V::Num(_) => "number",
        V::Str(_) => "string",
        V::Arr(..) => "array",
        V::Obj(_) => "object",
        V::Func(_) => "function",
    }
}

fn random_f64(ctx: &mut Ctx) -> f64 {
    ((ctx.env.random)() >> 11) as f64 / (1u64 << 53) as f64
}

/// The most arguments each function takes (more is T0410, as its signature says).
fn max_args(name: &str) -> usize {
    match name {
        "random" | "millis" | "uuid" => 0,
        "sum" | "count" | "max" | "min" | "average" | "lowercase" | "uppercase" | "length" | "trim" | "number" | "abs" | "floor" | "ceil"
        | "sqrt" | "boolean" | "not" | "exists" | "keys" | "spread" | "merge" | "error" | "type" | "reverse" | "shuffle" | "distinct"
        | "base64encode" | "base64decode" | "encodeUrl" | "encodeUrlComponent" | "decodeUrl" | "decodeUrlComponent" | "parse" => 1,
        "substring" | "pad" | "split" | "match" | "reduce" | "fromMillis" | "range" | "formatNumber" => 3,
        "replace" => 4,
        "zip" => usize::MAX,
        _ => 2,
    }
}

/// Calls a built-in; what it returns is charged to the meter by its size (the functions that can
/// build far more than they are given also charge before they build).
pub fn call(ctx: &mut Ctx, name: &'static str, args: Vec<Option<V>>, input: &Option<V>) -> R {
    let r = call_unmetered(ctx, name, args, input)?;
    // Only a value built by the call (no one else holds it): `$lookup` of a large shared value
    // in a loop copies nothing. Arrays were charged as they were built (`arr`, `seq`).
    let size = match &r {
        Some(V::Str(s)) if Rc::strong_count(s) == 1 => s.len() as u64,
        Some(V::Obj(m)) if Rc::strong_count(m) == 1 => m.iter().map(|(k, _)| meter::ENTRY + k.len() as u64).sum(),
        _ => 0,
    };
    if !meter::spend(size) {
        return Err(super::eval::size_limit_error());
    }
    Ok(r)
}

fn call_unmetered(ctx: &mut Ctx, name: &'static str, args: Vec<Option<V>>, input: &Option<V>) -> R {
    let input = &input.clone().map(super::eval::unwrap_outer);
    let args = match super::signature::native(name) {
        Some(sig) => sig.validate(name, args, input)?,
        None if args.len() > max_args(name) => return Err(arg_err(name, max_args(name))),
        None => args,
    };
    let a0 = args.first().cloned().flatten();
    Ok(match name {
        "sum" => want_nums(name, &a0)?.map(|v| V::Num(v.iter().sum())),
        "count" => num(match &a0 {
            None => 0,
            Some(V::Arr(a, _)) => a.len(),
            Some(_) => 1,
        } as f64),
        "max" => want_nums(name, &a0)?.and_then(|v| v.into_iter().reduce(f64::max)).map(V::Num),
        "min" => want_nums(name, &a0)?.and_then(|v| v.into_iter().reduce(f64::min)).map(V::Num),
        "average" => want_nums(name, &a0)?.filter(|v| !v.is_empty()).map(|v| V::Num(v.iter().sum::<f64>() / v.len() as f64)),
        "string" => match a0 {
            None => None,
            // A string is its own text: no copy (and no charge for a shared one).
            Some(V::Str(s)) => Some(V::Str(s)),
            Some(v) => {
                let pretty = truthy(&args.get(1).cloned().flatten());
                if pretty && !matches!(v, V::Str(_)) {
                    let j = to_json(&v).unwrap_or(serde_json::Value::Null);
                    text(serde_json::to_string_pretty(&j).unwrap_or_default())
                } else {
                    text(string_of(&v)?)
                }
            }
        },
        "length" => want_str(name, &args, 0)?.map(|x| V::Num(utf16(&x).len() as f64)),
        "substring" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let u = utf16(&x);
            let len = u.len() as i64;
            let start = want_num(name, &args, 1)?.unwrap_or(0.0) as i64;
            let start = if start < 0 { (len + start).max(0) } else { start.min(len) };
            let end = match want_num(name, &args, 2)? {
                None => len,
                Some(l) => (start + l.max(0.0) as i64).min(len),
            };
            text(from_utf16(&u[start as usize..end.max(start) as usize]))
        }
        "substringBefore" => {
            let (Some(x), Some(c)) = (want_str(name, &args, 0)?, want_str(name, &args, 1)?) else { return Ok(args.first().cloned().flatten()) };
            text(x.find(&*c).map(|i| &x[..i]).unwrap_or(&x))
        }
        "substringAfter" => {
            let (Some(x), Some(c)) = (want_str(name, &args, 0)?, want_str(name, &args, 1)?) else { return Ok(args.first().cloned().flatten()) };
            text(x.find(&*c).map(|i| &x[i + c.len()..]).unwrap_or(&x))
        }
        "lowercase" => want_str(name, &args, 0)?.map(|x| V::Str(Rc::from(x.to_lowercase().as_str()))),
        "uppercase" => want_str(name, &args, 0)?.map(|x| V::Str(Rc::from(x.to_uppercase().as_str()))),
        "trim" => want_str(name, &args, 0)?.map(|x| V::Str(Rc::from(x.split_whitespace().collect::<Vec<_>>().join(" ").as_str()))),
        "pad" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let width = want_num(name, &args, 1)?.unwrap_or(0.0) as i64;
            let ch = want_str(name, &args, 2)?.map(|c| c.to_string()).filter(|c| !c.is_empty()).unwrap_or(" ".into());
            let len = x.chars().count() as i64;
            let need = width.saturating_abs() - len;
            if need > 1_000_000 {
                return Err(Error::new("U1001", "The $pad width exceeds the evaluation budget (1,000,000 characters)"));
            }
            if need <= 0 {
                text(&*x)
            } else {
                let padding: String = ch.chars().cycle().take(need as usize).collect();
                text(if width > 0 { format!("{x}{padding}") } else { format!("{padding}{x}") })
            }
        }
        "contains" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            match args.get(1).cloned().flatten() {
                Some(V::Str(p)) => Some(V::Bool(x.contains(&*p))),
                Some(V::Func(f)) => match &*f {
                    Func::Regex(re) => Some(V::Bool(re.is_match(&x))),
                    _ => return Err(arg_err(name, 1)),
                },
                None => None,
                _ => return Err(arg_err(name, 1)),
            }
        }
        "split" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let limit = want_num(name, &args, 2)?;
            if limit.is_some_and(|l| l < 0.0) {
                return Err(Error::new("D3020", "Third argument of split function must evaluate to a positive number"));
            }
            let mut parts: Vec<V> = match args.get(1).cloned().flatten() {
                Some(V::Str(sep)) if sep.is_empty() => x.chars().map(|c| V::Str(Rc::from(c.to_string().as_str()))).collect(),
                Some(V::Str(sep)) => x.split(&*sep).map(|p| V::Str(Rc::from(p))).collect(),
                Some(V::Func(f)) => match &*f {
                    Func::Regex(re) => re.split(&x).map(|p| V::Str(Rc::from(p))).collect(),
                    _ => return Err(arg_err(name, 1)),
                },
                _ => return Err(arg_err(name, 1)),
            };
            if let Some(l) = limit {
                parts.truncate(l as usize);
            }
            Some(arr(parts))
        }
        "join" => {
            let Some(v) = a0 else { return Ok(None) };
            let sep = want_str(name, &args, 1)?.map(|x| x.to_string()).unwrap_or_default();
            let list = items(&v);
            let mut size = 0u64;
            for x in &list {
                match x {
                    V::Str(t) => size += (t.len() + sep.len()) as u64,
                    _ => return Err(Error::new("T0412", "Argument 1 of function \"join\" must be an array of strings")),
                }
            }
            // One string repeated many times joins into far more than it is: charge first.
            if !meter::spend(size) {
                return Err(super::eval::size_limit_error());
            }
            let mut out = String::with_capacity(size as usize);
            for (i, x) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(&sep);
                }
                if let V::Str(t) = x {
                    out.push_str(t);
                }
            }
            text(out)
        }
        "replace" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let limit = want_num(name, &args, 3)?.map(|l| l as usize);
            let repl = args.get(2).cloned().flatten();
            match args.get(1).cloned().flatten() {
                Some(V::Str(p)) => {
                    if p.is_empty() {
                        return Err(Error::new("D3010", "Second argument of replace function cannot be an empty string"));
                    }
                    let r = match &repl {
                        Some(V::Str(r)) => r.to_string(),
                        _ => return Err(arg_err(name, 2)),
                    };
                    let hits = x.matches(&*p).take(limit.unwrap_or(usize::MAX)).count();
                    if !meter::spend((x.len() + hits * r.len()) as u64) {
                        return Err(super::eval::size_limit_error());
                    }
                    text(match limit {
                        Some(l) => x.replacen(&*p, &r, l),
                        None => x.replace(&*p, &r),
                    })
                }
                Some(V::Func(f)) => match &*f {
                    Func::Regex(re) => {
                        let mut out = String::new();
                        let mut last = 0;
                        for (n, c) in re.captures_iter(&x).enumerate() {
                            if limit.is_some_and(|l| n >= l) {
                                break;
                            }
                            let Some(m) = c.get(0) else { break };
                            if m.is_empty() {
                                return Err(Error::new("D1004", "Regular expression matches zero length string"));
                            }
                            out.push_str(&x[last..m.start()]);
                            if !meter::spend((m.start() - last) as u64) || out.len() as u64 > meter::LIMIT {
                                return Err(super::eval::size_limit_error());
                            }
                            match &repl {
                                Some(V::Str(r)) => {
                                    let mut chars = r.chars().peekable();
                                    while let Some(ch) = chars.next() {
                                        if ch == '$' {
                                            match chars.peek() {
                                                Some('$') => {
                                                    chars.next();
                                                    out.push('$');
                                                }
                                                Some(d) if d.is_ascii_digit() => {
                                                    // `$12` is group 12 if there is one, else group 1 and "2".
                                                    let mut digits = String::new();
                                                    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                                                        digits.push(*d);
                                                        chars.next();
                                                    }
                                                    let mut used = digits.len();
                                                    while used > 1 && digits[..used].parse::<usize>().map_or(true, |k| k >= c.len()) {
                                                        used -= 1;
                                                    }
                                                    let k: usize = digits[..used].parse().unwrap_or(usize::MAX);
                                                    if k > 0 {
                                                        out.push_str(c.get(k).map(|g| g.as_str()).unwrap_or(""));
                                                    } else {
                                                        out.push_str(&x[m.start()..m.end()]);
                                                    }
                                                    out.push_str(&digits[used..]);
                                                }
                                                _ => out.push('$'),
                                            }
                                        } else {
                                            out.push(ch);
                                        }
                                    }
                                }
                                Some(V::Func(g)) => {
                                    let mo = regex_match_object(re, &x, m.start());
                                    match apply(ctx, g, vec![mo], input)? {
                                        Some(V::Str(t)) => out.push_str(&t),
                                        _ => return Err(Error::new("D3012", "Attempted to replace a matched string with a non-string value")),
                                    }
                                }
                                _ => return Err(arg_err(name, 2)),
                            }
                            last = m.end();
                        }
                        out.push_str(&x[last..]);
                        text(out)
                    }
                    _ => return Err(arg_err(name, 1)),
                },
                _ => return Err(arg_err(name, 1)),
            }
        }
        "match" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let Some(V::Func(f)) = args.get(1).cloned().flatten() else { return Err(arg_err(name, 1)) };
            let Func::Regex(re) = &*f else { return Err(arg_err(name, 1)) };
            let limit = want_num(name, &args, 2)?.map(|l| l as usize).unwrap_or(usize::MAX);
            let mut out = Vec::new();
            let mut from = 0;
            while out.len() < limit {
                let Some(m) = re.find_at(&x, from) else { break };
                out.push(regex_match_object(re, &x, from).unwrap_or(V::Null));
                from = if m.end() > m.start() { m.end() } else { m.end() + 1 };
                if from > x.len() {
                    break;
                }
            }
            seq(out)
        }
        "number" => match a0 {
            None => None,
            Some(V::Num(n)) => num(n),
            Some(V::Bool(b)) => num(if b { 1.0 } else { 0.0 }),
            Some(V::Str(t)) => {
                let tt = t.trim();
                let lower = tt.to_ascii_lowercase();
                let parsed = if let Some(h) = lower.strip_prefix("0x") {
                    i64::from_str_radix(h, 16).ok().map(|n| n as f64)
                } else if let Some(b) = lower.strip_prefix("0b") {
                    i64::from_str_radix(b, 2).ok().map(|n| n as f64)
                } else if let Some(o) = lower.strip_prefix("0o") {
                    i64::from_str_radix(o, 8).ok().map(|n| n as f64)
                } else if !tt.is_empty() && tt.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) {
                    tt.parse::<f64>().ok()
                } else {
                    None
                };
                match parsed {
                    Some(n) if n.is_finite() => num(n),
                    _ => return Err(Error::new("D3030", format!("Unable to cast value to a number: \"{t}\""))),
                }
            }
            Some(_) => return Err(arg_err(name, 0)),
        },
        "abs" => want_num(name, &args, 0)?.map(|n| V::Num(n.abs())),
        "floor" => want_num(name, &args, 0)?.map(|n| V::Num(n.floor())),
        "ceil" => want_num(name, &args, 0)?.map(|n| V::Num(n.ceil())),
        "round" => {
            let Some(n) = want_num(name, &args, 0)? else { return Ok(None) };
            let p = want_num(name, &args, 1)?.unwrap_or(0.0) as i32;
            num(round_even(n, p))
        }
        "power" => {
            let (Some(b), Some(e)) = (want_num(name, &args, 0)?, want_num(name, &args, 1)?) else { return Ok(None) };
            let r = b.powf(e);
            if !r.is_finite() {
                return Err(Error::new("D3061", format!("The power function has resulted in a value that cannot be represented as a JSON number: base={b}, exponent={e}")));
            }
            num(r)
        }
        "sqrt" => {
            let Some(n) = want_num(name, &args, 0)? else { return Ok(None) };
            if n < 0.0 {
                return Err(Error::new("D3060", format!("The sqrt function cannot be applied to a negative number: {n}")));
            }
            num(n.sqrt())
        }
        "random" => num(random_f64(ctx)),
        "boolean" => a0.map(|v| V::Bool(truthy(&Some(v)))),
        "not" => a0.map(|v| V::Bool(!truthy(&Some(v)))),
        "exists" => Some(V::Bool(a0.is_some())),
        "keys" => {
            let Some(v) = a0 else { return Ok(None) };
            let mut keys: Vec<String> = Vec::new();
            for x in items(&v) {
                if let V::Obj(m) = x {
                    for k in m.keys() {
                        if !keys.contains(k) {
                            keys.push(k.clone());
                        }
                    }
                }
            }
            seq(keys.into_iter().map(|k| V::Str(Rc::from(k.as_str()))).collect())
        }
        "lookup" => {
            let (Some(v), Some(k)) = (a0, want_str(name, &args, 1)?) else { return Ok(None) };
            let mut out = Vec::new();
            for x in items(&v) {
                if let V::Obj(m) = x {
                    if let Some(y) = m.get(&*k) {
                        out.push(y.clone());
                    }
                }
            }
            seq(out)
        }
        "spread" => {
            let Some(v) = a0 else { return Ok(None) };
            let mut out = Vec::new();
            for x in items(&v) {
                match x {
                    V::Obj(m) => {
                        for (k, y) in m.iter() {
                            let mut o = Obj::new();
                            o.insert(k.clone(), y.clone());
                            out.push(V::Obj(Rc::new(o)));
                        }
                    }
                    other => out.push(other),
                }
            }
            seq(out)
        }
        "merge" => {
            let Some(v) = a0 else { return Ok(None) };
            let mut o = Obj::new();
            for x in items(&v) {
                match x {
                    V::Obj(m) => {
                        for (k, y) in m.iter() {
                            o.insert(k.clone(), y.clone());
                        }
                    }
                    _ => return Err(Error::new("T0412", "Argument 1 of function \"merge\" must be an array of objects")),
                }
            }
            Some(V::Obj(Rc::new(o)))
        }
        "each" => {
            let Some(V::Obj(m)) = a0 else { return Ok(None) };
            let f = func_arg(name, &args, 1)?;
            let mut out = Vec::new();
            for (k, v) in m.iter() {
                let a = entry_args(&f, v, k, &m);
                if let Some(r) = apply(ctx, &f, a, input)? {
                    out.push(r);
                }
            }
            seq(out)
        }
        "error" => return Err(Error::new("D3137", want_str(name, &args, 0)?.map(|m| m.to_string()).unwrap_or("$error() function evaluated".into()))),
        "assert" => {
            let cond = match a0 {
                Some(V::Bool(b)) => b,
                _ => return Err(Error::new("T0410", "Argument 1 of function \"assert\" does not match function signature")),
            };
            if !cond {
                return Err(Error::new("D3141", want_str(name, &args, 1)?.map(|m| m.to_string()).unwrap_or("$assert() statement failed".into())));
            }
            None
        }
        "type" => a0.map(|v| V::Str(Rc::from(type_name(&v)))),
        "append" => match (a0, args.get(1).cloned().flatten()) {
            (None, b) => b,
            (a, None) => a,
            (Some(a), Some(b)) => {
                let mut out = items(&a);
                out.extend(items(&b));
                Some(arr(out))
            }
        },
        "sort" => {
            let Some(v) = a0 else { return Ok(None) };
            let mut list = items(&v);
            match args.get(1).cloned().flatten() {
                Some(V::Func(f)) => {
                    // Stable merge sort with the user's "swap" predicate.
                    let mut sorted: Vec<V> = Vec::with_capacity(list.len());
                    for x in list {
                        let mut pos = sorted.len();
                        while pos > 0 {
                            let swap = apply(ctx, &f, vec![Some(sorted[pos - 1].clone()), Some(x.clone())], input)?;
                            if truthy(&swap) {
                                pos -= 1;
                            } else {
                                break;
                            }
                        }
                        sorted.insert(pos, x);
                    }
                    Some(arr(sorted))
                }
                _ => {
                    // About n·log2(n) comparisons.
                    let n = list.len() as u64;
                    if !meter::spend(n * (64 - n.leading_zeros() as u64)) {
                        return Err(super::eval::size_limit_error());
                    }
                    if list.iter().all(|x| matches!(x, V::Num(_))) {
                        list.sort_by(|a, b| match (a, b) {
                            (V::Num(x), V::Num(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
                            _ => std::cmp::Ordering::Equal,
                        });
                    } else if list.iter().all(|x| matches!(x, V::Str(_))) {
                        list.sort_by(|a, b| match (a, b) {
                            (V::Str(x), V::Str(y)) => x.cmp(y),
                            _ => std::cmp::Ordering::Equal,
                        });
                    } else {
                        return Err(Error::new("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"));
                    }
                    Some(arr(list))
                }
            }
        }
        "reverse" => a0.map(|v| {
            let mut l = items(&v);
            l.reverse();
            arr(l)
        }),
        "shuffle" => a0.map(|v| {
            let mut l = items(&v);
            for i in (1..l.len()).rev() {
                let j = ((ctx.env.random)() % (i as u64 + 1)) as usize;
                l.swap(i, j);
            }
            arr(l)
        }),
        "distinct" => a0.map(|v| match v {
            V::Arr(a, _) => {
                let mut out: Vec<V> = Vec::new();
                for x in a.iter() {
                    if !out.iter().any(|y| deep_eq(x, y)) {
                        out.push(x.clone());
                    }
                }
                arr(out)
            }
            other => other,
        }),
        "zip" => {
            let lists: Vec<Vec<V>> = args.iter().map(|a| a.as_ref().map(items).unwrap_or_default()).collect();
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            if !meter::spend_slots(n.saturating_mul(lists.len())) {
                return Err(super::eval::size_limit_error());
            }
            Some(arr((0..n).map(|i| arr(lists.iter().map(|l| l[i].clone()).collect())).collect()))
        }
        "now" => text(crate::asl::timestamp::format_millis(ctx.env.now_ms)),
        "millis" => num(ctx.env.now_ms as f64),
        "fromMillis" => {
            let Some(n) = want_num(name, &args, 0)? else { return Ok(None) };
            let picture = want_str(name, &args, 1)?;
            let tz = match want_str(name, &args, 2)? {
                None => 0,
                Some(z) => {
                    let z = z.trim();
                    let (sign, digits) = match z.strip_prefix('-') {
                        Some(d) => (-1, d),
                        None => (1, z.trim_start_matches('+')),
                    };
                    let d: String = digits.chars().filter(|c| c.is_ascii_digit()).collect();
                    if d.len() != 4 {
                        return Err(Error::new("D3134", format!("Invalid time zone: {z}")));
                    }
                    let (h, m): (i32, i32) = (d[..2].parse().unwrap_or(0), d[2..].parse().unwrap_or(0));
                    sign * (h * 60 + m)
                }
            };
            match picture {
                None if tz == 0 => text(crate::asl::timestamp::format_millis(n as i64)),
                None => text(super::format::format_datetime(n as i64, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", tz)?),
                Some(p) => text(super::format::format_datetime(n as i64, &p, tz)?),
            }
        }
        "formatNumber" => {
            let Some(n) = want_num(name, &args, 0)? else { return Ok(None) };
            let Some(p) = want_str(name, &args, 1)? else { return Err(arg_err(name, 1)) };
            let opts = match args.get(2).cloned().flatten().as_ref().and_then(to_json) {
                Some(serde_json::Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            text(super::format::format_number(n, &p, &opts)?)
        }
        "formatInteger" => {
            let Some(n) = want_num(name, &args, 0)? else { return Ok(None) };
            let Some(p) = want_str(name, &args, 1)? else { return Err(arg_err(name, 1)) };
            text(super::format::format_integer(n.trunc() as i64, &p)?)
        }
        "toMillis" => {
            let Some(t) = want_str(name, &args, 0)? else { return Ok(None) };
            match want_str(name, &args, 1)? {
                Some(p) => super::format::parse_datetime(&t, &p)?.map(|ms| V::Num(ms as f64)),
                None => match super::format::parse_iso(&t) {
                    Some(ms) => num(ms as f64),
                    None => return Err(Error::new("D3110", format!("The timestamp \"{t}\" cannot be parsed"))),
                },
            }
        }
        "base64encode" => {
            use base64::Engine as _;
            want_str(name, &args, 0)?.map(|x| V::Str(Rc::from(base64::engine::general_purpose::STANDARD.encode(x.as_bytes()).as_str())))
        }
        "base64decode" => {
            use base64::Engine as _;
            match want_str(name, &args, 0)? {
                None => None,
                Some(x) => {
                    let bytes = base64::engine::general_purpose::STANDARD.decode(x.as_bytes()).map_err(|_| Error::new("D3137", "Invalid base64 text"))?;
                    text(String::from_utf8_lossy(&bytes))
                }
            }
        }
        "encodeUrl" | "encodeUrlComponent" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let keep: &str = if name == "encodeUrl" { ";,/?:@&=+$-_.!~*'()#" } else { "-_.!~*'()" };
            let mut out = String::new();
            for ch in x.chars() {
                if ch.is_ascii_alphanumeric() || keep.contains(ch) {
                    out.push(ch);
                } else {
                    let mut buf = [0u8; 4];
                    for b in ch.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
            }
            text(out)
        }
        "decodeUrl" | "decodeUrlComponent" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let bytes = x.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' && i + 2 < bytes.len() {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                    match u8::from_str_radix(hex, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 3;
                            continue;
                        }
                        Err(_) => return Err(Error::new("D3140", format!("Malformed URL passed to ${name}(): \"{x}\""))),
                    }
                }
                out.push(bytes[i]);
                i += 1;
            }
            text(String::from_utf8(out).map_err(|_| Error::new("D3140", format!("Malformed URL passed to ${name}(): \"{x}\"")))?)
        }
        "map" => {
            let Some(v) = a0 else { return Ok(None) };
            let f = func_arg(name, &args, 1)?;
            let list = items(&v);
            let all = arr(list.clone());
            let mut out = Vec::new();
            for (i, x) in list.iter().enumerate() {
                if let Some(r) = apply(ctx, &f, hof_args(&f, x, i, &all), input)? {
                    out.push(r);
                }
            }
            seq(out)
        }
        "filter" => {
            let Some(v) = a0 else { return Ok(None) };
            let f = func_arg(name, &args, 1)?;
            let list = items(&v);
            let all = arr(list.clone());
            let mut out = Vec::new();
            for (i, x) in list.iter().enumerate() {
                if truthy(&apply(ctx, &f, hof_args(&f, x, i, &all), input)?) {
                    out.push(x.clone());
                }
            }
            seq(out)
        }
        "single" => {
            let Some(v) = a0 else { return Ok(None) };
            let list = items(&v);
            let f = args.get(1).cloned().flatten();
            let mut found = None;
            let all = arr(list.clone());
            for (i, x) in list.iter().enumerate() {
                let ok = match &f {
                    Some(V::Func(f)) => truthy(&apply(ctx, f, hof_args(f, x, i, &all), input)?),
                    _ => true,
                };
                if ok {
                    if found.is_some() {
                        return Err(Error::new("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more."));
                    }
                    found = Some(x.clone());
                }
            }
            match found {
                Some(x) => Some(x),
                None => return Err(Error::new("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.")),
            }
        }
        "reduce" => {
            let Some(v) = a0 else { return Ok(None) };
            let f = func_arg(name, &args, 1)?;
            if arity(&f) < 2 {
                return Err(Error::new("D3050", "The second argument of reduce function must be a function with at least two arguments"));
            }
            let list = items(&v);
            let mut it = list.iter().enumerate();
            let mut acc = match args.get(2).cloned().flatten() {
                Some(init) => Some(init),
                None => it.next().map(|(_, x)| x.clone()),
            };
            for (i, x) in it {
                let mut a = vec![acc, Some(x.clone())];
                if arity(&f) > 2 {
                    a.push(num(i as f64));
                }
                if arity(&f) > 3 {
                    a.push(Some(arr(list.clone())));
                }
                acc = apply(ctx, &f, a, input)?;
            }
            acc
        }
        "sift" => {
            let Some(V::Obj(m)) = a0 else { return Ok(None) };
            let f = func_arg(name, &args, 1)?;
            let mut o = Obj::new();
            for (k, v) in m.iter() {
                let a = entry_args(&f, v, k, &m);
                if truthy(&apply(ctx, &f, a, input)?) {
                    o.insert(k.clone(), v.clone());
                }
            }
            if o.is_empty() {
                None
            } else {
                Some(V::Obj(Rc::new(o)))
            }
        }
        "eval" => return Err(Error::new("D3160", "The $eval function is not supported by AWS Step Functions; use $parse")),
        "formatBase" => {
            let Some(n) = want_num(name, &args, 0)? else { return Ok(None) };
            let radix = want_num(name, &args, 1)?.unwrap_or(10.0) as u32;
            if !(2..=36).contains(&radix) {
                return Err(Error::new("D3100", format!("The radix of the formatBase function must be between 2 and 36.  It was given {radix}")));
            }
            // Saturating cast, then the magnitude as unsigned: i64::MIN has no positive twin.
            let signed = round_even(n, 0) as i64;
            let neg = signed < 0;
            let mut v = signed.unsigned_abs();
            let mut digits = Vec::new();
            loop {
                digits.push(std::char::from_digit((v % radix as u64) as u32, radix).unwrap_or('0'));
                v /= radix as u64;
                if v == 0 {
                    break;
                }
            }
            if neg {
                digits.push('-');
            }
            text(digits.into_iter().rev().collect::<String>())
        }
        "parseInteger" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let pic = want_str(name, &args, 1)?.map(|p| p.to_string()).unwrap_or("0".into());
            let main = pic.split(';').next().unwrap_or("").to_string();
            let parsed = match main.as_str() {
                "w" | "W" | "Ww" => super::format::parse_words(&x).map(|n| n as f64),
                "i" | "I" => super::format::parse_roman_pub(&x).map(|n| n as f64),
                "a" | "A" => super::format::parse_letters_pub(&x).map(|n| n as f64),
                _ => {
                    // Digits of any decimal family, grouping separators dropped.
                    let digits: String = x
                        .chars()
                        .filter_map(|c| if c.is_numeric() { c.to_digit(10).or_else(|| unicode_digit(c)) } else { None })
                        .map(|d| char::from_digit(d, 10).unwrap_or('0'))
                        .collect();
                    digits.parse::<f64>().ok()
                }
            };
            match parsed {
                Some(n) => num(n),
                None => return Err(Error::new("D3137", format!("Unable to parse integer: {x}"))),
            }
        }
        // AWS Step Functions additions.
        "partition" => {
            let Some(v) = a0 else { return Ok(None) };
            // AWS rounds a non-integer size down (its JSONata page), so 2.7 is 2.
            let size = want_num(name, &args, 1)?.unwrap_or(0.0).floor();
            if size <= 0.0 {
                return Err(Error::new("D3150", "The second argument of $partition must be a positive integer"));
            }
            let list = items(&v);
            Some(arr(list.chunks(size as usize).map(|c| arr(c.to_vec())).collect()))
        }
        "range" => {
            // Non-integer arguments are rounded down, as AWS's JSONata page says.
            let (Some(a), Some(b)) = (want_num(name, &args, 0)?, want_num(name, &args, 1)?) else { return Ok(None) };
            let (a, b) = (a.floor(), b.floor());
            let step = want_num(name, &args, 2)?.unwrap_or(1.0).floor();
            if step == 0.0 {
                return Err(Error::new("D3150", "The step of $range must not be 0"));
            }
            let count = ((b - a) / step).floor() + 1.0;
            if count > 1000.0 {
                return Err(Error::new("D3150", "The $range function can generate at most 1000 numbers"));
            }
            let mut out = Vec::new();
            let mut x = a;
            while (step > 0.0 && x <= b) || (step < 0.0 && x >= b) {
                out.push(V::Num(x));
                x += step;
            }
            Some(arr(out))
        }
        "hash" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            let alg = want_str(name, &args, 1)?.map(|a| a.to_string()).unwrap_or("SHA-256".into());
            let bytes: Vec<u8> = match alg.as_str() {
                "MD5" => {
                    use md5::Digest as _;
                    md5::Md5::digest(x.as_bytes()).to_vec()
                }
                "SHA-1" => {
                    use sha1::Digest as _;
                    sha1::Sha1::digest(x.as_bytes()).to_vec()
                }
                "SHA-256" => {
                    use sha2::Digest as _;
                    sha2::Sha256::digest(x.as_bytes()).to_vec()
                }
                "SHA-384" => {
                    use sha2::Digest as _;
                    sha2::Sha384::digest(x.as_bytes()).to_vec()
                }
                "SHA-512" => {
                    use sha2::Digest as _;
                    sha2::Sha512::digest(x.as_bytes()).to_vec()
                }
                other => return Err(Error::new("D3150", format!("Unsupported hash algorithm {other}: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"))),
            };
            text(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
        }
        "uuid" => {
            let a = (ctx.env.random)();
            let b = (ctx.env.random)();
            text(crate::asl::intrinsics::uuid_v4(a, b))
        }
        "parse" => {
            let Some(x) = want_str(name, &args, 0)? else { return Ok(None) };
            match serde_json::from_str::<serde_json::Value>(&x) {
                Ok(v) => Some(from_json(&v)),
                Err(e) => return Err(Error::new("D3150", format!("The $parse function could not parse its argument as JSON: {e}"))),
            }
        }
        other => return Err(Error::new("T1006", format!("Attempted to invoke a non-function: ${other}"))),
    })
}
