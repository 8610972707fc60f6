//! Snapshot-tested amendments: `tests/amendments/KIND/{old,new}.vpl` is one
//! pair of small policies per kind of change `vpl_core::diff` knows (plus a
//! formatting- and comment-only pair whose diff must be empty). Each pair's
//! text and JSON diff is a reviewed snapshot; every witness `vplc diff
//! --cases` prints is checked, independently, to flip under the two
//! versions; the case impact of a tightened deadline is a snapshot; and
//! `git diff` with the driver documented in docs/git.md shows the semantic diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation should stop the test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use vpl_core::diff::ChangeKind;
use vpl_core::DecisionTable;
use vpl_eval::{Compiled, LoadOptions, Vocab};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The pairs, by directory name, in a stable order.
fn pairs() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("tests/amendments"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("old.vpl").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn compile(path: &Path) -> DecisionTable {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.display().to_string();
    let c = vpl_core::compile(&name, &text, &vplc::input::resolve_import);
    let rendered = vplc::report::render(vplc::cli::ErrorFormat::Plain, false, &c.sources, &c.diagnostics);
    assert!(c.diagnostics.is_empty(), "{name} is not clean:\n{rendered}");
    c.table.unwrap()
}

fn pair_tables(kind: &str) -> (DecisionTable, DecisionTable) {
    let dir = root().join("tests/amendments").join(kind);
    (compile(&dir.join("old.vpl")), compile(&dir.join("new.vpl")))
}

fn kind_name(k: ChangeKind) -> String {
    serde_json::to_value(k).unwrap().as_str().unwrap().to_string()
}

#[test]
fn every_change_kind_has_a_pair() {
    let have = pairs();
    for k in ChangeKind::ALL {
        assert!(have.contains(&kind_name(*k)), "tests/amendments/{} is missing", kind_name(*k));
    }
    assert!(have.contains(&"formatting_only".to_string()));
    assert_eq!(have.len(), ChangeKind::ALL.len() + 1, "one pair per kind, and the formatting-only pair: {have:?}");
}

#[test]
fn each_pair_gives_its_kind_and_matches_its_snapshots() {
    for kind in pairs() {
        let (old, new) = pair_tables(&kind);
        let d = vpl_core::diff::diff(&old, &new);
        let kinds: std::collections::BTreeSet<String> = d.changes.iter().map(|c| kind_name(c.kind)).collect();
        if kind == "formatting_only" {
            assert!(d.is_empty(), "layout and comments changed the meaning: {kinds:?}");
        } else {
            assert_eq!(kinds.into_iter().collect::<Vec<_>>(), std::slice::from_ref(&kind), "{kind}");
        }
        let text = format!(
            "{}\n----- markdown -----\n{}\n----- json -----\n{}\n",
            vpl_core::diff::text(&d),
            vpl_core::diff::markdown(&d),
            serde_json::to_string_pretty(&d).unwrap()
        );
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("amendment_{kind}"), text);
        });
    }
}

/// Statuses (and, for violations, penalties) of a duty for one actor: what a flip is judged on.
fn verdict(c: &Compiled, case: &vpl_eval::Case, duty: Option<&str>, actor: &str) -> Vec<(String, Vec<String>)> {
    let Some(duty) = duty else { return Vec::new() };
    let as_of = case.as_of.unwrap();
    let r = vpl_eval::check_case(c, case, &as_of);
    r.findings
        .iter()
        .filter(|f| f.duty == duty && f.actor == actor)
        .map(|f| {
            let pen = if f.status.is_violation() { f.penalty.iter().map(|p| p.penalty.clone()).collect() } else { Vec::new() };
            (f.status.as_str().to_string(), pen)
        })
        .collect()
}

