//! The UI diagnostics suite: every `tests/ui/*.vpl` is a program with one
//! mistake (or a few independent ones, or none), whose header says which
//! codes compiling it must report:
//!
//! ```text
//! // expect: E0101
//! // expect: E0402, W0001
//! // expect: ok
//! ```
//!
//! The set of codes reported must equal the set expected, and the source and
//! the rendered diagnostics together are snapshotted in
//! `tests/ui/snapshots/<stem>.snap`, so a change to a message, a span or a
//! help line shows up as a reviewed diff. Fixtures whose diagnostic is still
//! wrong wait in `tests/ui/pending/` (each says why in a `// pending:` line),
//! which this suite does not run; `tests/ui/imports/` holds instruments that
//! fixtures `use`, and is not a fixture folder either.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p vplc --test ui`
//! (or `cargo insta review`), then read every changed `.snap`.

#[path = "support/damage.rs"]
mod damage;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use vpl_core::Code;

/// The suite promises at least this many fixtures (issue 2, item 9).
const MIN_FIXTURES: usize = 60;

/// Codes no `.vpl` source given to `vpl_core::compile` can produce, and why.
/// An entry is a code (`E0003`) or a family of codes (`E07xx`).
const UNTRIGGERABLE: &[(&str, &str)] = &[
    ("E0003", "compile takes a `&str`, so its input is UTF-8 already; the CLI raises E0003 when it reads a file"),
    ("E07xx", "case-file codes, raised when reading case JSON (tests/cases covers them); never by a `.vpl` source"),
];

/// Whether `entry` (`E0003` or `E07xx`) names `c`.
fn names(entry: &str, c: Code) -> bool {
    match entry.strip_suffix("xx") {
        Some(family) => c.as_str().starts_with(family),
        None => c.as_str() == entry,
    }
}

fn untriggerable(c: Code) -> bool {
    UNTRIGGERABLE.iter().any(|(entry, _)| names(entry, c))
}

/// Codes a source can trigger but whose every fixture waits in
/// `tests/ui/pending/` because the diagnostic is still wrong (each pending
/// fixture says why in its `// pending:` line). When the compiler is fixed,
/// move the fixture up and drop the entry.
const PENDING_ONLY: &[(Code, &str)] = &[];

/// The repository root: snapshots name files relative to it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One fixture: its stem, its display name, its text and the codes it expects.
struct Fixture {
    stem: String,
    name: String,
    text: String,
    expected: BTreeSet<Code>,
}

/// Every `.vpl` file of `tests/ui/<sub>`, sorted by name; folders (such as
/// `pending/` and `snapshots/` under `tests/ui/`) are skipped. Problems with a
/// header are returned as errors.
fn fixtures(sub: &str) -> Vec<Result<Fixture, String>> {
    let dir = root().join("tests/ui").join(sub);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return vec![Err(format!("cannot read {}", dir.display()))];
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "vpl"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load(p)).collect()
}

fn load(path: &Path) -> Result<Fixture, String> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let rel = path.strip_prefix(root()).unwrap_or(path);
    let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let expected = header(&text).map_err(|e| format!("{name}: {e}"))?;
    Ok(Fixture { stem, name, text, expected })
}

/// The codes named by the `// expect:` lines of the file's leading comment
/// block. `ok` stands for "no diagnostic at all".
fn header(text: &str) -> Result<BTreeSet<Code>, String> {
    let mut codes = BTreeSet::new();
    let mut seen = false;
    let mut ok = false;
    for line in text.lines().map(str::trim).take_while(|l| l.starts_with("//")) {
        let Some(list) = line.trim_start_matches('/').trim().strip_prefix("expect:") else { continue };
        seen = true;
        for word in list.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            if word == "ok" {
                ok = true;
            } else {
                codes.insert(Code::parse(word).ok_or_else(|| format!("`{word}` in the header is not a diagnostic code"))?);
            }
        }
    }
    match (seen, ok, codes.is_empty()) {
        (false, _, _) => Err("no `// expect: CODE[, CODE…]` or `// expect: ok` header".into()),
        (true, true, false) => Err("the header says both `ok` and some codes".into()),
        (true, false, true) => Err("the `// expect:` header lists no code".into()),
        _ => Ok(codes),
    }
}

