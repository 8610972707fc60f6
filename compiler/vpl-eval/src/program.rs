//! The compiled form of a decision table, and the view of a case it is
//! evaluated on.
//!
//! [`Program::new`] runs once per [`crate::Compiled`]: every name a row's
//! conditions, event patterns and exceptions (and its penalties' fine
//! conditions) use is interned as a number — event kinds, roles, facts,
//! attributes and fields (one namespace, "attribute slots"), and the text and
//! enum literals — and every condition becomes a [`CCond`] over those
//! numbers. [`View::fill`] runs once per case, into buffers kept from case to
//! case: each event's kind id, actor, place in time and the attributes the
//! table names (as `(slot, value)` pairs); each actor's roles as bits and its
//! attributes; the facts by slot; and the events of each kind in time order.
//! Evaluation ([`crate::eval`]) then compares numbers, not names.
//!
//! A string value of a case that no literal of the table spells is interned
//! as [`NONE`]: it equals no literal. Only comparing two such strings, or
//! ordering strings, looks at the text itself (by name, as the table gives it).

use crate::case::{Case, NumVal, Numbering, Val};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rustc_hash::FxHashMap;
use vpl_core::table::model::{Actor, CmpOp, Cond, Deadline, DecisionTable, EventPattern, Modality, Operand, Value};
use vpl_time::{Period as TPeriod, When};

/// The id of a name the table does not use.
pub(crate) const NONE: u32 = u32::MAX;

/// Names interned in order of first use, with hash tables to look a case's
/// names up by. A name of up to 16 bytes (nearly all) is keyed by its length
/// and its first and last eight bytes, which is the name itself, so a lookup
/// hashes three integers and compares no bytes a second time; longer names
/// are keyed by their text. Measured with callgrind on the pipeline bench's
/// cases, the lean path takes 1.8% fewer instructions than with one
/// `FxHashMap<Box<str>, u32>`, and 2.3% more than with a hand-written
/// open-addressing table on the same keys, which is not worth its code.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    list: Vec<String>,
    short: FxHashMap<(u64, u64, u32), u32>,
    long: FxHashMap<Box<str>, u32>,
}

/// `s` as a key that is the name itself: its length, and its first and last
/// eight bytes (a shorter name: its first and last four, or for up to three
/// bytes its first, middle and last byte, in both words). The two ends
/// overlap or meet, so they hold every byte. Whole-word loads rather than a
/// loop over the bytes of a short name: most of a case's names are looked up
/// here, once each per case.
#[inline]
fn key(s: &str) -> (u64, u64, u32) {
    let b = s.as_bytes();
    let n = b.len();
    let len = u32::try_from(n).unwrap_or(u32::MAX);
    let load8 = |i: usize| b.get(i..i + 8).and_then(|x| <[u8; 8]>::try_from(x).ok()).map_or(0, u64::from_le_bytes);
    let load4 =
        |i: usize| b.get(i..i + 4).and_then(|x| <[u8; 4]>::try_from(x).ok()).map_or(0, |x| u64::from(u32::from_le_bytes(x)));
    match n {
        8.. => (load8(0), load8(n - 8), len),
        4..8 => (load4(0), load4(n - 4), len),
        _ => {
            let byte = |i: usize| b.get(i).map_or(0, |&c| u64::from(c));
            let w = byte(0) | byte(n / 2) << 8 | byte(n.wrapping_sub(1)) << 16;
            (w, w, len)
        }
    }
}

impl Names {
    fn intern(&mut self, s: &str) -> u32 {
        let found = self.id(s);
        if found != NONE {
            return found;
        }
        let id = to_u32(self.list.len());
        self.list.push(s.to_owned());
        if s.len() <= 16 {
            self.short.insert(key(s), id);
        } else {
            self.long.insert(s.into(), id);
        }
        id
    }

    /// The id of `s` ([`NONE`]: not interned).
    #[inline(always)]
    pub(crate) fn id(&self, s: &str) -> u32 {
        let found = if s.len() <= 16 { self.short.get(&key(s)) } else { self.long.get(s) };
        found.copied().unwrap_or(NONE)
    }

    pub(crate) fn name(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or("", String::as_str)
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }
}

/// A value as numbers: text and enum values as the id of the literal that
/// spells them ([`NONE`]: no literal of the table does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CV {
    Bool(bool),
    Int(i64),
    Date(NaiveDate),
    Text(u32),
    Enum(u32),
}

/// An operand: a fact, an attribute of the bearer, a field of the event
/// being filtered (each by slot), or a literal (`None`: one that is no
/// value to compare, such as a duration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum COp {
    Fact(u32),
    Bearer(u32),
    Field(u32),
    Lit(Option<CV>),
}

/// Who must have done an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum By {
    Bearer,
    Any,
    Role(u32),
}

/// An event pattern: a kind id, who, and a condition on its fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CPat {
    pub kind: u32,
    pub by: By,
    pub filter: Option<Box<CCond>>,
    /// The same for equal patterns of the table: the key of the per-case
    /// memo of "the first qualifying event" ([`View::memo_first`]).
    pub id: u32,
}

