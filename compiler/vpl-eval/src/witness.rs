//! Witness cases: for a duty an amendment changed, a small case file whose
//! verdict differs between the old and the new version — e.g. an act on the
//! day after a tightened deadline, in time under one and late under the
//! other. Candidates are built from the duty's rows (its bearer, trigger,
//! condition, action and exceptions, with facts and attributes chosen to
//! make the condition hold or fail), with the act placed at several times
//! (the boundary between the two deadlines first); a candidate is kept only
//! if its JSON text loads against each version's vocabulary and checking it
//! under both versions gives a different verdict for that duty. So a witness
//! printed is a witness checked.

use crate::eval::{check_case_with, Compiled, Options};
use crate::impact::{case_impact, change_words, changes_of, Flip};
use crate::load::{load_case, LoadOptions, Vocab};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, TimeZone};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{json, Map, Value as J};
use vpl_core::diff::{ChangeKind, DutyPair, TableDiff};
use vpl_core::table::model::{Actor, CmpOp, Cond, Deadline, DecisionTable, EventPattern, Operand, Row, Value};
use vpl_core::FileId;

/// A checked witness: the case file and what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Witness {
    /// The duty's id in the new version (the old one if it was removed).
    pub duty: String,
    /// A suggested file name: `witness-DUTY.json`.
    pub file: String,
    /// The case file, as JSON.
    pub case: J,
    /// The case file's text, as checked and as the user would keep it.
    pub text: String,
    /// What checking it under both versions gives.
    pub flip: Flip,
}

/// Most candidate timelines tried for one duty (a duty whose condition has
/// many alternatives has many rows to build from).
const MAX_CANDIDATES: usize = 500;

