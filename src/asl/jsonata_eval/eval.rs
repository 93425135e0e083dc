//! Running a JSONata AST: values, sequences (which flatten and unwrap singletons as the reference
//! implementation does), scopes, lambdas, and the step/depth budget.

use super::functions;
use super::parser::Node;
use super::signature::Signature;
use super::{Env, Error};
use crate::asl::meter;
use indexmap::IndexMap;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub type Obj = IndexMap<String, V>;

/// What visiting one node of a value costs (a walk copies nothing, so less than a slot).
pub const WALK: u64 = 16;

#[derive(Clone, Copy, Default, Debug, PartialEq)]
pub struct Flags {
    /// A result sequence (flattens into paths; a singleton unwraps).
    pub seq: bool,
    /// Built by an array constructor: not flattened by paths.
    pub cons: bool,
    /// `[]` asked to keep a singleton as an array.
    pub keep: bool,
    /// The whole input when it is an array: a sequence of one item (the array), so that paths
    /// start from the array rather than from each of its items; `$` is the array itself.
    pub outer: bool,
}

#[derive(Clone)]
pub enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Vec<V>>, Flags),
    Obj(Rc<Obj>),
    Func(Rc<Func>),
}

impl std::fmt::Debug for V {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            V::Func(_) => write!(f, "<function>"),
            other => write!(f, "{}", functions::to_json_text(other)),
        }
    }
}

pub enum Func {
    Lambda {
        params: Vec<String>,
        body: Rc<Node>,
        scope: Scope,
        input: Option<V>,
        sig: Option<Rc<Signature>>,
    },
    Native(&'static str),
    /// `$f ~> $g`: $g applied to $f's result.
    Chain(Rc<Func>, Rc<Func>),
    /// A partial application: fixed arguments, `None` where a `?` waits for one.
    Partial(Rc<Func>, Vec<Option<Option<V>>>),
    Regex(Rc<regex_lite::Regex>),
    /// `| location | update [, delete] |`: copies its argument and changes the matched objects.
    Transform {
        location: Rc<Node>,
        update: Rc<Node>,
        delete: Option<Rc<Node>>,
        scope: Scope,
    },
}

pub type Scope = Rc<Frame>;

pub struct Frame {
    /// `None`: bound to undefined (hides an outer binding).
    vars: RefCell<HashMap<String, Option<V>>>,
    parent: Option<Scope>,
}

impl Frame {
    pub fn child(parent: &Scope) -> Scope {
        Rc::new(Frame {
            vars: RefCell::new(HashMap::new()),
            parent: Some(parent.clone()),
        })
    }
    pub fn set(&self, k: &str, v: V) {
        self.vars.borrow_mut().insert(k.to_string(), Some(v));
    }
    fn set_undefined(&self, k: &str) {
        self.vars.borrow_mut().insert(k.to_string(), None);
    }
    /// `Some(None)`: bound to undefined here or in an enclosing scope.
    fn find(&self, k: &str) -> Option<Option<V>> {
        if let Some(v) = self.vars.borrow().get(k) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.find(k))
    }
    pub fn get(&self, k: &str) -> Option<V> {
        self.find(k).flatten()
    }
}

pub fn from_json(v: &Value) -> V {
    match v {
        Value::Null => V::Null,
        Value::Bool(b) => V::Bool(*b),
        Value::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => V::Str(Rc::from(s.as_str())),
        Value::Array(a) => V::Arr(Rc::new(a.iter().map(from_json).collect()), Flags::default()),
        Value::Object(m) => V::Obj(Rc::new(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())),
    }
}

pub fn num_json(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        if n == 0.0 {
            return Value::from(0);
        }
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// A value as JSON; functions cannot be (the caller reports it). Charged by what it builds: the
/// JSON is a tree, where the value may share one array many times.
pub fn to_json(v: &V) -> Option<Value> {
    if !meter::spend(meter::SLOT) {
        return Some(Value::Null);
    }
    Some(match v {
        V::Null => Value::Null,
        V::Bool(b) => Value::Bool(*b),
        V::Num(n) => num_json(*n),
        V::Str(s) => Value::String(s.to_string()),
        V::Arr(a, _) => Value::Array(a.iter().filter(|x| !matches!(x, V::Func(_))).map(to_json).collect::<Option<Vec<_>>>()?),
        V::Obj(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m.iter() {
                if matches!(x, V::Func(_)) {
                    continue;
                }
                out.insert(k.clone(), to_json(x)?);
            }
            Value::Object(out)
        }
        V::Func(_) => return None,
    })
}

pub struct Ctx<'e, 'a> {
    pub env: &'e mut Env<'a>,
    pub steps: u64,
    pub depth: u32,
    pub root: Option<V>,
    /// Every scope made during the evaluation: cleared at the end, which breaks the cycles a
    /// lambda stored in its own scope makes (they would leak otherwise).
    pub scopes: Vec<Scope>,
    /// When `scopes` is next compacted.
    pub compact_at: usize,
    /// Outside bindings (`$states`, workflow variables) converted once per evaluation: a loop
    /// that reads `$states.input` would otherwise copy the whole input at every turn.
    pub outside: HashMap<String, Option<V>>,
}

pub type R = Result<Option<V>, Error>;

pub fn seq(items: Vec<V>) -> Option<V> {
    meter::spend_slots(items.len());
    match items.len() {
        0 => None,
        1 => items.into_iter().next(),
        _ => Some(V::Arr(Rc::new(items), Flags { seq: true, ..Flags::default() })),
    }
}

pub fn arr(items: Vec<V>) -> V {
    meter::spend_slots(items.len());
    V::Arr(Rc::new(items), Flags::default())
}

/// The items of a value as a sequence (an array's items, or the value itself).
pub fn items(v: &V) -> Vec<V> {
    match v {
        V::Arr(a, _) => {
            // A copy of shared pointers: charged as a walk (the time it takes), not as new slots.
            meter::spend(WALK.saturating_mul(a.len() as u64));
            a.as_ref().clone()
        }
        other => vec![other.clone()],
    }
}

pub fn truthy(v: &Option<V>) -> bool {
    match v {
        None => false,
        Some(v) => truthy_v(v),
    }
}

fn truthy_v(v: &V) -> bool {
    match v {
        V::Null => false,
        V::Bool(b) => *b,
        V::Num(n) => *n != 0.0,
        V::Str(s) => !s.is_empty(),
        V::Arr(a, _) => match a.len() {
            0 => false,
            1 => truthy_v(&a[0]),
            _ => a.iter().any(truthy_v),
        },
        V::Obj(m) => !m.is_empty(),
        V::Func(_) => false,
    }
}

/// Structural equality; each node compared is charged to the meter (a shared value can make a
/// small expression compare a huge tree), and an exhausted meter ends the walk early.
pub fn deep_eq(a: &V, b: &V) -> bool {
    if !meter::spend(WALK) {
        return false;
    }
    match (a, b) {
        (V::Null, V::Null) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Num(x), V::Num(y)) => x == y,
        (V::Str(x), V::Str(y)) => x == y,
        // The same shared value (a variable compared with itself): no walk needed.
        (V::Arr(x, _), V::Arr(y, _)) if Rc::ptr_eq(x, y) => true,
        (V::Obj(x), V::Obj(y)) if Rc::ptr_eq(x, y) => true,
        (V::Arr(x, _), V::Arr(y, _)) => x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_eq(p, q)),
        (V::Obj(x), V::Obj(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_eq(v, w))),
        _ => false,
    }
}

