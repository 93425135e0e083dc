//! JUnit XML, the report CI systems read (GitHub's and GitLab's test reports, Jenkins): one
//! `<testsuite>` per test file, one `<testcase>` per case; a failed check is a `<failure>`, a
//! case that could not run (an invalid definition, a broken file) an `<error>`.

use super::{counts, FileResult};

pub fn xml(results: &[FileResult]) -> String {
    let (pass, fail) = counts(results);
    let total_s: f64 = results.iter().flat_map(|r| r.cases.iter().map(|(_, d)| d.as_secs_f64())).sum();
    let errors_all: usize = results.iter().map(errors).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x += &format!(
        "<testsuites name=\"sfnsim test\" tests=\"{}\" failures=\"{}\" errors=\"{errors_all}\" time=\"{total_s:.6}\">\n",
        pass + fail,
        fail - errors_all
    );
    for r in results {
        let name = esc(&r.name);
        let time: f64 = r.cases.iter().map(|(_, d)| d.as_secs_f64()).sum();
        if let Some(e) = &r.broken {
            x += &format!("  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n");
            x += &format!("    <testcase classname=\"{name}\" name=\"(test file)\" time=\"0\">\n");
            x += &format!("      <error type=\"TestFileError\" message=\"{}\">{}</error>\n", esc(e), esc(e));
            x += "    </testcase>\n  </testsuite>\n";
            continue;
        }
        let failures = r.cases.iter().filter(|(c, _)| !c.passed && c.error.is_none()).count();
        x += &format!(
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" time=\"{time:.6}\">\n",
            r.cases.len(),
            errors(r)
        );
        for (c, took) in &r.cases {
            x += &format!("    <testcase classname=\"{name}\" name=\"{}\" time=\"{:.6}\"", esc(&c.case), took.as_secs_f64());
            if let Some(e) = &c.error {
                x += &format!(">\n      <error type=\"SetupError\" message=\"{}\">{}</error>\n    </testcase>\n", esc(e), esc(e));
            } else if c.passed {
                x += "/>\n";
            } else {
                let failed: Vec<_> = c.results.iter().filter(|r| !r.passed).collect();
                let first = failed.first().map(|f| format!("{}: {}", f.check, f.why)).unwrap_or_default();
                let all: Vec<String> = failed.iter().map(|f| format!("{}: {}", f.check, f.why)).collect();
                x += &format!(
                    ">\n      <failure type=\"CheckFailed\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    esc(&first),
                    esc(&all.join("\n"))
                );
            }
        }
        x += "  </testsuite>\n";
    }
    x += "</testsuites>\n";
    x
}

fn errors(r: &FileResult) -> usize {
    usize::from(r.broken.is_some()) + r.cases.iter().filter(|(c, _)| c.error.is_some()).count()
}

/// Text for an attribute or an element: the five XML escapes, and control characters XML 1.0
/// does not allow dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out += "&amp;",
            '<' => out += "&lt;",
            '>' => out += "&gt;",
            '"' => out += "&quot;",
            '\'' => out += "&apos;",
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}
