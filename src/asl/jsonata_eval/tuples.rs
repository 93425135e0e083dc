//! Paths that resolve.rs could not leave to the plain evaluator: those with a sort step, and
//! those evaluated as tuple streams (`@$v`, `#$i`, `%`).
//!
//! A tuple is the context value (`@`) plus the variables bound so far. Steps before the first
//! binding step run as ordinary steps; from there each step runs once per tuple with the
//! tuple's variables in scope, and each result makes a new tuple carrying the old bindings: a
//! focus step (`@$v`) binds its result to `$v` and keeps the context, an index step (`#$i`)
//! binds the result's position in that tuple's results, and a step a `%` refers to binds its
//! input under the `%`'s label. Filters on a tuple step apply over the whole stream.

use super::eval::{compare_keys, eval, filter, group, items, seq, truthy, Ctx, Flags, Scope, V, R};
use super::parser::Node;
use super::resolve::{label_name, Stage, TPath, TStep};
use super::Error;
use indexmap::IndexMap;
use std::rc::Rc;

#[derive(Clone)]
struct Tuple {
    focus: Option<V>,
    vars: Vec<(Rc<str>, V)>,
}

impl Tuple {
    fn new(focus: Option<V>) -> Tuple {
        Tuple { focus, vars: Vec::new() }
    }

    /// A copy with room for `extra` more bindings, charged to the step budget by its size (a
    /// join's tuples are the costly part of a runaway one).
    fn extend(&self, ctx: &mut Ctx, extra: usize) -> Result<Tuple, Error> {
        for _ in 0..2 * (1 + self.vars.len()) {
            ctx.tick()?;
        }
        let mut vars = Vec::with_capacity(self.vars.len() + extra);
        vars.extend(self.vars.iter().cloned());
        Ok(Tuple { focus: self.focus.clone(), vars })
    }

    fn set(&mut self, name: &str, v: V) {
        self.set_rc(&Rc::from(name), v);
    }

    fn set_rc(&mut self, name: &Rc<str>, v: V) {
        match self.vars.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => self.vars.push((name.clone(), v)),
        }
    }

    /// A tuple from a nested stream overrides the context and its own bindings.
    fn merge(&mut self, other: Tuple) {
        self.focus = other.focus;
        for (k, v) in other.vars {
            self.set(&k, v);
        }
    }

    fn frame(&self, ctx: &mut Ctx, scope: &Scope) -> Scope {
        let s = ctx.child(scope);
        for (k, v) in &self.vars {
            s.set(k, v.clone());
        }
        s
    }
}

enum Out {
    Value(Option<V>),
    Tuples(Vec<Tuple>),
}

/// Evaluates a resolved path to a value.
pub fn eval_tpath(ctx: &mut Ctx, p: &TPath, input: &Option<V>, scope: &Scope) -> R {
    match run(ctx, p, input, scope)? {
        Out::Value(v) => Ok(v),
        Out::Tuples(t) => Ok(seq(t.into_iter().filter_map(|t| t.focus).collect())),
    }
}

/// The tuples an expression hands to the step it is in, if it hands out tuples (a path a `%`
/// reaches into, or a block ending in one).
fn node_tuples(ctx: &mut Ctx, node: &Node, input: &Option<V>, scope: &Scope) -> Result<Option<Vec<Tuple>>, Error> {
    match node {
        Node::TPath(p) if p.tuples_out => {
            ctx.enter()?;
            let r = run(ctx, p, input, scope);
            ctx.leave();
            Ok(match r? {
                Out::Tuples(t) => Some(t),
                Out::Value(v) => Some(v.map(|v| items(&v)).unwrap_or_default().into_iter().map(|v| Tuple::new(Some(v))).collect()),
            })
        }
        Node::TBlock(exprs) => {
            let Some((last, init)) = exprs.split_last() else { return Ok(None) };
            let inner = ctx.child(scope);
            for e in init {
                eval(ctx, e, input, &inner)?;
            }
            ctx.enter()?;
            let r = node_tuples(ctx, last, input, &inner);
            ctx.leave();
            match r? {
                Some(t) => Ok(Some(t)),
                None => Ok(Some(eval(ctx, last, input, &inner)?.map(|v| items(&v)).unwrap_or_default().into_iter().map(|v| Tuple::new(Some(v))).collect())),
            }
        }
        _ => Ok(None),
    }
}

