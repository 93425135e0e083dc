// STUB: replaced by the real module.
pub fn parse(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> { chrono::DateTime::parse_from_rfc3339(text).ok() }
pub fn format_millis(ms: i64) -> String { chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default() }
pub fn to_millis(t: &chrono::DateTime<chrono::FixedOffset>) -> i64 { t.timestamp_millis() }
