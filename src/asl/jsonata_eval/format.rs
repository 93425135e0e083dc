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
    if ds.len() < mandatory {
        // Padded in one go: a picture can be as long as a payload (inserting one by one was quadratic).
        ds.splice(0..0, std::iter::repeat_n('0', mandatory - ds.len()));
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
/// The widest a date/time component may be padded to.
const MAX_WIDTH: usize = 10_000;

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
            let (mut pres, width) = match rest.split_once(',') {
                Some((p, w)) => (p.to_string(), Some(w.trim_start_matches('*').trim_start_matches('-').to_string()).filter(|w| !w.is_empty())),
                None => (rest.clone(), None),
            };
            if pres == "*" {
                pres.clear();
            }
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
                    // A width modifier `,min-max`: pad with zeros to min; a year is cut to max.
                    if let Some(w) = &width {
                        let (min, max) = match w.split_once('-') {
                            Some((a, b)) => (a.parse::<usize>().ok(), b.parse::<usize>().ok()),
                            None => (w.parse::<usize>().ok(), w.parse::<usize>().ok().filter(|_| comp == 'Y')),
                        };
                        if let Some(max) = max {
                            if comp == 'Y' && s.len() > max {
                                s = s[s.len() - max..].to_string();
                            }
                        }
                        if let Some(min) = min {
                            // Bounded and in one go (a fuzzed `[Y,219299]` took seconds one zero at a time).
                            let len = s.chars().count();
                            if len < min && s.chars().all(|c| c.is_ascii_digit()) {
                                if min > MAX_WIDTH {
                                    return Err(Error::new("D3132", format!("The width modifier {min} in the date/time picture string is too large")));
                                }
                                s = "0".repeat(min - len) + &s;
                            }
                        }
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


/// English words (cardinal or ordinal, any case) as a number: `nineteen hundred and eighty-four`.
pub fn parse_words(text: &str) -> Option<u64> {
    let lower = text.to_lowercase();
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut any = false;
    for w in lower.split(|c: char| c.is_whitespace() || c == '-' || c == ',').filter(|w| !w.is_empty()) {
        if w == "and" {
            continue;
        }
        let small = ONES.iter().position(|x| *x == w).or_else(|| ORD_ONES.iter().position(|x| *x == w));
        let tens = TENS.iter().position(|x| !x.is_empty() && *x == w).or_else(|| ORD_TENS.iter().position(|x| !x.is_empty() && *x == w));
        if let Some(n) = small {
            current += n as u64;
        } else if let Some(t) = tens {
            current += 10 * t as u64;
        } else if w == "hundred" || w == "hundredth" {
            current = current.max(1) * 100;
        } else if let Some((scale, _)) = SCALES.iter().find(|(_, name)| w == *name || w.strip_suffix("th") == Some(name)) {
            total += current.max(1) * scale;
            current = 0;
        } else {
            return None;
        }
        any = true;
    }
    any.then_some(total + current)
}

pub fn parse_roman_pub(text: &str) -> Option<u64> {
    parse_roman(text)
}

pub fn parse_letters_pub(text: &str) -> Option<u64> {
    parse_letters(text)
}

fn parse_roman(text: &str) -> Option<u64> {
    let v = |c: char| match c.to_ascii_lowercase() {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        'd' => Some(500),
        'm' => Some(1000),
        _ => None,
    };
    let vals: Vec<u64> = text.chars().map(v).collect::<Option<Vec<_>>>()?;
    let mut total = 0i64;
    for (i, x) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|n| n > x) {
            total -= *x as i64;
        } else {
            total += *x as i64;
        }
    }
    (total > 0).then_some(total as u64)
}

fn parse_letters(text: &str) -> Option<u64> {
    let mut n = 0u64;
    for c in text.to_lowercase().chars() {
        if !c.is_ascii_lowercase() {
            return None;
        }
        n = n.checked_mul(26)?.checked_add((c as u8 - b'a' + 1) as u64)?;
    }
    Some(n)
}