/// A witness for the pair of duties, or why none could be built.
pub fn witness(old: &Compiled, new: &Compiled, diff: &TableDiff, pair: &DutyPair) -> Result<Witness, String> {
    let changes = changes_of(diff, pair);
    if changes.is_empty() {
        return Err("the diff lists no change to this duty".into());
    }
    if changes.iter().all(|c| c.kind == ChangeKind::Renumbered) {
        return Err("a renumbering changes only the citation; no verdict can differ".into());
    }
    let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
    let rows = |c: &Compiled, d: &Option<String>| -> Vec<Row> {
        d.as_ref().map(|d| c.table.rows.iter().filter(|r| &r.duty == d).cloned().collect()).unwrap_or_default()
    };
    let (old_rows, new_rows) = (rows(old, &pair.0), rows(new, &pair.1));
    let types = Types { tables: [&old.table, &new.table] };
    let t0 = start(old, new);
    let zone = old.calendar.zone;
    let vocab_both = Vocab::new([&old.table.vocabulary, &new.table.vocabulary]);
    let (vocab_old, vocab_new) = (Vocab::new([&old.table.vocabulary]), Vocab::new([&new.table.vocabulary]));
    let duty = pair.1.clone().or(pair.0.clone()).unwrap_or_default();
    let deadline_first = kinds.iter().any(|k| {
        matches!(
            k,
            ChangeKind::DeadlineTightened
                | ChangeKind::DeadlineLoosened
                | ChangeKind::DeadlineMadeVague
                | ChangeKind::DeadlineMadePrecise
                | ChangeKind::DeadlineChanged
                | ChangeKind::TriggerChanged
        )
    });
    // Each row of either version, against each row of the other.
    let mut plans: Vec<(&Row, Option<&Row>)> = Vec::new();
    // From the version that binds more actors first: for a narrowed bearer, the old one.
    let order = if kinds.contains(&ChangeKind::BearerNarrowed) {
        [(&old_rows, &new_rows), (&new_rows, &old_rows)]
    } else {
        [(&new_rows, &old_rows), (&old_rows, &new_rows)]
    };
    for (mine, theirs) in order {
        for r in mine.iter() {
            if theirs.is_empty() {
                plans.push((r, None));
            }
            for o in theirs.iter() {
                plans.push((r, Some(o)));
            }
        }
    }
    let mut tried = 0usize;
    // The first witness found; one where both versions apply wins when the
    // duty exists in both (a status that changes says more than a duty that vanishes).
    let both = pair.0.is_some() && pair.1.is_some();
    let mut fallback: Option<Witness> = None;
    'search: for (row, other) in plans {
        for mode in modes(row, other, &kinds) {
            let Some(base) = Draft::base(&types, row, other, &mode, t0) else { continue };
            let Some(base) = base.with_timeline(&types, row, other, t0) else { continue };
            let probe = base.clone();
            let dues = probe_dues(old, new, &vocab_both, &probe, pair, t0);
            for at in action_times(&dues, t0, &base, deadline_first) {
                let mut d = base.clone();
                if let Some(at) = at {
                    if !d.add_event(&types, &row.action, at) {
                        continue;
                    }
                }
                tried += 1;
                if tried > MAX_CANDIDATES {
                    break 'search;
                }
                let text = d.render(&duty, zone, t0, None);
                let Some(flip) = check(old, new, diff, pair, &vocab_both, &text) else { continue };
                if fallback.is_some() && (flip.old.is_empty() || flip.new.is_empty()) {
                    continue;
                }
                // Say what it shows, then check the very text that is printed.
                let why: Vec<String> = changes.iter().map(|c| change_words(c)).collect();
                let (a, b) = (&old.table.instrument.id, &new.table.instrument.id);
                let versions = if a == b { format!("both versions of {a}") } else { format!("{a} and {b}") };
                let about = format!(
                    "Generated by `vplc diff` and checked under {versions}: for {} the verdict is {} ({}).",
                    flip.actor,
                    flip.statuses(),
                    why.join("; ")
                );
                let text = d.render(&duty, zone, t0, Some(about));
                let loads = |v: &Vocab| load_case(FileId(0), 0, &text, v, LoadOptions::default()).is_ok();
                if !(loads(&vocab_old) && loads(&vocab_new)) {
                    continue;
                }
                let Some(flip) = check(old, new, diff, pair, &vocab_both, &text) else { continue };
                let Ok(case) = serde_json::from_str::<J>(&text) else { continue };
                let w = Witness { duty: duty.clone(), file: format!("witness-{duty}.json"), case, text, flip };
                if !both || !(w.flip.old.is_empty() || w.flip.new.is_empty()) {
                    return Ok(w);
                }
                fallback.get_or_insert(w);
            }
        }
    }
    if let Some(w) = fallback {
        return Ok(w);
    }
    let retention = [&old_rows, &new_rows].iter().any(|rs| rs.iter().any(|r| matches!(r.deadline, Deadline::ForAtLeast { .. })));
    Err(if retention && deadline_first {
        "a retention period is left to a person to check (the finding is undetermined under both versions)".into()
    } else if kinds.iter().all(|k| *k == ChangeKind::PenaltyChanged) {
        format!("none of the {tried} timelines tried breaks the duty under both versions, so the changed penalties never show in a verdict")
    } else {
        format!("none of the {tried} timelines tried gives a different verdict")
    })
}

/// Loads a case text and checks it under both versions: the flip for the pair, if any.
pub fn check(old: &Compiled, new: &Compiled, diff: &TableDiff, pair: &DutyPair, vocab: &Vocab, text: &str) -> Option<Flip> {
    let c = load_case(FileId(0), 0, text, vocab, LoadOptions::default()).ok()?;
    let as_of = c.as_of?;
    case_impact(old, new, std::slice::from_ref(pair), diff, &c, &as_of).into_iter().next()
}

/// The day the witness's story starts: a Monday in 2024, or two weeks after
/// both versions are in force, whichever is later, at 10:00 in the calendar's zone.
fn start(old: &Compiled, new: &Compiled) -> DateTime<FixedOffset> {
    let mut day = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap_or_default();
    for e in [old.effective, new.effective].into_iter().flatten() {
        let e = e.checked_add_days(chrono::Days::new(14)).unwrap_or(e);
        if e > day {
            day = e;
        }
    }
    // Far from the end of the calendar, so that the story's times never overflow.
    day = day.min(NaiveDate::from_ymd_opt(9000, 1, 1).unwrap_or(day));
    let zone = old.calendar.zone;
    let local = day.and_hms_opt(10, 0, 0).unwrap_or_default();
    zone.from_local_datetime(&local).single().map_or_else(|| local.and_utc().fixed_offset(), |t| t.fixed_offset())
}