/// A condition over numbers; the same shape as [`Cond`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum CCond {
    True,
    False,
    Is(COp),
    Cmp(CmpOp, COp, COp),
    /// The literals of the set that are values.
    In(COp, Vec<CV>),
    Happened(CPat),
    Not(Box<CCond>),
    All(Vec<CCond>),
    Any(Vec<CCond>),
}

/// A row compiled: its bearer role, its patterns and its conditions, in the
/// order of the row's own.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CRow {
    pub bearer: u32,
    pub trigger: Option<CPat>,
    pub action: CPat,
    /// The event of a `before`, `N unit before` or `with` deadline.
    pub limit: Option<CPat>,
    /// Each condition with its id: the same for equal conditions of the
    /// table, the key of the per-case memo of their truth ([`View::memo_cond`]).
    pub conditions: Vec<(CCond, u32)>,
    pub exceptions: Vec<CCond>,
    /// The row's modality and deadline form, here so that evaluation reads
    /// only this compiled row (the table's `Row` is read for words).
    pub modality: Modality,
    pub due: Due,
}

/// A row's deadline form with its period as the time engine takes it
/// (`None`: an amount the engine cannot count, which yields no deadline).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Due {
    None,
    Within(Option<TPeriod>),
    OpenTextured,
    Before,
    Prior(Option<TPeriod>),
    With,
    ForAtLeast(Option<TPeriod>),
}

impl Due {
    fn of(d: &Deadline) -> Due {
        match d {
            Deadline::None => Due::None,
            Deadline::Within { period: p } => Due::Within(p.counted()),
            Deadline::OpenTextured { .. } => Due::OpenTextured,
            Deadline::Before { .. } => Due::Before,
            Deadline::Prior { period: p, .. } => Due::Prior(p.counted()),
            Deadline::With { .. } => Due::With,
            Deadline::ForAtLeast { period: p } => Due::ForAtLeast(p.counted()),
        }
    }
}

/// The compiled form of a table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    /// Distinct per program made by [`Program::new`] (0: a default one), to
    /// know a translation of numbers made for it ([`View::fill`]).
    pub id: u64,
    pub kinds: Names,
    pub roles: Names,
    pub facts: Names,
    pub attrs: Names,
    pub syms: Names,
    /// Per kind: whether a pattern of that kind filters on its fields (only
    /// then are an event's fields read into the view).
    pub kind_fields: Vec<bool>,
    pub rows: Vec<CRow>,
    /// The fine conditions of each penalty (`table.penalties` order).
    pub fines: Vec<Vec<Option<CCond>>>,
    /// Each distinct pattern (kind, who, filter) and row condition, with its
    /// id ([`CPat::id`], the ids of [`CRow::conditions`]; ids count up from 0).
    pats: FxHashMap<(u32, By, Option<Box<CCond>>), u32>,
    conds: FxHashMap<CCond, u32>,
}

