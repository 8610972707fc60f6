//! The decision table: the contract between the front end and every back
//! end (check, diff, doc, export). Serialisable and versioned; a JSON Schema
//! is generated from these types (`vplc schema table`).

use crate::check::env::BaseUnit;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Bump when a field changes meaning or is removed; adding optional fields
/// does not need a bump.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DecisionTable {
    pub schema_version: u32,
    pub instrument: InstrumentInfo,
    /// One row per (duty × alternative of its condition); hit policy: collect.
    pub rows: Vec<Row>,
    pub penalties: Vec<PenaltyInfo>,
    pub articles: Vec<ArticleInfo>,
    pub vocabulary: Vocabulary,
    pub calendar: CalendarInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InstrumentInfo {
    pub id: String,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    pub issued_by: Vec<String>,
    pub number: Option<String>,
    pub status: Status,
    /// Set when only some articles of a longer text are encoded.
    pub excerpt: Option<String>,
    pub doc: Vec<String>,
    /// Instruments this one imports (`use`), e.g. the law holding the penalties.
    pub imports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Status {
    Draft { published: String, comments_until: Option<String> },
    InForce { issued: String, effective: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    Must,
    MustNot,
    May,
    Encouraged,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Must => "must",
            Modality::MustNot => "must not",
            Modality::May => "may",
            Modality::Encouraged => "encouraged",
        }
    }
}

/// Where a duty comes from: article, paragraph, item, and how to show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Cite {
    pub article: u32,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
    /// `art 7(1)(2)`
    pub display: String,
    /// `art-7-1-2`, a stable anchor for docs.
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Row {
    /// `duty` or `duty#2` when the condition has several alternatives.
    pub id: String,
    pub duty: String,
    pub cite: Cite,
    pub modality: Modality,
    pub bearer: String,
    /// All must hold (one alternative of the duty's `when`).
    pub conditions: Vec<Cond>,
    pub trigger: Option<EventPattern>,
    pub action: EventPattern,
    pub deadline: Deadline,
    /// The duty does not apply when any of these holds.
    pub exceptions: Vec<Cond>,
    pub penalties: Vec<String>,
    pub doc: Vec<String>,
}

/// Which events count: type, who did them, and a condition on their fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct EventPattern {
    pub event: String,
    /// `bearer` (the actor the duty binds), `any`, or a role name.
    pub by: Actor,
    pub filter: Option<Box<Cond>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "role", rename_all = "snake_case")]
pub enum Actor {
    Bearer,
    Any,
    Role(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Deadline {
    /// A standing duty (or a permission) with no time limit.
    None,
    /// `within N unit`, computed with the calendar's period rule.
    Within { period: Period },
    /// 立即 / 及时 …: never turned into a number.
    OpenTextured { word: String },
    /// `before EVENT`: a window for a prohibition, or an ordering duty.
    Before { event: EventPattern },
    /// `N unit before EVENT`: prior notice.
    Prior { period: Period, event: EventPattern },
    /// `with EVENT`: at the same time.
    With { event: EventPattern },
    /// `for at least N unit`: retention.
    ForAtLeast { period: Period },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    pub amount: i64,
    pub unit: BaseUnit,
}

impl Period {
    pub fn describe(&self) -> String {
        self.unit.describe(self.amount)
    }

    /// The period as the time engine counts it (`None`: an amount it cannot count).
    pub fn counted(&self) -> Option<vpl_time::Period> {
        Some(vpl_time::Period::new(u32::try_from(self.amount).ok()?, self.unit))
    }
}

/// A typed, resolved condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Cond {
    True,
    False,
    /// A `bool` operand.
    Is {
        value: Operand,
    },
    Compare {
        cmp: CmpOp,
        left: Operand,
        right: Operand,
    },
    In {
        left: Operand,
        set: Vec<Value>,
    },
    Happened {
        event: EventPattern,
    },
    Not {
        cond: Box<Cond>,
    },
    All {
        conds: Vec<Cond>,
    },
    Any {
        conds: Vec<Cond>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    pub fn negate(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Operand {
    /// A case-level fact.
    Fact {
        name: String,
    },
    /// An attribute of the actor the duty binds.
    Bearer {
        attr: String,
    },
    /// A field of the event being filtered.
    Field {
        name: String,
    },
    Value {
        value: Value,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(String),
    Date(String),
    Enum { r#enum: String, variant: String },
    Duration(Period),
    Money(Money),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Money {
    pub amount: i64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PenaltyInfo {
    pub id: String,
    /// The instrument whose article sets the penalty.
    pub instrument: String,
    pub cite: Cite,
    pub measures: Vec<String>,
    pub fines: Vec<Fine>,
    pub doc: Vec<String>,
    /// The day the penalty's instrument took effect; `None` for a draft.
    #[serde(default)]
    pub effective: Option<String>,
    /// Earlier versions of this penalty that it supersedes (`replaces`), in
    /// older instruments: a breach is fined under the version in force when
    /// it happened. A table lists the later versions of the penalties its
    /// duties name when the policy imports the amending instrument.
    #[serde(default)]
    pub replaces: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Fine {
    /// `entity` or `person_in_charge`.
    pub target: String,
    pub min: Money,
    pub max: Money,
    /// The aggravating condition under which this range applies.
    pub when: Option<Cond>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleInfo {
    pub number: u32,
    pub anchor: String,
    pub texts: Vec<Text>,
    pub no_duty: Option<String>,
    pub doc: Vec<String>,
    pub paragraphs: Vec<ParagraphInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParagraphInfo {
    pub number: u32,
    pub texts: Vec<Text>,
    pub doc: Vec<String>,
    pub items: Vec<ItemInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemInfo {
    pub number: u32,
    pub texts: Vec<Text>,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Text {
    pub lang: String,
    /// The text, or why it is missing.
    pub text: String,
    pub missing: bool,
}

/// The types a case file is validated against.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Vocabulary {
    pub roles: Vec<RoleInfo>,
    pub events: Vec<EventInfo>,
    pub facts: Vec<FieldType>,
    pub enums: Vec<EnumInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoleInfo {
    pub name: String,
    pub attrs: Vec<FieldType>,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventInfo {
    pub name: String,
    /// Roles that can do it; empty for anyone.
    pub by: Vec<String>,
    pub fields: Vec<FieldType>,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldType {
    pub name: String,
    /// `bool`, `int`, `text`, `date`, `duration`, `money`, or an enum's name.
    pub r#type: String,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EnumInfo {
    pub name: String,
    pub variants: Vec<String>,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CalendarInfo {
    pub name: String,
    pub zone: String,
    /// `civil-code-cn`, `exact` or `eu-1182-71`.
    pub rule: String,
    pub weekend: Vec<String>,
    /// First and last year with rest-day data; none when the rule needs none.
    pub covers: Option<(i32, i32)>,
    pub rest_days: Vec<String>,
    pub work_days: Vec<String>,
}

impl Cite {
    pub fn new(article: u32, paragraph: Option<u32>, item: Option<u32>) -> Cite {
        let mut display = format!("art {article}");
        let mut anchor = format!("art-{article}");
        for n in [paragraph, item].into_iter().flatten() {
            display.push_str(&format!("({n})"));
            anchor.push_str(&format!("-{n}"));
        }
        Cite { article, paragraph, item, display, anchor }
    }
}
