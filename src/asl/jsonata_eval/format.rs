//! XPath-style pictures: $formatInteger (digits with grouping, ordinals, words, roman numerals,
//! letters), and the date/time components of $fromMillis.

use super::Error;

const ONES: [&str; 20] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const ORD_ONES: [&str; 20] = [
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
    "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
];
const ORD_TENS: [&str; 10] = ["", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"];
const SCALES: [(u64, &str); 4] = [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")];

/// An integer in English words (`one hundred and twenty-three`), or as an ordinal.
pub fn words(n: u64, ordinal: bool) -> String {
    fn below_thousand(n: u64, ordinal: bool) -> String {
        let (h, r) = (n / 100, n % 100);
        let mut out = String::new();
        if h > 0 {
            out.push_str(ONES[h as usize]);
            if r == 0 {
                out.push_str(if ordinal { " hundredth" } else { " hundred" });
                return out;
            }
            out.push_str(" hundred and ");
        }
        if r < 20 {
            out.push_str(if ordinal { ORD_ONES[r as usize] } else { ONES[r as usize] });
        } else {
            let (t, o) = ((r / 10) as usize, (r % 10) as usize);
            if o == 0 {
                out.push_str(if ordinal { ORD_TENS[t] } else { TENS[t] });
            } else {
                out.push_str(TENS[t]);
                out.push('-');
                out.push_str(if ordinal { ORD_ONES[o] } else { ONES[o] });
            }
        }
        out
    }
    if n == 0 {
        return if ordinal { "zeroth".into() } else { "zero".into() };
    }
    let mut parts: Vec<String> = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            let q = rest / scale;
            rest %= scale;
            let head = if q >= 1000 { words(q, false) } else { below_thousand(q, false) };
            if rest == 0 && ordinal {
                parts.push(format!("{head} {name}th"));
            } else {
                parts.push(format!("{head} {name}"));
            }
        }
    }
    if rest > 0 {
        let tail = below_thousand(rest, ordinal);
        if !parts.is_empty() && rest < 100 {
            let last = parts.pop().unwrap_or_default();
            parts.push(format!("{last} and {tail}"));
        } else {
            parts.push(tail);
        }
    }
    parts.join(", ")
}

