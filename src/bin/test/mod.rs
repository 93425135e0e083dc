//! `sfnsim test FILE|DIR...`: runs test files (and gallery examples' `expect` blocks) and says,
//! one line per case, what passed and what failed and why, then `N passed, N failed`. Exit 0
//! when every case passes, 1 otherwise. `--junit FILE` writes JUnit XML for CI, `--json` prints
//! the results as JSON, `--watch` runs again whenever one of the files read changes.

mod junit;

use crate::source;
use serde_json::{json, Value};
use sfnsim::testing::suite::{CaseOutcome, Suite, TestFile};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

pub struct Args {
    pub paths: Vec<String>,
    pub junit: Option<String>,
    pub json: bool,
    pub watch: bool,
}

/// One test file's (or example's) results, or why it could not be read.
pub struct FileResult {
    pub name: String,
    pub cases: Vec<(CaseOutcome, Duration)>,
    pub broken: Option<String>,
    /// Whether it has a mock configuration (a case it lacks runs on the default answers).
    pub has_mocks: bool,
}

/// Runs the command; Err is a message for stderr (exit 2).
pub fn run(args: &Args) -> Result<ExitCode, String> {
    if !args.watch {
        let (results, _) = run_once(args)?;
        return Ok(if results.iter().all(passed) { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    loop {
        let (_, read) = run_once(args)?;
        let before = snapshot(&read, &args.paths);
        let _ = writeln!(io::stderr(), "watching {} files; Ctrl+C to stop", before.len());
        while snapshot(&read, &args.paths) == before {
            std::thread::sleep(Duration::from_millis(300));
        }
        let _ = writeln!(io::stdout(), "\n— files changed, running again —\n");
    }
}

fn passed(f: &FileResult) -> bool {
    f.broken.is_none() && f.cases.iter().all(|(c, _)| c.passed)
}

/// Every case of every file once: printed, and written as JUnit when asked. Also returns the
/// files read, for `--watch`.
fn run_once(args: &Args) -> Result<(Vec<FileResult>, Vec<PathBuf>), String> {
    let files = discover(&args.paths)?;
    let mut read = files.clone();
    let mut results = Vec::new();
    let mut out = io::stdout().lock();
    for file in &files {
        let name = file.display().to_string();
        let result = match load(file, &mut read) {
            Ok(suite) => {
                let cases: Vec<(CaseOutcome, Duration)> = suite
                    .cases
                    .iter()
                    .map(|c| {
                        let t = Instant::now();
                        let o = suite.run_case(c);
                        (o, t.elapsed())
                    })
                    .collect();
                FileResult { name, cases, broken: None, has_mocks: suite.world.mock_config.is_some() }
            }
            Err(e) => FileResult { name, cases: Vec::new(), broken: Some(e), has_mocks: false },
        };
        if !args.json {
            print_file(&mut out, &result).map_err(|e| format!("cannot write to stdout: {e}"))?;
        }
        results.push(result);
    }
    let (pass, fail) = counts(&results);
    let wrote = if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&as_json(&results)).unwrap_or_default())
    } else {
        writeln!(out, "{pass} passed, {fail} failed")
    };
    wrote.map_err(|e| format!("cannot write to stdout: {e}"))?;
    if let Some(path) = &args.junit {
        std::fs::write(path, junit::xml(&results)).map_err(|e| format!("cannot write --junit '{path}': {e}"))?;
    }
    Ok((results, read))
}

/// (passed, failed) cases; a file that cannot be read counts as one failed case.
pub fn counts(results: &[FileResult]) -> (usize, usize) {
    let mut pass = 0;
    let mut fail = 0;
    for r in results {
        if r.broken.is_some() {
            fail += 1;
        }
        for (c, _) in &r.cases {
            if c.passed {
                pass += 1;
            } else {
                fail += 1;
            }
        }
    }
    (pass, fail)
}

