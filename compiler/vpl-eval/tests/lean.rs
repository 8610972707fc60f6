//! The lean path (`verdicts`) must decide exactly what the full path
//! (`check_case_with`) decides: same rows, same actors, same statuses, in the
//! same order, with the same deadline and lateness — on every example and
//! valid test case, and on a few thousand generated cases.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation should stop the test"
)]

use std::path::Path;
use vpl_eval::{check_case_with, load_case, verdicts, Case, Compiled, Options, Verdict, Vocab};
use vpl_time::When;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().parent().unwrap()
}

/// Every bundled instrument, plus the example and test policies that compile on their own.
fn tables() -> Vec<Compiled> {
    let mut out: Vec<Compiled> = vpl_core::bundled::POLICIES
        .iter()
        .map(|b| Compiled::new(vpl_core::compile(b.name, b.text, &vpl_core::no_files).table.expect(b.id)).unwrap())
        .collect();
    let mut extra = vec![root().join("examples/quickstart.vpl")];
    if let Ok(dir) = std::fs::read_dir(root().join("tests/cases/policies")) {
        extra.extend(dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "vpl")));
    }
    for p in extra {
        let text = std::fs::read_to_string(&p).unwrap();
        if let Some(t) = vpl_core::compile(&p.to_string_lossy(), &text, &vpl_core::no_files).table {
            out.push(Compiled::new(t).unwrap());
        }
    }
    out
}

/// Unix seconds of a time the full path shows in RFC 3339 (whole days are skipped).
fn secs(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp())
}

fn same(c: &Compiled, case: &Case, as_of: &When, buf: &mut Vec<Verdict>) -> usize {
    // With explanations, deadlines are computed afresh each time (the lean path
    // keeps those that depend on their starting day alone, from case to case).
    let full = check_case_with(c, case, as_of, Options { explain: true });
    // Without explanations (deadlines kept), the same findings, word for word.
    let plain = check_case_with(c, case, as_of, Options::default());
    let unexplained = |fs: &[vpl_eval::Finding]| {
        fs.iter().cloned().map(|f| vpl_eval::Finding { explanation: Vec::new(), ..f }).collect::<Vec<_>>()
    };
    assert_eq!(unexplained(&plain.findings), unexplained(&full.findings), "case `{}`: plain and explained findings", case.id);
    // The names read off the loader's numbers, and read one by one: the same verdicts.
    assert!(!case.numbers.is_empty(), "case `{}`: a loaded case carries its numbers", case.id);
    let mut by_name = case.clone();
    by_name.numbers = Default::default();
    verdicts(c, &by_name, as_of, buf);
    let named = buf.clone();
    verdicts(c, case, as_of, buf);
    assert_eq!(&named, buf, "case `{}` under `{}`: by numbers and by names", case.id, c.table().instrument.id);
    let what = || format!("case `{}` under `{}` as of {as_of}", case.id, c.table().instrument.id);
    assert_eq!(full.findings.len(), buf.len(), "{}: number of verdicts", what());
    for (f, v) in full.findings.iter().zip(buf.iter()) {
        assert_eq!(f.row, c.table().rows[v.row as usize].id, "{}", what());
        assert_eq!(f.actor, case.actors[v.actor as usize].id, "{}: row {}", what(), f.row);
        assert_eq!(f.status, v.status, "{}: row {} actor {}", what(), f.row, f.actor);
        assert_eq!(f.late_by_seconds, v.late_by_secs, "{}: row {} actor {}", what(), f.row, f.actor);
        match f.due.as_deref().map(|d| (d, secs(d))) {
            Some((_, Some(s))) => assert_eq!(Some(s), v.due, "{}: row {} actor {}", what(), f.row, f.actor),
            Some((_, None)) => assert!(v.due.is_some(), "{}: row {} actor {}", what(), f.row, f.actor),
            None => assert_eq!(None, v.due, "{}: row {} actor {}", what(), f.row, f.actor),
        }
    }
    buf.len()
}

#[test]
fn lean_verdicts_match_findings_on_every_case_file() {
    let tables = tables();
    let vocab = Vocab::new(tables.iter().map(|c| &c.table().vocabulary));
    let mut buf = Vec::new();
    let (mut cases, mut verdict_count) = (0, 0);
    for dir in ["examples/cases", "tests/cases/valid"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join(dir)).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files.iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
            let text = std::fs::read_to_string(p).unwrap();
            let Ok(case) = load_case(vpl_core::FileId(0), 0, &text, &vocab, Default::default()) else { continue };
            cases += 1;
            let fixed = [When::Day("2024-12-31".parse().unwrap()), When::Day("2021-08-01".parse().unwrap())];
            for as_of in case.as_of.iter().chain(fixed.iter()) {
                for c in &tables {
                    verdict_count += same(c, &case, as_of, &mut buf);
                }
            }
        }
    }
    assert!(cases >= 40, "only {cases} case files loaded");
    assert!(verdict_count > 1000, "only {verdict_count} verdicts compared");
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            Some(&v[self.below(v.len())])
        }
    }
}