pub fn run(ast: &Node, input: Option<&Value>, env: &mut Env) -> Result<Option<Value>, Error> {
    let limit = env.budget.max_bytes;
    meter::metered(limit, || {
        let r = run_metered(ast, input, env);
        // A walk stopped by the meter gives a partial value: never let one out.
        if meter::exhausted() {
            return Err(size_limit_error());
        }
        r
    })
}

/// The error of an evaluation that built or walked more than its size budget allows.
pub fn size_limit_error() -> Error {
    Error::new("U1001", meter::EXCEEDED)
}

fn run_metered(ast: &Node, input: Option<&Value>, env: &mut Env) -> Result<Option<Value>, Error> {
    let root = input.map(from_json);
    let input = match &root {
        Some(a @ V::Arr(..)) => Some(V::Arr(Rc::new(vec![a.clone()]), Flags { seq: true, outer: true, ..Flags::default() })),
        other => other.clone(),
    };
    let root_scope: Scope = Rc::new(Frame {
        vars: RefCell::new(HashMap::new()),
        parent: None,
    });
    let mut ctx = Ctx {
        env,
        steps: 0,
        depth: 0,
        root,
        scopes: vec![root_scope.clone()],
        compact_at: 1024,
        outside: HashMap::new(),
    };
    let r = eval(&mut ctx, ast, &input, &root_scope);
    for s in ctx.scopes.drain(..) {
        s.vars.borrow_mut().clear();
    }
    let r = r?.map(unwrap_outer);
    if r.as_ref().is_some_and(has_infinity) {
        return Err(Error::new("D1001", "Number out of range"));
    }
    match r {
        None => Ok(None),
        Some(v) => match to_json(&v) {
            Some(j) => Ok(Some(j)),
            None => Err(Error::new("S0500", "The expression returned a function, which is not a JSON value")),
        },
    }
}

impl Ctx<'_, '_> {
    pub fn child(&mut self, parent: &Scope) -> Scope {
        let s = Frame::child(parent);
        // A scope only this list holds is garbage (no cycle runs through it): drop those now and
        // then, so that long loops (tail calls, tuple streams) do not keep every frame alive.
        if self.scopes.len() >= self.compact_at {
            self.scopes.retain(|s| Rc::strong_count(s) > 1);
            self.compact_at = (self.scopes.len() * 2).max(1024);
        }
        self.scopes.push(s.clone());
        s
    }

