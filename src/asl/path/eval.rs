//! Applying a parsed path to a value, the way Jayway 2.2 does: a definite path walks to one
//! node (or says why it missed, see `misses.rs`); an indefinite one collects every match,
//! `..` in document order. Filters are decided by `eval_filter.rs`.

use super::eval_filter::accept;
use super::misses::{fragment, Miss};
use super::{Path, PathMiss, Seg, Slice};
use crate::asl::meter;
use serde_json::{Map, Value};
use std::borrow::Cow;

impl Path {
    /// Evaluates the path against `root_value` (the caller picks the data, context or variable
    /// value according to `root()`). Definite path: the value, or Err(PathMiss) if it does not
    /// exist. Indefinite path: Ok(array of matches), possibly empty `[]` (AWS returns [] —
    /// recorded); the one error is a multi-name bracket that is not at the end of the path on an
    /// object (Jayway throws; recorded on AWS's console).
    pub fn select(&self, root_value: &Value) -> Result<Value, PathMiss> {
        self.select_cow(root_value).map(Cow::into_owned)
    }

    /// [`Path::select`] without copying: a definite path borrows the selected node.
    pub fn select_cow<'a>(&'a self, root_value: &'a Value) -> Result<Cow<'a, Value>, PathMiss> {
        if self.definite {
            walk_definite(&self.segs, root_value).map_err(|m| PathMiss {
                message: self.miss_message(&m),
            })
        } else {
            // Indefinite paths are metered (`asl::meter`): `..`, index lists and filters can
            // visit and copy the same nodes many times over.
            meter::metered(meter::LIMIT, || {
                let mut cx = Eval {
                    root: root_value,
                    out: Vec::new(),
                    trail: Vec::new(),
                };
                cx.eval(&self.segs, 0, root_value)?;
                Ok(Cow::Owned(owned_matches(cx.out)?))
            })
        }
    }

    /// Like [`Path::select_cow`] but without building an error message: `None` when `select`
    /// would fail.
    pub fn find<'a>(&'a self, root_value: &'a Value) -> Option<Cow<'a, Value>> {
        if self.definite {
            walk_definite(&self.segs, root_value).ok()
        } else {
            self.select_cow(root_value).ok()
        }
    }
}

/// The matches as one array, each copied; Err once the copies pass the size limit.
pub(super) fn owned_matches(out: Vec<Cow<'_, Value>>) -> Result<Value, PathMiss> {
    let mut items = Vec::with_capacity(out.len());
    for m in out {
        if !meter::spend_json(&m) {
            return Err(too_large());
        }
        items.push(m.into_owned());
    }
    Ok(Value::Array(items))
}

/// The miss of a path whose evaluation passed the size limit.
pub(super) fn too_large() -> PathMiss {
    PathMiss {
        message: meter::EXCEEDED.to_string(),
    }
}

pub(super) fn effective_index(k: i32, len: usize) -> Option<usize> {
    if k < 0 {
        let back = usize::try_from(-(k as i64)).ok()?;
        len.checked_sub(back)
    } else {
        let k = k as usize;
        (k < len).then_some(k)
    }
}

/// A definite path, the way Jayway 2.2 evaluates one when every token is "upstream definite".
pub(super) fn walk_definite<'a>(
    segs: &'a [Seg],
    root: &'a Value,
) -> Result<Cow<'a, Value>, Miss<'a>> {
    let mut cur = root;
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        let leaf = i + 1 == n;
        match seg {
            Seg::Name(name) => {
                let Value::Object(m) = cur else {
                    return Err(Miss::NotObject(i, cur));
                };
                match m.get(&**name) {
                    Some(v) => cur = v,
                    None if leaf => return Err(Miss::NoResults),
                    None => return Err(Miss::MissingProperty(i)),
                }
            }
            Seg::Names(names) => {
                let Value::Object(m) = cur else {
                    return Err(Miss::NotObject(i, cur));
                };
                // Only ever the last token (otherwise the path is not definite).
                return Ok(Cow::Owned(Value::Object(merge_names(names, m))));
            }
            Seg::Index(k) => match cur {
                Value::Array(a) => match effective_index(*k, a.len()).and_then(|x| a.get(x)) {
                    Some(v) => cur = v,
                    // Jayway ignores an out-of-range index; nothing is found.
                    None => return Err(Miss::NoResults),
                },
                Value::Null => return Err(Miss::Null(i)),
                other => return Err(Miss::NotArray(i, other)),
            },
            Seg::Function(f) => {
                return f.apply(cur).map(Cow::Owned).map_err(Miss::Function);
            }
            // Not in a definite path.
            _ => return Err(Miss::NoResults),
        }
    }
    Ok(Cow::Borrowed(cur))
}

