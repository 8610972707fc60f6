//! AST snapshots for the grammar: small sources covering every construct,
//! parsed and serialised as JSON. Spans are not serialised (see
//! `vpl_core::span::Spanned`), and each `{"node": x}` wrapper is collapsed to
//! `x` so that a snapshot reads as the tree it describes. Snapshots live in
//! `tests/snapshots/grammar_*.snap`.
//!
//! Each source is also formatted and parsed again, which must give the same
//! tree: the formatter may change layout, never meaning.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test helpers fail by panicking")]

use serde_json::Value;
use vpl_core::syntax::{ast, parse_file};
use vpl_core::FileId;

fn parse(src: &str) -> ast::File {
    match parse_file(FileId(0), src) {
        Ok(f) => f,
        Err(e) => panic!("does not parse: {e:#?}\n{src}"),
    }
}

/// `{"node": x}` → `x`, everywhere.
fn collapse(v: Value) -> Value {
    match v {
        Value::Object(map) if map.len() == 1 && map.contains_key("node") => {
            collapse(map.into_iter().next().map(|(_, v)| v).unwrap_or(Value::Null))
        }
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, collapse(v))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(collapse).collect()),
        other => other,
    }
}

fn snapshot(name: &str, src: &str) {
    let file = parse(src);
    let formatted = vpl_core::fmt::format_source(src).unwrap_or_else(|e| panic!("does not format: {e:#?}"));
    assert!(file.same_structure(&parse(&formatted)), "formatting changed the tree of {name}:\n{formatted}");
    let tree = collapse(serde_json::to_value(&file).unwrap());
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, description => src }, {
        insta::assert_json_snapshot!(format!("grammar_{name}"), tree);
    });
}

/// A duty whose only interesting part is its `when` condition.
fn when(cond: &str) -> String {
    format!("duty d {{\n    when {cond}\n}}\n")
}

// ------------------------------------------------------------- conditions

#[test]
fn precedence_or_and_not_comparison() {
    // or < and < not < comparison: `a or (b and (not (c == d)))`.
    snapshot("precedence", &when("a or b and not c == d"));
}

#[test]
fn precedence_left_associative() {
    // Operators of one level group to the left: `(a and b) and c`, `(x == y) != z`.
    snapshot("left_assoc", &when("a and b and c or x == y != z"));
}

#[test]
fn comparison_operators() {
    snapshot("comparisons", &when("a == 1 and b != \"x\" and c < 2024-01-01 and d <= 2 days and e > 10_000 CNY and f >= -3"));
}

#[test]
fn parentheses_are_kept() {
    snapshot("parens", &when("(a or b) and not (c and (d))"));
}

#[test]
fn sets_and_membership() {
    snapshot("sets", &when("to in {mps, cac} and x in {} and y in {1, 2,}"));
}

#[test]
fn attribute_access_binds_tightest() {
    // `.` binds tighter than `not` and comparisons: `not ((bearer.cii) == true)`.
    snapshot("attribute", &when("not bearer.cii == true and bearer.a.b"));
}

#[test]
fn happened_by_where_nesting() {
    // A `where` filter runs to the end of the condition, so the second
    // `happened` is inside the first one's filter; parentheses end it early.
    snapshot("happened", &when("happened reported by collector where to == mps and happened published where channel == media"));
    snapshot("happened_parens", &when("(happened reported where to == mps) or not happened aware by product_provider"));
}

#[test]
fn literals() {
    snapshot(
        "literals",
        &when("a == true or b == false or c == 9_223_372_036_854_775_807 or d == \"tab\\t \\\"q\\\" \\\\ nl\\n\""),
    );
}

// ----------------------------------------------------------------- duties

#[test]
fn duty_with_every_clause() {
    snapshot(
        "duty",
        "/// Doc of the duty.\n///\n/// Second paragraph.\nduty report {\n    cite art 7(1)(2)\n    product_provider must reported where to == miit_platform\n    within 2 days after aware\n    when offering == product\n    unless bearer.overseas\n    unless happened published\n    penalty p1\n    penalty p2\n}\n",
    );
}

#[test]
fn modalities() {
    snapshot(
        "modalities",
        "duty a {\n    r must e\n}\n\nduty b {\n    r must not e by other\n}\n\nduty c {\n    r may e\n}\n\nduty d {\n    r encouraged e\n}\n",
    );
}

#[test]
fn every_deadline_form() {
    let forms = [
        "within 2 days",
        "within 1 working_day after aware by collector",
        "immediately after aware",
        "promptly",
        "timely after verified",
        "before remedied by product_provider",
        "30 days before published where channel == media",
        "with published",
        "for at least 6 months",
        "after aware",
    ];
    let src: String = forms
        .iter()
        .enumerate()
        .map(|(i, f)| format!("duty d{i} {{\n    r must e\n    {f}\n}}\n"))
        .collect::<Vec<_>>()
        .join("\n");
    snapshot("deadlines", &src);
}

#[test]
fn citations() {
    snapshot("citations", "duty a {\n    cite art 7\n}\n\nduty b {\n    cite art 7(1)\n}\n\nduty c {\n    cite art 7(1)(2)\n}\n");
}

// ---------------------------------------------------------- instruments