/// How the facts are chosen for a candidate.
#[derive(Debug, Clone, PartialEq)]
enum Mode {
    /// The row's condition holds; no exception does.
    Plain,
    /// Also: this literal of the other version's condition fails.
    FailOther(usize),
    /// Also: this exception of the row holds.
    HoldException(usize),
}

fn modes(row: &Row, other: Option<&Row>, kinds: &[ChangeKind]) -> Vec<Mode> {
    let mut fail: Vec<Mode> = Vec::new();
    if let Some(o) = other {
        for (i, lit) in o.conditions.iter().enumerate() {
            if !row.conditions.contains(lit) {
                fail.push(Mode::FailOther(i));
            }
        }
    }
    let hold: Vec<Mode> = row
        .exceptions
        .iter()
        .enumerate()
        .filter(|(_, e)| other.is_none_or(|o| !o.exceptions.contains(e)))
        .map(|(i, _)| Mode::HoldException(i))
        .collect();
    let cond_first = kinds
        .iter()
        .any(|k| matches!(k, ChangeKind::ConditionNarrowed | ChangeKind::ConditionWidened | ChangeKind::ConditionChanged));
    let exc_first = kinds.iter().any(|k| matches!(k, ChangeKind::ExceptionAdded | ChangeKind::ExceptionRemoved));
    let mut out = Vec::new();
    if exc_first {
        out.extend(hold.iter().cloned());
    }
    if cond_first {
        out.extend(fail.iter().cloned());
    }
    out.push(Mode::Plain);
    if !cond_first {
        out.extend(fail);
    }
    if !exc_first {
        out.extend(hold);
    }
    out
}

/// The deadlines the two versions compute on a probe with no act.
fn probe_dues(
    old: &Compiled,
    new: &Compiled,
    vocab: &Vocab,
    probe: &Draft,
    pair: &DutyPair,
    t0: DateTime<FixedOffset>,
) -> Vec<DateTime<FixedOffset>> {
    let text = probe.render("probe", old.calendar.zone, t0, None);
    let Ok(case) = load_case(FileId(0), 0, &text, vocab, LoadOptions::default()) else { return Vec::new() };
    let Some(as_of) = case.as_of else { return Vec::new() };
    let mut dues = Vec::new();
    for (c, d) in [(old, &pair.0), (new, &pair.1)] {
        let Some(d) = d else { continue };
        let r = check_case_with(c, &case, &as_of, Options { explain: false });
        for f in r.findings.iter().filter(|f| &f.duty == d) {
            if let Some(t) = f.due.as_deref().and_then(|s| DateTime::parse_from_rfc3339(s).ok()) {
                dues.push(t);
            }
        }
    }
    dues.sort();
    dues.dedup();
    dues
}