fn merge_names(names: &[Box<str>], m: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = Map::new();
    for n in names {
        if let Some(v) = m.get(&**n) {
            merged.insert(n.to_string(), v.clone());
        }
    }
    merged
}

/// One step of the current location, for the one error an indefinite path can raise.
pub(super) enum Step<'a> {
    Key(&'a str),
    Idx(usize),
}

pub(super) struct Eval<'a> {
    pub(super) root: &'a Value,
    pub(super) out: Vec<Cow<'a, Value>>,
    pub(super) trail: Vec<Step<'a>>,
}

impl<'a> Eval<'a> {
    fn trail_text(&self) -> String {
        let mut s = String::from("$");
        for st in &self.trail {
            match st {
                Step::Key(k) => {
                    s.push_str("['");
                    s.push_str(k);
                    s.push_str("']");
                }
                Step::Idx(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
            }
        }
        s
    }

    fn key(&mut self, segs: &'a [Seg], i: usize, k: &'a str, v: &'a Value) -> Result<(), PathMiss> {
        self.trail.push(Step::Key(k));
        let r = self.eval(segs, i, v);
        self.trail.pop();
        r
    }

    fn idx(&mut self, segs: &'a [Seg], i: usize, k: usize, v: &'a Value) -> Result<(), PathMiss> {
        self.trail.push(Step::Idx(k));
        let r = self.eval(segs, i, v);
        self.trail.pop();
        r
    }

    fn index_of(
        &mut self,
        segs: &'a [Seg],
        i: usize,
        a: &'a [Value],
        k: i32,
    ) -> Result<(), PathMiss> {
        if let Some(x) = effective_index(k, a.len()) {
            if let Some(v) = a.get(x) {
                return self.idx(segs, i, x, v);
            }
        }
        Ok(())
    }

    /// Applies `segs[i..]` to `node`, adding what matches to `out`. Absent members, wrong types
    /// and out-of-range indexes match nothing.
    pub(super) fn eval(
        &mut self,
        segs: &'a [Seg],
        i: usize,
        node: &'a Value,
    ) -> Result<(), PathMiss> {
        // Every node visited for every segment, so that no path walks for long.
        if !meter::spend(4) {
            return Err(too_large());
        }
        let Some(seg) = segs.get(i) else {
            self.out.push(Cow::Borrowed(node));
            return Ok(());
        };
        let next = i + 1;
        let leaf = next == segs.len();
        match seg {
            Seg::Name(n) => {
                if let Value::Object(m) = node {
                    if let Some((k, v)) = m.get_key_value(&**n) {
                        self.key(segs, next, k, v)?;
                    }
                }
            }
            Seg::Names(names) => {
                if let Value::Object(m) = node {
                    if leaf {
                        self.out
                            .push(Cow::Owned(Value::Object(merge_names(names, m))));
                    } else {
                        return Err(PathMiss {
                            message: format!(
                                "Multi properties can only be used as path leafs: {}{}",
                                self.trail_text(),
                                fragment(seg)
                            ),
                        });
                    }
                }
            }
            Seg::Index(k) => {
                if let Value::Array(a) = node {
                    self.index_of(segs, next, a, *k)?;
                }
            }
            Seg::Indexes(ks) => {
                if let Value::Array(a) = node {
                    for k in ks {
                        self.index_of(segs, next, a, *k)?;
                    }
                }
            }
            Seg::Slice(s) => {
                if let Value::Array(a) = node {
                    let len = a.len() as i64;
                    let (from, to) = match *s {
                        Slice::From(f) => {
                            let f = f as i64;
                            ((if f < 0 { len + f } else { f }).max(0), len)
                        }
                        Slice::To(t) => {
                            let t = t as i64;
                            (0, (if t < 0 { len + t } else { t }).min(len))
                        }
                        // Jayway clamps only the end; a negative index in the range counts
                        // from the end when it is read.
                        Slice::Between(f, t) => (f as i64, (t as i64).min(len)),
                    };
                    if len > 0 {
                        // Positions before -len match nothing: skip them without looping.
                        let mut k = from.max(-len);
                        while k < to {
                            if let Ok(k32) = i32::try_from(k) {
                                self.index_of(segs, next, a, k32)?;
                            }
                            k += 1;
                        }
                    }
                }
            }
            Seg::Wildcard => match node {
                Value::Object(m) => {
                    for (k, v) in m {
                        self.key(segs, next, k, v)?;
                    }
                }
                Value::Array(a) => {
                    for (k, v) in a.iter().enumerate() {
                        self.idx(segs, next, k, v)?;
                    }
                }
                _ => {}
            },
            Seg::Scan => {
                if next < segs.len() {
                    self.walk(segs, next, node)?;
                }
            }
            Seg::Filter(e) => match node {
                Value::Object(_) if accept(e, node, self.root) => {
                    self.eval(segs, next, node)?;
                }
                Value::Array(a) => {
                    for (k, v) in a.iter().enumerate() {
                        // AWS: a filter only ever matches objects.
                        if v.is_object() && accept(e, v, self.root) {
                            self.idx(segs, next, k, v)?;
                        }
                    }
                }
                _ => {}
            },
            Seg::Function(f) => {
                let v = f.apply(node).map_err(|name| PathMiss {
                    message: format!("Function of name: {name} cannot be created"),
                })?;
                self.out.push(Cow::Owned(v));
            }
        }
        Ok(())
    }

    /// Jayway's `..`: looks for `segs[j]` at `node` and at every node below it, in document
    /// order (a node before its children).
    fn walk(&mut self, segs: &'a [Seg], j: usize, node: &'a Value) -> Result<(), PathMiss> {
        let Some(pt) = segs.get(j) else { return Ok(()) };
        match node {
            Value::Object(m) => {
                if self.scan_matches(pt, node) {
                    self.eval(segs, j, node)?;
                }
                for (k, v) in m {
                    self.trail.push(Step::Key(k));
                    let r = self.walk(segs, j, v);
                    self.trail.pop();
                    r?;
                }
            }
            Value::Array(a) => {
                if self.scan_matches(pt, node) {
                    if j + 1 == segs.len() {
                        self.eval(segs, j, node)?;
                    } else {
                        // Jayway's walkArray: the token after the matched one is applied to every
                        // element (for `..[*].x` that is the same thing; for `..[0].x` it is a
                        // Jayway quirk, reproduced).
                        for (k, v) in a.iter().enumerate() {
                            self.idx(segs, j + 1, k, v)?;
                        }
                    }
                }
                for (k, v) in a.iter().enumerate() {
                    self.trail.push(Step::Idx(k));
                    let r = self.walk(segs, j, v);
                    self.trail.pop();
                    r?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn scan_matches(&self, pt: &Seg, node: &Value) -> bool {
        match pt {
            Seg::Name(n) => node.as_object().is_some_and(|m| m.contains_key(&**n)),
            Seg::Names(ns) => node
                .as_object()
                .is_some_and(|m| ns.iter().all(|n| m.contains_key(&**n))),
            Seg::Index(_) | Seg::Indexes(_) | Seg::Slice(_) => node.is_array(),
            Seg::Wildcard => true,
            Seg::Filter(e) => accept(e, node, self.root),
            Seg::Scan | Seg::Function(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{miss, p, sel};
    use serde_json::{json, Value};
    use std::borrow::Cow;

    #[test]
    fn definite_selection() {
        let v = json!({"a": {"b": [10, 20, {"c": "x"}]}, "x y": 1, "": 2, "q'q": 3, "Test\\\"\"Name\"": "V"});
        assert_eq!(sel("$", &v), Ok(v.clone()));
        assert_eq!(sel("$.a.b[1]", &v), Ok(json!(20)));
        assert_eq!(sel("$.a.b[-1].c", &v), Ok(json!("x")));
        assert_eq!(sel("$.a.b[-3]", &v), Ok(json!(10)));
        assert_eq!(sel("$['x y']", &v), Ok(json!(1)));
        assert_eq!(sel("$[\"x y\"]", &v), Ok(json!(1)));
        assert_eq!(sel("$.['x y']", &v), Ok(json!(1)));
        assert_eq!(sel("$['']", &v), Ok(json!(2)));
        assert_eq!(sel("$[\"q'q\"]", &v), Ok(json!(3)));
        assert_eq!(sel("$['a']b", &v), Ok(json!([10, 20, {"c": "x"}])));
        // Recorded (ESCAPE_SEQUENCES_JSONPATH): no escapes inside a bracket-quoted name.
        assert_eq!(sel("$['Test\\\"\"Name\"']", &v), Ok(json!("V")));
        // Recorded (test_json_path_array_access).
        let items: Vec<Value> = (0..11).map(|i| json!({ "item_key": i })).collect();
        let input = json!({ "items": items });
        assert_eq!(sel("$.items[0]", &input), Ok(json!({"item_key": 0})));
        assert_eq!(sel("$.items[10]", &input), Ok(json!({"item_key": 10})));
        // Borrowed, not copied.
        let path = p("$.a.b");
        assert!(matches!(path.select_cow(&v), Ok(Cow::Borrowed(_))));
        assert!(path.find(&v).is_some());
        assert!(p("$.zz").find(&v).is_none());
    }

    #[test]
    fn recorded_indefinite_paths_on_empty_input() {
        // Recorded: test_json_path_array_wildcard_or_slice_with_no_input[...] with input {}.
        for t in [
            "$.items[*]",
            "$.items[1:]",
            "$.items[:1]",
            "$.item.items[*]",
            "$.item.items[:1]",
            "$.item.items[1:5]",
            "$[*]",
            "$.items[*].itemValue",
            "$.items[1:].itemValue",
        ] {
            assert_eq!(sel(t, &json!({})), Ok(json!([])), "{t}");
        }
    }

    #[test]
    fn wildcards_and_unions() {
        let v = json!({"items": [{"p": 1, "k": "a"}, {"p": 5, "k": "b"}, {"p": 9}, 7],
                       "o": {"x": 1, "y": {"z": 2}}});
        assert_eq!(sel("$.items[*].p", &v), Ok(json!([1, 5, 9])));
        assert_eq!(sel("$.items[*].k", &v), Ok(json!(["a", "b"])));
        assert_eq!(sel("$.o.*", &v), Ok(json!([1, {"z": 2}])));
        assert_eq!(sel("$.o[*]", &v), Ok(json!([1, {"z": 2}])));
        assert_eq!(sel("$.*.x", &v), Ok(json!([1])));
        assert_eq!(sel("$.items[0,2].p", &v), Ok(json!([1, 9])));
        assert_eq!(sel("$.items[0,-1]", &v), Ok(json!([{"p": 1, "k": "a"}, 7])));
        assert_eq!(sel("$.items[0,9]", &v), Ok(json!([{"p": 1, "k": "a"}])));
        assert_eq!(sel("$.o.x[*]", &v), Ok(json!([])));
        assert_eq!(sel("$.nothing[*]", &v), Ok(json!([])));
        // Leaf multi-names merge into one object (real AWS output): a definite result.
        assert_eq!(sel("$.o['x','y']", &v), Ok(json!({"x": 1, "y": {"z": 2}})));
        assert_eq!(
            sel("$.o['y','x','q']", &v),
            Ok(json!({"y": {"z": 2}, "x": 1}))
        );
        assert_eq!(
            sel(
                "$['a', 'b']",
                &json!({"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}})
            ),
            Ok(json!({"a": {"v": 1}, "b": {"v": 2}}))
        );
        // Real AWS console output: not at the end of a path they fail.
        assert_eq!(
            miss(
                "$['a', 'b'].v",
                &json!({"a": {"v": 1}, "b": {"v": 2}, "c": {"v": 3}})
            ),
            "Multi properties can only be used as path leafs: $['a', 'b']"
        );
        assert_eq!(
            miss("$.items[*]['p','k'].z", &v),
            "Multi properties can only be used as path leafs: $['items'][0]['p', 'k']"
        );
    }

    #[test]
    fn slices_follow_jayway() {
        let v = json!({"a": [0, 1, 2, 3, 4]});
        let s = |t: &str| sel(t, &v);
        assert_eq!(s("$.a[1:]"), Ok(json!([1, 2, 3, 4])));
        assert_eq!(s("$.a[-2:]"), Ok(json!([3, 4])));
        assert_eq!(s("$.a[-9:]"), Ok(json!([0, 1, 2, 3, 4])));
        assert_eq!(s("$.a[5:]"), Ok(json!([])));
        assert_eq!(s("$.a[:2]"), Ok(json!([0, 1])));
        assert_eq!(s("$.a[:-1]"), Ok(json!([0, 1, 2, 3])));
        assert_eq!(s("$.a[:-9]"), Ok(json!([])));
        assert_eq!(s("$.a[:99]"), Ok(json!([0, 1, 2, 3, 4])));
        assert_eq!(s("$.a[1:3]"), Ok(json!([1, 2])));
        assert_eq!(s("$.a[0:99]"), Ok(json!([0, 1, 2, 3, 4])));
        assert_eq!(s("$.a[3:1]"), Ok(json!([])));
        assert_eq!(s("$.a[-2:-1]"), Ok(json!([3])));
        // Jayway quirks: [a:b] clamps only b, and reads negative positions from the end.
        assert_eq!(s("$.a[1:-1]"), Ok(json!([])));
        assert_eq!(s("$.a[-3:2]"), Ok(json!([2, 3, 4, 0, 1])));
        assert_eq!(s("$.a[-7:1]"), Ok(json!([0, 1, 2, 3, 4, 0])));
        // A step is ignored.
        assert_eq!(s("$.a[0:4:2]"), Ok(json!([0, 1, 2, 3])));
        assert_eq!(sel("$[1:]", &json!([])), Ok(json!([])));
        assert_eq!(sel("$[1:]", &json!({"a": 1})), Ok(json!([])));
    }

    #[test]
    fn deep_scan_in_document_order() {
        let v = json!({"name": 1, "a": {"name": 2, "b": [{"name": 3}, {"x": {"name": 4}}]}, "c": [[5]]});
        assert_eq!(sel("$..name", &v), Ok(json!([1, 2, 3, 4])));
        assert_eq!(sel("$..['name']", &v), Ok(json!([1, 2, 3, 4])));
        assert_eq!(sel("$.a..name", &v), Ok(json!([2, 3, 4])));
        assert_eq!(
            sel("$..a", &json!({"a": {"a": 1}})),
            Ok(json!([{"a": 1}, 1]))
        );
        assert_eq!(sel("$..nothing", &v), Ok(json!([])));
        assert_eq!(
            sel("$..*", &json!({"a": {"b": 1}, "c": [2, 3]})),
            Ok(json!([{"b": 1}, [2, 3], 1, 2, 3]))
        );
        assert_eq!(
            sel("$..[0]", &json!({"a": [[1, 2], [3]]})),
            Ok(json!([[1, 2], 1, 3]))
        );
        assert_eq!(
            sel("$..[*]", &json!({"a": [1, [2]]})),
            Ok(json!([[1, [2]], 1, [2], 2]))
        );
        // Jayway's walkArray quirk: `..[0].x` applies `.x` to every element of a matched array.
        assert_eq!(
            sel("$..[0].x", &json!({"a": [{"x": 1}, {"x": 2}]})),
            Ok(json!([1, 2]))
        );
        assert_eq!(
            sel(
                "$..[?(@.p > 1)].p",
                &json!({"a": [{"p": 1}, {"p": 2, "q": {"p": 3}}]})
            ),
            Ok(json!([2, 3]))
        );
        assert_eq!(sel("$..length()", &v), Ok(json!([])));
        assert_eq!(sel("$..name", &json!(5)), Ok(json!([])));
    }
}
