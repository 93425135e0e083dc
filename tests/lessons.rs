//! Every lesson file in www/lessons: it parses, its starting definition is valid ASL but fails at
//! least one check, its solution passes every check, its id is unique, and the built-in list
//! (what the page and `sfnsim lesson list` show) holds every file, in course order.

use sfnsim::playground::lesson;
use std::collections::HashSet;

fn files() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/lessons");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_lesson_parses_and_its_start_fails_and_its_solution_passes() {
    let files = files();
    assert!(files.len() >= 12, "{} lessons", files.len());
    let mut ids = HashSet::new();
    for (name, text) in &files {
        let l = lesson::parse(text).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        assert!(ids.insert(l.id.clone()), "{name}: the id {} is used twice", l.id);
        assert!((2..=5).contains(&l.checks.len()), "{name}: {} checks", l.checks.len());
        assert!((2..=3).contains(&l.hints.len()), "{name}: {} hints", l.hints.len());
        assert!(!l.intro.is_empty() && !l.task.is_empty(), "{name}: text and task");
        let start = lesson::check(&l, &l.start).unwrap_or_else(|e| panic!("{name}: the start definition: {e}"));
        assert!(start.iter().any(|r| !r.passed), "{name}: the start definition already passes every check");
        assert!(start.iter().all(|r| !r.why.is_empty()), "{name}: a check without its why");
        let solution = l.solution.as_deref().unwrap_or_else(|| panic!("{name}: no solution"));
        let results = lesson::check(&l, solution).unwrap_or_else(|e| panic!("{name}: the solution: {e}"));
        let failed: Vec<String> = results.iter().filter(|r| !r.passed).map(|r| format!("{}: {}", r.check, r.why)).collect();
        assert!(failed.is_empty(), "{name}: the solution fails {failed:#?}");
        // Every run can be told (the Explain toggle), one sentence per meaningful event.
        for facts in lesson::run_facts(&l, solution).unwrap() {
            let story = sfnsim::playground::explain::narrate(solution, &facts.events);
            assert!(story.len() >= 2 && story.len() <= facts.events.len(), "{name}: {story:#?}");
            assert!(story.iter().all(|n| !n.text.is_empty() && n.event_id > 0), "{name}: {story:#?}");
        }
        // The text renders without raw HTML.
        assert!(!lesson::to_html(&l.intro).contains("<script"), "{name}");
    }
}

#[test]
fn the_builtin_list_holds_every_file_in_course_order() {
    let builtin: Vec<(String, String)> = lesson::builtin().into_iter().map(|(f, t)| (f.to_string(), t.to_string())).collect();
    assert_eq!(builtin, files(), "lesson::builtin() and www/lessons/ differ");
}
