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
