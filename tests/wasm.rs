//! The engine inside headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_default_example_runs_in_the_browser() {
    let r =
        sfnsim::api::run_definition(sfnsim::ui::DEFAULT_DEFINITION, sfnsim::ui::DEFAULT_INPUT, 0)
            .expect("valid example");
    assert_eq!(r.status, "SUCCEEDED");
    assert_eq!(
        r.output,
        Some(serde_json::json!({"greeting": "Hello, Step Functions!", "name": "Step Functions"}))
    );
}

#[wasm_bindgen_test]
fn a_one_year_wait_finishes_at_once() {
    let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":31536000,"End":true}}}"#;
    let r = sfnsim::api::run_definition(def, "{}", 0).expect("valid");
    assert_eq!(r.status, "SUCCEEDED");
}