fn run(ctx: &mut Ctx, p: &TPath, input: &Option<V>, scope: &Scope) -> Result<Out, Error> {
    let first_var = matches!(p.steps.first().map(|s| &s.node), Some(Node::Var(_)));
    // An array input is a sequence of inputs, unless the path starts with a variable.
    let mut inputs: Vec<Option<V>> = match input {
        Some(V::Arr(a, _)) if !first_var => a.iter().cloned().map(Some).collect(),
        other => vec![other.clone()],
    };
    let mut values: Vec<V> = Vec::new();
    // The last step's single plain array, given whole.
    let mut whole: Option<V> = None;
    let mut tuples: Option<Vec<Tuple>> = None;
    let n = p.steps.len();
    for (i, step) in p.steps.iter().enumerate() {
        let last = i + 1 == n;
        if step.tuple || tuples.is_some() {
            let base = match tuples.take() {
                Some(t) => t,
                None => inputs.iter().cloned().map(Tuple::new).collect(),
            };
            tuples = Some(tuple_step(ctx, step, base, scope)?);
            continue;
        }
        whole = None;
        if let Some(keys) = &step.sort {
            let list: Vec<V> = inputs.iter().flatten().cloned().collect();
            let mut keyed = Vec::with_capacity(list.len());
            for v in list {
                let ks = sort_keys(ctx, keys, &Some(v.clone()), scope)?;
                keyed.push((ks, v));
            }
            let sorted = sort_keyed(keyed, keys)?;
            let mut r = seq(sorted);
            for st in &step.stages {
                if let Stage::Filter(pred) = st {
                    r = filter(ctx, r, pred, scope)?;
                }
            }
            values = r.map(|v| items(&v)).unwrap_or_default();
        } else if i == 0 && matches!(step.node, Node::Array(_)) {
            // A leading array constructor is evaluated once, over the whole input sequence.
            let whole_input = if inputs.len() == 1 { inputs[0].clone() } else { seq(inputs.iter().flatten().cloned().collect()) };
            let mut r = eval(ctx, &step.node, &whole_input, scope)?;
            for pred in &step.predicates {
                r = filter(ctx, r, pred, scope)?;
            }
            values = r.as_ref().map(items).unwrap_or_default();
            if last {
                whole = r.map(|v| match v {
                    V::Arr(a, f) => V::Arr(a, Flags { cons: true, ..f }),
                    other => other,
                });
            }
        } else {
            let mut results = Vec::new();
            for item in &inputs {
                let mut r = eval(ctx, &step.node, item, scope)?;
                for pred in &step.predicates {
                    r = filter(ctx, r, pred, scope)?;
                }
                for st in &step.stages {
                    if let Stage::Filter(pred) = st {
                        r = filter(ctx, r, pred, scope)?;
                    }
                }
                if let Some(r) = r {
                    results.push(match r {
                        V::Arr(a, f) if last && matches!(step.node, Node::Array(_)) => V::Arr(a, Flags { cons: true, ..f }),
                        other => other,
                    });
                }
            }
            values = Vec::new();
            if last && results.len() == 1 && matches!(&results[0], V::Arr(_, f) if !f.seq) {
                values = results.first().map(items).unwrap_or_default();
                whole = results.pop();
            } else {
                for r in results {
                    match r {
                        V::Arr(a, f) if !f.cons => values.extend(a.iter().cloned()),
                        other => values.push(other),
                    }
                }
            }
        }
        if values.is_empty() {
            whole = None;
            break;
        }
        inputs = values.iter().cloned().map(Some).collect();
    }
    if let Some(t) = tuples {
        if p.tuples_out {
            return Ok(Out::Tuples(t));
        }
        if let Some(pairs) = &p.group {
            return Ok(Out::Value(Some(group_tuples(ctx, t, pairs, scope)?)));
        }
        values = t.into_iter().filter_map(|t| t.focus).collect();
    }
    if let Some(pairs) = &p.group {
        return Ok(Out::Value(Some(group(ctx, seq(values), pairs, scope, false)?)));
    }
    let keep = p.keeps_singleton();
    if let Some(V::Arr(a, f)) = whole {
        return Ok(Out::Value(Some(if keep || f.keep { V::Arr(a, Flags { keep: true, seq: true, cons: false, outer: false }) } else { V::Arr(a, Flags { seq: false, keep: false, cons: f.cons, outer: false }) })));
    }
    if let Some(w) = whole {
        return Ok(Out::Value(Some(w)));
    }
    if keep && !values.is_empty() {
        return Ok(Out::Value(Some(V::Arr(Rc::new(values), Flags { seq: true, keep: true, cons: false, outer: false }))));
    }
    Ok(Out::Value(seq(values)))
}