impl Program {
    pub(crate) fn new(t: &DecisionTable) -> Program {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut p = Program { id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed), ..Program::default() };
        p.rows = t
            .rows
            .iter()
            .map(|r| CRow {
                bearer: p.roles.intern(&r.bearer),
                trigger: r.trigger.as_ref().map(|e| p.pattern(e)),
                action: p.pattern(&r.action),
                limit: match &r.deadline {
                    Deadline::Before { event } | Deadline::Prior { event, .. } | Deadline::With { event } => {
                        Some(p.pattern(event))
                    }
                    _ => None,
                },
                conditions: r
                    .conditions
                    .iter()
                    .map(|c| {
                        let c = p.cond(c);
                        let id = p.cond_id(&c);
                        (c, id)
                    })
                    .collect(),
                exceptions: r.exceptions.iter().map(|c| p.cond(c)).collect(),
                modality: r.modality,
                due: Due::of(&r.deadline),
            })
            .collect();
        p.fines = t.penalties.iter().map(|pen| pen.fines.iter().map(|f| f.when.as_ref().map(|w| p.cond(w))).collect()).collect();
        p.kind_fields.resize(p.kinds.len(), false);
        p
    }

    /// The id of a row condition: equal conditions share one.
    fn cond_id(&mut self, c: &CCond) -> u32 {
        let next = to_u32(self.conds.len());
        *self.conds.entry(c.clone()).or_insert(next)
    }

    /// How many distinct patterns and row conditions the table has.
    pub(crate) fn memo_sizes(&self) -> (usize, usize) {
        (self.pats.len(), self.conds.len())
    }

    fn pattern(&mut self, e: &EventPattern) -> CPat {
        let kind = self.kinds.intern(&e.event);
        let by = match &e.by {
            Actor::Bearer => By::Bearer,
            Actor::Any => By::Any,
            Actor::Role(r) => By::Role(self.roles.intern(r)),
        };
        let filter = e.filter.as_ref().map(|f| Box::new(self.cond(f)));
        if filter.is_some() {
            let i = kind as usize;
            if self.kind_fields.len() <= i {
                self.kind_fields.resize(i + 1, false);
            }
            if let Some(k) = self.kind_fields.get_mut(i) {
                *k = true;
            }
        }
        let key = (kind, by, filter);
        let next = to_u32(self.pats.len());
        let id = *self.pats.entry(key.clone()).or_insert(next);
        let (kind, by, filter) = key;
        CPat { kind, by, filter, id }
    }

    fn cond(&mut self, c: &Cond) -> CCond {
        match c {
            Cond::True => CCond::True,
            Cond::False => CCond::False,
            Cond::Is { value } => CCond::Is(self.operand(value)),
            Cond::Compare { cmp, left, right } => CCond::Cmp(*cmp, self.operand(left), self.operand(right)),
            Cond::In { left, set } => CCond::In(self.operand(left), set.iter().filter_map(|v| self.literal(v)).collect()),
            Cond::Happened { event } => CCond::Happened(self.pattern(event)),
            Cond::Not { cond } => CCond::Not(Box::new(self.cond(cond))),
            // `a and (b and c)` is `a and b and c`, in the same order (so the same
            // literal decides, and the same unknown is named): one level, not two.
            Cond::All { conds } => CCond::All(flatten(conds.iter().map(|c| self.cond(c)), |c| match c {
                CCond::All(inner) => Ok(inner),
                other => Err(other),
            })),
            Cond::Any { conds } => CCond::Any(flatten(conds.iter().map(|c| self.cond(c)), |c| match c {
                CCond::Any(inner) => Ok(inner),
                other => Err(other),
            })),
        }
    }

    fn operand(&mut self, o: &Operand) -> COp {
        match o {
            Operand::Fact { name } => COp::Fact(self.facts.intern(name)),
            Operand::Bearer { attr } => COp::Bearer(self.attrs.intern(attr)),
            Operand::Field { name } => COp::Field(self.attrs.intern(name)),
            Operand::Value { value } => COp::Lit(self.literal(value)),
        }
    }

    fn literal(&mut self, v: &Value) -> Option<CV> {
        Some(match v {
            Value::Bool(b) => CV::Bool(*b),
            Value::Int(i) => CV::Int(*i),
            Value::Text(s) => CV::Text(self.syms.intern(s)),
            Value::Date(d) => CV::Date(d.parse().ok()?),
            Value::Enum { variant, .. } => CV::Enum(self.syms.intern(variant)),
            Value::Duration(_) | Value::Money(_) => return None,
        })
    }

    /// A case's value as numbers.
    fn value(&self, v: &Val) -> CV {
        match v {
            Val::Bool(b) => CV::Bool(*b),
            Val::Int(i) => CV::Int(*i),
            Val::Text(s) => CV::Text(self.syms.id(s)),
            Val::Date(d) => CV::Date(*d),
            Val::Enum(e) => CV::Enum(self.syms.id(e)),
        }
    }

    /// Words a role's bits take per actor.
    pub(crate) fn role_words(&self) -> usize {
        self.roles.len().div_ceil(64).max(1)
    }
}

/// The conditions of a conjunction (or disjunction), with those that are
/// themselves one (`split` gives their parts) replaced by their parts.
fn flatten(conds: impl Iterator<Item = CCond>, split: impl Fn(CCond) -> Result<Vec<CCond>, CCond>) -> Vec<CCond> {
    let mut out = Vec::new();
    for c in conds {
        match split(c) {
            Ok(parts) => out.extend(parts),
            Err(c) => out.push(c),
        }
    }
    out
}

/// What evaluation needs of one event, worked out once a case.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ev {
    /// Its instant in the calendar's zone (a whole day: its first instant).
    pub time: DateTime<FixedOffset>,
    /// Its day in the calendar's zone.
    pub day: NaiveDate,
    /// Whether the case gives only its day.
    pub whole_day: bool,
    /// Its kind id ([`NONE`]: a kind no pattern names).
    pub kind: u32,
    /// Index into `Case::actors`.
    pub actor: usize,
    /// Its fields the table names: `View::attrs[from..to]`, by slot.
    pub attrs: (u32, u32),
}

