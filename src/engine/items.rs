//! Where a Map's items come from when it has an ItemReader (S3 objects, read from the simulated
//! object store), and how an ItemBatcher groups them. Reader failures are States.ItemReaderFailed
//! with AWS's recorded causes.

use super::context::ContextExtra;
use super::execution::Execution;
use crate::asl::errors::Failure;
use crate::asl::model::{Count, ItemBatcher, ItemReader};
use crate::asl::template::{self, compact};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
/// AWS's ceiling on MaxItems.
const MAX_ITEMS_LIMIT: u64 = 100_000_000;

/// One stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub body: String,
    pub last_modified_ms: i64,
}

/// The simulated S3: (bucket, key) → object, shared between the service and its executions.
#[derive(Debug, Clone, Default)]
pub struct ObjectStore(pub Arc<Mutex<BTreeMap<(String, String), StoredObject>>>);

impl ObjectStore {
    pub fn put(&self, bucket: &str, key: &str, body: &str, now_ms: i64) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(
                (bucket.to_string(), key.to_string()),
                StoredObject {
                    body: body.to_string(),
                    last_modified_ms: now_ms,
                },
            );
        }
    }
    pub fn get(&self, bucket: &str, key: &str) -> Option<StoredObject> {
        self.0.lock().ok()?.get(&(bucket.to_string(), key.to_string())).cloned()
    }
    /// Objects of a bucket under a prefix, in key order.
    pub fn list(&self, bucket: &str, prefix: &str) -> Vec<(String, StoredObject)> {
        let Ok(m) = self.0.lock() else {
            return Vec::new();
        };
        m.iter()
            .filter(|((b, k), _)| b == bucket && k.starts_with(prefix))
            .map(|((_, k), o)| (k.clone(), o.clone()))
            .collect()
    }
}

fn reader_failure(cause: impl Into<String>) -> Failure {
    Failure::new(ITEM_READER_FAILED, cause.into())
}

