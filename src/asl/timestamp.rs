//! AWS timestamps: the RFC 3339 profile that the States Language requires of `Timestamp`,
//! `TimestampPath` and the Choice `Timestamp*` / `IsTimestamp` operators, and the millisecond form
//! the context object shows (`2024-01-01T10:00:05.000Z`).
//!
//! Accepted: `YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)`:
//! - an uppercase `T` between date and time and an uppercase `Z` when there is no numeric offset
//!   (the ASL spec: "an uppercase T character MUST be used ... an uppercase Z character MUST be
//!   present in the absence of a numeric time zone offset");
//! - a fraction of seconds of any length: `.00Z`, `.000000Z` and nanoseconds `.243167252Z` are
//!   recorded as accepted (digits past the ninth are dropped);
//! - a numeric offset `±hh:mm` of at most 18:00 (Java's `ZoneOffset` range; AWS reports these errors
//!   as "ISO-8601 extended offset date-time", i.e. Java's `ISO_OFFSET_DATE_TIME`).
//!
//! Rejected (all recorded against AWS, `scenarios/test_base_scenarios::test_wait_timestamp*` and
//! `base/test_wait::test_wait_timestamppath`): a space instead of `T`, no zone at all
//! (`2016-12-05T21:29:29`, `...T21:29:29.000000`), month 13, hour 25, `05-12-2016T21:29:29Z`.
//! Also rejected, by the spec's profile: lowercase `t`/`z`, missing seconds, an empty fraction, a
//! leap second `:60`, calendar-invalid dates (Feb 30), years outside 0000–9999, offsets without a colon.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// The largest offset Java's `ZoneOffset` accepts: ±18:00.
const MAX_OFFSET_SECS: i32 = 18 * 3600;

/// Parses an AWS timestamp; `None` when AWS would reject it. Never panics.
pub fn parse(text: &str) -> Option<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    // Fixed part: YYYY-MM-DDThh:mm:ss (19 bytes), then fraction and zone.
    if b.len() < 20 {
        return None;
    }
    let digits = |from: usize, len: usize| -> Option<u32> {
        let s = b.get(from..from + len)?;
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let lit = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(lit(4, b'-') && lit(7, b'-') && lit(10, b'T') && lit(13, b':') && lit(16, b':')) {
        return None;
    }
    let year = digits(0, 4)?;
    let (month, day) = (digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    // chrono would read second 60 as a leap second; AWS (Java, strict resolving) rejects it.
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    let mut i = 19;
    let mut nanos = 0u32;
    if lit(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..9 {
            nanos *= 10;
        }
    }

    let offset_secs = match b.get(i) {
        Some(b'Z') if b.len() == i + 1 => 0,
        Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && lit(i + 3, b':') => {
            let (oh, om) = (digits(i + 1, 2)?, digits(i + 4, 2)?);
            if om > 59 {
                return None;
            }
            let secs = i32::try_from(oh * 3600 + om * 60).ok()?;
            if secs > MAX_OFFSET_SECS {
                return None;
            }
            if sign == b'-' {
                -secs
            } else {
                secs
            }
        }
        _ => return None,
    };

    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let offset = FixedOffset::east_opt(offset_secs)?;
    NaiveDateTime::new(date, time)
        .and_local_timezone(offset)
        .single()
}

/// Formats virtual time (milliseconds since the Unix epoch) the way the context object shows it:
/// `2024-01-01T10:00:05.000Z`. Times outside what chrono can represent (about ±262,000 years) are
/// clamped to its range; years outside 0000–9999 are written with a sign, as ISO 8601 expands them
/// (such strings do not parse back).
pub fn format_millis(ms: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(if ms < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    });
    let year = t.year();
    let year = if (0..=9999).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    };
    format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_millis().min(999)
    )
}

