//! The HTML pages, built with maud (every interpolated string is escaped).

use crate::labels::{article_heading, item_label, paragraph_label, t, Key, Lang};
use crate::words::{self, DutyView};
use crate::{Amendment, CaseDoc, Names, Page, Site};
use maud::{html, Markup, DOCTYPE};
use std::collections::{BTreeMap, BTreeSet};
use vpl_core::table::model::{ArticleInfo, DecisionTable, Text};

/// Where links go: page names, the language of the pages being made, and
/// which anchors each instrument page has.
struct Ctx<'a> {
    names: &'a Names,
    lang: Lang,
    primary: Lang,
    anchors: BTreeMap<String, BTreeSet<String>>,
}

impl Ctx<'_> {
    fn file(&self, base: &str, lang: Lang) -> String {
        if lang == self.primary {
            format!("{base}.html")
        } else {
            format!("{base}.{}.html", lang.code())
        }
    }

    fn href(&self, base: &str) -> String {
        self.file(base, self.lang)
    }

    /// A link to an instrument page, at an anchor if that page has it.
    fn instrument_href(&self, id: &str, anchor: Option<&str>) -> Option<String> {
        let base = self.names.instrument(id)?;
        let page = self.href(base);
        match anchor {
            Some(a) if self.anchors.get(id).is_some_and(|s| s.contains(a)) => Some(format!("{page}#{a}")),
            _ => Some(page),
        }
    }

    /// The most specific anchor of a citation that an instrument page has.
    fn cite_href(&self, id: &str, anchor: &str) -> Option<String> {
        let set = self.anchors.get(id)?;
        let mut a = anchor.to_string();
        loop {
            if set.contains(&a) {
                return self.instrument_href(id, Some(&a));
            }
            match a.rfind('-') {
                Some(i) if a.get(..i).is_some_and(|p| p.contains('-')) => a.truncate(i),
                _ => return self.instrument_href(id, None),
            }
        }
    }
}

/// The anchors an instrument page defines.
fn anchors(t: &DecisionTable) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    for a in &t.articles {
        s.insert(a.anchor.clone());
        for p in &a.paragraphs {
            s.insert(format!("{}-{}", a.anchor, p.number));
            for i in &p.items {
                s.insert(format!("{}-{}-{}", a.anchor, p.number, i.number));
            }
        }
    }
    for r in &t.rows {
        s.insert(duty_anchor(&r.duty));
    }
    s.insert("penalties".into());
    s
}

pub(crate) fn duty_anchor(duty: &str) -> String {
    format!("duty-{}", crate::slug(duty))
}

pub fn pages(site: &Site, names: &Names, lang: Lang, primary: Lang) -> Vec<Page> {
    let ctx = Ctx { names, lang, primary, anchors: site.tables.iter().map(|t| (t.instrument.id.clone(), anchors(t))).collect() };
    let mut out = vec![Page { path: ctx.href("index"), contents: index(site, &ctx).into_string() }];
    let mut done = BTreeSet::new();
    for t in &site.tables {
        if !done.insert(t.instrument.id.clone()) {
            continue;
        }
        if let Some(base) = names.instrument(&t.instrument.id) {
            out.push(Page { path: ctx.href(base), contents: instrument(t, base, &ctx).into_string() });
        }
    }
    out.push(Page { path: ctx.href("compare"), contents: compare(site, &ctx).into_string() });
    for (a, base) in site.amendments.iter().zip(&names.amendments) {
        out.push(Page { path: ctx.href(base), contents: amendment(a, base, &ctx).into_string() });
    }
    for (c, base) in site.cases.iter().zip(&names.cases) {
        out.push(Page { path: ctx.href(base), contents: case(c, base, &ctx).into_string() });
    }
    out
}

