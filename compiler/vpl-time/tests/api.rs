//! Names, parsing, serde, calendars, local-time resolution, elapsed time and its words.

mod common;

use chrono::{NaiveDate, TimeDelta, Weekday};
use common::*;
use vpl_time::{
    elapsed, format_duration_human, resolve_local, Calendar, DayKind, Period, PeriodRule, TimeError, Timing, Unit, When,
};

#[test]
fn period_rules_parse_from_names_and_identifiers() {
    for (text, rule) in [
        ("civil-code-cn", PeriodRule::CivilCodeCn),
        ("civil_code_cn", PeriodRule::CivilCodeCn),
        ("exact", PeriodRule::Exact),
        ("eu-1182-71", PeriodRule::Eu118271),
        ("eu_1182_71", PeriodRule::Eu118271),
    ] {
        assert_eq!(text.parse::<PeriodRule>(), Ok(rule), "{text}");
    }
    assert_eq!("civil code".parse::<PeriodRule>(), Err(TimeError::UnknownRule("civil code".into())));
    for rule in PeriodRule::ALL {
        assert_eq!(rule.to_string().parse::<PeriodRule>(), Ok(rule));
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, format!("\"{}\"", rule.as_str()));
        assert_eq!(serde_json::from_str::<PeriodRule>(&json).unwrap(), rule);
        let ident = format!("\"{}\"", rule.ident());
        assert_eq!(serde_json::from_str::<PeriodRule>(&ident).unwrap(), rule, "serde alias {ident}");
    }
}

