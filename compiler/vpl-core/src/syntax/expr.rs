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

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left))
        .op(Op::postfix(Rule::op_dot))
});

fn binop(rule: Rule) -> BinOp {
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
        let operators = pair
            .clone()
            .into_inner()
            .filter(|p| {
                matches!(
                    p.as_rule(),
                    Rule::op_or
                        | Rule::op_and
                        | Rule::op_not
                        | Rule::op_eq
                        | Rule::op_ne
                        | Rule::op_lt
                        | Rule::op_le
                        | Rule::op_gt
                        | Rule::op_ge
                        | Rule::op_in
                        | Rule::op_dot
                )
            })
            .count();
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
