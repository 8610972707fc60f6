//! Evaluating a decision table on a case. For each row and each actor that
//! holds the bearer role: is the duty triggered, does its condition hold,
//! does an exception apply, and then — by the deadline form — was the act
//! done in time, late, not at all, or is it still running.
//!
//! Conditions use three-valued logic: a fact the case does not give makes a
//! condition unknown, and the finding `undetermined`, never a guess. An
//! attribute an actor or event does not give is false (bool) or matches
//! nothing (comparisons): case files list what is true of an actor.

use crate::case::{Case, Event, Val};
use crate::finding::*;
use crate::program::{to_u32, By, CCond, COp, CPat, CRow, Due, Ev, Program, View, CV, MEMO_UNSET, NONE};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::str::FromStr;
use vpl_core::table::model::Status as InstrumentStatus;
use vpl_core::table::model::{CmpOp, Cond, Deadline, DecisionTable, Modality, Row};
use vpl_core::table::render::{cond_words, pattern_words};
use vpl_time::{Timing, When};

/// A decision table ready to evaluate: its calendar built and its rows
/// compiled once (`program.rs`). Made by [`Compiled::new`]; the table and
/// the calendar are read through [`Compiled::table`] and
/// [`Compiled::calendar`], never changed, so the compiled rows always
/// stand for the table's.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(crate) table: DecisionTable,
    pub(crate) calendar: vpl_time::Calendar,
    pub(crate) draft: bool,
    pub(crate) effective: Option<NaiveDate>,
    /// Each row's duty in plain words, made once.
    summaries: Vec<String>,
    /// The instrument's status in words, for every report.
    status_words: String,
    /// The rows, their conditions and their penalties' fine conditions over
    /// interned numbers (see [`crate::program`]).
    program: Program,
    /// Tells one `Compiled` from another, for what a thread keeps between
    /// cases (the as-of instant last worked out, the deadlines kept by day).
    id: u64,
}

/// What to compute besides the verdicts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Record how each verdict was reached (`--explain`).
    pub explain: bool,
}

impl Compiled {
    pub fn new(table: DecisionTable) -> Result<Compiled, String> {
        let c = &table.calendar;
        let zone = chrono_tz::Tz::from_str(&c.zone).map_err(|e| format!("calendar `{}`: {e}", c.name))?;
        let rule = vpl_time::PeriodRule::from_str(&c.rule).map_err(|e| format!("calendar `{}`: {e}", c.name))?;
        let weekday = |s: &str| match s {
            "mon" => Some(chrono::Weekday::Mon),
            "tue" => Some(chrono::Weekday::Tue),
            "wed" => Some(chrono::Weekday::Wed),
            "thu" => Some(chrono::Weekday::Thu),
            "fri" => Some(chrono::Weekday::Fri),
            "sat" => Some(chrono::Weekday::Sat),
            "sun" => Some(chrono::Weekday::Sun),
            _ => None,
        };
        let days = |v: &[String]| v.iter().filter_map(|d| d.parse::<NaiveDate>().ok()).collect::<Vec<_>>();
        let calendar = vpl_time::Calendar::new(
            c.name.clone(),
            zone,
            rule,
            c.weekend.iter().filter_map(|d| weekday(d)).collect(),
            c.covers,
            days(&c.rest_days),
            days(&c.work_days),
        )
        .map_err(|e| e.to_string())?;
        let (draft, effective) = match &table.instrument.status {
            InstrumentStatus::Draft { .. } => (true, None),
            InstrumentStatus::InForce { effective, .. } => (false, effective.parse::<NaiveDate>().ok()),
        };
        let summaries = table.rows.iter().map(summary).collect();
        let status_words = match &table.instrument.status {
            InstrumentStatus::Draft { published, .. } => {
                format!("draft for comment published {published}; not binding, checked as if in force")
            }
            InstrumentStatus::InForce { effective, .. } => format!("in force from {effective}"),
        };
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let program = Program::new(&table);
        Ok(Compiled {
            table,
            calendar,
            draft,
            effective,
            summaries,
            status_words,
            program,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// The decision table this was compiled from.
    pub fn table(&self) -> &DecisionTable {
        &self.table
    }

    /// The decision table, given back (to change it and compile it anew).
    pub fn into_table(self) -> DecisionTable {
        self.table
    }

    /// Whether the instrument is a draft (checked as if in force).
    pub fn draft(&self) -> bool {
        self.draft
    }

    /// The day an instrument in force binds from (none for a draft, or if
    /// the table gives no date).
    pub fn effective(&self) -> Option<NaiveDate> {
        self.effective
    }

    /// The table's calendar, built.
    pub fn calendar(&self) -> &vpl_time::Calendar {
        &self.calendar
    }

    /// `as_of` as the last instant it covers: a date means the end of that day.
    fn as_of_instant(&self, w: &When) -> DateTime<FixedOffset> {
        match w {
            When::At(t) => *t,
            When::Day(d) => d
                .succ_opt()
                .map(|n| self.instant(&When::Day(n)) - chrono::TimeDelta::seconds(1))
                .unwrap_or_else(|| self.instant(w)),
        }
    }

    /// A case time shown in the calendar's zone (whole days as they are).
    fn show(&self, w: &When) -> String {
        match w {
            When::At(t) => show_instant(&self.calendar.in_zone(*t)),
            When::Day(d) => show_day(*d),
        }
    }

    /// The instant a case time stands for in this calendar's zone (a whole
    /// day: its first instant).
    fn instant(&self, w: &When) -> DateTime<FixedOffset> {
        // An exact instant compares as it is, whatever its offset.
        if let When::At(t) = w {
            return *t;
        }
        self.calendar.instant_of(w).unwrap_or_else(|_| match w {
            When::At(t) => *t,
            When::Day(d) => d.and_hms_opt(0, 0, 0).map_or(DateTime::UNIX_EPOCH.fixed_offset(), |n| n.and_utc().fixed_offset()),
        })
    }
}

/// The order of two case times; `Unclear` when they fall on the same day
/// and one of them is a whole day (its time not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Before,
    Same,
    After,
    Unclear,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Truth {
    Yes,
    No,
    Unknown(Missing),
}

/// A fact a condition needs and the case does not give (its slot); put
/// into words only where a finding says why.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Missing(u32);

impl Missing {
    fn words(self, c: &Compiled) -> MissingWords<'_> {
        MissingWords(c.program.facts.name(self.0))
    }
}

struct MissingWords<'a>(&'a str);

impl std::fmt::Display for MissingWords<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the case does not give the fact `{}`", self.0)
    }
}

/// An event of the case with what the view holds of it.
#[derive(Clone, Copy)]
struct E<'a> {
    /// Its index in `case.events`.
    i: usize,
    e: &'a Event,
    x: &'a Ev,
}

impl<'a> Ctx<'a> {
    /// Event `i` of the case with its view.
    fn get(&self, i: u32) -> Option<E<'a>> {
        let i = i as usize;
        Some(E { i, e: self.case.events.get(i)?, x: self.v.evs.get(i)? })
    }

    /// Whether the case may have an event of kind `kind` (see [`View::may_have`]).
    #[inline]
    fn may_have(&self, kind: u32) -> bool {
        self.v.may_have(kind)
    }
}

/// The order of two events, from what the view holds of them.
fn order(a: &Ev, b: &Ev) -> Order {
    use std::cmp::Ordering::*;
    if !a.whole_day && !b.whole_day {
        return match a.time.cmp(&b.time) {
            Less => Order::Before,
            Equal => Order::Same,
            Greater => Order::After,
        };
    }
    match a.day.cmp(&b.day) {
        Less => Order::Before,
        Greater => Order::After,
        Equal if a.whole_day && b.whole_day => Order::Same,
        Equal => Order::Unclear,
    }
}

impl Truth {
    fn from(b: bool) -> Truth {
        if b {
            Truth::Yes
        } else {
            Truth::No
        }
    }
    fn not(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            u => u,
        }
    }
}

#[derive(Clone, Copy)]
struct Ctx<'a> {
    c: &'a Compiled,
    /// The case as numbers.
    v: &'a View,
    /// The day the case is judged as of, in the calendar's zone (kept when
    /// `as_of` is moved to judge an exception at another moment).
    judged_day: NaiveDate,
    case: &'a Case,
    /// The actor the row is checked for (index into `Case::actors`).
    bearer: usize,
    as_of: DateTime<FixedOffset>,
    /// Whether `as_of` is the case's own, so that the view's memos hold.
    memo: bool,
}

/// How a verdict was reached; recorded only when asked for.
struct Why {
    on: bool,
    steps: Vec<String>,
}

impl Why {
    fn push_with(&mut self, f: impl FnOnce() -> String) {
        if self.on {
            self.steps.push(f());
        }
    }
    fn extend(&mut self, steps: impl IntoIterator<Item = String>) {
        if self.on {
            self.steps.extend(steps);
        }
    }
}

/// Checks one case against one compiled table, as of an instant (a date
/// means the end of that day), with explanations.
pub fn check_case(c: &Compiled, case: &Case, as_of: &When) -> CaseReport {
    check_case_with(c, case, as_of, Options { explain: true })
}

