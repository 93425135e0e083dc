//! Runs the corpus recorded against AWS (../shared/conformance/aws-recorded.jsonl) and keeps a
//! ratchet: every id listed in tests/conformance.ratchet must keep passing.
//! `UPDATE_RATCHET=1 cargo test --test conformance` rewrites the list with today's passing ids.

use sfnsim::testing::conformance::{self, Outcome};
use std::collections::BTreeSet;
use std::path::PathBuf;

#[test]
fn aws_recorded_corpus() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/conformance/aws-recorded.jsonl");
    let text = match std::fs::read_to_string(&corpus) {
        Ok(t) => t,
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "the conformance corpus is missing at {}: {e}",
                    corpus.display()
                );
            }
            eprintln!(
                "conformance corpus not found at {} ({e}); skipping",
                corpus.display()
            );
            return;
        }
    };
    let results = conformance::run_corpus(&text, None);
    println!("{}", conformance::summary(&results, true));

    let ratchet_path = root.join("tests/conformance.ratchet");
    let listed: BTreeSet<String> = std::fs::read_to_string(&ratchet_path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let passing: BTreeSet<String> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed)
        .map(|r| r.id.clone())
        .collect();
    if std::env::var("UPDATE_RATCHET").is_ok_and(|v| v == "1") {
        let mut body = String::from(
            "# Conformance cases that pass; a listed case that fails fails the test.\n",
        );
        for id in &passing {
            body.push_str(id);
            body.push('\n');
        }
        std::fs::write(&ratchet_path, body).expect("write the ratchet");
        println!("ratchet updated: {} ids", passing.len());
        return;
    }
    let regressions: Vec<&String> = listed.iter().filter(|id| !passing.contains(*id)).collect();
    let new: Vec<&String> = passing.iter().filter(|id| !listed.contains(*id)).collect();
    if !new.is_empty() {
        println!(
            "{} cases pass that the ratchet does not list yet (UPDATE_RATCHET=1 records them)",
            new.len()
        );
    }
    assert!(
        regressions.is_empty(),
        "{} ratcheted cases fail now:\n{}",
        regressions.len(),
        regressions
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
