//! The same site as Markdown: one `.md` file per page, anchors as
//! `<a id="…"></a>`, each case's timeline as a separate `.svg` file.

use crate::html::duty_anchor;
use crate::labels::{article_heading, item_label, paragraph_label, t, Key, Lang};
use crate::words;
use crate::{Amendment, CaseDoc, Names, Page, Site};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use vpl_core::table::model::{DecisionTable, Text};

/// Text safe in a Markdown paragraph or table cell.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', "'").replace('|', "\\|"))
}

pub fn pages(site: &Site, names: &Names, lang: Lang) -> Vec<Page> {
    let mut out = vec![Page { path: "index.md".into(), contents: index(site, names, lang) }];
    let mut done = BTreeSet::new();
    for tb in &site.tables {
        if !done.insert(tb.instrument.id.clone()) {
            continue;
        }
        if let Some(base) = names.instrument(&tb.instrument.id) {
            out.push(Page { path: format!("{base}.md"), contents: instrument(tb, names, lang) });
        }
    }
    out.push(Page { path: "compare.md".into(), contents: compare(site, names, lang) });
    for (a, base) in site.amendments.iter().zip(&names.amendments) {
        out.push(Page { path: format!("{base}.md"), contents: amendment(a, names, lang) });
    }
    for (c, base) in site.cases.iter().zip(&names.cases) {
        let svg = crate::timeline::svg(c, lang, true).map(|m| m.into_string());
        out.push(Page { path: format!("{base}.md"), contents: case(c, base, svg.is_some(), names, lang) });
        if let Some(svg) = svg {
            out.push(Page { path: format!("{base}.timeline.svg"), contents: svg + "\n" });
        }
    }
    out
}

fn link_instrument(names: &Names, id: &str, anchor: Option<&str>, text: &str) -> String {
    match (names.instrument(id), anchor) {
        (Some(base), Some(a)) => format!("[{text}]({base}.md#{a})"),
        (Some(base), None) => format!("[{text}]({base}.md)"),
        _ => text.to_string(),
    }
}

fn index(site: &Site, names: &Names, lang: Lang) -> String {
    let mut s = format!("# {}\n\n## {}\n\n", t(lang, Key::SiteTitle), t(lang, Key::Instruments));
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---:|",
        t(lang, Key::Instrument),
        t(lang, Key::Status),
        t(lang, Key::Dates),
        t(lang, Key::IssuedBy),
        t(lang, Key::Duties)
    );
    let mut seen = BTreeSet::new();
    for tb in site.tables.iter().filter(|tb| seen.insert(tb.instrument.id.clone())) {
        let i = &tb.instrument;
        let dates: Vec<String> = words::status_dates(lang, &i.status).iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(
            s,
            "| {} ({}) | {} | {} | {} | {} |",
            link_instrument(names, &i.id, None, &esc(&words::title(lang, tb))),
            code(&i.id),
            words::status_kind(lang, &i.status),
            dates.join("; "),
            esc(&i.issued_by.join("、")),
            words::duties(tb).len()
        );
    }
    let _ = writeln!(s, "\n[{}](compare.md)", t(lang, Key::Comparison));
    if !site.amendments.is_empty() {
        let _ = writeln!(s, "\n## {}\n", t(lang, Key::Amendments));
        for (a, base) in site.amendments.iter().zip(&names.amendments) {
            let _ = writeln!(
                s,
                "- [{} → {}]({base}.md) — {}",
                a.old.instrument.id,
                a.new.instrument.id,
                crate::labels::change_count(lang, a.diff.changes.len())
            );
        }
    }
    if !site.cases.is_empty() {
        let _ = writeln!(s, "\n## {}\n", t(lang, Key::Cases));
        for (c, base) in site.cases.iter().zip(&names.cases) {
            let title = c.title.as_deref().map(|x| format!(" — {}", esc(x))).unwrap_or_default();
            let _ = writeln!(s, "- [{}]({base}.md){title}", esc(&c.id));
        }
    }
    s
}

fn texts(s: &mut String, lang: Lang, texts: &[Text]) {
    let mut ordered: Vec<&Text> = texts.iter().collect();
    ordered.sort_by_key(|x| if x.lang == lang.code() { 0 } else { 1 });
    for x in ordered {
        if x.missing {
            let _ = writeln!(s, "> *{}* ({}) {}\n", t(lang, Key::TextMissing), x.lang, esc(&x.text));
        } else {
            let _ = writeln!(s, "> {}\n", esc(&x.text));
        }
    }
}

