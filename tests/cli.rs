//! CLI behaviour: exit codes and outputs of `vplc` subcommands, run
//! in-process through `vplc::run_args`, plus a few golden runs of the real
//! binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation should stop the test"
)]

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> u8 {
    let mut full = vec!["vplc"];
    full.extend_from_slice(args);
    vplc::run_args(full)
}

fn path(rel: &str) -> String {
    root().join(rel).display().to_string()
}

#[test]
fn table_of_a_good_policy_exits_0() {
    assert_eq!(run(&["table", &path("examples/quickstart.vpl")]), 0);
    assert_eq!(run(&["table", "--format", "json", &path("examples/quickstart.vpl")]), 0);
    assert_eq!(run(&["table", "--format", "md", &path("examples/quickstart.vpl")]), 0);
}

#[test]
fn unknown_policy_and_bad_usage_exit_2() {
    assert_eq!(run(&["table", "no/such-instrument"]), 2);
    assert_eq!(run(&["frobnicate"]), 2);
    assert_eq!(run(&["table", "--format", "pdf", &path("examples/quickstart.vpl")]), 2);
}

#[test]
fn help_and_version_exit_0() {
    assert_eq!(run(&["--help"]), 0);
    assert_eq!(run(&["table", "--help"]), 0);
    assert_eq!(run(&["--version"]), 0);
}

#[test]
fn explain_knows_every_code() {
    for c in vpl_core::Code::ALL {
        assert_eq!(run(&["explain", c.as_str()]), 0);
    }
    assert_eq!(run(&["explain", "E9999"]), 2);
}

fn temp_with(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

#[test]
fn a_policy_with_errors_exits_2() {
    let (_d, p) = temp_with("bad.vpl", "duty x { cite art 1 }\n");
    assert_eq!(run(&["table", p.to_str().unwrap()]), 2);
}

#[test]
fn compile_writes_the_table_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("table.json");
    assert_eq!(run(&["compile", &path("examples/quickstart.vpl"), "-o", out.to_str().unwrap()]), 0);
    let table: vpl_core::DecisionTable = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(table.schema_version, vpl_core::table::model::SCHEMA_VERSION);
    assert!(table.rows.iter().any(|r| r.duty == "report"));
}

#[test]
fn fmt_check_reports_and_fmt_fixes() {
    let (_d, p) = temp_with("messy.vpl", "role   a\n\n\n// keep me\nevent b by a\n");
    let ps = p.to_str().unwrap();
    assert_eq!(run(&["fmt", "--check", ps]), 1);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "role   a\n\n\n// keep me\nevent b by a\n", "--check changes nothing");
    assert_eq!(run(&["fmt", ps]), 0);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "role a\n\n// keep me\nevent b by a\n");
    assert_eq!(run(&["fmt", "--check", ps]), 0);
}

#[test]
fn fmt_leaves_a_broken_file_untouched() {
    let text = "role a {\n  x: bool,\n  // unfinished\n";
    let (_d, p) = temp_with("broken.vpl", text);
    assert_eq!(run(&["fmt", p.to_str().unwrap()]), 2);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
}

#[test]
fn pathological_inputs_never_panic() {
    let deep = format!("fact f: bool\nduty d {{ when {}f{} }}\n", "(".repeat(10_000), ")".repeat(10_000));
    let long_line = format!("role a {{ {} }}\n", "x: bool, ".repeat(120_000));
    let nots = format!("fact f: bool\nduty d {{ when {} f }}\n", "not ".repeat(100_000));
    let chain = format!("fact f: bool\nduty d {{ when f{} }}\n", " and f".repeat(100_000));
    let filters = format!("duty d {{ when {} }}\n", "happened aware where ".repeat(5_000) + "true");
    // (file, contents, exit code of `fmt --check`)
    let cases: Vec<(&str, Vec<u8>, u8)> = vec![
        ("empty.vpl", Vec::new(), 0),
        ("binary.vpl", vec![0, 159, 146, 150, 0, 1, 2], 2),
        ("deep.vpl", deep.into_bytes(), 2),
        ("long.vpl", long_line.into_bytes(), 1),
        ("nots.vpl", nots.into_bytes(), 2),
        ("chain.vpl", chain.into_bytes(), 2),
        ("filters.vpl", filters.into_bytes(), 2),
        ("braces.vpl", "{".repeat(100_000).into_bytes(), 2),
    ];
    for (name, bytes, fmt_code) in cases {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).unwrap();
        let code = run(&["table", p.to_str().unwrap()]);
        assert_eq!(code, 2, "{name} should be rejected with exit 2");
        let code = run(&["fmt", "--check", p.to_str().unwrap()]);
        assert_eq!(code, fmt_code, "{name}: fmt --check");
    }
}

