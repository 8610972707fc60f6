//! Declarations, instruments, articles, duties and penalties.

use super::env::*;
use super::*;
use crate::syntax::ast::{CalendarClause, DutyClause, InstrumentClause, PenaltyClause, TextClause, Timing};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::str::FromStr;

/// Who a fine is imposed on: the entity (单位), the directly responsible
/// person in charge (直接负责的主管人员), other directly responsible persons
/// (其他直接责任人员), or an individual offender (个人).
const FINE_TARGETS: &[&str] = &["entity", "person_in_charge", "other_responsible_person", "individual"];
const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const PERIOD_RULES: &[(&str, &str)] = &[("civil_code_cn", "civil-code-cn"), ("exact", "exact"), ("eu_1182_71", "eu-1182-71")];

impl<'a> Checker<'a> {
    /// First pass: enter every name, so order of declaration does not matter.
    pub(super) fn declare_file(&mut self, u: &Unit<'_>) {
        for item in items(u) {
            match item {
                Item::Role(r) => self.declare(&r.name, DeclKind::Role { fields: Rc::from([]) }, &r.docs),
                Item::Event(e) => self.declare(&e.name, DeclKind::Event { by: Rc::from([]), fields: Rc::from([]) }, &e.docs),
                Item::Fact(f) => self.declare(&f.name, DeclKind::Fact { ty: Type::Bool }, &f.docs),
                Item::Enum(e) => {
                    let variants = e.variants.iter().map(|v| v.name.node.clone()).collect::<Vec<_>>().into();
                    self.declare(&e.name, DeclKind::Enum { variants }, &e.docs);
                }
                Item::Unit(d) => {
                    let meaning = match &d.kind.node {
                        ast::UnitKind::Currency => {
                            UnitMeaning::Currency(d.names.first().map_or_else(String::new, |n| n.node.clone()))
                        }
                        ast::UnitKind::Duration(base) => match BaseUnit::parse(&base.node) {
                            Some(b) => UnitMeaning::Duration(b),
                            None => {
                                let mut diag =
                                    Diagnostic::new(Code::UnknownUnit, format!("`{}` is not a base unit of time", base.node))
                                        .primary(base.span, "unknown base unit");
                                diag = match did_you_mean(&base.node, BaseUnit::NAMES.iter().copied()) {
                                    Some(s) => diag.help(format!("did you mean `{s}`?")),
                                    None => diag.help(format!("base units: {}", BaseUnit::NAMES.join(", "))),
                                };
                                self.error(diag);
                                UnitMeaning::Invalid
                            }
                        },
                    };
                    let invalid = matches!(meaning, UnitMeaning::Invalid);
                    for n in &d.names {
                        self.declare(n, DeclKind::Unit(meaning.clone()), &d.docs);
                        if invalid {
                            // Already reported; an "unused" warning would add nothing.
                            if let Some(decl) = self.env.decls.get(&n.node) {
                                decl.used.set(true);
                            }
                        }
                    }
                }
                Item::Penalty(p) => self.declare(&p.name, DeclKind::Penalty, &p.docs),
                Item::Calendar(c) => self.declare(&c.name, DeclKind::Calendar, &c.docs),
                Item::Duty(d) => self.declare(&d.name, DeclKind::Duty, &d.docs),
                Item::Use(_) | Item::Instrument(_) | Item::Article(_) => {}
            }
        }
    }

    /// Second pass: resolve the types inside declarations.
    pub(super) fn check_declarations(&mut self, u: &Unit<'_>) {
        for item in items(u) {
            match item {
                Item::Role(r) => {
                    let fields = self.fields(&r.fields);
                    if let Some(d) = self.env.decls.get_mut(&r.name.node) {
                        if d.span == r.name.span {
                            d.kind = DeclKind::Role { fields: fields.into() };
                        }
                    }
                }
                Item::Event(e) => {
                    let mut by = Vec::new();
                    for role in &e.by {
                        if let Some(k) = self.lookup(role, "role", is_role) {
                            if is_role(&k) {
                                by.push(role.node.clone());
                            } else {
                                self.not_a(role, "role", &k, Code::NotARole);
                            }
                        }
                    }
                    let fields = self.fields(&e.fields);
                    if let Some(d) = self.env.decls.get_mut(&e.name.node) {
                        if d.span == e.name.span {
                            d.kind = DeclKind::Event { by: by.into(), fields: fields.into() };
                        }
                    }
                }
                Item::Fact(f) => {
                    let ty = self.resolve_type(&f.ty).unwrap_or(Type::Error);
                    if let Some(d) = self.env.decls.get_mut(&f.name.node) {
                        if d.span == f.name.span {
                            d.kind = DeclKind::Fact { ty };
                        }
                    }
                }
                Item::Enum(e) => {
                    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                    for v in &e.variants {
                        if let Some(prev) = seen.insert(&v.name.node, v.name.span) {
                            self.error(
                                Diagnostic::new(
                                    Code::Duplicate,
                                    format!("`{}` is listed twice in enum `{}`", v.name.node, e.name.node),
                                )
                                .primary(v.name.span, "repeated here")
                                .secondary(prev, "first listed here"),
                            );
                        }
                    }
                }
                Item::Calendar(c) => {
                    if let Some(info) = self.calendar(c) {
                        self.calendars.push((c.name.node.clone(), info));
                    }
                }
                _ => {}
            }
        }
        // Penalties need the types above, so they come after.
        for item in items(u) {
            if let Item::Penalty(p) = item {
                if let Some(info) = self.penalty(u, p) {
                    self.penalties.push(info);
                }
            }
        }
    }

    fn fields(&mut self, fields: &[ast::Field]) -> Vec<FieldInfo> {
        let mut out: Vec<FieldInfo> = Vec::new();
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for f in fields {
            if let Some(prev) = seen.insert(&f.name.node, f.name.span) {
                self.error(
                    Diagnostic::new(Code::Duplicate, format!("field `{}` is declared twice", f.name.node))
                        .primary(f.name.span, "repeated here")
                        .secondary(prev, "first declared here"),
                );
                continue;
            }
            if let Some(ty) = self.resolve_type(&f.ty) {
                out.push(FieldInfo { name: f.name.node.clone(), ty, docs: f.docs.clone() });
            }
        }
        out
    }