fn code_list(codes: &BTreeSet<Code>) -> String {
    if codes.is_empty() {
        return "ok (none)".into();
    }
    codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// `vplc::input::resolve_import`, run from the repository root whatever the
/// test's working directory, and naming the files it finds relative to the
/// root, so that snapshots of fixtures importing `tests/ui/imports/*.vpl` do
/// not depend on the machine.
fn resolve(id: &str, from: &str) -> Option<(String, String)> {
    let root = root();
    let (name, text) = vplc::input::resolve_import(id, &root.join(from).display().to_string())?;
    let rel = Path::new(&name).strip_prefix(&root).map(|p| p.display().to_string()).unwrap_or(name);
    Some((rel, text))
}

/// Compiles one fixture, checks its codes and its snapshot; returns what
/// went wrong, if anything.
fn run(f: &Fixture) -> Option<String> {
    let c = vpl_core::compile(&f.name, &f.text, &resolve);
    let rendered = vplc::report::render(vplc::cli::ErrorFormat::Human, false, &c.sources, &c.diagnostics);
    let actual: BTreeSet<Code> = c.diagnostics.iter().map(|d| d.code).collect();
    let mut problems = Vec::new();
    if actual != f.expected {
        let shown: Vec<String> = c.diagnostics.iter().map(|d| format!("    {}: {}", d.code.as_str(), d.message)).collect();
        problems.push(format!(
            "expected {}, got {}:\n{}",
            code_list(&f.expected),
            code_list(&actual),
            if shown.is_empty() { "    (no diagnostics)".to_string() } else { shown.join("\n") }
        ));
    }
    let snapshot = format!("{}\n----- diagnostics -----\n{rendered}", f.text);
    let stem = f.stem.clone();
    let checked = std::panic::catch_unwind(move || {
        insta::with_settings!({ snapshot_path => "ui/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(stem, snapshot);
        });
    });
    if checked.is_err() {
        problems.push("snapshot differs (see the diff above)".into());
    }
    (!problems.is_empty()).then(|| format!("{}: {}", f.name, problems.join("; ")))
}

/// Snapshots left behind by a fixture that was renamed, removed or moved to
/// `pending/`: a snapshot is a claim, and a claim about nothing misleads.
fn orphan_snapshots(all: &[Result<Fixture, String>]) -> Vec<String> {
    let stems: BTreeSet<&str> = all.iter().flatten().map(|f| f.stem.as_str()).collect();
    let Ok(entries) = std::fs::read_dir(root().join("tests/ui/snapshots")) else { return Vec::new() };
    let mut orphans: Vec<String> = entries
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.strip_suffix(".snap").is_none_or(|stem| !stems.contains(stem)))
        .map(|n| format!("tests/ui/snapshots/{n}: no fixture tests/ui/*.vpl has this snapshot; delete it"))
        .collect();
    orphans.sort();
    orphans
}

#[test]
fn every_fixture_reports_exactly_its_expected_codes() {
    // The compiler recurses over trees; the deep-nesting fixtures need room.
    let worker = std::thread::Builder::new().stack_size(vplc::STACK).spawn(|| {
        let all = fixtures("");
        let count = all.len();
        let failures: Vec<String> = all
            .iter()
            .filter_map(|f| match f {
                Ok(f) => run(f),
                Err(e) => Some(e.clone()),
            })
            .collect();
        let mut failures = failures;
        failures.extend(orphan_snapshots(&all));
        (count, failures)
    });
    let (count, failures) = worker.expect("spawn").join().expect("the suite itself panicked");
    assert!(failures.is_empty(), "{} of {count} UI fixtures failed:\n\n{}\n", failures.len(), failures.join("\n\n"));
    assert!(count >= MIN_FIXTURES, "only {count} UI fixtures; the suite promises at least {MIN_FIXTURES}");
}