fn notes(s: &mut String, lang: Lang, doc: &[String]) {
    if !doc.is_empty() {
        let paras: Vec<String> = words::paragraphs(doc).iter().map(|p| esc(p)).collect();
        let _ = writeln!(s, "*{}:* {}\n", t(lang, Key::Note), paras.join("\n\n"));
    }
}

fn instrument(tb: &DecisionTable, names: &Names, lang: Lang) -> String {
    let i = &tb.instrument;
    let mut s = format!("# {}\n\n", esc(&words::title(lang, tb)));
    let other = match lang {
        Lang::Zh => &i.title_en,
        Lang::En => &i.title_zh,
    };
    if let Some(o) = other {
        let _ = writeln!(s, "*{}*\n", esc(o));
    }
    let _ = writeln!(s, "- ID: {}", code(&i.id));
    let _ = writeln!(s, "- {}: **{}**", t(lang, Key::Status), words::status_kind(lang, &i.status));
    for (k, v) in words::status_dates(lang, &i.status) {
        let _ = writeln!(s, "- {k}: {v}");
    }
    if !i.issued_by.is_empty() {
        let _ = writeln!(s, "- {}: {}", t(lang, Key::IssuedBy), esc(&i.issued_by.join("、")));
    }
    if let Some(n) = &i.number {
        let _ = writeln!(s, "- {}: {}", t(lang, Key::Number), esc(n));
    }
    let _ = writeln!(s, "- {}: {} ({}, {})", t(lang, Key::Calendar), code(&tb.calendar.name), tb.calendar.zone, tb.calendar.rule);
    s.push('\n');
    if words::is_draft(&i.status) {
        let _ = writeln!(s, "**{}**\n", t(lang, Key::NotBinding));
    }
    if !i.doc.is_empty() {
        let _ = writeln!(s, "## {}\n", t(lang, Key::ReadingNotes));
        for para in words::paragraphs(&i.doc) {
            let _ = writeln!(s, "{}\n", esc(&para));
        }
    }
    let duties = words::duties(tb);
    let mut by_article: BTreeMap<u32, Vec<&words::DutyView<'_>>> = BTreeMap::new();
    for d in &duties {
        by_article.entry(d.first.cite.article).or_default().push(d);
    }
    for a in &tb.articles {
        let _ = writeln!(s, "<a id=\"{}\"></a>\n\n## {}\n", a.anchor, article_heading(lang, a.number));
        texts(&mut s, lang, &a.texts);
        for p in &a.paragraphs {
            let _ = writeln!(s, "<a id=\"{}-{}\"></a>**{}**\n", a.anchor, p.number, paragraph_label(lang, p.number));
            texts(&mut s, lang, &p.texts);
            notes(&mut s, lang, &p.doc);
            for it in &p.items {
                let _ =
                    writeln!(s, "<a id=\"{}-{}-{}\"></a>**{}**\n", a.anchor, p.number, it.number, item_label(lang, it.number));
                texts(&mut s, lang, &it.texts);
                notes(&mut s, lang, &it.doc);
            }
        }
        notes(&mut s, lang, &a.doc);
        if let Some(why) = &a.no_duty {
            let _ = writeln!(s, "**{}:** {}\n", t(lang, Key::NoDuty), esc(why));
        }
        let list = by_article.get(&a.number).map(Vec::as_slice).unwrap_or(&[]);
        if !list.is_empty() {
            let _ = writeln!(s, "### {}\n", t(lang, Key::Duties));
        } else if a.no_duty.is_none() {
            let _ = writeln!(s, "*{}*\n", t(lang, Key::NoDutyEncoded));
        }
        for d in list {
            duty(&mut s, tb, d, names, lang);
        }
    }
    let known: BTreeSet<u32> = tb.articles.iter().map(|a| a.number).collect();
    let stray: Vec<&words::DutyView<'_>> = duties.iter().filter(|d| !known.contains(&d.first.cite.article)).collect();
    if !stray.is_empty() {
        let _ = writeln!(s, "## {}\n", t(lang, Key::Duties));
        for d in stray {
            duty(&mut s, tb, d, names, lang);
        }
    }
    let _ = writeln!(s, "<a id=\"penalties\"></a>\n\n## {}\n", t(lang, Key::Penalties));
    if tb.penalties.is_empty() {
        let _ = writeln!(s, "{}", t(lang, Key::NoPenalty));
    } else {
        let _ = writeln!(s, "| ID | {} | {} |\n|---|---|---|", t(lang, Key::Cite), t(lang, Key::Penalty));
        for p in &tb.penalties {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                code(&p.id),
                link_instrument(names, &p.instrument, Some(&p.cite.anchor), &format!("{} {}", p.instrument, p.cite.display)),
                esc(&words::penalty_plain(p))
            );
        }
    }
    s
}