/// docs/diagnostics.md is generated from the code list; this keeps them in
/// step. Run with `UPDATE_DOCS=1` to rewrite it.
#[test]
fn diagnostics_doc_lists_every_code() {
    let mut md = String::from(
        "# Diagnostics\n\n<!-- Generated from compiler/vpl-core/src/codes.rs by tests/cli.rs; \
         run `UPDATE_DOCS=1 cargo test -p vplc --test cli` to refresh. -->\n\n\
         Every error (`E`) and warning (`W`) vplc reports has a stable code. `vplc explain CODE` prints \
         the text below; `--error-format json` gives each diagnostic's code, severity, message, labels \
         (file, line, column) and help.\n\n\
         Codes E00xx are about syntax, E01xx names, E02xx types, E03xx amounts and units, E04xx citations \
         and coverage, E05xx duties, E06xx calendars and instrument headers, E07xx case files; W0xxx are \
         warnings.\n\n| code | meaning |\n|---|---|\n",
    );
    for c in vpl_core::Code::ALL {
        md.push_str(&format!("| [{0}](#{1}) | {2} |\n", c.as_str(), c.as_str().to_lowercase(), c.title()));
    }
    for c in vpl_core::Code::ALL {
        md.push_str(&format!("\n## {}\n\n**{}**\n\n", c.as_str(), c.title()));
        md.push_str(c.explanation());
        md.push('\n');
    }
    let path = root().join("docs/diagnostics.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &md).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(on_disk == md, "docs/diagnostics.md is out of date: run UPDATE_DOCS=1 cargo test -p vplc --test cli");
}

// ------------------------------------------------------------ check --format verdicts

/// Every bundled instrument the example cases name.
const EXAMPLE_POLICIES: [&str; 3] = ["cn/provisions-2021", "cn/vuln-draft-2019", "cn/threat-info-draft-2019"];

/// Runs the real binary from the repository root.
fn vplc_bin(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vplc")).current_dir(root()).env("NO_COLOR", "1").args(args).output().unwrap()
}

fn verdict_lines(stdout: &[u8]) -> Vec<vplc::cmd::check::VerdictsLine> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a verdicts line ({e}): {l}")))
        .collect()
}

#[test]
fn check_format_verdicts_exit_codes() {
    let case = |name: &str| path(&format!("examples/cases/{name}.json"));
    let late = case("provisions-2021-incomplete-report-then-late");
    let fine = case("provisions-2021-report-on-time-over-national-day");
    assert_eq!(run(&["check", "cn/provisions-2021", &late, "--format", "verdicts"]), 1);
    assert_eq!(run(&["check", "cn/provisions-2021", &late, "--format", "json"]), 1);
    assert_eq!(run(&["check", "cn/provisions-2021", &fine, "--format", "verdicts"]), 0);
    assert_eq!(run(&["check", "cn/provisions-2021", &fine, "--format", "json"]), 0);
    let (_d, bad) = temp_with("bad.json", "{\"id\": \"x\", \"actors\": [], \"events\": [],}");
    assert_eq!(run(&["check", "cn/provisions-2021", bad.to_str().unwrap(), "--format", "verdicts"]), 2);
    assert_eq!(run(&["schema", "verdicts"]), 0);
}

#[test]
fn check_format_verdicts_output_of_an_example_case() {
    let out = vplc_bin(&[
        "check",
        "cn/provisions-2021",
        "examples/cases/provisions-2021-incomplete-report-then-late.json",
        "--format",
        "verdicts",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // Each line reads back into the type `vplc schema verdicts` is made from.
    assert_eq!(verdict_lines(text.as_bytes()).len(), 1);
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("check_format_verdicts", text);
    });
}