/// Like [`check_case`], computing explanations only if `opts.explain`.
pub fn check_case_with(c: &Compiled, case: &Case, as_of: &When, opts: Options) -> CaseReport {
    let mut findings = Vec::new();
    run::<Finding>(c, case, as_of, opts, &mut findings);
    CaseReport {
        case: case.id.clone(),
        title: case.title.clone(),
        instrument: c.table.instrument.id.clone(),
        draft: c.draft,
        instrument_status: c.status_words.clone(),
        as_of: as_of.to_string(),
        findings,
    }
}

/// One verdict without its words: what [`check_case_with`] decides for a
/// row and an actor — the same status, by the same code — with no text
/// built. For callers that need only the verdicts (counting, screening
/// many cases); the [`Finding`] of the full path says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Index of the row in `Compiled::table.rows`.
    pub row: u32,
    /// Index of the actor in `Case::actors`.
    pub actor: u32,
    pub status: Status,
    /// The deadline as Unix seconds, where the finding gives one (`due`).
    pub due: Option<i64>,
    /// As `Finding::late_by_seconds`.
    pub late_by_secs: Option<i64>,
}

/// The verdicts of one case, in the order of [`check_case_with`]'s findings,
/// written into `out` (cleared first, its allocation reused).
pub fn verdicts(c: &Compiled, case: &Case, as_of: &When, out: &mut Vec<Verdict>) {
    out.clear();
    run::<Verdict>(c, case, as_of, Options::default(), out);
}

thread_local! {
    /// The view of the case being checked; its buffers are kept from case to case.
    static VIEW: std::cell::RefCell<View> = std::cell::RefCell::new(View::default());
}

/// Forgets the deadlines this thread keeps from case to case (those that
/// depend on their starting day alone): verdicts never depend on them, only
/// the time they take; for measuring what counting every deadline afresh costs.
pub fn forget_kept_deadlines() {
    VIEW.with(|v| {
        if let Ok(v) = v.try_borrow() {
            v.day_deadlines.borrow_mut().clear();
        }
    });
}

/// Every row for every actor holding its bearer role: the one evaluation
/// loop of both the full and the lean path.
fn run<O: Out>(c: &Compiled, case: &Case, as_of: &When, opts: Options, out: &mut Vec<O>) {
    VIEW.with(|v| match v.try_borrow_mut() {
        Ok(mut v) => run_on(&mut v, c, case, as_of, opts, out),
        // Only if a check runs inside another on this thread.
        Err(_) => run_on(&mut View::default(), c, case, as_of, opts, out),
    });
}

fn run_on<O: Out>(v: &mut View, c: &Compiled, case: &Case, as_of: &When, opts: Options, out: &mut Vec<O>) {
    let (as_of_i, judged_day) = match &v.as_of {
        Some((id, w, i, d)) if *id == c.id && w.same_as_written(as_of) => (*i, *d),
        _ => {
            let i = c.as_of_instant(as_of);
            let d = c.calendar.day_of(&When::At(i));
            v.as_of = Some((c.id, *as_of, i, d));
            (i, d)
        }
    };
    v.fill(&c.program, case, |w| match w {
        // An exact instant compares as it is, whatever its offset (see `Compiled::instant`).
        When::At(t) => (*t, c.calendar.day_of(w)),
        When::Day(_) => c.calendar.place(w).unwrap_or_else(|_| (c.instant(w), c.calendar.day_of(w))),
    });
    let v: &View = v;
    let base = Ctx { c, v, judged_day, case, bearer: 0, as_of: as_of_i, memo: true };
    for (ri, cr) in c.program.rows.iter().enumerate() {
        // Rows no actor of the case bears, or whose trigger the case lacks, say
        // nothing; skipping them here saves each the setup of `check_row`.
        if !v.has_holder(cr.bearer) || cr.trigger.as_ref().is_some_and(|t| !base.may_have(t.kind)) {
            continue;
        }
        let Some(row) = c.table.rows.get(ri) else { continue };
        for ai in v.holders(cr.bearer) {
            check_row::<O>(&Ctx { bearer: ai, ..base }, ri, row, cr, opts, out);
        }
    }
}