/// A case as numbers; the buffers are kept from case to case.
#[derive(Debug, Default)]
pub(crate) struct View {
    pub evs: Vec<Ev>,
    /// `(slot, value)` of the fields of events and the attributes of actors
    /// the table names (each event's or actor's in a run of its own).
    pub attrs: Vec<(u32, CV)>,
    /// Each actor's attributes: `attrs[from..to]`.
    pub actor_attrs: Vec<(u32, u32)>,
    /// Each actor's roles as bits, [`Program::role_words`] words an actor.
    pub roles: Vec<u64>,
    pub role_words: usize,
    /// By fact slot: the case's facts.
    pub facts: Vec<Option<CV>>,
    /// Each actor's own facts, which win over the case's where it is the
    /// bearer: `attrs[from..to]`, keyed by fact slot (empty when no actor
    /// gives any).
    pub actor_facts: Vec<(u32, u32)>,
    /// Event indices grouped by kind; each group in time order, the file's
    /// order among equal times.
    pub by_kind: Vec<u32>,
    /// Where each kind's group starts in `by_kind` (one more than kinds).
    pub kind_start: Vec<u32>,
    /// The translation of the last numbered case's vocabulary numbers into
    /// this program's ids, and the (program, vocabulary) ids it was made for
    /// (boxed: it is taken out while the view is filled, a pointer's move).
    tr: Option<Box<Translation>>,
    tr_key: (u64, u64),
    /// Bit `k` set: the case has an event of kind `k`, for the first 64
    /// kinds; every bit set past them (see [`View::may_have`]).
    kinds_present: u64,
    /// The kinds with two or more events in the case: the groups to sort.
    shared_kinds: Vec<u32>,
    /// The as-of instant and day last worked out, for the `Compiled` and
    /// `When` they were worked out for.
    pub as_of: Option<(u64, When, DateTime<FixedOffset>, NaiveDate)>,
    /// Per (pattern id, actor as bearer): the first qualifying event as of
    /// the case's as-of instant ([`MEMO_UNSET`]: not yet looked for,
    /// [`NONE`]: there is none). Reset by [`View::fill`].
    pub first_memo: Vec<std::cell::Cell<u32>>,
    /// Per (row condition id, actor as bearer): its truth as of the as-of
    /// instant, encoded by `eval` ([`MEMO_UNSET`]: not yet worked out).
    pub cond_memo: Vec<std::cell::Cell<u32>>,
    /// Actors in the case (the stride of the memos).
    pub actors: usize,
    /// Per role: the actors holding it, as bits (actor `a` is bit `a`), when
    /// the case has at most 64 actors (else empty, and [`View::holds`] is asked).
    pub holders: Vec<u64>,
    /// Quiet deadlines that depend on their start's day alone
    /// ([`vpl_time::quiet_by_day`]), by (`Compiled` id, period, starting day):
    /// kept from case to case, since the cases of a batch share their days.
    /// Cleared when it reaches [`DAY_DEADLINES`] entries.
    /// Only what judging needs is kept: the deadline's end and its last day
    /// (such a deadline has no steps and is never ambiguous).
    pub day_deadlines: std::cell::RefCell<FxHashMap<DayKey, DayDeadline>>,
}

/// What [`View::day_deadlines`] are kept by: (`Compiled` id, period, starting day).
pub(crate) type DayKey = (u64, TPeriod, NaiveDate);

/// What [`View::day_deadlines`] keeps of a deadline: its exclusive end and its last day.
pub(crate) type DayDeadline = (DateTime<FixedOffset>, Option<NaiveDate>);

/// How many deadlines [`View::day_deadlines`] keeps at most (some 30 years
/// of days for each of three periods; about 3 MB a thread, kept once grown).
const DAY_DEADLINES: usize = 1 << 15;

/// A vocabulary's numbers ([`Numbering`]) as a program's ids ([`NONE`]: a
/// name the program does not use), one table per namespace.
#[derive(Debug, Default)]
struct Translation {
    /// The vocabulary's names (for texts, which are read by name).
    names: Option<std::sync::Arc<Numbering>>,
    kinds: Vec<u32>,
    roles: Vec<u32>,
    attrs: Vec<u32>,
    facts: Vec<u32>,
    enums: Vec<u32>,
}

impl Translation {
    fn new(p: &Program, n: &Numbering) -> Translation {
        let ids = |names: &Names, list: &[String]| list.iter().map(|x| names.id(x)).collect();
        Translation {
            names: None,
            kinds: ids(&p.kinds, &n.kinds),
            roles: ids(&p.roles, &n.roles),
            attrs: ids(&p.attrs, &n.attrs),
            facts: ids(&p.facts, &n.facts),
            enums: ids(&p.syms, &n.enum_values),
        }
    }
}

/// The actors holding a role: from [`View::holders`]' bits, one step an
/// actor that holds it; in a case of more than 64 actors, each actor asked.
pub(crate) struct Holders<'a> {
    bits: u64,
    asked: std::ops::Range<usize>,
    view: &'a View,
    role: u32,
}

impl Iterator for Holders<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.bits != 0 {
            let a = self.bits.trailing_zeros() as usize;
            self.bits &= self.bits - 1;
            return Some(a);
        }
        let (view, role) = (self.view, self.role);
        self.asked.by_ref().find(|&a| view.holds(a, role))
    }
}

/// Event `e` of kind `kind` with its fields at `attrs` in the view, placed
/// by `place`. An event of a kind no row names is in no group, so nothing
/// looks at its time: it is not placed (padding events cost a lookup only).
#[inline]
fn placed(
    e: &crate::case::Event,
    kind: u32,
    attrs: (u32, u32),
    place: &impl Fn(&When) -> (DateTime<FixedOffset>, NaiveDate),
) -> Ev {
    let (time, day) = if kind == NONE { (DateTime::<chrono::Utc>::MIN_UTC.fixed_offset(), NaiveDate::MIN) } else { place(&e.at) };
    Ev { time, day, whole_day: e.at.is_whole_day(), kind, actor: e.actor, attrs }
}

/// Pushes onto `attrs` the pairs of a run of numbers whose names the
/// program uses (`ids`: the vocabulary's numbers as slots), each value
/// made by `value` from the name's number and the value.
#[inline]
fn push_run(attrs: &mut Vec<(u32, CV)>, run: &[(u32, NumVal)], ids: &[u32], value: impl Fn(u32, NumVal) -> CV) {
    for &(k, v) in run {
        let s = ids.get(k as usize).copied().unwrap_or(NONE);
        if s != NONE {
            attrs.push((s, value(k, v)));
        }
    }
}