fn tuple_step(ctx: &mut Ctx, step: &TStep, input: Vec<Tuple>, scope: &Scope) -> Result<Vec<Tuple>, Error> {
    let mut out: Vec<Tuple> = Vec::new();
    if let Some(keys) = &step.sort {
        let mut keyed = Vec::with_capacity(input.len());
        for t in input {
            let frame = t.frame(ctx, scope);
            keyed.push((sort_keys(ctx, keys, &t.focus, &frame)?, t));
        }
        out = sort_keyed(keyed, keys)?;
        if let Some(ix) = &step.index {
            for (i, t) in out.iter_mut().enumerate() {
                t.set(ix, V::Num(i as f64));
            }
        }
    } else {
        for t in &input {
            ctx.tick()?;
            let frame = t.frame(ctx, scope);
            if let Some(mut nested) = node_tuples(ctx, &step.node, &t.focus, &frame)? {
                for pred in &step.predicates {
                    nested = filter_tuples(ctx, nested, pred, &frame)?;
                }
                for nt in nested {
                    let mut x = t.extend(ctx, nt.vars.len())?;
                    x.merge(nt);
                    out.push(x);
                }
                continue;
            }
            let mut r = eval(ctx, &step.node, &t.focus, &frame)?;
            for pred in &step.predicates {
                r = filter(ctx, r, pred, &frame)?;
            }
            let Some(r) = r else { continue };
            let list = match r {
                V::Arr(a, _) => a.as_ref().clone(),
                other => vec![other],
            };
            let extra = usize::from(step.focus.is_some()) + usize::from(step.index.is_some()) + usize::from(step.ancestor.is_some());
            // The names bound, shared by every tuple.
            let focus: Option<Rc<str>> = step.focus.as_deref().map(Rc::from);
            let index: Option<Rc<str>> = step.index.as_deref().map(Rc::from);
            let label: Option<Rc<str>> = step.ancestor.as_ref().map(|s| Rc::from(label_name(s).as_str()));
            for (pos, x) in list.into_iter().enumerate() {
                let mut nt = t.extend(ctx, extra)?;
                match &focus {
                    Some(f) => nt.set_rc(f, x),
                    None => nt.focus = Some(x),
                }
                if let Some(ix) = &index {
                    nt.set_rc(ix, V::Num(pos as f64));
                }
                if let (Some(l), Some(parent)) = (&label, &t.focus) {
                    nt.set_rc(l, parent.clone());
                }
                out.push(nt);
            }
        }
    }
    for st in &step.stages {
        match st {
            Stage::Filter(pred) => out = filter_tuples(ctx, out, pred, scope)?,
            Stage::Index(v) => {
                for (i, t) in out.iter_mut().enumerate() {
                    t.set(v, V::Num(i as f64));
                }
            }
        }
    }
    Ok(out)
}