/// Every witness is checked here again, without the witness module: its
/// text loads against each version's vocabulary on its own (as `vplc check`
/// loads it), `vplc check` accepts it, and the duty's verdict differs.
#[test]
fn every_witness_flips() {
    let mut built = 0;
    for kind in pairs() {
        let (old, new) = pair_tables(&kind);
        let d = vpl_core::diff::diff(&old, &new);
        let (old, new) = (Compiled::new(old).unwrap(), Compiled::new(new).unwrap());
        let pairs = vpl_core::diff::pairs(old.table(), new.table());
        for pair in vpl_eval::witness::changed_pairs(&pairs, &d) {
            let w = match vpl_eval::witness::witness(&old, &new, &d, &pair) {
                Ok(w) => w,
                Err(why) => {
                    assert_eq!(kind, "renumbered", "no witness for {kind} {pair:?}: {why}");
                    continue;
                }
            };
            built += 1;
            let load = |c: &Compiled| {
                vpl_eval::load_case(vpl_core::FileId(0), 0, &w.text, &Vocab::new([&c.table().vocabulary]), LoadOptions::default())
                    .unwrap_or_else(|e| panic!("{kind}: the witness does not load: {e:?}\n{}", w.text))
            };
            let (case_old, case_new) = (load(&old), load(&new));
            let actor = &case_old.actors[0].id;
            let a = verdict(&old, &case_old, pair.0.as_deref(), actor);
            let b = verdict(&new, &case_new, pair.1.as_deref(), actor);
            assert_ne!(a, b, "{kind}: the witness does not flip\n{}", w.text);
            // Its statuses are the ones reported.
            let said: Vec<String> = w.flip.old.iter().map(|v| v.status.as_str().to_string()).collect();
            assert_eq!(said, a.iter().map(|x| x.0.clone()).collect::<Vec<_>>(), "{kind}");
            // `vplc check` loads it (exit 0 or 1, never 2) under each version.
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join(&w.file);
            std::fs::write(&file, &w.text).unwrap();
            for v in ["old", "new"] {
                let policy = root().join("tests/amendments").join(&kind).join(format!("{v}.vpl"));
                let code = vplc::run_args(["vplc", "check", &policy.display().to_string(), &file.display().to_string()]);
                assert_ne!(code, 2, "{kind}: vplc check rejects the witness under {v}\n{}", w.text);
            }
        }
    }
    // Every kind but renumbering and formatting has a witness.
    assert!(built >= ChangeKind::ALL.len() - 1, "only {built} witnesses");
}

/// The headline amendment: every witness for the 2019 draft → 2021
/// Provisions flips too (each loaded and checked again here).
#[test]
fn every_witness_of_the_2019_draft_to_the_2021_provisions_flips() {
    let table = |id: &str| {
        let b = vpl_core::bundled::policy(id).unwrap();
        vpl_core::compile(b.name, b.text, &vpl_core::no_files).table.unwrap()
    };
    let (old, new) = (table("cn/vuln-draft-2019"), table("cn/provisions-2021"));
    let d = vpl_core::diff::diff(&old, &new);
    let (old, new) = (Compiled::new(old).unwrap(), Compiled::new(new).unwrap());
    let pairs = vpl_core::diff::pairs(old.table(), new.table());
    let (mut built, mut none) = (0, Vec::new());
    for pair in vpl_eval::witness::changed_pairs(&pairs, &d) {
        let w = match vpl_eval::witness::witness(&old, &new, &d, &pair) {
            Ok(w) => w,
            Err(why) => {
                none.push(format!("{pair:?}: {why}"));
                continue;
            }
        };
        built += 1;
        let load = |c: &Compiled| {
            vpl_eval::load_case(vpl_core::FileId(0), 0, &w.text, &Vocab::new([&c.table().vocabulary]), LoadOptions::default())
                .unwrap()
        };
        let (case_old, case_new) = (load(&old), load(&new));
        let actor = &case_old.actors[0].id;
        let a = verdict(&old, &case_old, pair.0.as_deref(), actor);
        let b = verdict(&new, &case_new, pair.1.as_deref(), actor);
        assert_ne!(a, b, "{pair:?}: the witness does not flip\n{}", w.text);
    }
    // Only penalty changes of duties a person must judge under both versions
    // (`immediately`, a standing duty) have none.
    assert!(built >= 40, "{built} witnesses; none for {none:#?}");
    assert!(none.iter().all(|n| n.contains("changed penalties never show")), "{none:#?}");
}

fn vplc_bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vplc"));
    c.current_dir(root()).env("NO_COLOR", "1");
    c
}