fn value(rng: &mut Rng, ty: &str, vocab: &vpl_core::table::model::Vocabulary) -> Option<serde_json::Value> {
    Some(match ty {
        "bool" => serde_json::Value::Bool(rng.chance(50)),
        "int" => serde_json::json!(rng.below(2_000_000)),
        "text" => serde_json::json!(["a", "b", "miit_platform"][rng.below(3)]),
        "date" => serde_json::json!(format!("202{}-0{}-1{}", rng.below(5), 1 + rng.below(9), rng.below(10))),
        other => serde_json::json!(rng.pick(&vocab.enums.iter().find(|e| e.name == other)?.variants)?),
    })
}

fn time(rng: &mut Rng) -> String {
    let (y, m, d) = (2021 + rng.below(4), 1 + rng.below(12), 1 + rng.below(28));
    if rng.chance(30) {
        format!("{y}-{m:02}-{d:02}")
    } else {
        let zone = ["+08:00", "+00:00", "-05:00"][rng.below(3)];
        format!("{y}-{m:02}-{d:02}T{:02}:{:02}:00{zone}", rng.below(24), rng.below(4) * 15)
    }
}

fn generated_case(rng: &mut Rng, i: usize, vocab: &vpl_core::table::model::Vocabulary) -> String {
    let mut facts = serde_json::Map::new();
    for f in &vocab.facts {
        if rng.chance(80) {
            if let Some(v) = value(rng, &f.r#type, vocab) {
                facts.insert(f.name.clone(), v);
            }
        }
    }
    let mut actors = Vec::new();
    let mut roles_of: Vec<Vec<String>> = Vec::new();
    for a in 0..1 + rng.below(3) {
        let mut roles: Vec<String> = Vec::new();
        for _ in 0..1 + rng.below(2) {
            let r = rng.pick(&vocab.roles).unwrap().name.clone();
            if !roles.contains(&r) {
                roles.push(r);
            }
        }
        let mut attrs = serde_json::Map::new();
        for r in &roles {
            for at in &vocab.roles.iter().find(|x| &x.name == r).unwrap().attrs {
                if rng.chance(70) {
                    if let Some(v) = value(rng, &at.r#type, vocab) {
                        attrs.insert(at.name.clone(), v);
                    }
                }
            }
        }
        // Some actors give facts of their own, which win over the case's for them.
        let mut own = serde_json::Map::new();
        if rng.chance(30) {
            for _ in 0..1 + rng.below(3) {
                let f = rng.pick(&vocab.facts).unwrap();
                if let Some(v) = value(rng, &f.r#type, vocab) {
                    own.insert(f.name.clone(), v);
                }
            }
        }
        let mut actor = serde_json::json!({"id": format!("a{a}"), "roles": roles, "attrs": attrs});
        if !own.is_empty() {
            actor["facts"] = serde_json::Value::Object(own);
        }
        actors.push(actor);
        roles_of.push(roles);
    }
    let mut events = Vec::new();
    for _ in 0..5 + rng.below(10) {
        let e = rng.pick(&vocab.events).unwrap();
        let able: Vec<usize> =
            (0..roles_of.len()).filter(|&a| e.by.is_empty() || roles_of[a].iter().any(|r| e.by.contains(r))).collect();
        let Some(&who) = rng.pick(&able) else { continue };
        let mut attrs = serde_json::Map::new();
        for f in &e.fields {
            if rng.chance(60) {
                if let Some(v) = value(rng, &f.r#type, vocab) {
                    attrs.insert(f.name.clone(), v);
                }
            }
        }
        events.push(serde_json::json!({"type": e.name, "actor": format!("a{who}"), "at": time(rng), "attrs": attrs}));
    }
    serde_json::json!({"id": format!("gen{i}"), "facts": facts, "actors": actors, "events": events}).to_string()
}

#[test]
fn lean_verdicts_match_findings_on_generated_cases() {
    let tables = tables();
    let vocab = Vocab::new(tables.iter().map(|c| &c.table().vocabulary));
    let voc = &tables[0].table().vocabulary;
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut buf = Vec::new();
    let (mut loaded, mut verdict_count) = (0, 0);
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..3_000 {
        let text = generated_case(&mut rng, i, voc);
        let Ok(case) = load_case(vpl_core::FileId(0), 0, &text, &vocab, Default::default()) else { continue };
        loaded += 1;
        let as_of = When::Day(time(&mut rng).get(..10).unwrap().parse().unwrap());
        for c in &tables {
            verdict_count += same(c, &case, &as_of, &mut buf);
            statuses.extend(buf.iter().map(|v| v.status));
        }
    }
    assert!(loaded >= 2_000, "only {loaded} of 3000 generated cases loaded");
    assert!(verdict_count > 10_000, "only {verdict_count} verdicts compared");
    assert!(statuses.len() >= 8, "the generated cases reach only {statuses:?}");
}