/// A memo entry not yet worked out.
pub(crate) const MEMO_UNSET: u32 = u32::MAX - 1;

impl View {
    /// Fills the view with `case`; `place` gives an event time's instant and day.
    pub(crate) fn fill(&mut self, p: &Program, case: &Case, place: impl Fn(&When) -> (DateTime<FixedOffset>, NaiveDate)) {
        self.evs.clear();
        self.attrs.clear();
        self.actor_attrs.clear();
        self.actor_facts.clear();
        self.roles.clear();
        self.facts.clear();
        self.facts.resize(p.facts.len(), None);
        self.role_words = p.role_words();
        self.actors = case.actors.len();
        let (pats, conds) = p.memo_sizes();
        self.first_memo.clear();
        self.first_memo.resize(pats * self.actors, std::cell::Cell::new(MEMO_UNSET));
        self.cond_memo.clear();
        self.cond_memo.resize(conds * self.actors, std::cell::Cell::new(MEMO_UNSET));
        self.roles.resize(self.actors * self.role_words, 0);
        // The names: by the numbers the loader found, else one by one.
        let n = &case.numbers;
        let shaped = n.vocab != 0 && n.ends.len() == 1 + 3 * case.actors.len() + case.events.len();
        if !(shaped && self.read_numbers(p, case, &place)) {
            self.read_names(p, case, &place);
        }
        let kinds = p.kinds.len();
        self.kind_start.clear();
        self.kind_start.resize(kinds + 1, 0);
        self.shared_kinds.clear();
        let mut present = 0u64;
        for &Ev { kind, .. } in &self.evs {
            if let Some(n) = self.kind_start.get_mut(kind as usize) {
                present |= 1u64.checked_shl(kind).unwrap_or(u64::MAX);
                *n += 1;
                if *n == 2 {
                    self.shared_kinds.push(kind);
                }
            }
        }
        self.kinds_present = present;
        // Counts to starts (each kind's end for now), then each event into its group.
        let mut sum = 0;
        for n in &mut self.kind_start {
            sum += *n;
            *n = sum;
        }
        self.by_kind.clear();
        self.by_kind.resize(self.evs.len(), 0);
        for (i, x) in self.evs.iter().enumerate().rev() {
            if let Some(end) = self.kind_start.get_mut(x.kind as usize) {
                *end -= 1;
                if let Some(slot) = self.by_kind.get_mut(*end as usize) {
                    *slot = to_u32(i);
                }
            }
        }
        self.holders.clear();
        if self.actors <= 64 {
            self.holders.resize(p.roles.len(), 0);
            for (a, words) in self.roles.chunks(self.role_words.max(1)).enumerate() {
                for (w, &bits) in words.iter().enumerate() {
                    let mut bits = bits;
                    while bits != 0 {
                        let r = w * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if let Some(h) = self.holders.get_mut(r) {
                            *h |= 1u64 << a;
                        }
                    }
                }
            }
        }
        // Events of a kind in the order of their times; the sort is stable, so
        // equal times keep the file's order. (std sorts short groups by
        // insertion and long ones in O(n log n): a case may list thousands of
        // events of one kind, newest first.) Only groups of two or more need
        // it: going through every kind of the table cost more than the sorts.
        let evs = &self.evs;
        for &k in &self.shared_kinds {
            let k = k as usize;
            let (Some(&from), Some(&to)) = (self.kind_start.get(k), self.kind_start.get(k + 1)) else { continue };
            let Some(group) = self.by_kind.get_mut(from as usize..to as usize) else { continue };
            group.sort_by_key(|&i| evs.get(i as usize).map(|x| x.time));
        }
    }

    /// The names of `case` looked up one by one: a case built by hand, one
    /// whose numbers no longer fit its actors and events, or one whose
    /// vocabulary is gone.
    fn read_names(&mut self, p: &Program, case: &Case, place: &impl Fn(&When) -> (DateTime<FixedOffset>, NaiveDate)) {
        for (k, v) in &case.facts {
            let s = p.facts.id(k);
            if let Some(slot) = self.facts.get_mut(s as usize) {
                *slot = Some(p.value(v));
            }
        }
        for (ai, a) in case.actors.iter().enumerate() {
            for r in &a.roles {
                self.set_role(ai, p.roles.id(r));
            }
            let from = self.attrs.len();
            self.push_attrs(p, &a.attrs);
            self.actor_attrs.push((to_u32(from), to_u32(self.attrs.len())));
        }
        // Actors' own facts, in runs after their attributes; none at all (the
        // common case) leaves `actor_facts` empty, and every fact the case's.
        if case.actors.iter().any(|a| !a.facts.is_empty()) {
            for a in &case.actors {
                let from = self.attrs.len();
                for (k, v) in &a.facts {
                    let s = p.facts.id(k);
                    if s != NONE {
                        self.attrs.push((s, p.value(v)));
                    }
                }
                self.actor_facts.push((to_u32(from), to_u32(self.attrs.len())));
            }
        }
        for e in &case.events {
            let kind = p.kinds.id(&e.kind);
            let from = self.attrs.len();
            if p.kind_fields.get(kind as usize).copied().unwrap_or(false) {
                self.push_attrs(p, &e.attrs);
            }
            self.evs.push(placed(e, kind, (to_u32(from), to_u32(self.attrs.len())), place));
        }
    }