fn duty(s: &mut String, tb: &DecisionTable, d: &words::DutyView<'_>, names: &Names, lang: Lang) {
    let r = d.first;
    let _ = writeln!(
        s,
        "<a id=\"{}\"></a>**{}** · {} · {}\n\n{}\n",
        duty_anchor(&r.duty),
        r.cite.display,
        words::modality_words(r.modality),
        code(&r.duty),
        esc(&words::sentence(r))
    );
    let _ = writeln!(s, "- {}: {}", t(lang, Key::Deadline), esc(&words::deadline_rule(&r.deadline, &tb.calendar.rule)));
    if !d.alternatives.is_empty() {
        let alts: Vec<String> = d.alternatives.iter().map(|a| code(a)).collect();
        let _ = writeln!(s, "- {}: {}", t(lang, Key::Conditions), alts.join("; or "));
    }
    if !r.exceptions.is_empty() {
        let ex: Vec<String> = r.exceptions.iter().map(|e| code(&vpl_core::table::render::cond_words(e))).collect();
        let _ = writeln!(s, "- {}: {}", t(lang, Key::Exceptions), ex.join("; "));
    }
    let pens = words::penalties_of(tb, r);
    if pens.is_empty() {
        let _ = writeln!(s, "- {}: {}", t(lang, Key::Penalty), t(lang, Key::NoPenalty));
    } else {
        for (inst, anchor, cite, w) in pens {
            let _ = writeln!(
                s,
                "- {}: {}: {}",
                t(lang, Key::Penalty),
                link_instrument(names, &inst, Some(&anchor), &format!("{inst} {cite}")),
                esc(&w)
            );
        }
    }
    if !r.doc.is_empty() {
        let _ = writeln!(s, "- {}: {}", t(lang, Key::Note), esc(&words::paragraphs(&r.doc).join(" ")));
    }
    s.push('\n');
}

