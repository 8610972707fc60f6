//! Decision-table snapshots: every bundled policy and every example policy
//! compiles, and its table is a reviewed snapshot. Changing a policy changes
//! a snapshot, so a change to a duty shows up in review.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "test code: a failed expectation should stop the test")]

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn snapshot_table(name: &str, c: &vpl_core::Compilation) {
    let rendered = vplc::report::render(vplc::cli::ErrorFormat::Plain, false, &c.sources, &c.diagnostics);
    let table = c.table.as_ref().unwrap_or_else(|| panic!("{name} does not compile:\n{rendered}"));
    let text = format!(
        "{}\n----- markdown -----\n{}\n----- diagnostics -----\n{}",
        vpl_core::table::render::text(table, None),
        vpl_core::table::render::markdown(table),
        rendered
    );
    let stem = name.trim_matches(|c| c == '<' || c == '>').replace(['/', '.'], "_");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("table_{stem}"), text);
    });
}

#[test]
fn bundled_policies_compile_and_match_their_snapshots() {
    assert!(!vpl_core::bundled::POLICIES.is_empty());
    for b in vpl_core::bundled::POLICIES {
        let c = vpl_core::compile(b.name, b.text, &vpl_core::no_files);
        assert!(!c.has_errors(), "{} has errors", b.id);
        snapshot_table(b.id, &c);
    }
}

#[test]
fn example_policies_compile_and_match_their_snapshots() {
    let dir = root().join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "vpl")).collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let name = format!("examples/{}", f.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&f).unwrap();
        let c = vpl_core::compile(&name, &text, &vplc::input::resolve_import);
        snapshot_table(&name, &c);
    }
}

#[test]
fn the_stdlib_compiles_clean() {
    // A policy that uses nothing but a calendar: any diagnostic must come from the stdlib.
    let src = "instrument t/x {\n    title en \"t\"\n    status draft published 2024-01-01\n    calendar cn\n}\n";
    let c = vpl_core::compile("t.vpl", src, &vpl_core::no_files);
    let rendered = vplc::report::render(vplc::cli::ErrorFormat::Plain, false, &c.sources, &c.diagnostics);
    assert!(c.diagnostics.is_empty(), "{rendered}");
    assert!(c.table.is_some());
}

#[test]
fn bundled_policies_are_valid_json_tables_and_round_trip() {
    for b in vpl_core::bundled::POLICIES {
        let c = vpl_core::compile(b.name, b.text, &vpl_core::no_files);
        let t = c.table.unwrap();
        let json = serde_json::to_string(&t).unwrap();
        let back: vpl_core::DecisionTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t, "{}", b.id);
    }
}