/// Where the evaluation of one row writes its verdict: a [`Finding`] with
/// every word of it (the full path), or a [`Verdict`] (the lean path, which
/// never calls the closures that make text).
trait Out: Sized {
    fn begin(c: &Compiled, case: &Case, ri: usize, row: &Row, actor: usize, trigger: Option<&Event>) -> Self;
    fn status(&self) -> Status;
    /// Whether text is kept (for words that several fields share, and for
    /// explanations: the lean path never builds a word of them).
    const TEXT: bool;
    fn set_status(&mut self, s: Status);
    fn note(&mut self, words: impl FnOnce() -> String);
    /// A note, unless there is one already.
    fn note_or(&mut self, words: impl FnOnce() -> String);
    /// The deadline as an instant (shown in RFC 3339).
    fn due(&mut self, t: &DateTime<FixedOffset>);
    /// The deadline as a case time (shown as the case gives it).
    fn due_event(&mut self, c: &Compiled, w: &When, t: DateTime<FixedOffset>);
    fn last_day(&mut self, d: Option<NaiveDate>);
    fn done_at(&mut self, c: &Compiled, w: &When);
    fn late(&mut self, seconds: i64, words: impl FnOnce() -> String);
    fn elapsed(&mut self, words: impl FnOnce() -> String);
    fn breached_by(&mut self, words: impl FnOnce() -> String);
    /// The penalties a violation exposes the actor to.
    fn exposure(&mut self, ctx: &Ctx<'_>, row: &Row);
    fn explanation(&mut self, steps: Vec<String>);
}

impl Out for Finding {
    fn begin(c: &Compiled, case: &Case, ri: usize, row: &Row, actor: usize, trigger: Option<&Event>) -> Self {
        Finding {
            duty: row.duty.clone(),
            row: row.id.clone(),
            cite: row.cite.clone(),
            modality: row.modality,
            actor: case.actors.get(actor).map_or("", |a| a.id.as_str()).to_owned(),
            status: Status::Undetermined,
            draft: c.draft,
            summary: c.summaries.get(ri).cloned().unwrap_or_default(),
            trigger_at: trigger.map(|e| c.show(&e.at)),
            due: None,
            last_day: None,
            done_at: None,
            late_by: None,
            late_by_seconds: None,
            elapsed: None,
            breached_by: None,
            note: None,
            penalty: Vec::new(),
            explanation: Vec::new(),
        }
    }
    fn status(&self) -> Status {
        self.status
    }
    const TEXT: bool = true;
    fn set_status(&mut self, s: Status) {
        self.status = s;
    }
    fn note(&mut self, words: impl FnOnce() -> String) {
        self.note = Some(words());
    }
    fn note_or(&mut self, words: impl FnOnce() -> String) {
        if self.note.is_none() {
            self.note = Some(words());
        }
    }
    fn due(&mut self, t: &DateTime<FixedOffset>) {
        self.due = Some(show_instant(t));
    }
    fn due_event(&mut self, c: &Compiled, w: &When, _: DateTime<FixedOffset>) {
        self.due = Some(c.show(w));
    }
    fn last_day(&mut self, d: Option<NaiveDate>) {
        self.last_day = d.map(show_day);
    }
    fn done_at(&mut self, c: &Compiled, w: &When) {
        self.done_at = Some(c.show(w));
    }
    fn late(&mut self, seconds: i64, words: impl FnOnce() -> String) {
        self.late_by = Some(words());
        self.late_by_seconds = Some(seconds);
    }
    fn elapsed(&mut self, words: impl FnOnce() -> String) {
        self.elapsed = Some(words());
    }
    fn breached_by(&mut self, words: impl FnOnce() -> String) {
        self.breached_by = Some(words());
    }
    fn exposure(&mut self, ctx: &Ctx<'_>, row: &Row) {
        self.penalty = exposure(ctx, row, &breach_dating(ctx, self));
    }
    fn explanation(&mut self, steps: Vec<String>) {
        self.explanation = steps;
    }
}

impl Out for Verdict {
    fn begin(_: &Compiled, _: &Case, ri: usize, _: &Row, actor: usize, _: Option<&Event>) -> Self {
        Verdict {
            row: u32::try_from(ri).unwrap_or(u32::MAX),
            actor: u32::try_from(actor).unwrap_or(u32::MAX),
            status: Status::Undetermined,
            due: None,
            late_by_secs: None,
        }
    }
    fn status(&self) -> Status {
        self.status
    }
    const TEXT: bool = false;
    fn set_status(&mut self, s: Status) {
        self.status = s;
    }
    fn note(&mut self, _: impl FnOnce() -> String) {}
    fn note_or(&mut self, _: impl FnOnce() -> String) {}
    fn due(&mut self, t: &DateTime<FixedOffset>) {
        self.due = Some(t.timestamp());
    }
    fn due_event(&mut self, _: &Compiled, _: &When, t: DateTime<FixedOffset>) {
        self.due = Some(t.timestamp());
    }
    fn last_day(&mut self, _: Option<NaiveDate>) {}
    fn done_at(&mut self, _: &Compiled, _: &When) {}
    fn late(&mut self, seconds: i64, _: impl FnOnce() -> String) {
        self.late_by_secs = Some(seconds);
    }
    fn elapsed(&mut self, _: impl FnOnce() -> String) {}
    fn breached_by(&mut self, _: impl FnOnce() -> String) {}
    fn exposure(&mut self, _: &Ctx<'_>, _: &Row) {}
    fn explanation(&mut self, _: Vec<String>) {}
}

/// RFC 3339 with the seconds always shown and fractions only when there are
/// any: what `to_rfc3339_opts(AutoSi, false)` writes, without going through
/// the formatting machinery for the common case.
fn show_instant(t: &DateTime<FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    let off = t.offset().local_minus_utc();
    let (y, nanos) = (t.year(), t.nanosecond());
    if !(0..=9999).contains(&y) || nanos != 0 || off % 60 != 0 {
        return t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    }
    let mut s = String::with_capacity(25);
    push_date(&mut s, y, t.month(), t.day());
    s.push('T');
    push2(&mut s, t.hour());
    s.push(':');
    push2(&mut s, t.minute());
    s.push(':');
    push2(&mut s, t.second());
    s.push(if off < 0 { '-' } else { '+' });
    let m = off.unsigned_abs() / 60;
    push2(&mut s, m / 60);
    s.push(':');
    push2(&mut s, m % 60);
    s
}

/// A date as `YYYY-MM-DD`, as `NaiveDate`'s `Display` writes it.
fn show_day(d: NaiveDate) -> String {
    use chrono::Datelike;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        return d.to_string();
    }
    let mut s = String::with_capacity(10);
    push_date(&mut s, y, d.month(), d.day());
    s
}

fn push_date(s: &mut String, y: i32, m: u32, d: u32) {
    let y = y.unsigned_abs();
    push2(s, y / 100);
    push2(s, y % 100);
    s.push('-');
    push2(s, m);
    s.push('-');
    push2(s, d);
}

fn push2(s: &mut String, n: u32) {
    s.push(char::from(b'0' + (n / 10 % 10) as u8));
    s.push(char::from(b'0' + (n % 10) as u8));
}

fn event_words(c: &Compiled, case: &Case, e: &Event) -> String {
    let who = case.actors.get(e.actor).map_or("?", |a| a.id.as_str());
    format!("event #{} `{}` by {} at {}", e.index, e.kind, who, c.show(&e.at))
}

/// The duty in plain words.
pub fn summary(row: &Row) -> String {
    vpl_core::table::render::duty_sentence(row)
}

/// How late, in words. An act given as a whole day is late by whole days
/// (counted from the last day of the period); under a minute is said so.
fn late_words(c: &Compiled, done: &When, by: chrono::TimeDelta, last_day: Option<NaiveDate>) -> String {
    match (done, last_day) {
        (When::Day(d), Some(last)) => {
            let days = (*d - last).num_days();
            format!("{days} day{} (done on {d}, time not given)", if days == 1 { "" } else { "s" })
        }
        _ if by < chrono::TimeDelta::minutes(1) => {
            let _ = c;
            "less than a minute".to_string()
        }
        _ => vpl_time::format_duration_human(by),
    }
}

/// One row for one bearer (`ctx.bearer`).
fn check_row<O: Out>(ctx: &Ctx<'_>, ri: usize, row: &Row, cr: &CRow, opts: Options, out: &mut Vec<O>) {
    let (c, case, as_of) = (ctx.c, ctx.case, ctx.as_of);
    let actor = ctx.bearer;
    // The trigger: the first qualifying event, if the duty has one. A row
    // whose trigger has not happened says nothing, so nothing is built for it.
    let trigger = match &cr.trigger {
        Some(p) => match first_event(ctx, p, None) {
            Some(e) => Some(e),
            None => return,
        },
        None => None,
    };
    let mut explanation = Why { on: O::TEXT && opts.explain, steps: Vec::new() };
    explanation.push_with(|| {
        let actor_id = case.actors.get(actor).map_or("", |a| a.id.as_str());
        format!("{} is {} in this case", actor_id, vpl_core::diag::a_or_an(&row.bearer))
    });
    // Facts an actor gives for itself win over the case's (see `View::fact`): say so.
    if let Some(a) = case.actors.get(actor).filter(|a| explanation.on && !a.facts.is_empty()) {
        explanation.push_with(|| {
            let own = a.facts.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ");
            format!("{}'s own facts, which win over the case's: {own}", a.id)
        });
    }
    if let Some(e) = trigger {
        explanation.push_with(|| format!("triggered by {}", event_words(c, case, e.e)));
    }

    // The condition (one alternative of the duty's `when`): any false
    // literal rules the duty out, even if another is unknown.
    let mut unknown = None;
    for (k, (clit, id)) in cr.conditions.iter().enumerate() {
        match memo_cond(ctx, clit, *id) {
            Truth::Yes => explanation.push_with(|| format!("condition holds: {}", words(row.conditions.get(k)))),
            Truth::No => return,
            Truth::Unknown(why) => {
                let why = why.words(c);
                explanation.push_with(|| format!("condition unknown: {} ({why})", words(row.conditions.get(k))));
                unknown.get_or_insert((why, k));
            }
        }
    }
    let mut f = O::begin(c, case, ri, row, actor, trigger.map(|t| t.e));
    if let Some((why, k)) = unknown {
        f.note(|| format!("missing data: {why}; a person must establish whether {}", words(row.conditions.get(k))));
        f.explanation(explanation.steps);
        out.push(f);
        return;
    }

    // Instruments in force bind from their effective date.
    if let Some(eff) = c.effective {
        let from = trigger.map_or(ctx.judged_day, |e| e.x.day);
        if from < eff {
            f.set_status(Status::NotApplicable);
            f.note(|| {
                format!(
                    "{} before the instrument took effect on {eff}",
                    if trigger.is_some() { "triggered" } else { "judged as of a date" }
                )
            });
            explanation.push_with(|| format!("the instrument is in force from {eff}"));
            f.explanation(explanation.steps);
            out.push(f);
            return;
        }
    }

    // An ordering duty (`before EVENT`, `N unit before EVENT`) arises only
    // when that event happens; until then there is nothing to say.
    let limit = match cr.due {
        Due::Before | Due::Prior(_) if cr.modality == Modality::Must => {
            let l = cr.limit.as_ref().and_then(|event| first_event(ctx, event, None));
            if l.is_none() && first_event(ctx, &cr.action, None).is_none() {
                return;
            }
            l
        }
        _ => None,
    };

    // Exceptions of obligations are judged when the duty fell due — at the
    // event an ordering duty had to precede, else as of `as_of`; those of
    // prohibitions at the moment of each act (see `must_not`).
    if cr.modality != Modality::MustNot && !cr.exceptions.is_empty() {
        let when_due = Ctx { as_of: limit.map_or(as_of, |l| l.x.time), memo: limit.is_none(), ..*ctx };
        for (k, cex) in cr.exceptions.iter().enumerate() {
            let ex = || words(row.exceptions.get(k));
            match cond(&when_due, cex) {
                Truth::Yes => {
                    f.set_status(Status::Exempt);
                    f.note(|| format!("exception holds: {}", ex()));
                    explanation.push_with(|| format!("exception holds: {}", ex()));
                    f.explanation(explanation.steps);
                    out.push(f);
                    return;
                }
                Truth::No => explanation.push_with(|| format!("exception does not hold: {}", ex())),
                Truth::Unknown(why) => {
                    let why = why.words(c);
                    f.note(|| format!("missing data: {why}; a person must judge whether the exception `{}` applies", ex()));
                    explanation.push_with(|| format!("exception unknown: {} ({why})", ex()));
                    f.explanation(explanation.steps);
                    out.push(f);
                    return;
                }
            }
        }
    }

    // The act: the first qualifying event (after the trigger, if any).
    // A prohibition looks at every act (see `must_not`), the others at the first.
    let action = || first_event(ctx, &cr.action, trigger.map(|t| t.x));
    match cr.modality {
        Modality::May | Modality::Encouraged => {
            f.set_status(if cr.modality == Modality::May { Status::Permitted } else { Status::Encouraged });
            if let Some(a) = action() {
                f.done_at(c, &a.e.at);
                explanation.push_with(|| format!("done: {}", event_words(c, case, a.e)));
            }
        }
        Modality::Must => must(ctx, row, cr, trigger, action(), &mut f, &mut explanation),
        Modality::MustNot => must_not(ctx, row, cr, trigger, &mut f, &mut explanation),
    }
    // Exposure matters where a duty was broken.
    if f.status().is_violation() {
        f.exposure(ctx, row);
    }
    if c.draft {
        explanation.push_with(|| "the instrument is a draft: this is how it would apply if it were in force".into());
    }
    f.explanation(explanation.steps);
    out.push(f);
}

/// What judging an act needs of a deadline.
#[derive(Clone, Copy)]
struct Limit {
    /// The exclusive end ([`vpl_time::Deadline::due`]).
    due: DateTime<FixedOffset>,
    last_day: Option<NaiveDate>,
    /// Whether the deadline is ambiguous ([`vpl_time::Deadline::ambiguous`]).
    ambiguous: bool,
}

impl Limit {
    fn of(d: &vpl_time::Deadline) -> Limit {
        Limit { due: d.due, last_day: d.last_day, ambiguous: d.ambiguous.is_some() }
    }
}

fn set_late(f: &mut impl Out, c: &Compiled, done: &When, by: chrono::TimeDelta, last_day: Option<NaiveDate>) {
    f.set_status(Status::Late);
    f.late(by.num_seconds(), || late_words(c, done, by, last_day));
}

/// Judges an act against a computed deadline. When the trigger was a whole
/// day and the period counts hours or exact time, the real deadline lies
/// somewhere in the day after the computed one; only acts clearly before
/// or after that day get a verdict.
fn judge(c: &Compiled, dl: Limit, trigger: &When, action: Option<&Event>, f: &mut impl Out, as_of: DateTime<FixedOffset>) {
    let slack = if dl.ambiguous && trigger.is_whole_day() { chrono::TimeDelta::days(1) } else { chrono::TimeDelta::zero() };
    match action {
        Some(a) => match vpl_time::judge_by(&c.calendar, &dl.due, &a.at) {
            Ok(Timing::InTime) => f.set_status(Status::Met),
            Ok(Timing::Late { by }) if by >= slack => set_late(f, c, &a.at, by - slack, dl.last_day),
            Ok(Timing::Late { .. }) => {
                f.set_status(Status::Undetermined);
                f.note(|| format!(
                    "the trigger is given as a whole day, so the deadline falls somewhere between {} and {}; a person must establish the time of the trigger",
                    show_instant(&dl.due),
                    show_instant(&(dl.due + slack))
                ));
            }
            Ok(Timing::Unclear { reason }) => {
                f.set_status(Status::Undetermined);
                f.note(|| format!("{reason}; a person must establish whether the act came before the deadline"));
            }
            Err(e) => f.note(|| e.to_string()),
        },
        None if as_of >= dl.due + slack => {
            f.set_status(Status::Missed);
            let by = as_of - dl.due - slack;
            f.late(by.num_seconds(), || vpl_time::format_duration_human(by));
        }
        None if as_of >= dl.due => {
            f.set_status(Status::Undetermined);
            f.note(|| {
                "not done; whether the deadline has passed depends on the time of the trigger, which is given as a whole day"
                    .into()
            });
        }
        None => f.set_status(Status::Pending),
    }
}

/// A condition of the row in words (the compiled row has each of the
/// table's, in the same order).
fn words(c: Option<&Cond>) -> String {
    c.map(cond_words).unwrap_or_default()
}

/// The event a row's `before`, `N unit before` or `with` deadline names, in words.
fn limit_words(row: &Row) -> String {
    match &row.deadline {
        Deadline::Before { event } | Deadline::Prior { event, .. } | Deadline::With { event } => pattern_words(event),
        _ => String::new(),
    }
}

/// The period of a row's deadline, in words.
fn period_words(row: &Row) -> String {
    match &row.deadline {
        Deadline::Within { period } | Deadline::Prior { period, .. } | Deadline::ForAtLeast { period } => period.describe(),
        _ => String::new(),
    }
}

fn must<O: Out>(ctx: &Ctx<'_>, row: &Row, cr: &CRow, trigger: Option<E<'_>>, action: Option<E<'_>>, f: &mut O, why: &mut Why) {
    let c = ctx.c;
    let as_of = ctx.as_of;
    if let Some(a) = action {
        f.done_at(c, &a.e.at);
        why.push_with(|| format!("done: {}", event_words(c, ctx.case, a.e)));
    } else {
        why.push_with(|| format!("no event in the case does `{}` (as of {})", pattern_words(&row.action), show_instant(&as_of)));
    }
    match cr.due {
        Due::Within(tp) => {
            let Some(trigger) = trigger else {
                f.note(|| "a period with no trigger event cannot be counted".into());
                return;
            };
            let Some(tp) = tp else { return };
            // Without steps to show, a deadline counted from its starting day
            // alone is kept by that day, for this case's other rows and the
            // next cases'.
            let quiet = || vpl_time::deadline_quiet(&c.calendar, &trigger.e.at, tp);
            let made;
            let dl = if !why.on && vpl_time::quiet_by_day(&c.calendar, tp) {
                // Its end and last day alone, counted from the day; on an error,
                // the whole deadline is asked for the error it reports.
                let end = || match vpl_time::day_period_end(&c.calendar, trigger.x.day, tp) {
                    Some(Ok((due, last_day))) => Ok((due, Some(last_day))),
                    _ => quiet().map(|d| (d.due, d.last_day)),
                };
                ctx.v
                    .day_deadline((c.id, tp, trigger.x.day), end)
                    .map(|(due, last_day)| (Limit { due, last_day, ambiguous: false }, None))
            } else {
                made = if why.on { vpl_time::deadline(&c.calendar, &trigger.e.at, tp) } else { quiet() };
                made.as_ref().map(|d| (Limit::of(d), Some(d))).map_err(Clone::clone)
            };
            let (dl, whole) = match dl {
                Ok(d) => d,
                Err(e) => {
                    f.note(|| format!("the deadline cannot be computed: {e}"));
                    why.push_with(|| format!("deadline not computed: {e}"));
                    return;
                }
            };
            if let Some(whole) = whole {
                why.extend(whole.steps.iter().cloned());
            }
            f.due(&dl.due);
            f.last_day(dl.last_day);
            judge(c, dl, &trigger.e.at, action.map(|a| a.e), f, as_of);
            if let Some(amb) = whole.and_then(|d| d.ambiguous.as_ref()) {
                f.note_or(|| amb.clone());
            }
        }
        Due::OpenTextured => {
            let word = || match &row.deadline {
                Deadline::OpenTextured { word } => word.as_str(),
                _ => "",
            };
            f.set_status(Status::Undetermined);
            let Some(start) = trigger.map(|t| t.x.time) else {
                f.note(|| format!("to be done `{}`; a person must judge whether it was", word()));
                return;
            };
            let end = action.map_or(as_of, |a| a.x.time);
            // Words only: the lean path has no use for them.
            let elapsed = if O::TEXT { vpl_time::format_duration_human(end - start) } else { String::new() };
            let approx =
                if action.is_some_and(|a| a.x.whole_day) || trigger.is_some_and(|t| t.x.whole_day) { "about " } else { "" };
            f.elapsed(|| format!("{approx}{elapsed}"));
            f.note(|| {
                let word = word();
                match action {
                    Some(_) => format!("done {approx}{elapsed} after the trigger; whether that is `{word}` is for a person to judge"),
                    None => format!("not done; {approx}{elapsed} have passed since the trigger; whether that is still `{word}` is for a person to judge"),
                }
            });
        }
        Due::None => match action {
            Some(_) => f.set_status(Status::Met),
            None => {
                f.note(|| {
                    if trigger.is_some() {
                        "the law sets no time limit; not yet done".into()
                    } else {
                        "a standing duty; no event in the case shows it is performed".into()
                    }
                });
            }
        },
        Due::Before => {
            let limit = cr.limit.as_ref().and_then(|event| first_event(ctx, event, None));
            match (action, limit) {
                (Some(a), Some(l)) => {
                    f.due_event(c, &l.e.at, l.x.time);
                    match order(a.x, l.x) {
                        Order::Before => f.set_status(Status::Met),
                        Order::Unclear => {
                            f.note(|| {
                                format!(
                                    "done on the same day as {}; a person must establish which came first",
                                    event_words(c, ctx.case, l.e)
                                )
                            });
                        }
                        Order::Same | Order::After => {
                            let by = a.x.time - l.x.time;
                            set_late(f, c, &a.e.at, by, None);
                        }
                    }
                }
                (None, Some(l)) => {
                    f.set_status(Status::Missed);
                    f.due_event(c, &l.e.at, l.x.time);
                    why.push_with(|| format!("it had to come before {}", event_words(c, ctx.case, l.e)));
                }
                (Some(_), None) => f.set_status(Status::Met),
                (None, None) => {
                    f.set_status(Status::Pending);
                    f.note(|| format!("due before {}", limit_words(row)));
                }
            }
        }
        Due::Prior(tp) => {
            let Some(l) = cr.limit.as_ref().and_then(|event| first_event(ctx, event, None)) else {
                f.set_status(if action.is_some() { Status::Met } else { Status::Pending });
                f.note(|| format!("due {} before {}, which has not happened", period_words(row), limit_words(row)));
                return;
            };
            let Some(tp) = tp else { return };
            match vpl_time::deadline_before(&c.calendar, &l.e.at, tp) {
                Ok(dl) => {
                    why.extend(dl.steps.iter().cloned());
                    f.due(&dl.due);
                    f.last_day(dl.last_day);
                    match action {
                        Some(a) => judge(c, Limit::of(&dl), &l.e.at, Some(a.e), f, as_of),
                        None => f.set_status(Status::Missed),
                    }
                }
                Err(e) => f.note(|| format!("the deadline cannot be computed: {e}")),
            }
        }
        Due::With => {
            let Some(l) = cr.limit.as_ref().and_then(|event| first_event(ctx, event, None)) else {
                f.set_status(Status::Pending);
                f.note(|| format!("due together with {}, which has not happened", limit_words(row)));
                return;
            };
            f.due_event(c, &l.e.at, l.x.time);
            // The same act, or acts on the same day, count as "simultaneous".
            let same = ctx
                .v
                .of_kind(cr.action.kind)
                .iter()
                .filter_map(|&i| ctx.get(i))
                .filter(|a| matches_beyond_kind(ctx, &cr.action, *a))
                .any(|a| a.x.day == l.x.day);
            f.set_status(if same { Status::Met } else { Status::Missed });
        }
        Due::ForAtLeast(tp) => {
            let from = trigger.map(|t| t.e.at).or_else(|| action.map(|a| a.e.at));
            match (from, tp) {
                (Some(from), Some(tp)) => match vpl_time::deadline(&c.calendar, &from, tp) {
                    Ok(dl) => {
                        f.due(&dl.due);
                        f.note(|| format!("records must be kept until {}; a person must check them", show_instant(&dl.due)));
                    }
                    Err(e) => f.note(|| format!("the retention period cannot be computed: {e}")),
                },
                _ => f.note(|| {
                    format!("a standing duty to keep records for at least {}; a person must check them", period_words(row))
                }),
            }
        }
    }
}

/// A prohibition: the first act inside its window, for which no exception
/// held at the moment of the act, breaks it.
fn must_not(ctx: &Ctx<'_>, row: &Row, cr: &CRow, trigger: Option<E<'_>>, f: &mut impl Out, why: &mut Why) {
    let c = ctx.c;
    // No event of the act's kind at all (most prohibitions, in most cases):
    // nothing breaks it. (What the search below finds, without the search.)
    if cr.due != Due::Before && !ctx.may_have(cr.action.kind) {
        f.set_status(Status::Met);
        why.push_with(|| "no event breaks the prohibition".into());
        return;
    }
    let window_end = match cr.due {
        Due::Before => {
            let end = cr.limit.as_ref().and_then(|l| first_event(ctx, l, None));
            match end {
                Some(e) => why.push_with(|| format!("the prohibition ran until {}", event_words(c, ctx.case, e.e))),
                None => why.push_with(|| format!("no `{}` yet: the prohibition still runs", limit_words(row))),
            }
            end
        }
        _ => None,
    };
    // The events of the act's kind, in time order (the file's order among
    // equal times); with none, nothing below has anything to look at.
    let events = || ctx.v.of_kind(cr.action.kind).iter().filter_map(|&i| ctx.get(i));
    // The acts done by `as_of`, once the instrument was in force, and not
    // before the trigger: the cheap tests first, the pattern's filter last.
    // (Whether one of the kind came before the instrument's effective date
    // is noted, for the search for an act done before it, below.)
    let early = std::cell::Cell::new(false);
    let acts = events().filter(|e| {
        let in_force = c.effective.is_none_or(|eff| e.x.day >= eff);
        early.set(early.get() || !in_force);
        e.x.time <= ctx.as_of
            && in_force
            && trigger.is_none_or(|t| order(e.x, t.x) != Order::Before)
            && matches_beyond_kind(ctx, &cr.action, *e)
    });
    let mut first_exempt = None;
    for e in acts {
        if let Some(end) = window_end {
            match order(e.x, end.x) {
                Order::Before => {}
                Order::Unclear => {
                    f.set_status(Status::Undetermined);
                    f.done_at(c, &e.e.at);
                    f.note(|| {
                        format!(
                            "{} fell on the same day as {}; a person must establish which came first",
                            event_words(c, ctx.case, e.e),
                            event_words(c, ctx.case, end.e)
                        )
                    });
                    return;
                }
                Order::Same | Order::After => continue,
            }
        }
        // Exceptions are judged as things stood when the act was done.
        let at_act = Ctx { as_of: e.x.time, memo: false, ..*ctx };
        let mut excused = None;
        for (k, cex) in cr.exceptions.iter().enumerate() {
            let ex = row.exceptions.get(k);
            match cond(&at_act, cex) {
                Truth::Yes => {
                    excused = Some(ex);
                    break;
                }
                Truth::No => {}
                Truth::Unknown(w) => {
                    let w = w.words(c);
                    f.set_status(Status::Undetermined);
                    f.note(|| format!("missing data: {w}; a person must judge whether the exception `{}` applied", words(ex)));
                    return;
                }
            }
        }
        match excused {
            Some(ex) => {
                why.push_with(|| format!("{} is excused: {} held at the time", event_words(c, ctx.case, e.e), words(ex)));
                first_exempt.get_or_insert(ex);
            }
            None => {
                f.set_status(Status::Breached);
                f.breached_by(|| event_words(c, ctx.case, e.e));
                f.done_at(c, &e.e.at);
                why.push_with(|| format!("broken by {}", event_words(c, ctx.case, e.e)));
                return;
            }
        }
    }
    let before_in_force = || {
        c.effective
            .filter(|_| early.get())
            .filter(|eff| events().any(|e| e.x.time <= ctx.as_of && e.x.day < *eff && matches_beyond_kind(ctx, &cr.action, e)))
    };
    if let Some(ex) = first_exempt {
        f.set_status(Status::Exempt);
        f.note(|| format!("the act was excused: {}", words(ex)));
    } else if let Some(eff) = before_in_force() {
        f.set_status(Status::NotApplicable);
        f.note(|| format!("the act came before the instrument took effect on {eff}"));
    } else {
        f.set_status(Status::Met);
        why.push_with(|| "no event breaks the prohibition".into());
    }
}

/// The day a violation is dated to, which picks the version of its penalty
/// (see [`crate::versions`]): the breaking act, the late act, or — for a duty
/// still not done — the as-of day. Read from the finding, whose times are
/// shown in the calendar's zone, so their first ten characters are that
/// zone's date.
fn breach_dating(ctx: &Ctx<'_>, f: &Finding) -> crate::versions::Dating {
    let day_of = |s: &Option<String>| s.as_deref().and_then(|s| s.get(..10)).and_then(|d| d.parse::<NaiveDate>().ok());
    let as_of_day = ctx.judged_day;
    let deadline_day = day_of(&f.last_day).or_else(|| day_of(&f.due));
    match (f.status, day_of(&f.done_at)) {
        (Status::Breached, Some(d)) => crate::versions::Dating {
            day: d,
            because: "the day of the act that broke the prohibition".into(),
            deadline_day: None,
        },
        (Status::Late, Some(d)) => crate::versions::Dating {
            day: d,
            because: "the day the late act was done, when the breach ended".into(),
            deadline_day,
        },
        _ => crate::versions::Dating {
            day: as_of_day,
            because: "the as-of day: the duty is still not done, so the breach continues".into(),
            deadline_day,
        },
    }
}

fn exposure(ctx: &Ctx<'_>, row: &Row, dating: &crate::versions::Dating) -> Vec<PenaltyExposure> {
    let as_of_day = ctx.judged_day;
    crate::versions::choose(&ctx.c.table, &row.penalties, dating, as_of_day)
        .into_iter()
        .map(|(p, version)| {
            // The fine conditions compiled for this penalty.
            let compiled = ctx.c.table.penalties.iter().position(|q| std::ptr::eq(q, p)).and_then(|i| ctx.c.program.fines.get(i));
            (p, version, compiled)
        })
        .map(|(p, version, compiled)| PenaltyExposure {
            penalty: p.id.clone(),
            instrument: p.instrument.clone(),
            cite: p.cite.clone(),
            measures: p.measures.clone(),
            fines: p
                .fines
                .iter()
                .enumerate()
                .map(|(fi, fine)| FineExposure {
                    target: fine.target.clone(),
                    min: fine.min.clone(),
                    max: fine.max.clone(),
                    condition: fine.when.as_ref().map(cond_words),
                    // A fine with no condition applies. (`choose` hands back the table's own
                    // penalties, so a condition always has its compiled form; were one missing,
                    // the fine would be left for a person to judge, never assumed to apply.)
                    applies: match (&fine.when, compiled.and_then(|f| f.get(fi)).and_then(Option::as_ref)) {
                        (None, _) => Some(true),
                        (Some(_), None) => None,
                        (Some(_), Some(w)) => match cond(ctx, w) {
                            Truth::Yes => Some(true),
                            Truth::No => Some(false),
                            Truth::Unknown(_) => None,
                        },
                    },
                })
                .collect(),
            version,
        })
        .collect()
}

/// The earliest event matching a pattern, at or before `as_of`, and not
/// before `after` when given (an event on the same day as a whole-day
/// `after`, or the reverse, counts); the first in the file among equally
/// early ones.
fn first_event<'a>(ctx: &Ctx<'a>, p: &CPat, after: Option<&Ev>) -> Option<E<'a>> {
    // Rows share patterns (a trigger, the event a deadline runs to): the
    // first qualifying event as of the case's as-of, for a bearer, is worked
    // out once a case.
    let memo = match (after, ctx.memo) {
        (None, true) => ctx.v.memo_first(p.id, ctx.bearer),
        _ => None,
    };
    if let Some(m) = memo {
        match m.get() {
            MEMO_UNSET => {}
            NONE => return None,
            i => return ctx.get(i),
        }
    }
    let found = first_event_search(ctx, p, after);
    if let Some(m) = memo {
        m.set(found.map_or(NONE, |e| to_u32(e.i)));
    }
    found
}

