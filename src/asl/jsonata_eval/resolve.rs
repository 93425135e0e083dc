//! After parsing, once per expression: paths become step lists (`TPath`) in the shape JSONata
//! gives them, and each `%` finds the step whose input it refers to.
//!
//! A path whose steps bind `@$v` (focus) or `#$i` (position), or that a `%` reaches into, is
//! evaluated as a stream of tuples (the context value plus everything bound so far): tuples.rs.
//! What each step must bind is decided here. A `%` counts levels back through the steps before
//! it (a `%` step adds one, a run of `@` steps counts as one since they keep their context) and
//! marks the name or wildcard step it reaches, which then binds its input under the `%`'s label;
//! a block or nested path on the way hands its tuples out. A `%` that reaches nothing is S0217.

use super::parser::Node;
use super::Error;
use std::cell::Cell;
use std::rc::Rc;

/// A `%` and its target share one slot: the label names the binding.
#[derive(Debug, PartialEq, Default)]
pub struct Slot {
    pub label: Cell<usize>,
    /// Levels still to climb (resolution only).
    level: Cell<i32>,
}
pub type SlotRef = Rc<Slot>;

/// The variable name a `%` label is bound under (`!` cannot start a user variable).
pub fn label_name(slot: &Slot) -> String {
    format!("!{}", slot.label.get())
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Filter(Node),
    Index(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TStep {
    pub node: Node,
    /// The step as parsed: what the plain path evaluator runs.
    pub orig: Node,
    /// Filters applied to each input's result (a path's first step keeps its own `[...]`).
    pub predicates: Vec<Node>,
    /// Filters and `#` bindings applied to the step's whole output, in order.
    pub stages: Vec<Stage>,
    pub focus: Option<String>,
    pub index: Option<String>,
    /// A `%` refers to this step's input: bind it under the slot's label.
    pub ancestor: Option<SlotRef>,
    /// A sort step `^(...)`: sorts the whole sequence.
    pub sort: Option<Vec<(Node, bool)>>,
    pub keep_array: bool,
    /// Evaluated over tuples: it binds something, or its node hands out tuples.
    pub tuple: bool,
}

impl TStep {
    fn new(node: Node) -> TStep {
        TStep {
            orig: node.clone(),
            node,
            predicates: Vec::new(),
            stages: Vec::new(),
            focus: None,
            index: None,
            ancestor: None,
            sort: None,
            keep_array: false,
            tuple: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TPath {
    pub steps: Vec<TStep>,
    /// A `%` outside reaches into this path: it hands its tuples to the enclosing step.
    pub tuples_out: bool,
    /// `path{...}` over a tuple stream: grouped with the tuples' bindings.
    pub group: Option<Vec<(Node, Node)>>,
    /// Not a path yet: one expression with `[...]`, `[]` or `@` (becomes a step when composed).
    bare: bool,
}

impl TPath {
    fn single(node: Node, bare: bool) -> TPath {
        TPath { steps: vec![TStep::new(node)], tuples_out: false, group: None, bare }
    }

    /// Nothing here needs tuples or a whole-sequence sort: the plain path evaluator runs it.
    pub fn plain(&self) -> bool {
        !self.tuples_out && self.group.is_none() && self.steps.iter().all(|s| !s.tuple && s.sort.is_none())
    }

    pub fn keeps_singleton(&self) -> bool {
        self.steps.iter().any(|s| s.keep_array)
    }
}

fn s0217() -> Error {
    Error::new("S0217", "The object representing the 'parent' cannot be derived from this expression")
}

enum B {
    N(Node),
    P(TPath),
}

type Built = Result<(B, Vec<SlotRef>), Error>;

/// Resolves a parsed expression (see the module comment).
pub fn resolve(node: Node) -> Result<Node, Error> {
    let mut r = Resolver { next_label: 0 };
    let (b, seeking) = r.build(node)?;
    if seeking.iter().any(|s| s.level.get() > 0) {
        return Err(s0217());
    }
    Ok(to_node(b))
}

fn to_node(b: B) -> Node {
    match b {
        B::N(n) => n,
        // A lone `x[...]`/`x[]`/`x@$v` is evaluated as parsed (a focus there binds nothing).
        B::P(mut p) if p.bare && p.steps.len() == 1 => p.steps.pop().map(|s| s.orig).unwrap_or(Node::Null),
        B::P(p) => Node::TPath(Box::new(p)),
    }
}

fn to_path(b: B) -> TPath {
    match b {
        B::N(n) => TPath::single(n, true),
        B::P(p) => p,
    }
}

struct Resolver {
    next_label: usize,
}

impl Resolver {
    fn node(&mut self, n: Node) -> Result<(Node, Vec<SlotRef>), Error> {
        let (b, s) = self.build(n)?;
        Ok((to_node(b), s))
    }

    fn nodes(&mut self, ns: Vec<Node>, seeking: &mut Vec<SlotRef>) -> Result<Vec<Node>, Error> {
        let mut out = Vec::with_capacity(ns.len());
        for n in ns {
            let (n, s) = self.node(n)?;
            seeking.extend(s);
            out.push(n);
        }
        Ok(out)
    }

    fn boxed(&mut self, n: Node, seeking: &mut Vec<SlotRef>) -> Result<Box<Node>, Error> {
        let (n, s) = self.node(n)?;
        seeking.extend(s);
        Ok(Box::new(n))
    }

    fn build(&mut self, node: Node) -> Built {
        let mut seeking = Vec::new();
        let n = match node {
            Node::Parent(slot) => {
                slot.label.set(self.next_label);
                self.next_label += 1;
                slot.level.set(1);
                seeking.push(slot.clone());
                Node::Parent(slot)
            }
            Node::Path(steps) => return self.path(steps),
            Node::Filter(base, pred) => {
                let (b, mut seeking) = self.build(*base)?;
                if matches!(&b, B::N(Node::Group(..))) || matches!(&b, B::P(p) if p.group.is_some()) {
                    return Err(Error::new("S0209", "A predicate cannot follow a grouping expression in a step"));
                }
                let mut p = to_path(b);
                let (pred, pseek) = self.node(*pred)?;
                let Some(step) = p.steps.last_mut() else { return Err(s0217()) };
                for s in &pseek {
                    if s.level.get() == 1 {
                        seek_step(step, s)?;
                    } else {
                        s.level.set(s.level.get() - 1);
                    }
                }
                seeking.extend(pseek);
                step.orig = Node::Filter(Box::new(std::mem::replace(&mut step.orig, Node::Null)), Box::new(pred.clone()));
                if p.bare {
                    step.predicates.push(pred);
                } else {
                    step.stages.push(Stage::Filter(pred));
                }
                return Ok((B::P(p), seeking));
            }
            Node::FocusBind(base, v) => {
                let (b, seeking) = self.build(*base)?;
                let mut p = to_path(b);
                let Some(step) = p.steps.last_mut() else { return Err(s0217()) };
                if !step.stages.is_empty() || !step.predicates.is_empty() {
                    return Err(Error::new("S0215", "A context variable binding must precede any predicates on a step"));
                }
                if step.sort.is_some() {
                    return Err(Error::new("S0216", "A context variable binding must precede the 'order-by' clause on a step"));
                }
                step.focus = Some(v);
                step.tuple = true;
                return Ok((B::P(p), seeking));
            }
            Node::IndexBind(base, v) => {
                let (b, seeking) = self.build(*base)?;
                let mut p = to_path(b);
                let Some(step) = p.steps.last_mut() else { return Err(s0217()) };
                if p.bare {
                    // `x[p]#$i`: x's filters come before the binding, over its whole output.
                    let preds = std::mem::take(&mut step.predicates);
                    step.stages.splice(0..0, preds.into_iter().map(Stage::Filter));
                    p.bare = false;
                }
                if step.stages.is_empty() {
                    step.index = Some(v);
                } else {
                    step.stages.push(Stage::Index(v));
                }
                step.tuple = true;
                return Ok((B::P(p), seeking));
            }
            Node::KeepArray(base) => {
                let (b, seeking) = self.build(*base)?;
                let mut p = to_path(b);
                if let Some(step) = p.steps.last_mut() {
                    step.keep_array = true;
                    step.orig = Node::KeepArray(Box::new(std::mem::replace(&mut step.orig, Node::Null)));
                }
                return Ok((B::P(p), seeking));
            }
            Node::Sort(base, keys) => {
                let (b, mut seeking) = self.build(*base)?;
                let mut p = to_path(b);
                p.bare = false;
                let mut kseek = Vec::new();
                let mut built = Vec::with_capacity(keys.len());
                for (k, desc) in keys {
                    let (k, s) = self.node(k)?;
                    kseek.extend(s);
                    built.push((k, desc));
                }
                let mut step = TStep::new(Node::Null);
                step.sort = Some(built);
                p.steps.push(step);
                let n = p.steps.len() - 1;
                for s in kseek {
                    if s.level.get() > 0 && !walk(&mut p.steps[..n], &s)? {
                        seeking.push(s);
                    }
                }
                return Ok((B::P(p), seeking));
            }
            Node::Group(base, pairs) => {
                let (b, seeking) = self.build(*base)?;
                if matches!(&b, B::N(Node::Group(..))) || matches!(&b, B::P(p) if p.group.is_some()) {
                    return Err(Error::new("S0210", "Each step can only have one grouping expression"));
                }
                let mut ignored = Vec::new();
                let mut built = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.boxed(k, &mut ignored)?;
                    let v = self.boxed(v, &mut ignored)?;
                    built.push((*k, *v));
                }
                return Ok(match b {
                    B::P(mut p) if !p.bare && !p.plain() => {
                        p.group = Some(built);
                        (B::P(p), seeking)
                    }
                    other => (B::N(Node::Group(Box::new(to_node(other)), built)), seeking),
                });
            }
            Node::Block(exprs) => Node::Block(self.nodes(exprs, &mut seeking)?),
            Node::Array(items) => Node::Array(self.nodes(items, &mut seeking)?),
            Node::Range(a, b) => Node::Range(self.boxed(*a, &mut seeking)?, self.boxed(*b, &mut seeking)?),
            Node::Neg(e) => Node::Neg(self.boxed(*e, &mut seeking)?),
            Node::Binary(op, a, b) => Node::Binary(op, self.boxed(*a, &mut seeking)?, self.boxed(*b, &mut seeking)?),
            Node::Object(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    let k = self.boxed(k, &mut seeking)?;
                    let v = self.boxed(v, &mut seeking)?;
                    out.push((*k, *v));
                }
                Node::Object(out)
            }
            Node::Cond(c, t, e) => {
                let c = self.boxed(*c, &mut seeking)?;
                let t = self.boxed(*t, &mut seeking)?;
                let e = match e {
                    Some(e) => Some(self.boxed(*e, &mut seeking)?),
                    None => None,
                };
                Node::Cond(c, t, e)
            }
            Node::Bind(name, e) => Node::Bind(name, self.boxed(*e, &mut seeking)?),
            Node::Call(callee, args) => {
                // The callee's own `%` is not the call's (it stays unresolved: undefined).
                let mut ignored = Vec::new();
                let callee = self.boxed(*callee, &mut ignored)?;
                Node::Call(callee, self.nodes(args, &mut seeking)?)
            }
            Node::Chain(a, b) => Node::Chain(self.boxed(*a, &mut seeking)?, self.boxed(*b, &mut seeking)?),
            Node::Lambda(params, body, sig) => {
                let mut ignored = Vec::new();
                Node::Lambda(params, self.boxed(*body, &mut ignored)?, sig)
            }
            Node::Transform(l, u, d) => {
                let mut ignored = Vec::new();
                let l = self.boxed(*l, &mut ignored)?;
                let u = self.boxed(*u, &mut ignored)?;
                let d = match d {
                    Some(d) => Some(self.boxed(*d, &mut ignored)?),
                    None => None,
                };
                Node::Transform(l, u, d)
            }
            other => other,
        };
        Ok((B::N(n), seeking))
    }

    /// `a.b.c`: steps composed left to right; each new step's `%`s climb back through the
    /// steps before it.
    fn path(&mut self, steps: Vec<Node>) -> Built {
        // String literals in a path are field names.
        let name = |n: Node| match n {
            Node::Str(s) => Node::Name(s),
            other => other,
        };
        let mut it = steps.into_iter();
        let Some(first) = it.next() else { return Ok((B::N(Node::Null), Vec::new())) };
        let (b, mut seeking) = self.build(name(first))?;
        let mut path = to_path(b);
        path.bare = false;
        for step in it {
            if let Node::Num(_) | Node::Bool(_) | Node::Null = step {
                return Err(Error::new("S0213", "A literal value cannot be used as a step within a path expression"));
            }
            let (b, s) = self.build(name(step))?;
            match b {
                B::P(p) if !p.bare => path.steps.extend(p.steps),
                B::P(mut p) => {
                    if let Some(mut st) = p.steps.pop() {
                        // Filters on a later step apply to its whole output for that input.
                        let preds = std::mem::take(&mut st.predicates);
                        st.stages.splice(0..0, preds.into_iter().map(Stage::Filter));
                        path.steps.push(st);
                    }
                }
                B::N(n) => path.steps.push(TStep::new(n)),
            }
            let n = path.steps.len() - 1;
            for slot in s {
                if slot.level.get() > 0 && !walk(&mut path.steps[..n], &slot)? {
                    seeking.push(slot);
                }
            }
        }
        Ok((B::P(path), seeking))
    }
}

/// Climbs back through `steps` (last first) until the slot's level reaches 0; false if it
/// climbs out of the path (an enclosing path goes on).
fn walk(steps: &mut [TStep], slot: &SlotRef) -> Result<bool, Error> {
    let mut j = steps.len();
    while slot.level.get() > 0 {
        if j == 0 {
            return Ok(false);
        }
        let mut k = j - 1;
        j -= 1;
        // Contiguous `@` steps keep one context: they count once, at the first of them.
        while j > 0 && steps[k].focus.is_some() && steps[j - 1].focus.is_some() {
            k = j - 1;
            j -= 1;
        }
        seek_step(&mut steps[k], slot)?;
    }
    Ok(true)
}

fn seek_step(step: &mut TStep, slot: &SlotRef) -> Result<(), Error> {
    if step.sort.is_some() {
        return Err(s0217());
    }
    match &mut step.node {
        Node::Name(_) | Node::Wildcard => {
            slot.level.set(slot.level.get() - 1);
            if slot.level.get() == 0 {
                match &step.ancestor {
                    // Two `%`s reaching one step share its label.
                    Some(a) => slot.label.set(a.label.get()),
                    None => step.ancestor = Some(slot.clone()),
                }
                step.tuple = true;
            }
        }
        Node::Parent(_) => slot.level.set(slot.level.get() + 1),
        node @ (Node::Block(_) | Node::TBlock(_) | Node::TPath(_)) => {
            if seek_node(node, slot)? {
                step.tuple = true;
            }
        }
        _ => return Err(s0217()),
    }
    Ok(())
}

/// A `%` reaching into an expression (a block's last one, a nested path): true if it now
/// hands out tuples.
fn seek_node(node: &mut Node, slot: &SlotRef) -> Result<bool, Error> {
    match node {
        Node::Name(_) | Node::Wildcard => {
            let n = std::mem::replace(node, Node::Null);
            *node = Node::TPath(Box::new(TPath::single(n, false)));
            seek_node(node, slot)
        }
        Node::Block(exprs) => {
            if exprs.is_empty() {
                return Ok(false);
            }
            let exprs = std::mem::take(exprs);
            *node = Node::TBlock(exprs);
            seek_node(node, slot)
        }
        Node::TBlock(exprs) => match exprs.last_mut() {
            Some(last) => seek_node(last, slot),
            None => Ok(false),
        },
        Node::TPath(p) => {
            p.tuples_out = true;
            p.bare = false;
            let mut i = p.steps.len();
            while i > 0 {
                i -= 1;
                seek_step(&mut p.steps[i], slot)?;
                if slot.level.get() <= 0 {
                    break;
                }
            }
            Ok(true)
        }
        Node::Parent(_) => {
            slot.level.set(slot.level.get() + 1);
            Ok(false)
        }
        _ => Err(s0217()),
    }
}
