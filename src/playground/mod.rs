//! What a person playing with a definition sees and types, without the drawing: the logic of the
//! playground page (`ui`), shared by the documentation embeds (`js`) and the command line (`bin`).
//! Everything here is pure and native-testable: it reads the service, its history events and the
//! definition, and never the browser.
//!
//! - [`run`]: a quick run of a definition on the engine alone (an empty input box means `{}`);
//! - [`diagram`]: the laid-out scene of a definition's text;
//! - [`console`]: `aws stepfunctions <subcommand> --flags` lines, read as the AWS CLI reads them,
//!   turned into a service call, answers printed as the CLI prints them;
//! - [`examples`]: the gallery (www/examples/), each with its input and simulated world;
//! - [`share`]: share links (what a user typed, compressed into a URL fragment) and embed snippets;
//! - [`replay`]: an execution read back from its history alone: active, visited and failed states
//!   after any event, transitions taken, a timeline (the diagram's highlights);
//! - [`inspect`]: one state visit explained step by step (input, each data-flow step, output,
//!   errors, retries), and the Map iterations and Parallel branches of a history;
//! - [`explain`]: a run told event by event in plain English (the Explain toggle);
//! - [`lesson`]: lessons (www/lessons/*.md): their format, the built-in ones, checking a
//!   definition against one.

pub mod console;
pub mod diagram;
pub mod examples;
pub mod explain;
pub mod inspect;
pub mod lesson;
pub mod replay;
pub mod run;
pub mod share;