/// A count as a number; numeric strings count too (a variable set to "2").
fn count_value(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Execution {
    fn count(&mut self, fid: usize, c: &Option<Count>, data: &Value) -> Result<Option<i64>, Failure> {
        let v = match c {
            None => return Ok(None),
            Some(Count::Literal(v)) if crate::asl::query::has_expression(v) => {
                self.jsonata_value(fid, v, "ItemBatcher", &super::jsonata::StatesVar::input(&Arc::new(data.clone())))?
            }
            Some(Count::Literal(v)) => v.clone(),
            Some(Count::Path(p)) => {
                let extra = ContextExtra::default();
                match self.with_scope(fid, data, &extra, |s| template::select(p, s)) {
                    Ok(v) => v,
                    Err((msg, _)) => {
                        return Err(self.runtime_failure(fid, format!("Invalid path '{}' : {}", p.text(), msg)))
                    }
                }
            }
        };
        match count_value(&v) {
            Some(n) => Ok(Some(n)),
            None => Err(self.runtime_failure(fid, format!("The value {} is not a valid integer", compact(&v)))),
        }
    }

    /// A payload template of a reader, batcher or writer over `data`: a JSONata state's (kept as a
    /// literal with `{% %}` expressions) is evaluated over `$states.input`.
    fn eval_payload(&mut self, fid: usize, t: &template::Template, data: &Arc<Value>, field: &str) -> Result<Value, Failure> {
        if let template::Template::Literal(v) = t {
            if crate::asl::query::has_expression(v) {
                return self.jsonata_value(fid, v, field, &super::jsonata::StatesVar::input(data));
            }
        }
        let extra = ContextExtra::default();
        self.with_scope(fid, data, &extra, |s| t.eval(s)).map_err(|e| self.eval_failure(fid, e))
    }

    /// Reads the items an ItemReader names, from the state's effective input.
    pub(crate) fn read_items(&mut self, fid: usize, reader: &ItemReader, effective: &Arc<Value>) -> Result<Vec<Value>, Failure> {
        let params = match &reader.parameters {
            None => json!({}),
            Some(t) => self.eval_payload(fid, t, effective, "ItemReader/Arguments")?,
        };
        let max = match self.count(fid, &reader.max_items, effective)? {
            None | Some(0) => MAX_ITEMS_LIMIT,
            Some(n) if n < 0 => return Err(reader_failure("field MaxItems must be positive")),
            Some(n) => (n as u64).min(MAX_ITEMS_LIMIT),
        };
        let Some(store) = self.cfg.objects.clone() else {
            return Err(reader_failure("No object store is attached to this simulation: S3 items cannot be read."));
        };
        let bucket = params["Bucket"].as_str().unwrap_or_default().to_string();
        let action = reader.resource.rsplit(':').next().unwrap_or_default();
        let mut items = if action == "listObjectsV2" {
            let prefix = params["Prefix"].as_str().unwrap_or_default();
            store
                .list(&bucket, prefix)
                .into_iter()
                .map(|(key, o)| {
                    use md5::Digest as _;
                    let etag: String = md5::Md5::digest(o.body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
                    json!({
                        "Etag": format!("\"{etag}\""),
                        "LastModified": crate::asl::timestamp::format_millis(o.last_modified_ms),
                        "Key": key,
                        "Size": o.body.len(),
                        "StorageClass": "STANDARD",
                    })
                })
                .collect()
        } else {
            let key = params["Key"].as_str().unwrap_or_default();
            let Some(object) = store.get(&bucket, key) else {
                return Err(reader_failure(format!("The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey) Bucket: {bucket}, Key: {key}")));
            };
            parse_body(&object.body, reader)?
        };
        items.truncate(max.min(usize::MAX as u64) as usize);
        Ok(items)
    }

    /// A ResultWriter: the Map Run's results go to the object store (a manifest and a results
    /// file under `<Prefix>/<map run id>/`), and the Map's result names them (recorded shape).
    pub(crate) fn write_results(&mut self, fid: usize, writer: &crate::asl::template::Template, effective: &Arc<Value>, results: Value) -> Result<Value, Failure> {
        let params = self.eval_payload(fid, writer, effective, "ResultWriter/Arguments")?;
        let bucket = params["Bucket"].as_str().unwrap_or_default().to_string();
        let prefix = params["Prefix"].as_str().unwrap_or_default().trim_end_matches('/').to_string();
        let arn = self.frames[fid].map_run_arn.clone().unwrap_or_default();
        let run_id = arn.rsplit(':').next().unwrap_or_default().to_string();
        let dir = if prefix.is_empty() { run_id.clone() } else { format!("{prefix}/{run_id}") };
        let key = format!("{dir}/manifest.json");
        if let Some(store) = self.cfg.objects.clone() {
            let now = self.clock.now();
            let results_key = format!("{dir}/SUCCEEDED_0.json");
            store.put(&bucket, &results_key, &compact(&results), now);
            let manifest = json!({
                "DestinationBucket": bucket,
                "MapRunArn": arn,
                "ResultFiles": {"SUCCEEDED": [{"Key": results_key, "Size": compact(&results).len()}], "FAILED": [], "PENDING": []}
            });
            store.put(&bucket, &key, &compact(&manifest), now);
        }
        Ok(json!({"MapRunArn": arn, "ResultWriterDetails": {"Bucket": bucket, "Key": key}}))
    }

    /// Groups items as an ItemBatcher says: `{"Items": [...]}` (with `BatchInput` when given).
    pub(crate) fn batch_items(&mut self, fid: usize, batcher: &ItemBatcher, items: Vec<Value>, effective: &Arc<Value>) -> Result<Vec<Value>, Failure> {
        let per_batch = self.count(fid, &batcher.max_items_per_batch, effective)?.filter(|n| *n > 0).map(|n| n as usize);
        let max_bytes = self.count(fid, &batcher.max_input_bytes_per_batch, effective)?.filter(|n| *n > 0).map(|n| n as usize);
        let batch_input = match &batcher.batch_input {
            None => None,
            Some(t) => Some(self.eval_payload(fid, t, effective, "ItemBatcher/BatchInput")?),
        };
        let mut batches = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = 0usize;
        for item in items {
            let size = compact(&item).len() + 1;
            let full = per_batch.is_some_and(|n| current.len() >= n) || max_bytes.is_some_and(|m| !current.is_empty() && bytes + size > m);
            if full {
                batches.push(std::mem::take(&mut current));
                bytes = 0;
            }
            bytes += size;
            current.push(item);
        }
        if !current.is_empty() {
            batches.push(current);
        }
        Ok(batches
            .into_iter()
            .map(|b| {
                let mut m = Map::new();
                if let Some(bi) = &batch_input {
                    m.insert("BatchInput".into(), bi.clone());
                }
                m.insert("Items".into(), Value::Array(b));
                Value::Object(m)
            })
            .collect())
    }
}

/// An object's body as items: a JSON array, JSON lines, or CSV rows as objects.
fn parse_body(body: &str, reader: &ItemReader) -> Result<Vec<Value>, Failure> {
    match reader.input_type.as_deref().unwrap_or("JSON") {
        "JSONL" => body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| reader_failure(format!("Failed to parse JSONL line: {e}"))))
            .collect(),
        "CSV" => parse_csv(body, reader),
        _ => match serde_json::from_str::<Value>(body) {
            Ok(Value::Array(a)) => Ok(a),
            Ok(_) => Err(reader_failure("Attempting to map over non-iterable node.")),
            Err(e) => Err(reader_failure(format!("Failed to parse JSON: {e}"))),
        },
    }
}

fn parse_csv(body: &str, reader: &ItemReader) -> Result<Vec<Value>, Failure> {
    let mut rows = csv_rows(body);
    let headers = if reader.csv_header_location.as_deref() == Some("GIVEN") {
        reader.csv_headers.clone()
    } else if rows.is_empty() {
        return Ok(Vec::new());
    } else {
        rows.remove(0)
    };
    let mut seen = std::collections::HashSet::new();
    if !headers.iter().all(|h| seen.insert(h)) {
        return Err(reader_failure("CSV headers cannot contain duplicates."));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut m = Map::new();
            for (i, h) in headers.iter().enumerate() {
                m.insert(h.clone(), Value::String(row.get(i).cloned().unwrap_or_default()));
            }
            Value::Object(m)
        })
        .collect())
}

/// CSV records (RFC 4180 quoting; a final line break ends the last record, it does not start one).
fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = body.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            _ => field.push(c),
        }
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records() {
        assert_eq!(csv_rows("a,b\n1,2\n"), vec![vec!["a", "b"], vec!["1", "2"]]);
        assert_eq!(csv_rows("a,\"b,c\"\r\n\"x\"\"y\",\n"), vec![vec!["a", "b,c"], vec!["x\"y", ""]]);
        assert_eq!(csv_rows(",,,\n   \n"), vec![vec!["", "", "", ""], vec!["   "]]);
        assert!(csv_rows("").is_empty());
    }
}
