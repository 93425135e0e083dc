//! The recorded-AWS ratchet both corpus tests keep: read a corpus beside the project (missing:
//! skip, except in CI), run it, and fail when a case the ratchet file lists no longer passes.
//! `UPDATE_RATCHET=1` rewrites the file with today's passing ids.

use sfnsim::testing::conformance::{self, Outcome};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Runs `corpus` (relative to the project) and checks it against `ratchet` (under tests/);
/// `what` names the corpus in messages and the ratchet file's header.
pub fn run(corpus: &str, ratchet: &str, what: &str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join(corpus);
    let text = match std::fs::read_to_string(&corpus) {
        Ok(t) => t,
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("the {what} corpus is missing at {}: {e}", corpus.display());
            }
            eprintln!("{what} corpus not found at {} ({e}); skipping", corpus.display());
            return;
        }
    };
    let results = conformance::run_corpus(&text, None);
    println!("{}", conformance::summary(&results, true));
    let ratchet_path = root.join("tests").join(ratchet);
    let listed: BTreeSet<String> = std::fs::read_to_string(&ratchet_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let passing: BTreeSet<String> = results.iter().filter(|r| r.outcome == Outcome::Passed).map(|r| r.id.clone()).collect();
    if std::env::var("UPDATE_RATCHET").is_ok_and(|v| v == "1") {
        let mut body = format!("# {what} cases that pass; a listed case that fails fails the test.\n");
        for id in &passing {
            body.push_str(id);
            body.push('\n');
        }
        std::fs::write(&ratchet_path, body).expect("write the ratchet");
        println!("ratchet updated: {} ids", passing.len());
        return;
    }
    let regressions: Vec<&String> = listed.iter().filter(|id| !passing.contains(*id)).collect();
    let new = passing.iter().filter(|id| !listed.contains(*id)).count();
    if new > 0 {
        println!("{new} cases pass that the ratchet does not list yet (UPDATE_RATCHET=1 records them)");
    }
    assert!(
        regressions.is_empty(),
        "{} ratcheted cases fail now:\n{}",
        regressions.len(),
        regressions.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}
