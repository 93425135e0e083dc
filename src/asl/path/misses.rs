//! Why a definite path matched nothing, in Jayway's words (`No results for path: $['a']`,
//! `Missing property in path $['no']`, ...), and the normalised path text
//! (`PathToken.toString`) those messages are made of.

use super::java::{java_class, java_to_string};
use super::{Path, Seg, Slice};
use serde_json::Value;

/// The JSON provider AWS's Jayway is configured with, as named in its "not a json object" message.
/// ⚠ A guess (see the module documentation).
const JSON_PROVIDER: &str = "com.jayway.jsonpath.spi.json.JacksonJsonProvider";

/// Why a definite path failed; turned into Jayway's text only when a message is wanted.
pub(super) enum Miss<'a> {
    /// A leaf (or an index anywhere) matched nothing: "No results for path: <whole path>".
    NoResults,
    /// The property of token `i` is absent and more tokens follow.
    MissingProperty(usize),
    /// Token `i` (a name) met a non-object.
    NotObject(usize, &'a Value),
    /// Token `i` (an index) met null.
    Null(usize),
    /// Token `i` (an index) met a non-array.
    NotArray(usize, &'a Value),
    /// An unknown function.
    Function(String),
}

impl Path {
    pub(super) fn miss_message(&self, m: &Miss<'_>) -> String {
        let upto = |i: usize| format!("${}", fragments(self.segs.get(..i).unwrap_or_default()));
        match *m {
            Miss::NoResults => format!("No results for path: {}", self.normalized),
            Miss::MissingProperty(i) => format!("Missing property in path {}", upto(i + 1)),
            Miss::NotObject(i, found) => format!(
                "Expected to find an object with property {} in path {} but found '{}'. This is not a json object according to the JsonProvider: '{}'.",
                self.segs.get(i).map(fragment).unwrap_or_default(),
                upto(i),
                java_class(found),
                JSON_PROVIDER
            ),
            Miss::Null(i) => format!("The path {} is null", upto(i)),
            Miss::NotArray(i, found) => format!(
                "Filter: {} can only be applied to arrays. Current context is: {}",
                fragments(self.segs.get(i..).unwrap_or_default()),
                java_to_string(found)
            ),
            Miss::Function(ref name) => format!("Function of name: {name} cannot be created"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Normalised text (Jayway's PathToken.toString)

pub(super) fn fragment(seg: &Seg) -> String {
    match seg {
        Seg::Name(n) => format!("['{n}']"),
        Seg::Names(ns) => {
            let parts: Vec<String> = ns.iter().map(|n| format!("'{n}'")).collect();
            format!("[{}]", parts.join(", "))
        }
        Seg::Index(i) => format!("[{i}]"),
        Seg::Indexes(is) => {
            let parts: Vec<String> = is.iter().map(|i| i.to_string()).collect();
            format!("[{}]", parts.join(","))
        }
        Seg::Slice(Slice::From(a)) => format!("[{a}:]"),
        Seg::Slice(Slice::To(b)) => format!("[:{b}]"),
        Seg::Slice(Slice::Between(a, b)) => format!("[{a}:{b}]"),
        Seg::Wildcard => "[*]".to_string(),
        Seg::Scan => "..".to_string(),
        Seg::Filter(_) => "[?]".to_string(),
        Seg::Function(f) => format!(".{}()", f.name()),
    }
}

pub(super) fn fragments(segs: &[Seg]) -> String {
    segs.iter().map(fragment).collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::miss;
    use serde_json::json;

    const JACKSON: &str = "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.";

    #[test]
    fn recorded_miss_messages() {
        // Recorded: ST.INVALID_JSONPATH_IN_INPUTPATH / _OUTPUTPATH / _TIMEOUTSECONDSPATH.
        let input = json!({"int-literal": 0});
        assert_eq!(
            miss("$.NoSuchInputPath", &input),
            "No results for path: $['NoSuchInputPath']"
        );
        assert_eq!(
            miss("$.NoSuchOutputPath", &input),
            "No results for path: $['NoSuchOutputPath']"
        );
        assert_eq!(
            miss("$.NoSuchTimeoutSecondsPath", &input),
            "No results for path: $['NoSuchTimeoutSecondsPath']"
        );
        // Facts sheet §3.2 (OutputPath): a missing intermediate property.
        assert_eq!(
            miss("$.no.such.result.path", &input),
            "Missing property in path $['no']"
        );
    }

    #[test]
    fn jayway_miss_messages() {
        let v = json!({"a": {"b": 1, "s": "str", "n": null, "i": 5, "l": 5000000000i64, "f": 1.5,
                             "arr": [1, {"k": "v"}], "o": {"x": 1, "y": [1, "z"]}}});
        assert_eq!(
            miss("$.a.missing", &v),
            "No results for path: $['a']['missing']"
        );
        assert_eq!(
            miss("$.a.no.c", &v),
            "Missing property in path $['a']['no']"
        );
        assert_eq!(
            miss("$[\"a\"][\"zz\"]", &v),
            "No results for path: $['a']['zz']"
        );
        assert_eq!(
            miss("$.a.s.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['s'] but found 'java.lang.String'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.n.x.y", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['n'] but found 'null'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.i.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['i'] but found 'java.lang.Integer'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.l.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['l'] but found 'java.lang.Long'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.f.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['f'] but found 'java.lang.Double'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.arr.x", &v),
            format!("Expected to find an object with property ['x'] in path $['a']['arr'] but found 'java.util.ArrayList'. {JACKSON}")
        );
        assert_eq!(
            miss("$.x", &json!([1])),
            format!("Expected to find an object with property ['x'] in path $ but found 'java.util.ArrayList'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.arr[0].k", &v),
            format!("Expected to find an object with property ['k'] in path $['a']['arr'][0] but found 'java.lang.Integer'. {JACKSON}")
        );
        assert_eq!(
            miss("$.a.arr[1].zz", &v),
            "No results for path: $['a']['arr'][1]['zz']"
        );
        assert_eq!(
            miss("$.a.arr[5]", &v),
            "No results for path: $['a']['arr'][5]"
        );
        assert_eq!(
            miss("$.a.arr[-3].k", &v),
            "No results for path: $['a']['arr'][-3]['k']"
        );
        assert_eq!(miss("$.a.n[0]", &v), "The path $['a']['n'] is null");
        assert_eq!(
            miss("$.a.o[0].x", &v),
            "Filter: [0]['x'] can only be applied to arrays. Current context is: {x=1, y=[1, z]}"
        );
        assert_eq!(
            miss("$.a.f[0]", &v),
            "Filter: [0] can only be applied to arrays. Current context is: 1.5"
        );
        assert_eq!(
            miss("$['a']['o']['x', 'q'].z", &v),
            "Multi properties can only be used as path leafs: $['a']['o']['x', 'q']"
        );
    }
}