/// Milliseconds since the epoch of a parsed timestamp (sub-millisecond digits are floored).
pub fn to_millis(t: &DateTime<FixedOffset>) -> i64 {
    t.timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_what_aws_accepts() {
        let cases = [
            // scenarios/test_base_scenarios::test_wait_timestamp[SECONDS] / _path[SECONDS] / _jsonata[SECONDS]
            "2016-03-14T01:59:00Z",
            // ...[NANOSECONDS]: nanosecond fractions accepted, both literal and via TimestampPath
            "2016-03-05T21:29:29.243167252Z",
            // base/test_wait::test_wait_timestamppath[Z], [.000000Z], [.00Z] (suffixes after %Y-%m-%dT%H:%M:%S)
            "2023-12-13T07:09:32Z",
            "2023-12-13T07:09:46.000000Z",
            "2023-12-13T07:10:01.00Z",
            // base/test_wait::test_timestamp_too_far_in_future_boundary: `.000Z` parses (then fails for length)
            "2091-11-07T07:09:17.000Z",
            // choice_operators/test_timestamp_operators: T0 and T1
            "2012-10-09T19:00:55Z",
            "2012-10-09T19:00:56Z",
            // numeric offsets (RFC 3339 / ISO_OFFSET_DATE_TIME)
            "2012-10-09T19:00:55+01:00",
            "2012-10-09T19:00:55-05:30",
            "2012-10-09T19:00:55-00:00",
            "2012-10-09T19:00:55+18:00",
            "2016-02-29T23:59:59.999999999999Z", // more than nine digits: the rest is dropped
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ];
        for ok in cases {
            assert!(parse(ok).is_some(), "{ok} should parse");
        }
    }

    #[test]
    fn rejects_what_aws_rejects() {
        let cases = [
            // Recorded: scenarios/test_base_scenarios::test_wait_timestamp_invalid[NO_T|NO_Z|INVALID_DATE|INVALID_TIME|INVALID_ISO]
            // (CreateStateMachine: "String does not match RFC3339 timestamp") and test_wait_timestamp_path[...]
            // (States.Runtime "... does not reference a valid ISO-8601 extended offset date-time format string").
            "2016-12-05 21:29:29Z",
            "2016-12-05T21:29:29",
            "2016-13-05T21:29:29Z",
            "2016-12-05T25:29:29Z",
            "05-12-2016T21:29:29Z",
            // Recorded: base/test_wait::test_wait_timestamppath[] and the test's `.000000` suffix (no zone)
            "2023-12-13T07:10:17",
            "2023-12-13T07:10:17.000000",
            // Recorded (snapshot of choice_operators/test_timestamp_operators::test_timestamp_equals case 7):
            // TimestampEquals against "2023-02-24 12:15:56.832957" is false.
            "2023-02-24 12:15:56.832957",
            // Recorded in the Is*/Boolean tables as plain strings: date only, no zone.
            "2023-02-24",
            "2012-10-09T19:00:55",
            // By the spec's profile (not recorded):
            "2016-12-05t21:29:29Z",
            "2016-12-05T21:29:29z",
            "2016-12-05T21:29Z",
            "2016-12-05T21:29:29.Z",
            "2016-12-05T23:59:60Z",
            "2016-02-30T21:29:29Z",
            "2015-02-29T21:29:29Z",
            "2016-12-05T21:29:29+0100",
            "2016-12-05T21:29:29+01",
            "2016-12-05T21:29:29+19:00",
            "2016-12-05T21:29:29+01:60",
            "2016-12-05T21:29:29Z ",
            " 2016-12-05T21:29:29Z",
            "+2016-12-05T21:29:29Z",
            "12016-12-05T21:29:29Z",
            "{% '2016-03-14T01:59:00Z' %}", // recorded: test_wait_timestamp_invalid[JSONATA]
            "",
            "Z",
            "２０１６-12-05T21:29:29Z",
        ];
        for bad in cases {
            assert!(parse(bad).is_none(), "{bad} should not parse");
        }
    }

    #[test]
    fn instants_compare_across_offsets() {
        let a = parse("2012-10-09T19:00:55Z").unwrap();
        let b = parse("2012-10-09T20:00:55+01:00").unwrap();
        assert_eq!(a, b);
        assert_eq!(to_millis(&a), to_millis(&b));
        let c = parse("2012-10-09T19:00:55.000000001Z").unwrap();
        assert!(c > a);
        assert_eq!(to_millis(&c), to_millis(&a));
    }

    #[test]
    fn formats_with_milliseconds() {
        assert_eq!(format_millis(1_704_103_205_000), "2024-01-01T10:00:05.000Z");
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(1), "1970-01-01T00:00:00.001Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            to_millis(&parse("2024-01-01T10:00:05.000Z").unwrap()),
            1_704_103_205_000
        );
        assert_eq!(to_millis(&parse("1969-12-31T23:59:59.999Z").unwrap()), -1);
        // Never panics at the extremes.
        assert!(!format_millis(i64::MAX).is_empty());
        assert!(!format_millis(i64::MIN).is_empty());
        assert!(format_millis(-62_167_219_200_001).starts_with("-0001-12-31T23:59:59.999Z"));
    }

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z in epoch milliseconds.
    const MIN_MS: i64 = -62_167_219_200_000;
    const MAX_MS: i64 = 253_402_300_799_999;

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn parse_never_panics_on_near_timestamps(s in "[0-9]{0,5}-?[0-9]{0,3}-?[0-9]{0,3}[Tt ]?[0-9]{0,3}:?[0-9]{0,3}:?[0-9]{0,3}(\\.[0-9]{0,12})?([Zz]|[+-][0-9]{0,3}:?[0-9]{0,3})?") {
            if let Some(t) = parse(&s) {
                // Whatever parses is an instant that formats and parses back to the same millisecond.
                let ms = to_millis(&t);
                prop_assert_eq!(to_millis(&parse(&format_millis(ms)).unwrap()), ms);
            }
        }

        #[test]
        fn format_millis_round_trips(ms in MIN_MS..=MAX_MS) {
            let text = format_millis(ms);
            prop_assert_eq!(text.len(), 24);
            let t = parse(&text);
            prop_assert!(t.is_some(), "{} did not parse", text);
            prop_assert_eq!(to_millis(&t.unwrap()), ms);
        }
    }
}
