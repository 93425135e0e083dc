//! Strings: States.StringSplit, with java.util.StringTokenizer's rules.

use super::{arg, Call, IntrinsicError};
use crate::asl::meter;
use serde_json::Value;

impl Call {
    /// States.StringSplit: java.util.StringTokenizer semantics: splits at every character of the
    /// delimiter string and drops empty pieces [rec
    /// intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split#exec_hist_resp_3
    /// and #exec_hist_resp_5]; both arguments strings [aws-obs].
    pub(super) fn string_split(&self, a: &[Value]) -> Result<Value, IntrinsicError> {
        let (Value::String(s), Value::String(delims)) = (arg(a, 0), arg(a, 1)) else {
            return Err(self.invalid());
        };
        // A short string splits into many values, each far larger than its text: charge first.
        let pieces = s.split(|c: char| delims.contains(c)).filter(|piece| !piece.is_empty()).count();
        if !meter::spend_slots(pieces.saturating_mul(2)) {
            return Err(self.too_large());
        }
        Ok(Value::Array(
            s.split(|c: char| delims.contains(c))
                .filter(|piece| !piece.is_empty())
                .map(|piece| Value::String(piece.to_string()))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::{fails, invalid, ok, TestEnv};
    use serde_json::json;

    #[test]
    fn string_split() {
        // [rec intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split#exec_hist_resp_0,1,3,4,5,6]
        let t = "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)";
        let s = |a: &str, d: &str| ok(t, json!({"FunctionInput": {"fst": a, "snd": d}}));
        assert_eq!(s(" ", ","), json!([" "]));
        assert_eq!(s(" , ", ","), json!([" ", " "]));
        assert_eq!(s(",,,,", ","), json!([]));
        assert_eq!(s("1,2,3,4,5", ","), json!(["1", "2", "3", "4", "5"]));
        assert_eq!(
            s("This.is+a,test=string", ".+,="),
            json!(["This", "is", "a", "test", "string"])
        );
        assert_eq!(
            s("split on T and \nnew line", "T\n"),
            json!(["split on ", " and ", "new line"])
        );
        // [aws-obs] / StringTokenizer
        assert_eq!(s("", ","), json!([]));
        assert_eq!(s("abc", ""), json!(["abc"]));
        assert_eq!(s("1a2b3ab4", "ab"), json!(["1", "2", "3", "4"]));
        for bad in [
            json!({"str": 123, "d": ","}),
            json!({"str": "a,b", "d": 1}),
            json!({"str": null, "d": ","}),
            json!({"str": "a,b", "d": [","]}),
        ] {
            assert_eq!(
                fails("States.StringSplit($.str, $.d)", bad).cause,
                invalid("StringSplit")
            );
        }
    }

    #[test]
    fn string_split_context_object() {
        // [rec intrinsic_functions/test_string_operations.py::TestStringOperations::test_string_split_context_object]
        let input = json!({"FunctionInput": "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"});
        let mut env = TestEnv::new(input.clone());
        env.context = json!({"Execution": {"Input": input}});
        let c = parse("States.StringSplit($$.Execution.Input.FunctionInput, ',')").unwrap();
        assert_eq!(
            c.eval(&mut env).unwrap(),
            json!([
                "Value1",
                "Value2",
                "Value3\nValue4",
                "Value5",
                "Value6\n",
                "\ntrue",
                "1",
                "'HelloWorld'\nNull",
                "None",
                "\n   \n"
            ])
        );
    }
}