/// The truth of a row condition for the bearer as of the case's as-of,
/// worked out once a case (conditions such as `not bearer.overseas` are
/// shared by many rows).
fn memo_cond(ctx: &Ctx<'_>, c: &CCond, id: u32) -> Truth {
    let memo = match ctx.memo {
        true => ctx.v.memo_cond(id, ctx.bearer),
        _ => None,
    };
    let Some(m) = memo else { return cond(ctx, c) };
    match m.get() {
        MEMO_UNSET => {}
        0 => return Truth::Yes,
        1 => return Truth::No,
        s => return Truth::Unknown(Missing(s - 2)),
    }
    let t = cond(ctx, c);
    let code = match t {
        Truth::Yes => 0,
        Truth::No => 1,
        // A slot too large to encode is not kept.
        Truth::Unknown(Missing(s)) if s < MEMO_UNSET - 2 => s + 2,
        Truth::Unknown(_) => return t,
    };
    m.set(code);
    t
}

fn first_event_search<'a>(ctx: &Ctx<'a>, p: &CPat, after: Option<&Ev>) -> Option<E<'a>> {
    // The view lists the events of each kind in time order: the first that
    // qualifies is the earliest.
    for &i in ctx.v.of_kind(p.kind) {
        let Some(e) = ctx.get(i) else { continue };
        if e.x.time > ctx.as_of {
            break;
        }
        if after.is_none_or(|a| order(e.x, a) != Order::Before) && matches_beyond_kind(ctx, p, e) {
            return Some(e);
        }
    }
    None
}