/// The lean path decides exactly what the full path does: for every example
/// case and every instrument, the same verdicts in the same order — duty,
/// row, citation, actor, status, lateness — and the same deadline.
#[test]
fn verdicts_agree_with_the_findings_of_every_example_case() {
    for as_of in [None, Some("2030-01-01")] {
        let run = |format: &str| {
            let mut args = EXAMPLE_POLICIES.to_vec();
            args.splice(0..0, ["check"]);
            args.extend(["examples/cases", "--format", format]);
            if let Some(t) = as_of {
                args.extend(["--as-of", t]);
            }
            let out = vplc_bin(&args);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{format}: {}", String::from_utf8_lossy(&out.stderr));
            (out.status.code(), out.stdout)
        };
        let (json_code, json) = run("json");
        let (verdicts_code, verdicts) = run("verdicts");
        assert_eq!(json_code, verdicts_code, "exit codes");
        let reports: Vec<vpl_eval::CaseReport> =
            String::from_utf8_lossy(&json).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let lines = verdict_lines(&verdicts);
        assert_eq!(reports.len(), lines.len());
        assert!(reports.len() >= 3 * 33, "every example case under each instrument: {}", reports.len());
        let mut compared = 0;
        for (r, l) in reports.iter().zip(&lines) {
            let what = format!("{} under {}", r.case, r.instrument);
            assert_eq!((&r.case, &r.instrument, r.draft, &r.as_of), (&l.case, &l.instrument, l.draft, &l.as_of), "{what}");
            assert_eq!(r.findings.len(), l.verdicts.len(), "{what}");
            for (f, v) in r.findings.iter().zip(&l.verdicts) {
                let ctx = format!("{what}: {} for {}", f.row, f.actor);
                assert_eq!(
                    (&f.duty, &f.row, &f.cite.display, &f.actor, f.status, f.late_by_seconds),
                    (&v.duty, &v.row, &v.cite, &v.actor, v.status, v.late_by_seconds),
                    "{ctx}"
                );
                match (&f.due, &v.due) {
                    (None, None) => {}
                    (Some(full), Some(lean)) => {
                        let lean_t = chrono::DateTime::parse_from_rfc3339(lean).unwrap();
                        match chrono::DateTime::parse_from_rfc3339(full) {
                            Ok(t) => assert_eq!(t, lean_t, "{ctx}: due"),
                            // A whole day: its first instant, in the calendar's zone.
                            Err(_) => assert_eq!(lean, &format!("{full}T00:00:00+08:00"), "{ctx}: due"),
                        }
                    }
                    other => panic!("{ctx}: due {other:?}"),
                }
                compared += 1;
            }
        }
        assert!(compared > 100, "only {compared} verdicts compared");
    }
}

/// A batch in verdicts form: the same lines whatever the number of threads,
/// a repeated id reported (and its line left out), exit 2.
#[test]
fn a_verdicts_batch_is_the_same_on_one_and_two_threads() {
    let case = std::fs::read_to_string(root().join("examples/cases/provisions-2021-incomplete-report-then-late.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&case).unwrap();
    value.as_object_mut().unwrap().remove("expect");
    let mut jsonl = String::new();
    for i in 0..3000 {
        value["id"] = serde_json::Value::String(format!("case-{i}"));
        jsonl.push_str(&serde_json::to_string(&value).unwrap());
        jsonl.push('\n');
        if i == 2000 {
            value["id"] = serde_json::Value::String("case-17".into());
            jsonl.push_str(&serde_json::to_string(&value).unwrap());
            jsonl.push_str("\n\n");
        }
    }
    let (_d, p) = temp_with("batch.jsonl", &jsonl);
    let p = p.to_str().unwrap();
    let one = vplc_bin(&["check", "cn/provisions-2021", p, "--format", "verdicts", "--jobs", "1"]);
    let two = vplc_bin(&["check", "cn/provisions-2021", p, "--format", "verdicts", "--jobs", "2"]);
    assert_eq!(one.status.code(), Some(2));
    assert_eq!(two.status.code(), Some(2));
    assert!(one.stdout == two.stdout, "output differs between 1 and 2 threads");
    let lines = verdict_lines(&one.stdout);
    assert_eq!(lines.len(), 3000);
    assert!(lines.iter().enumerate().all(|(i, l)| l.case == format!("case-{i}")));
    let stderr = String::from_utf8_lossy(&two.stderr);
    assert!(stderr.contains("E0710") && stderr.contains("another case in this batch has the id `case-17`"), "{stderr}");
    assert!(stderr.contains(":2002:"), "the repeat is reported at its line: {stderr}");
}
