//! Map and Distributed Map: the processor's `ProcessorConfig`, the `Label`, and the fields only
//! a Distributed Map takes (ItemReader with its ReaderConfig, ItemBatcher, ResultWriter) with
//! their S3 resources.

use super::resource;
use super::{forbidden_name_char, At, Ql, Validator};
use serde_json::Value;

impl Validator<'_> {
    pub(super) fn processor_config(&mut self, v: &Value, here: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ProcessorConfig", "an object", here);
            return;
        };
        let mode = m.get("Mode").and_then(Value::as_str).unwrap_or("INLINE");
        for (k, val) in m {
            match k.as_str() {
                "Mode" => self.enum_value(k, val, &["INLINE", "DISTRIBUTED"], format!("{here}/Mode")),
                "ExecutionType" if mode == "DISTRIBUTED" => self.enum_value(k, val, &["STANDARD", "EXPRESS"], format!("{here}/ExecutionType")),
                _ => self.not_supported(k, &here),
            }
        }
        if mode == "DISTRIBUTED" && !m.contains_key("ExecutionType") {
            self.required(&["ExecutionType"], &here);
        }
    }

    pub(super) fn label(&mut self, v: &Value, at: At) {
        let Some(l) = v.as_str() else {
            self.wrong_type("Label", "a string", at);
            return;
        };
        // AWS's own texts for these are not recorded; these are LocalStack's (aws-facts §1.3).
        let msg = if l.is_empty() {
            Some("Label cannot be empty".to_string())
        } else if l.chars().count() > 40 {
            Some("Label cannot exceed 40 characters".to_string())
        } else {
            l.chars().find(|c| forbidden_name_char(*c)).map(|c| {
                let shown: String = if c.is_control() { c.escape_unicode().collect() } else { c.to_string() };
                format!("Label contains invalid character: '{shown}'")
            })
        };
        if let Some(msg) = msg {
            self.err(msg, at);
        }
    }

    pub(super) fn item_reader(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ItemReader", "an object", at);
            return;
        };
        if !m.contains_key("Resource") {
            self.required(&["Resource"], &at);
        }
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("Resource", _) => self.s3_resource(val, &["getObject", "listObjectsV2"], loc),
                ("Parameters", Ql::JsonPath) => self.template(val, &loc, 0),
                ("Arguments", Ql::Jsonata) => {}
                ("ReaderConfig", _) => self.reader_config(val, ql, loc),
                _ => self.not_supported(k, &at),
            }
        }
    }

    fn reader_config(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ReaderConfig", "an object", at);
            return;
        };
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("InputType", _) => self.enum_value(k, val, &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"], loc),
                ("CSVHeaderLocation", _) => self.enum_value(k, val, &["FIRST_ROW", "GIVEN"], loc),
                ("MaxItems", _) => self.int_field(k, val, 0, None, ql, loc),
                ("MaxItemsPath", Ql::JsonPath) => self.path_field(k, val, true, false, loc),
                ("CSVHeaders" | "CSVDelimiter" | "ItemsPointer" | "Transformation" | "ManifestType", _) => {}
                _ => self.not_supported(k, &at),
            }
        }
    }

    pub(super) fn item_batcher(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ItemBatcher", "an object", at);
            return;
        };
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("MaxItemsPerBatch" | "MaxInputBytesPerBatch", _) => self.int_field(k, val, 0, None, ql, loc),
                ("MaxItemsPerBatchPath" | "MaxInputBytesPerBatchPath", Ql::JsonPath) => self.path_field(k, val, true, false, loc),
                ("BatchInput", Ql::JsonPath) => self.template(val, &loc, 0),
                ("BatchInput", Ql::Jsonata) => {}
                _ => self.not_supported(k, &at),
            }
        }
    }

    pub(super) fn result_writer(&mut self, v: &Value, ql: Ql, at: String) {
        let Some(m) = v.as_object() else {
            self.wrong_type("ResultWriter", "an object", at);
            return;
        };
        for (k, val) in m {
            let loc = format!("{at}/{k}");
            match (k.as_str(), ql) {
                ("Resource", _) => self.s3_resource(val, &["putObject"], loc),
                ("Parameters", Ql::JsonPath) => self.template(val, &loc, 0),
                ("Arguments", Ql::Jsonata) => {}
                ("WriterConfig", _) => match val.as_object() {
                    Some(w) => {
                        for (wk, wv) in w {
                            match wk.as_str() {
                                "OutputType" => self.enum_value(wk, wv, &["JSON", "JSONL"], format!("{loc}/{wk}")),
                                "Transformation" => self.enum_value(wk, wv, &["NONE", "COMPACT", "FLATTEN"], format!("{loc}/{wk}")),
                                _ => self.not_supported(wk, &loc),
                            }
                        }
                    }
                    None => self.wrong_type(k, "an object", loc),
                },
                _ => self.not_supported(k, &at),
            }
        }
    }

    /// ItemReader / ResultWriter resources: `arn:<partition>:states:::s3:<action>`.
    fn s3_resource(&mut self, v: &Value, actions: &[&str], at: String) {
        let Some(r) = v.as_str() else {
            self.wrong_type("Resource", "a string", at);
            return;
        };
        if r.contains("<<opaque:") {
            return;
        }
        let ok = r
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(':'))
            .filter(|(partition, _)| resource::partition_ok(partition))
            .and_then(|(_, rest)| rest.strip_prefix("states:::s3:"))
            .is_some_and(|action| actions.contains(&action));
        if !ok {
            // [rec] wording of the Task resource message.
            self.err(
                format!("The resource provided {r} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."),
                at,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, one, only, pair, with, NOT_RECOGNIZED};
    use super::super::*;
    use serde_json::json;

    fn map(extra: Value) -> Value {
        one(with(json!({"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}), extra))
    }

    fn distributed(extra: Value) -> Value {
        let mut m = map(extra);
        m["States"]["A"]["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
        m
    }

    #[test]
    fn map_state() {
        ok(map(json!({"ItemsPath": "$.items", "ItemSelector": {"v.$": "$$.Map.Item.Value"}, "MaxConcurrency": 0, "ResultPath": "$.out",
            "ToleratedFailureCount": 1})));
        ok(map(json!({"MaxConcurrencyPath": "$.c", "ItemsPath": "$items"})));
        ok(distributed(json!({"Label": "my-label_1.x", "ToleratedFailurePercentage": 5.5,
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10},
                "Parameters": {"Bucket.$": "$.b", "Key": "k"}},
            "ItemBatcher": {"MaxItemsPerBatch": 10, "BatchInput": {"x.$": "$.y"}},
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}})));
        // Legacy Iterator with Parameters.
        ok(one(
            json!({"Type": "Map", "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Parameters": {"i.$": "$$.Map.Item.Index"}, "End": true}),
        ));
        let mut neither = map(json!({}));
        if let Some(s) = neither["States"]["A"].as_object_mut() {
            s.remove("ItemProcessor");
        }
        assert_eq!(only(neither), pair("This object should have only one of the following fields: [ItemProcessor, Iterator]", "/States/A"));
        let both = map(json!({"Iterator": {"StartAt": "J", "States": {"J": {"Type": "Succeed"}}}}));
        assert_eq!(only(both), pair("There should only be one of the following fields: [ItemProcessor, Iterator]", "/States/A"));
        assert_eq!(
            only(map(json!({"MaxConcurrency": -1}))),
            pair("The value for the field 'MaxConcurrency' must be greater than or equal to 0", "/States/A/MaxConcurrency")
        );
        assert_eq!(
            only(map(json!({"ItemsPath": "$.items[*]"}))),
            pair("The value for the field 'ItemsPath' must be a valid ReferencePath", "/States/A/ItemsPath")
        );
        assert_eq!(only(map(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject"}}))), pair("Field 'ItemReader' is not supported", "/States/A"));
        assert_eq!(only(map(json!({"ItemSelector": {"v.$": "Map.Item"}}))).1, "/States/A/ItemSelector");
        assert_eq!(
            only(map(json!({"ToleratedFailurePercentage": 101}))),
            pair("The value for the field 'ToleratedFailurePercentage' must be between 0 and 100", "/States/A/ToleratedFailurePercentage")
        );
        assert_eq!(
            only(distributed(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:putObject"}}))),
            pair(&format!("The resource provided arn:aws:states:::s3:putObject {NOT_RECOGNIZED}"), "/States/A/ItemReader/Resource")
        );
        assert_eq!(
            only(distributed(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "XML"}}}))),
            pair("The field 'InputType' should have one of these values: [CSV, JSON, JSONL, MANIFEST, PARQUET]", "/States/A/ItemReader/ReaderConfig/InputType")
        );
        // JSONata Map.
        ok(one(
            json!({"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.xs %}", "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}"},
            "MaxConcurrency": "{% 2 %}", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "Output": {}, "End": true}),
        ));
        assert_eq!(
            only(one(json!({"Type": "Map", "QueryLanguage": "JSONata", "ItemsPath": "$.x",
                "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}, "End": true}))),
            pair("Field 'ItemsPath' is not supported", "/States/A")
        );
    }

    #[test]
    fn processor_config() {
        let cfg = |c: Value| {
            let mut m = map(json!({}));
            m["States"]["A"]["ItemProcessor"]["ProcessorConfig"] = c;
            m
        };
        ok(cfg(json!({"Mode": "INLINE"})));
        ok(cfg(json!({})));
        ok(cfg(json!({"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"})));
        assert_eq!(
            only(cfg(json!({"Mode": "PARALLEL"}))),
            pair("The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]", "/States/A/ItemProcessor/ProcessorConfig/Mode")
        );
        assert_eq!(only(cfg(json!({"Mode": "DISTRIBUTED"}))), pair("These fields are required: [ExecutionType]", "/States/A/ItemProcessor/ProcessorConfig"));
        assert_eq!(
            only(cfg(json!({"Mode": "INLINE", "ExecutionType": "STANDARD"}))),
            pair("Field 'ExecutionType' is not supported", "/States/A/ItemProcessor/ProcessorConfig")
        );
        assert_eq!(
            only(cfg(json!({"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}))),
            pair("The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]", "/States/A/ItemProcessor/ProcessorConfig/ExecutionType")
        );
        let mut branch =
            one(json!({"Type": "Parallel", "Branches": [{"StartAt": "B", "ProcessorConfig": {}, "States": {"B": {"Type": "Succeed"}}}], "End": true}));
        assert_eq!(only(branch.clone()), pair("Field 'ProcessorConfig' is not supported", "/States/A/Branches[0]"));
        if let Some(b) = branch["States"]["A"]["Branches"][0].as_object_mut() {
            b.remove("ProcessorConfig");
        }
        ok(branch);
    }

    #[test]
    fn map_label() {
        let label = |l: &str| only(distributed(json!({"Label": l})));
        assert_eq!(label(""), pair("Label cannot be empty", "/States/A/Label"));
        assert_eq!(label(&"1".repeat(41)), pair("Label cannot exceed 40 characters", "/States/A/Label"));
        ok(distributed(json!({"Label": "1".repeat(40)})));
        for c in ['?', '*', '<', '>', '{', '}', '[', ']', ':', ';', ',', '\\', '|', '^', '~', '$', '#', '%', '&', '`', '"', '/', ' '] {
            assert_eq!(label(&format!("label_{c}")), pair(&format!("Label contains invalid character: '{c}'"), "/States/A/Label"));
        }
        assert_eq!(label("label_\u{8d}").0, "Label contains invalid character: '\\u{8d}'");
        assert_eq!(label("label_\u{1}").0, "Label contains invalid character: '\\u{1}'");
    }
}