fn run_bin(args: &[&str]) -> (i32, String, String) {
    let out = vplc_bin().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// A maintainer tightens a deadline: the case whose verdict flips is listed,
/// with the duty, the actor and why; the case that does not flip is not.
#[test]
fn case_impact_of_a_tightened_deadline() {
    let dir = "tests/amendments/deadline_tightened";
    let (old, new, cases) = (format!("{dir}/old.vpl"), format!("{dir}/new.vpl"), format!("{dir}/cases"));
    let (code, text, err) = run_bin(&["diff", &old, &new, "--cases", &cases]);
    assert_eq!(code, 1, "{err}");
    assert!(text.contains("report-on-day-3") && !text.contains("report-next-day ("), "{text}");
    assert!(text.contains("met → late"), "{text}");
    let (code, md, _) = run_bin(&["diff", &old, &new, "--cases", &cases, "--format", "md"]);
    assert_eq!(code, 1);
    let (code, json, _) = run_bin(&["diff", &old, &new, "--cases", &cases, "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["cases"]["checked"], 2);
    assert_eq!(v["cases"]["changed"][0]["flips"][0]["old"][0]["status"], "met");
    assert_eq!(v["cases"]["changed"][0]["flips"][0]["new"][0]["status"], "late");
    // The same cases as JSON Lines, one a line.
    let tmp = tempfile::tempdir().unwrap();
    let lines: Vec<String> = ["report-next-day", "report-on-day-3"]
        .iter()
        .map(|c| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(root().join(&cases).join(format!("{c}.json"))).unwrap()).unwrap();
            serde_json::to_string(&v).unwrap()
        })
        .collect();
    let jsonl = tmp.path().join("cases.jsonl");
    std::fs::write(&jsonl, lines.join("\n") + "\n").unwrap();
    let (code, out, _) = run_bin(&["diff", &old, &new, "--cases", &jsonl.display().to_string(), "--format", "json"]);
    assert_eq!(code, 1);
    let w: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(w["cases"]["checked"], 2);
    assert_eq!(w["cases"]["changed"][0]["flips"], v["cases"]["changed"][0]["flips"]);
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("case_impact_deadline_tightened", format!("{text}\n----- markdown -----\n{md}\n----- json -----\n{json}"));
    });
}

/// When no case exercises a changed duty, a witness is printed (text, md, JSON).
#[test]
fn witness_output_of_a_loosened_deadline() {
    let dir = "tests/amendments/deadline_loosened";
    let cases = "tests/amendments/deadline_tightened/cases";
    let (old, new) = (format!("{dir}/old.vpl"), format!("{dir}/new.vpl"));
    let (code, text, err) = run_bin(&["diff", &old, &new, "--cases", cases]);
    assert_eq!(code, 1, "{err}");
    assert!(text.contains("0 whose verdicts change") && text.contains("witness-report.json"), "{text}");
    let (_, md, _) = run_bin(&["diff", &old, &new, "--cases", cases, "--format", "md"]);
    let (_, json, _) = run_bin(&["diff", &old, &new, "--cases", cases, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["witnesses"][0]["flip"]["old"][0]["status"], "late");
    assert_eq!(v["witnesses"][0]["flip"]["new"][0]["status"], "met");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("witness_deadline_loosened", format!("{text}\n----- markdown -----\n{md}\n----- json -----\n{json}"));
    });
}

/// Git's seven arguments, as git passes them for an added file and a modified one.
#[test]
fn git_external_takes_gits_seven_arguments() {
    let d = "tests/amendments/deadline_tightened";
    let (old, new) = (format!("{d}/old.vpl"), format!("{d}/new.vpl"));
    let (code, text, err) = run_bin(&["diff", "--git-external", "p.vpl", &old, "1111111", "100644", &new, "2222222", "100644"]);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("vplc diff a/p.vpl b/p.vpl\n") && text.contains("deadline tightened"), "{text}");
    let (code, text, _) = run_bin(&["diff", "--git-external", "p.vpl", "/dev/null", ".", ".", &new, "2222222", "100644"]);
    assert_eq!(code, 0);
    assert!(text.contains("4 added"), "{text}");
    let (code, text, _) = run_bin(&["diff", "--git-external", "p.vpl", &old, "1111111", "100644", "/dev/null", ".", "."]);
    assert_eq!(code, 0);
    assert!(text.contains("4 removed"), "{text}");
    let (code, text, _) = run_bin(&["diff", "--git-external", "p.vpl"]);
    assert_eq!((code, text.as_str()), (0, "* Unmerged path p.vpl\n"));
    assert_eq!(run_bin(&["diff", "--git-external", "p.vpl", &old, "x"]).0, 2);
    assert_eq!(run_bin(&["diff", "--git-external", "p.vpl", "/no/such", "1", "100644", &new, "2", "100644"]).0, 2);
}