/// When to place the act (`None`: not at all), most telling first.
fn action_times(
    dues: &[DateTime<FixedOffset>],
    t0: DateTime<FixedOffset>,
    base: &Draft,
    deadline_first: bool,
) -> Vec<Option<DateTime<FixedOffset>>> {
    let hours = TimeDelta::hours;
    let mut boundary = Vec::new();
    // Between two deadlines: the day after the earlier one, if the later one has not passed.
    for w in dues.windows(2) {
        if let [a, b] = w {
            let t = match a.checked_add_signed(hours(10)) {
                Some(t) if t < *b => t,
                _ => *a + (*b - *a) / 2,
            };
            boundary.push(Some(t));
        }
    }
    // After every deadline; after every event the case has.
    let last_due = dues.last().and_then(|d| d.checked_add_signed(hours(10)));
    let last_event = base.events.iter().map(|e| e.at).max().map(|t| t + TimeDelta::days(5));
    let late: Vec<Option<DateTime<FixedOffset>>> = [last_due, last_event].into_iter().flatten().map(Some).collect();
    let early = Some(t0 + hours(1));
    // Between two events of the story (e.g. the old and the new end of a window).
    let mut times: Vec<DateTime<FixedOffset>> = base.events.iter().map(|e| e.at).filter(|t| *t >= t0).collect();
    times.sort();
    times.dedup();
    boundary.extend(times.windows(2).filter_map(|w| match w {
        [a, b] => Some(Some(*a + (*b - *a) / 2)),
        _ => None,
    }));
    let mut out = Vec::new();
    if deadline_first {
        out.extend(boundary);
        out.extend(late);
        out.push(early);
        out.push(None);
    } else {
        out.push(early);
        out.push(None);
        out.extend(boundary);
        out.extend(late);
    }
    out.dedup();
    out
}

/// The vocabulary of both versions, for the types of facts and attributes.
struct Types<'t> {
    tables: [&'t DecisionTable; 2],
}