/// Who did `e` and its fields, for an event already of `p`'s kind.
fn matches_beyond_kind(ctx: &Ctx<'_>, p: &CPat, e: E<'_>) -> bool {
    let who_ok = match p.by {
        By::Bearer => ctx.bearer == e.x.actor,
        By::Any => true,
        By::Role(r) => ctx.v.holds(e.x.actor, r),
    };
    if !who_ok {
        return false;
    }
    match &p.filter {
        None => true,
        Some(f) => cond_at(ctx, f, Some(e.i)) == Truth::Yes,
    }
}

/// A condition, with no event in view (a row's condition or exception, a fine's condition).
fn cond(ctx: &Ctx<'_>, c: &CCond) -> Truth {
    cond_at(ctx, c, None)
}

/// A condition, the fields of event `ev` in view (a pattern's filter).
fn cond_at(ctx: &Ctx<'_>, c: &CCond, ev: Option<usize>) -> Truth {
    match c {
        CCond::True => Truth::Yes,
        CCond::False => Truth::No,
        CCond::Is(value) => match operand(ctx, value, ev) {
            Ok(Some(CV::Bool(b))) => Truth::from(b),
            Ok(_) => Truth::No,
            Err(why) => Truth::Unknown(why),
        },
        CCond::Cmp(cmp, left, right) => match (operand(ctx, left, ev), operand(ctx, right, ev)) {
            (Err(w), _) | (_, Err(w)) => Truth::Unknown(w),
            (Ok(Some(l)), Ok(Some(r))) => Truth::from(match compare_cv(*cmp, l, r) {
                Some(b) => b,
                // Two texts the table does not spell, or texts in order: the text decides.
                None => match (text_operand(ctx, left, ev), text_operand(ctx, right, ev)) {
                    (Some(l), Some(r)) => compare(*cmp, l, r),
                    _ => *cmp == CmpOp::Ne,
                },
            }),
            // An absent attribute matches nothing; `!=` against it holds.
            _ => Truth::from(*cmp == CmpOp::Ne),
        },
        CCond::In(left, set) => match operand(ctx, left, ev) {
            Err(w) => Truth::Unknown(w),
            Ok(Some(l)) => Truth::from(set.contains(&l)),
            Ok(None) => Truth::No,
        },
        CCond::Happened(event) => Truth::from(
            ctx.v
                .of_kind(event.kind)
                .iter()
                .filter_map(|&i| ctx.get(i))
                .any(|e| e.x.time <= ctx.as_of && matches_beyond_kind(ctx, event, e)),
        ),
        CCond::Not(inner) => cond_at(ctx, inner, ev).not(),
        CCond::All(conds) => {
            let mut unknown = None;
            for x in conds {
                match cond_at(ctx, x, ev) {
                    Truth::No => return Truth::No,
                    Truth::Unknown(w) => unknown = Some(w),
                    Truth::Yes => {}
                }
            }
            unknown.map_or(Truth::Yes, Truth::Unknown)
        }
        CCond::Any(conds) => {
            let mut unknown = None;
            for x in conds {
                match cond_at(ctx, x, ev) {
                    Truth::Yes => return Truth::Yes,
                    Truth::Unknown(w) => unknown = Some(w),
                    Truth::No => {}
                }
            }
            unknown.map_or(Truth::No, Truth::Unknown)
        }
    }
}

