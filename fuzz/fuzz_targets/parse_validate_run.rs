//! Parse + validate + run (bounded) any text as a definition, with a small input. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfnsim::asl::validate::MachineType;
use sfnsim::engine::{Config, Execution};
use sfnsim::playground::run::parse_input;
use sfnsim::service::load_definition;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The first line is the input, the rest the definition.
    let (input, def) = text.split_once('\n').unwrap_or(("{}", text));
    let Ok(machine) = load_definition(def, MachineType::Standard) else { return };
    let Ok((input_text, value)) = parse_input(input) else { return };
    let mut exec = Execution::new(machine, &input_text, value, Config::default());
    for _ in 0..10_000 {
        if !exec.step() {
            // Answer any open task with its own input, so runs get past Task states.
            let open: Vec<(String, serde_json::Value)> = exec.pending_tasks().map(|t| (t.token.clone(), (*t.input).clone())).collect();
            if open.is_empty() {
                break;
            }
            for (token, input) in open {
                let _ = exec.task_succeeded(&token, input);
            }
        }
    }
    let _ = exec.report();
});