fn layout(ctx: &Ctx<'_>, base: &str, title: &str, body: Markup) -> Markup {
    let other = ctx.lang.other();
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title {
                    @if title != t(ctx.lang, Key::SiteTitle) { (title) " — " }
                    (t(ctx.lang, Key::SiteTitle))
                }
                link rel="stylesheet" href="style.css";
                link rel="alternate" hreflang=(other.tag()) href=(ctx.file(base, other));
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    nav aria-label="Site" {
                        ul {
                            li { a href=(ctx.href("index")) { (t(ctx.lang, Key::Instruments)) } }
                            li { a href=(ctx.href("compare")) { (t(ctx.lang, Key::Comparison)) } }
                        }
                    }
                    p class="lang-switch" {
                        span class="visually-hidden" { (t(ctx.lang, Key::Language)) ": " }
                        span aria-current="page" { (ctx.lang.name()) }
                        " · "
                        a href=(ctx.file(base, other)) hreflang=(other.tag()) lang=(other.tag()) { (other.name()) }
                    }
                }
                main id="main" { (body) }
                footer {
                    p { "Generated by vplc doc from the encoded policies. Duty sentences are generated in English from the decision table; the statute text is authoritative." }
                }
            }
        }
    }
}

/// Text in its own language, with `lang` set.
fn text_block(lang: Lang, texts: &[Text]) -> Markup {
    let mut ordered: Vec<&Text> = texts.iter().collect();
    ordered.sort_by_key(|x| if x.lang == lang.code() { 0 } else { 1 });
    html! {
        @for x in &ordered {
            @let tag = Lang::parse(&x.lang).map_or(x.lang.as_str(), |l| l.tag());
            @if x.missing {
                p class={ "law missing " (x.lang) } lang=(tag) {
                    span class="tag" lang=(lang.tag()) { (t(lang, Key::TextMissing)) } " " (x.text)
                }
            } @else {
                p class={ "law " (x.lang) } lang=(tag) { (x.text) }
            }
        }
    }
}

fn notes(lang: Lang, doc: &[String]) -> Markup {
    html! {
        @if !doc.is_empty() {
            aside class="note" lang="en" {
                p class="note-label" lang=(lang.tag()) { (t(lang, Key::Note)) }
                @for para in &words::paragraphs(doc) { p { (para) } }
            }
        }
    }
}

fn status_badge(lang: Lang, s: &vpl_core::table::model::Status) -> Markup {
    let class = if words::is_draft(s) { "badge draft" } else { "badge in-force" };
    html! { span class=(class) { (words::status_kind(lang, s)) } }
}

fn index(site: &Site, ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let mut seen = BTreeSet::new();
    let tables: Vec<&DecisionTable> = site.tables.iter().filter(|t| seen.insert(t.instrument.id.clone())).collect();
    let body = html! {
        h1 { (t(lang, Key::SiteTitle)) }
        section aria-labelledby="instruments" {
            h2 id="instruments" { (t(lang, Key::Instruments)) }
            div class="scroll" {
                table class="index" {
                    thead {
                        tr {
                            th scope="col" { (t(lang, Key::Instrument)) }
                            th scope="col" { (t(lang, Key::Status)) }
                            th scope="col" { (t(lang, Key::Dates)) }
                            th scope="col" { (t(lang, Key::IssuedBy)) }
                            th scope="col" { (t(lang, Key::Duties)) }
                        }
                    }
                    tbody {
                        @for tb in &tables {
                            @let i = &tb.instrument;
                            tr {
                                th scope="row" {
                                    @if let Some(h) = ctx.instrument_href(&i.id, None) {
                                        a href=(h) { (words::title(lang, tb)) }
                                    }
                                    br;
                                    code { (i.id) }
                                    @if let Some(n) = &i.number { br; span lang="zh-Hans" { (n) } }
                                }
                                td { (status_badge(lang, &i.status)) }
                                td {
                                    ul class="plain" {
                                        @for (k, v) in words::status_dates(lang, &i.status) { li { (k) " " time datetime=(v) { (v) } } }
                                    }
                                }
                                td lang="zh-Hans" { (i.issued_by.join("、")) }
                                td class="num" { (words::duties(tb).len()) }
                            }
                        }
                    }
                }
            }
            p { a href=(ctx.href("compare")) { (t(lang, Key::Comparison)) } }
        }
        @if !site.amendments.is_empty() {
            section aria-labelledby="amendments" {
                h2 id="amendments" { (t(lang, Key::Amendments)) }
                ul {
                    @for (a, base) in site.amendments.iter().zip(&ctx.names.amendments) {
                        li { a href=(ctx.href(base)) { code { (a.old.instrument.id) } " → " code { (a.new.instrument.id) } } " — " (crate::labels::change_count(lang, a.diff.changes.len())) }
                    }
                }
            }
        }
        @if !site.cases.is_empty() {
            section aria-labelledby="cases" {
                h2 id="cases" { (t(lang, Key::Cases)) }
                ul {
                    @for (c, base) in site.cases.iter().zip(&ctx.names.cases) {
                        li {
                            a href=(ctx.href(base)) { code { (c.id) } }
                            @if let Some(title) = &c.title { " — " (title) }
                        }
                    }
                }
            }
        }
    };
    layout(ctx, "index", t(lang, Key::SiteTitle), body)
}

