//! `tests/data/cn_days.txt` and `stdlib/calendars/cn.vpl` come from the same generator run:
//! this test fails if one was edited or regenerated without the other.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::day;

const CN_VPL: &str = include_str!("../../../stdlib/calendars/cn.vpl");
const CN_DAYS: &str = include_str!("data/cn_days.txt");

/// The `rest`/`work` lists of cn.vpl: a keyword line and its continuation lines (which start
/// with a date), comma-separated dates and inclusive `a..b` ranges.
fn days_in_vpl(text: &str) -> BTreeMap<NaiveDate, &'static str> {
    let mut out = BTreeMap::new();
    let mut kind: Option<&'static str> = None;
    for line in text.lines().map(|l| l.split("//").next().unwrap_or("").trim()) {
        let body = if let Some(rest) = line.strip_prefix("rest ") {
            kind = Some("rest");
            rest
        } else if let Some(rest) = line.strip_prefix("work ") {
            kind = Some("work");
            rest
        } else if line.starts_with("20") && kind.is_some() {
            line
        } else {
            kind = None;
            continue;
        };
        let Some(k) = kind else { continue };
        for item in body.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (a, b) = item.split_once("..").unwrap_or((item, item));
            for d in day(a).iter_days().take_while(|d| *d <= day(b)) {
                assert!(out.insert(d, k).is_none(), "{d} listed twice in cn.vpl");
            }
        }
    }
    out
}

#[test]
fn cn_vpl_and_the_test_data_list_the_same_days() {
    let vpl = days_in_vpl(CN_VPL);
    let txt: BTreeMap<NaiveDate, &str> = CN_DAYS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (d, k) = l.split_once(' ').unwrap();
            (day(d), if k == "rest" { "rest" } else { "work" })
        })
        .collect();
    assert!(vpl.len() > 250, "parsed only {} days from cn.vpl", vpl.len());
    assert_eq!(vpl, txt, "regenerate with scripts/gen_cn_calendar.py");
    assert!(CN_VPL.contains("covers 2019..2026") && CN_VPL.contains("zone \"Asia/Shanghai\""));
}
