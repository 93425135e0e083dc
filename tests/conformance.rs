//! Runs the corpus recorded against AWS (../shared/conformance/aws-recorded.jsonl) and keeps a
//! ratchet: every id listed in tests/conformance.ratchet must keep passing.
//! `UPDATE_RATCHET=1 cargo test --test conformance` rewrites the list with today's passing ids.

mod common;

#[test]
fn aws_recorded_corpus() {
    common::ratchet::run("../shared/conformance/aws-recorded.jsonl", "conformance.ratchet", "Conformance");
}