impl Types<'_> {
    fn fact(&self, name: &str) -> Option<String> {
        self.tables.iter().flat_map(|t| t.vocabulary.facts.iter()).find(|f| f.name == name).map(|f| f.r#type.clone())
    }
    fn attr(&self, name: &str) -> Option<String> {
        self.tables
            .iter()
            .flat_map(|t| t.vocabulary.roles.iter())
            .flat_map(|r| r.attrs.iter())
            .find(|a| a.name == name)
            .map(|a| a.r#type.clone())
    }
    fn field(&self, event: &str, name: &str) -> Option<String> {
        self.tables
            .iter()
            .flat_map(|t| t.vocabulary.events.iter())
            .filter(|e| e.name == event)
            .flat_map(|e| e.fields.iter())
            .find(|f| f.name == name)
            .map(|f| f.r#type.clone())
    }
    fn variants(&self, ty: &str) -> Vec<String> {
        self.tables
            .iter()
            .flat_map(|t| t.vocabulary.enums.iter())
            .find(|e| e.name == ty)
            .map(|e| e.variants.clone())
            .unwrap_or_default()
    }
    fn event_by(&self, event: &str) -> Vec<String> {
        self.tables
            .iter()
            .flat_map(|t| t.vocabulary.events.iter())
            .find(|e| e.name == event)
            .map(|e| e.by.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
struct Ev {
    kind: String,
    at: DateTime<FixedOffset>,
    attrs: Map<String, J>,
}

/// A candidate case, being built: one actor, who holds the duty's role.
#[derive(Debug, Clone, Default)]
struct Draft {
    facts: Map<String, J>,
    attrs: Map<String, J>,
    roles: Vec<String>,
    bearer: String,
    events: Vec<Ev>,
}

/// Where an operand's value goes.
enum Slot<'a> {
    Fact(&'a str),
    Attr(&'a str),
    Field(&'a str),
}

fn slot(o: &Operand) -> Option<Slot<'_>> {
    match o {
        Operand::Fact { name } => Some(Slot::Fact(name)),
        Operand::Bearer { attr } => Some(Slot::Attr(attr)),
        Operand::Field { name } => Some(Slot::Field(name)),
        Operand::Value { .. } => None,
    }
}

fn json_of(v: &Value) -> Option<J> {
    Some(match v {
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Text(s) => J::String(s.clone()),
        Value::Date(d) => J::String(d.clone()),
        Value::Enum { variant, .. } => J::String(variant.clone()),
        Value::Duration(_) | Value::Money(_) => return None,
    })
}

/// `a cmp b` read the other way round: `b flip(cmp) a`.
fn flip(cmp: CmpOp) -> CmpOp {
    match cmp {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        c => c,
    }
}

impl Draft {
    /// The actor, its facts and the events the condition needs; exceptions
    /// made to fail (or, by `mode`, one made to hold).
    fn base(t: &Types<'_>, row: &Row, other: Option<&Row>, mode: &Mode, t0: DateTime<FixedOffset>) -> Option<Draft> {
        let mut d = Draft { bearer: row.bearer.clone(), roles: vec![row.bearer.clone()], ..Draft::default() };
        let before = t0 - TimeDelta::days(1);
        for lit in &row.conditions {
            if !d.sat(t, lit, true, &mut None, before) {
                return None;
            }
        }
        let ok = match (mode, other) {
            (Mode::Plain, Some(o)) => {
                // Make the other version's condition hold too where it can, so both versions apply.
                for lit in &o.conditions {
                    let mut tryit = d.clone();
                    if tryit.sat(t, lit, true, &mut None, before) {
                        d = tryit;
                    }
                }
                true
            }
            (Mode::FailOther(i), Some(o)) => d.sat(t, o.conditions.get(*i)?, false, &mut None, before),
            (Mode::HoldException(i), _) => d.sat(t, row.exceptions.get(*i)?, true, &mut None, before),
            _ => true,
        };
        if !ok {
            return None;
        }
        let held = match mode {
            Mode::HoldException(i) => row.exceptions.get(*i),
            _ => None,
        };
        let others = other.map(|o| o.exceptions.iter()).into_iter().flatten();
        for e in row.exceptions.iter().chain(others) {
            if Some(e) == held {
                continue;
            }
            let mut tryit = d.clone();
            if tryit.sat(t, e, false, &mut None, before) {
                d = tryit;
            }
        }
        Some(d)
    }

    /// The trigger at `t0` and, for duties timed by another event, that
    /// event 30 days later (for both versions' rows: 30 days apart).
    fn with_timeline(mut self, t: &Types<'_>, row: &Row, other: Option<&Row>, t0: DateTime<FixedOffset>) -> Option<Draft> {
        if let Some(p) = &row.trigger {
            if !self.add_event(t, p, t0) {
                return None;
            }
        }
        // The other version's trigger too, ten days before (both versions in
        // force by then, see `start`), so both versions count a period.
        if let Some(p) = other.and_then(|o| o.trigger.as_ref()).filter(|p| Some(*p) != row.trigger.as_ref()) {
            let mut tryit = self.clone();
            if tryit.add_event(t, p, t0 - TimeDelta::days(10)) {
                self = tryit;
            }
        }
        let limit = |r: &Row| match &r.deadline {
            Deadline::Before { event } | Deadline::Prior { event, .. } | Deadline::With { event } => Some(event.clone()),
            _ => None,
        };
        let mut limits: Vec<EventPattern> = Vec::new();
        for r in std::iter::once(row).chain(other) {
            if let Some(l) = limit(r) {
                if !limits.contains(&l) {
                    limits.push(l);
                }
            }
        }
        // 30 days apart, so that an act can fall between them.
        for (i, l) in limits.iter().enumerate() {
            let mut tryit = self.clone();
            if tryit.add_event(t, l, t0 + TimeDelta::days(30 * (i as i64 + 1))) {
                self = tryit;
            }
        }
        Some(self)
    }

    fn ensure_role(&mut self, role: &str) {
        if !self.roles.iter().any(|r| r == role) {
            self.roles.push(role.to_string());
        }
    }

    /// Adds an event matching the pattern, by the actor, at `at`.
    fn add_event(&mut self, t: &Types<'_>, p: &EventPattern, at: DateTime<FixedOffset>) -> bool {
        if let Actor::Role(r) = &p.by {
            self.ensure_role(r);
        }
        let by = t.event_by(&p.event);
        if !by.is_empty() && !self.roles.iter().any(|r| by.contains(r)) {
            if let Some(first) = by.first() {
                self.ensure_role(first);
            }
        }
        let mut ev = Some(Ev { kind: p.event.clone(), at, attrs: Map::new() });
        if let Some(f) = &p.filter {
            if !self.sat(t, f, true, &mut ev, at) {
                return false;
            }
        }
        self.events.extend(ev);
        true
    }

    fn assign(&mut self, s: &Slot<'_>, ev: &mut Option<Ev>, v: J) -> bool {
        let (map, name) = match s {
            Slot::Fact(n) => (&mut self.facts, *n),
            Slot::Attr(n) => (&mut self.attrs, *n),
            Slot::Field(n) => match ev.as_mut() {
                Some(e) => (&mut e.attrs, *n),
                None => return false,
            },
        };
        match map.get(name) {
            Some(x) => *x == v,
            None => {
                map.insert(name.to_string(), v);
                true
            }
        }
    }

    fn type_of(&self, t: &Types<'_>, s: &Slot<'_>, ev: &Option<Ev>) -> Option<String> {
        match s {
            Slot::Fact(n) => t.fact(n),
            Slot::Attr(n) => t.attr(n),
            Slot::Field(n) => ev.as_ref().and_then(|e| t.field(&e.kind, n)),
        }
    }

    /// A value of type `ty` such that `x cmp v` holds.
    fn pick(t: &Types<'_>, ty: &str, cmp: CmpOp, v: &Value) -> Option<J> {
        match v {
            Value::Int(n) => Some(json!(match cmp {
                CmpOp::Eq | CmpOp::Le | CmpOp::Ge => *n,
                CmpOp::Ne | CmpOp::Gt => n.checked_add(1)?,
                CmpOp::Lt => n.checked_sub(1)?,
            })),
            Value::Date(s) => {
                let d: NaiveDate = s.parse().ok()?;
                let d = match cmp {
                    CmpOp::Eq | CmpOp::Le | CmpOp::Ge => d,
                    CmpOp::Ne | CmpOp::Gt => d.succ_opt()?,
                    CmpOp::Lt => d.pred_opt()?,
                };
                Some(J::String(d.to_string()))
            }
            _ => match cmp {
                CmpOp::Eq => json_of(v),
                CmpOp::Ne => Draft::other(t, ty, &[json_of(v)?]),
                _ => None,
            },
        }
    }

    /// A value of type `ty` that is none of `avoid`.
    fn other(t: &Types<'_>, ty: &str, avoid: &[J]) -> Option<J> {
        match ty {
            "bool" => [J::Bool(false), J::Bool(true)].into_iter().find(|b| !avoid.contains(b)),
            "int" => (0..=avoid.len() as i64).map(|i| json!(i)).find(|x| !avoid.contains(x)),
            "text" => (0..=avoid.len()).map(|i| J::String(format!("other{i}"))).find(|x| !avoid.contains(x)),
            "date" => (0..=avoid.len() as u64)
                .filter_map(|i| NaiveDate::from_ymd_opt(2000, 1, 1).and_then(|d| d.checked_add_days(chrono::Days::new(i))))
                .map(|d| J::String(d.to_string()))
                .find(|x| !avoid.contains(x)),
            _ => t.variants(ty).into_iter().map(J::String).find(|x| !avoid.contains(x)),
        }
    }

    /// Chooses facts, attributes and events so that `c` is `want`.
    fn sat(&mut self, t: &Types<'_>, c: &Cond, want: bool, ev: &mut Option<Ev>, at: DateTime<FixedOffset>) -> bool {
        match c {
            Cond::True => want,
            Cond::False => !want,
            Cond::Is { value } => match slot(value) {
                Some(s) => self.assign(&s, ev, J::Bool(want)),
                None => false,
            },
            Cond::Compare { cmp, left, right } => {
                let (s, v, cmp) = match (slot(left), slot(right), left, right) {
                    (Some(s), None, _, Operand::Value { value }) => (s, value, *cmp),
                    (None, Some(s), Operand::Value { value }, _) => (s, value, flip(*cmp)),
                    _ => return false,
                };
                let cmp = if want { cmp } else { cmp.negate() };
                let Some(ty) = self.type_of(t, &s, ev) else { return false };
                match Draft::pick(t, &ty, cmp, v) {
                    Some(x) => self.assign(&s, ev, x),
                    None => false,
                }
            }
            Cond::In { left, set } => {
                let Some(s) = slot(left) else { return false };
                let Some(ty) = self.type_of(t, &s, ev) else { return false };
                let values: Vec<J> = set.iter().filter_map(json_of).collect();
                let x = if want { values.first().cloned() } else { Draft::other(t, &ty, &values) };
                match x {
                    Some(x) => self.assign(&s, ev, x),
                    None => false,
                }
            }
            Cond::Happened { event } => {
                if !want {
                    return !self.events.iter().any(|e| e.kind == event.event);
                }
                if ev.is_some() {
                    return false;
                }
                self.add_event(t, event, at)
            }
            Cond::Not { cond } => self.sat(t, cond, !want, ev, at),
            Cond::All { conds } | Cond::Any { conds } => {
                let all = matches!(c, Cond::All { .. });
                if all == want {
                    // Every part must come out `want`.
                    conds.iter().all(|x| self.sat(t, x, want, ev, at))
                } else {
                    // One part coming out `want` is enough.
                    for x in conds {
                        let (mut d, mut e) = (self.clone(), ev.clone());
                        if d.sat(t, x, want, &mut e, at) {
                            *self = d;
                            *ev = e;
                            return true;
                        }
                    }
                    false
                }
            }
        }
    }

    /// The case file's text: one actor holding the duty's role, the events
    /// in order, one a line, in the layout of examples/cases.
    fn render(&self, duty: &str, zone: chrono_tz::Tz, t0: DateTime<FixedOffset>, about: Option<String>) -> String {
        let show =
            |t: &DateTime<FixedOffset>| t.with_timezone(&zone).fixed_offset().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let s = |v: &str| J::String(v.to_string()).to_string();
        let object = |m: &Map<String, J>| {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{}: {v}", s(k))).collect();
            format!("{{ {} }}", parts.join(", "))
        };
        let mut lines = vec![format!("  \"id\": {}", s(&format!("witness-{duty}")))];
        if let Some(about) = about {
            lines.push(format!("  \"title\": {}", s(&format!("Witness for the amendment of `{duty}`"))));
            lines.push(format!("  \"description\": {}", s(&about)));
        }
        // Long after every deadline of the story.
        lines.push(format!("  \"as_of\": {}", s(&show(&(t0 + TimeDelta::days(730))))));
        if !self.facts.is_empty() {
            lines.push(format!("  \"facts\": {}", object(&self.facts)));
        }
        let roles: Vec<String> = self.roles.iter().map(|r| s(r)).collect();
        let mut actor = format!("{{ \"id\": {}, \"roles\": [{}]", s(&self.bearer), roles.join(", "));
        if !self.attrs.is_empty() {
            actor.push_str(&format!(", \"attrs\": {}", object(&self.attrs)));
        }
        lines.push(format!("  \"actors\": [\n    {actor} }}\n  ]"));
        let mut events = self.events.clone();
        events.sort_by_key(|e| e.at);
        let events: Vec<String> = events
            .iter()
            .map(|e| {
                let mut ev = format!("{{ \"type\": {}, \"actor\": {}, \"at\": {}", s(&e.kind), s(&self.bearer), s(&show(&e.at)));
                if !e.attrs.is_empty() {
                    ev.push_str(&format!(", \"attrs\": {}", object(&e.attrs)));
                }
                format!("    {ev} }}")
            })
            .collect();
        lines.push(format!("  \"events\": [\n{}\n  ]", events.join(",\n")));
        format!("{{\n{}\n}}\n", lines.join(",\n"))
    }
}

/// All changed duties of a diff, in the diff's order, each once.
pub fn changed_pairs(pairs: &[DutyPair], diff: &TableDiff) -> Vec<DutyPair> {
    let mut out: Vec<(usize, DutyPair)> = Vec::new();
    for p in pairs {
        let first = changes_of(diff, p).into_iter().filter_map(|c| diff.changes.iter().position(|x| std::ptr::eq(x, c))).min();
        if let Some(i) = first {
            out.push((i, p.clone()));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, p)| p).collect()
}
