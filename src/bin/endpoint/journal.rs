//! `sfnsim serve --state-dir DIR`: state machines, activities, executions (running ones with
//! their timers) and task tokens survive a restart and a `kill -9`.
//!
//! The service is deterministic (seeded randomness, virtual time), so it is rebuilt by replaying
//! what changed it. `DIR/journal.jsonl` holds a header (the seed, partition, account, region and
//! start time the service was made with), then one line per call that may change the service:
//! the virtual time it ran at, the operation and its request, written in the order the calls ran
//! (inside the service's lock) before the answer goes out. What time alone did between calls
//! (a Wait ending, a retry) is not written: replaying a call at its time does it again, and after
//! the replay the clock catches up to now as it does before any request.
//!
//! A line cut short by a kill is dropped (the file is truncated to the last whole line).

use serde_json::{json, Value};
use sfnsim::service::{Service, ServiceConfig};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

const FORMAT: u64 = 1;

static JOURNAL: OnceLock<Mutex<File>> = OnceLock::new();

/// The service the state in `dir` describes (replayed), or a new one whose calls `dir` will keep.
/// `seed_given`: `--seed` was passed (it must then match the state's).
pub fn open(dir: &str, mut config: ServiceConfig, seed_given: bool) -> Result<Service, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("--state-dir {dir}: cannot create it: {e}"))?;
    let path = Path::new(dir).join("journal.jsonl");
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&path)
        .map_err(|e| format!("--state-dir {dir}: cannot open {}: {e}", path.display()))?;
    let mut lines = Vec::new();
    let mut good_len = 0u64;
    {
        let mut reader = BufReader::new(&file);
        let mut line = String::new();
        loop {
            line.clear();
            let n = reader.read_line(&mut line).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            if n == 0 || !line.ends_with('\n') {
                break; // the end, or a line a kill cut short
            }
            match serde_json::from_str::<Value>(&line) {
                Ok(v) => lines.push(v),
                Err(_) => break,
            }
            good_len += n as u64;
        }
    }
    if file.metadata().map(|m| m.len()).unwrap_or(0) > good_len {
        file.set_len(good_len).map_err(|e| format!("{}: cannot drop a cut line: {e}", path.display()))?;
        let _ = file.seek(SeekFrom::End(0));
    }
    let service = if lines.is_empty() {
        let header = json!({
            "sfnsimJournal": FORMAT,
            "seed": config.seed,
            "partition": config.partition,
            "account": config.account,
            "region": config.region,
            "startTimeMs": config.start_time_ms,
        });
        writeln!(file, "{header}").map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        Service::new(config)
    } else {
        let header = &lines[0];
        if header["sfnsimJournal"].as_u64() != Some(FORMAT) {
            return Err(format!("{}: not an sfnsim state journal (format {FORMAT})", path.display()));
        }
        for (flag, key, now) in [("--account", "account", &config.account), ("--region", "region", &config.region)] {
            if header[key].as_str() != Some(now.as_str()) {
                return Err(format!(
                    "--state-dir {dir} holds state made with {flag} {}; start with the same {flag} or another --state-dir",
                    header[key]
                ));
            }
        }
        let seed = header["seed"].as_u64().ok_or_else(|| format!("{}: the header has no seed", path.display()))?;
        if seed_given && seed != config.seed {
            return Err(format!(
                "--state-dir {dir} holds state made with --seed {seed}; leave --seed out or start with another --state-dir"
            ));
        }
        config.seed = seed;
        config.start_time_ms = header["startTimeMs"].as_i64().unwrap_or(config.start_time_ms);
        let mut service = Service::new(config);
        let started = std::time::Instant::now();
        for entry in &lines[1..] {
            replay(&mut service, entry);
        }
        eprintln!(
            "sfnsim serve: state from {dir}: {} calls replayed in {} ms",
            lines.len() - 1,
            started.elapsed().as_millis()
        );
        service
    };
    JOURNAL.set(Mutex::new(file)).map_err(|_| "the state journal is already open".to_string())?;
    Ok(service)
}

fn replay(service: &mut Service, entry: &Value) {
    if let Some(to) = entry["advanceTo"].as_i64() {
        service.advance_to(to);
        return;
    }
    let (Some(at), Some(op)) = (entry["at"].as_i64(), entry["op"].as_str()) else { return };
    if at > service.now_ms() {
        service.advance_to(at);
    }
    let input = &entry["input"];
    // The same entry points the live calls used (operations.rs); their answers went out then.
    let _ = match op {
        "GetActivityTask" => service.poll_activity_task(input),
        "StartSyncExecution" => service.start_sync_execution_async(input),
        _ => service.call(op, input),
    };
}

fn append(line: &Value) {
    let Some(journal) = JOURNAL.get() else { return };
    let mut file = journal.lock().unwrap_or_else(|p| p.into_inner());
    if let Err(e) = writeln!(file, "{line}") {
        static SAID: OnceLock<()> = OnceLock::new();
        if SAID.set(()).is_ok() {
            eprintln!("sfnsim serve: cannot write the state journal: {e} (later changes may not survive a restart)");
        }
    }
}

/// Keeps a call that may have changed the service, made at virtual time `at_ms` (call it inside
/// the service's lock, so that calls are kept in the order they ran). Nothing without --state-dir.
pub fn record(at_ms: i64, operation: &str, input: &Value) {
    if JOURNAL.get().is_some() {
        append(&json!({"at": at_ms, "op": operation, "input": input}));
    }
}

/// Keeps a move of a virtual clock (SfnsimAdvanceClock).
pub fn record_advance(to_ms: i64) {
    if JOURNAL.get().is_some() {
        append(&json!({"advanceTo": to_ms}));
    }
}
