//! A deterministic generator of cases (ChaCha8, seeded), with boundary cases:
//! the report exactly on the last day (23:59:59) and at 00:00 of the day
//! after, periods whose nominal last day is a weekend or a holiday (Spring
//! Festival, National Day 2019–2026), awareness around the Provisions' entry
//! into force, `as_of` one second before and at the deadline, times given in
//! UTC near local midnight, publications at the very instant of the fix.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use vpl_eval::Compiled;
use vpl_time::{Period, Unit, When};

pub struct Generator<'a> {
    rng: ChaCha8Rng,
    cal: &'a Compiled,
    rest: Vec<NaiveDate>,
    cst: FixedOffset,
}

type Ev = (DateTime<FixedOffset>, Value, bool);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl<'a> Generator<'a> {
    pub fn new(seed: u64, cal: &'a Compiled) -> Generator<'a> {
        let mut rest = Vec::new();
        let mut d = day(2019, 1, 3);
        while d <= day(2026, 12, 10) {
            if cal.calendar().is_rest_day(d).unwrap_or(false) {
                rest.push(d);
            }
            d = d.succ_opt().unwrap_or(d);
        }
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            cal,
            rest,
            cst: FixedOffset::east_opt(8 * 3600).unwrap_or(chrono::Utc.fix()),
        }
    }

    fn at(&self, d: NaiveDate, secs: u32) -> DateTime<FixedOffset> {
        let t = NaiveTime::from_num_seconds_from_midnight_opt(secs.min(86_399), 0).unwrap_or_default();
        self.cst.from_local_datetime(&d.and_time(t)).single().unwrap_or_default()
    }

    fn pick_day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(1);
        from + Duration::days(self.rng.random_range(0..span))
    }

    fn show(&mut self, t: DateTime<FixedOffset>) -> String {
        // One time in five is written in UTC (so local midnight is 16:00Z).
        if self.rng.random_bool(0.2) {
            t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        }
    }

    fn flag(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    /// One case with exactly `n_events` events (`n_events` ≥ 2).
    pub fn case(&mut self, id: usize, n_events: usize) -> String {
        let mut evs: Vec<Ev> = Vec::new();
        // --- vendor's awareness: a random day, a day whose nominal last day is a rest day,
        // or around the entry into force.
        let kind = self.rng.random_range(0..10);
        let aware_day = match kind {
            0..=2 => self.pick_day(day(2019, 1, 3), day(2026, 12, 10)),
            3..=5 => {
                let i = self.rng.random_range(0..self.rest.len().max(1));
                let r = self.rest.get(i).copied().unwrap_or(day(2021, 10, 1));
                r - Duration::days(2)
            }
            6 => self.pick_day(day(2021, 8, 28), day(2021, 9, 4)),
            _ => self.pick_day(day(2021, 9, 1), day(2026, 12, 10)),
        };
        let secs = match self.rng.random_range(0..6) {
            0 => 0,
            1 => 86_399,
            _ => self.rng.random_range(0..86_400),
        };
        let aware = self.at(aware_day, secs);
        let dl = vpl_time::deadline(self.cal.calendar(), &When::At(aware), Period::new(2, Unit::Day)).ok();
        let due = dl.as_ref().map_or(aware + Duration::days(3), |d| d.due);
        evs.push((aware, json!({"type": "aware", "actor": "vendor"}), true));
        // --- the report
        let report_at = match self.rng.random_range(0..10) {
            0 | 1 => None,
            2 | 3 => Some(due - Duration::seconds(1)),
            4 | 5 => Some(due),
            6 => Some(aware - Duration::hours(self.rng.random_range(1..200))),
            _ => Some(aware + Duration::seconds(self.rng.random_range(0..15 * 86_400))),
        };
        if let Some(t) = report_at {
            let attrs = match self.rng.random_range(0..10) {
                0 => json!({"to": "miit_platform", "includes_product": true}),
                1 => json!({"to": "other_vulnerability_db", "includes_product": true, "includes_details": true}),
                _ => json!({"to": "miit_platform", "includes_product": true, "includes_details": true}),
            };
            evs.push((t, json!({"type": "reported", "actor": "vendor", "attrs": attrs}), true));
            if self.flag(0.2) {
                let later = t + Duration::seconds(self.rng.random_range(1..10 * 86_400));
                let attrs = json!({"to": "miit_platform", "includes_product": true, "includes_details": true});
                evs.push((later, json!({"type": "reported", "actor": "vendor", "attrs": attrs}), true));
            }
        }
        // --- as of
        let as_of = match self.rng.random_range(0..10) {
            0 => due - Duration::seconds(1),
            1 => due,
            2 => aware - Duration::days(self.rng.random_range(1..30)),
            _ => aware + Duration::seconds(self.rng.random_range(0..90 * 86_400)),
        };
        // --- the vendor's other acts
        let fix = aware + Duration::seconds(self.rng.random_range(3_600..60 * 86_400));
        if self.flag(0.7) {
            evs.push((fix, json!({"type": "remedied", "actor": "vendor"}), true));
        }
        if self.flag(0.6) {
            let t = aware - Duration::days(self.rng.random_range(0..400));
            evs.push((t, json!({"type": "intake_opened", "actor": "vendor"}), true));
        }
        // --- the finder: publications around the fix, approvals, the early-publication steps
        let n_pub = self.rng.random_range(0..3);
        let mut first_pub = None;
        for _ in 0..n_pub {
            let t = match self.rng.random_range(0..6) {
                0 => fix,
                1 => fix - Duration::seconds(1),
                _ => aware + Duration::seconds(self.rng.random_range(-10 * 86_400..70 * 86_400)),
            };
            first_pub = Some(first_pub.map_or(t, |f: DateTime<FixedOffset>| f.min(t)));
            let mut attrs = serde_json::Map::new();
            for (k, p) in [
                ("includes_remedy", 0.6),
                ("operator_system_details", 0.1),
                ("exaggerated", 0.1),
                ("exploit_tool", 0.1),
                ("during_major_event", 0.15),
                ("unlawful", 0.1),
            ] {
                if self.flag(0.8) {
                    attrs.insert(k.into(), json!(self.flag(p)));
                }
            }
            attrs.insert("channel".into(), json!("website"));
            evs.push((t, json!({"type": "published", "actor": "finder", "attrs": attrs}), true));
        }
        let pub_ref = first_pub.unwrap_or(fix);
        let near = |g: &mut Self| pub_ref + Duration::seconds(g.rng.random_range(-20 * 86_400..5 * 86_400));
        if self.flag(0.25) {
            let authority = ["miit", "mps", "cac"][self.rng.random_range(0..3)];
            let t = if self.flag(0.3) { pub_ref } else { near(self) };
            evs.push((t, json!({"type": "approved", "actor": "vendor", "attrs": {"authority": authority}}), true));
        }
        if self.flag(0.5) {
            let t = if self.flag(0.2) { pub_ref } else { near(self) };
            evs.push((t, json!({"type": "provider_notified", "actor": "finder"}), true));
        }
        for to in ["miit", "mps"] {
            if self.flag(0.35) {
                let t = if self.flag(0.2) { pub_ref } else { near(self) };
                evs.push((t, json!({"type": "reported", "actor": "finder", "attrs": {"to": to}}), true));
            }
        }
        for (k, p) in [("info_misused", 0.05), ("exploit_tool_provided", 0.05), ("disclosed_overseas", 0.05)] {
            if self.flag(p) {
                let t = near(self);
                evs.push((t, json!({"type": k, "actor": "finder"}), true));
            }
        }
        let runs_platform = self.flag(0.3);
        let organisation = self.flag(0.5);
        if runs_platform && self.flag(0.5) {
            let t = near(self);
            evs.push((t, json!({"type": "platform_filed", "actor": "finder"}), true));
        }
        if organisation && self.flag(0.5) {
            let t = near(self);
            evs.push((t, json!({"type": "leak_controls_established", "actor": "finder"}), true));
        }
        // --- the broker, bound by art. 4 only
        for (k, attr, p) in [
            ("exploited", None, 0.1),
            ("collected", Some("unlawful"), 0.2),
            ("sold", Some("unlawful"), 0.1),
            ("assisted_exploitation", Some("knowing"), 0.1),
            ("published", Some("unlawful"), 0.1),
        ] {
            if self.flag(p) {
                let t = near(self);
                let mut e = json!({"type": k, "actor": "broker"});
                if let Some(a) = attr {
                    e["attrs"] = json!({a: self.flag(0.6)});
                }
                evs.push((t, e, true));
            }
        }
        // --- exactly n_events: drop at random, or pad with events no duty here turns on
        evs.shuffle(&mut self.rng);
        evs.truncate(n_events.max(1));
        while evs.len() < n_events {
            let t = aware + Duration::seconds(self.rng.random_range(-30 * 86_400..60 * 86_400));
            let e = match self.rng.random_range(0..7) {
                0 => json!({"type": "verified", "actor": "vendor"}),
                1 => json!({"type": "upstream_notified", "actor": "vendor"}),
                2 => json!({"type": "users_notified", "actor": "vendor"}),
                3 => json!({"type": "reported", "actor": "finder", "attrs": {"to": "other_vulnerability_db"}}),
                4 => json!({"type": "aware", "actor": "finder"}),
                5 => json!({"type": "logs_kept", "actor": "vendor"}),
                _ => json!({"type": "reported", "actor": "vendor", "attrs": {"to": "cac", "includes_product": true}}),
            };
            evs.push((t, e, false));
        }
        evs.shuffle(&mut self.rng);
        let events: Vec<Value> = evs
            .into_iter()
            .map(|(t, mut e, _)| {
                e["at"] = json!(self.show(t));
                e
            })
            .collect();
        let mut vendor_attrs = serde_json::Map::new();
        if self.flag(0.8) {
            vendor_attrs.insert("overseas".into(), json!(self.flag(0.15)));
        }
        let as_of_text = self.show(as_of);
        let case = json!({
            "id": format!("c{id}"),
            "as_of": as_of_text,
            "actors": [
                {"id": "vendor", "roles": ["product_provider"], "attrs": vendor_attrs},
                {"id": "finder", "roles": ["collector", "anyone"], "attrs": {"runs_platform": runs_platform, "organisation": organisation}},
                {"id": "broker", "roles": ["anyone"]}
            ],
            "events": events
        });
        case.to_string()
    }
}

/// The rest days of the `cn` calendar over the years it covers, as day
/// numbers since 1970-01-01 (the data the peers are given).
pub fn rest_day_numbers(cal: &Compiled) -> (Vec<i64>, usize) {
    let epoch = day(1970, 1, 1);
    let (from, to) = cal.calendar().covers().unwrap_or((2019, 2026));
    let mut out = Vec::new();
    let mut run = 0;
    let mut longest = 0;
    let mut d = day(from, 1, 1);
    while d <= day(to, 12, 31) {
        if cal.calendar().is_rest_day(d).unwrap_or(false) {
            out.push((d - epoch).num_days());
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
        d = match d.succ_opt() {
            Some(n) => n,
            None => break,
        };
    }
    (out, longest)
}