/// The headline amendment over the example cases: the draft's 90-day remedy
/// becomes the Provisions' `timely` one (met → undetermined), each new duty
/// is judged once per actor even where several draft duties merged into it.
#[test]
fn case_impact_of_the_2019_draft_on_the_example_cases() {
    let (code, json, err) =
        run_bin(&["diff", "cn/vuln-draft-2019", "cn/provisions-2021", "--cases", "examples/cases", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let changed = v["cases"]["changed"].as_array().unwrap();
    assert!(v["cases"]["checked"].as_u64().unwrap() >= 30);
    for c in changed {
        let mut seen = std::collections::BTreeSet::new();
        for f in c["flips"].as_array().unwrap() {
            let k = (f["duty"].as_str().unwrap().to_string(), f["actor"].as_str().unwrap().to_string());
            assert!(seen.insert(k.clone()), "{} lists {k:?} twice", c["case"]);
        }
    }
    let log4shell = changed.iter().find(|c| c["case"] == "log4shell-downstream-vendor-report-over-weekend").unwrap();
    let remedy = log4shell["flips"].as_array().unwrap().iter().find(|f| f["duty"] == "provider_remedy").unwrap();
    assert_eq!((remedy["old"][0]["status"].as_str(), remedy["new"][0]["status"].as_str()), (Some("met"), Some("undetermined")));
    assert_eq!(remedy["old_duty"], "product_provider_remedy_product");
    assert!(remedy["why"][0].as_str().unwrap().starts_with("deadline made vague: within 90 days → timely"));
}

#[test]
fn bad_case_files_are_reported_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        "{ \"id\": \"x\", \"actors\": [], \"events\": [ { \"type\": \"no_such_event\" } ] }",
    )
    .unwrap();
    let d = "tests/amendments/deadline_tightened";
    let (code, _, err) =
        run_bin(&["diff", &format!("{d}/old.vpl"), &format!("{d}/new.vpl"), "--cases", &dir.path().display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("no_such_event"), "{err}");
}

#[test]
fn every_bundled_instrument_against_itself_is_empty() {
    for b in vpl_core::bundled::POLICIES {
        let (code, text, err) = run_bin(&["diff", b.id, b.id]);
        assert_eq!(code, 0, "{}: {err}", b.id);
        assert!(text.ends_with("no change in meaning\n"), "{}: {text}", b.id);
        let (code, json, _) = run_bin(&["diff", b.id, b.id, "--format", "json"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["changes"], serde_json::json!([]), "{}", b.id);
    }
}

fn git(dir: &Path, path_env: &str, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("PATH", path_env)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", dir.join(".gitconfig-test"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The setup of docs/git.md, exactly as documented: a commit, a tightened
/// deadline in the working tree, and `git diff` shows the semantic diff.
#[test]
fn git_diff_with_the_documented_driver() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("SKIPPED git_diff_with_the_documented_driver: git is not installed");
        return;
    }
    let doc = std::fs::read_to_string(root().join("docs/git.md")).unwrap();
    let attributes = "*.vpl diff=vpl";
    let command = "git config diff.vpl.command 'vplc diff --git-external'";
    assert!(doc.contains(attributes) && doc.contains(command), "docs/git.md no longer documents the tested setup");
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    // `vplc` on PATH, as for a user who installed it.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_vplc")).parent().unwrap();
    let path_env = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    ok(git(repo, &path_env, &["init", "-q"]));
    ok(git(repo, &path_env, &["config", "user.email", "test@example.com"]));
    ok(git(repo, &path_env, &["config", "user.name", "Test"]));
    ok(git(repo, &path_env, &["config", "commit.gpgsign", "false"]));
    std::fs::write(repo.join(".gitattributes"), format!("{attributes}\n")).unwrap();
    // The documented command, run by a shell as the user would type it.
    let sh = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(repo)
        .env("HOME", repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(sh.status.success(), "{}", String::from_utf8_lossy(&sh.stderr));
    let fixture = root().join("tests/amendments/deadline_tightened");
    std::fs::copy(fixture.join("old.vpl"), repo.join("policy.vpl")).unwrap();
    ok(git(repo, &path_env, &["add", "."]));
    ok(git(repo, &path_env, &["commit", "-q", "-m", "policy"]));
    std::fs::copy(fixture.join("new.vpl"), repo.join("policy.vpl")).unwrap();
    let out = ok(git(repo, &path_env, &["diff"]));
    assert!(out.contains("vplc diff a/policy.vpl b/policy.vpl"), "{out}");
    assert!(out.contains("deadline tightened") && out.contains("within 5 days → within 2 days"), "{out}");
    // `--no-ext-diff` still gives the line diff.
    let out = ok(git(repo, &path_env, &["diff", "--no-ext-diff"]));
    assert!(!out.contains("deadline tightened") && out.contains("-    within 5 days after aware"), "{out}");
}