#[test]
fn instrument_in_force() {
    snapshot(
        "instrument_in_force",
        "use cn/csl-2016\n\n/// Doc.\ninstrument cn/provisions-2021 {\n    title zh \"网络产品安全漏洞管理规定\"\n    title en \"Provisions\"\n    issued_by \"工业和信息化部\", \"公安部\"\n    number \"工信部联网安〔2021〕66号\"\n    status in_force issued 2021-07-12 effective 2021-09-01\n    calendar cn\n    excerpt \"arts. 1-2 only\"\n}\n",
    );
}

#[test]
fn instrument_draft() {
    snapshot(
        "instrument_draft",
        "instrument cn/draft-2019 {\n    title en \"Draft\"\n    status draft published 2019-06-18 comments_until 2019-07-18\n    calendar cn\n}\n\ninstrument cn/draft-2020 {\n    status draft published 2020-01-01\n}\n",
    );
}

#[test]
fn articles_paragraphs_items() {
    snapshot(
        "articles",
        "article 1 {\n    zh \"第一条\"\n    en \"Article 1\"\n    no_duty \"purpose\"\n}\n\n/// Doc of article 7.\narticle 7 {\n    /// Doc of paragraph 1.\n    para 1 {\n        zh missing \"not in the sources\"\n        en \"Article 7\"\n        /// Doc of item 2.\n        item 2 {\n            en \"(2) the report\"\n        }\n    }\n}\n",
    );
}

#[test]
fn adjacent_string_literals_are_joined() {
    snapshot("adjacent_strings", "article 1 {\n    en \"one \"\n        \"two \" \"three\"\n    no_duty \"a\" \"b\"\n}\n");
}

// ------------------------------------------------------------- penalties

#[test]
fn penalties() {
    snapshot(
        "penalty",
        "/// CSL art. 59 ¶1.\npenalty csl2016_art59_1 {\n    cite art 59(1)\n    measures order_correction, warning\n    fine entity 10_000 CNY to 100_000 CNY when refused_correction or serious_consequences\n    fine person_in_charge 5000 CNY to 50_000 CNY\n}\n",
    );
}

// ------------------------------------------------------------ vocabulary

#[test]
fn vocabulary_declarations() {
    snapshot(
        "vocabulary",
        "/// A role.\nrole network_operator {\n    /// Runs CII.\n    cii: bool,\n    size: int\n}\n\nrole anyone\n\nevent aware\nevent platform_filed by collector, product_provider\n\nevent reported {\n    to: authority,\n}\n\nfact offering: offering_kind\n\nenum channel {\n    /// On a website.\n    website,\n    media\n}\n\n/// Hours.\nunit hour, hours: duration hour\nunit CNY: currency\n",
    );
}

#[test]
fn calendars() {
    snapshot(
        "calendar",
        "/// Doc.\ncalendar cn {\n    zone \"Asia/Shanghai\"\n    rule civil_code_cn\n    weekend sat, sun\n    covers 2019..2026\n\n    /// The State Council notice.\n    year 2021 {\n        work 2021-02-07, 2021-02-20\n        rest 2021-01-01..2021-01-03, 2021-02-11..2021-02-17\n    }\n\n    year 2022 {\n    }\n}\n",
    );
}

#[test]
fn doc_comments_and_comments() {
    // `///` is a doc comment (in the tree); `//` and `////` are comments
    // (not in the tree); an empty `///` line is an empty doc line.
    snapshot("docs", "// a comment\n/// first\n///\n///   indented\n//// not a doc\nrole r // trailing\n");
}

// -------------------------------------------------------------- rejects

#[test]
fn keywords_are_not_names() {
    for src in ["role must\n", "event after\n", "fact when: bool\n", "duty d {\n    r must happened\n}\n"] {
        assert!(parse_file(FileId(0), src).is_err(), "should not parse: {src}");
    }
}

#[test]
fn must_not_is_one_line() {
    assert!(parse_file(FileId(0), "duty d {\n    r must\n    not e\n}\n").is_err());
    assert!(parse_file(FileId(0), "duty d {\n    r must \t not e\n}\n").is_ok());
}

#[test]
fn an_amount_and_its_unit_share_a_line() {
    assert!(parse_file(FileId(0), "duty d {\n    within 2\n    days\n}\n").is_err());
}

#[test]
/// A number then a name on one line is an amount with its unit (`3 days`),
/// whatever the name: the grammar cannot know which names are units. A
/// condition ending in a bare number therefore ends its line; when it does
/// not, the error says why (UI fixture `number_then_clause_on_one_line`).
fn a_number_ending_a_condition_then_a_clause_on_one_line() {
    for src in [
        "duty d {\n    when level > 3 product_provider must aware\n}\n",
        "penalty p {\n    fine entity 1 CNY to 2 CNY when level > 3 fine person_in_charge 1 CNY to 2 CNY\n}\n",
    ] {
        let errors = parse_file(FileId(0), src).err().unwrap_or_default();
        assert!(errors.iter().any(|d| d.message.contains("is read as an amount with its unit")), "{errors:#?}");
    }
    parse("duty d {\n    when level > 3\n    product_provider must aware\n}\n");
}
