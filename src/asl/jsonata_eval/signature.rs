//! Function signatures (`<s-nn?:s>`): the built-ins' and those written on lambdas.
//!
//! A signature lists parameter types: b boolean, n number, s string, l null, a array, o object,
//! f function, j any JSON value, x anything, u any of bnsl, `(..)` a choice, `a<n>` an array of
//! numbers, `f<..>` a function (its own signature is not checked). Modifiers: `?` optional, `+`
//! one or more, `-` the context is used when the argument is left out. Arguments are checked by
//! turning them into a string of type letters (m for undefined, which every type accepts) and
//! matching it against a pattern made from the parameters: T0410 when they do not match, T0411
//! when the context stands in for an argument and has the wrong type, T0412 when an array's
//! items have the wrong type. An argument that is not an array where an array is expected
//! becomes a one-item array.

use super::eval::{Flags, V};
use super::Error;
use std::rc::Rc;

#[derive(Debug, Clone)]
struct Param {
    /// The character class for one argument, e.g. `[nm]`.
    class: String,
    /// The class with its modifier, e.g. `[nm]?`.
    pattern: String,
    array: bool,
    subtype: Option<char>,
    context: bool,
}

#[derive(Debug, Clone)]
pub struct Signature {
    text: String,
    params: Vec<Param>,
    regex: regex_lite::Regex,
}

impl PartialEq for Signature {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

fn symbol(v: &Option<V>) -> char {
    match v {
        None => 'm',
        Some(V::Func(_)) => 'f',
        Some(V::Str(_)) => 's',
        Some(V::Num(_)) => 'n',
        Some(V::Bool(_)) => 'b',
        Some(V::Null) => 'l',
        Some(V::Arr(..)) => 'a',
        Some(V::Obj(_)) => 'o',
    }
}

fn class_of(t: char) -> Option<&'static str> {
    Some(match t {
        'b' => "bm",
        'n' => "nm",
        's' => "sm",
        'l' => "lm",
        'o' => "om",
        'f' => "fm",
        // Anything can be given where an array is expected (it becomes one).
        'a' | 'x' => "asnblfom",
        'j' => "asnblom",
        'u' => "snblm",
        _ => return None,
    })
}