/// [`compare`] on values as numbers, where the numbers decide: `None` when
/// two texts (or enum values) no literal spells are compared, or texts are
/// put in order — then the text itself decides.
fn compare_cv(cmp: CmpOp, l: CV, r: CV) -> Option<bool> {
    match (l, r) {
        (CV::Text(a), CV::Text(b)) | (CV::Enum(a), CV::Enum(b)) => {
            let ordering = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
            if (a == NONE && b == NONE) || (ordering && matches!(l, CV::Text(_))) {
                return None;
            }
            // Ids are equal exactly when the texts are; enum values have no order.
            Some(match cmp {
                CmpOp::Eq => a == b,
                CmpOp::Ne => a != b,
                _ => false,
            })
        }
        // Values of other types, or of two types: the text of a string plays no part.
        _ => Some(compare(cmp, V::blank(l), V::blank(r))),
    }
}

/// A value of a case or of the table, borrowed: comparing never copies text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum V<'a> {
    Bool(bool),
    Int(i64),
    Text(&'a str),
    Date(NaiveDate),
    Enum(&'a str),
}

impl<'a> V<'a> {
    /// A value as numbers, strings without their text (for comparisons the text plays no part in).
    fn blank(v: CV) -> V<'a> {
        match v {
            CV::Bool(b) => V::Bool(b),
            CV::Int(i) => V::Int(i),
            CV::Date(d) => V::Date(d),
            CV::Text(_) => V::Text(""),
            CV::Enum(_) => V::Enum(""),
        }
    }

    fn of(v: &'a Val) -> V<'a> {
        match v {
            Val::Bool(b) => V::Bool(*b),
            Val::Int(i) => V::Int(*i),
            Val::Text(s) => V::Text(s),
            Val::Date(d) => V::Date(*d),
            Val::Enum(e) => V::Enum(e),
        }
    }
}

fn compare(cmp: CmpOp, l: V<'_>, r: V<'_>) -> bool {
    let ord = match (l, r) {
        (V::Int(a), V::Int(b)) => a.partial_cmp(&b),
        (V::Date(a), V::Date(b)) => a.partial_cmp(&b),
        (V::Text(a), V::Text(b)) => a.partial_cmp(b),
        _ => None,
    };
    match cmp {
        CmpOp::Eq => l == r,
        CmpOp::Ne => l != r,
        CmpOp::Lt => ord.is_some_and(|o| o.is_lt()),
        CmpOp::Le => ord.is_some_and(|o| o.is_le()),
        CmpOp::Gt => ord.is_some_and(|o| o.is_gt()),
        CmpOp::Ge => ord.is_some_and(|o| o.is_ge()),
    }
}

/// Ok(None): the attribute is absent. Err: a fact the case does not give.
#[inline(always)]
fn operand(ctx: &Ctx<'_>, o: &COp, ev: Option<usize>) -> Result<Option<CV>, Missing> {
    let v = ctx.v;
    match *o {
        COp::Fact(s) => v.fact(ctx.bearer, s).map(Some).ok_or(Missing(s)),
        COp::Bearer(s) => Ok(v.actor_attrs.get(ctx.bearer).and_then(|&r| v.attr(r, s))),
        COp::Field(s) => Ok(ev.and_then(|i| v.evs.get(i)).and_then(|x| v.attr(x.attrs, s))),
        COp::Lit(l) => Ok(l),
    }
}

/// An operand with its text, looked up by name: for the comparisons of
/// texts that [`compare_cv`] leaves to the text.
fn text_operand<'a>(ctx: &Ctx<'a>, o: &COp, ev: Option<usize>) -> Option<V<'a>> {
    let p = &ctx.c.program;
    match *o {
        COp::Fact(s) => {
            let name = p.facts.name(s);
            ctx.case.actors.get(ctx.bearer).map_or_else(|| ctx.case.facts.get(name), |a| a.fact(ctx.case, name)).map(V::of)
        }
        COp::Bearer(s) => ctx.case.actors.get(ctx.bearer).and_then(|a| a.attrs.get(p.attrs.name(s))).map(V::of),
        COp::Field(s) => ev.and_then(|i| ctx.case.events.get(i)).and_then(|e| e.attrs.get(p.attrs.name(s))).map(V::of),
        COp::Lit(l) => l.map(|l| match l {
            CV::Text(i) => V::Text(p.syms.name(i)),
            CV::Enum(i) => V::Enum(p.syms.name(i)),
            other => V::blank(other),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::case::Actor as CaseActor;
    use std::collections::BTreeMap;
    use vpl_core::table::model::{Cond, Operand, Value};

    /// The 2021 Provisions with one row left: the provider must report an
    /// event of `reported` within 2 days after `aware`, with `conditions` and
    /// the act's filter `filter`.
    fn one_row(conditions: Vec<Cond>, filter: Option<Cond>) -> Compiled {
        let b = vpl_core::bundled::policy("cn/provisions-2021").unwrap_or_else(|| unreachable!());
        let mut t = vpl_core::compile(b.name, b.text, &vpl_core::no_files).table.unwrap_or_else(|| unreachable!());
        t.rows.retain(|r| r.id == "provider_report_to_platform");
        assert_eq!(t.rows.len(), 1);
        if let Some(r) = t.rows.first_mut() {
            r.conditions = conditions;
            r.action.filter = filter.map(Box::new);
        }
        Compiled::new(t).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn at(s: &str) -> When {
        When::At(DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| unreachable!("{s}: {e}")))
    }

    fn case(facts: &[(&str, Val)], actor_attrs: &[(&str, Val)], report_attrs: &[(&str, Val)]) -> Case {
        let map = |kv: &[(&str, Val)]| kv.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect::<BTreeMap<_, _>>();
        let event = |kind: &str, t: &str, attrs: BTreeMap<String, Val>, index| Event {
            kind: kind.into(),
            actor: 0,
            at: at(t),
            attrs,
            index,
        };
        Case {
            id: "t".into(),
            title: None,
            as_of: None,
            facts: map(facts),
            actors: vec![CaseActor {
                id: "v".into(),
                roles: vec!["product_provider".into()],
                attrs: map(actor_attrs),
                facts: BTreeMap::new(),
            }],
            events: vec![
                event("aware", "2024-10-08T09:00:00+08:00", BTreeMap::new(), 1),
                event("reported", "2024-10-09T09:00:00+08:00", map(report_attrs), 2),
            ],
            expect: Vec::new(),
            numbers: Default::default(),
        }
    }

    /// The statuses of both paths, which must agree; with the full path's notes.
    fn statuses(c: &Compiled, case: &Case) -> Vec<(Status, Option<String>)> {
        let as_of = When::Day(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default());
        let full = check_case_with(c, case, &as_of, Options { explain: true });
        let mut lean = Vec::new();
        verdicts(c, case, &as_of, &mut lean);
        assert_eq!(full.findings.iter().map(|f| f.status).collect::<Vec<_>>(), lean.iter().map(|v| v.status).collect::<Vec<_>>());
        full.findings.into_iter().map(|f| (f.status, f.note)).collect()
    }

    /// Deadlines kept by day belong to the table they were counted for: the
    /// same starting day gives another deadline under a calendar with other
    /// rest days, checked on the same thread right after. (2024-09-29, a
    /// Sunday, was a make-up working day before National Day.)
    #[test]
    fn kept_deadlines_are_kept_per_table() {
        let official = one_row(Vec::new(), None);
        let mut t = official.table().clone();
        t.calendar.work_days.retain(|d| d != "2024-09-29");
        let without_make_up_day = Compiled::new(t).unwrap_or_else(|e| unreachable!("{e}"));
        let mut c = case(&[], &[], &[]);
        c.events[0].at = at("2024-09-27T09:00:00+08:00");
        c.events[1].at = at("2024-09-30T10:00:00+08:00");
        let due = |compiled: &Compiled| {
            let mut out = Vec::new();
            verdicts(compiled, &c, &When::Day(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default()), &mut out);
            out.first().map(|v| (v.status, v.due))
        };
        let secs = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.timestamp()).ok();
        for _ in 0..2 {
            // The last day is Sunday the 29th, a working day: the report on the 30th is late.
            assert_eq!(due(&official), Some((Status::Late, secs("2024-09-30T00:00:00+08:00"))));
            // Without the make-up day the Sunday is a rest day, and the period runs to the 30th.
            assert_eq!(due(&without_make_up_day), Some((Status::Met, secs("2024-10-01T00:00:00+08:00"))));
        }
    }

    fn field(name: &str) -> Operand {
        Operand::Field { name: name.into() }
    }

    fn fact(name: &str) -> Operand {
        Operand::Fact { name: name.into() }
    }

    fn enum_value(variant: &str) -> Operand {
        Operand::Value { value: Value::Enum { r#enum: "channel".into(), variant: variant.into() } }
    }

    #[test]
    fn an_enum_filter_compares_interned_values() {
        let to_miit = Cond::Compare { cmp: CmpOp::Eq, left: field("to"), right: enum_value("miit_platform") };
        let c = one_row(Vec::new(), Some(to_miit));
        let to = |v: &str| case(&[], &[], &[("to", Val::Enum(v.into()))]);
        assert_eq!(statuses(&c, &to("miit_platform")), vec![(Status::Met, None)]);
        // A value no literal of the table spells is interned as none: it matches nothing.
        assert_eq!(statuses(&c, &to("somewhere_else")).first().map(|s| s.0), Some(Status::Missed));
        // `!=` against it holds, and `in` finds it in no set.
        let not_miit = Cond::Compare { cmp: CmpOp::Ne, left: field("to"), right: enum_value("miit_platform") };
        let c = one_row(Vec::new(), Some(not_miit));
        assert_eq!(statuses(&c, &to("somewhere_else")).first().map(|s| s.0), Some(Status::Met));
        let set = Cond::In {
            left: field("to"),
            set: vec![Value::Enum { r#enum: "channel".into(), variant: "mps".into() }, Value::Text("miit_platform".into())],
        };
        let c = one_row(Vec::new(), Some(set));
        // An enum value never equals a text, even one spelled the same.
        assert_eq!(statuses(&c, &to("miit_platform")).first().map(|s| s.0), Some(Status::Missed));
        assert_eq!(statuses(&c, &to("mps")).first().map(|s| s.0), Some(Status::Met));
    }

    #[test]
    fn a_missing_attribute_is_absent_and_a_missing_fact_unknown() {
        // The event has no `includes_details`: the filter does not hold, so the act is not done.
        let filter = Cond::Is { value: field("includes_details") };
        let c = one_row(Vec::new(), Some(filter.clone()));
        assert_eq!(statuses(&c, &case(&[], &[], &[])).first().map(|s| s.0), Some(Status::Missed));
        assert_eq!(
            statuses(&c, &case(&[], &[], &[("includes_details", Val::Bool(true))])).first().map(|s| s.0),
            Some(Status::Met)
        );
        // An absent attribute of the bearer: `not bearer.overseas` holds.
        let not_overseas = Cond::Not { cond: Box::new(Cond::Is { value: Operand::Bearer { attr: "overseas".into() } }) };
        let c = one_row(vec![not_overseas], None);
        assert_eq!(statuses(&c, &case(&[], &[], &[])).first().map(|s| s.0), Some(Status::Met));
        assert_eq!(statuses(&c, &case(&[], &[("overseas", Val::Bool(true))], &[])), vec![]);
        // A fact the table names and the case does not give: unknown, and the finding names it.
        let c = one_row(vec![Cond::Is { value: fact("users_must_act") }], None);
        let got = statuses(&c, &case(&[("offering", Val::Enum("product".into()))], &[], &[]));
        assert_eq!(got.first().map(|s| s.0), Some(Status::Undetermined));
        assert!(got.first().and_then(|s| s.1.as_deref()).is_some_and(|n| n.contains("`users_must_act`")), "{got:?}");
        // Given, it decides; a fact the table never names plays no part.
        let given = case(&[("users_must_act", Val::Bool(true)), ("not_in_any_table", Val::Bool(false))], &[], &[]);
        assert_eq!(statuses(&c, &given), vec![(Status::Met, None)]);
        assert_eq!(statuses(&c, &case(&[("users_must_act", Val::Bool(false))], &[], &[])), vec![]);
    }

    #[test]
    fn texts_no_literal_spells_are_compared_by_their_text() {
        let same = Cond::Compare { cmp: CmpOp::Eq, left: fact("a"), right: fact("b") };
        let c = one_row(vec![same], None);
        let texts = |a: &str, b: &str| case(&[("a", Val::Text(a.into())), ("b", Val::Text(b.into()))], &[], &[]);
        assert_eq!(statuses(&c, &texts("x-1", "x-1")).len(), 1);
        assert_eq!(statuses(&c, &texts("x-1", "x-2")).len(), 0);
        let before = Cond::Compare { cmp: CmpOp::Lt, left: fact("a"), right: Operand::Value { value: Value::Text("m".into()) } };
        let c = one_row(vec![before], None);
        assert_eq!(statuses(&c, &texts("apple", "")).len(), 1);
        assert_eq!(statuses(&c, &texts("zebra", "")).len(), 0);
        // A text and an integer are never equal.
        let mixed = Cond::Compare { cmp: CmpOp::Eq, left: fact("a"), right: Operand::Value { value: Value::Int(1) } };
        let c = one_row(vec![mixed], None);
        assert_eq!(statuses(&c, &texts("1", "")).len(), 0);
    }

    #[test]
    fn memos_are_kept_per_bearer_and_per_case() {
        // Two rows with the same trigger (`aware` by the bearer) and the same condition
        // (`not bearer.overseas`): the memo of one bearer must not answer for the other, nor
        // one case's for the next.
        let b = vpl_core::bundled::policy("cn/provisions-2021").unwrap_or_else(|| unreachable!());
        let mut t = vpl_core::compile(b.name, b.text, &vpl_core::no_files).table.unwrap_or_else(|| unreachable!());
        t.rows.retain(|r| r.id == "provider_report_to_platform" || r.id == "provider_verify");
        if let Some(r) = t.rows.iter_mut().find(|r| r.id == "provider_report_to_platform") {
            r.action.filter = None;
        }
        let c = Compiled::new(t).unwrap_or_else(|e| unreachable!("{e}"));
        let triggers: Vec<u32> = c.program.rows.iter().filter_map(|r| r.trigger.as_ref().map(|p| p.id)).collect();
        assert_eq!(triggers.len(), 2);
        assert_eq!(triggers.first(), triggers.get(1), "equal patterns share an id");
        let conds: Vec<u32> = c.program.rows.iter().flat_map(|r| r.conditions.iter().map(|&(_, id)| id)).collect();
        assert_eq!(conds, vec![0, 0], "equal conditions share an id");
        let actor = |id: &str, overseas: bool| CaseActor {
            id: id.into(),
            roles: vec!["product_provider".into()],
            attrs: [("overseas".to_owned(), Val::Bool(overseas))].into_iter().collect(),
            facts: BTreeMap::new(),
        };
        let event =
            |kind: &str, actor, t: &str, index| Event { kind: kind.into(), actor, at: at(t), attrs: BTreeMap::new(), index };
        let mut two = Case {
            id: "two".into(),
            title: None,
            as_of: None,
            facts: BTreeMap::new(),
            actors: vec![actor("a", false), actor("b", false)],
            events: vec![
                event("aware", 0, "2024-10-08T09:00:00+08:00", 1),
                event("aware", 1, "2024-10-01T09:00:00+08:00", 2),
                event("reported", 0, "2024-10-09T09:00:00+08:00", 3),
                event("reported", 1, "2024-10-09T09:00:00+08:00", 4),
            ],
            expect: Vec::new(),
            numbers: Default::default(),
        };
        let as_of = When::Day(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default());
        let mut out = Vec::new();
        verdicts(&c, &two, &as_of, &mut out);
        let report = |out: &[Verdict]| {
            out.iter()
                .filter(|v| c.table.rows.get(v.row as usize).is_some_and(|r| r.id == "provider_report_to_platform"))
                .map(|v| (v.actor, v.status))
                .collect::<Vec<_>>()
        };
        // `a` reported a day after becoming aware, `b` eight days after.
        assert_eq!(report(&out), vec![(0, Status::Met), (1, Status::Late)]);
        assert_eq!(out.len(), 4);
        // The next case: `a` is overseas (neither row applies to it), and `b` never became aware.
        if let Some(a) = two.actors.first_mut() {
            *a = actor("a", true);
        }
        two.events.remove(1);
        verdicts(&c, &two, &as_of, &mut out);
        assert_eq!(out.len(), 0, "{out:?}");
        let full = check_case_with(&c, &two, &as_of, Options::default());
        assert!(full.findings.is_empty());
    }

    #[test]
    fn an_actors_own_facts_win_over_the_cases_for_duties_it_bears() {
        // The row holds only where `users_must_act`; the case says it does not, one
        // provider says that for it, it does. The other provider follows the case.
        let c = one_row(vec![Cond::Is { value: fact("users_must_act") }], None);
        let mut two = case(&[("users_must_act", Val::Bool(false))], &[], &[]);
        let mut b = two.actors.first().cloned().unwrap_or_else(|| unreachable!());
        b.id = "b".into();
        two.actors.push(b);
        if let Some(a) = two.actors.first_mut() {
            a.facts.insert("users_must_act".into(), Val::Bool(true));
        }
        let as_of = When::Day(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default());
        let mut lean = Vec::new();
        let bearers = |two: &Case, lean: &mut Vec<Verdict>| {
            verdicts(&c, two, &as_of, lean);
            let full = check_case_with(&c, two, &as_of, Options::default());
            let names = full.findings.iter().map(|f| f.actor.clone()).collect::<Vec<_>>();
            assert_eq!(
                lean.iter().map(|v| two.actors.get(v.actor as usize).map(|a| a.id.clone())).collect::<Vec<_>>(),
                names.iter().cloned().map(Some).collect::<Vec<_>>()
            );
            names
        };
        // `b` never became aware; `v` (the first) did, and its own fact makes the row hold.
        assert_eq!(bearers(&two, &mut lean), vec!["v".to_string()]);
        // Without its own fact, it follows the case: the row does not hold.
        if let Some(a) = two.actors.first_mut() {
            a.facts.clear();
        }
        assert!(bearers(&two, &mut lean).is_empty());
        // An actor's fact is its own: given to `b`, it does not reach `v`; the case gives
        // nothing, so for `v` the fact is unknown.
        two.facts.clear();
        if let Some(b) = two.actors.get_mut(1) {
            b.facts.insert("users_must_act".into(), Val::Bool(true));
        }
        let got = statuses(&c, &two);
        assert_eq!(got.first().map(|s| s.0), Some(Status::Undetermined), "{got:?}");
    }

    #[test]
    fn bearers_are_found_in_cases_of_more_than_64_actors() {
        // Up to 64 actors, a role's holders are read off bits; past that, each actor is
        // asked. Both ways give the bearers in the case's order, row by row.
        let b = vpl_core::bundled::policy("cn/provisions-2021").unwrap_or_else(|| unreachable!());
        let mut t = vpl_core::compile(b.name, b.text, &vpl_core::no_files).table.unwrap_or_else(|| unreachable!());
        t.rows.retain(|r| r.id == "provider_verify" || r.id == "provider_remedy");
        let c = Compiled::new(t).unwrap_or_else(|e| unreachable!("{e}"));
        let as_of = When::Day(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default());
        for actors in [3usize, 64, 65, 70] {
            let last = actors - 1;
            let case = Case {
                id: "many".into(),
                title: None,
                as_of: None,
                facts: BTreeMap::new(),
                actors: (0..actors)
                    .map(|i| CaseActor {
                        id: format!("a{i}"),
                        // Every other actor is a product provider; the others hold no role.
                        roles: if i % 2 == 0 || i == last { vec!["product_provider".into()] } else { Vec::new() },
                        attrs: BTreeMap::new(),
                        facts: BTreeMap::new(),
                    })
                    .collect(),
                events: (0..actors)
                    .map(|i| Event {
                        kind: "aware".into(),
                        actor: i,
                        at: at("2024-10-08T09:00:00+08:00"),
                        attrs: BTreeMap::new(),
                        index: i + 1,
                    })
                    .collect(),
                expect: Vec::new(),
                numbers: Default::default(),
            };
            let mut out = Vec::new();
            verdicts(&c, &case, &as_of, &mut out);
            let bearers: Vec<u32> = (0..actors as u32).filter(|&i| i % 2 == 0 || i as usize == last).collect();
            let expected: Vec<(u32, u32)> = [0, 1].iter().flat_map(|&r| bearers.iter().map(move |&a| (r, a))).collect();
            assert_eq!(out.iter().map(|v| (v.row, v.actor)).collect::<Vec<_>>(), expected, "{actors} actors");
            let full = check_case_with(&c, &case, &as_of, Options::default());
            assert_eq!(full.findings.len(), expected.len());
        }
    }

    #[test]
    fn fast_time_formatting_matches_chrono() {
        for s in [
            "2024-10-09T10:00:00+08:00",
            "2024-10-09T23:59:59-05:30",
            "2024-01-01T00:00:00+00:00",
            "0999-02-03T04:05:06+14:00",
            "2024-10-09T10:00:00.5+08:00",
            "2024-10-09T10:00:00.123456789+08:00",
        ] {
            let t = DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| unreachable!("{s}: {e}"));
            assert_eq!(show_instant(&t), t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false), "{s}");
        }
        for s in ["2024-02-29", "0001-01-01", "9999-12-31", "2021-11-24"] {
            let d: NaiveDate = s.parse().unwrap_or_else(|e| unreachable!("{s}: {e}"));
            assert_eq!(show_day(d), d.to_string());
        }
    }
}
