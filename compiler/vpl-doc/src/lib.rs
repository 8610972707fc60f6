//! `vplc doc`: decision tables, amendments and case reports rendered as a
//! static site that lawyers read — HTML (plain HTML and CSS, readable from
//! `file://` with no JavaScript) or Markdown.
//!
//! Pure: the caller compiles policies, diffs them and checks cases; this
//! crate turns the results into an ordered list of [`Page`]s (a relative path
//! and its contents) and never touches the disk. HTML goes through `maud`, a
//! typed HTML builder that escapes every interpolated string.
//!
//! Pages (HTML; `--lang` picks the language of the unsuffixed pages, the other
//! language gets a `.zh.html` / `.en.html` twin linked from every page):
//! - `index.html`: the instruments, their status, dates and issuing bodies;
//! - `SLUG.html` per instrument (`provisions-2021.html`): each article's text
//!   in Chinese and English beside the duties encoded from it, with stable
//!   anchors `#art-7`, `#art-7-1`, `#art-7-1-2` and `#duty-ID`;
//! - `compare.html`: topics × instruments;
//! - `diff-OLD--NEW.html` per `--diff` pair;
//! - `case-ID.html` per case: findings and an SVG timeline.

mod html;
mod labels;
mod md;
mod timeline;
mod words;

pub use labels::Lang;

use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use vpl_core::diff::TableDiff;
use vpl_core::table::model::{Deadline, DecisionTable};
use vpl_eval::{Case, CaseReport, Compiled};

/// One output file: a path relative to the output directory, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub path: String,
    pub contents: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

/// An amendment: the two versions compared, and what `vpl_core::diff` found.
#[derive(Debug, Clone)]
pub struct Amendment {
    pub old: DecisionTable,
    pub new: DecisionTable,
    pub diff: TableDiff,
}

/// An event of a case, resolved to an instant in the calendar's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseEvent {
    /// 1-based position in the case file.
    pub index: usize,
    pub kind: String,
    pub actor: String,
    /// As written in the case file.
    pub at: String,
    pub instant: DateTime<FixedOffset>,
    pub whole_day: bool,
}

/// How one finding's deadline was counted, recomputed with the instrument's
/// calendar so the timeline can show the rest days that extended it.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub trigger: Option<DateTime<FixedOffset>>,
    pub due: Option<DateTime<FixedOffset>>,
    pub done: Option<DateTime<FixedOffset>>,
    pub nominal_last_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// The rest days that pushed the end of the period back.
    pub extended_over: Vec<NaiveDate>,
    /// The duty as a plain sentence, from the instrument's row.
    pub sentence: Option<String>,
}

/// A case and what each instrument says about it.
#[derive(Debug, Clone)]
pub struct CaseDoc {
    pub id: String,
    pub title: Option<String>,
    pub as_of: String,
    pub events: Vec<CaseEvent>,
    /// One report per instrument, in the order the policies were given.
    pub reports: Vec<CaseReport>,
    /// Per report, per finding (same order): the counted deadline.
    pub counted: Vec<Vec<Counted>>,
    /// Rest days (weekly and holidays) of the instruments' calendars within
    /// the span of the timeline.
    pub rest_days: BTreeSet<NaiveDate>,
}

impl CaseDoc {
    /// Builds a case document from a loaded case and its reports (one per
    /// compiled instrument, same order), recomputing each deadline with the
    /// instrument's calendar to find the rest days that extended it.
    pub fn new(case: &Case, compiled: &[&Compiled], reports: Vec<CaseReport>) -> CaseDoc {
        let zone = compiled.first().map(|c| c.calendar().zone).unwrap_or(chrono_tz::Tz::UTC);
        let events: Vec<CaseEvent> = case
            .events
            .iter()
            .filter_map(|e| {
                let instant = e.at.instant_in(zone).ok()?;
                Some(CaseEvent {
                    index: e.index,
                    kind: e.kind.clone(),
                    actor: case.actors.get(e.actor).map_or_else(|| "?".to_string(), |a| a.id.clone()),
                    at: e.at.to_string(),
                    instant,
                    whole_day: e.at.is_whole_day(),
                })
            })
            .collect();
        let mut counted = Vec::new();
        for (ri, r) in reports.iter().enumerate() {
            let c = compiled.get(ri).copied();
            let cal_zone = c.map_or(zone, |c| c.calendar().zone);
            let parse = |s: &Option<String>| {
                s.as_deref()
                    .and_then(|s| vpl_eval::load::parse_when(s, Some(cal_zone)).ok())
                    .and_then(|w| w.instant_in(cal_zone).ok())
            };
            let mut per = Vec::new();
            for f in &r.findings {
                let mut k = Counted {
                    trigger: parse(&f.trigger_at),
                    due: parse(&f.due),
                    done: parse(&f.done_at),
                    nominal_last_day: None,
                    last_day: f.last_day.as_deref().and_then(|d| d.parse().ok()),
                    extended_over: Vec::new(),
                    sentence: c.and_then(|c| c.table().rows.iter().find(|row| row.id == f.row)).map(words::sentence),
                };
                if let (Some(c), Some(trigger)) = (c, f.trigger_at.as_deref()) {
                    let row = c.table().rows.iter().find(|row| row.id == f.row);
                    let period = match row.map(|r| &r.deadline) {
                        Some(Deadline::Within { period }) => period.counted(),
                        _ => None,
                    };
                    if let (Some(p), Ok(w)) = (period, vpl_eval::load::parse_when(trigger, Some(cal_zone))) {
                        if let Ok(d) = vpl_time::deadline(c.calendar(), &w, p) {
                            k.nominal_last_day = d.nominal_last_day;
                            k.extended_over = d.extended_over;
                        }
                    }
                }
                per.push(k);
            }
            counted.push(per);
        }
        let mut doc = CaseDoc {
            id: case.id.clone(),
            title: case.title.clone(),
            as_of: reports.first().map(|r| r.as_of.clone()).unwrap_or_default(),
            events,
            reports,
            counted,
            rest_days: BTreeSet::new(),
        };
        if let Some((from, to)) = timeline::span(&doc) {
            let (from, to) = (from.date_naive(), to.date_naive());
            let mut d = from;
            while d <= to {
                if compiled.iter().any(|c| c.calendar().is_rest_day(d).unwrap_or(false)) {
                    doc.rest_days.insert(d);
                }
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
        }
        doc
    }
}

/// Everything a site is made of.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub tables: Vec<DecisionTable>,
    pub amendments: Vec<Amendment>,
    pub cases: Vec<CaseDoc>,
}