fn print_file(out: &mut impl Write, r: &FileResult) -> io::Result<()> {
    if let Some(e) = &r.broken {
        return writeln!(out, "FAIL  {}: {e}", r.name);
    }
    for (c, took) in &r.cases {
        let ms = took.as_secs_f64() * 1000.0;
        let answers = if r.has_mocks && !c.mocked { ", not in the mock configuration: default answers" } else { "" };
        match (&c.error, c.passed) {
            (Some(e), _) => writeln!(out, "FAIL  {} › {}: {e}", r.name, c.case)?,
            (None, true) => writeln!(out, "PASS  {} › {} ({} check{}, {}{answers}, {ms:.1} ms)", r.name, c.case, c.results.len(), if c.results.len() == 1 { "" } else { "s" }, c.status)?,
            (None, false) => {
                let failed: Vec<_> = c.results.iter().filter(|x| !x.passed).collect();
                writeln!(out, "FAIL  {} › {} ({} of {} checks failed, {}{answers})", r.name, c.case, failed.len(), c.results.len(), c.status)?;
                for f in failed {
                    writeln!(out, "      ✗ {}: {}", f.check, f.why)?;
                    if let Some(m) = &f.message {
                        writeln!(out, "        {m}")?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn as_json(results: &[FileResult]) -> Value {
    let (pass, fail) = counts(results);
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            let cases: Vec<Value> = r
                .cases
                .iter()
                .map(|(c, took)| {
                    let mut v = serde_json::to_value(c).unwrap_or_default();
                    v["milliseconds"] = json!((took.as_secs_f64() * 1e6).round() / 1e3);
                    v
                })
                .collect();
            let mut v = json!({"file": r.name, "cases": cases});
            if let Some(e) = &r.broken {
                v["error"] = json!(e);
            }
            v
        })
        .collect();
    json!({"passed": pass, "failed": fail, "files": files})
}

/// The files to run: each file named, and in each directory named the JSON and YAML files that
/// are test files (by their `testCases`, or by a name with `.test.` in it) or gallery examples
/// (sorted; definitions and mock configurations beside them are left alone).
fn discover(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    if paths.is_empty() {
        return Err("name test files or directories: sfnsim test FILE|DIR...".into());
    }
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            for entry in listing_of(path)? {
                // A `*.test.*` file is always run, so a broken one is reported, not skipped.
                let named = entry.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains(".test."));
                let doc = source::read_value(&entry.display().to_string(), "file").ok();
                if named || doc.as_ref().is_some_and(|d| TestFile::looks_like(d) || Suite::is_example(d)) {
                    files.push(entry);
                }
            }
        } else if path.exists() {
            files.push(path.to_path_buf());
        } else {
            return Err(format!("no such file or directory: '{p}'"));
        }
    }
    Ok(files)
}

/// A directory's JSON and YAML files, sorted.
fn listing_of(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list '{}': {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().and_then(|x| x.to_str()).is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "json" | "yaml" | "yml")))
        .collect();
    files.sort();
    Ok(files)
}

/// A test file or example as a suite; the definition and mock configuration it reads are added
/// to `read`.
fn load(file: &Path, read: &mut Vec<PathBuf>) -> Result<Suite, String> {
    let name = file.display().to_string();
    let doc = source::read_value(&name, "test file")?;
    if Suite::is_example(&doc) {
        return Suite::from_example(&name, &doc);
    }
    if !TestFile::looks_like(&doc) {
        return Err("not a test file (no `testCases`) and not a gallery example (no `definition` object with `expect`)".into());
    }
    let tf = TestFile::parse(&doc)?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let definition_path = dir.join(&tf.definition);
    read.push(definition_path.clone());
    let definition = source::read(&definition_path.display().to_string(), "definition")?.json;
    let mock_config = match &tf.mock_config {
        None => None,
        Some(p) => {
            let path = dir.join(p);
            read.push(path.clone());
            let v = source::read_value(&path.display().to_string(), "mock configuration")?;
            sfnsim::sim::Mocks::from_sfn_local(&v, "", "").map_err(|e| format!("mock configuration '{}': {e}", path.display()))?;
            Some(v)
        }
    };
    Ok(Suite::from_test_file(&name, tf, definition, mock_config))
}

/// Each file read and each JSON or YAML file in the directories named, with its modification
/// time: a change, a new file or a removed one starts a new run.
fn snapshot(read: &[PathBuf], paths: &[String]) -> Vec<(PathBuf, Option<SystemTime>)> {
    let in_dirs = paths.iter().filter(|p| Path::new(p).is_dir()).flat_map(|p| listing_of(Path::new(p)).unwrap_or_default());
    let mut files: Vec<PathBuf> = read.iter().cloned().chain(in_dirs).collect();
    files.sort();
    files.dedup();
    files.into_iter().map(|f| {
        let t = std::fs::metadata(&f).and_then(|m| m.modified()).ok();
        (f, t)
    }).collect()
}
