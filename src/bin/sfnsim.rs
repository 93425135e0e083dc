//! The native command line: validate, run, render a diagram, replay the conformance corpus and
//! serve the API.

#[cfg(not(target_arch = "wasm32"))]
#[path = "endpoint/mod.rs"]
mod endpoint;

#[cfg(not(target_arch = "wasm32"))]
#[path = "lesson/mod.rs"]
mod lesson;

#[cfg(not(target_arch = "wasm32"))]
#[path = "test_state/mod.rs"]
mod test_state;

#[cfg(not(target_arch = "wasm32"))]
#[path = "source/mod.rs"]
mod source;

#[cfg(not(target_arch = "wasm32"))]
#[path = "test/mod.rs"]
mod test;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use sfnsim::asl::validate::{self, MachineType};
    use sfnsim::playground::{diagram, run};
    use sfnsim::testing::harness::{self, RunSetup};
    use sfnsim::testing::suite::Suite;
    use sfnsim::testing::conformance;
    use std::io::{self, Write};
    use std::process::ExitCode;

    /// Why a command stopped: a message for stderr (exit 2), or a failed write to stdout.
    enum Stop {
        Message(String),
        Io(io::Error),
    }

    impl From<String> for Stop {
        fn from(m: String) -> Self {
            Stop::Message(m)
        }
    }

    impl From<io::Error> for Stop {
        fn from(e: io::Error) -> Self {
            Stop::Io(e)
        }
    }

    /// `println!` to a locked stdout that returns the write error instead of panicking; use it
    /// with `?` so a closed pipe (`sfnsim run F --history | head -1`) ends the command quietly.
    macro_rules! out {
        ($($arg:tt)*) => {
            writeln!(io::stdout().lock(), $($arg)*)
        };
    }

    #[derive(Parser)]
    #[command(
        name = "sfnsim",
        version,
        about = "AWS Step Functions simulator: validate and run Amazon States Language definitions"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Validate a definition as CreateStateMachine does; exit 1 when invalid.
        Validate {
            /// The definition (JSON, or YAML: `.asl.yaml`, `.yaml`, `.yml`).
            file: String,
            /// Validate as an EXPRESS state machine.
            #[arg(long)]
            express: bool,
            /// Print the diagnostics as JSON, each with its line and column (for editors and CI
            /// annotations).
            #[arg(long)]
            json: bool,
        },
        /// Run a definition on the virtual clock and print the result.
        Run {
            /// The definition (JSON or YAML), or a gallery example (www/examples/*.json), which
            /// runs in its own world (activities, workers, responders, mocks) on its own input.
            file: String,
            /// Execution input: JSON text, or @FILE to read it from a file (default `{}`).
            #[arg(long)]
            input: Option<String>,
            /// Print the execution history (GetExecutionHistory events) too.
            #[arg(long)]
            history: bool,
            /// Seed of the random generator (retry jitter, States.UUID, States.MathRandom).
            #[arg(long, default_value_t = 0)]
            seed: u64,
            /// A Step Functions Local mock configuration (JSON or YAML).
            #[arg(long)]
            mock_config: Option<String>,
            /// The mock configuration's test case whose answers the tasks get (--mock-config's, or
            /// a gallery example's own).
            #[arg(long)]
            test_case: Option<String>,
            /// The state machine's name in the mock configuration (default: its only one).
            #[arg(long)]
            state_machine_name: Option<String>,
            /// What calls nobody mocked do: `echo` (a Lambda returns its input, other
            /// integrations `{}`) or `wait` (stay open: the run ends RUNNING).
            #[arg(long, default_value = "echo")]
            unmocked: String,
        },
        /// Run test files (or directories of them, or of gallery examples) and check each case;
        /// exit 1 when one fails.
        Test {
            /// Test files (JSON or YAML) and directories.
            #[arg(required = true)]
            paths: Vec<String>,
            /// Also write the results as JUnit XML to this file.
            #[arg(long)]
            junit: Option<String>,
            /// Print the results as JSON instead of lines.
            #[arg(long)]
            json: bool,
            /// Run again whenever a file read changes.
            #[arg(long)]
            watch: bool,
        },
        /// Draw a definition as an SVG diagram (stdout, or the file given with -o).
        Render {
            file: String,
            /// Where to write the SVG; stdout when absent.
            #[arg(short, long)]
            output: Option<String>,
            /// Which way the flow runs: TB (top to bottom) or LR (left to right).
            #[arg(long, default_value = "TB")]
            direction: sfnsim::graph::Direction,
            /// A Parallel or Map to draw as one box, by id (`Fan`, or `Fan/2/Each` for a state
            /// inside Fan's second branch); may be given more than once.
            #[arg(long = "collapse", value_name = "ID")]
            collapse: Vec<String>,
        },
        /// Run one state alone as AWS's TestState API does and print the response (JSON); exit 1
        /// when the state FAILED or is RETRIABLE.
        TestState {
            /// One state (JSON file), or a whole definition with --state.
            file: String,
            /// The state to test inside a whole definition.
            #[arg(long)]
            state: Option<String>,
            /// The state's input: JSON text, or @FILE to read it from a file.
            #[arg(long, default_value = "{}")]
            input: String,
            /// Mocked result of the state's work (JSON text).
            #[arg(long)]
            mock_result: Option<String>,
            /// Mocked error of the state's work.
            #[arg(long)]
            mock_error: Option<String>,
            /// The cause that goes with --mock-error.
            #[arg(long)]
            mock_cause: Option<String>,
            /// INFO, DEBUG (every data-processing stage) or TRACE.
            #[arg(long, default_value = "INFO")]
            inspection_level: String,
            /// The role a Task runs with.
            #[arg(long, default_value = "arn:aws:iam::123456789012:role/StepFunctionsRole")]
            role_arn: String,
            /// Workflow variables the state sees (a JSON object).
            #[arg(long)]
            variables: Option<String>,
        },
        /// Replay a conformance corpus recorded against AWS and report pass/fail per category.
        Conformance {
            file: String,
            /// Only cases whose category starts with this prefix.
            #[arg(long)]
            category: Option<String>,
            /// Also list skipped cases with their reasons.
            #[arg(long)]
            verbose: bool,
        },
        /// Serve the Step Functions API (AWS JSON 1.0) for the AWS CLI, boto3 and SDKs
        /// (`--endpoint-url http://127.0.0.1:8083`).
        Serve {
            /// Port to listen on.
            #[arg(long, default_value_t = 8083)]
            port: u16,
            /// Address to listen on; loopback unless you ask for another.
            #[arg(long, default_value = "127.0.0.1")]
            host: String,
            /// Keep the clock virtual: it moves on SfnsimAdvanceClock, while an operation waits
            /// (long polls, StartSyncExecution), and by itself to the next timer whenever only
            /// time can make something happen (a Wait, a retry's back-off), so a client polling
            /// DescribeExecution sees it pass at once. `--virtual-clock=manual`: SfnsimAdvanceClock
            /// and waiting operations only.
            #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "auto", value_name = "auto|manual")]
            virtual_clock: Option<String>,
            /// Run the wall clock F times faster (as Step Functions Local's WAIT_TIME_SCALE):
            /// every Wait, back-off and timeout takes 1/F of its time.
            #[arg(long, default_value_t = 1.0, value_name = "F")]
            time_scale: f64,
            /// `sfn-local`: answer as Step Functions Local does where its history differs from
            /// AWS's (aws-sdk task events name `resourceType "aws-sdk"`); `aws` (the default).
            #[arg(long, default_value = "aws")]
            compat: String,
            /// Log one line per request on stderr: operation, HTTP status, error code, time.
            #[arg(long)]
            log: bool,
            /// Log every execution's history events on stderr as they happen.
            #[arg(long)]
            log_executions: bool,
            /// Account id in ARNs.
            #[arg(long, default_value = "123456789012")]
            account: String,
            /// Region in ARNs.
            #[arg(long, default_value = "us-east-1")]
            region: String,
            /// Seed of every random choice (names, task tokens, jitter), for runs that repeat
            /// exactly. By default each run of the server draws its own, so ARNs and task tokens
            /// never repeat across restarts.
            #[arg(long)]
            seed: Option<u64>,
            /// A Step Functions Local mock configuration (JSON); pick a test case by starting an
            /// execution on `<stateMachineArn>#<TestCaseName>`.
            #[arg(long)]
            mock_config: Option<String>,
            /// What un-mocked Lambda and service calls do: `echo` (answer at once) or `wait`.
            #[arg(long, default_value = "echo")]
            unmocked: String,
            /// Keep state machines, activities, executions (running ones with their timers) and
            /// task tokens in DIR, so that they survive a restart and a kill -9 (a journal of the
            /// calls that changed them, replayed at start). Start again with the same flags.
            #[arg(long, value_name = "DIR")]
            state_dir: Option<String>,
            /// Keep at most N finished executions: past N, the one that finished first is
            /// forgotten (DescribeExecution answers ExecutionDoesNotExist; its name can be used
            /// again). Running executions are always kept. By default every execution is kept.
            #[arg(long, value_name = "N")]
            retain_executions: Option<usize>,
        },
        /// Lessons: check a learner's definition against a lesson file, list the built-in ones.
        Lesson {
            #[command(subcommand)]
            command: crate::lesson::LessonCommand,
        },
    }

    fn read(path: &str, what: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {what} '{path}': {e}"))
    }

    fn parse_unmocked(word: &str) -> Result<sfnsim::service::Unmocked, String> {
        match word {
            "echo" => Ok(sfnsim::service::Unmocked::Echo),
            "wait" => Ok(sfnsim::service::Unmocked::Wait),
            other => Err(format!("--unmocked: expected echo or wait, got '{other}'")),
        }
    }

    /// Each diagnostic with its code, and where: `FILE:LINE:COLUMN` (the form editors and CI
    /// annotations link) and the JSON pointer.
    fn print_diagnostics(source: &crate::source::Source, diags: &[validate::Diagnostic]) -> io::Result<()> {
        let file = &source.path;
        // As ValidateStateMachineDefinition (maxResults ≤ 100): a huge file's thousands of
        // diagnostics would bury the first ones.
        const SHOWN: usize = 100;
        for d in diags.iter().take(SHOWN) {
            let sev = if d.severity == validate::Severity::Error {
                "error"
            } else {
                "warning"
            };
            out!("{sev}[{}]: {}", d.code, d.message)?;
            let at = source
                .line_column(d.location.as_deref())
                .map(|(l, c)| format!(":{l}:{c}"))
                .unwrap_or_default();
            out!(
                "  --> {file}{at}{}",
                d.location
                    .as_deref()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default()
            )?;
        }
        if diags.len() > SHOWN {
            out!("... and {} more diagnostics", diags.len() - SHOWN)?;
        }
        Ok(())
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = run(cli.command).and_then(|code| {
            io::stdout().flush()?;
            Ok(code)
        });
        match result {
            Ok(code) => code,
            // The reader went away (`| head`): stop quietly, as a SIGPIPE-killed tool would,
            // but with status 0 so `set -o pipefail` scripts don't fail on a truncated listing.
            Err(Stop::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(Stop::Io(e)) => {
                let _ = writeln!(io::stderr(), "error: cannot write to stdout: {e}");
                ExitCode::from(2)
            }
            Err(Stop::Message(msg)) => {
                let _ = writeln!(io::stderr(), "error: {msg}");
                ExitCode::from(2)
            }
        }
    }

    fn run(cmd: Command) -> Result<ExitCode, Stop> {
        match cmd {
            Command::Lesson { command } => Ok(crate::lesson::run(command)?),
            Command::Test { paths, junit, json, watch } => {
                Ok(crate::test::run(&crate::test::Args { paths, junit, json, watch })?)
            }
            Command::Serve {
                port,
                host,
                virtual_clock,
                time_scale,
                compat,
                log,
                log_executions,
                account,
                region,
                seed,
                mock_config,
                unmocked,
                state_dir,
                retain_executions,
            } => {
                let manual_clock = match virtual_clock.as_deref() {
                    None | Some("auto") => false,
                    Some("manual") => true,
                    Some(other) => {
                        return Err(format!("--virtual-clock: expected auto or manual, got '{other}'").into())
                    }
                };
                if !(time_scale.is_finite() && time_scale > 0.0) {
                    return Err(format!("--time-scale: expected a number above 0, got {time_scale}").into());
                }
                if virtual_clock.is_some() && time_scale != 1.0 {
                    return Err(String::from("--time-scale scales the wall clock; a --virtual-clock takes no time at all").into());
                }
                crate::endpoint::compat::set(crate::endpoint::compat::parse(&compat)?);
                crate::endpoint::log::set(crate::endpoint::log::Settings { requests: log, executions: log_executions });
                let mock_config = match mock_config {
                    None => None,
                    Some(path) => {
                        let v = crate::source::read_value(&path, "mock configuration")?;
                        sfnsim::sim::Mocks::from_sfn_local(&v, "", "")
                            .map_err(|e| format!("--mock-config {path}: {e}"))?;
                        Some(v)
                    }
                };
                let unmocked = parse_unmocked(&unmocked)?;
                if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("--account: expected 12 digits, got '{account}'").into());
                }
                let config = sfnsim::service::ServiceConfig {
                    account,
                    region,
                    seed: seed.unwrap_or_else(crate::endpoint::process_nonce),
                    mock_config,
                    unmocked,
                    retain_executions,
                    ..Default::default()
                };
                crate::endpoint::serve(crate::endpoint::Options {
                    host,
                    port,
                    virtual_clock: virtual_clock.is_some(),
                    manual_clock,
                    time_scale,
                    config,
                    limits: Default::default(),
                    state_dir,
                    seed_given: seed.is_some(),
                })?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Validate { file, express, json } => {
                let source = crate::source::read(&file, "definition")?;
                let t = if express {
                    MachineType::Express
                } else {
                    MachineType::Standard
                };
                let diags = validate::validate_text(&source.json, t);
                let errors = diags
                    .iter()
                    .any(|d| d.severity == validate::Severity::Error);
                if json {
                    let list: Vec<serde_json::Value> = diags
                        .iter()
                        .map(|d| {
                            let mut v = serde_json::to_value(d).unwrap_or_default();
                            if let Some((line, column)) = source.line_column(d.location.as_deref()) {
                                v["line"] = line.into();
                                v["column"] = column.into();
                            }
                            v
                        })
                        .collect();
                    let report = serde_json::json!({"file": file, "valid": !errors, "diagnostics": list});
                    out!("{}", serde_json::to_string_pretty(&report).unwrap_or_default())?;
                } else if diags.is_empty() {
                    out!("{file}: valid")?;
                } else {
                    print_diagnostics(&source, &diags)?;
                }
                Ok(if errors {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                })
            }
            Command::Run {
                file,
                input,
                history,
                seed,
                mock_config,
                test_case,
                state_machine_name,
                unmocked,
            } => {
                let text = crate::source::read(&file, "definition")?.json;
                let example = match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(doc) if Suite::is_example(&doc) => Some(Suite::from_example(&file, &doc)?),
                    _ => None,
                };
                let input_text = match (input, &example) {
                    (Some(i), _) => match i.strip_prefix('@') {
                        Some(path) => read(path, "input (--input @FILE)")?,
                        None => i,
                    },
                    (None, Some(ex)) => ex.cases.first().map(|c| c.input.to_string()).unwrap_or_default(),
                    (None, None) => "{}".to_string(),
                };
                let (input_text, _) = run::parse_input(&input_text)
                    .map_err(|e| format!("--input: {}: {}", e.code, e.message))?;
                let mock_config = match &mock_config {
                    None => None,
                    Some(path) => {
                        let v = crate::source::read_value(path, "mock configuration")?;
                        sfnsim::sim::Mocks::from_sfn_local(&v, "", "")
                            .map_err(|e| format!("--mock-config {path}: {e}"))?;
                        Some(v)
                    }
                };
                let mut setup = RunSetup {
                    state_machine_name,
                    world: sfnsim::sim::WorldSpec { mock_config, ..Default::default() },
                    test_case,
                    unmocked: parse_unmocked(&unmocked)?,
                    seed,
                    ..RunSetup::new(&text, &input_text)
                };
                if let Some(ex) = example {
                    // The example's world, unless the command line names its own mocks.
                    setup.definition = ex.definition;
                    if setup.world.mock_config.is_none() {
                        setup.world = ex.world;
                        setup.test_case = setup.test_case.or(ex.cases.into_iter().next().and_then(|c| c.test_case));
                    }
                    setup.state_machine_name = setup.state_machine_name.or(ex.state_machine_name);
                }
                let finished = harness::run(&setup)?;
                let Some(exec) = finished.execution() else {
                    return Err(String::from("the execution is gone").into());
                };
                // AWS's event JSON is built only when it is printed.
                if history {
                    for e in exec.history() {
                        out!("{}", serde_json::to_string(&e.to_aws()).unwrap_or_default())?;
                    }
                }
                let status = exec.status().as_aws();
                let mut summary = serde_json::json!({"status": status});
                if let Some(o) = exec.output() {
                    summary["output"] = o.clone();
                }
                if let Some(f) = exec.failure() {
                    if let Some(e) = &f.error {
                        summary["error"] = e.clone().into();
                    }
                    if let Some(c) = &f.cause {
                        summary["cause"] = c.clone().into();
                    }
                }
                if status == "RUNNING" {
                    let waiting: Vec<_> = exec
                        .pending_tasks()
                        .map(|t| format!("{} ({})", t.state_name, t.resource))
                        .collect();
                    summary["waitingFor"] = waiting.into();
                }
                out!(
                    "{}",
                    serde_json::to_string_pretty(&summary).unwrap_or_default()
                )?;
                Ok(if status == "SUCCEEDED" {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            Command::Render {
                file,
                output,
                direction,
                collapse,
            } => {
                let source = crate::source::read(&file, "definition")?;
                let text = &source.json;
                let diags = validate::validate_text(text, MachineType::Standard);
                if diags
                    .iter()
                    .any(|d| d.severity == validate::Severity::Error)
                {
                    print_diagnostics(&source, &diags)?;
                    return Ok(ExitCode::from(1));
                }
                let collapsed = collapse.iter().cloned().collect();
                let drawing = diagram::drawing(text, direction, &collapsed)
                    .map_err(|e| format!("{}: {}", e.code, e.message))?;
                if let Some(unknown) = collapse.iter().find(|id| !drawing.boxes.contains(id)) {
                    let known = if drawing.boxes.is_empty() { "none".to_string() } else { drawing.boxes.join(", ") };
                    return Err(format!("--collapse {unknown}: no Parallel or Map has that id (the ids: {known})").into());
                }
                let svg = drawing.scene.to_svg();
                match output {
                    Some(path) => std::fs::write(&path, svg)
                        .map_err(|e| format!("cannot write '{path}': {e}"))?,
                    None => write!(io::stdout().lock(), "{svg}")?,
                }
                Ok(ExitCode::SUCCESS)
            }
            Command::TestState {
                file,
                state,
                input,
                mock_result,
                mock_error,
                mock_cause,
                inspection_level,
                role_arn,
                variables,
            } => {
                let input = match input.strip_prefix('@') {
                    Some(path) => read(path, "input (--input @FILE)")?,
                    None => input,
                };
                let args = crate::test_state::Args {
                    definition: read(&file, "definition")?,
                    state,
                    input,
                    mock_result,
                    mock_error,
                    mock_cause,
                    inspection_level,
                    role_arn,
                    variables,
                };
                let resp = crate::test_state::run(&args)?;
                out!("{}", serde_json::to_string_pretty(&resp).unwrap_or_default())?;
                let ok = matches!(resp["status"].as_str(), Some("SUCCEEDED" | "CAUGHT_ERROR"));
                Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
            }
            Command::Conformance {
                file,
                category,
                verbose,
            } => {
                let text = read(&file, "corpus")?;
                let results = conformance::run_corpus(&text, category.as_deref());
                out!("{}", conformance::summary(&results, verbose))?;
                let failed = results
                    .iter()
                    .any(|r| matches!(r.outcome, conformance::Outcome::Failed(_)));
                Ok(if failed {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                })
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
