//! `vplc test [PATH...]`: runs the case files that carry `expect` against
//! the instruments they name, and reports every expectation that fails.

use super::check::{case_files, compile_all, for_each_case, now, parse_as_of};
use super::{BAD_INPUT, FINDINGS, OK};
use crate::cli::TestFormat;
use crate::report::Reporter;
use std::path::PathBuf;
use vpl_eval::{Case, Compiled, Finding, LoadOptions, Vocab};

struct Outcome {
    case: String,
    file: String,
    failures: Vec<String>,
    checked: usize,
}

pub fn test(rep: &mut Reporter, paths: &[PathBuf], extra: &[String], format: TestFormat, as_of: Option<&str>) -> u8 {
    let mut policies: Vec<String> = vpl_core::bundled::POLICIES.iter().map(|b| b.id.to_string()).collect();
    policies.extend(extra.iter().cloned());
    let Some(compiled) = compile_all(rep, &policies) else { return BAD_INPUT };
    let Some(forced) = parse_as_of(rep, as_of) else { return BAD_INPUT };
    let vocab = Vocab::new(compiled.iter().map(|c| &c.table().vocabulary));
    let paths = if paths.is_empty() { vec![PathBuf::from("examples/cases")] } else { paths.to_vec() };
    let files = case_files(rep, &paths);
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut all_read = true;
    let now = now();
    for file in &files {
        let name = file.display().to_string();
        all_read &= for_each_case(rep, file, &vocab, LoadOptions::default(), false, |_, case| {
            if case.expect.is_empty() {
                return;
            }
            let as_of = forced.or(case.as_of).unwrap_or(now);
            outcomes.push(run_case(&compiled, &case, &as_of, &name));
        });
    }
    let failed = outcomes.iter().filter(|o| !o.failures.is_empty()).count();
    let passed = outcomes.len() - failed;
    match format {
        TestFormat::Human => {
            for o in &outcomes {
                if o.failures.is_empty() {
                    println!("PASS {} ({} expectation{})", o.case, o.checked, if o.checked == 1 { "" } else { "s" });
                } else {
                    println!("FAIL {} ({})", o.case, o.file);
                    for f in &o.failures {
                        println!("    {f}");
                    }
                }
            }
            println!("{passed} passed, {failed} failed");
        }
        TestFormat::Junit => print!("{}", junit(&outcomes)),
    }
    if !all_read || rep.failed() {
        BAD_INPUT
    } else if failed > 0 {
        FINDINGS
    } else {
        OK
    }
}

fn run_case(compiled: &[Compiled], case: &Case, as_of: &vpl_time::When, file: &str) -> Outcome {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut instruments: Vec<&str> = case.expect.iter().map(|e| e.instrument.as_str()).collect();
    instruments.dedup();
    for inst in instruments {
        let Some(c) = compiled.iter().find(|c| c.table().instrument.id == inst) else {
            failures.push(format!("{inst}: no such instrument (bundled ones: {})", bundled_ids()));
            continue;
        };
        let report = vpl_eval::check_case_with(c, case, as_of, vpl_eval::Options::default());
        for e in case.expect.iter().filter(|e| e.instrument == inst) {
            checked += 1;
            let hits: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.duty == e.key || f.row == e.key || f.cite.display == e.key)
                .filter(|f| e.actor.as_ref().is_none_or(|a| *a == f.actor))
                .collect();
            let who = e.actor.as_ref().map_or_else(String::new, |a| format!("@{a}"));
            if hits.is_empty() {
                failures.push(format!(
                    "{inst} {}{who}: expected {}, but no duty with that id or citation applies",
                    e.key,
                    e.status.as_str()
                ));
            } else if hits.iter().any(|f| f.status != e.status) {
                let got: Vec<String> = hits.iter().map(|f| format!("{} ({}, {})", f.status.as_str(), f.duty, f.actor)).collect();
                failures.push(format!("{inst} {}{who}: expected {}, got {}", e.key, e.status.as_str(), got.join("; ")));
            }
        }
    }
    Outcome { case: case.id.clone(), file: file.to_string(), failures, checked }
}

fn bundled_ids() -> String {
    vpl_core::bundled::POLICIES.iter().map(|b| b.id).collect::<Vec<_>>().join(", ")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn junit(outcomes: &[Outcome]) -> String {
    let failed = outcomes.iter().filter(|o| !o.failures.is_empty()).count();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"vplc test\" tests=\"{}\" failures=\"{failed}\">\n",
        outcomes.len()
    );
    for o in outcomes {
        s.push_str(&format!("  <testcase classname=\"{}\" name=\"{}\">\n", xml_escape(&o.file), xml_escape(&o.case)));
        if !o.failures.is_empty() {
            s.push_str(&format!(
                "    <failure message=\"{} expectation(s) failed\">{}</failure>\n",
                o.failures.len(),
                xml_escape(&o.failures.join("\n"))
            ));
        }
        s.push_str("  </testcase>\n");
    }
    s.push_str("</testsuite>\n");
    s
}