fn instrument(tb: &DecisionTable, base: &str, ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let i = &tb.instrument;
    let duties = words::duties(tb);
    let mut by_article: BTreeMap<u32, Vec<&DutyView<'_>>> = BTreeMap::new();
    for d in &duties {
        by_article.entry(d.first.cite.article).or_default().push(d);
    }
    let known: BTreeSet<u32> = tb.articles.iter().map(|a| a.number).collect();
    let stray: Vec<&DutyView<'_>> = duties.iter().filter(|d| !known.contains(&d.first.cite.article)).collect();
    let (main_title, other_title, other_lang) = match lang {
        Lang::Zh => (&i.title_zh, &i.title_en, Lang::En),
        Lang::En => (&i.title_en, &i.title_zh, Lang::Zh),
    };
    let body = html! {
        header class="instrument" {
            h1 lang=(if main_title.is_some() { lang.tag() } else { other_lang.tag() }) { (words::title(lang, tb)) }
            @if main_title.is_some() { @if let Some(o) = other_title { p class="subtitle" lang=(other_lang.tag()) { (o) } } }
            dl class="meta" {
                dt { "ID" } dd { code { (i.id) } }
                dt { (t(lang, Key::Status)) } dd { (status_badge(lang, &i.status)) }
                @for (k, v) in words::status_dates(lang, &i.status) { dt { (k) } dd { time datetime=(v) { (v) } } }
                @if !i.issued_by.is_empty() { dt { (t(lang, Key::IssuedBy)) } dd lang="zh-Hans" { (i.issued_by.join("、")) } }
                @if let Some(n) = &i.number { dt { (t(lang, Key::Number)) } dd lang="zh-Hans" { (n) } }
                dt { (t(lang, Key::Calendar)) } dd { code { (tb.calendar.name) } " (" (tb.calendar.zone) ", " (tb.calendar.rule) ")" }
                @if !i.imports.is_empty() {
                    dt { (t(lang, Key::Imports)) }
                    dd { @for (n, u) in i.imports.iter().enumerate() {
                        @if n > 0 { ", " }
                        @match ctx.instrument_href(u, None) { Some(h) => a href=(h) { code { (u) } }, None => code { (u) } }
                    } }
                }
                @if let Some(e) = &i.excerpt { dt { (t(lang, Key::ExcerptNote)) } dd { (e) } }
            }
            @if words::is_draft(&i.status) { p class="warning" { (t(lang, Key::NotBinding)) } }
            @if !i.doc.is_empty() {
                details class="readings" open {
                    summary { (t(lang, Key::ReadingNotes)) }
                    div lang="en" { @for para in &words::paragraphs(&i.doc) { p { (para) } } }
                }
            }
        }
        nav class="toc" aria-labelledby="toc-h" {
            h2 id="toc-h" { (t(lang, Key::Contents)) }
            ol {
                @for a in &tb.articles {
                    li {
                        a href={ "#" (a.anchor) } { (article_heading(lang, a.number)) }
                        @let n = by_article.get(&a.number).map_or(0, Vec::len);
                        @if a.no_duty.is_some() { " — " span class="muted" { (t(lang, Key::NoDuty)) } }
                        @else if n > 0 { " — " (crate::labels::duty_count(lang, n)) }
                    }
                }
                @if !tb.penalties.is_empty() { li { a href="#penalties" { (t(lang, Key::Penalties)) } } }
            }
        }
        @for a in &tb.articles {
            (article(tb, a, by_article.get(&a.number).map(Vec::as_slice).unwrap_or(&[]), ctx))
        }
        @if !stray.is_empty() {
            section class="article" aria-labelledby="other-duties" {
                h2 id="other-duties" { (t(lang, Key::Duties)) }
                div class="duties" { @for d in &stray { (duty(tb, d, ctx)) } }
            }
        }
        section id="penalties" aria-labelledby="penalties-h" {
            h2 id="penalties-h" { (t(lang, Key::Penalties)) }
            @if tb.penalties.is_empty() { p { (t(lang, Key::NoPenalty)) } } @else {
                div class="scroll" {
                    table {
                        thead { tr { th scope="col" { "ID" } th scope="col" { (t(lang, Key::Cite)) } th scope="col" { (t(lang, Key::Penalty)) } } }
                        tbody {
                            @for p in &tb.penalties {
                                tr {
                                    th scope="row" { code { (p.id) } }
                                    td { @match ctx.cite_href(&p.instrument, &p.cite.anchor) {
                                        Some(h) => a href=(h) { (p.instrument) " " (p.cite.display) },
                                        None => { (p.instrument) " " (p.cite.display) }
                                    } }
                                    td { (words::penalty_plain(p)) (notes(lang, &p.doc)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(ctx, base, &words::title(lang, tb), body)
}

fn article(tb: &DecisionTable, a: &ArticleInfo, duties: &[&DutyView<'_>], ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let h = format!("{}-h", a.anchor);
    html! {
        section class="article" id=(a.anchor) aria-labelledby=(h) {
            h2 id=(h) {
                a class="anchor" href={ "#" (a.anchor) } { (article_heading(lang, a.number)) }
                @if a.no_duty.is_some() { " " span class="badge no-duty" { (t(lang, Key::NoDuty)) } }
            }
            div class="cols" {
                div class="text" {
                    h3 class="visually-hidden" { (t(lang, Key::Text)) }
                    (text_block(lang, &a.texts))
                    @for p in &a.paragraphs {
                        @let pa = format!("{}-{}", a.anchor, p.number);
                        div class="para" id=(pa) {
                            a class="label" href={ "#" (pa) } { (paragraph_label(lang, p.number)) }
                            (text_block(lang, &p.texts))
                            (notes(lang, &p.doc))
                            @for it in &p.items {
                                @let ia = format!("{}-{}", pa, it.number);
                                div class="item" id=(ia) {
                                    a class="label" href={ "#" (ia) } { (item_label(lang, it.number)) }
                                    (text_block(lang, &it.texts))
                                    (notes(lang, &it.doc))
                                }
                            }
                        }
                    }
                    (notes(lang, &a.doc))
                }
                div class="duties" {
                    h3 { (t(lang, Key::Duties)) }
                    @if let Some(why) = &a.no_duty {
                        p class="no-duty" { strong { (t(lang, Key::NoDuty)) ": " } span lang="en" { (why) } }
                    }
                    @for d in duties { (duty(tb, d, ctx)) }
                    @if duties.is_empty() && a.no_duty.is_none() { p class="muted" { (t(lang, Key::NoDutyEncoded)) } }
                }
            }
        }
    }
}

fn duty(tb: &DecisionTable, d: &DutyView<'_>, ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let r = d.first;
    let id = duty_anchor(&r.duty);
    let penalties = words::penalties_of(tb, r);
    html! {
        article class={ "duty " (format!("{:?}", r.modality).to_lowercase()) } id=(id) aria-labelledby={ (id) "-s" } {
            p class="duty-head" {
                @match ctx.cite_href(&tb.instrument.id, &r.cite.anchor) {
                    Some(h) => a href=(h) class="cite" { (r.cite.display) },
                    None => span class="cite" { (r.cite.display) }
                }
                " · " span class="modality" { (words::modality_words(r.modality)) }
                " · " a class="anchor" href={ "#" (id) } { code { (r.duty) } }
            }
            p class="sentence" id={ (id) "-s" } lang="en" { (words::sentence(r)) }
            dl lang="en" {
                dt lang=(lang.tag()) { (t(lang, Key::Deadline)) }
                dd { (words::deadline_rule(&r.deadline, &tb.calendar.rule)) }
                @if !d.alternatives.is_empty() {
                    dt lang=(lang.tag()) { (t(lang, Key::Conditions)) }
                    dd { @if d.alternatives.len() == 1 { @for a in &d.alternatives { code { (a) } } } @else {
                        ul { @for a in &d.alternatives { li { code { (a) } } } }
                    } }
                }
                @if !r.exceptions.is_empty() {
                    dt lang=(lang.tag()) { (t(lang, Key::Exceptions)) }
                    dd { ul { @for e in &r.exceptions { li { code { (vpl_core::table::render::cond_words(e)) } } } } }
                }
                dt lang=(lang.tag()) { (t(lang, Key::Penalty)) }
                dd {
                    @if penalties.is_empty() { span lang=(lang.tag()) { (t(lang, Key::NoPenalty)) } }
                    @else { ul { @for (inst, anchor, cite, words) in &penalties { li {
                        @match ctx.cite_href(inst, anchor) {
                            Some(h) => a href=(h) { (inst) " " (cite) },
                            None => { (inst) " " (cite) }
                        }
                        ": " (words)
                    } } } }
                }
            }
            (notes(lang, &r.doc))
        }
    }
}

fn compare(site: &Site, ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let mut seen = BTreeSet::new();
    let tables: Vec<DecisionTable> = site.tables.iter().filter(|t| seen.insert(t.instrument.id.clone())).cloned().collect();
    let rows = words::comparison(&tables);
    let body = html! {
        h1 { (t(lang, Key::Comparison)) }
        p { "Each cell lists the duties of a topic, linked to the article they are encoded from. Rows marked "
            strong class="differs-mark" { "≠ " (t(lang, Key::Differs)) }
            " differ between instruments; a duty marked " span class="tag unique-tag" { (t(lang, Key::OnlyHere)) }
            " has no duty with the same bearer, act and deadline in the other instruments." }
        div class="scroll" {
            table class="compare" {
                caption { (t(lang, Key::Topic)) " × " (t(lang, Key::Instrument)) }
                thead {
                    tr {
                        th scope="col" { (t(lang, Key::Topic)) }
                        @for tb in &tables {
                            th scope="col" {
                                @match ctx.instrument_href(&tb.instrument.id, None) {
                                    Some(h) => a href=(h) { (words::title(lang, tb)) },
                                    None => { (words::title(lang, tb)) }
                                }
                                br; code { (tb.instrument.id) } br; (status_badge(lang, &tb.instrument.status))
                            }
                        }
                    }
                }
                tbody {
                    @for row in &rows {
                        tr class=[row.differs.then_some("differs")] {
                            th scope="row" {
                                (row.topic)
                                @if row.differs { br; span class="differs-mark" { "≠ " (t(lang, Key::Differs)) } }
                            }
                            @for (tb, cell) in tables.iter().zip(&row.cells) {
                                td {
                                    @if cell.is_empty() { span class="muted" aria-label="none" { "—" } } @else {
                                        ul class="plain" {
                                            @for (r, unique) in cell {
                                                li class=[unique.then_some("unique")] {
                                                    @match ctx.instrument_href(&tb.instrument.id, Some(&duty_anchor(&r.duty))) {
                                                        Some(h) => a href=(h) class="cite" { (r.cite.display) },
                                                        None => span class="cite" { (r.cite.display) }
                                                    }
                                                    " " span lang="en" { (words::sentence(r)) }
                                                    @if *unique { " " span class="tag unique-tag" { (t(lang, Key::OnlyHere)) } }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    tr {
                        th scope="row" { (t(lang, Key::Penalties)) }
                        @for tb in &tables {
                            td { @if tb.penalties.is_empty() { span class="muted" { "—" } } @else { ul class="plain" {
                                @for p in &tb.penalties { li {
                                    @match ctx.cite_href(&p.instrument, &p.cite.anchor) {
                                        Some(h) => a href=(h) { (p.instrument) " " (p.cite.display) },
                                        None => { (p.instrument) " " (p.cite.display) }
                                    }
                                    ": " (words::penalty_plain(p))
                                } }
                            } } }
                        }
                    }
                }
            }
        }
    };
    layout(ctx, "compare", t(lang, Key::Comparison), body)
}

fn amendment(a: &Amendment, base: &str, ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &a.diff.changes {
        *counts.entry(c.kind.words()).or_default() += 1;
    }
    let new_duties: BTreeSet<&str> = a.new.rows.iter().map(|r| r.duty.as_str()).collect();
    let title = format!("{} → {}", a.old.instrument.id, a.new.instrument.id);
    let body = html! {
        h1 { (t(lang, Key::Amendments)) ": " code { (a.old.instrument.id) } " → " code { (a.new.instrument.id) } }
        p {
            @match ctx.instrument_href(&a.old.instrument.id, None) { Some(h) => a href=(h) { (words::title(lang, &a.old)) }, None => (words::title(lang, &a.old)) }
            " (" (words::status_kind(lang, &a.old.instrument.status)) ") → "
            @match ctx.instrument_href(&a.new.instrument.id, None) { Some(h) => a href=(h) { (words::title(lang, &a.new)) }, None => (words::title(lang, &a.new)) }
            " (" (words::status_kind(lang, &a.new.instrument.status)) ")"
        }
        @if a.diff.changes.is_empty() { p { (t(lang, Key::NoChanges)) } } @else {
            p { @for (n, (k, c)) in counts.iter().enumerate() { @if n > 0 { ", " } (c) " " (k) } "." }
            div class="scroll" {
                table class="diff" {
                    thead { (column_heads(lang, &[Key::Change, Key::Duty, Key::Cite, Key::Before, Key::After])) }
                    tbody {
                        @for c in &a.diff.changes {
                            @let inst = if new_duties.contains(c.duty.as_str()) { &a.new.instrument.id } else { &a.old.instrument.id };
                            tr class={ "change " (format!("{:?}", c.kind).to_lowercase()) } {
                                th scope="row" { (c.kind.words()) }
                                td { @match ctx.instrument_href(inst, Some(&duty_anchor(&c.duty))) {
                                    Some(h) => a href=(h) { code { (c.duty) } },
                                    None => code { (c.duty) }
                                } }
                                td { (c.old_cite.as_deref().unwrap_or("—")) " → " (c.new_cite.as_deref().unwrap_or("—")) }
                                td lang="en" { @if let Some(o) = &c.old { del { (o) } } @else { "—" } }
                                td lang="en" { @if let Some(n) = &c.new { ins { (n) } } @else { "—" } }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(ctx, base, &title, body)
}

fn case(c: &CaseDoc, base: &str, ctx: &Ctx<'_>) -> Markup {
    let lang = ctx.lang;
    let svg = crate::timeline::svg(c, lang, false);
    let body = html! {
        h1 { (t(lang, Key::Cases)) ": " code { (c.id) } }
        @if let Some(title) = &c.title { p class="subtitle" lang="en" { (title) } }
        p { (t(lang, Key::AsOf)) " " time { (c.as_of) } }
        @if let Some(svg) = &svg {
            figure class="timeline-figure" {
                (svg)
                figcaption { (t(lang, Key::Timeline)) ". " span lang="en" { "Each lane shows a duty's period from its trigger (dot) to its deadline (bar), the act (diamond) and the status in words; hatched days are rest days that extended the deadline; shaded columns are rest days." } }
            }
        }
        section aria-labelledby="events-h" {
            h2 id="events-h" { (t(lang, Key::Events)) }
            div class="scroll" {
                table class="events" {
                    thead { tr { th scope="col" { "#" } th scope="col" { (crate::labels::event_header(lang)) } th scope="col" { (t(lang, Key::Actor)) } th scope="col" { "Time" } } }
                    tbody { @for e in &c.events { tr { th scope="row" { (e.index) } td { code { (e.kind) } } td { (e.actor) } td { time { (e.at) } } } } }
                }
            }
        }
        @for (ri, r) in c.reports.iter().enumerate() {
            @let h = format!("report-{ri}");
            section class="report" aria-labelledby=(h) {
                h2 id=(h) {
                    (t(lang, Key::Findings)) ": "
                    @match ctx.instrument_href(&r.instrument, None) { Some(hr) => a href=(hr) { code { (r.instrument) } }, None => code { (r.instrument) } }
                }
                p class=[r.draft.then_some("warning")] lang="en" { (r.instrument_status) }
                @if r.findings.is_empty() { p class="muted" { "—" } } @else {
                    div class="scroll" {
                        table class="findings" {
                            thead { (column_heads(lang, &[Key::Cite, Key::Duty, Key::Actor, Key::Status, Key::Trigger, Key::Due, Key::Done, Key::Remarks, Key::Penalty])) }
                            tbody {
                                @for (fi, f) in r.findings.iter().enumerate() {
                                    @let ext = c.counted.get(ri).and_then(|v| v.get(fi)).map(|k| k.extended_over.clone()).unwrap_or_default();
                                    tr class={ "st-" (f.status.as_str()) } {
                                        td { @match ctx.cite_href(&r.instrument, &f.cite.anchor) {
                                            Some(h) => a href=(h) { (f.cite.display) },
                                            None => (f.cite.display)
                                        } }
                                        th scope="row" lang="en" {
                                            @match ctx.instrument_href(&r.instrument, Some(&duty_anchor(&f.duty))) {
                                                Some(h) => a href=(h) { code { (f.duty) } },
                                                None => code { (f.duty) }
                                            }
                                            @let k = c.counted.get(ri).and_then(|v| v.get(fi));
                                            br; span class="summary" { (k.and_then(|k| k.sentence.clone()).unwrap_or_else(|| f.summary.clone())) }
                                        }
                                        td { (f.actor) }
                                        td { span class={ "status st-" (f.status.as_str()) } { (f.status.as_str().replace('_', " ")) } }
                                        td { (f.trigger_at.as_deref().unwrap_or("—")) }
                                        td {
                                            (f.due.as_deref().unwrap_or("—"))
                                            @if let Some(l) = &f.last_day { br; span class="muted" { (t(lang, Key::LastDay)) " " (l) } }
                                            @if !ext.is_empty() { br; span class="ext-note" {
                                                (t(lang, Key::ExtendedBy)) ": " (ext.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "))
                                            } }
                                        }
                                        td { (f.done_at.as_deref().unwrap_or("—")) }
                                        td lang="en" { (words::remarks(f)) }
                                        td lang="en" { @let ex = words::exposure(f); @if ex.is_empty() { "—" } @else { ul class="plain" { @for e in &ex { li { (e) } } } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(ctx, base, &c.id, body)
}

pub const STYLE: &str = r#"/* vplc doc: plain CSS, no JavaScript. */
:root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d6d6d6; --accent: #1f4e79; --bg-soft: #f6f6f3; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 78rem; padding: 0 1.25rem 3rem; color: var(--ink); font: 16px/1.55 system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid #e0a800; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { display: flex; justify-content: space-between; align-items: center; border-bottom: 2px solid var(--accent); margin-bottom: 1rem; }
header.site ul { list-style: none; display: flex; gap: 1.25rem; padding: 0; margin: .75rem 0; }
.lang-switch { margin: .75rem 0; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 1rem 0 .25rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .5rem; }
.subtitle { color: var(--muted); margin-top: 0; font-size: 1.1rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid var(--line); padding: .4rem .55rem; vertical-align: top; text-align: left; }
thead th { background: var(--bg-soft); }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
.num { text-align: right; }
time { white-space: nowrap; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: .45rem; }
.scroll { overflow-x: auto; }
.badge { display: inline-block; white-space: nowrap; border: 1px solid; border-radius: 3px; padding: 0 .4rem; font-size: .85rem; font-weight: 600; }
.badge.draft { color: #8a4b00; background: #fff3dc; }
.badge.in-force { color: #145a26; background: #e3f4e6; }
.badge.no-duty { color: var(--muted); background: var(--bg-soft); }
.warning { border-left: 4px solid #b35c00; background: #fff6e8; padding: .5rem .75rem; }
.muted { color: var(--muted); }
.tag { font-size: .8rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; background: var(--bg-soft); }
details.readings { background: var(--bg-soft); padding: .5rem 1rem; margin: 1rem 0; }
details.readings summary { font-weight: 600; cursor: pointer; }
nav.toc ol { columns: 4 10rem; }
section.article { border-top: 1px solid var(--line); padding-top: .5rem; }
section.article:target, .para:target, .item:target, .duty:target { background: #fffbe6; outline: 2px solid #e0a800; }
.cols { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 1.5rem; }
.law { margin: .3rem 0 .6rem; }
.law.zh { font-size: 1.02rem; }
.law.en { color: #2b2b2b; }
.law.missing { color: var(--muted); font-style: italic; }
.para, .item { margin: .25rem 0; }
.item { margin-left: 1.25rem; }
.label { font-size: .8rem; color: var(--muted); text-decoration: none; }
a.anchor { color: inherit; text-decoration: none; }
.duty { border: 1px solid var(--line); border-left: 4px solid var(--accent); padding: .5rem .75rem; margin-bottom: .75rem; background: #fff; }
.duty.mustnot { border-left-color: #a11; }
.duty.may, .duty.encouraged { border-left-color: #777; }
.duty-head { margin: 0; font-size: .9rem; color: var(--muted); }
.sentence { font-weight: 600; margin: .3rem 0; }
.duty dl { margin: .3rem 0 0; font-size: .92rem; }
.duty dt { font-weight: 600; color: var(--muted); }
.duty dd { margin: 0 0 .3rem 0; }
.duty ul { margin: 0; padding-left: 1.1rem; }
.no-duty { background: var(--bg-soft); padding: .5rem .75rem; }
aside.note { border-left: 3px solid #999; background: var(--bg-soft); padding: .25rem .75rem; margin: .5rem 0; font-size: .9rem; }
aside.note p { margin: .25rem 0; }
.note-label { font-weight: 600; }
table.compare td { min-width: 14rem; font-size: .92rem; }
tr.differs > th { background: #fff3dc; }
.differs-mark { color: #8a4b00; font-weight: 700; }
li.unique { border-left: 3px solid #e0a800; padding-left: .4rem; }
.cite { font-weight: 600; white-space: nowrap; }
table.diff del { background: #fbe4e4; text-decoration: line-through; }
table.diff ins { background: #e3f4e6; text-decoration: none; }
.status { display: inline-block; font-weight: 700; padding: 0 .35rem; border-radius: 3px; border: 1px solid; white-space: nowrap; }
.st-met .status, .status.st-met { color: #145a26; background: #d8f0dc; }
.status.st-late { color: #7a3e00; background: #ffe8c7; }
.status.st-missed, .status.st-breached { color: #8b0000; background: #fbd5d5; }
.status.st-pending { color: #1f4e79; background: #dbe9f9; }
.status.st-undetermined { color: #4b2a6e; background: #ece3f5; }
.status.st-exempt, .status.st-permitted, .status.st-encouraged, .status.st-not_applicable { color: #444; background: #eee; }
.summary { font-size: .85rem; color: var(--muted); }
.ext-note { font-size: .85rem; color: #7a5600; }
table.findings td, table.findings th { font-size: .88rem; }
figure.timeline-figure { margin: 1rem 0; }
figure.timeline-figure figcaption { font-size: .88rem; color: var(--muted); }
footer { border-top: 1px solid var(--line); margin-top: 3rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 800px) { .cols { grid-template-columns: 1fr; } }
@media print {
  @page { margin: 15mm; }
  body { max-width: none; font-size: 11pt; padding: 0; }
  header.site, .skip, nav.toc, footer { display: none; }
  a { color: inherit; text-decoration: none; }
  section.article, .duty, figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  .scroll { overflow: visible; }
  details.readings { display: block; }
  .cols { grid-template-columns: 1fr 1fr; }
  svg.timeline { width: 100%; height: auto; }
}
"#;

/// The inline SVG needs its styles in the page's stylesheet.
pub fn style_css() -> String {
    format!("{STYLE}{}", crate::timeline::SVG_STYLE)
}

/// A table's header row: one column heading per label.
fn column_heads(lang: Lang, keys: &[Key]) -> Markup {
    html! { tr { @for k in keys { th scope="col" { (t(lang, *k)) } } } }
}
