//! The case-file suite: real case files through the real loader and
//! evaluator, as `vplc check` reads them.
//!
//! - `tests/cases/invalid/` holds malformed case files, each named after its
//!   mistake. JSON has no comments, so the codes each must report are listed
//!   in `tests/cases/invalid/expect.txt`, one line per file:
//!   `file_name.json: E0702` (several codes comma-separated). The set of codes
//!   reported must equal the set listed, and the source with its rendered
//!   diagnostics is snapshotted as `snapshots/invalid-<stem>.snap`. A `.jsonl`
//!   batch is run through the real binary, so the snapshot shows what a user
//!   sees: the bad lines at their line numbers, the good lines still checked,
//!   the summary.
//! - `tests/cases/valid/` holds good case files, each with `expect` for the
//!   instruments it is about and a fixed `as_of`. Each is evaluated in-process
//!   against those instruments; the human output (with `--explain`, no colour)
//!   and the JSON output are snapshotted as `snapshots/valid-<stem>.snap`.
//!   `vplc test` must pass on the whole folder.
//! - `tests/cases/pending/` holds fixtures whose output is still wrong; this
//!   suite does not read it (its README says what each one shows).
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p vplc --test cases`,
//! then read every changed `.snap`: a snapshot is a claim about the law.

#[path = "support/damage.rs"]
mod damage;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use vpl_core::{Code, SourceMap};
use vpl_eval::{check_case, load_case, Case, CaseReport, Compiled, LoadOptions, Vocab};

/// The suite promises at least this many malformed case files (issue 3, item 7).
const MIN_INVALID: usize = 35;
/// And at least this many valid ones.
const MIN_VALID: usize = 12;

/// Policies given by path, besides the bundled instruments: (path from the
/// repository root). Their expectations name them by instrument id.
const EXTRA_POLICIES: &[&str] = &["examples/quickstart.vpl", "tests/cases/policies/hotfix-sla.vpl"];

/// The repository root: display names and paths are relative to it.
fn root() -> PathBuf {
    let r = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&r).unwrap_or(r)
}

fn abs(rel: &str) -> String {
    root().join(rel).display().to_string()
}

/// Every bundled instrument and every extra policy, compiled.
fn instruments() -> Result<Vec<Compiled>, String> {
    let mut sources: Vec<(String, String)> =
        vpl_core::bundled::POLICIES.iter().map(|b| (b.name.to_string(), b.text.to_string())).collect();
    for rel in EXTRA_POLICIES {
        let text = std::fs::read_to_string(root().join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))?;
        sources.push((rel.to_string(), text));
    }
    sources
        .iter()
        .map(|(name, text)| {
            let c = vpl_core::compile(name, text, &vpl_core::no_files);
            let Some(table) = c.table else {
                let shown = vplc::report::render(vplc::cli::ErrorFormat::Human, false, &c.sources, &c.diagnostics);
                return Err(format!("{name} does not compile:\n{shown}"));
            };
            Compiled::new(table).map_err(|e| format!("{name}: {e}"))
        })
        .collect()
}

/// The compiled instruments and the vocabulary case files are read with.
fn setup() -> Result<(Vec<Compiled>, Vocab), String> {
    let compiled = instruments()?;
    let vocab = Vocab::new(compiled.iter().map(|c| &c.table().vocabulary));
    Ok((compiled, vocab))
}

/// The files of a fixture folder with one of these extensions, sorted (none
/// if the folder cannot be read: the suites then fail on their minimum count).
fn files_in(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)))
        .collect();
    paths.sort();
    paths
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn code_list(codes: &BTreeSet<Code>) -> String {
    if codes.is_empty() {
        return "none".into();
    }
    codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// Asserts a snapshot, turning a mismatch into a problem instead of a panic,
/// so that every fixture is checked in one run.
fn snapshot(name: String, text: String) -> Option<String> {
    let checked = std::panic::catch_unwind(move || {
        insta::with_settings!({ snapshot_path => "cases/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, text);
        });
    });
    checked.is_err().then(|| "snapshot differs (see the diff above)".to_string())
}

fn report_failures(what: &str, count: usize, failures: &[String]) {
    assert!(failures.is_empty(), "{} of {count} {what} failed:\n\n{}\n", failures.len(), failures.join("\n\n"));
}

// ------------------------------------------------------------ invalid files

/// `tests/cases/invalid/expect.txt`: file name → the codes it must report.
fn expectations() -> Result<BTreeMap<String, BTreeSet<Code>>, String> {
    let path = root().join("tests/cases/invalid/expect.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read expect.txt: {e}"))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("expect.txt:{}", i + 1);
        let (file, list) = line.split_once(':').ok_or_else(|| format!("{at}: expected `file_name.json: E0xxx[, E0xxx…]`"))?;
        let mut codes = BTreeSet::new();
        for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            codes.insert(Code::parse(word).ok_or_else(|| format!("{at}: `{word}` is not a diagnostic code"))?);
        }
        if codes.is_empty() {
            return Err(format!("{at}: no code listed for {file}"));
        }
        if out.insert(file.trim().to_string(), codes).is_some() {
            return Err(format!("{at}: {file} is listed twice"));
        }
    }
    Ok(out)
}

/// Loads one `.json` file through the loader `vplc check` uses; returns what
/// went wrong with it, if anything.
fn run_invalid(path: &Path, expected: &BTreeSet<Code>, vocab: &Vocab) -> Option<String> {
    let name = format!("tests/cases/invalid/{}", file_name(path));
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Some(format!("{name}: cannot read: {e}")),
    };
    let mut sources = SourceMap::new();
    let file = sources.add(name.clone(), text.clone());
    let diags = match load_case(file, 0, &text, vocab, LoadOptions::default()) {
        Ok(case) => return Some(format!("{name}: loaded without error as case `{}`", case.id)),
        Err(d) => d,
    };
    let rendered = vplc::report::render(vplc::cli::ErrorFormat::Human, false, &sources, &diags);
    let actual: BTreeSet<Code> = diags.iter().map(|d| d.code).collect();
    let mut problems = Vec::new();
    if &actual != expected {
        let shown: Vec<String> = diags.iter().map(|d| format!("    {}: {}", d.code.as_str(), d.message)).collect();
        problems.push(format!("expected {}, got {}:\n{}", code_list(expected), code_list(&actual), shown.join("\n")));
    }
    problems.extend(snapshot(format!("invalid-{}", stem(path)), format!("{text}\n----- diagnostics -----\n{rendered}")));
    (!problems.is_empty()).then(|| format!("{name}: {}", problems.join("; ")))
}

#[test]
fn every_invalid_case_file_reports_exactly_its_expected_codes() {
    let (_, vocab) = setup().unwrap_or_else(|e| panic!("{e}"));
    let expected = match expectations() {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let files = files_in("tests/cases/invalid", &["json"]);
    let mut failures = Vec::new();
    let names: BTreeSet<String> = files.iter().map(|p| file_name(p)).collect();
    let batches: BTreeSet<String> = files_in("tests/cases/invalid", &["jsonl"]).iter().map(|p| file_name(p)).collect();
    for listed in expected.keys() {
        if !names.contains(listed) && !batches.contains(listed) {
            failures.push(format!("expect.txt lists {listed}, which does not exist"));
        }
    }
    for path in &files {
        match expected.get(&file_name(path)) {
            Some(codes) => failures.extend(run_invalid(path, codes, &vocab)),
            None => failures.push(format!("tests/cases/invalid/{}: not listed in expect.txt", file_name(path))),
        }
    }
    let count = files.len() + batches.len();
    report_failures("invalid case files", count, &failures);
    assert!(count >= MIN_INVALID, "only {count} invalid case files; the suite promises at least {MIN_INVALID}");
}

// ------------------------------------------------------------ JSON Lines

/// The `.jsonl` batches: each line loaded on its own (good lines must load),
/// and the whole file through the real binary, whose output is snapshotted.
#[test]
fn a_batch_reports_its_bad_lines_and_checks_the_good_ones() {
    let (_, vocab) = setup().unwrap_or_else(|e| panic!("{e}"));
    let expected = expectations().unwrap_or_else(|e| panic!("{e}"));
    let batches = files_in("tests/cases/invalid", &["jsonl"]);
    assert!(!batches.is_empty(), "no .jsonl batch in tests/cases/invalid");
    let mut failures = Vec::new();
    for path in &batches {
        let rel = format!("tests/cases/invalid/{}", file_name(path));
        let Some(codes) = expected.get(&file_name(path)) else {
            failures.push(format!("{rel}: not listed in expect.txt"));
            continue;
        };
        failures.extend(run_batch(path, &rel, codes, &vocab));
    }
    report_failures("batches", batches.len(), &failures);
}

fn run_batch(path: &Path, rel: &str, expected: &BTreeSet<Code>, vocab: &Vocab) -> Vec<String> {
    let mut problems = Vec::new();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    // Line by line, each at its offset in the file.
    let mut good = Vec::new();
    let mut bad = 0;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        if !body.trim().is_empty() {
            let mut sources = SourceMap::new();
            let file = sources.add(rel.to_string(), text.clone());
            match load_case(file, offset, body, vocab, LoadOptions::default()) {
                Ok(case) => good.push(case.id),
                Err(diags) => {
                    bad += 1;
                    for d in &diags {
                        for l in &d.labels {
                            let (s, e) = (l.span.start as usize, l.span.end as usize);
                            if s < offset || e > offset + body.len().max(1) {
                                problems.push(format!("{rel}:{}: a label of {} lies outside its line", i + 1, d.code.as_str()));
                            }
                        }
                    }
                }
            }
        }
        offset += line.len();
    }
    if good.is_empty() || bad == 0 {
        problems.push(format!("{rel}: a batch fixture needs good and bad lines (good: {}, bad: {bad})", good.len()));
    }
    // The whole batch through `vplc check`, in-process: bad input, exit 2.
    let as_of = "2024-03-20T00:00:00+08:00";
    let code = vplc::run_args(["vplc", "check", &abs("examples/quickstart.vpl"), &abs(rel), "--as-of", as_of]);
    if code != 2 {
        problems.push(format!("{rel}: `vplc check` exited {code}, expected 2"));
    }
    // And through the real binary, to see what a user sees.
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vplc"))
            .current_dir(root())
            .env("NO_COLOR", "1")
            .args(["--error-format", format, "check", "examples/quickstart.vpl", rel, "--as-of", as_of])
            .output()
    };
    let (Ok(human), Ok(json)) = (run("human"), run("json")) else {
        problems.push(format!("{rel}: cannot run the vplc binary"));
        return problems;
    };
    let stdout = String::from_utf8_lossy(&human.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&human.stderr).into_owned();
    if human.status.code() != Some(2) {
        problems.push(format!("{rel}: the binary exited {:?}, expected 2", human.status.code()));
    }
    for id in &good {
        if !stdout.contains(&format!("case {id}\n")) {
            problems.push(format!("{rel}: good line `{id}` was not checked"));
        }
    }
    let actual: BTreeSet<Code> = String::from_utf8_lossy(&json.stderr)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("code").and_then(|c| c.as_str()).and_then(Code::parse))
        .collect();
    if &actual != expected {
        problems.push(format!("{rel}: expected {}, got {}", code_list(expected), code_list(&actual)));
    }
    problems.extend(snapshot(
        format!("invalid-{}", stem(path)),
        format!("{text}\n----- vplc check (stderr) -----\n{stderr}\n----- vplc check (stdout) -----\n{stdout}"),
    ));
    problems.into_iter().map(|p| if p.starts_with(rel) { p } else { format!("{rel}: {p}") }).collect()
}

// ------------------------------------------------------------ valid files

/// Instruments a case's expectations name, in order of first mention.
fn named_instruments(case: &Case) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in &case.expect {
        if !out.contains(&e.instrument) {
            out.push(e.instrument.clone());
        }
    }
    out
}

/// The expectations of a case that do not hold.
fn unmet(case: &Case, reports: &[CaseReport]) -> Vec<String> {
    let mut out = Vec::new();
    for e in &case.expect {
        let Some(r) = reports.iter().find(|r| r.instrument == e.instrument) else { continue };
        let who = e.actor.as_ref().map_or_else(String::new, |a| format!("@{a}"));
        let hits: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.duty == e.key || f.row == e.key || f.cite.display == e.key)
            .filter(|f| e.actor.as_ref().is_none_or(|a| *a == f.actor))
            .collect();
        if hits.is_empty() {
            out.push(format!("{} {}{who}: expected {}, but no finding", e.instrument, e.key, e.status.as_str()));
        } else if hits.iter().any(|f| f.status != e.status) {
            let got: Vec<String> = hits.iter().map(|f| format!("{} ({}, {})", f.status.as_str(), f.duty, f.actor)).collect();
            out.push(format!("{} {}{who}: expected {}, got {}", e.instrument, e.key, e.status.as_str(), got.join("; ")));
        }
    }
    out
}

fn run_valid(path: &Path, compiled: &[Compiled], vocab: &Vocab) -> Option<String> {
    let name = format!("tests/cases/valid/{}", file_name(path));
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut sources = SourceMap::new();
    let file = sources.add(name.clone(), text.clone());
    let case = match load_case(file, 0, &text, vocab, LoadOptions::default()) {
        Ok(c) => c,
        Err(diags) => {
            let shown = vplc::report::render(vplc::cli::ErrorFormat::Human, false, &sources, &diags);
            return Some(format!("{name}: does not load:\n{shown}"));
        }
    };
    let Some(as_of) = case.as_of else { return Some(format!("{name}: a valid fixture needs a fixed `as_of`")) };
    let wanted = named_instruments(&case);
    if wanted.is_empty() {
        return Some(format!("{name}: a valid fixture needs `expect`"));
    }
    let mut problems = Vec::new();
    let mut reports = Vec::new();
    for id in &wanted {
        match compiled.iter().find(|c| c.table().instrument.id == *id) {
            Some(c) => reports.push(check_case(c, &case, &as_of)),
            None => problems.push(format!("no instrument `{id}`")),
        }
    }
    problems.extend(unmet(&case, &reports));
    let style = vpl_eval::render::Style { color: false, explain: true, width: None };
    let mut human = vpl_eval::render::case_heading(&case.id, case.title.as_deref(), &as_of.to_string());
    for r in &reports {
        human.push('\n');
        human.push_str(&vpl_eval::render::report(r, &style));
    }
    let json: Vec<String> = reports.iter().map(|r| serde_json::to_string_pretty(r).unwrap_or_default()).collect();
    problems.extend(snapshot(
        format!("valid-{}", stem(path)),
        format!("{text}\n----- vplc check --explain -----\n{human}\n----- vplc check --format json -----\n{}\n", json.join("\n")),
    ));
    (!problems.is_empty()).then(|| format!("{name}: {}", problems.join("; ")))
}

#[test]
fn every_valid_case_file_meets_its_expectations() {
    let (compiled, vocab) = setup().unwrap_or_else(|e| panic!("{e}"));
    let files = files_in("tests/cases/valid", &["json"]);
    let failures: Vec<String> = files.iter().filter_map(|p| run_valid(p, &compiled, &vocab)).collect();
    report_failures("valid case files", files.len(), &failures);
    assert!(files.len() >= MIN_VALID, "only {} valid case files; the suite promises at least {MIN_VALID}", files.len());
}

/// Between them, the valid fixtures show every status a finding can have.
#[test]
fn the_valid_cases_cover_every_status() {
    let (_, vocab) = setup().unwrap_or_else(|e| panic!("{e}"));
    let mut seen = BTreeSet::new();
    for path in files_in("tests/cases/valid", &["json"]) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Ok(case) = load_case(vpl_core::FileId(0), 0, &text, &vocab, LoadOptions::default()) {
            seen.extend(case.expect.iter().map(|e| e.status));
        }
    }
    let missing: Vec<&str> = vpl_eval::Status::ALL.iter().filter(|s| !seen.contains(*s)).map(|s| s.as_str()).collect();
    assert!(missing.is_empty(), "no valid case expects: {}", missing.join(", "));
}

// ------------------------------------------------------------ the CLI

#[test]
fn vplc_test_passes_on_the_valid_folder() {
    let mut args = vec!["vplc".to_string(), "test".into(), abs("tests/cases/valid")];
    for p in EXTRA_POLICIES {
        args.push("--policy".into());
        args.push(abs(p));
    }
    assert_eq!(vplc::run_args(args), 0, "`vplc test tests/cases/valid` failed (see its output above)");
}

#[test]
fn vplc_check_exit_codes() {
    let check = |case: &str| vplc::run_args(["vplc", "check", &abs("examples/quickstart.vpl"), &abs(case)]);
    assert_eq!(check("tests/cases/valid/qs_utc_evening_is_next_day_in_beijing.json"), 0, "nothing late, missed or breached");
    assert_eq!(check("tests/cases/valid/qs_breach_publication_before_fix.json"), 1, "a breach");
    assert_eq!(check("tests/cases/valid/qs_makeup_saturday_not_extended.json"), 1, "a late report");
    assert_eq!(check("tests/cases/invalid/trailing_comma.json"), 2, "a bad file");
    assert_eq!(check("tests/cases/invalid/several_independent_mistakes.json"), 2, "a bad file");
}

/// The loader's fast path (serde) must read exactly what the spanned loader
/// reads: every case file of the suites and the examples, with its `expect`
/// block removed (the fast path leaves those to the spanned loader), and
/// every line of every batch, gives the same case or fails in both; and every
/// malformed file gives the spanned loader's diagnostics unchanged.
#[test]
fn the_fast_loader_agrees_with_the_spanned_loader() {
    let (_, vocab) = setup().unwrap();
    let opts = LoadOptions::default();
    let mut texts: Vec<(String, String)> = Vec::new();
    for dir in ["tests/cases/valid", "tests/cases/invalid", "examples/cases"] {
        for path in files_in(dir, &["json", "jsonl"]) {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.display().to_string();
            if name.ends_with(".jsonl") {
                texts.extend(text.lines().enumerate().map(|(i, l)| (format!("{name}:{}", i + 1), l.to_string())));
                continue;
            }
            if let Ok(serde_json::Value::Object(mut m)) = serde_json::from_str::<serde_json::Value>(&text) {
                if m.remove("expect").is_some() {
                    texts.push((format!("{name} without expect"), serde_json::Value::Object(m).to_string()));
                }
            }
            texts.push((name, text));
        }
    }
    let (mut fast_ok, mut failures) = (0, Vec::new());
    for (name, text) in &texts {
        let fast = load_case(vpl_core::FileId(0), 0, text, &vocab, opts);
        let spanned = vpl_eval::load::load_case_spanned(vpl_core::FileId(0), 0, text, &vocab, opts);
        fast_ok += usize::from(fast.is_ok() && !text.contains("\"expect\""));
        if format!("{fast:?}") != format!("{spanned:?}") {
            failures.push(name.clone());
        }
    }
    assert!(failures.is_empty(), "the loaders disagree on: {failures:#?}");
    assert!(fast_ok >= 40, "only {fast_ok} cases went through the fast path");
}

/// Damaged case files, made from every good one by deterministic mutations
/// (a cut, a dropped or doubled stretch, a character replaced by JSON
/// punctuation, a digit changed): the loader never panics; every
/// diagnostic has a primary label inside the text; the fast and the spanned
/// loader still agree; and whatever still loads is checked against every
/// instrument without a panic.
#[test]
fn damaged_case_files_get_diagnostics_never_a_panic() {
    let (compiled, vocab) = setup().unwrap();
    let opts = LoadOptions::default();
    let mut damage = damage::Damage::new(0x9e37_79b9_7f4a_7c15, &['{', '}', '[', ']', ',', ':', '"', '\\', 'x', '-', ' '], 40);
    let as_of = vpl_time::When::Day("2026-06-30".parse().unwrap());
    let (mut damaged, mut loaded, mut diagnosed) = (0, 0, 0);
    for dir in ["tests/cases/valid", "examples/cases"] {
        for path in files_in(dir, &["json"]) {
            let text = std::fs::read_to_string(&path).unwrap();
            for _ in 0..24 {
                let bad = damage.apply(&text);
                damaged += 1;
                let fast = load_case(vpl_core::FileId(0), 0, &bad, &vocab, opts);
                let spanned = vpl_eval::load::load_case_spanned(vpl_core::FileId(0), 0, &bad, &vocab, opts);
                assert_eq!(format!("{fast:?}"), format!("{spanned:?}"), "{}: the loaders disagree on\n{bad}", path.display());
                match fast {
                    Ok(case) => {
                        loaded += 1;
                        for c in &compiled {
                            check_case(c, &case, case.as_of.as_ref().unwrap_or(&as_of));
                        }
                    }
                    Err(diags) => {
                        diagnosed += 1;
                        assert!(!diags.is_empty(), "{}: an error without a diagnostic", path.display());
                        for d in &diags {
                            let primary = d.labels.iter().find(|l| l.primary);
                            assert!(
                                primary.is_some_and(|l| l.span.start <= l.span.end && l.span.end as usize <= bad.len()),
                                "{}: `{}` has no primary label inside the text:\n{bad}",
                                path.display(),
                                d.message
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(damaged >= 1000, "only {damaged} damaged files");
    assert!(loaded >= 100 && diagnosed >= 500, "{loaded} loaded, {diagnosed} diagnosed of {damaged}");
}