    /// The names of `case` read off the numbers its loader found (see
    /// [`crate::case::Numbers`] for their layout), each translated into the
    /// program's by a table made once for the program and the vocabulary.
    /// False, having read nothing, if the vocabulary that numbered the case
    /// is gone (its names cannot be known).
    fn read_numbers<'c>(
        &mut self,
        p: &Program,
        case: &'c Case,
        place: &impl Fn(&When) -> (DateTime<FixedOffset>, NaiveDate),
    ) -> bool {
        let vocab = case.numbers.vocab;
        if self.tr_key != (p.id, vocab) || p.id == 0 {
            let Some(names) = Numbering::find(vocab) else { return false };
            let mut tr = Translation::new(p, &names);
            tr.names = Some(names);
            self.tr = Some(Box::new(tr));
            self.tr_key = (p.id, vocab);
        }
        let Some(tr) = self.tr.take() else { return false };
        let Some(names) = tr.names.as_deref() else {
            self.tr = Some(tr);
            return false;
        };
        let n = &case.numbers;
        let run = |from: u32, to: u32| n.vals.get(from as usize..to as usize).unwrap_or(&[]);
        let ends = &n.ends;
        let end = |i: usize| ends.get(i).copied().unwrap_or(0);
        // A text is read from the case by its name (no number says which text).
        let value = |v: NumVal, name: &dyn Fn() -> Option<&'c Val>| match v {
            NumVal::Bool(b) => CV::Bool(b),
            NumVal::Int(i) => CV::Int(i),
            NumVal::Date(d) => CV::Date(d),
            NumVal::Enum(e) => CV::Enum(tr.enums.get(e as usize).copied().unwrap_or(NONE)),
            NumVal::Text => name().map_or(CV::Text(NONE), |v| p.value(v)),
        };
        let named = |list: &[String], k: u32, of: &'c std::collections::BTreeMap<String, Val>| {
            list.get(k as usize).and_then(|name| of.get(name))
        };
        for &(k, v) in run(0, end(0)) {
            let s = tr.facts.get(k as usize).copied().unwrap_or(NONE);
            if let Some(slot) = self.facts.get_mut(s as usize) {
                *slot = Some(value(v, &|| named(&names.facts, k, &case.facts)));
            }
        }
        let (mut at, mut ids) = (end(0), 0);
        let mut own_facts = false;
        for (ai, a) in case.actors.iter().enumerate() {
            let (attrs_end, facts_end, roles_end) = (end(1 + 3 * ai), end(2 + 3 * ai), end(3 + 3 * ai));
            for &r in n.ids.get(ids as usize..roles_end as usize).unwrap_or(&[]) {
                self.set_role(ai, tr.roles.get(r as usize).copied().unwrap_or(NONE));
            }
            let from = self.attrs.len();
            push_run(&mut self.attrs, run(at, attrs_end), &tr.attrs, |k, v| value(v, &|| named(&names.attrs, k, &a.attrs)));
            self.actor_attrs.push((to_u32(from), to_u32(self.attrs.len())));
            own_facts |= facts_end > attrs_end;
            (at, ids) = (facts_end, roles_end);
        }
        // Actors' own facts, as in `read_names`: runs only if some actor gives any.
        if own_facts {
            for (ai, a) in case.actors.iter().enumerate() {
                let from = self.attrs.len();
                let own = run(end(1 + 3 * ai), end(2 + 3 * ai));
                push_run(&mut self.attrs, own, &tr.facts, |k, v| value(v, &|| named(&names.facts, k, &a.facts)));
                self.actor_facts.push((to_u32(from), to_u32(self.attrs.len())));
            }
        }
        // Each event's kind and where its fields end, side by side; the events
        // made in one `extend` of a known length (no capacity check an event).
        let kinds = n.ids.get(ids as usize..).unwrap_or(&[]);
        let field_ends = ends.get(1 + 3 * case.actors.len()..).unwrap_or(&[]);
        let View { evs, attrs, .. } = self;
        evs.extend(case.events.iter().zip(kinds).zip(field_ends).map(|((e, &no), &to)| {
            let kind = tr.kinds.get(no as usize).copied().unwrap_or(NONE);
            let from = attrs.len();
            if p.kind_fields.get(kind as usize).copied().unwrap_or(false) {
                push_run(attrs, run(at, to), &tr.attrs, |k, v| value(v, &|| named(&names.attrs, k, &e.attrs)));
            }
            at = to;
            placed(e, kind, (to_u32(from), to_u32(attrs.len())), place)
        }));
        self.tr = Some(tr);
        true
    }

    /// Sets role `r`'s bit for actor `a` (no bit for a role the table does not name).
    #[inline]
    fn set_role(&mut self, a: usize, r: u32) {
        let r = r as usize;
        if let Some(w) = self.roles.get_mut(a * self.role_words + r / 64) {
            *w |= 1u64 << (r % 64);
        }
    }

    fn push_attrs(&mut self, p: &Program, attrs: &std::collections::BTreeMap<String, Val>) {
        for (k, v) in attrs {
            let s = p.attrs.id(k);
            if s != NONE {
                self.attrs.push((s, p.value(v)));
            }
        }
    }

    /// Whether the case may have an event of kind `kind`: surely not if its
    /// bit is clear (a kind past the 64th sets every bit).
    #[inline]
    pub(crate) fn may_have(&self, kind: u32) -> bool {
        self.kinds_present & 1u64.checked_shl(kind).unwrap_or(u64::MAX) != 0
    }

    /// The events of kind `kind`, in time order.
    pub(crate) fn of_kind(&self, kind: u32) -> &[u32] {
        let k = kind as usize;
        match (self.kind_start.get(k), self.kind_start.get(k + 1)) {
            (Some(&from), Some(&to)) => self.by_kind.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The actors holding role `r`, in order.
    pub(crate) fn holders(&self, r: u32) -> Holders<'_> {
        if self.actors > 64 {
            return Holders { bits: 0, asked: 0..self.actors, view: self, role: r };
        }
        Holders { bits: self.holders.get(r as usize).copied().unwrap_or(0), asked: 0..0, view: self, role: r }
    }

    /// Whether some actor may hold role `r`: surely not if no bit says so
    /// (a case of more than 64 actors is asked actor by actor later).
    #[inline]
    pub(crate) fn has_holder(&self, r: u32) -> bool {
        self.actors > 64 || self.holders.get(r as usize).is_some_and(|&b| b != 0)
    }

    /// Whether actor `a` holds role `r`.
    pub(crate) fn holds(&self, a: usize, r: u32) -> bool {
        let r = r as usize;
        self.roles.get(a * self.role_words + r / 64).is_some_and(|w| w & (1u64 << (r % 64)) != 0)
    }

    /// The end and last day of the quiet deadline of a period counted from an
    /// event on a day, keyed by (`Compiled` id, period, day) (see
    /// [`View::day_deadlines`]): made by `make` unless kept. An error is not kept.
    pub(crate) fn day_deadline(
        &self,
        key: DayKey,
        make: impl FnOnce() -> Result<DayDeadline, vpl_time::TimeError>,
    ) -> Result<DayDeadline, vpl_time::TimeError> {
        if let Some(&kept) = self.day_deadlines.borrow().get(&key) {
            return Ok(kept);
        }
        let made = make()?;
        let mut kept = self.day_deadlines.borrow_mut();
        if kept.len() >= DAY_DEADLINES {
            kept.clear();
        }
        kept.insert(key, made);
        Ok(made)
    }

    /// The memo cell of pattern `id` for bearer `actor`.
    pub(crate) fn memo_first(&self, id: u32, actor: usize) -> Option<&std::cell::Cell<u32>> {
        self.first_memo.get(id as usize * self.actors + actor)
    }

    /// The memo cell of row condition `id` for bearer `actor`.
    pub(crate) fn memo_cond(&self, id: u32, actor: usize) -> Option<&std::cell::Cell<u32>> {
        self.cond_memo.get(id as usize * self.actors + actor)
    }

    /// Fact `s` as it holds for actor `a`: its own value, else the case's.
    /// None: neither gives it.
    #[inline(always)]
    pub(crate) fn fact(&self, a: usize, s: u32) -> Option<CV> {
        match self.actor_facts.is_empty() {
            true => self.facts.get(s as usize).copied().flatten(),
            false => self.own_fact(a, s),
        }
    }

    /// [`View::fact`] where some actor gives facts of its own (out of line:
    /// few cases do).
    #[cold]
    #[inline(never)]
    fn own_fact(&self, a: usize, s: u32) -> Option<CV> {
        self.actor_facts.get(a).and_then(|&r| self.attr(r, s)).or_else(|| self.facts.get(s as usize).copied().flatten())
    }

    /// The value of slot `s` among `attrs[range]`.
    pub(crate) fn attr(&self, (from, to): (u32, u32), s: u32) -> Option<CV> {
        let list = self.attrs.get(from as usize..to as usize)?;
        list.iter().find(|(k, _)| *k == s).map(|&(_, v)| v)
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_by_their_whole_text() {
        let mut n = Names::default();
        let names = [
            "a",
            "aware",
            "reported",
            "12345678",
            "upstream_notified",
            "upstream_xotified",
            "same_start_and_same_end",
            "same_start_but_other_end",
            "same_start_middle_and_same_end",
        ];
        for (i, s) in names.iter().enumerate() {
            assert_eq!(n.intern(s), u32::try_from(i).unwrap_or(NONE));
        }
        // Interning again gives the same id; the table grew past its first size.
        for (i, s) in names.iter().enumerate() {
            assert_eq!(n.intern(s), u32::try_from(i).unwrap_or(NONE));
            assert_eq!(n.id(s), u32::try_from(i).unwrap_or(NONE));
            assert_eq!(n.name(n.id(s)), *s);
        }
        assert_eq!(n.len(), names.len());
        // Names sharing their length and first and last eight bytes with one interned are not it,
        // nor are short names with the same bytes in another order.
        for s in ["", "b", "awarf", "same_start_xxx_and_same_end", "same_start_middlX_and_same_end", "upstream_notifie"] {
            assert_eq!(n.id(s), NONE, "{s}");
        }
        let mut short = Names::default();
        let all: Vec<String> = [
            "ab", "ba", "abc", "acb", "bac", "abcd", "abdc", "abcde", "abxde", "abcdef", "abcxef", "abcdefg", "abcxefg", "a\0",
            "\0a",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (i, s) in all.iter().enumerate() {
            assert_eq!(short.intern(s), u32::try_from(i).unwrap_or(NONE), "{s}");
        }
        for (i, s) in all.iter().enumerate() {
            assert_eq!(short.id(s), u32::try_from(i).unwrap_or(NONE), "{s}");
        }
        for s in ["a", "", "aa", "abb", "aab", "abce", "abcdx", "abcdeg", "abcdefx", "\0", "a\0\0"] {
            assert_eq!(short.id(s), NONE, "{s}");
        }
        assert_eq!(Names::default().id("aware"), NONE);
    }

    #[test]
    fn a_name_differing_in_any_one_byte_is_another_name() {
        // Every length up to well past those keyed by words, every byte position.
        let base = |n: usize| -> String { (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect() };
        let mut names = Names::default();
        for n in 0..=40 {
            assert_eq!(names.intern(&base(n)), u32::try_from(n).unwrap_or(NONE));
        }
        for n in 0..=40 {
            assert_eq!(names.id(&base(n)), u32::try_from(n).unwrap_or(NONE), "{n}");
            for i in 0..n {
                let mut other = base(n).into_bytes();
                if let Some(c) = other.get_mut(i) {
                    *c = b'_';
                }
                let other = String::from_utf8(other).unwrap_or_default();
                assert_eq!(names.id(&other), NONE, "{other}");
            }
        }
    }

    #[test]
    fn nested_conjunctions_and_disjunctions_are_one_level() {
        let fact = |n: &str| Cond::Is { value: Operand::Fact { name: n.into() } };
        let all = |conds| Cond::All { conds };
        let any = |conds| Cond::Any { conds };
        let mut p = Program::default();
        // (a and (b and c)) and (d or (e or f)): the conjunction is flattened, the
        // disjunction inside it too, and neither is merged into the other.
        let c = p.cond(&all(vec![
            all(vec![fact("a"), all(vec![fact("b"), fact("c")])]),
            any(vec![fact("d"), any(vec![fact("e"), fact("f")])]),
        ]));
        let is = |i| CCond::Is(COp::Fact(i));
        assert_eq!(c, CCond::All(vec![is(0), is(1), is(2), CCond::Any(vec![is(3), is(4), is(5)])]));
    }

    #[test]
    fn a_view_groups_events_by_kind_in_time_order() {
        let mut p = Program::default();
        let (aware, reported) = (p.kinds.intern("aware"), p.kinds.intern("reported"));
        let day = |d: u32| When::Day(NaiveDate::from_ymd_opt(2024, 10, d).unwrap_or_default());
        let event = |kind: &str, at: When, index| crate::case::Event {
            kind: kind.into(),
            actor: 0,
            at,
            attrs: Default::default(),
            index,
        };
        let case = Case {
            id: "c".into(),
            title: None,
            as_of: None,
            facts: Default::default(),
            actors: Vec::new(),
            events: vec![
                event("reported", day(9), 1),
                event("aware", day(3), 2),
                event("unknown_kind", day(1), 3),
                event("reported", day(2), 4),
                event("reported", day(9), 5),
            ],
            expect: Vec::new(),
            numbers: Default::default(),
        };
        let mut v = View::default();
        let place = |w: &When| match w {
            When::Day(d) => (d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().fixed_offset(), *d),
            When::At(t) => (*t, t.date_naive()),
        };
        v.fill(&p, &case, place);
        assert_eq!(v.of_kind(aware), &[1]);
        // Earliest first; the file's order among equal times.
        assert_eq!(v.of_kind(reported), &[3, 0, 4]);
        assert_eq!(v.of_kind(NONE), &[] as &[u32]);
        assert_eq!(v.evs.get(2).map(|x| x.kind), Some(NONE));
        // Filled again with fewer events, nothing of the last case is left.
        let mut small = case.clone();
        small.events.truncate(2);
        v.fill(&p, &small, place);
        assert_eq!(v.of_kind(reported), &[0]);
        assert_eq!(v.of_kind(aware), &[1]);
        // A long group given newest first, two events a day: sorted by time, the file's order
        // kept within each day (the sort is stable, and not quadratic in the group's length).
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
        let mut long = case.clone();
        long.events = (0..6_000u32)
            .map(|i| event("reported", When::Day(start + chrono::Days::new(u64::from(3_000 - i / 2))), i as usize + 1))
            .collect();
        v.fill(&p, &long, place);
        let got = v.of_kind(reported);
        assert_eq!(got.len(), 6_000);
        let expected: Vec<u32> = (0..3_000u32).rev().flat_map(|d| [2 * d, 2 * d + 1]).collect();
        assert_eq!(got, expected.as_slice());
    }
}