/// Roman numerals; beyond 1,000,000 (a thousand `m`s) the number is written in digits, which
/// bounds the text.
pub fn roman(mut n: u64) -> String {
    if n > 1_000_000 {
        return n.to_string();
    }
    const T: [(u64, &str); 13] = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
        (4, "iv"), (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in T {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

pub fn letters(mut n: u64) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

fn ordinal_suffix(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    }
}

/// A decimal-digit picture such as `#,##0` or `0001`, with an optional `;o` ordinal.
fn digits(n: i64, picture: &str, ordinal: bool) -> Result<String, Error> {
    let zero = picture.chars().find(|c| c.is_numeric()).map(|c| (c as u32) - c.to_digit(10).unwrap_or(0)).unwrap_or('0' as u32);
    let mandatory = picture.chars().filter(|c| c.is_numeric()).count();
    // Grouping separators: positions counted from the right.
    let mut seps: Vec<(usize, char)> = Vec::new();
    let mut pos = 0usize;
    for c in picture.chars().rev() {
        if c.is_numeric() || c == '#' {
            pos += 1;
        } else {
            seps.push((pos, c));
        }
    }
    let regular = if !seps.is_empty() && seps[0].0 > 0 && seps.iter().all(|(p, c)| p % seps[0].0 == 0 && *c == seps[0].1) { Some(seps[0]) } else { None };
    let abs = n.unsigned_abs();
    let mut ds: Vec<char> = abs.to_string().chars().collect();
    while ds.len() < mandatory {
        ds.insert(0, '0');
    }
    let ds: Vec<char> = ds.iter().map(|d| char::from_u32(zero + d.to_digit(10).unwrap_or(0)).unwrap_or(*d)).collect();
    let mut out: Vec<char> = Vec::new();
    for (i, d) in ds.iter().rev().enumerate() {
        if i > 0 {
            match regular {
                Some((every, c)) if every > 0 && i % every == 0 => out.push(c),
                None => {
                    if let Some((_, c)) = seps.iter().find(|(p, _)| *p == i) {
                        out.push(*c);
                    }
                }
                _ => {}
            }
        }
        out.push(*d);
    }
    let mut s: String = out.iter().rev().collect();
    if n < 0 {
        s.insert(0, '-');
    }
    if ordinal {
        s.push_str(ordinal_suffix(abs));
    }
    Ok(s)
}

/// $formatInteger's picture.
pub fn format_integer(n: i64, picture: &str) -> Result<String, Error> {
    let (pic, modifier) = match picture.rsplit_once(';') {
        Some((p, m)) => (p, m),
        None => (picture, ""),
    };
    let ordinal = modifier.starts_with('o');
    let abs = n.unsigned_abs();
    let sign = if n < 0 { "-" } else { "" };
    Ok(match pic {
        "w" => format!("{sign}{}", words(abs, ordinal)),
        "W" => format!("{sign}{}", words(abs, ordinal).to_uppercase()),
        "Ww" => format!(
            "{sign}{}",
            words(abs, ordinal)
                .split(' ')
                .map(|w| if w == "and" { w.to_string() } else { capitalize_hyphenated(w) })
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "i" => format!("{sign}{}", roman(abs)),
        "I" => format!("{sign}{}", roman(abs).to_uppercase()),
        "a" => letters(abs),
        "A" => letters(abs).to_uppercase(),
        _ => digits(n, pic, ordinal)?,
    })
}

fn capitalize_hyphenated(w: &str) -> String {
    w.split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// $fromMillis with a picture: `[Y0001]-[M01]-[D01]`, names (`[FNn]`, `[MNn]`), 12-hour clock
/// (`[h]`, `[Pn]`), fractions (`[f001]`), time zones (`[Z]`, `[Z01:01]`), ISO weeks (`[W]`, `[X]`).
pub fn format_datetime(ms: i64, picture: &str, tz_minutes: i32) -> Result<String, Error> {
    use chrono::{Datelike, TimeZone, Timelike};
    let offset = chrono::FixedOffset::east_opt(tz_minutes * 60).ok_or_else(|| Error::new("D3134", "Invalid time zone"))?;
    let t = offset.timestamp_millis_opt(ms).single().ok_or_else(|| Error::new("D3137", "The date is out of range"))?;
    let mut out = String::new();
    let chars: Vec<char> = picture.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if chars.get(i + 1) == Some(&'[') {
                out.push('[');
                i += 2;
                continue;
            }
            let end = chars[i..].iter().position(|&x| x == ']').map(|p| i + p).ok_or_else(|| Error::new("D3135", "No matching closing bracket ']' in date/time picture string"))?;
            let spec: String = chars[i + 1..end].iter().filter(|c| !c.is_whitespace()).collect();
            i = end + 1;
            let mut sc = spec.chars();
            let comp = sc.next().unwrap_or(' ');
            let rest: String = sc.collect();
            let (pres, width) = match rest.split_once(',') {
                Some((p, w)) => (p.to_string(), Some(w.to_string())),
                None => (rest.clone(), None),
            };
            let _ = width;
            let num_value: Option<i64> = match comp {
                'Y' => Some(t.year() as i64),
                'M' => Some(t.month() as i64),
                'D' => Some(t.day() as i64),
                'd' => Some(t.ordinal() as i64),
                'F' => Some(t.weekday().number_from_monday() as i64),
                'W' => Some(t.iso_week().week() as i64),
                'X' => Some(t.iso_week().year() as i64),
                'w' => {
                    // Week of the month (ISO-style: the week containing the month's first Thursday).
                    let first = t.with_day(1).unwrap_or(t);
                    let offset = (first.weekday().num_days_from_monday() as i64 + 3) % 7 - 3;
                    Some(((t.day() as i64 - 1 + offset.rem_euclid(7)) / 7 + if offset > 0 { 0 } else { 1 }).max(1))
                }
                'x' => Some(t.month() as i64),
                'H' => Some(t.hour() as i64),
                'h' => Some(((t.hour() + 11) % 12 + 1) as i64),
                'm' => Some(t.minute() as i64),
                's' => Some(t.second() as i64),
                'f' => Some((t.timestamp_subsec_millis()) as i64),
                'E' => Some(1),
                _ => None,
            };
            match comp {
                'P' => {
                    let am = if t.hour() < 12 { "am" } else { "pm" };
                    out.push_str(&match pres.as_str() {
                        "N" => am.to_uppercase(),
                        "Nn" => capitalize_hyphenated(am),
                        _ => am.to_string(),
                    });
                }
                'Z' | 'z' => {
                    if pres.ends_with('t') && tz_minutes == 0 {
                        out.push('Z');
                        continue;
                    }
                    let sign = if tz_minutes < 0 { '-' } else { '+' };
                    let (h, m) = (tz_minutes.abs() / 60, tz_minutes.abs() % 60);
                    let p = pres.trim_end_matches('t');
                    let body = match p {
                        "" | "01:01" => format!("{h:02}:{m:02}"),
                        "0101" => format!("{h:02}{m:02}"),
                        "01" => {
                            if m == 0 {
                                format!("{h:02}")
                            } else {
                                format!("{h:02}:{m:02}")
                            }
                        }
                        "0" => {
                            if m == 0 {
                                format!("{h}")
                            } else {
                                format!("{h}:{m:02}")
                            }
                        }
                        other if other.len() > 4 => return Err(Error::new("D3134", format!("The timezone integer format specifier cannot have more than four digits: {other}"))),
                        _ => format!("{h:02}:{m:02}"),
                    };
                    if comp == 'z' {
                        out.push_str("GMT");
                    }
                    out.push(sign);
                    out.push_str(&body);
                }
                'F' if pres.starts_with('N') || pres.starts_with('n') || pres.is_empty() => {
                    let name = DAYS[t.weekday().num_days_from_monday() as usize];
                    out.push_str(&name_case(name, if pres.is_empty() { "n" } else { &pres }));
                }
                'M' | 'x' if pres.starts_with('N') || pres.starts_with('n') => {
                    out.push_str(&name_case(MONTHS[t.month0() as usize], &pres));
                }
                'f' => {
                    let p = if pres.is_empty() { "001".to_string() } else { pres.clone() };
                    let digits_n = p.chars().filter(|c| c.is_ascii_digit()).count().max(1);
                    let frac = format!("{:03}", t.timestamp_subsec_millis());
                    let mut s: String = frac.chars().take(digits_n).collect();
                    while s.len() < digits_n {
                        s.push('0');
                    }
                    out.push_str(&s);
                }
                'Y' if pres.is_empty() => out.push_str(&t.year().to_string()),
                _ => {
                    let Some(v) = num_value else {
                        return Err(Error::new("D3132", format!("Unknown component specifier {comp} in date/time picture string")));
                    };
                    let default_pres = match comp {
                        'm' | 's' => "01",
                        _ => "1",
                    };
                    let p = if pres.is_empty() { default_pres.to_string() } else { pres.clone() };
                    // A trailing `o` (ordinal) or `c` (cardinal) modifier follows the picture directly.
                    let p = match p.strip_suffix('o') {
                        Some(base) if !base.is_empty() && base != "w" && base != "W" && base != "Ww" => format!("{base};o"),
                        _ => match p.strip_suffix('c') {
                            Some(base) if !base.is_empty() => base.to_string(),
                            _ => p,
                        },
                    };
                    let p = match p.as_str() {
                        "wo" => "w;o".to_string(),
                        "Wo" => "W;o".to_string(),
                        "Wwo" => "Ww;o".to_string(),
                        _ => p,
                    };
                    let mut s = format_integer(v, &p)?;
                    if comp == 'Y' && p.chars().filter(|c| c.is_ascii_digit()).count() == 2 {
                        s = format!("{:02}", v % 100);
                    }
                    out.push_str(&s);
                }
            }
            continue;
        }
        if c == ']' && chars.get(i + 1) == Some(&']') {
            out.push(']');
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

fn name_case(name: &str, pres: &str) -> String {
    let (case, width) = match pres.split_once(',') {
        Some((c, w)) => (c, Some(w)),
        None => (pres, None),
    };
    let mut n = match case {
        "N" => name.to_uppercase(),
        "n" => name.to_lowercase(),
        _ => name.to_string(),
    };
    if let Some(w) = width {
        let max = w.split('-').next_back().and_then(|x| x.parse::<usize>().ok()).unwrap_or(usize::MAX);
        n = n.chars().take(max).collect();
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_numbers() {
        assert_eq!(words(34, false), "thirty-four");
        assert_eq!(words(730, false), "seven hundred and thirty");
        assert_eq!(words(1000, true), "one thousandth");
        assert_eq!(format_integer(1234, "###0;o").unwrap(), "1234th");
        assert_eq!(format_integer(1200, "#,##0").unwrap(), "1,200");
        assert_eq!(format_integer(2018, "i").unwrap(), "mmxviii");
        assert_eq!(format_integer(12, "a").unwrap(), "l");
        assert_eq!(format_datetime(1521801216617, "[Y0001]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", 0).unwrap(), "2018-03-23T10:33:36.617Z");
        assert_eq!(format_datetime(1521801216617, "[FNn], [D1o] [MNn] [Y]", 0).unwrap(), "Friday, 23rd March 2018");
    }
}