impl Signature {
    /// Parses the text between `<` and `>`.
    pub fn parse(text: &str) -> Result<Signature, Error> {
        let chars: Vec<char> = text.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 0;
        let bad = |c: char| Error::new("S0401", format!("Type parameters can only be applied to functions and arrays: {c}"));
        while i < chars.len() {
            let c = chars[i];
            match c {
                ':' => break,
                '(' => {
                    let Some(end) = chars[i..].iter().position(|&x| x == ')').map(|e| e + i) else {
                        return Err(Error::new("S0402", "Choice groups must be closed with )"));
                    };
                    let inner = &chars[i + 1..end];
                    if inner.contains(&'<') {
                        return Err(Error::new("S0402", "Choice groups containing parameterized types are not supported"));
                    }
                    let mut class = String::new();
                    for &t in inner {
                        let cl = class_of(t).ok_or_else(|| Error::new("S0401", format!("Unknown type in signature: {t}")))?;
                        for x in cl.chars().filter(|&x| x != 'm') {
                            if !class.contains(x) {
                                class.push(x);
                            }
                        }
                    }
                    class.push('m');
                    params.push(Param { pattern: format!("[{class}]"), class: format!("[{class}]"), array: false, subtype: None, context: false });
                    i = end + 1;
                }
                '?' | '+' => {
                    let p = params.last_mut().ok_or_else(|| bad(c))?;
                    p.pattern.push(c);
                    i += 1;
                }
                '-' => {
                    let p = params.last_mut().ok_or_else(|| bad(c))?;
                    p.context = true;
                    p.pattern.push('?');
                    i += 1;
                }
                '<' => {
                    // A type parameter: only on `a` and `f`.
                    let mut depth = 0;
                    let mut j = i;
                    while j < chars.len() {
                        match chars[j] {
                            '<' => depth += 1,
                            '>' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    let p = params.last_mut().ok_or_else(|| bad(c))?;
                    let prev = chars.get(i.wrapping_sub(1)).copied().unwrap_or(' ');
                    match prev {
                        'a' => p.subtype = chars.get(i + 1).copied().filter(|t| *t != '>'),
                        'f' => {}
                        other => return Err(bad(other)),
                    }
                    i = j + 1;
                }
                t => {
                    let cl = class_of(t).ok_or_else(|| Error::new("S0401", format!("Unknown type in signature: {t}")))?;
                    params.push(Param { class: format!("[{cl}]"), pattern: format!("[{cl}]"), array: t == 'a', subtype: None, context: false });
                    i += 1;
                }
            }
        }
        let pattern: String = params.iter().map(|p| format!("({})", p.pattern)).collect();
        let regex = regex_lite::Regex::new(&format!("^{pattern}$")).map_err(|e| Error::new("S0401", format!("Invalid signature: {e}")))?;
        Ok(Signature { text: text.to_string(), params, regex })
    }

    /// How many arguments a callback with this signature wants (its required ones).
    pub fn arity(&self) -> usize {
        self.params.iter().filter(|p| p.context || !p.pattern.ends_with('?')).count().max(1)
    }

    /// Checks and completes the arguments of a call (`context` is the call's input).
    pub fn validate(&self, name: &str, args: Vec<Option<V>>, context: &Option<V>) -> Result<Vec<Option<V>>, Error> {
        let supplied: String = args.iter().map(symbol).collect();
        let Some(caps) = self.regex.captures(&supplied) else {
            return Err(self.mismatch(name, &supplied));
        };
        let mut out = Vec::with_capacity(self.params.len());
        let mut idx = 0;
        for (pi, p) in self.params.iter().enumerate() {
            let matched = caps.get(pi + 1).map(|m| m.as_str()).unwrap_or("");
            if matched.is_empty() {
                if p.context {
                    if !p.class.contains(symbol(context)) {
                        return Err(Error::new("T0411", format!("Context value is not a compatible type with argument {} of function \"{name}\"", idx + 1)));
                    }
                    out.push(context.clone());
                } else {
                    out.push(args.get(idx).cloned().flatten());
                    idx += 1;
                }
                continue;
            }
            for single in matched.chars() {
                let arg = args.get(idx).cloned().flatten();
                if p.array && single != 'm' {
                    if let Some(sub) = p.subtype {
                        let ok = match &arg {
                            Some(V::Arr(items, _)) => match items.first() {
                                None => true,
                                Some(first) => {
                                    let t = symbol(&Some(first.clone()));
                                    t == sub && items.iter().all(|x| symbol(&Some(x.clone())) == t)
                                }
                            },
                            other => symbol(other) == sub,
                        };
                        if !ok {
                            return Err(Error::new("T0412", format!("Argument {} of function \"{name}\" must be an array of {}", idx + 1, type_word(sub))));
                        }
                    }
                    out.push(match arg {
                        Some(V::Arr(a, f)) => Some(V::Arr(a, f)),
                        Some(other) => Some(V::Arr(Rc::new(vec![other]), Flags::default())),
                        None => None,
                    });
                } else {
                    out.push(arg);
                }
                idx += 1;
            }
        }
        Ok(out)
    }

    /// T0410 naming the first argument that stops matching.
    fn mismatch(&self, name: &str, supplied: &str) -> Error {
        let mut partial = String::from("^");
        let mut good = 0;
        for p in &self.params {
            partial.push_str(&p.pattern);
            match regex_lite::Regex::new(&partial).ok().and_then(|r| r.find(supplied).map(|m| m.end())) {
                Some(end) => good = end,
                None => break,
            }
        }
        Error::new("T0410", format!("Argument {} of function \"{name}\" does not match function signature", good + 1))
    }
}

fn type_word(t: char) -> &'static str {
    match t {
        'n' => "numbers",
        's' => "strings",
        'b' => "booleans",
        'o' => "objects",
        'a' => "arrays",
        'f' => "functions",
        'l' => "nulls",
        _ => "values",
    }
}

/// A built-in's signature, parsed once per thread.
pub fn native(name: &'static str) -> Option<Rc<Signature>> {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<&'static str, Rc<Signature>>> = Default::default();
    }
    if let Some(s) = CACHE.with(|c| c.borrow().get(name).cloned()) {
        return Some(s);
    }
    let sig = Rc::new(Signature::parse(native_text(name)?).ok()?);
    CACHE.with(|c| c.borrow_mut().insert(name, sig.clone()));
    Some(sig)
}

/// The built-ins' signatures (AWS's additions have none: they check their own arguments).
fn native_text(name: &str) -> Option<&'static str> {
    Some(match name {
        "sum" | "max" | "min" | "average" => "a<n>:n",
        "count" => "a:n",
        "string" => "x-b?:s",
        "substring" => "s-nn?:s",
        "substringBefore" | "substringAfter" => "s-s:s",
        "lowercase" | "uppercase" | "trim" | "base64encode" | "base64decode" | "encodeUrl" | "encodeUrlComponent" | "decodeUrl" | "decodeUrlComponent" => "s-:s",
        "length" => "s-:n",
        "pad" => "s-ns?:s",
        "contains" => "s-(sf):b",
        "split" => "s-(sf)n?:a<s>",
        "join" => "a<s>s?:s",
        "replace" => "s-(sf)(sf)n?:s",
        "match" => "s-f<s:o>n?:a<o>",
        "number" => "(nsb)-:n",
        "abs" | "floor" | "ceil" | "sqrt" => "n-:n",
        "round" => "n-n?:n",
        "power" => "n-n:n",
        "random" | "millis" => ":n",
        "boolean" | "not" => "x-:b",
        "exists" => "x:b",
        "keys" => "x-:a<s>",
        "lookup" => "x-s:x",
        "spread" => "x-:a<o>",
        "merge" => "a<o>:o",
        "each" => "o-f:a",
        "sift" => "o-f?:o",
        "error" => "s?:x",
        "assert" => "bs?:x",
        "type" => "x:s",
        "append" => "xx:a",
        "sort" => "af?:a",
        "reverse" | "shuffle" => "a:a",
        "distinct" => "x:x",
        "zip" => "a+",
        "now" => "s?s?:s",
        "fromMillis" => "n-s?s?:s",
        "toMillis" => "s-s?:n",
        "map" | "filter" => "af",
        "single" => "af?",
        "reduce" => "afj?:j",
        "formatBase" => "n-n?:s",
        "formatInteger" => "n-s:s",
        "formatNumber" => "n-so?:s",
        "parseInteger" => "s-s:n",
        "eval" => "sx?:x",
        _ => return None,
    })
}
