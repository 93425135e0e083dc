//! Reading a lesson file: the front matter by hand, the Markdown with pulldown-cmark's offset
//! iterator (so every block and error has its line). A malformed file gets all its errors at
//! once, each naming the block and the line, never a blank page.

use super::{Lesson, LessonError, NamedInput};
use crate::asl::validate::{self, MachineType, Severity};
use crate::testing::checks::Check;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::Value;
use std::ops::Range;

/// The lesson blocks: a fence's info string `LANG ROLE [NAME]`.
const ROLES: &[(&str, &str)] = &[("asl", "start"), ("json", "input"), ("json", "world"), ("json", "checks"), ("asl", "solution")];

/// Reads a lesson file; Err with every error found.
pub fn parse(text: &str) -> Result<Lesson, Vec<LessonError>> {
    let mut p = Reader { text, lines: line_starts(text), errors: Vec::new() };
    let (front, body_at) = p.front_matter();
    let mut lesson = Lesson {
        id: front.id,
        title: front.title,
        seed: front.seed,
        intro: String::new(),
        task: String::new(),
        start: String::new(),
        inputs: Vec::new(),
        world: None,
        checks: Vec::new(),
        hints: Vec::new(),
        solution: None,
    };
    p.body(body_at, &mut lesson);
    if p.errors.is_empty() {
        Ok(lesson)
    } else {
        p.errors.sort_by_key(|e| e.line);
        Err(p.errors)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

#[derive(Default)]
struct Front {
    id: String,
    title: String,
    seed: u64,
}

struct Reader<'a> {
    text: &'a str,
    lines: Vec<usize>,
    errors: Vec<LessonError>,
}

/// A fenced lesson block found in the body.
struct Block {
    role: &'static str,
    name: Option<String>,
    /// The whole fence, in the file.
    range: Range<usize>,
    content: String,
}

impl Reader<'_> {
    /// 1-based line of a byte offset in the file.
    fn line(&self, offset: usize) -> usize {
        self.lines.partition_point(|&s| s <= offset)
    }

    fn error(&mut self, block: &str, line: usize, message: impl Into<String>) {
        self.errors.push(LessonError { block: block.into(), line, message: message.into() });
    }

    /// The `---` … `---` block: id, title, seed. Returns it and where the body starts.
    fn front_matter(&mut self) -> (Front, usize) {
        let mut front = Front::default();
        let text = self.text;
        let first = text.lines().next().unwrap_or("");
        if first.trim_end() != "---" {
            self.error("front matter", 1, "a lesson starts with front matter: a line `---`, then `id: …`, `title: …` and `seed: …`, then `---`");
            return (front, 0);
        }
        let mut closed = None;
        let (mut id, mut title) = (None, None);
        for i in 1..self.lines.len() {
            let n = i + 1;
            let next = self.lines.get(i + 1).copied().unwrap_or(text.len());
            let line = text[self.lines[i]..next].trim_end_matches(['\n', '\r']);
            if line.trim_end() == "---" {
                closed = Some(next);
                break;
            }
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                self.error("front matter", n, format!("`{}` is not `key: value`", line.trim()));
                continue;
            };
            let value = value.trim().trim_matches('"').to_string();
            match key.trim() {
                "id" => {
                    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                        self.error("front matter", n, format!("the id `{value}` must be lowercase letters, digits and dashes (it appears in links: #learn/{value})"));
                    }
                    id = Some(value);
                }
                "title" => {
                    if value.is_empty() {
                        self.error("front matter", n, "the title is empty");
                    }
                    title = Some(value);
                }
                "seed" => match value.parse::<u64>() {
                    Ok(s) => front.seed = s,
                    Err(_) => self.error("front matter", n, format!("the seed must be a whole number, not `{value}`")),
                },
                other => self.error("front matter", n, format!("unknown front matter key `{other}` (the keys are id, title and seed)")),
            }
        }
        let Some(body) = closed else {
            self.error("front matter", 1, "the front matter is not closed: no second `---` line");
            return (front, text.len());
        };
        match id {
            Some(v) => front.id = v,
            None => self.error("front matter", 1, "the front matter has no `id: …`"),
        }
        match title {
            Some(v) => front.title = v,
            None => self.error("front matter", 1, "the front matter has no `title: …`"),
        }
        (front, body)
    }

    fn body(&mut self, at: usize, lesson: &mut Lesson) {
        let text = self.text;
        let body = &text[at..];
        let mut blocks: Vec<Block> = Vec::new();
        // (level-2 heading text, heading range), in order.
        let mut headings: Vec<(String, Range<usize>)> = Vec::new();
        // Top-level list items of the Hints section: ranges.
        let mut items: Vec<Range<usize>> = Vec::new();
        let mut heading: Option<(String, Range<usize>)> = None;
        let mut code: Option<(String, Range<usize>, String)> = None;
        let mut list_depth = 0usize;
        for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
            let range = range.start + at..range.end + at;
            match event {
                Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => heading = Some((String::new(), range)),
                Event::End(TagEnd::Heading(HeadingLevel::H2)) => headings.extend(heading.take()),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => code = Some((info.to_string(), range, String::new())),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((info, range, content)) = code.take() {
                        if let Some((role, name)) = self.role(&info, self.line(range.start)) {
                            blocks.push(Block { role, name, range, content });
                        }
                    }
                }
                Event::Start(Tag::List(_)) => list_depth += 1,
                Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
                Event::Start(Tag::Item) if list_depth == 1 => items.push(range),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((h, _)) = heading.as_mut() {
                        h.push_str(&t);
                    } else if let Some((_, _, c)) = code.as_mut() {
                        c.push_str(&t);
                    }
                }
                _ => {}
            }
        }
        let end = text.len();
        let section = |name: &str| -> Option<Range<usize>> {
            let i = headings.iter().position(|(h, _)| h.trim().eq_ignore_ascii_case(name))?;
            let stop = headings.get(i + 1).map_or(end, |(_, r)| r.start);
            Some(headings[i].1.end..stop)
        };
        let cut = |r: Range<usize>| -> String {
            // The section's Markdown without the lesson blocks in it.
            let mut out = String::new();
            let mut from = r.start;
            for b in blocks.iter().filter(|b| b.range.start >= r.start && b.range.end <= r.end) {
                out.push_str(&text[from..b.range.start]);
                from = b.range.end;
            }
            out.push_str(&text[from..r.end]);
            tidy(&out)
        };
        let task = section("Task");
        let first_heading = headings.first().map_or(end, |(_, r)| r.start);
        let intro_end = headings.iter().find(|(h, _)| h.trim().eq_ignore_ascii_case("Task")).map_or(first_heading, |(_, r)| r.start);
        lesson.intro = cut(at..intro_end);
        match task.clone() {
            Some(r) => lesson.task = cut(r),
            None => self.error("Task", self.line(end.saturating_sub(1)), "no `## Task` section: say what the learner has to do"),
        }
        if let Some(r) = section("Hints") {
            lesson.hints = items.iter().filter(|i| i.start >= r.start && i.end <= r.end).map(|i| hint_text(&text[i.clone()])).collect();
        }
        self.blocks(blocks, lesson);
    }

    /// The role of a fenced block, from its info string; None for ordinary code. A near miss of a
    /// lesson block (`json chekcs`) is an error.
    fn role(&mut self, info: &str, line: usize) -> Option<(&'static str, Option<String>)> {
        let words: Vec<&str> = info.split_whitespace().collect();
        let (lang, role) = (*words.first()?, *words.get(1)?);
        if let Some((_, r)) = ROLES.iter().find(|(l, r)| *l == lang && *r == role) {
            if words.len() > 2 && *r != "input" {
                self.error(&format!("{lang} {role}"), line, format!("only an input block takes a name: ```{lang} {role}"));
            }
            if words.len() > 3 {
                self.error(&format!("{lang} {role}"), line, "an input's name is one word");
            }
            return Some((r, words.get(2).map(|s| s.to_string())));
        }
        let near = ROLES.iter().find(|(l, r)| crate::testing::checks::distance(&format!("{lang} {role}"), &format!("{l} {r}")) <= 2);
        if let Some((l, r)) = near {
            self.error(&format!("{lang} {role}"), line, format!("unknown block ```{lang} {role} (did you mean ```{l} {r}?)"));
        }
        None
    }

    fn blocks(&mut self, blocks: Vec<Block>, lesson: &mut Lesson) {
        let mut seen: Vec<(&str, usize)> = Vec::new();
        let mut checks_at = None;
        for b in &blocks {
            let line = self.line(b.range.start);
            let label = match &b.name {
                Some(n) => format!("{} {n}", b.role),
                None => b.role.to_string(),
            };
            if b.role != "input" {
                if let Some((_, first)) = seen.iter().find(|(r, _)| *r == b.role) {
                    self.error(&label, line, format!("a second ```{} {} block (the first is at line {first})", lang_of(b.role), b.role));
                    continue;
                }
                seen.push((b.role, line));
            }
            // The content starts on the line after the fence.
            let content_line = line + 1;
            match b.role {
                "start" | "solution" => {
                    if let Some(def) = self.definition(&label, content_line, &b.content) {
                        if b.role == "start" {
                            lesson.start = def;
                        } else {
                            lesson.solution = Some(def);
                        }
                    }
                }
                "input" => {
                    if let Some(i) = lesson.inputs.iter().position(|x| x.name == b.name) {
                        let which = b.name.as_deref().map(|n| format!("named `{n}`")).unwrap_or_else(|| "without a name".into());
                        self.error(&label, line, format!("a second input {which} (input {} has it already); name each input: ```json input NAME", i + 1));
                        continue;
                    }
                    if let Err(e) = serde_json::from_str::<Value>(&b.content) {
                        self.error(&label, content_line + e.line().saturating_sub(1), format!("the input is not JSON: {e}"));
                    }
                    lesson.inputs.push(NamedInput { name: b.name.clone(), text: b.content.trim_end().to_string() });
                }
                "world" => match serde_json::from_str::<Value>(&b.content) {
                    Ok(v) => match super::run::world_of(Some(&v)) {
                        Ok(_) => lesson.world = Some(v),
                        Err(e) => self.error("world", content_line, e),
                    },
                    Err(e) => self.error("world", content_line + e.line().saturating_sub(1), format!("the world is not JSON: {e}")),
                },
                "checks" => {
                    checks_at = Some(line);
                    let read = self.checks(content_line, &b.content);
                    for (number, at, c) in &read {
                        if let Some(name) = &c.input {
                            if !blocks.iter().any(|x| x.role == "input" && x.name.as_deref() == Some(name)) {
                                self.error("checks", *at, format!("check {number} applies to input `{name}`, but there is no ```json input {name} block"));
                            }
                        }
                    }
                    lesson.checks = read.into_iter().map(|(_, _, c)| c).collect();
                }
                _ => {}
            }
        }
        let last = self.line(self.text.len().saturating_sub(1));
        if !seen.iter().any(|(r, _)| *r == "start") {
            self.error("asl start", last, "no ```asl start block: the definition the learner starts from");
        }
        match checks_at {
            None => self.error("checks", last, "no ```json checks block: the checks that decide when the task is done"),
            Some(line) if lesson.checks.is_empty() && !self.errors.iter().any(|e| e.block == "checks") => self.error("checks", line, "the checks are empty: write at least one"),
            _ => {}
        }
    }

    /// A definition block: JSON, and valid ASL.
    fn definition(&mut self, label: &str, line: usize, text: &str) -> Option<String> {
        let what = if label == "start" { "start" } else { "solution" };
        if let Err(e) = serde_json::from_str::<Value>(text) {
            self.error(&format!("asl {label}"), line + e.line().saturating_sub(1), format!("the {what} definition is not JSON: {e}"));
            return None;
        }
        let diags = validate::validate_text(text, MachineType::Standard);
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}{}", d.code, d.message, d.location.as_deref().map(|l| format!(" (at {l})")).unwrap_or_default()))
            .collect();
        if !errors.is_empty() {
            self.error(&format!("asl {label}"), line, format!("the {what} definition is not valid: {}", errors.join("; ")));
            return None;
        }
        Some(text.trim_end().to_string())
    }

    /// The checks array, each element read on its own so that every bad one is reported at its
    /// line: (number from 1, line, check) of the good ones.
    fn checks(&mut self, line: usize, text: &str) -> Vec<(usize, usize, Check)> {
        let items = match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(a)) => a,
            Ok(other) => {
                self.error("checks", line, format!("the checks are a JSON array [ … ], not {}", crate::testing::checks::show(&other)));
                return Vec::new();
            }
            Err(e) => {
                self.error("checks", line + e.line().saturating_sub(1), format!("the checks are not JSON: {e}"));
                return Vec::new();
            }
        };
        let starts = element_lines(text);
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let at = line + starts.get(i).copied().unwrap_or(0);
            match Check::try_from(item) {
                Ok(c) => out.push((i + 1, at, c)),
                Err(m) => self.error("checks", at, format!("check {}: {m}", i + 1)),
            }
        }
        out
    }
}

fn lang_of(role: &str) -> &'static str {
    ROLES.iter().find(|(_, r)| *r == role).map_or("json", |(l, _)| l)
}

/// The line (0-based, within `text`) where each element of a top-level JSON array starts.
fn element_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut want, mut line) = (0usize, false, false, false, 0usize);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if want && !c.is_whitespace() && c != ']' {
            out.push(line);
            want = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 && c == '[' {
                    want = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => want = true,
            _ => {}
        }
    }
    out
}

/// A hint's Markdown: the list item without its marker, lines unindented.
fn hint_text(item: &str) -> String {
    let t = item.trim_start();
    let t = t.strip_prefix(['-', '*', '+']).map(str::to_string).unwrap_or_else(|| {
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        t[digits..].strip_prefix(['.', ')']).unwrap_or(t).to_string()
    });
    let lines: Vec<&str> = t.lines().map(str::trim).collect();
    lines.join("\n").trim().to_string()
}

/// Trims a Markdown section and collapses the blank lines a removed block leaves.
fn tidy(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.trim().lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_end());
    }
    out
}
