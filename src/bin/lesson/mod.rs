//! `sfnsim lesson check LESSON.md --definition FILE | --share LINK | --solution` and `sfnsim lesson
//! list`: a teacher grades a learner's definition (or a class's, with a shell loop) against a
//! lesson file, or checks the file's own solution. Exit 0 when every check passes, 1 when one
//! fails, 2 for a malformed lesson or a definition that is not valid ASL.

use clap::{ArgGroup, Subcommand};
use sfnsim::playground::{lesson, share};
use std::io::{self, Write};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum LessonCommand {
    /// Check a definition against a lesson: each check with PASS or FAIL and why.
    #[command(group(ArgGroup::new("what").required(true).args(["definition", "share", "solution"])))]
    Check {
        /// The lesson: a Markdown file, or a built-in lesson's id (see `sfnsim lesson list`).
        lesson: String,
        /// The definition to check (JSON file).
        #[arg(long)]
        definition: Option<String>,
        /// A playground share link (or only its payload): its definition is checked.
        #[arg(long)]
        share: Option<String>,
        /// Check the lesson's own solution.
        #[arg(long)]
        solution: bool,
        /// Print the results as JSON (one object per check and input).
        #[arg(long)]
        json: bool,
    },
    /// List the built-in lessons, in course order.
    List,
}

/// Runs a lesson command; Err is a message for stderr (exit 2).
pub fn run(cmd: LessonCommand) -> Result<ExitCode, String> {
    let result = match cmd {
        LessonCommand::List => list(),
        LessonCommand::Check { lesson, definition, share, solution, json } => check(&lesson, definition, share, solution, json),
    };
    match result {
        Ok(code) => Ok(code),
        Err(Stop::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(Stop::Io(e)) => Err(format!("cannot write to stdout: {e}")),
        Err(Stop::Message(m)) => Err(m),
    }
}

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

fn list() -> Result<ExitCode, Stop> {
    let mut out = io::stdout().lock();
    for (file, text) in lesson::builtin() {
        match lesson::parse(text) {
            Ok(l) => writeln!(out, "{:<22} {}  ({} check{}, www/lessons/{file})", l.id, l.title, l.checks.len(), if l.checks.len() == 1 { "" } else { "s" })?,
            Err(_) => writeln!(out, "{file}: malformed")?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The lesson's text: the file, else the built-in lesson with that id or file name.
fn lesson_text(arg: &str) -> Result<String, String> {
    match std::fs::read_to_string(arg) {
        Ok(t) => Ok(t),
        Err(e) => {
            let builtin = lesson::builtin().into_iter().find(|(f, t)| *f == arg || lesson::parse(t).is_ok_and(|l| l.id == arg));
            builtin.map(|(_, t)| t.to_string()).ok_or_else(|| format!("cannot read lesson '{arg}': {e} (and no built-in lesson has that id)"))
        }
    }
}

/// The share payload in a link (`…#share=PAYLOAD`), or the text itself.
fn payload(link: &str) -> &str {
    let link = link.trim();
    match link.find("share=") {
        Some(i) => link[i + 6..].split('&').next().unwrap_or(""),
        None => link,
    }
}

fn check(arg: &str, definition: Option<String>, share_link: Option<String>, solution: bool, json: bool) -> Result<ExitCode, Stop> {
    let text = lesson_text(arg)?;
    let l = match lesson::parse(&text) {
        Ok(l) => l,
        Err(errors) => {
            let mut err = io::stderr().lock();
            let _ = writeln!(err, "error: {arg} is not a valid lesson ({} error{}):", errors.len(), if errors.len() == 1 { "" } else { "s" });
            for e in errors {
                let _ = writeln!(err, "  {arg}:{}: [{}] {}", e.line, e.block, e.message);
            }
            return Ok(ExitCode::from(2));
        }
    };
    let def = match (definition, share_link, solution) {
        (Some(path), _, _) => std::fs::read_to_string(&path).map_err(|e| format!("cannot read definition '{path}': {e}"))?,
        (_, Some(link), _) => share::decode(payload(&link)).map_err(|e| format!("--share: {e}"))?.definition,
        _ => l.solution.clone().ok_or_else(|| format!("{arg} has no ```asl solution block"))?,
    };
    let results = lesson::check(&l, &def).map_err(|e| e.to_string())?;
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&results).unwrap_or_default())?;
    } else {
        writeln!(out, "{}: {}", l.id, l.title)?;
        for r in &results {
            let on = r.input.as_deref().map(|i| format!(" [input {i}]")).unwrap_or_default();
            writeln!(out, "{}{on} {}: {}", if r.passed { "PASS" } else { "FAIL" }, r.check, r.why)?;
            if let (false, Some(m)) = (r.passed, &r.message) {
                writeln!(out, "     {m}")?;
            }
        }
        let passed = results.iter().filter(|r| r.passed).count();
        writeln!(out, "{passed} of {} checks pass", results.len())?;
    }
    Ok(if results.iter().all(|r| r.passed) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