/// ISO 8601 as $toMillis reads it without a picture: a year, a date, or a date and time with
/// an optional zone (`Z`, `±hh:mm`, `±hhmm`).
pub fn parse_iso(text: &str) -> Option<i64> {
    use chrono::NaiveDate;
    let t = text.trim();
    let (date, time) = match t.split_once('T') {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> { (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten() };
    let (y, m, d) = match parts.as_slice() {
        [y] => (num(y, 4)? as i32, 1, 1),
        [y, m] => (num(y, 4)? as i32, num(m, 2)?, 1),
        [y, m, d] => (num(y, 4)? as i32, num(m, 2)?, num(d, 2)?),
        _ => return None,
    };
    let day = NaiveDate::from_ymd_opt(y, m, d)?;
    let mut ms = day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
    if let Some(tm) = time {
        let (clock, zone_ms) = if let Some(c) = tm.strip_suffix('Z') {
            (c, 0i64)
        } else if let Some(pos) = tm.rfind(['+', '-']) {
            let (c, z) = tm.split_at(pos);
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
            if digits.len() != 4 {
                return None;
            }
            let (h, mi): (i64, i64) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
            (c, sign * (h * 60 + mi) * 60_000)
        } else {
            (tm, 0)
        };
        let (hms, frac) = match clock.split_once('.') {
            Some((a, f)) => (a, f),
            None => (clock, ""),
        };
        let p: Vec<&str> = hms.split(':').collect();
        let (h, mi, s) = match p.as_slice() {
            [h, mi] => (num(h, 2)?, num(mi, 2)?, 0),
            [h, mi, s] => (num(h, 2)?, num(mi, 2)?, num(s, 2)?),
            _ => return None,
        };
        let frac_ms: i64 = if frac.is_empty() { 0 } else { format!("{:0<3}", &frac[..frac.len().min(3)]).parse().ok()? };
        ms += (h as i64 * 3600 + mi as i64 * 60 + s as i64) * 1000 + frac_ms - zone_ms;
    }
    Some(ms)
}

/// $toMillis with a picture: the components the picture names, read from the text.
pub fn parse_datetime(text: &str, picture: &str) -> Result<Option<i64>, Error> {
    use chrono::{Datelike, NaiveDate};
    let pic: Vec<char> = picture.chars().collect();
    let src: Vec<char> = text.chars().collect();
    let (mut i, mut j) = (0usize, 0usize);
    let (mut year, mut month, mut day, mut yday) = (None::<i64>, None::<i64>, None::<i64>, None::<i64>);
    let (mut hour, mut minute, mut second, mut milli) = (None::<i64>, None::<i64>, None::<i64>, 0i64);
    let mut pm: Option<bool> = None;
    let mut zone_min = 0i64;
    while i < pic.len() {
        if pic[i] != '[' {
            if j >= src.len() || src[j] != pic[i] {
                return Ok(None);
            }
            i += 1;
            j += 1;
            continue;
        }
        let Some(end) = pic[i..].iter().position(|&c| c == ']').map(|p| i + p) else {
            return Err(Error::new("D3135", "No matching closing bracket ']' in date/time picture string"));
        };
        let spec: String = pic[i + 1..end].iter().filter(|c| !c.is_whitespace()).collect();
        i = end + 1;
        let comp = spec.chars().next().unwrap_or(' ');
        let pres: String = spec.chars().skip(1).collect();
        let pres_main = pres.split(',').next().unwrap_or("").to_string();
        if !"YMDdFWwXxHhmsfPZzE".contains(comp) {
            return Err(Error::new("D3132", format!("Unknown component specifier {comp} in date/time picture string")));
        }
        if comp == 'Y' && pres_main.starts_with('N') {
            return Err(Error::new("D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not Y"));
        }
        // The literal that follows decides where this field ends.
        let stop = pic.get(i).copied().filter(|c| *c != '[');
        let mut k = j;
        let width: Option<usize> = {
            let d = pres_main.chars().filter(|c| c.is_ascii_digit()).count();
            let next_is_component = pic.get(i) == Some(&'[');
            (next_is_component && d > 1).then_some(d)
        };
        match width {
            Some(w) => k = (j + w).min(src.len()),
            None => {
                while k < src.len() && Some(src[k]) != stop {
                    if stop.is_none() && comp != 'Z' && comp != 'z' && pres_main.chars().all(|c| c.is_ascii_digit()) && !pres_main.is_empty() && !src[k].is_ascii_digit() && !src[k].is_alphabetic() {
                        break;
                    }
                    k += 1;
                }
            }
        }
        let field: String = src[j..k].iter().collect();
        j = k;
        let value: Option<i64> = match comp {
            'P' => {
                pm = Some(field.to_lowercase().starts_with('p'));
                continue;
            }
            'Z' | 'z' => {
                let f = field.trim_start_matches("GMT");
                let sign = if f.starts_with('-') { -1 } else { 1 };
                let body: String = f.trim_start_matches(['+', '-']).to_string();
                let (h, m) = match body.split_once(':') {
                    Some((h, m)) => (h.parse::<i64>().unwrap_or(0), m.parse::<i64>().unwrap_or(0)),
                    None if body.len() == 4 => (body[..2].parse().unwrap_or(0), body[2..].parse().unwrap_or(0)),
                    None => (body.parse().unwrap_or(0), 0),
                };
                zone_min = sign * (h * 60 + m);
                continue;
            }
            'F' => continue,
            'M' | 'x' if pres_main.starts_with('N') || pres_main.starts_with('n') => {
                let f = field.to_lowercase();
                MONTHS.iter().position(|m| m.to_lowercase().starts_with(&f) && !f.is_empty()).map(|p| p as i64 + 1)
            }
            _ => {
                let f = field.trim();
                let p = pres_main.trim_end_matches('o');
                if p.eq_ignore_ascii_case("w") || p == "Ww" {
                    parse_words(f).map(|n| n as i64)
                } else if p == "I" || p == "i" {
                    parse_roman(f).map(|n| n as i64)
                } else if p == "A" || p == "a" {
                    parse_letters(f).map(|n| n as i64)
                } else {
                    let digits: String = f.chars().take_while(|c| c.is_ascii_digit()).collect();
                    digits.parse().ok()
                }
            }
        };
        let Some(v) = value else { return Ok(None) };
        match comp {
            'Y' => year = Some(v),
            'M' | 'x' => month = Some(v),
            'D' => day = Some(v),
            'd' => yday = Some(v),
            'H' | 'h' => hour = Some(v),
            'm' => minute = Some(v),
            's' => second = Some(v),
            'f' => milli = v,
            _ => {
                return Err(Error::new("D3136", "The date/time picture string is missing specifiers required to parse the timestamp"));
            }
        }
    }
    if j != src.len() {
        return Ok(None);
    }
    // Gaps (a day without a month, minutes without hours) cannot be resolved.
    if (day.is_some() && month.is_none() && year.is_some() && yday.is_none()) || (minute.is_some() && hour.is_none()) || (second.is_some() && minute.is_none()) {
        return Err(Error::new("D3136", "The date/time picture string is missing specifiers required to parse the timestamp"));
    }
    let today = chrono::DateTime::from_timestamp_millis(0).map(|d| d.date_naive()).unwrap_or_default();
    let y = year.unwrap_or(today.year() as i64) as i32;
    let date = match yday {
        Some(d) => NaiveDate::from_yo_opt(y, d as u32),
        None => NaiveDate::from_ymd_opt(y, month.unwrap_or(1) as u32, day.unwrap_or(1) as u32),
    };
    let Some(date) = date else { return Ok(None) };
    let mut h = hour.unwrap_or(0);
    if let Some(p) = pm {
        h %= 12;
        if p {
            h += 12;
        }
    }
    let base = date.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp_millis()).unwrap_or(0);
    Ok(Some(base + (h * 3600 + minute.unwrap_or(0) * 60 + second.unwrap_or(0)) * 1000 + milli - zone_min * 60_000))
}


/// $formatNumber: an XPath decimal picture (`#,##0.00`, `0.0e0`, `##%`, `;` for negatives),
/// with the options `decimal-separator`, `grouping-separator`, `zero-digit`, `percent`,
/// `per-mille`, `minus-sign`, `exponent-separator`.
pub fn format_number(value: f64, picture: &str, opts: &serde_json::Map<String, serde_json::Value>) -> Result<String, Error> {
    let opt = |k: &str, d: char| opts.get(k).and_then(|v| v.as_str()).and_then(|s| s.chars().next()).unwrap_or(d);
    let opt_s = |k: &str, d: &str| opts.get(k).and_then(|v| v.as_str()).map(str::to_string).unwrap_or(d.to_string());
    let dec = opt("decimal-separator", '.');
    let grp = opt("grouping-separator", ',');
    let zero = opt("zero-digit", '0');
    let digit = opt("digit", '#');
    let percent = opt_s("percent", "%");
    let permille = opt_s("per-mille", "\u{2030}");
    let minus = opt_s("minus-sign", "-");
    let exp_sep = opt("exponent-separator", 'e');
    let parts: Vec<&str> = picture.split(';').collect();
    if parts.len() > 2 {
        return Err(Error::new("D3080", "The picture string must not contain more than one instance of the 'pattern-separator' character"));
    }
    let sub = if value < 0.0 && parts.len() == 2 { parts[1] } else { parts[0] };
    let is_digit = |c: char| (c as u32) >= zero as u32 && (c as u32) < zero as u32 + 10;
    let active = |c: char| is_digit(c) || c == digit || c == dec || c == grp || c == exp_sep;
    let chars: Vec<char> = sub.chars().collect();
    let first = chars.iter().position(|&c| is_digit(c) || c == digit || c == dec);
    let Some(first) = first else {
        return Err(Error::new("D3085", "The picture string must contain at least one digit or decimal separator"));
    };
    let mut last = chars.iter().rposition(|&c| is_digit(c) || c == digit || c == dec).unwrap_or(first);
    // An exponent: `e` followed by digits.
    if let Some(e) = chars[last + 1..].iter().position(|&c| c == exp_sep).map(|p| p + last + 1) {
        if chars.get(e + 1).is_some_and(|c| is_digit(*c)) {
            last = e + 1;
            while chars.get(last + 1).is_some_and(|c| is_digit(*c)) {
                last += 1;
            }
        }
    }
    let prefix: String = chars[..first].iter().collect();
    let suffix: String = chars[last + 1..].iter().collect();
    let body: String = chars[first..=last].iter().collect();
    if body.matches(dec).count() > 1 {
        return Err(Error::new("D3081", "The picture string must not contain more than one instance of the 'decimal-separator' character"));
    }
    if sub.matches(&percent).count() > 1 {
        return Err(Error::new("D3082", "The picture string must not contain more than one instance of the 'percent' character"));
    }
    if sub.matches(&permille).count() > 1 {
        return Err(Error::new("D3083", "The picture string must not contain more than one instance of the 'per-mille' character"));
    }
    if sub.contains(&percent) && sub.contains(&permille) {
        return Err(Error::new("D3084", "The picture string must not contain both a percent and a per-mille character"));
    }
    let (mantissa_pic, exp_pic) = match body.split_once(exp_sep) {
        Some((m, e)) if !e.is_empty() && e.chars().all(is_digit) => (m.to_string(), Some(e.to_string())),
        _ => (body.clone(), None),
    };
    let (int_pic, frac_pic) = match mantissa_pic.split_once(dec) {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (mantissa_pic.clone(), String::new()),
    };
    if int_pic.ends_with(grp) || mantissa_pic.contains(&format!("{grp}{dec}")) {
        return Err(Error::new("D3087", "The picture string must not contain a grouping-separator adjacent to a decimal-separator"));
    }
    if int_pic.contains(&format!("{grp}{grp}")) {
        return Err(Error::new("D3089", "The picture string must not contain adjacent instances of the 'grouping-separator' character"));
    }
    if int_pic.chars().any(|c| !active(c)) || frac_pic.chars().any(|c| !active(c)) {
        return Err(Error::new("D3086", "The picture string must not contain a passive character that is preceded by an active character and that is followed by another active character"));
    }
    let int_digits: Vec<char> = int_pic.chars().filter(|c| *c != grp).collect();
    if let Some(p) = int_digits.iter().position(|c| is_digit(*c)) {
        if int_digits[p..].contains(&digit) {
            return Err(Error::new("D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"));
        }
    }
    if let Some(p) = frac_pic.chars().position(|c| c == digit) {
        if frac_pic.chars().skip(p).any(is_digit) {
            return Err(Error::new("D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"));
        }
    }
    if exp_pic.is_some() && (sub.contains(&percent) || sub.contains(&permille)) {
        return Err(Error::new("D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"));
    }
    let min_int = int_digits.iter().filter(|c| is_digit(**c)).count();
    let min_frac = frac_pic.chars().filter(|c| is_digit(*c)).count();
    let max_frac = frac_pic.chars().filter(|c| is_digit(*c) || *c == digit).count();
    // Grouping positions from the right of the integer part.
    let mut groups = Vec::new();
    let mut count = 0;
    for c in int_pic.chars().rev() {
        if c == grp {
            groups.push(count);
        } else {
            count += 1;
        }
    }
    let regular = groups.first().copied().filter(|g| *g > 0 && groups.iter().enumerate().all(|(i, p)| *p == g * (i + 1)));
    let mut v = value.abs();
    if sub.contains(&percent) {
        v *= 100.0;
    } else if sub.contains(&permille) {
        v *= 1000.0;
    }
    let mut exponent = 0i32;
    if let Some(_e) = &exp_pic {
        if v != 0.0 {
            let target = min_int.max(1) as i32;
            exponent = v.log10().floor() as i32 + 1 - target;
            if min_int == 0 {
                exponent = v.log10().floor() as i32 + 1;
            }
            v /= 10f64.powi(exponent);
        }
    }
    let rounded: f64 = format!("{v}e{max_frac}").parse::<f64>().map(|x| {
        let r = x.round();
        if (r - x).abs() == 0.5 && r % 2.0 != 0.0 { r - 1.0 } else { r }
    }).and_then(|r| format!("{r}e-{max_frac}").parse::<f64>()).unwrap_or(v);
    let text = format!("{rounded:.max_frac$}");
    let (ip, fp) = match text.split_once('.') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut ip = ip.trim_start_matches('0').to_string();
    if ip.len() < min_int {
        ip = "0".repeat(min_int - ip.len()) + &ip;
    }
    let mut fp = fp;
    while fp.len() > min_frac && fp.ends_with('0') {
        fp.pop();
    }
    if ip.is_empty() && fp.is_empty() {
        ip.push('0');
    }
    let map = |s: &str| -> String { s.chars().map(|c| char::from_u32(zero as u32 + c.to_digit(10).unwrap_or(0)).unwrap_or(c)).collect() };
    let mut grouped: Vec<char> = Vec::new();
    for (i, c) in map(&ip).chars().rev().enumerate() {
        if i > 0 {
            let sep = match regular {
                Some(g) => i % g == 0,
                None => groups.contains(&i),
            };
            if sep {
                grouped.push(grp);
            }
        }
        grouped.push(c);
    }
    let mut out: String = grouped.iter().rev().collect();
    if !fp.is_empty() {
        out.push(dec);
        out.push_str(&map(&fp));
    }
    if let Some(e) = exp_pic {
        out.push(exp_sep);
        let digits = e.chars().count();
        if exponent < 0 {
            out.push_str(&minus);
        }
        out.push_str(&map(&format!("{:0digits$}", exponent.unsigned_abs())));
    }
    let negative = value < 0.0 && parts.len() < 2;
    Ok(format!("{}{prefix}{out}{suffix}", if negative { minus.as_str() } else { "" }))
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