/// `[pred]` over a tuple stream: a number (or numbers) picks by position in the stream,
/// anything else keeps the tuples it is true for.
fn filter_tuples(ctx: &mut Ctx, input: Vec<Tuple>, pred: &Node, scope: &Scope) -> Result<Vec<Tuple>, Error> {
    let n = input.len() as i64;
    let index = |k: f64| {
        let i = k.floor() as i64;
        if i < 0 {
            n + i
        } else {
            i
        }
    };
    if let Node::Num(k) = pred {
        let i = index(*k);
        return Ok(input.into_iter().nth(usize::try_from(i).unwrap_or(usize::MAX)).into_iter().collect());
    }
    let mut out = Vec::new();
    for (i, t) in input.into_iter().enumerate() {
        let frame = t.frame(ctx, scope);
        let r = eval(ctx, pred, &t.focus, &frame)?;
        let keep = match &r {
            Some(V::Num(k)) => index(*k) == i as i64,
            Some(V::Arr(a, _)) if a.iter().all(|x| matches!(x, V::Num(_))) => a.iter().any(|x| matches!(x, V::Num(k) if index(*k) == i as i64)),
            other => truthy(other),
        };
        if keep {
            out.push(t);
        }
    }
    Ok(out)
}

fn sort_keys(ctx: &mut Ctx, keys: &[(Node, bool)], input: &Option<V>, scope: &Scope) -> Result<Vec<Option<V>>, Error> {
    let mut ks = Vec::with_capacity(keys.len());
    for (k, _) in keys {
        ks.push(eval(ctx, k, input, scope)?);
    }
    Ok(ks)
}

/// A stable sort by precomputed keys (undefined keys last; T2007/T2008 on bad keys).
fn sort_keyed<T>(mut keyed: Vec<(Vec<Option<V>>, T)>, keys: &[(Node, bool)]) -> Result<Vec<T>, Error> {
    let mut error = None;
    keyed.sort_by(|x, y| {
        for (i, (_, desc)) in keys.iter().enumerate() {
            let (Some(a), Some(b)) = (x.0.get(i), y.0.get(i)) else { break };
            let o = match compare_keys(a, b) {
                Ok(o) => o,
                Err(e) => {
                    error.get_or_insert(e);
                    std::cmp::Ordering::Equal
                }
            };
            // Undefined keys go last whichever the direction.
            let o = if *desc && a.is_some() && b.is_some() { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
    match error {
        Some(e) => Err(e),
        None => Ok(keyed.into_iter().map(|(_, v)| v).collect()),
    }
}

/// `path{k: v}` over tuples: keys see each tuple's bindings; a group's value sees its tuples'
/// contexts and bindings appended together.
fn group_tuples(ctx: &mut Ctx, input: Vec<Tuple>, pairs: &[(Node, Node)], scope: &Scope) -> Result<V, Error> {
    let mut groups: IndexMap<String, (usize, Vec<Tuple>)> = IndexMap::new();
    let input = if input.is_empty() { vec![Tuple::new(None)] } else { input };
    for t in &input {
        let frame = t.frame(ctx, scope);
        for (pi, (k, _)) in pairs.iter().enumerate() {
            let Some(key) = super::eval::group_key(eval(ctx, k, &t.focus, &frame)?)? else { continue };
            let e = groups.entry(key.clone()).or_insert((pi, Vec::new()));
            super::eval::check_group_key(e.0, pi, &key)?;
            e.1.push(t.clone());
        }
    }
    let mut out = super::eval::Obj::new();
    for (key, (pi, ts)) in groups {
        let reduced = reduce(ts);
        let frame = reduced.frame(ctx, scope);
        if let Some(v) = eval(ctx, &pairs[pi].1, &reduced.focus, &frame)? {
            out.insert(key, v);
        }
    }
    Ok(V::Obj(Rc::new(out)))
}

/// Several tuples as one: each binding (and the context) is their values appended.
fn reduce(ts: Vec<Tuple>) -> Tuple {
    let mut it = ts.into_iter();
    let Some(mut acc) = it.next() else { return Tuple::new(None) };
    for t in it {
        acc.focus = append(acc.focus.take(), t.focus);
        for (k, v) in t.vars {
            let prev = acc.vars.iter().position(|(n, _)| *n == k);
            match prev {
                Some(i) => {
                    let old = std::mem::replace(&mut acc.vars[i].1, V::Null);
                    acc.vars[i].1 = append(Some(old), Some(v)).unwrap_or(V::Null);
                }
                None => acc.vars.push((k, v)),
            }
        }
    }
    acc
}

fn append(a: Option<V>, b: Option<V>) -> Option<V> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => {
            let mut out = items(&a);
            out.extend(items(&b));
            Some(V::Arr(Rc::new(out), Flags::default()))
        }
    }
}