/// Options of the rendering.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub format: Format,
    /// The language of the unsuffixed pages (and, for Markdown, of all pages).
    pub lang: Lang,
}

/// Renders the site: pages in a stable order, index first.
pub fn render(site: &Site, opts: Options) -> Vec<Page> {
    let names = Names::new(site);
    match opts.format {
        Format::Html => {
            let mut pages = vec![Page { path: "style.css".into(), contents: html::style_css() }];
            for lang in [opts.lang, opts.lang.other()] {
                pages.extend(html::pages(site, &names, lang, opts.lang));
            }
            pages
        }
        Format::Markdown => md::pages(site, &names, opts.lang),
    }
}

/// File names (without extension) of every page, decided once so that links
/// and files agree.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    /// Instrument id → slug.
    instruments: BTreeMap<String, String>,
    amendments: Vec<String>,
    cases: Vec<String>,
}

impl Names {
    fn new(site: &Site) -> Names {
        let mut used: BTreeSet<String> = ["index", "compare", "style"].iter().map(|s| s.to_string()).collect();
        let mut unique = |base: String| {
            let mut s = base.clone();
            let mut n = 2;
            while !used.insert(s.clone()) {
                s = format!("{base}-{n}");
                n += 1;
            }
            s
        };
        let mut instruments = BTreeMap::new();
        for t in &site.tables {
            let id = &t.instrument.id;
            if instruments.contains_key(id) {
                continue;
            }
            let last = id.rsplit('/').next().unwrap_or(id);
            instruments.insert(id.clone(), unique(slug(last)));
        }
        let amendments = site
            .amendments
            .iter()
            .map(|a| {
                let short = |id: &str| slug(id.rsplit('/').next().unwrap_or(id));
                unique(format!("diff-{}--{}", short(&a.old.instrument.id), short(&a.new.instrument.id)))
            })
            .collect();
        let cases = site.cases.iter().map(|c| unique(format!("case-{}", slug(&c.id)))).collect();
        Names { instruments, amendments, cases }
    }

    pub(crate) fn instrument(&self, id: &str) -> Option<&str> {
        self.instruments.get(id).map(String::as_str)
    }
}

/// A file-name-safe slug: lowercase ASCII letters, digits, `-`, `_` and `.`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    if out.is_empty() {
        "page".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(src: &str) -> DecisionTable {
        let c = vpl_core::compile("<test>", src, &|_, _| None);
        c.table.unwrap_or_else(|| panic!("{:?}", c.diagnostics))
    }

    const POLICY: &str = r#"
instrument acme/psirt-policy {
    title en "ACME policy"
    status in_force issued 2024-01-15 effective 2024-02-01
    calendar cn
}

article 2 {
    en "The team shall report it to MIIT's platform within 2 days."
}

duty report {
    cite art 2
    product_provider must reported where to == miit_platform and includes_product
    within 2 days after aware
}
"#;

    #[test]
    fn duty_sentence_reads_as_english() {
        let t = table(POLICY);
        let row = t.rows.first().unwrap_or_else(|| panic!("no row"));
        assert_eq!(
            words::sentence(row),
            "Within 2 days after becoming aware of the vulnerability, a product provider must report the vulnerability \
             to MIIT's vulnerability platform, including the product."
        );
    }

    #[test]
    fn pages_are_ordered_and_named_stably() {
        let t = table(POLICY);
        let site = Site { tables: vec![t.clone(), t], ..Default::default() };
        let pages = render(&site, Options { format: Format::Html, lang: Lang::En });
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "style.css",
                "index.html",
                "psirt-policy.html",
                "compare.html",
                "index.zh.html",
                "psirt-policy.zh.html",
                "compare.zh.html"
            ]
        );
        let md = render(&site, Options { format: Format::Markdown, lang: Lang::Zh });
        let paths: Vec<&str> = md.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["index.md", "psirt-policy.md", "compare.md"]);
        assert!(md.iter().any(|p| p.contents.contains("第2条")));
    }

    #[test]
    fn slugs_and_paragraphs() {
        assert_eq!(slug("cn/provisions-2021"), "cn-provisions-2021");
        assert_eq!(slug("Log4Shell: über!"), "log4shell-ber");
        assert_eq!(slug("///"), "page");
        let doc: Vec<String> = ["a", "b", "", "c", "- d", "e"].iter().map(|s| s.to_string()).collect();
        assert_eq!(words::paragraphs(&doc), ["a b", "c", "- d e"]);
    }
}
