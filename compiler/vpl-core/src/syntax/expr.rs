//! Conditions: precedence lives in one Pratt table, from loosest to
//! tightest: `or`, `and`, `not`, comparisons (`==` `!=` `<` `<=` `>` `>=` `in`),
//! attribute access (`.`).

use super::ast::*;
use super::parse::{Cx, PResult, MAX_OPERATORS};
use super::Rule;
use crate::codes::Code;
use crate::diag::Diagnostic;
use crate::span::Spanned;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

/// How an operator stands to its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fixity {
    Prefix,
    Postfix,
    /// Infix, grouping to the left: `a and b and c` is `(a and b) and c`.
    Infix,
}

/// The one precedence table: the operators by level, loosest first. Both
/// Pratt parsers are built from it, pest's over its pairs and the fast
/// path's (see `fast`).
pub(super) const LEVELS: &[&[(Rule, Fixity)]] = &[
    &[(Rule::op_or, Fixity::Infix)],
    &[(Rule::op_and, Fixity::Infix)],
    &[(Rule::op_not, Fixity::Prefix)],
    &[
        (Rule::op_eq, Fixity::Infix),
        (Rule::op_ne, Fixity::Infix),
        (Rule::op_lt, Fixity::Infix),
        (Rule::op_le, Fixity::Infix),
        (Rule::op_gt, Fixity::Infix),
        (Rule::op_ge, Fixity::Infix),
        (Rule::op_in, Fixity::Infix),
    ],
    &[(Rule::op_dot, Fixity::Postfix)],
];

/// Levels are numbered as pest's `PrattParser` numbers them: 10 for the
/// loosest, 10 more for each tighter one.
pub(super) const LEVEL_STEP: u32 = 10;

/// An operator's level (see [`LEVEL_STEP`]) and fixity.
pub(super) fn precedence(rule: Rule) -> Option<(u32, Fixity)> {
    let mut prec = 0;
    for level in LEVELS {
        prec += LEVEL_STEP;
        if let Some(&(_, fixity)) = level.iter().find(|(r, _)| *r == rule) {
            return Some((prec, fixity));
        }
    }
    None
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    LEVELS.iter().fold(PrattParser::new(), |pratt, level| {
        let mut ops = level.iter().map(|&(rule, fixity)| match fixity {
            Fixity::Prefix => Op::prefix(rule),
            Fixity::Postfix => Op::postfix(rule),
            Fixity::Infix => Op::infix(rule, Assoc::Left),
        });
        match ops.next() {
            Some(first) => pratt.op(ops.fold(first, |a, b| a | b)),
            None => pratt,
        }
    })
});

pub(super) fn binop(rule: Rule) -> BinOp {
    match rule {
        Rule::op_or => BinOp::Or,
        Rule::op_and => BinOp::And,
        Rule::op_eq => BinOp::Eq,
        Rule::op_ne => BinOp::Ne,
        Rule::op_lt => BinOp::Lt,
        Rule::op_le => BinOp::Le,
        Rule::op_gt => BinOp::Gt,
        Rule::op_ge => BinOp::Ge,
        _ => BinOp::In,
    }
}

impl Cx {
    /// `depth` counts enclosing `where` filters, which nest without brackets.
    pub(super) fn expr(&mut self, pair: Pair<Rule>, depth: usize) -> PResult<Expr> {
        let span = self.span(&pair);
        let operators = pair.clone().into_inner().filter(|p| precedence(p.as_rule()).is_some()).count();
        if operators > MAX_OPERATORS {
            return Err(Diagnostic::new(Code::TooDeep, "condition too long")
                .primary(span, format!("{operators} operators in one condition; the limit is {MAX_OPERATORS}"))
                .help("split the condition across duties or simplify it"));
        }
        // The Pratt callbacks cannot borrow `self` mutably more than once, so
        // primaries are parsed first and errors carried through the tree.
        let file = self.file;
        let result = PRATT
            .map_primary(|p| self.primary(p, depth))
            .map_prefix(|_op, rhs| {
                let rhs = rhs?;
                let span = crate::span::Span::new(file, _op.as_span().start(), rhs.span.end as usize);
                Ok(Spanned::new(ExprKind::Not(Box::new(rhs)), span))
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let s = op.as_span();
                let name = op.into_inner().next().map_or_else(String::new, |p| p.as_str().to_string());
                let name_span = crate::span::Span::new(file, s.start() + 1, s.end());
                let name = Spanned::new(name.trim().to_string(), name_span);
                let span = lhs.span.to(crate::span::Span::new(file, s.start(), s.end()));
                Ok(Spanned::new(ExprKind::Attr(Box::new(lhs), name), span))
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let span = lhs.span.to(rhs.span);
                Ok(Spanned::new(ExprKind::Binary(binop(op.as_rule()), Box::new(lhs), Box::new(rhs)), span))
            })
            .parse(pair.into_inner());
        result
    }

    fn primary(&mut self, pair: Pair<Rule>, depth: usize) -> PResult<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::ident => ExprKind::Name(pair.as_str().to_string()),
            Rule::bool => ExprKind::Bool(pair.as_str() == "true"),
            Rule::number => ExprKind::Int(self.int(pair).node),
            Rule::string => ExprKind::Str(self.string(pair)),
            Rule::date => ExprKind::Date(self.date(pair).node),
            Rule::quantity => ExprKind::Quantity(self.quantity(pair)?),
            Rule::paren => {
                let inner = self.next(&mut pair.into_inner(), span, "condition")?;
                ExprKind::Paren(Box::new(self.expr(inner, depth)?))
            }
            Rule::set => ExprKind::Set(pair.into_inner().map(|p| self.expr(p, depth)).collect::<PResult<_>>()?),
            Rule::occurred => {
                let mut inner = pair.into_inner().filter(|p| p.as_rule() == Rule::event_ref);
                let r = inner
                    .next()
                    .ok_or_else(|| Diagnostic::new(Code::Syntax, "internal parser error: missing event").primary(span, "here"))?;
                ExprKind::Happened(self.event_ref(r, depth)?)
            }
            _ => return Err(super::parse::unexpected(self, &pair)),
        };
        Ok(Spanned::new(kind, span))
    }
}