    /// A header clause given twice would silently win over the first.
    fn repeated_clauses<'s>(&mut self, clauses: impl Iterator<Item = (Span, &'s str)>, owner: &str) {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for (span, kind) in clauses {
            if let Some(first) = seen.insert(kind, span) {
                self.error(
                    Diagnostic::new(Code::RepeatedClause, format!("{owner} has two {kind} clauses"))
                        .primary(span, "second one here")
                        .secondary(first, "first one here")
                        .help("keep one"),
                );
            }
        }
    }

    pub(super) fn not_a(&mut self, name: &ast::Ident, wanted: &str, found: &DeclKind, code: Code) {
        use crate::diag::a_or_an;
        self.error(
            Diagnostic::new(code, format!("`{}` is not {}", name.node, a_or_an(wanted)))
                .primary(name.span, format!("this is {}, but {} is needed here", a_or_an(found.noun()), a_or_an(wanted))),
        );
    }

    fn calendar(&mut self, c: &ast::Calendar) -> Option<CalendarInfo> {
        let mut info = CalendarInfo {
            name: c.name.node.clone(),
            zone: String::new(),
            rule: String::new(),
            weekend: Vec::new(),
            covers: None,
            rest_days: Vec::new(),
            work_days: Vec::new(),
        };
        let bad = |span: Span, msg: String, help: &str| {
            Diagnostic::new(Code::BadCalendar, msg).primary(span, "here").help(help.to_string())
        };
        let mut ok = true;
        self.repeated_clauses(
            c.clauses.iter().filter_map(|x| match &x.node {
                CalendarClause::Zone(_) => Some((x.span, "`zone`")),
                CalendarClause::Rule(_) => Some((x.span, "`rule`")),
                CalendarClause::Weekend(_) => Some((x.span, "`weekend`")),
                CalendarClause::Covers(..) => Some((x.span, "`covers`")),
                CalendarClause::Year { .. } => None,
            }),
            "the calendar",
        );
        let mut years: Vec<(u32, Span, Vec<ast::DateSpan>, Vec<ast::DateSpan>)> = Vec::new();
        // Where each listed day is written, to point at a day listed twice.
        let mut rest_at: BTreeMap<chrono::NaiveDate, Span> = BTreeMap::new();
        let mut work_at: BTreeMap<chrono::NaiveDate, Span> = BTreeMap::new();
        for clause in &c.clauses {
            match &clause.node {
                CalendarClause::Zone(z) => {
                    if chrono_tz::Tz::from_str(&z.node).is_err() {
                        ok = false;
                        self.error(bad(
                            z.span,
                            format!("unknown time zone `{}`", z.node),
                            "use an IANA zone name such as \"Asia/Shanghai\" or \"Europe/Brussels\"",
                        ));
                    }
                    info.zone = z.node.clone();
                }
                CalendarClause::Rule(r) => match PERIOD_RULES.iter().find(|(id, _)| *id == r.node) {
                    Some((_, name)) => info.rule = (*name).to_string(),
                    None => {
                        ok = false;
                        let mut d = bad(
                            r.span,
                            format!("unknown period rule `{}`", r.node),
                            "period rules: civil_code_cn, exact, eu_1182_71",
                        );
                        if let Some(s) = did_you_mean(&r.node, PERIOD_RULES.iter().map(|(id, _)| *id)) {
                            d = d.help(format!("did you mean `{s}`?"));
                        }
                        self.error(d);
                    }
                },
                CalendarClause::Weekend(days) => {
                    for d in days {
                        if WEEKDAYS.contains(&d.node.as_str()) {
                            info.weekend.push(d.node.clone());
                        } else {
                            ok = false;
                            self.error(bad(
                                d.span,
                                format!("`{}` is not a weekday", d.node),
                                "weekdays are mon, tue, wed, thu, fri, sat, sun",
                            ));
                        }
                    }
                }
                CalendarClause::Covers(a, b) => {
                    if b.node < a.node {
                        ok = false;
                        self.error(bad(
                            a.span.to(b.span),
                            "`covers` range ends before it starts".into(),
                            "write the first year first",
                        ));
                    }
                    info.covers = Some((i32::try_from(a.node).unwrap_or(0), i32::try_from(b.node).unwrap_or(0)));
                }
                CalendarClause::Year { year, rest, work, .. } => {
                    for s in rest {
                        for d in days(&s.node) {
                            rest_at.entry(d).or_insert(s.span);
                        }
                    }
                    for s in work {
                        for d in days(&s.node) {
                            work_at.entry(d).or_insert(s.span);
                        }
                    }
                    years.push((
                        year.node,
                        year.span,
                        rest.iter().map(|s| s.node).collect(),
                        work.iter().map(|s| s.node).collect(),
                    ));
                    for s in rest.iter().chain(work.iter()) {
                        for d in [s.node.first.0, s.node.last.0] {
                            if i64::from(chrono::Datelike::year(&d)) != i64::from(year.node) {
                                ok = false;
                                self.error(bad(
                                    s.span,
                                    format!("{d} is not in year {}", year.node),
                                    "put each day in the block of its own year",
                                ));
                            }
                        }
                    }
                }
            }
        }
        if !c.clauses.iter().any(|x| matches!(x.node, CalendarClause::Zone(_))) {
            ok = false;
            self.error(bad(c.name.span, format!("calendar `{}` has no `zone`", c.name.node), "add e.g. zone \"Asia/Shanghai\""));
        }
        if !c.clauses.iter().any(|x| matches!(x.node, CalendarClause::Rule(_))) {
            ok = false;
            self.error(bad(
                c.name.span,
                format!("calendar `{}` has no period `rule`", c.name.node),
                "add e.g. rule civil_code_cn",
            ));
        }
        let mut rest: BTreeSet<chrono::NaiveDate> = BTreeSet::new();
        let mut work: BTreeSet<chrono::NaiveDate> = BTreeSet::new();
        for (year, span, r, w) in &years {
            if let Some((first, last)) = info.covers {
                let y = i32::try_from(*year).unwrap_or(i32::MAX);
                if y < first || y > last {
                    ok = false;
                    self.error(bad(
                        *span,
                        format!("year {year} is outside `covers {first}..{last}`"),
                        "widen `covers` or remove the year",
                    ));
                }
            }
            for s in r {
                rest.extend(days(s));
            }
            for s in w {
                work.extend(days(s));
            }
        }
        if let Some(both) = rest.intersection(&work).next() {
            ok = false;
            let (w, r) = (work_at.get(both).copied().unwrap_or(c.name.span), rest_at.get(both).copied().unwrap_or(c.name.span));
            self.error(
                Diagnostic::new(Code::BadCalendar, format!("{both} is listed both as a rest day and as a working day"))
                    .primary(w, "listed as a working day here")
                    .secondary(r, "listed as a rest day here")
                    .help("a day is one or the other"),
            );
        }
        info.rest_days = rest.iter().map(|d| d.to_string()).collect();
        info.work_days = work.iter().map(|d| d.to_string()).collect();
        ok.then_some(info)
    }

    fn penalty(&mut self, u: &Unit<'_>, p: &ast::Penalty) -> Option<PenaltyInfo> {
        let instrument = instrument_of(u).map(|i| i.id.node.clone());
        let mut cite = None;
        let mut measures = Vec::new();
        let mut fines = Vec::new();
        let mut replaces = Vec::new();
        for clause in &p.clauses {
            match &clause.node {
                PenaltyClause::Cite(c) => {
                    if cite.is_some() {
                        self.error(
                            Diagnostic::new(Code::RepeatedClause, "penalty has two `cite` clauses")
                                .primary(clause.span, "second `cite`"),
                        );
                    }
                    cite = Some(c.clone());
                }
                PenaltyClause::Measures(m) => measures.extend(m.iter().map(|i| i.node.clone())),
                PenaltyClause::Replaces(r) => {
                    for old in r {
                        match self.lookup(old, "penalty", |k| matches!(k, DeclKind::Penalty)) {
                            Some(DeclKind::Penalty) => {
                                replaces.push(old.node.clone());
                                self.replacements.push((p.name.clone(), old.clone()));
                            }
                            Some(k) => self.not_a(old, "penalty", &k, Code::NotAPenalty),
                            None => {}
                        }
                    }
                }
                PenaltyClause::Fine { target, min, max, when } => {
                    if !FINE_TARGETS.contains(&target.node.as_str()) {
                        let mut d = Diagnostic::new(Code::UnknownName, format!("unknown fine target `{}`", target.node))
                            .primary(target.span, "who is fined?");
                        d = match did_you_mean(&target.node, FINE_TARGETS.iter().copied()) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.help(format!("fines are imposed on: {}", FINE_TARGETS.join(", "))),
                        };
                        self.error(d);
                    }
                    let (lo, hi) = (self.money(min), self.money(max));
                    let when = when.as_ref().and_then(|e| self.cond(e, &expr::Scope::penalty()));
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        if lo.currency != hi.currency {
                            self.error(
                                Diagnostic::new(Code::BadRange, "fine range mixes currencies")
                                    .primary(max.span, format!("`{}` here", hi.currency))
                                    .secondary(min.span, format!("`{}` here", lo.currency)),
                            );
                        } else if lo.amount > hi.amount {
                            self.error(
                                Diagnostic::new(Code::BadRange, "fine range is inverted")
                                    .primary(min.span.to(max.span), format!("{} is more than {}", lo.amount, hi.amount))
                                    .help("write the lower amount first"),
                            );
                        } else {
                            fines.push(Fine { target: target.node.clone(), min: lo, max: hi, when });
                        }
                    }
                }
            }
        }
        if !p.clauses.iter().any(|c| matches!(c.node, PenaltyClause::Measures(_) | PenaltyClause::Fine { .. })) {
            self.error(
                Diagnostic::new(Code::MissingClause, format!("penalty `{}` imposes nothing", p.name.node))
                    .primary(p.name.span, "no `measures` and no `fine`")
                    .help("add what the article imposes, e.g. `measures order_correction, warning` or `fine entity 10_000 CNY to 100_000 CNY`"),
            );
        }
        let Some(cite) = cite else {
            self.error(
                Diagnostic::new(Code::MissingClause, format!("penalty `{}` has no `cite` clause", p.name.node))
                    .primary(p.name.span, "which article sets this penalty?")
                    .help("add e.g. `cite art 59(1)`"),
            );
            return None;
        };
        Some(PenaltyInfo {
            id: p.name.node.clone(),
            instrument: instrument.unwrap_or_default(),
            cite: cite_of(&cite.node),
            measures,
            fines,
            doc: p.docs.clone(),
            effective: instrument_of(u).and_then(effective_date),
            replaces,
        })
    }

    /// Each `replaces` link must go from a later instrument in force to an
    /// earlier one: otherwise "the version in force on the day of the
    /// breach" would have no answer, or a circular one.
    pub(super) fn check_replacements(&mut self) {
        let links = std::mem::take(&mut self.replacements);
        for (new, old) in &links {
            let find = |id: &str| self.penalties.iter().find(|p| p.id == id);
            let (Some(n), Some(o)) = (find(&new.node), find(&old.node)) else { continue };
            let problem = if n.instrument == o.instrument {
                Some((
                    format!("`{}` and `{}` belong to the same instrument", n.id, o.id),
                    "a penalty replaces one of an earlier instrument, such as the law before its amendment".to_string(),
                ))
            } else {
                match (&n.effective, &o.effective) {
                    (None, _) => Some((
                        format!("`{}` belongs to a draft, which replaces nothing", n.id),
                        format!("`{}` is a draft: it has no date from which its penalty would apply", n.instrument),
                    )),
                    (_, None) => Some((
                        format!("`{}` belongs to a draft, which never applied", o.id),
                        format!("`{}` is a draft: only a penalty in force can be replaced", o.instrument),
                    )),
                    (Some(a), Some(b)) if a <= b => Some((
                        format!("`{}` took effect on {a}, not after `{}` ({b})", n.id, o.id),
                        "the replacing instrument must take effect after the one it amends".to_string(),
                    )),
                    _ => None,
                }
            };
            if let Some((msg, help)) = problem {
                self.error(
                    Diagnostic::new(Code::BadReplacement, msg)
                        .primary(old.span, "cannot be replaced by this penalty")
                        .secondary(new.span, "the replacing penalty")
                        .help(help),
                );
            }
        }
    }

    /// Checks a policy file: its instrument header, articles, duties and
    /// the coverage rules. Returns the typed model.
    pub(super) fn check_instrument_file(&mut self, u: &Unit<'_>) -> Option<Checked> {
        let instruments: Vec<&ast::Instrument> =
            items(u).filter_map(|i| if let Item::Instrument(x) = i { Some(x) } else { None }).collect();
        if let [first, second, ..] = instruments.as_slice() {
            self.error(
                Diagnostic::new(Code::TwoInstruments, "more than one instrument in one file")
                    .primary(second.id.span, "second instrument")
                    .secondary(first.id.span, "first instrument")
                    .help("put each instrument in its own file and `use` one from the other"),
            );
        }
        let Some(inst) = instruments.first().copied() else {
            if let Some(item) = items(u).find(|i| matches!(i, Item::Article(_) | Item::Duty(_) | Item::Penalty(_))) {
                self.error(
                    Diagnostic::new(Code::NoInstrument, "articles, duties or penalties without an instrument")
                        .primary(item.span(), "which instrument does this belong to?")
                        .help("declare `instrument ID { … }` in this file"),
                );
            }
            return None;
        };
        let header = self.instrument_header(u, inst);
        let index = self.article_index(u);
        let mut duties = Vec::new();
        for item in items(u) {
            if let Item::Duty(d) = item {
                if let Some(cd) = self.duty(d, &index) {
                    duties.push(cd);
                }
            }
        }
        for item in items(u) {
            if let Item::Penalty(p) = item {
                for c in &p.clauses {
                    if let PenaltyClause::Cite(c) = &c.node {
                        self.cite_check(&index, c);
                    }
                }
            }
        }
        self.coverage(u, &index, header.as_ref().is_some_and(|(i, _)| i.excerpt.is_some()));
        let (instrument, calendar_name) = header?;
        let calendar = self.calendars.iter().find(|(n, _)| *n == calendar_name).map(|(_, c)| c.clone())?;
        let mut wanted: BTreeSet<String> = duties.iter().flat_map(|d: &CheckedDuty| d.penalties.iter().cloned()).collect();
        wanted.extend(items(u).filter_map(|i| if let Item::Penalty(p) = i { Some(p.name.node.clone()) } else { None }));
        // The later versions of those penalties, from the amending
        // instruments the file imports, so that a breach can be fined under
        // the version in force when it happened.
        self.add_later_versions(&mut wanted);
        let penalties = self.penalties.iter().filter(|p| wanted.contains(&p.id)).cloned().collect();
        Some(Checked { instrument, duties, penalties, articles: articles_info(u), vocabulary: self.vocabulary(), calendar })
    }

    fn instrument_header(&mut self, u: &Unit<'_>, inst: &ast::Instrument) -> Option<(InstrumentInfo, String)> {
        let mut info = InstrumentInfo {
            id: inst.id.node.clone(),
            title_zh: None,
            title_en: None,
            issued_by: Vec::new(),
            number: None,
            status: Status::Draft { published: String::new(), comments_until: None },
            excerpt: None,
            doc: inst.docs.clone(),
            imports: items(u).filter_map(|i| if let Item::Use(x) = i { Some(x.target.node.clone()) } else { None }).collect(),
        };
        let mut status_seen = false;
        let mut calendar: Option<String> = None;
        self.repeated_clauses(inst.clauses.iter().map(|c| (c.span, instrument_clause_kind(&c.node))), "the instrument");
        for c in &inst.clauses {
            match &c.node {
                InstrumentClause::Title(ast::Lang::Zh, t) => info.title_zh = Some(t.clone()),
                InstrumentClause::Title(ast::Lang::En, t) => info.title_en = Some(t.clone()),
                InstrumentClause::IssuedBy(v) => info.issued_by.extend(v.iter().cloned()),
                InstrumentClause::Number(n) => info.number = Some(n.clone()),
                InstrumentClause::Excerpt(e) => info.excerpt = Some(e.clone()),
                InstrumentClause::Draft { published, comments_until } => {
                    status_seen = true;
                    if let Some(cu) = comments_until {
                        if cu.node < published.node {
                            self.error(
                                Diagnostic::new(Code::BadInstrument, "comment period ends before the draft was published")
                                    .primary(cu.span, "too early")
                                    .secondary(published.span, "published here"),
                            );
                        }
                    }
                    info.status = Status::Draft {
                        published: published.node.0.to_string(),
                        comments_until: comments_until.as_ref().map(|d| d.node.0.to_string()),
                    };
                }
                InstrumentClause::InForce { issued, effective } => {
                    status_seen = true;
                    if effective.node < issued.node {
                        self.error(
                            Diagnostic::new(Code::BadInstrument, "the instrument takes effect before it was issued")
                                .primary(effective.span, "effective date")
                                .secondary(issued.span, "issued here"),
                        );
                    }
                    info.status = Status::InForce { issued: issued.node.0.to_string(), effective: effective.node.0.to_string() };
                }
                InstrumentClause::Calendar(name) if self.env.peek(&name.node).is_none() => {
                    let known: Vec<&str> = self.env.names_of(|k| matches!(k, DeclKind::Calendar)).collect();
                    let mut d = Diagnostic::new(Code::UnknownCalendar, format!("unknown calendar `{}`", name.node))
                        .primary(name.span, "no calendar has this name");
                    d = match did_you_mean(&name.node, known.iter().copied()) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!("calendars: {}", known.join(", "))),
                    };
                    self.error(d);
                }
                InstrumentClause::Calendar(name) => match self.lookup(name, "calendar", |k| matches!(k, DeclKind::Calendar)) {
                    Some(DeclKind::Calendar) => calendar = Some(name.node.clone()),
                    Some(k) => {
                        let msg = format!("`{}` is not a calendar", name.node);
                        self.error(
                            Diagnostic::new(Code::UnknownCalendar, msg).primary(name.span, format!("this is a {}", k.noun())),
                        );
                    }
                    None => {}
                },
            }
        }
        if info.title_zh.is_none() && info.title_en.is_none() {
            self.error(
                Diagnostic::new(Code::BadInstrument, format!("instrument `{}` has no title", inst.id.node))
                    .primary(inst.id.span, "add `title zh \"…\"` and `title en \"…\"`"),
            );
        }
        if !status_seen {
            self.error(
                Diagnostic::new(Code::BadInstrument, format!("instrument `{}` has no status", inst.id.node))
                    .primary(inst.id.span, "is it a draft or in force?")
                    .help("add `status in_force issued 2021-07-12 effective 2021-09-01` or `status draft published 2019-06-18`"),
            );
        }
        let has_calendar_clause = inst.clauses.iter().any(|c| matches!(c.node, InstrumentClause::Calendar(_)));
        if !has_calendar_clause {
            self.error(
                Diagnostic::new(Code::UnknownCalendar, format!("instrument `{}` names no calendar", inst.id.node))
                    .primary(inst.id.span, "periods need a calendar")
                    .help("add `calendar cn` (PRC calendar, Civil Code period rule)"),
            );
        }
        let calendar = calendar?;
        (status_seen && (info.title_zh.is_some() || info.title_en.is_some())).then_some((info, calendar))
    }

    fn article_index(&mut self, u: &Unit<'_>) -> ArticleIndex {
        let mut index = ArticleIndex::default();
        for item in items(u) {
            let Item::Article(a) = item else { continue };
            if let Some(prev) = index.articles.get(&a.number.node) {
                let prev_span = prev.span;
                self.error(
                    Diagnostic::new(Code::DuplicateArticle, format!("article {} is declared twice", a.number.node))
                        .primary(a.number.span, "declared again here")
                        .secondary(prev_span, "first declared here"),
                );
                continue;
            }
            let mut paragraphs: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for p in &a.paragraphs {
                if paragraphs.contains_key(&p.number.node) {
                    self.error(
                        Diagnostic::new(
                            Code::DuplicateArticle,
                            format!("paragraph {} of article {} is declared twice", p.number.node, a.number.node),
                        )
                        .primary(p.number.span, "declared again here"),
                    );
                    continue;
                }
                let mut nums = Vec::new();
                for i in &p.items {
                    if nums.contains(&i.number.node) {
                        self.error(
                            Diagnostic::new(
                                Code::DuplicateArticle,
                                format!(
                                    "item {} of article {}({}) is declared twice",
                                    i.number.node, a.number.node, p.number.node
                                ),
                            )
                            .primary(i.number.span, "declared again here"),
                        );
                    }
                    nums.push(i.number.node);
                }
                paragraphs.insert(p.number.node, nums);
            }
            // Empty strings are no text.
            let real = |t: &crate::span::Spanned<TextClause>| match &t.node {
                TextClause::Text(_, s) | TextClause::Missing(_, s) => !s.trim().is_empty(),
            };
            let has_text = a.texts.iter().chain(a.paragraphs.iter().flat_map(|p| p.texts.iter())).any(real)
                || a.paragraphs.iter().any(|p| p.items.iter().any(|i| i.texts.iter().any(real)));
            if !has_text {
                self.error(
                    Diagnostic::new(Code::NoText, format!("article {} has no text", a.number.node))
                        .primary(a.number.span, "lawyers read the text beside the duties")
                        .help("add `zh \"…\"` / `en \"…\"`, or `zh missing \"why\"`"),
                );
            }
            index.articles.insert(
                a.number.node,
                ArticleEntry {
                    span: a.number.span,
                    no_duty: a.no_duty.is_some(),
                    paragraphs,
                    cited: std::cell::Cell::new(false),
                },
            );
        }
        index
    }

    fn cite_check(&mut self, index: &ArticleIndex, c: &crate::span::Spanned<ast::Citation>) -> bool {
        if index.has(&c.node) {
            if let Some(a) = index.articles.get(&c.node.article) {
                a.cited.set(true);
                if a.no_duty {
                    let span = a.span;
                    self.error(
                        Diagnostic::new(
                            Code::NoDutyButCited,
                            format!("article {} is marked as carrying no duty, but is cited", c.node.article),
                        )
                        .primary(c.span, "cited here")
                        .secondary(span, "marked `no_duty` here")
                        .help("remove the `no_duty` line, or fix the citation"),
                    );
                }
            }
            return true;
        }
        let what = if index.articles.contains_key(&c.node.article) {
            let shown = c.node.to_string();
            format!(
                "article {} has no {}",
                c.node.article,
                if c.node.item.is_some() { format!("item matching `{shown}`") } else { format!("paragraph matching `{shown}`") }
            )
        } else {
            format!("article {} is not declared in this instrument", c.node.article)
        };
        let known: Vec<String> = index.articles.keys().map(|n| n.to_string()).collect();
        let mut d = Diagnostic::new(Code::UnknownArticle, format!("`{}` cites nothing declared", c.node)).primary(c.span, what);
        if !known.is_empty() {
            d = d.help(format!("declared articles: {}", known.join(", ")));
        }
        self.error(d);
        false
    }

    fn coverage(&mut self, u: &Unit<'_>, index: &ArticleIndex, _excerpt: bool) {
        for item in items(u) {
            let Item::Article(a) = item else { continue };
            let Some(entry) = index.articles.get(&a.number.node) else { continue };
            if entry.span != a.number.span {
                continue;
            }
            if !entry.cited.get() && !entry.no_duty {
                self.error(
                    Diagnostic::new(
                        Code::ArticleNotCovered,
                        format!("article {} is neither encoded nor marked as carrying no duty", a.number.node),
                    )
                    .primary(a.number.span, "no duty or penalty cites this article")
                    .help("encode its duties (`cite art N…`), or add `no_duty \"purpose\"` if it imposes none"),
                );
            }
        }
    }

    fn duty(&mut self, d: &ast::Duty, index: &ArticleIndex) -> Option<CheckedDuty> {
        let mut cite = None;
        let mut rule = None;
        let mut deadline_clause = None;
        let mut when = None;
        let mut unless = Vec::new();
        let mut penalties = Vec::new();
        for c in &d.clauses {
            let repeated = |this: &mut Self, what: &str| {
                this.error(
                    Diagnostic::new(Code::RepeatedClause, format!("duty `{}` has two {what} clauses", d.name.node))
                        .primary(c.span, "second one here")
                        .help("a duty has one cite, one rule line, one deadline and one `when` (join conditions with `and`)"),
                );
            };
            match &c.node {
                DutyClause::Cite(x) => {
                    if cite.is_some() {
                        repeated(self, "`cite`");
                    } else {
                        cite = Some(x);
                    }
                }
                DutyClause::Rule { .. } => {
                    if rule.is_some() {
                        repeated(self, "rule");
                    } else {
                        rule = Some(&c.node);
                    }
                }
                DutyClause::Deadline { timing, trigger } => {
                    if deadline_clause.is_some() {
                        repeated(self, "deadline");
                    } else {
                        deadline_clause = Some((timing, trigger, c.span));
                    }
                }
                DutyClause::When(e) => {
                    if when.is_some() {
                        repeated(self, "`when`");
                    } else {
                        when = Some(e);
                    }
                }
                DutyClause::Unless(e) => unless.push(e),
                DutyClause::Penalty(p) => penalties.push(p),
            }
        }
        let cite_ok = match cite {
            Some(c) => self.cite_check(index, c),
            None => {
                self.error(
                    Diagnostic::new(Code::MissingClause, format!("duty `{}` cites no article", d.name.node))
                        .primary(d.name.span, "every duty cites its article")
                        .help("add e.g. `cite art 7(1)(2)`"),
                );
                false
            }
        };
        let Some(DutyClause::Rule { bearer, modality, action }) = rule else {
            self.error(
                Diagnostic::new(Code::MissingClause, format!("duty `{}` has no rule line", d.name.node))
                    .primary(d.name.span, "who must do what?")
                    .help("add e.g. `product_provider must reported where to == miit_platform`"),
            );
            return None;
        };
        let bearer_ok = match self.lookup(bearer, "role", is_role) {
            Some(k) if is_role(&k) => true,
            Some(k) => {
                self.not_a(bearer, "role", &k, Code::NotARole);
                false
            }
            None => false,
        };
        let bearer_name = bearer_ok.then_some(bearer.node.as_str());
        let modality_t = modality.node;
        let action_p = self.event_pattern(action, bearer_name, Actor::Bearer, false);
        let mut trigger = None;
        let mut deadline = Deadline::None;
        if let Some((timing, trig, span)) = deadline_clause {
            if let Some(t) = trig {
                trigger = self.event_pattern(t, bearer_name, Actor::Bearer, false);
            }
            if let Some(t) = timing {
                if trig.is_none() && matches!(t.node, Timing::Within(_) | Timing::Vague(_)) {
                    self.error(
                        Diagnostic::new(Code::MissingClause, "a period needs the event it runs from")
                            .primary(t.span, "counted from what?")
                            .help("add `after EVENT`, e.g. `within 2 days after aware`"),
                    );
                }
                deadline = self.timing(t, bearer_name).unwrap_or(Deadline::None);
                let fits = matches!((modality_t, &t.node), (Modality::Must, _) | (Modality::MustNot, Timing::Before(_)));
                if !fits {
                    self.error(
                        Diagnostic::new(Code::DeadlineModality, format!("`{}` does not take this deadline", modality_t.as_str()))
                            .primary(t.span, "this deadline form")
                            .secondary(modality.span, format!("the duty is `{}`", modality_t.as_str()))
                            .help(match modality_t {
                                Modality::MustNot => "a prohibition takes a window (`before EVENT`) or none; it is broken by doing, not by being late",
                                _ => "`may` and `encouraged` take a trigger (`after EVENT`) at most",
                            }),
                    );
                }
            }
            let _ = span;
        }
        let scope = expr::Scope::condition(bearer_name);
        let when = when.and_then(|e| self.cond(e, &scope).map(|c| (c, e.span)));
        let exceptions: Vec<Cond> = unless.iter().filter_map(|e| self.cond(e, &scope)).collect();
        let mut penalty_names = Vec::new();
        for p in penalties {
            match self.lookup(p, "penalty", |k| matches!(k, DeclKind::Penalty)) {
                Some(DeclKind::Penalty) => penalty_names.push(p.node.clone()),
                Some(k) => self.not_a(p, "penalty", &k, Code::NotAPenalty),
                None => {}
            }
        }
        let cite = cite?;
        if !(cite_ok && bearer_ok) {
            return None;
        }
        Some(CheckedDuty {
            name: d.name.node.clone(),
            span: d.name.span,
            cite: cite_of(&cite.node),
            modality: modality_t,
            bearer: bearer.node.clone(),
            when,
            trigger,
            action: action_p?,
            deadline,
            exceptions,
            penalties: penalty_names,
            doc: d.docs.clone(),
        })
    }

    fn timing(&mut self, t: &crate::span::Spanned<Timing>, bearer: Option<&str>) -> Option<Deadline> {
        Some(match &t.node {
            Timing::Within(q) => Deadline::Within { period: self.period(q)? },
            Timing::Vague(v) => Deadline::OpenTextured { word: v.as_str().to_string() },
            Timing::Before(e) => Deadline::Before { event: self.event_pattern(e, bearer, Actor::Any, false)? },
            Timing::Prior(q, e) => {
                let period = self.period(q);
                Deadline::Prior { period: period?, event: self.event_pattern(e, bearer, Actor::Any, false)? }
            }
            Timing::With(e) => Deadline::With { event: self.event_pattern(e, bearer, Actor::Bearer, false)? },
            Timing::ForAtLeast(q) => Deadline::ForAtLeast { period: self.period(q)? },
        })
    }

    /// Resolves an event reference. `default` says who does the event when
    /// no `by ROLE` is written; `in_condition`: a `happened` test's (else an
    /// event on a duty's rule line), for the words of W0005.
    pub(super) fn event_pattern(
        &mut self,
        r: &ast::EventRef,
        bearer: Option<&str>,
        default: Actor,
        in_condition: bool,
    ) -> Option<EventPattern> {
        let kind = self.lookup(&r.event, "event", is_event)?;
        let DeclKind::Event { by: allowed, .. } = kind else {
            self.not_a(&r.event, "event", &kind, Code::NotAnEvent);
            return None;
        };
        let by = match &r.by {
            // `by bearer`: the very actor the duty binds, not anyone with its role.
            Some(role) if role.node == "bearer" => Actor::Bearer,
            Some(role) => match self.lookup(role, "role", is_role) {
                Some(k) if is_role(&k) => Actor::Role(role.node.clone()),
                Some(k) => {
                    self.not_a(role, "role", &k, Code::NotARole);
                    return None;
                }
                None => return None,
            },
            None => default,
        };
        let doer = match &by {
            Actor::Bearer => bearer,
            Actor::Role(r) => Some(r.as_str()),
            Actor::Any => None,
        };
        if let Some(doer) = doer {
            if !allowed.is_empty() && !allowed.iter().any(|a| a == doer) {
                let decl_span = self.env.peek(&r.event.node).map(|d| d.span);
                let mut d = Diagnostic::new(Code::EventNotByBearer, format!("a `{doer}` cannot do `{}`", r.event.node))
                    .primary(r.event.span, format!("`{}` is done by {}", r.event.node, allowed.join(", ")));
                if let Some(s) = decl_span {
                    d = d.secondary(s, "declared here");
                }
                let help = if matches!(by, Actor::Bearer) {
                    "check the bearer, or widen the event's `by` list"
                } else {
                    "check the role after `by`, or widen the event's `by` list"
                };
                self.error(d.help(help));
                return None;
            }
        }
        let filter = match &r.filter {
            Some(f) => Some(Box::new(self.cond(f, &expr::Scope::filter(&r.event.node, bearer))?)),
            None => None,
        };
        self.lint_filter(r, in_condition);
        Some(EventPattern { event: r.event.node.clone(), by, filter })
    }

    /// W0005: a side of a `where` filter's top-level `and`/`or` that reads
    /// no field of the filtered event (it was probably meant outside the
    /// filter, which runs on to the end of the condition). A filter in
    /// parentheses, `where (…)`, says the writer meant it as written. A
    /// filter that reads nothing of its event at all is reported once, in
    /// parentheses or not.
    /// `in_condition`: the filter is a `happened` test's (else one on a
    /// duty's rule line: its act, trigger or deadline event).
    fn lint_filter(&mut self, r: &ast::EventRef, in_condition: bool) {
        use ast::{BinOp, Expr, ExprKind};
        let Some(filter) = &r.filter else { return };
        fn parts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
            match &e.node {
                ExprKind::Binary(BinOp::And | BinOp::Or, l, r) => {
                    parts(l, out);
                    parts(r, out);
                }
                _ => out.push(e),
            }
        }
        /// Whether `e` names a field of the event (not inside another `happened`).
        fn reads(e: &Expr, fields: &[FieldInfo]) -> bool {
            match &e.node {
                ExprKind::Name(n) => fields.iter().any(|f| &f.name == n),
                ExprKind::Attr(inner, _) | ExprKind::Not(inner) | ExprKind::Paren(inner) => reads(inner, fields),
                ExprKind::Binary(_, l, r) => reads(l, fields) || reads(r, fields),
                ExprKind::Set(items) => items.iter().any(|x| reads(x, fields)),
                _ => false,
            }
        }
        let fields = self.env.shared_event_fields(&r.event.node);
        let event = &r.event.node;
        // A filter that reads nothing of its event at all, in parentheses or not, is one
        // mistake, not one a part: it tests the same thing on every event.
        if !reads(filter, &fields) {
            let help = if in_condition {
                format!("a filter tests each event's own fields; to test this beside the event, write `happened {event} and …`")
            } else {
                "a filter tests each event's own fields; to make this a condition of the duty, move it to `when`".into()
            };
            self.error(
                Diagnostic::new(Code::FilterRunsOn, format!("this `where` filter reads nothing of `{event}`"))
                    .primary(filter.span, format!("the same for every `{event}` event"))
                    .help(help),
            );
            return;
        }
        let mut all = Vec::new();
        parts(filter, &mut all);
        if all.len() < 2 {
            return;
        }
        for part in all.into_iter().filter(|p| !reads(p, &fields)) {
            let help = if in_condition {
                format!(
                    "to test it outside the filter, put the `happened {event} …` test in parentheses; \
                     if it belongs to the filter, put the filter in parentheses: `where (…)`"
                )
            } else {
                "to make it a condition of the duty, move it to `when`; if it belongs to the filter, put the filter in parentheses: `where (…)`".into()
            };
            self.error(
                Diagnostic::new(Code::FilterRunsOn, format!("this part of the `where` filter reads nothing of `{event}`"))
                    .primary(part.span, format!("tested on each `{event}` event, as part of its filter"))
                    .secondary(filter.span, "the whole filter: `and` and `or` do not end it")
                    .help(help),
            );
        }
    }

    fn report_unused_decl(&mut self, name: &ast::Ident, noun: &str) {
        if self.env.peek(&name.node).is_some_and(|d| !d.used.get() && d.span == name.span) {
            let help = match noun {
                "calendar" => "remove it, or name it in the instrument's `calendar` clause",
                "unit" => "remove it, or use it in a period or a fine",
                _ => "remove it, or use it in a duty",
            };
            self.error(
                Diagnostic::new(Code::Unused, format!("{noun} `{}` is never used", name.node))
                    .primary(name.span, "declared here")
                    .help(help),
            );
        }
    }

    /// Adds to `names` every penalty that is a later version (`replaces`,
    /// transitively) of one already in it.
    fn add_later_versions(&self, names: &mut BTreeSet<String>) {
        while let Some(next) =
            self.penalties.iter().find(|p| !names.contains(&p.id) && p.replaces.iter().any(|r| names.contains(r)))
        {
            names.insert(next.id.clone());
        }
    }

    pub(super) fn report_unused(&mut self, u: &Unit<'_>) {
        let mut seen_uses = BTreeSet::new();
        let mut referenced = names_referenced(u);
        self.add_later_versions(&mut referenced);
        let is_policy = items(u).any(|i| matches!(i, Item::Instrument(_)));
        for item in items(u) {
            match item {
                Item::Role(r) => self.report_unused_decl(&r.name, "role"),
                Item::Event(e) => self.report_unused_decl(&e.name, "event"),
                Item::Fact(f) => self.report_unused_decl(&f.name, "fact"),
                Item::Enum(e) => self.report_unused_decl(&e.name, "enum"),
                Item::Unit(x) => {
                    for n in &x.names {
                        self.report_unused_decl(n, "unit");
                    }
                }
                // A file without an instrument is a vocabulary for others.
                Item::Calendar(c) if is_policy => self.report_unused_decl(&c.name, "calendar"),
                Item::Use(x) => {
                    if !seen_uses.insert(x.target.node.clone()) {
                        self.error(
                            Diagnostic::new(Code::Unused, format!("`{}` is imported twice", x.target.node))
                                .primary(x.target.span, "imported again here")
                                .help("remove this `use`"),
                        );
                        continue;
                    }
                    // Used when the file itself names something the import
                    // declares, or the import holds a later version of a
                    // penalty the file names.
                    let used = self
                        .units
                        .iter()
                        .filter(|o| o.origin == Origin::Import && instrument_of(o).is_some_and(|i| i.id.node == x.target.node))
                        .any(|o| items(o).any(|i| declared_name(i).is_some_and(|n| referenced.contains(n))));
                    if !used {
                        self.error(
                            Diagnostic::new(Code::Unused, format!("import `{}` is never used", x.target.node))
                                .primary(x.target.span, "nothing from it is used")
                                .help("remove the `use`"),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn vocabulary(&self) -> Vocabulary {
        let mut v = Vocabulary::default();
        for name in &self.env.order {
            let Some(d) = self.env.peek(name) else { continue };
            let ft = |f: &FieldInfo| FieldType { name: f.name.clone(), r#type: type_name(&f.ty), doc: f.docs.clone() };
            match &d.kind {
                DeclKind::Role { fields } => {
                    v.roles.push(RoleInfo { name: name.clone(), attrs: fields.iter().map(ft).collect(), doc: d.docs.clone() })
                }
                DeclKind::Event { by, fields } => v.events.push(EventInfo {
                    name: name.clone(),
                    by: by.to_vec(),
                    fields: fields.iter().map(ft).collect(),
                    doc: d.docs.clone(),
                }),
                DeclKind::Fact { ty } => {
                    v.facts.push(FieldType { name: name.clone(), r#type: type_name(ty), doc: d.docs.clone() })
                }
                DeclKind::Enum { variants } => {
                    v.enums.push(EnumInfo { name: name.clone(), variants: variants.to_vec(), doc: d.docs.clone() })
                }
                _ => {}
            }
        }
        v
    }
}

fn instrument_clause_kind(c: &InstrumentClause) -> &'static str {
    match c {
        InstrumentClause::Title(ast::Lang::Zh, _) => "`title zh`",
        InstrumentClause::Title(ast::Lang::En, _) => "`title en`",
        InstrumentClause::IssuedBy(_) => "`issued_by`",
        InstrumentClause::Number(_) => "`number`",
        InstrumentClause::Draft { .. } | InstrumentClause::InForce { .. } => "`status`",
        InstrumentClause::Calendar(_) => "`calendar`",
        InstrumentClause::Excerpt(_) => "`excerpt`",
    }
}

fn type_name(t: &Type) -> String {
    match t {
        Type::Enum(e) | Type::Role(e) => e.clone(),
        Type::Set(t) => type_name(t),
        other => other.name(),
    }
}

/// Names a file's duties and declarations mention (penalties, roles,
/// events): enough to tell whether an import is used.
fn names_referenced(u: &Unit<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let event = |r: &ast::EventRef, out: &mut BTreeSet<String>| {
        out.insert(r.event.node.clone());
        if let Some(b) = &r.by {
            out.insert(b.node.clone());
        }
    };
    for item in items(u) {
        match item {
            Item::Duty(d) => {
                for c in &d.clauses {
                    match &c.node {
                        DutyClause::Penalty(p) => {
                            out.insert(p.node.clone());
                        }
                        DutyClause::Rule { bearer, action, .. } => {
                            out.insert(bearer.node.clone());
                            event(action, &mut out);
                        }
                        DutyClause::Deadline { timing, trigger } => {
                            if let Some(t) = trigger {
                                event(t, &mut out);
                            }
                            if let Some(t) = timing {
                                if let Timing::Before(e) | Timing::Prior(_, e) | Timing::With(e) = &t.node {
                                    event(e, &mut out);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            Item::Event(e) => out.extend(e.by.iter().map(|b| b.node.clone())),
            Item::Penalty(p) => {
                for c in &p.clauses {
                    if let PenaltyClause::Replaces(r) = &c.node {
                        out.extend(r.iter().map(|i| i.node.clone()));
                    }
                }
            }
            Item::Instrument(i) => {
                for c in &i.clauses {
                    if let InstrumentClause::Calendar(c) = &c.node {
                        out.insert(c.node.clone());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn declared_name(i: &Item) -> Option<&str> {
    Some(match i {
        Item::Role(x) => &x.name.node,
        Item::Event(x) => &x.name.node,
        Item::Fact(x) => &x.name.node,
        Item::Enum(x) => &x.name.node,
        Item::Penalty(x) => &x.name.node,
        Item::Calendar(x) => &x.name.node,
        Item::Duty(x) => &x.name.node,
        _ => return None,
    })
}

/// The day an instrument in force took effect; `None` for a draft.
fn effective_date(i: &ast::Instrument) -> Option<String> {
    i.clauses.iter().find_map(|c| match &c.node {
        InstrumentClause::InForce { effective, .. } => Some(effective.node.0.to_string()),
        _ => None,
    })
}

pub(crate) fn instrument_of<'x>(u: &'x Unit<'_>) -> Option<&'x ast::Instrument> {
    items(u).find_map(|i| if let Item::Instrument(x) = i { Some(x) } else { None })
}

fn days(s: &ast::DateSpan) -> Vec<chrono::NaiveDate> {
    let mut out = Vec::new();
    let mut d = s.first.0;
    while d <= s.last.0 && out.len() < 400 {
        out.push(d);
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}

fn texts(t: &[crate::span::Spanned<TextClause>]) -> Vec<Text> {
    t.iter()
        .map(|c| match &c.node {
            TextClause::Text(l, s) => Text { lang: l.as_str().into(), text: s.clone(), missing: false },
            TextClause::Missing(l, s) => Text { lang: l.as_str().into(), text: s.clone(), missing: true },
        })
        .collect()
}

fn articles_info(u: &Unit<'_>) -> Vec<ArticleInfo> {
    items(u)
        .filter_map(|i| if let Item::Article(a) = i { Some(a) } else { None })
        .map(|a| ArticleInfo {
            number: a.number.node,
            anchor: format!("art-{}", a.number.node),
            texts: texts(&a.texts),
            no_duty: a.no_duty.as_ref().map(|n| n.node.clone()),
            doc: a.docs.clone(),
            paragraphs: a
                .paragraphs
                .iter()
                .map(|p| ParagraphInfo {
                    number: p.number.node,
                    texts: texts(&p.texts),
                    doc: p.docs.clone(),
                    items: p
                        .items
                        .iter()
                        .map(|i| ItemInfo { number: i.number.node, texts: texts(&i.texts), doc: i.docs.clone() })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
