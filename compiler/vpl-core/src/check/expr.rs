//! Type checking conditions, which come out as the decision table's typed
//! [`Cond`]. Names resolve by context: inside `where`, to the event's
//! fields first; then to facts; `bearer.attr` reads the bound actor; a bare
//! name compared with an enum value is one of that enum's variants.

use super::env::*;
use super::*;
use crate::syntax::ast::{BinOp, Expr, ExprKind};

pub(crate) struct Scope<'s> {
    /// The event whose fields a `where` filter reads.
    pub event: Option<&'s str>,
    /// The role of the actor a duty binds.
    pub bearer: Option<&'s str>,
    /// Inside a duty (whose bearer may have failed to resolve, already reported).
    pub in_duty: bool,
}

impl<'s> Scope<'s> {
    pub fn condition(bearer: Option<&'s str>) -> Self {
        Scope { event: None, bearer, in_duty: true }
    }
    pub fn filter(event: &'s str, bearer: Option<&'s str>) -> Self {
        Scope { event: Some(event), bearer, in_duty: true }
    }
    pub fn penalty() -> Self {
        Scope { event: None, bearer: None, in_duty: false }
    }
}

impl<'a> Checker<'a> {
    /// A condition: must be true or false.
    pub(crate) fn cond(&mut self, e: &Expr, scope: &Scope<'_>) -> Option<Cond> {
        match &e.node {
            ExprKind::Paren(inner) => self.cond(inner, scope),
            ExprKind::Not(inner) => Some(Cond::Not { cond: Box::new(self.cond(inner, scope)?) }),
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), l, r) => {
                let (l, r) = (self.cond(l, scope), self.cond(r, scope));
                let (l, r) = (l?, r?);
                Some(if *op == BinOp::And { Cond::All { conds: vec![l, r] } } else { Cond::Any { conds: vec![l, r] } })
            }
            ExprKind::Binary(BinOp::In, l, r) => self.membership(e, l, r, scope),
            ExprKind::Binary(op, l, r) => self.comparison(e, *op, l, r, scope),
            ExprKind::Happened(r) => Some(Cond::Happened { event: self.event_pattern(r, scope.bearer, Actor::Any, true)? }),
            ExprKind::Bool(true) => Some(Cond::True),
            ExprKind::Bool(false) => Some(Cond::False),
            _ => {
                let (value, ty) = self.operand(e, scope, None)?;
                if ty == Type::Bool {
                    Some(Cond::Is { value })
                } else if ty == Type::Error {
                    None
                } else {
                    self.not_bool(e, &ty);
                    None
                }
            }
        }
    }

    fn not_bool(&mut self, e: &Expr, ty: &Type) {
        let mut d = Diagnostic::new(Code::NotBool, "this condition is not true or false")
            .primary(e.span, format!("this is {}", crate::diag::a_or_an(&ty.name())));
        if let Type::Enum(en) = ty {
            let first = self.env.enum_variants(en).and_then(|v| v.first().cloned()).unwrap_or_else(|| "…".into());
            d = d.help(format!("compare it with one of its values, e.g. `… == {first}`"));
        }
        self.error(d);
    }

    fn comparison(&mut self, whole: &Expr, op: BinOp, l: &Expr, r: &Expr, scope: &Scope<'_>) -> Option<Cond> {
        let hint_l = self.peek_type(l, scope);
        let hint_r = self.peek_type(r, scope);
        let left = self.operand(l, scope, hint_r.as_ref());
        // A bare name on the right means nothing on its own when the left
        // failed (it is usually an enum value): do not report it twice.
        if left.is_none() && hint_r.is_none() && matches!(r.node, ExprKind::Name(_)) {
            return None;
        }
        let right = self.operand(r, scope, hint_l.as_ref().or(left.as_ref().map(|(_, t)| t)));
        let ((lo, lt), (ro, rt)) = (left?, right?);
        if lt == Type::Error || rt == Type::Error {
            return None;
        }
        if lt != rt {
            self.error(
                Diagnostic::new(Code::TypeMismatch, format!("cannot compare {} with {}", lt.name(), rt.name()))
                    .primary(whole.span, "the two sides have different types")
                    .secondary(l.span, lt.name())
                    .secondary(r.span, rt.name()),
            );
            return None;
        }
        let cmp = match op {
            BinOp::Eq => CmpOp::Eq,
            BinOp::Ne => CmpOp::Ne,
            BinOp::Lt => CmpOp::Lt,
            BinOp::Le => CmpOp::Le,
            BinOp::Gt => CmpOp::Gt,
            _ => CmpOp::Ge,
        };
        let ordered = matches!(lt, Type::Int | Type::Date | Type::Duration | Type::Money);
        if !matches!(cmp, CmpOp::Eq | CmpOp::Ne) && !ordered {
            self.error(
                Diagnostic::new(Code::NotOrdered, format!("{} values cannot be ordered", lt.name()))
                    .primary(whole.span, format!("`{}` needs numbers, dates, durations or money", cmp.as_str()))
                    .help("use `==`, `!=` or `in`"),
            );
            return None;
        }
        Some(Cond::Compare { cmp, left: lo, right: ro })
    }

    fn membership(&mut self, whole: &Expr, l: &Expr, r: &Expr, scope: &Scope<'_>) -> Option<Cond> {
        let (lo, lt) = self.operand(l, scope, None)?;
        let ExprKind::Set(elems) = &r.node else {
            self.error(
                Diagnostic::new(Code::TypeMismatch, "`in` needs a set on its right")
                    .primary(r.span, "not a set")
                    .help("write the values in braces: `to in {cac, mps}`"),
            );
            return None;
        };
        let mut set = Vec::new();
        for el in elems {
            let (o, t) = self.operand(el, scope, Some(&lt))?;
            if t != lt {
                self.error(
                    Diagnostic::new(Code::TypeMismatch, format!("set holds {} but is tested against {}", t.name(), lt.name()))
                        .primary(el.span, t.name())
                        .secondary(whole.span, "in this test"),
                );
                return None;
            }
            match o {
                Operand::Value { value } => set.push(value),
                _ => {
                    self.error(
                        Diagnostic::new(Code::TypeMismatch, "sets hold values, not facts or fields")
                            .primary(el.span, "not a value"),
                    );
                    return None;
                }
            }
        }
        Some(Cond::In { left: lo, set })
    }

    /// The type an expression would have, without reporting anything.
    fn peek_type(&self, e: &Expr, scope: &Scope<'_>) -> Option<Type> {
        match &e.node {
            ExprKind::Paren(x) => self.peek_type(x, scope),
            ExprKind::Name(n) => {
                if let Some(f) =
                    scope.event.and_then(|ev| self.env.event_fields(ev)).and_then(|fs| fs.iter().find(|f| f.name == *n))
                {
                    return Some(f.ty.clone());
                }
                match &self.env.peek(n)?.kind {
                    DeclKind::Fact { ty } => Some(ty.clone()),
                    _ => None,
                }
            }
            ExprKind::Attr(base, attr) => {
                let ExprKind::Name(b) = &base.node else { return None };
                if b != "bearer" {
                    return None;
                }
                let fields = self.env.role_fields(scope.bearer?)?;
                fields.iter().find(|f| f.name == attr.node).map(|f| f.ty.clone())
            }
            ExprKind::Bool(_) => Some(Type::Bool),
            ExprKind::Int(_) => Some(Type::Int),
            ExprKind::Str(_) => Some(Type::Text),
            ExprKind::Date(_) => Some(Type::Date),
            _ => None,
        }
    }

    /// A value-producing expression and its type. `expected` lets a bare
    /// name resolve to an enum variant.
    pub(crate) fn operand(&mut self, e: &Expr, scope: &Scope<'_>, expected: Option<&Type>) -> Option<(Operand, Type)> {
        match &e.node {
            ExprKind::Paren(x) => self.operand(x, scope, expected),
            ExprKind::Bool(b) => Some((Operand::Value { value: Value::Bool(*b) }, Type::Bool)),
            ExprKind::Int(i) => Some((Operand::Value { value: Value::Int(*i) }, Type::Int)),
            ExprKind::Str(s) => Some((Operand::Value { value: Value::Text(s.clone()) }, Type::Text)),
            ExprKind::Date(d) => Some((Operand::Value { value: Value::Date(d.0.to_string()) }, Type::Date)),
            ExprKind::Quantity(q) => {
                let is_money =
                    matches!(self.env.peek(&q.unit.node).map(|d| &d.kind), Some(DeclKind::Unit(UnitMeaning::Currency(_))));
                if is_money {
                    let m = self.money(q)?;
                    Some((Operand::Value { value: Value::Money(m) }, Type::Money))
                } else {
                    let p = self.period(q)?;
                    Some((Operand::Value { value: Value::Duration(p) }, Type::Duration))
                }
            }
            ExprKind::Name(n) => self.name_operand(e, n, scope, expected),
            ExprKind::Attr(base, attr) => {
                let is_bearer = matches!(&base.node, ExprKind::Name(b) if b == "bearer");
                if !is_bearer {
                    self.error(
                        Diagnostic::new(Code::UnknownField, "only the bearer's attributes can be read with `.`")
                            .primary(base.span, "not `bearer`")
                            .help("write `bearer.ATTR`, e.g. `bearer.cii`; facts are read by name"),
                    );
                    return None;
                }
                let Some(role) = scope.bearer else {
                    if scope.in_duty {
                        return None; // the unknown bearer is reported already
                    }
                    self.error(
                        Diagnostic::new(Code::UnknownName, "`bearer` is not known here")
                            .primary(base.span, "no duty binds an actor here")
                            .help("`bearer` may be used in a duty's `when`, `unless` and filters, not in penalties"),
                    );
                    return None;
                };
                let fields = self.env.shared_role_fields(role);
                match fields.iter().find(|f| f.name == attr.node) {
                    Some(f) => Some((Operand::Bearer { attr: f.name.clone() }, f.ty.clone())),
                    None => {
                        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        let mut d =
                            Diagnostic::new(Code::UnknownField, format!("role `{role}` has no attribute `{}`", attr.node))
                                .primary(attr.span, "unknown attribute");
                        d = match did_you_mean(&attr.node, names.iter().copied()) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None if names.is_empty() => d.help(format!("`{role}` has no attributes")),
                            None => d.help(format!("`{role}` has: {}", names.join(", "))),
                        };
                        self.error(d);
                        None
                    }
                }
            }
            ExprKind::Set(_) => {
                self.error(Diagnostic::new(Code::TypeMismatch, "a set can only follow `in`").primary(e.span, "set here"));
                None
            }
            ExprKind::Not(_) | ExprKind::Binary(..) | ExprKind::Happened(_) => {
                let c = self.cond(e, scope)?;
                // A condition used as a value: only booleans compare with it.
                match c {
                    Cond::Is { value } => Some((value, Type::Bool)),
                    _ => {
                        self.error(
                            Diagnostic::new(Code::TypeMismatch, "a condition cannot be compared")
                                .primary(e.span, "this is a condition")
                                .help("use the condition itself: write `a and b`, not `(a and b) == true`"),
                        );
                        None
                    }
                }
            }
        }
    }

    fn name_operand(&mut self, e: &Expr, n: &str, scope: &Scope<'_>, expected: Option<&Type>) -> Option<(Operand, Type)> {
        if let Some(ev) = scope.event {
            let fields = self.env.shared_event_fields(ev);
            if let Some(f) = fields.iter().find(|f| f.name == n) {
                return Some((Operand::Field { name: f.name.clone() }, f.ty.clone()));
            }
            // Inside `where`, a name that is no fact and no value of the
            // expected enum was meant as a field of the event.
            let is_fact = matches!(self.env.peek(n).map(|d| &d.kind), Some(DeclKind::Fact { .. }));
            let is_value =
                matches!(expected, Some(Type::Enum(en)) if self.env.enum_variants(en).is_some_and(|v| v.iter().any(|x| x == n)));
            let expects_enum = matches!(expected, Some(Type::Enum(_)));
            if !is_fact && !is_value && !expects_enum {
                let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let mut d = Diagnostic::new(Code::UnknownField, format!("event `{ev}` has no field `{n}`"))
                    .primary(e.span, "unknown field");
                d = match did_you_mean(n, names.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if names.is_empty() => d.help(format!("`{ev}` has no fields")),
                    None => d.help(format!("`{ev}` has: {}", names.join(", "))),
                };
                self.error(d);
                return None;
            }
        }
        // An enum value compared with something that is not of its enum.
        if !matches!(expected, Some(Type::Enum(_)) | None) && self.env.peek(n).is_none() {
            let owner = self
                .env
                .names_of(|k| matches!(k, DeclKind::Enum { variants } if variants.iter().any(|v| v == n)))
                .next()
                .map(String::from);
            if let (Some(owner), Some(t)) = (owner, expected) {
                self.error(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        format!("`{n}` is a value of enum `{owner}`, not {}", crate::diag::a_or_an(&t.name())),
                    )
                    .primary(e.span, format!("compared with {}", crate::diag::a_or_an(&t.name())))
                    .help("compare like with like: a bool with true/false, an enum with its own values"),
                );
                return None;
            }
        }
        if let Some(Type::Enum(en)) = expected {
            if let Some(vs) = self.env.enum_variants(en) {
                if vs.iter().any(|v| v == n) {
                    let en = en.clone();
                    self.env.get(&en);
                    return Some((
                        Operand::Value { value: Value::Enum { r#enum: en.clone(), variant: n.to_string() } },
                        Type::Enum(en.clone()),
                    ));
                }
                let vs = vs.to_vec();
                if self.env.peek(n).is_none() {
                    let mut d = Diagnostic::new(Code::NotAVariant, format!("`{n}` is not a value of enum `{en}`"))
                        .primary(e.span, "unknown value");
                    d = match did_you_mean(n, vs.iter().map(String::as_str)) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!("`{en}` has: {}", vs.join(", "))),
                    };
                    self.error(d);
                    return None;
                }
            }
        }
        match self.env.get(n).map(|d| d.kind.clone()) {
            Some(DeclKind::Fact { ty }) => Some((Operand::Fact { name: n.to_string() }, ty)),
            Some(DeclKind::Event { .. }) => {
                self.error(
                    Diagnostic::new(Code::TypeMismatch, format!("`{n}` is an event, not a value"))
                        .primary(e.span, "an event")
                        .help(format!("to test whether it happened, write `happened {n}`")),
                );
                None
            }
            Some(k) => {
                self.error(
                    Diagnostic::new(Code::TypeMismatch, format!("`{n}` is a {}, not a value", k.noun()))
                        .primary(e.span, format!("a {}", k.noun()))
                        .help("conditions read facts, `bearer.ATTR`, event fields inside `where`, and enum values"),
                );
                None
            }
            None => {
                let mut candidates: Vec<String> =
                    self.env.names_of(|k| matches!(k, DeclKind::Fact { .. })).map(String::from).collect();
                if let Some(ev) = scope.event {
                    candidates.extend(self.env.event_fields(ev).unwrap_or_default().iter().map(|f| f.name.clone()));
                }
                for t in [expected, self.peek_type(e, scope).as_ref()].into_iter().flatten() {
                    if let Type::Enum(en) = t {
                        candidates.extend(self.env.enum_variants(en).unwrap_or_default().iter().cloned());
                    }
                }
                let mut d = Diagnostic::new(Code::UnknownName, format!("unknown name `{n}`"))
                    .primary(e.span, "not a fact, field or value");
                if let Some(s) = did_you_mean(n, candidates.iter().map(String::as_str)) {
                    d = d.help(format!("did you mean `{s}`?"));
                } else if n == "bearer" {
                    d = d.help("read an attribute: `bearer.cii`");
                }
                self.error(d);
                None
            }
        }
    }
}
