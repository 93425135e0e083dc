//! The lesson format: a good file read whole, a malformed one with every error at its block and
//! line, checking a definition, the HTML.

use super::*;

const GOOD: &str = r#"---
id: tiny
title: A tiny lesson
seed: 3
---
Some **text**.

```json
{ "just": "an example, kept in the text" }
```

## Task
Make it succeed.

```asl start
{ "StartAt": "A", "States": { "A": { "Type": "Fail", "Error": "E" } } }
```

```json input one
{ "n": 1 }
```

```json input two
{ "n": 2 }
```

```json checks
[
  { "status": "SUCCEEDED", "message": "It must succeed." },
  { "output": { "n": 2 }, "input": "two" },
  { "uses": "Pass" }
]
```

## Hints
- First hint, with `code`.
- Second hint
  on two lines.

```asl solution
{ "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true } } }
```
"#;

#[test]
fn a_good_lesson_is_read_whole() {
    let l = parse(GOOD).unwrap();
    assert_eq!((l.id.as_str(), l.title.as_str(), l.seed), ("tiny", "A tiny lesson", 3));
    assert!(l.intro.starts_with("Some **text**.") && l.intro.contains("an example, kept in the text"), "{}", l.intro);
    assert_eq!(l.task, "Make it succeed.");
    assert!(l.start.contains("\"Fail\""));
    assert_eq!(l.inputs, vec![NamedInput { name: Some("one".into()), text: "{ \"n\": 1 }".into() }, NamedInput { name: Some("two".into()), text: "{ \"n\": 2 }".into() }]);
    assert_eq!(l.checks.len(), 3);
    assert_eq!(l.hints, vec!["First hint, with `code`.".to_string(), "Second hint\non two lines.".to_string()]);
    assert!(l.solution.as_deref().unwrap().contains("\"Pass\""));
    assert_eq!(l.world_spec().unwrap().1, MACHINE_NAME);
}

#[test]
fn check_runs_every_input_and_the_definition_checks_once() {
    let l = parse(GOOD).unwrap();
    let start = check(&l, &l.start).unwrap();
    let summary: Vec<(String, Option<String>, bool)> = start.iter().map(|r| (r.check.clone(), r.input.clone(), r.passed)).collect();
    assert_eq!(
        summary,
        vec![
            ("status is SUCCEEDED".into(), Some("one".into()), false),
            ("the definition uses Pass".into(), None, false),
            ("status is SUCCEEDED".into(), Some("two".into()), false),
            ("output is {\"n\":2}".into(), Some("two".into()), false),
        ]
    );
    assert_eq!(start[0].message.as_deref(), Some("It must succeed."));
    assert!(check(&l, l.solution.as_deref().unwrap()).unwrap().iter().all(|r| r.passed));
    let invalid = check(&l, r#"{"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": true}}}"#).unwrap_err();
    assert!(invalid.starts_with("the definition is not valid: "), "{invalid}");
}

#[test]
fn a_malformed_lesson_lists_every_error_with_block_and_line() {
    let text = r#"---
id: Bad Id
title: Broken
seed: x
colour: red
---
Intro.

## Task
Do it.

```asl start
{ "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true }
```

```json input
{ "n": 1 }
```

```json input
{ "n": 2 }
```

```json world
{ "workers": [], "activites": ["a"] }
```

```json checks
[
  { "status": "SUCCEEDED" },
  { "stauts": "SUCCEEDED" },
  { "visited": "A",
    "input": "missing" }
]
```

```json chekcs
[]
```
"#;
    let errors = parse(text).unwrap_err();
    let got: Vec<(&str, usize)> = errors.iter().map(|e| (e.block.as_str(), e.line)).collect();
    assert_eq!(
        got,
        vec![
            ("front matter", 2),
            ("front matter", 4),
            ("front matter", 5),
            ("asl start", 14),
            ("input", 20),
            ("world", 25),
            ("checks", 31),
            ("checks", 32),
            ("json chekcs", 37),
        ],
        "{errors:#?}"
    );
    let msg = |i: usize| errors[i].message.as_str();
    assert!(msg(0).contains("lowercase letters, digits and dashes"), "{}", msg(0));
    assert!(msg(1).contains("the seed must be a whole number"), "{}", msg(1));
    assert!(msg(2).contains("unknown front matter key `colour`"), "{}", msg(2));
    assert!(msg(3).starts_with("the start definition is not JSON: "), "{}", msg(3));
    assert!(msg(4).contains("a second input without a name"), "{}", msg(4));
    assert!(msg(5).contains("unknown field `activites`"), "{}", msg(5));
    assert!(msg(6).starts_with("check 2: unknown check kind `stauts` (did you mean `status`?)"), "{}", msg(6));
    assert_eq!(msg(7), "check 3 applies to input `missing`, but there is no ```json input missing block");
    assert!(msg(8).contains("did you mean ```json checks?"), "{}", msg(8));
    assert_eq!(errors[6].to_string(), format!("line 31 (checks): {}", msg(6)));
}

#[test]
fn missing_blocks_are_named() {
    let errors = parse("---\nid: a\ntitle: A\n---\nNo task here.\n").unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("no `## Task` section")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("no ```asl start block")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("no ```json checks block")), "{messages:?}");
    let none = parse("Just text.").unwrap_err();
    assert_eq!((none[0].block.as_str(), none[0].line), ("front matter", 1));
    let invalid = parse("---\nid: a\ntitle: A\n---\n## Task\n```asl start\n{\"StartAt\": \"X\", \"States\": {}}\n```\n```json checks\n[{\"status\": \"SUCCEEDED\"}]\n```\n").unwrap_err();
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(invalid[0].message.starts_with("the start definition is not valid: "), "{invalid:?}");
    assert_eq!(invalid[0].line, 7);
}

#[test]
fn worlds_are_read_wrapped_or_bare() {
    let wrapped = serde_json::json!({"spec": {"activities": ["a"]}, "machineName": "Shop"});
    let (spec, name) = run::world_of(Some(&wrapped)).unwrap();
    assert_eq!((spec.activities, name.as_str()), (vec!["a".to_string()], "Shop"));
    let (bare, name) = run::world_of(Some(&serde_json::json!({"testCase": "T"}))).unwrap();
    assert_eq!((bare.test_case.as_deref(), name.as_str()), (Some("T"), MACHINE_NAME));
    assert!(run::world_of(Some(&serde_json::json!({"spec": {}, "name": "x"}))).unwrap_err().contains("unknown world field `name`"));
}

#[test]
fn html_escapes_raw_html_and_script_links() {
    let html = to_html("Hi <script>alert(1)</script> **bold** [x](javascript:alert(1)) [ok](https://example.com)\n\n<div onclick=x>y</div>\n");
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<div") && html.contains("&lt;div onclick=x&gt;"), "{html}");
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(html.contains("href=\"#\"") && html.contains("href=\"https://example.com\""), "{html}");
}

#[test]
fn builtin_lessons_parse_in_order() {
    let all = builtin();
    assert!(all.len() >= 12);
    let mut names: Vec<&str> = all.iter().map(|(f, _)| *f).collect();
    let listed = names.clone();
    names.sort();
    assert_eq!(names, listed, "course order is file name order");
    for (f, t) in all {
        let l = parse(t).unwrap_or_else(|e| panic!("{f}: {e:?}"));
        assert_eq!(builtin_lesson(&l.id).map(|x| x.title), Some(l.title));
    }
}
