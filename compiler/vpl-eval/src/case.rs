//! A case: one vulnerability's timeline — who the actors are, which roles
//! they hold, what happened when — validated against the policies'
//! vocabulary. Built by [`crate::load`]; read by [`crate::eval`].

use std::collections::BTreeMap;
use vpl_time::When;

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Bool(bool),
    Int(i64),
    Text(String),
    Date(chrono::NaiveDate),
    /// An enum value; the enum is known from the vocabulary.
    Enum(String),
}

/// As a case file writes it (texts and enum values unquoted).
impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Bool(b) => write!(f, "{b}"),
            Val::Int(i) => write!(f, "{i}"),
            Val::Text(t) | Val::Enum(t) => f.write_str(t),
            Val::Date(d) => write!(f, "{d}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub title: Option<String>,
    pub as_of: Option<When>,
    /// Facts stated for the whole case; an actor's own [`Actor::facts`]
    /// take precedence for the duties that actor bears.
    pub facts: BTreeMap<String, Val>,
    pub actors: Vec<Actor>,
    /// In the order of the file; evaluation looks for the earliest.
    pub events: Vec<Event>,
    pub expect: Vec<Expectation>,
    /// The case's names as numbers of the vocabulary that loaded it, which
    /// the loader found while validating them; evaluation then reads no name
    /// twice. Empty for a case built by hand, which is read by its names.
    ///
    /// They describe the case as loaded: whoever changes a loaded case's
    /// event kinds, roles, attributes or facts must empty them
    /// (`case.numbers = Numbers::default()`), or the check reads the old
    /// names. (Adding or removing actors or events is noticed: numbers of
    /// another shape are not read.)
    pub numbers: Numbers,
}

/// The names of a vocabulary as numbers: each list sorted, a name's number
/// its place. Shared by every case the vocabulary loads.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    /// Distinct per vocabulary (never 0), so that the numbers of two
    /// vocabularies are never taken for each other.
    pub id: u64,
    pub kinds: Vec<String>,
    pub roles: Vec<String>,
    /// Attributes of roles and fields of events (one list, as in a table).
    pub attrs: Vec<String>,
    pub facts: Vec<String>,
    /// The values of every enum, enum after enum.
    pub enum_values: Vec<String>,
}

/// The numberings of the vocabularies alive, by id.
static NUMBERINGS: std::sync::Mutex<Vec<std::sync::Weak<Numbering>>> = std::sync::Mutex::new(Vec::new());

impl Numbering {
    /// Makes `n` findable by its id for as long as it lives.
    pub(crate) fn register(n: &std::sync::Arc<Numbering>) {
        if let Ok(mut all) = NUMBERINGS.lock() {
            all.retain(|w| w.strong_count() > 0);
            all.push(std::sync::Arc::downgrade(n));
        }
    }

    /// The numbering with this id, if its vocabulary still lives.
    pub(crate) fn find(id: u64) -> Option<std::sync::Arc<Numbering>> {
        let all = NUMBERINGS.lock().ok()?;
        all.iter().filter_map(std::sync::Weak::upgrade).find(|n| n.id == id)
    }
}

/// A value whose names are numbers ([`Numbering`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NumVal {
    Bool(bool),
    Int(i64),
    Date(chrono::NaiveDate),
    /// The number of the enum value.
    Enum(u32),
    /// A text: read from the case by its name when needed.
    Text,
}

/// A case's names as numbers (see [`Case::numbers`]).
///
/// Layout: `ids` holds each actor's roles, then each event's kind; `vals`
/// holds `(name, value)` runs — the case's facts, then each actor's
/// attributes and facts, then each event's fields, each run sorted by name;
/// `ends` holds where each run ends: the facts' run; per actor its
/// attributes', its facts' (in `vals`) and its roles' (in `ids`); per event
/// its fields'.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Numbers {
    /// The id of the vocabulary whose numbers these are (0: none). The
    /// vocabulary's names are found by it ([`Numbering::find`]) once per
    /// program and thread, so a case holds no pointer to them (a shared
    /// reference count would be touched by every case on every thread).
    pub(crate) vocab: u64,
    pub(crate) ids: Vec<u32>,
    pub(crate) vals: Vec<(u32, NumVal)>,
    pub(crate) ends: Vec<u32>,
}

impl Numbers {
    /// Whether the case carries numbers (it was loaded, not built by hand).
    pub fn is_empty(&self) -> bool {
        self.vocab == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    pub roles: Vec<String>,
    pub attrs: BTreeMap<String, Val>,
    /// Facts that hold for this actor alone (`"facts"` on the actor in the
    /// case file: whether *it* refused correction, whether *its* breach had
    /// serious consequences). Where a duty this actor bears, its exceptions or
    /// its penalties read a fact, a value given here wins over the case's.
    pub facts: BTreeMap<String, Val>,
}

impl Actor {
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// A fact as it holds for this actor: its own value, else the case's.
    pub fn fact<'a>(&'a self, case: &'a Case, name: &str) -> Option<&'a Val> {
        self.facts.get(name).or_else(|| case.facts.get(name))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: String,
    /// Index into [`Case::actors`].
    pub actor: usize,
    pub at: When,
    pub attrs: BTreeMap<String, Val>,
    /// 1-based position in the file's `events` list, for explanations.
    pub index: usize,
}

/// `expect` in a case file: this duty (or citation, optionally for one
/// actor) should come out with this status under this instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    pub instrument: String,
    /// A duty id, a row id, or a citation such as `art 7(1)(2)`.
    pub key: String,
    pub actor: Option<String>,
    pub status: crate::finding::Status,
    /// Where the expectation is written (byte range in the case file).
    pub span: (usize, usize),
}