#[test]
fn every_triggerable_code_has_a_fixture() {
    let codes_of = |sub: &str| -> BTreeSet<Code> { fixtures(sub).into_iter().flatten().flat_map(|f| f.expected).collect() };
    let covered = codes_of("");
    let waiting = codes_of("pending");
    let pending_only: BTreeSet<Code> = PENDING_ONLY.iter().map(|(c, _)| *c).collect();
    let exempt = |c: &Code| untriggerable(*c) || pending_only.contains(c);
    let missing: Vec<&str> = Code::ALL.iter().filter(|c| !covered.contains(c) && !exempt(c)).map(|c| c.as_str()).collect();
    assert!(
        missing.is_empty(),
        "no tests/ui fixture expects {}; add one, or list the code in UNTRIGGERABLE or PENDING_ONLY with the reason",
        missing.join(", ")
    );
    let stale: Vec<&str> = covered.iter().filter(|c| exempt(c)).map(|c| c.as_str()).collect();
    assert!(stale.is_empty(), "{} is exempted but a tests/ui fixture expects it; remove the exemption", stale.join(", "));
    let unknown: Vec<&str> =
        UNTRIGGERABLE.iter().map(|(entry, _)| *entry).filter(|e| !Code::ALL.iter().any(|c| names(e, *c))).collect();
    assert!(unknown.is_empty(), "UNTRIGGERABLE names codes that do not exist: {}", unknown.join(", "));
    let unbacked: Vec<&str> = PENDING_ONLY.iter().map(|(c, _)| *c).filter(|c| !waiting.contains(c)).map(|c| c.as_str()).collect();
    assert!(unbacked.is_empty(), "{} is listed in PENDING_ONLY but no tests/ui/pending fixture expects it", unbacked.join(", "));
}

/// Damaged policies, made from every bundled instrument and the quickstart
/// by deterministic mutations (a cut, a dropped or doubled stretch, a
/// character replaced by punctuation of the language): compiling never
/// panics, rendering the diagnostics never panics, and every label lies
/// inside the file it names.
#[test]
fn damaged_policies_get_diagnostics_never_a_panic() {
    let mut texts: Vec<(String, String)> =
        vpl_core::bundled::POLICIES.iter().map(|b| (b.name.to_string(), b.text.to_string())).collect();
    let qs = root().join("examples/quickstart.vpl");
    texts.push(("examples/quickstart.vpl".into(), std::fs::read_to_string(qs).unwrap_or_default()));
    let mut damage =
        damage::Damage::new(0x2545_f491_4f6c_dd1d, &['{', '}', '(', ')', '"', ',', ':', '/', 'x', '7', ' ', '\n'], 60);
    let (mut damaged, mut with_errors) = (0, 0);
    for (name, text) in &texts {
        for _ in 0..60 {
            let bad = damage.apply(text);
            damaged += 1;
            let comp = vpl_core::compile(name, &bad, &vpl_core::no_files);
            with_errors += usize::from(comp.has_errors());
            for d in &comp.diagnostics {
                for l in &d.labels {
                    let len = comp.sources.get(l.span.file).map_or(0, |f| f.text.len());
                    assert!(
                        l.span.start <= l.span.end && l.span.end as usize <= len,
                        "{name}: `{}` has a label outside its file ({}..{} of {len}):\n{bad}",
                        d.message,
                        l.span.start,
                        l.span.end
                    );
                }
            }
            vplc::report::render(vplc::cli::ErrorFormat::Human, false, &comp.sources, &comp.diagnostics);
            vplc::report::render(vplc::cli::ErrorFormat::Plain, false, &comp.sources, &comp.diagnostics);
            vplc::report::render(vplc::cli::ErrorFormat::Json, false, &comp.sources, &comp.diagnostics);
        }
    }
    assert!(damaged >= 300, "only {damaged} damaged policies");
    assert!(with_errors * 2 >= damaged, "only {with_errors} of {damaged} damaged policies have errors");
}