    /// One nesting level more (for recursion that does not go through `eval`).
    pub fn enter(&mut self) -> Result<(), Error> {
        self.tick()?;
        self.depth += 1;
        if self.depth > self.env.budget.max_depth {
            self.depth -= 1;
            return Err(Error::new("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub fn tick(&mut self) -> Result<(), Error> {
        self.steps += 1;
        if self.steps > self.env.budget.max_steps {
            return Err(Error::new("U1001", "The expression exceeded its evaluation budget (too many steps)"));
        }
        if meter::exhausted() {
            return Err(size_limit_error());
        }
        Ok(())
    }
}

pub fn eval(ctx: &mut Ctx, node: &Node, input: &Option<V>, scope: &Scope) -> R {
    ctx.tick()?;
    ctx.depth += 1;
    if ctx.depth > ctx.env.budget.max_depth {
        ctx.depth -= 1;
        return Err(Error::new("U1001", "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."));
    }
    let r = eval_inner(ctx, node, input, scope);
    ctx.depth -= 1;
    r
}

/// The input array itself, for the sequence that wraps it (see `Flags::outer`).
pub fn unwrap_outer(v: V) -> V {
    match v {
        V::Arr(a, f) if f.outer => a.first().cloned().unwrap_or(V::Null),
        other => other,
    }
}

pub fn has_infinity(v: &V) -> bool {
    if !meter::spend(WALK) {
        return false;
    }
    match v {
        V::Num(n) => !n.is_finite(),
        V::Arr(a, _) => a.iter().any(has_infinity),
        V::Obj(m) => m.values().any(has_infinity),
        _ => false,
    }
}

fn lookup(ctx: &mut Ctx, name: &str, input: &Option<V>, scope: &Scope) -> Option<V> {
    if name.is_empty() {
        return input.clone().map(unwrap_outer);
    }
    if name == "$" {
        return ctx.root.clone();
    }
    if let Some(v) = scope.find(name) {
        return v;
    }
    if let Some(v) = ctx.outside.get(name) {
        return v.clone();
    }
    if let Some(v) = (ctx.env.bindings)(name) {
        let v = from_json(&v);
        ctx.outside.insert(name.to_string(), Some(v.clone()));
        return Some(v);
    }
    functions::native(name).map(|f| V::Func(Rc::new(Func::Native(f))))
}

fn field(v: &V, name: &str) -> Option<V> {
    match v {
        V::Obj(m) => m.get(name).cloned(),
        V::Arr(a, _) => {
            let mut out = Vec::new();
            for x in a.iter() {
                if let Some(r) = field(x, name) {
                    match r {
                        V::Arr(inner, f) if !f.cons => {
                            if !meter::spend_slots(inner.len()) {
                                return None;
                            }
                            out.extend(inner.iter().cloned())
                        }
                        other => out.push(other),
                    }
                }
            }
            seq(out)
        }
        _ => None,
    }
}

fn eval_inner(ctx: &mut Ctx, node: &Node, input: &Option<V>, scope: &Scope) -> R {
    Ok(match node {
        Node::Num(n) => Some(V::Num(*n)),
        Node::Str(s) => Some(V::Str(Rc::from(s.as_str()))),
        Node::Bool(b) => Some(V::Bool(*b)),
        Node::Null => Some(V::Null),
        Node::Name(n) => input.as_ref().and_then(|v| field(v, n)),
        Node::Var(n) => lookup(ctx, n, input, scope),
        Node::Wildcard => { eval_wildcard(ctx, input)? }
        Node::Descendants => {
            let Some(v) = input else { return Ok(None) };
            let mut out = Vec::new();
            descend(v, &mut out, ctx)?;
            seq(out)
        }
        // Bound by the step the `%` refers to (tuples.rs); undefined elsewhere.
        Node::Parent(slot) => scope.get(&super::resolve::label_name(slot)),
        Node::TPath(p) if p.plain() => {
            let steps: Vec<&Node> = p.steps.iter().map(|s| &s.orig).collect();
            path(ctx, &steps, input, scope)?
        }
        Node::TPath(p) => super::tuples::eval_tpath(ctx, p, input, scope)?,
        Node::Regex(p, f) => { eval_regex(p, f)? }
        Node::Neg(e) => match eval(ctx, e, input, scope)? {
            None => None,
            Some(V::Num(n)) => Some(V::Num(-n)),
            Some(_) => return Err(Error::new("D1002", "Cannot negate a non-numeric value")),
        },
        Node::Binary(op, a, b) => binary(ctx, op, a, b, input, scope)?,
        Node::Path(steps) => path(ctx, &steps.iter().collect::<Vec<_>>(), input, scope)?,
        Node::Filter(base, pred) => {
            let b = eval(ctx, base, input, scope)?;
            let keep = matches!(&b, Some(V::Arr(_, f)) if f.keep);
            let r = filter(ctx, b, pred, scope)?;
            if keep {
                r.map(|v| V::Arr(Rc::new(items(&v)), Flags { keep: true, seq: true, cons: false, outer: false }))
            } else {
                r
            }
        }
        Node::KeepArray(e) => eval(ctx, e, input, scope)?.map(|v| V::Arr(Rc::new(items(&v)), Flags { keep: true, seq: true, cons: false, outer: false })),
        Node::Array(items_n) => { eval_array(ctx, items_n, input, scope)? }
        Node::Range(_, _) => return Err(Error::new("S0201", "A range is only allowed inside an array constructor")),
        Node::Object(pairs) => Some(group(ctx, input.clone(), pairs, scope, true)?),
        Node::Group(base, pairs) => {
            let b = eval(ctx, base, input, scope)?;
            Some(group(ctx, b, pairs, scope, false)?)
        }
        Node::Block(exprs) | Node::TBlock(exprs) => {
            let inner = ctx.child(scope);
            let mut last = None;
            for e in exprs {
                last = eval(ctx, e, input, &inner)?;
            }
            last
        }
        Node::Cond(c, t, e) => {
            let cv = eval(ctx, c, input, scope)?;
            if truthy(&cv) {
                eval(ctx, t, input, scope)?
            } else if let Some(e) = e {
                eval(ctx, e, input, scope)?
            } else {
                None
            }
        }
        Node::Bind(name, e) => {
            let v = eval(ctx, e, input, scope)?;
            match &v {
                Some(v) => scope.set(name, v.clone()),
                None => scope.set_undefined(name),
            }
            v
        }
        Node::Lambda(params, body, sig) => Some(V::Func(Rc::new(Func::Lambda {
            params: params.clone(),
            body: Rc::new((**body).clone()),
            scope: scope.clone(),
            input: input.clone(),
            sig: sig.clone(),
        }))),
        Node::Placeholder => return Err(Error::new("S0215", "A ? placeholder can only be an argument of a function call")),
        Node::Call(callee, args) => { eval_call(ctx, callee, args, input, scope)? }
        Node::Chain(a, b) => { eval_chain(ctx, a, b, input, scope)? }
        Node::Sort(base, keys) => { eval_sort(ctx, base, keys, input, scope)? }
        Node::Transform(loc, upd, del) => Some(V::Func(Rc::new(Func::Transform {
            location: Rc::new((**loc).clone()),
            update: Rc::new((**upd).clone()),
            delete: del.as_ref().map(|d| Rc::new((**d).clone())),
            scope: scope.clone(),
        }))),
        Node::FocusBind(base, var) | Node::IndexBind(base, var) => {
            let b = eval(ctx, base, input, scope)?;
            let list = b.map(|v| items(&v)).unwrap_or_default();
            let mut out = Vec::new();
            for (i, it) in list.into_iter().enumerate() {
                let _ = (i, var);
                out.push(it);
            }
            seq(out)
        }
    })
}

/// `**`: the value itself (unless an array) and everything inside it.
fn descend(v: &V, out: &mut Vec<V>, ctx: &mut Ctx) -> Result<(), Error> {
    ctx.enter()?;
    meter::spend_slots(1);
    let r = (|| {
        match v {
            V::Arr(a, _) => {
                for x in a.iter() {
                    descend(x, out, ctx)?;
                }
            }
            V::Obj(m) => {
                out.push(v.clone());
                for x in m.values() {
                    descend(x, out, ctx)?;
                }
            }
            other => out.push(other.clone()),
        }
        Ok(())
    })();
    ctx.leave();
    r
}

fn path(ctx: &mut Ctx, steps: &[&Node], input: &Option<V>, scope: &Scope) -> R {
    fn is_var_step(n: &Node) -> bool {
        match n {
            Node::Var(_) => true,
            Node::Filter(b, _) | Node::KeepArray(b) => is_var_step(b),
            _ => false,
        }
    }
    let first_is_var = steps.first().is_some_and(|s| is_var_step(s));
    let first_single = first_is_var || matches!(steps.first().copied(), Some(Node::Str(_) | Node::Num(_) | Node::Array(_) | Node::Call(..) | Node::Block(_) | Node::Object(_)));
    let mut current: Vec<V> = match input {
        None if first_single => Vec::new(),
        None => return Ok(None),
        Some(V::Arr(a, _)) if !first_is_var => items(&V::Arr(a.clone(), Flags::default())),
        Some(v) => vec![v.clone()],
    };
    let mut keep = false;
    for (i, step) in steps.iter().enumerate() {
        let mut results: Vec<V> = Vec::new();
        let single_eval = i == 0 && first_single;
        let inputs: Vec<Option<V>> = if single_eval { vec![input.clone()] } else { current.iter().cloned().map(Some).collect() };
        let n_inputs = inputs.len();
        let step: &Node = step;
        let is_cons = matches!(step, Node::Array(_)) || matches!(step, Node::KeepArray(b) if matches!(**b, Node::Array(_)));
        for item in inputs {
            if let Some(r) = eval(ctx, step, &item, scope)? {
                results.push(match r {
                    V::Arr(a, f) if is_cons => V::Arr(a, Flags { cons: true, ..f }),
                    other => other,
                });
            }
        }
        if results.is_empty() {
            return Ok(None);
        }
        let _ = n_inputs;
        // The reference's rule: a last step that gave exactly one plain array gives that array
        // (not a sequence); otherwise results flatten one level (constructed arrays stay whole).
        let last = i + 1 == steps.len();
        if last && results.len() == 1 {
            if let V::Arr(a, f) = &results[0] {
                if !f.seq {
                    let f = *f;
                    let a = a.clone();
                    if keep || f.keep {
                        return Ok(Some(V::Arr(a, Flags { keep: true, seq: true, cons: false, outer: false })));
                    }
                    return Ok(Some(V::Arr(a, Flags { seq: false, keep: false, cons: f.cons, outer: false })));
                }
            }
        }
        // A leading array constructor is the sequence itself (its items go on, not the array).
        if i == 0 && results.len() == 1 && matches!(step, Node::Array(_)) {
            if let Some(V::Arr(a, _)) = results.first() {
                meter::spend_slots(a.len());
                current = a.as_ref().clone();
                if current.is_empty() {
                    return Ok(None);
                }
                continue;
            }
        }
        let mut flat = Vec::new();
        for r in results {
            match r {
                V::Arr(a, f) if !f.cons => {
                    keep |= f.keep;
                    if !meter::spend_slots(a.len()) {
                        return Err(size_limit_error());
                    }
                    flat.extend(a.iter().cloned());
                }
                other => {
                    keep |= matches!(&other, V::Arr(_, f) if f.keep);
                    flat.push(other)
                }
            }
        }
        current = flat;
        if current.is_empty() {
            return Ok(None);
        }
    }
    if keep {
        return Ok(Some(V::Arr(Rc::new(current), Flags { seq: true, keep: true, cons: false, outer: false })));
    }
    Ok(seq(current))
}

pub fn filter(ctx: &mut Ctx, base: Option<V>, pred: &Node, scope: &Scope) -> R {
    let Some(b) = base else { return Ok(None) };
    let list = items(&b);
    let n = list.len() as i64;
    // A literal number index.
    if let Node::Num(k) = pred {
        let idx = k.floor() as i64;
        let idx = if idx < 0 { n + idx } else { idx };
        return Ok(if idx >= 0 && idx < n { Some(list[idx as usize].clone()) } else { None });
    }
    let mut out = Vec::new();
    for (i, it) in list.iter().enumerate() {
        let r = eval(ctx, pred, &Some(it.clone()), scope)?;
        match &r {
            Some(V::Num(k)) => {
                let idx = k.floor() as i64;
                let idx = if idx < 0 { n + idx } else { idx };
                if idx == i as i64 {
                    out.push(it.clone());
                }
            }
            Some(V::Arr(a, _)) if !a.is_empty() && a.iter().all(|x| matches!(x, V::Num(_))) => {
                let hit = a.iter().any(|x| match x {
                    V::Num(k) => {
                        let idx = k.floor() as i64;
                        (if idx < 0 { n + idx } else { idx }) == i as i64
                    }
                    _ => false,
                });
                if hit {
                    out.push(it.clone());
                }
            }
            other => {
                if truthy(other) {
                    out.push(it.clone());
                }
            }
        }
    }
    Ok(seq(out))
}

pub fn group(ctx: &mut Ctx, base: Option<V>, pairs: &[(Node, Node)], scope: &Scope, constructor: bool) -> Result<V, Error> {
    let list = match &base {
        None => vec![],
        Some(v) => items(v),
    };
    let list = if list.is_empty() && constructor { vec![] } else { list };
    // key → (pair index, grouped items)
    let mut groups: IndexMap<String, (usize, Vec<V>)> = IndexMap::new();
    let contexts: Vec<Option<V>> = if list.is_empty() { vec![base.clone()] } else { list.into_iter().map(Some).collect() };
    for item in &contexts {
        for (pi, (k, _)) in pairs.iter().enumerate() {
            let Some(key) = group_key(eval(ctx, k, item, scope)?)? else { continue };
            let e = groups.entry(key.clone()).or_insert((pi, Vec::new()));
            check_group_key(e.0, pi, &key)?;
            if let Some(it) = item {
                meter::spend_slots(1);
                e.1.push(it.clone());
            }
        }
    }
    let mut out = Obj::new();
    for (key, (pi, data)) in groups {
        let ctx_value = match data.len() {
            0 => base.clone(),
            1 => data.into_iter().next(),
            _ => Some(V::Arr(Rc::new(data), Flags { seq: true, ..Flags::default() })),
        };
        if let Some(v) = eval(ctx, &pairs[pi].1, &ctx_value, scope)? {
            meter::spend(meter::ENTRY + key.len() as u64);
            out.insert(key, v);
        }
    }
    Ok(V::Obj(Rc::new(out)))
}

fn num_op(op: &str, a: f64, b: f64) -> Result<V, Error> {
    // An infinite result is only an error where it is used (`$string(1/0)` is D3001).
    if !a.is_finite() || !b.is_finite() {
        return Err(Error::new("D1001", "Number out of range"));
    }
    let r = match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        _ => a % b,
    };
    if r.is_nan() {
        return Err(Error::new("D1001", format!("Number out of range: {r}")));
    }
    Ok(V::Num(r))
}

fn binary(ctx: &mut Ctx, op: &str, a: &Node, b: &Node, input: &Option<V>, scope: &Scope) -> R {
    match op {
        "and" => {
            let l = eval(ctx, a, input, scope)?;
            if !truthy(&l) {
                return Ok(Some(V::Bool(false)));
            }
            let r = eval(ctx, b, input, scope)?;
            return Ok(Some(V::Bool(truthy(&r))));
        }
        "or" => {
            let l = eval(ctx, a, input, scope)?;
            if truthy(&l) {
                return Ok(Some(V::Bool(true)));
            }
            let r = eval(ctx, b, input, scope)?;
            return Ok(Some(V::Bool(truthy(&r))));
        }
        "?:" => {
            let l = eval(ctx, a, input, scope)?;
            return if truthy(&l) { Ok(l) } else { eval(ctx, b, input, scope) };
        }
        "??" => {
            let l = eval(ctx, a, input, scope)?;
            return if l.is_some() { Ok(l) } else { eval(ctx, b, input, scope) };
        }
        _ => {}
    }
    let l = eval(ctx, a, input, scope)?;
    let r = eval(ctx, b, input, scope)?;
    match op {
        "+" | "-" | "*" | "/" | "%" => {
            if !matches!(l, None | Some(V::Num(_))) {
                return Err(Error::new("T2001", format!("The left side of the \"{op}\" operator must evaluate to a number")));
            }
            if !matches!(r, None | Some(V::Num(_))) {
                return Err(Error::new("T2002", format!("The right side of the \"{op}\" operator must evaluate to a number")));
            }
            match (l, r) {
                (Some(V::Num(x)), Some(V::Num(y))) => num_op(op, x, y).map(Some),
                _ => Ok(None),
            }
        }
        "&" => {
            let s = |v: &Option<V>| -> Result<String, Error> {
                match v {
                    None => Ok(String::new()),
                    Some(v) => functions::string_of(v),
                }
            };
            let (l, r) = (s(&l)?, s(&r)?);
            if !meter::spend((l.len() + r.len()) as u64) {
                return Err(size_limit_error());
            }
            Ok(Some(V::Str(Rc::from(format!("{l}{r}").as_str()))))
        }
        "=" | "!=" => {
            let (Some(x), Some(y)) = (&l, &r) else { return Ok(Some(V::Bool(false))) };
            let eq = deep_eq(x, y);
            Ok(Some(V::Bool(if op == "=" { eq } else { !eq })))
        }
        "<" | "<=" | ">" | ">=" => {
            let ok_type = |v: &Option<V>| matches!(v, None | Some(V::Num(_)) | Some(V::Str(_)));
            if !ok_type(&l) || !ok_type(&r) {
                return Err(Error::new("T2010", format!("The expressions either side of operator \"{op}\" must evaluate to numeric or string values")));
            }
            let (Some(x), Some(y)) = (&l, &r) else { return Ok(None) };
            let ord = match (x, y) {
                (V::Num(p), V::Num(q)) => p.partial_cmp(q),
                (V::Str(p), V::Str(q)) => Some(p.cmp(q)),
                _ => return Err(Error::new("T2009", format!("The values {x:?} and {y:?} either side of operator \"{op}\" must be of the same data type"))),
            };
            let Some(o) = ord else { return Ok(Some(V::Bool(false))) };
            use std::cmp::Ordering::*;
            Ok(Some(V::Bool(match op {
                "<" => o == Less,
                "<=" => o != Greater,
                ">" => o == Greater,
                _ => o != Less,
            })))
        }
        "in" => {
            let (Some(x), Some(y)) = (&l, &r) else { return Ok(Some(V::Bool(false))) };
            Ok(Some(V::Bool(items(y).iter().any(|e| deep_eq(e, x)))))
        }
        other => Err(Error::new("S0201", format!("Unknown operator {other}"))),
    }
}

/// A lambda body's result, or the call it ends with (made by the caller's loop, so that tail
/// recursion does not nest: it is bounded by the step budget instead of the depth).
enum Tail {
    Done(Option<V>),
    Call(Rc<Func>, Vec<Option<V>>, Option<V>),
}

/// Evaluates `node` in tail position: through conditions and blocks to a lambda call.
fn eval_tail(ctx: &mut Ctx, node: &Node, input: &Option<V>, scope: &Scope) -> Result<Tail, Error> {
    match node {
        Node::Cond(c, t, e) => {
            ctx.enter()?;
            let r = (|| {
                let cv = eval(ctx, c, input, scope)?;
                if truthy(&cv) {
                    eval_tail(ctx, t, input, scope)
                } else if let Some(e) = e {
                    eval_tail(ctx, e, input, scope)
                } else {
                    Ok(Tail::Done(None))
                }
            })();
            ctx.leave();
            r
        }
        Node::Block(exprs) | Node::TBlock(exprs) if !exprs.is_empty() => {
            ctx.enter()?;
            let inner = ctx.child(scope);
            let r = (|| {
                let (last, init) = exprs.split_last().ok_or_else(|| Error::new("S0201", "empty block"))?;
                for e in init {
                    eval(ctx, e, input, &inner)?;
                }
                eval_tail(ctx, last, input, &inner)
            })();
            ctx.leave();
            r
        }
        Node::Call(callee, args) if !args.iter().any(|a| matches!(a, Node::Placeholder)) => {
            let f = eval(ctx, callee, input, scope)?;
            match f {
                Some(V::Func(f)) if matches!(&*f, Func::Lambda { .. }) => {
                    let mut vals = Vec::with_capacity(args.len());
                    for a in args {
                        vals.push(eval(ctx, a, input, scope)?);
                    }
                    Ok(Tail::Call(f, vals, input.clone()))
                }
                _ => Ok(Tail::Done(eval(ctx, node, input, scope)?)),
            }
        }
        _ => Ok(Tail::Done(eval(ctx, node, input, scope)?)),
    }
}

/// Calls a function value with arguments (None = undefined).
pub fn apply(ctx: &mut Ctx, f: &Rc<Func>, args: Vec<Option<V>>, input: &Option<V>) -> R {
    ctx.tick()?;
    let (mut f, mut args, mut input) = (f.clone(), args, input.clone());
    loop {
        let Func::Lambda { params, body, scope, input: captured, sig } = &*f else {
            return apply_once(ctx, &f, args, &input);
        };
        let args_v = match sig {
            Some(sig) => sig.validate("", args, &input)?,
            None => args,
        };
        let inner = ctx.child(scope);
        for (i, p) in params.iter().enumerate() {
            if let Some(Some(v)) = args_v.get(i) {
                inner.set(p, v.clone());
            }
        }
        let (body, captured) = (body.clone(), captured.clone());
        match eval_tail(ctx, &body, &captured, &inner)? {
            Tail::Done(v) => return Ok(v),
            Tail::Call(g, a, i) => {
                ctx.tick()?;
                f = g;
                args = a;
                input = i;
            }
        }
    }
}

fn apply_once(ctx: &mut Ctx, f: &Rc<Func>, args: Vec<Option<V>>, input: &Option<V>) -> R {
    match &**f {
        Func::Native(name) => functions::call(ctx, name, args, input),
        Func::Lambda { .. } => apply(ctx, f, args, input),
        Func::Chain(first, then) => {
            let r = apply(ctx, first, args, input)?;
            apply(ctx, then, vec![r], input)
        }
        Func::Partial(g, fixed) => {
            let mut it = args.into_iter();
            let full: Vec<Option<V>> = fixed
                .iter()
                .map(|a| match a {
                    None => it.next().flatten(),
                    Some(v) => v.clone(),
                })
                .collect();
            apply(ctx, g, full, input)
        }
        Func::Regex(re) => {
            let Some(Some(V::Str(s))) = args.first() else { return Ok(None) };
            Ok(functions::regex_match_object(re, s, 0))
        }
        Func::Transform { location, update, delete, scope } => {
            let Some(target) = args.into_iter().next().flatten() else { return Ok(None) };
            // The objects the location matches, by identity in the argument.
            let matches = eval(ctx, location, &Some(target.clone()), scope)?;
            let mut ptrs = Vec::new();
            // Only objects can be updated; other matches are left as they are.
            for m in matches.map(|m| items(&m)).unwrap_or_default() {
                if let V::Obj(o) = m {
                    ptrs.push(Rc::as_ptr(&o));
                }
            }
            transform_copy(ctx, &target, &ptrs, update, delete.as_deref(), scope)
        }
    }
}

/// A copy of `v` where every object in `ptrs` gets the update merged in and the deletions removed.
fn transform_copy(ctx: &mut Ctx, v: &V, ptrs: &[*const Obj], update: &Node, delete: Option<&Node>, scope: &Scope) -> R {
    ctx.tick()?;
    Ok(Some(match v {
        V::Obj(o) => {
            let mut copy = Obj::new();
            if !meter::spend(meter::ENTRY * o.len() as u64) {
                return Err(size_limit_error());
            }
            for (k, x) in o.iter() {
                if let Some(c) = transform_copy(ctx, x, ptrs, update, delete, scope)? {
                    copy.insert(k.clone(), c);
                }
            }
            if ptrs.contains(&Rc::as_ptr(o)) {
                match eval(ctx, update, &Some(v.clone()), scope)? {
                    None => {}
                    Some(V::Obj(u)) => {
                        for (k, x) in u.iter() {
                            copy.insert(k.clone(), x.clone());
                        }
                    }
                    Some(_) => return Err(Error::new("T2011", "The insert/update clause of the transform expression must evaluate to an object")),
                }
                if let Some(d) = delete {
                    match eval(ctx, d, &Some(v.clone()), scope)? {
                        None => {}
                        Some(del) => {
                            for k in items(&del) {
                                match k {
                                    V::Str(name) => {
                                        copy.shift_remove(name.as_ref());
                                    }
                                    _ => return Err(Error::new("T2012", "The delete clause of the transform expression must evaluate to a string or array of strings")),
                                }
                            }
                        }
                    }
                }
            }
            V::Obj(Rc::new(copy))
        }
        V::Arr(a, f) => {
            if !meter::spend_slots(a.len()) {
                return Err(size_limit_error());
            }
            let mut out = Vec::with_capacity(a.len());
            for x in a.iter() {
                if let Some(c) = transform_copy(ctx, x, ptrs, update, delete, scope)? {
                    out.push(c);
                }
            }
            V::Arr(Rc::new(out), *f)
        }
        other => other.clone(),
    }))
}

/// How many parameters a function value takes (for $map/$filter/$reduce callbacks).
pub fn arity(f: &Func) -> usize {
    match f {
        Func::Lambda { params, .. } => params.len(),
        Func::Native(name) => super::signature::native(name).map(|s| s.arity()).unwrap_or(1),
        Func::Chain(first, _) => arity(first),
        Func::Partial(_, fixed) => fixed.iter().filter(|a| a.is_none()).count(),
        Func::Regex(_) | Func::Transform { .. } => 1,
    }
}

#[inline(never)]
fn eval_array(ctx: &mut Ctx, items_n: &[Node], input: &Option<V>, scope: &Scope) -> R {
    Ok({
            let mut out = Vec::new();
            for it in items_n {
                if let Node::Range(a, b) = it {
                    let (lo, hi) = (eval(ctx, a, input, scope)?, eval(ctx, b, input, scope)?);
                    let int = |v: &Option<V>| matches!(v, None | Some(V::Num(_))) && !matches!(v, Some(V::Num(n)) if n.fract() != 0.0 || !n.is_finite());
                    if !int(&lo) {
                        return Err(Error::new("T2003", "The left side of the range operator (..) must evaluate to an integer"));
                    }
                    if !int(&hi) {
                        return Err(Error::new("T2004", "The right side of the range operator (..) must evaluate to an integer"));
                    }
                    let (Some(V::Num(lo)), Some(V::Num(hi))) = (lo, hi) else { continue };
                    if hi - lo + 1.0 > 10_000_000.0 {
                        return Err(Error::new("D2014", format!("The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {}.", hi - lo + 1.0)));
                    }
                    if hi >= lo && !meter::spend_slots((hi - lo + 1.0) as usize) {
                        return Err(size_limit_error());
                    }
                    let mut i = lo;
                    while i <= hi {
                        ctx.tick()?;
                        out.push(V::Num(i));
                        i += 1.0;
                    }
                    continue;
                }
                match eval(ctx, it, input, scope)? {
                    None => {}
                    Some(V::Arr(a, f)) if !f.cons && !matches!(it, Node::Array(_)) => {
                        if !meter::spend_slots(a.len()) {
                            return Err(size_limit_error());
                        }
                        out.extend(a.iter().cloned())
                    }
                    Some(v) => {
                        meter::spend_slots(1);
                        out.push(v)
                    }
                }
            }
            // Only an array constructor that is a path step keeps its array whole (the
            // reference's `consarray`); path() marks those.
            Some(V::Arr(Rc::new(out), Flags::default()))
        })
}

#[inline(never)]
fn eval_call(ctx: &mut Ctx, callee: &Node, args: &[Node], input: &Option<V>, scope: &Scope) -> R {
    Ok({
            let f = eval(ctx, callee, input, scope)?;
            let Some(V::Func(f)) = f else {
                let partial = args.iter().any(|a| matches!(a, Node::Placeholder));
                // `sum(x)` for `$sum(x)`: say so.
                if let Node::Name(n) = callee {
                    if functions::native(n).is_some() {
                        let code = if partial { "T1007" } else { "T1005" };
                        return Err(Error::new(code, format!("Attempted to invoke a non-function. Did you mean ${n}?")));
                    }
                }
                if partial {
                    return Err(Error::new("T1008", "Attempted to partially apply a non-function"));
                }
                let name = match callee {
                    Node::Var(n) => format!("${n}"),
                    _ => String::new(),
                };
                return Err(Error::new("T1006", format!("Attempted to invoke a non-function{}", if name.is_empty() { String::new() } else { format!(": {name}") })));
            };
            let mut vals = Vec::with_capacity(args.len());
            let mut partial = false;
            for a in args {
                if matches!(a, Node::Placeholder) {
                    partial = true;
                    vals.push(None);
                } else {
                    vals.push(Some(eval(ctx, a, input, scope)?));
                }
            }
            if partial {
                return Ok(Some(V::Func(Rc::new(Func::Partial(f, vals)))));
            }
            let vals: Vec<Option<V>> = vals.into_iter().map(|v| v.flatten()).collect();
            apply(ctx, &f, vals, input)?
        })
}

#[inline(never)]
fn eval_chain(ctx: &mut Ctx, a: &Node, b: &Node, input: &Option<V>, scope: &Scope) -> R {
    Ok({
            // `x ~> $f(...)[]`: the call, keeping a singleton array.
            if let Node::KeepArray(inner) = b {
                if let Node::Call(..) = &**inner {
                    let r = eval_chain(ctx, a, inner, input, scope)?;
                    return Ok(r.map(|v| V::Arr(Rc::new(items(&v)), Flags { keep: true, seq: true, cons: false, outer: false })));
                }
            }
            let av = eval(ctx, a, input, scope)?;
            match b {
                Node::Call(callee, args) if !args.iter().any(|x| matches!(x, Node::Placeholder)) => {
                    let f = eval(ctx, callee, input, scope)?;
                    let Some(V::Func(f)) = f else {
                        return Err(Error::new("T2006", "The right side of the function application operator ~> must be a function"));
                    };
                    let mut vals = vec![av];
                    for x in args {
                        vals.push(eval(ctx, x, input, scope)?);
                    }
                    apply(ctx, &f, vals, input)?
                }
                other => match eval(ctx, other, input, scope)? {
                    // `$f ~> $g` composes.
                    Some(V::Func(g)) => match av {
                        Some(V::Func(f)) => Some(V::Func(Rc::new(Func::Chain(f, g)))),
                        av => apply(ctx, &g, vec![av], input)?,
                    },
                    _ => return Err(Error::new("T2006", "The right side of the function application operator ~> must be a function")),
                },
            }
        })
}

#[inline(never)]
fn eval_sort(ctx: &mut Ctx, base: &Node, keys: &[(Node, bool)], input: &Option<V>, scope: &Scope) -> R {
    Ok({
            let b = eval(ctx, base, input, scope)?;
            let Some(b) = b else { return Ok(None) };
            let list = items(&b);
            let mut keyed = Vec::with_capacity(list.len());
            for it in list {
                let mut ks = Vec::new();
                for (k, _) in keys {
                    ks.push(eval(ctx, k, &Some(it.clone()), scope)?);
                }
                keyed.push((ks, it));
            }
            let mut error = None;
            keyed.sort_by(|x, y| {
                for (i, (_, desc)) in keys.iter().enumerate() {
                    let o = match compare_keys(&x.0[i], &y.0[i]) {
                        Ok(o) => o,
                        Err(e) => {
                            error = Some(e);
                            std::cmp::Ordering::Equal
                        }
                    };
                    let o = if *desc { o.reverse() } else { o };
                    if o != std::cmp::Ordering::Equal {
                        return o;
                    }
                }
                std::cmp::Ordering::Equal
            });
            if let Some(e) = error {
                return Err(e);
            }
            seq(keyed.into_iter().map(|(_, v)| v).collect())
        })
}

#[inline(never)]
fn eval_wildcard(_ctx: &mut Ctx, input: &Option<V>) -> R {
    Ok({
            let Some(v) = input else { return Ok(None) };
            let mut out = Vec::new();
            let mut push = |x: &V| match x {
                V::Arr(a, _) => {
                    if meter::spend_slots(a.len()) {
                        out.extend(a.iter().cloned())
                    }
                }
                other => out.push(other.clone()),
            };
            match v {
                V::Obj(m) => m.values().for_each(&mut push),
                V::Arr(a, f) if f.outer => {
                    fn flatten(v: &V, out: &mut Vec<V>) {
                        if !meter::spend_slots(1) {
                            return;
                        }
                        match v {
                            V::Arr(a, _) => a.iter().for_each(|x| flatten(x, out)),
                            other => out.push(other.clone()),
                        }
                    }
                    a.iter().for_each(|x| flatten(x, &mut out));
                }
                V::Arr(a, _) => {
                    for x in a.iter() {
                        if let V::Obj(m) = x {
                            m.values().for_each(&mut push);
                        }
                    }
                }
                _ => {}
            }
            seq(out)
        })
}

#[inline(never)]
fn eval_regex(p: &str, f: &str) -> R {
    Ok({
            let mut pat = String::new();
            if f.contains('i') {
                pat.push_str("(?i)");
            }
            if f.contains('m') {
                pat.push_str("(?m)");
            }
            pat.push_str(p);
            let re = regex_lite::Regex::new(&pat).map_err(|e| Error::new("S0303", format!("Invalid regular expression: {e}")))?;
            Some(V::Func(Rc::new(Func::Regex(Rc::new(re)))))
        })
}

/// Two sort keys: undefined after everything; numbers with numbers, strings with strings.
pub fn compare_keys(a: &Option<V>, b: &Option<V>) -> Result<std::cmp::Ordering, Error> {
    use std::cmp::Ordering;
    Ok(match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(V::Num(x)), Some(V::Num(y))) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Some(V::Str(x)), Some(V::Str(y))) => x.cmp(y),
        (Some(V::Num(_) | V::Str(_)), Some(V::Num(_) | V::Str(_))) => {
            return Err(Error::new("T2007", "Type mismatch when comparing values in order-by clause"));
        }
        _ => return Err(Error::new("T2008", "The expressions within an order-by clause must evaluate to numeric or string values")),
    })
}

/// A group-by key (`{key: value}` over a sequence): a string, or nothing to group under.
pub(crate) fn group_key(v: Option<V>) -> Result<Option<String>, Error> {
    match v {
        Some(V::Str(s)) => Ok(Some(s.to_string())),
        None => Ok(None),
        Some(_) => Err(Error::new("T1003", "Key in object structure must evaluate to a string")),
    }
}

/// Two different key expressions of one object constructor must not give the same key.
pub(crate) fn check_group_key(first_pair: usize, pair: usize, key: &str) -> Result<(), Error> {
    if first_pair != pair {
        return Err(Error::new("D1009", format!("Multiple key definitions evaluate to same key: \"{key}\"")));
    }
    Ok(())
}