#[test]
fn units_parse_and_serialise_in_snake_case() {
    for (text, unit) in [
        ("hour", Unit::Hour),
        ("hours", Unit::Hour),
        ("day", Unit::Day),
        ("working_day", Unit::WorkingDay),
        ("working days", Unit::WorkingDay),
        ("Working-Days", Unit::WorkingDay),
        ("weeks", Unit::Week),
        ("month", Unit::Month),
        ("years", Unit::Year),
    ] {
        assert_eq!(text.parse::<Unit>(), Ok(unit), "{text}");
    }
    assert!("fortnight".parse::<Unit>().is_err());
    assert_eq!(serde_json::to_string(&Unit::WorkingDay).unwrap(), "\"working_day\"");
    assert_eq!(serde_json::to_string(&Period::new(5, Unit::WorkingDay)).unwrap(), r#"{"amount":5,"unit":"working_day"}"#);
    assert_eq!(Period::new(1, Unit::WorkingDay).to_string(), "1 working day");
    assert_eq!(Period::new(72, Unit::Hour).to_string(), "72 hours");
}

#[test]
fn when_is_a_string_in_json() {
    let w: When = serde_json::from_str("\"2021-11-24T10:00:00+08:00\"").unwrap();
    assert_eq!(w, When::At(at("2021-11-24T10:00:00+08:00")));
    assert_eq!(serde_json::to_string(&w).unwrap(), "\"2021-11-24T10:00:00+08:00\"");
    let d: When = serde_json::from_str("\"2021-12-09\"").unwrap();
    assert_eq!(d, When::Day(day("2021-12-09")));
    assert_eq!(serde_json::to_string(&d).unwrap(), "\"2021-12-09\"");
    assert_eq!(when("2021-11-24T02:00:00Z"), When::At(at("2021-11-24T02:00:00+00:00")));
    for bad in ["2021-11-24T10:00:00", "yesterday", "2021-02-30", ""] {
        assert_eq!(bad.parse::<When>(), Err(TimeError::InvalidWhen(bad.into())), "{bad}");
        assert!(serde_json::from_str::<When>(&format!("\"{bad}\"")).is_err());
    }
}

#[test]
fn when_in_a_zone() {
    let sh = chrono_tz::Asia::Shanghai;
    assert_eq!(when("2021-11-23T23:30:00+00:00").day_in(sh), day("2021-11-24"));
    assert_eq!(when("2021-11-24").day_in(sh), day("2021-11-24"));
    assert_eq!(when("2021-11-24").instant_in(sh).unwrap(), at("2021-11-24T00:00:00+08:00"));
    assert_eq!(when("2021-11-24T02:00:00Z").instant_in(sh).unwrap().to_rfc3339(), "2021-11-24T10:00:00+08:00");
}

#[test]
fn calendars_refuse_inconsistent_data() {
    let sh = chrono_tz::Asia::Shanghai;
    let wk = || vec![Weekday::Sat, Weekday::Sun];
    let conflict = Calendar::new("x", sh, PeriodRule::CivilCodeCn, wk(), None, [day("2021-10-01")], [day("2021-10-01")]);
    assert_eq!(conflict, Err(TimeError::ConflictingDay { calendar: "x".into(), date: day("2021-10-01") }));
    let outside = Calendar::new("x", sh, PeriodRule::CivilCodeCn, wk(), Some((2021, 2021)), [day("2022-01-01")], []);
    assert!(matches!(outside, Err(TimeError::OutsideCalendar { first: 2021, last: 2021, .. })), "{outside:?}");
    let backwards = Calendar::new("x", sh, PeriodRule::CivilCodeCn, wk(), Some((2022, 2021)), [], []);
    assert!(matches!(backwards, Err(TimeError::InvalidCovers { .. })));
}

#[test]
fn day_kinds_in_the_cn_calendar() {
    let cn = cn();
    for (date, kind) in [
        ("2021-10-01", DayKind::Holiday),
        ("2021-10-09", DayKind::MakeUpWorking),
        ("2021-10-10", DayKind::WeeklyRest),
        ("2021-10-08", DayKind::Working),
        ("2022-12-31", DayKind::Holiday),
        ("2024-02-18", DayKind::MakeUpWorking),
    ] {
        assert_eq!(cn.day_kind(day(date)), Ok(kind), "{date}");
        assert_eq!(cn.is_rest_day(day(date)), Ok(kind.is_rest()), "{date}");
        assert_eq!(cn.is_working_day(day(date)), Ok(!kind.is_rest()), "{date}");
    }
    assert!(cn.is_rest_day(day("2018-12-31")).is_err());
    assert!(cn.is_rest_day(day("2027-01-01")).is_err());
    assert_eq!(cn.covers(), Some((2019, 2026)));
    assert_eq!(cn.weekend(), &[Weekday::Sat, Weekday::Sun]);
    // Per year: the notices list about 230 rest days and 53 make-up working days in all.
    assert_eq!(cn.rest_days().count(), 230);
    assert_eq!(cn.work_days().count(), 53);
}

#[test]
fn calendars_round_trip_through_json_and_are_checked_on_the_way_in() {
    let cn = cn();
    let json = serde_json::to_string(&cn).unwrap();
    assert!(json.contains("\"zone\":\"Asia/Shanghai\"") && json.contains("\"rule\":\"civil-code-cn\""), "{json}");
    assert_eq!(serde_json::from_str::<Calendar>(&json).unwrap(), cn);
    let bad =
        r#"{"name":"x","zone":"Asia/Shanghai","rule":"exact","weekend":["Sat"],"rest":["2021-10-01"],"work":["2021-10-01"]}"#;
    let err = serde_json::from_str::<Calendar>(bad).unwrap_err().to_string();
    assert!(err.contains("both"), "{err}");
}

#[test]
fn deadlines_serialise() {
    let d = due(&cn(), "2021-09-29T15:00:00+08:00", "2 day").unwrap();
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["due"], "2021-10-09T00:00:00+08:00");
    assert_eq!(v["last_day"], "2021-10-08");
    assert_eq!(v["nominal_last_day"], "2021-10-01");
    assert_eq!(v["rule"], "civil-code-cn");
    assert_eq!(v["period"]["unit"], "day");
    assert_eq!(v["extended_over"].as_array().unwrap().len(), 7);
}

#[test]
fn local_times_skipped_or_repeated_are_placed_without_panicking() {
    use chrono_tz::{America::Sao_Paulo, Europe::Brussels, Pacific::Apia};
    let local = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    for (zone, wall, instant) in [
        // Spring gap: the moment the clocks jump.
        (Brussels, "2024-03-31 02:30", "2024-03-31T03:00:00+02:00"),
        (Brussels, "2024-03-31 02:00", "2024-03-31T03:00:00+02:00"),
        // Autumn overlap: the earlier occurrence.
        (Brussels, "2024-10-27 02:30", "2024-10-27T02:30:00+02:00"),
        // Brazil once started DST at midnight: the day began at 01:00.
        (Sao_Paulo, "2018-11-04 00:00", "2018-11-04T01:00:00-02:00"),
        // Samoa skipped 30 December 2011 altogether.
        (Apia, "2011-12-30 12:00", "2011-12-31T00:00:00+14:00"),
    ] {
        let t = resolve_local(zone, local(wall)).unwrap();
        assert_eq!(t.fixed_offset(), at(instant), "{zone} {wall}");
    }
    // A whole day whose midnight is skipped begins when the clocks jump.
    assert_eq!(When::Day(day("2018-11-04")).instant_in(Sao_Paulo).unwrap(), at("2018-11-04T01:00:00-02:00"));
}