fn compare(site: &Site, names: &Names, lang: Lang) -> String {
    let mut seen = BTreeSet::new();
    let tables: Vec<DecisionTable> = site.tables.iter().filter(|tb| seen.insert(tb.instrument.id.clone())).cloned().collect();
    let rows = words::comparison(&tables);
    let mut s = format!("# {}\n\n", t(lang, Key::Comparison));
    let _ = writeln!(
        s,
        "Rows marked **≠ {}** differ between instruments; *({})* marks a duty with no duty of the same bearer, act and deadline elsewhere.\n",
        t(lang, Key::Differs),
        t(lang, Key::OnlyHere)
    );
    let heads: Vec<String> = tables
        .iter()
        .map(|tb| {
            format!(
                "{} ({})",
                link_instrument(names, &tb.instrument.id, None, &code(&tb.instrument.id)),
                words::status_kind(lang, &tb.instrument.status)
            )
        })
        .collect();
    let _ = writeln!(s, "| {} | {} |\n|---|{}", t(lang, Key::Topic), heads.join(" | "), "---|".repeat(tables.len()));
    for row in &rows {
        let cells: Vec<String> = tables
            .iter()
            .zip(&row.cells)
            .map(|(tb, cell)| {
                if cell.is_empty() {
                    return "—".into();
                }
                cell.iter()
                    .map(|(r, unique)| {
                        let mut x = format!(
                            "{} {}",
                            link_instrument(
                                names,
                                &tb.instrument.id,
                                Some(&duty_anchor(&r.duty)),
                                &format!("**{}**", r.cite.display)
                            ),
                            esc(&words::sentence(r))
                        );
                        if *unique {
                            let _ = write!(x, " *({})*", t(lang, Key::OnlyHere));
                        }
                        x
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            })
            .collect();
        let mark = if row.differs { format!(" ≠ {}", t(lang, Key::Differs)) } else { String::new() };
        let _ = writeln!(s, "| **{}**{mark} | {} |", row.topic, cells.join(" | "));
    }
    let pens: Vec<String> = tables
        .iter()
        .map(|tb| {
            if tb.penalties.is_empty() {
                "—".into()
            } else {
                tb.penalties
                    .iter()
                    .map(|p| {
                        format!(
                            "{}: {}",
                            link_instrument(
                                names,
                                &p.instrument,
                                Some(&p.cite.anchor),
                                &format!("{} {}", p.instrument, p.cite.display)
                            ),
                            esc(&words::penalty_plain(p))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            }
        })
        .collect();
    let _ = writeln!(s, "| **{}** | {} |", t(lang, Key::Penalties), pens.join(" | "));
    s
}

fn amendment(a: &Amendment, names: &Names, lang: Lang) -> String {
    let mut s = format!("# {}: {} → {}\n\n", t(lang, Key::Amendments), code(&a.old.instrument.id), code(&a.new.instrument.id));
    if a.diff.changes.is_empty() {
        let _ = writeln!(s, "{}", t(lang, Key::NoChanges));
        return s;
    }
    let new_duties: BTreeSet<&str> = a.new.rows.iter().map(|r| r.duty.as_str()).collect();
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        t(lang, Key::Change),
        t(lang, Key::Duty),
        t(lang, Key::Cite),
        t(lang, Key::Before),
        t(lang, Key::After)
    );
    for c in &a.diff.changes {
        let inst = if new_duties.contains(c.duty.as_str()) { &a.new.instrument.id } else { &a.old.instrument.id };
        let _ = writeln!(
            s,
            "| {} | {} | {} → {} | {} | {} |",
            c.kind.words(),
            link_instrument(names, inst, Some(&duty_anchor(&c.duty)), &code(&c.duty)),
            c.old_cite.as_deref().unwrap_or("—"),
            c.new_cite.as_deref().unwrap_or("—"),
            c.old.as_deref().map_or_else(|| "—".to_string(), esc),
            c.new.as_deref().map_or_else(|| "—".to_string(), esc)
        );
    }
    s
}

fn case(c: &CaseDoc, base: &str, has_svg: bool, names: &Names, lang: Lang) -> String {
    let mut s = format!("# {}: {}\n\n", t(lang, Key::Cases), code(&c.id));
    if let Some(title) = &c.title {
        let _ = writeln!(s, "*{}*\n", esc(title));
    }
    let _ = writeln!(s, "{} {}\n", t(lang, Key::AsOf), c.as_of);
    if has_svg {
        let _ = writeln!(s, "![{}: {}]({base}.timeline.svg)\n", t(lang, Key::Timeline), esc(&c.id));
    }
    let _ = writeln!(
        s,
        "## {}\n\n| # | {} | {} | Time |\n|---:|---|---|---|",
        t(lang, Key::Events),
        crate::labels::event_header(lang),
        t(lang, Key::Actor)
    );
    for e in &c.events {
        let _ = writeln!(s, "| {} | {} | {} | {} |", e.index, code(&e.kind), esc(&e.actor), e.at);
    }
    for (ri, r) in c.reports.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n## {}: {}\n\n{}\n",
            t(lang, Key::Findings),
            link_instrument(names, &r.instrument, None, &code(&r.instrument)),
            esc(&r.instrument_status)
        );
        if r.findings.is_empty() {
            let _ = writeln!(s, "—");
            continue;
        }
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|---|",
            t(lang, Key::Cite),
            t(lang, Key::Duty),
            t(lang, Key::Actor),
            t(lang, Key::Status),
            t(lang, Key::Trigger),
            t(lang, Key::Due),
            t(lang, Key::Done),
            t(lang, Key::Remarks),
            t(lang, Key::Penalty)
        );
        for (fi, f) in r.findings.iter().enumerate() {
            let k = c.counted.get(ri).and_then(|v| v.get(fi));
            let ext = k.map(|k| k.extended_over.clone()).unwrap_or_default();
            let sentence = k.and_then(|k| k.sentence.clone()).unwrap_or_else(|| f.summary.clone());
            let mut due = f.due.clone().unwrap_or_else(|| "—".into());
            if !ext.is_empty() {
                let days: Vec<String> = ext.iter().map(|d| d.to_string()).collect();
                let _ = write!(due, " ({}: {})", t(lang, Key::ExtendedBy), days.join(", "));
            }
            let ex = words::exposure(f);
            let _ = writeln!(
                s,
                "| {} | {} {} | {} | **{}** | {} | {} | {} | {} | {} |",
                link_instrument(names, &r.instrument, Some(&f.cite.anchor), &f.cite.display),
                link_instrument(names, &r.instrument, Some(&duty_anchor(&f.duty)), &code(&f.duty)),
                esc(&sentence),
                esc(&f.actor),
                f.status.as_str(),
                f.trigger_at.as_deref().unwrap_or("—"),
                due,
                f.done_at.as_deref().unwrap_or("—"),
                esc(&words::remarks(f)),
                if ex.is_empty() { "—".to_string() } else { esc(&ex.join("; ")) }
            );
        }
    }
    s
}