#[test]
fn elapsed_between_instants_and_days() {
    let cases = [
        ("2021-11-24T10:00:00+08:00", "2021-11-27T12:30:00+08:00", TimeDelta::hours(74) + TimeDelta::minutes(30)),
        ("2021-11-24T10:00:00+08:00", "2021-11-24T02:00:00Z", TimeDelta::zero()),
        ("2021-11-24", "2021-12-09", TimeDelta::days(15)),
        ("2021-11-24T10:00:00+08:00", "2021-11-25", TimeDelta::hours(14)),
        ("2021-11-24", "2021-11-24T10:00:00+08:00", TimeDelta::hours(10)),
        ("2021-12-09", "2021-11-24", TimeDelta::days(-15)),
    ];
    for (from, to, expected) in cases {
        assert_eq!(elapsed(&when(from), &when(to)), expected, "{from} → {to}");
    }
}

#[test]
fn durations_in_words() {
    let cases = [
        (TimeDelta::days(2) + TimeDelta::hours(3), "2 days 3 hours"),
        (TimeDelta::minutes(45), "45 minutes"),
        (TimeDelta::days(1) + TimeDelta::minutes(5), "1 day 5 minutes"),
        (TimeDelta::hours(1), "1 hour"),
        (TimeDelta::hours(25) + TimeDelta::seconds(59), "1 day 1 hour"),
        (TimeDelta::seconds(30), "30 seconds"),
        (TimeDelta::seconds(1), "1 second"),
        (TimeDelta::milliseconds(300), "less than a second"),
        (TimeDelta::zero(), "0 minutes"),
        (-(TimeDelta::days(2) + TimeDelta::hours(3)), "-2 days 3 hours"),
        (TimeDelta::minutes(-1), "-1 minute"),
        (TimeDelta::MAX, "106751991167 days 7 hours 12 minutes"),
        (TimeDelta::MIN, "-106751991167 days 7 hours 12 minutes"),
    ];
    for (d, words) in cases {
        assert_eq!(format_duration_human(d), words, "{d:?}");
    }
}

#[test]
fn judging_acts_against_a_deadline() {
    let cn = cn();
    let d = due(&cn, "2021-11-24T10:00:00+08:00", "2 day").unwrap(); // due 2021-11-27 00:00 +08:00
    assert!(d.is_in_time(&at("2021-11-26T23:59:59+08:00")));
    assert!(!d.is_in_time(&at("2021-11-27T00:00:00+08:00")));
    assert_eq!(d.judge(&cn, &when("2021-11-26T15:59:59Z")).unwrap(), Timing::InTime);
    assert_eq!(d.judge(&cn, &when("2021-11-27T02:00:00+08:00")).unwrap(), Timing::Late { by: TimeDelta::hours(2) });
    assert_eq!(d.judge(&cn, &when("2021-11-26")).unwrap(), Timing::InTime);
    assert_eq!(d.judge(&cn, &when("2021-11-28")).unwrap(), Timing::Late { by: TimeDelta::days(1) });
    let h = due(&cn, "2021-11-24T10:00:00+08:00", "24 hour").unwrap(); // due 2021-11-25 10:00
    assert!(matches!(h.judge(&cn, &when("2021-11-25")).unwrap(), Timing::Unclear { .. }));
}

#[test]
fn error_messages_are_plain() {
    let e = TimeError::OutsideCalendar {
        calendar: "cn".into(),
        date: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
        first: 2019,
        last: 2026,
    };
    insta::assert_snapshot!(e.to_string(), @"2027-01-04 is outside the years calendar `cn` covers (2019..2026): its rest days and make-up working days are not known");
}
