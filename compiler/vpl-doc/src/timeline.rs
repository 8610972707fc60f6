//! A case's timeline as SVG: the events on top, then one lane per finding
//! with a time element — the period from the trigger to the deadline, the
//! rest days that extended it (hatched), the act, and the status written
//! out in the right-hand column (colour is never the only signal).

use crate::labels::{t, Key, Lang};
use crate::{CaseDoc, Counted};
use chrono::{DateTime, FixedOffset, NaiveDate};
use maud::{html, Markup, PreEscaped};

const WIDTH: f64 = 1200.0;
const LABEL: f64 = 380.0;
const STATUS: f64 = 130.0;
const AXIS: f64 = 44.0;
const EVENT_LANE: f64 = 22.0;
const GROUP: f64 = 26.0;
const LANE: f64 = 30.0;

/// The first and last instant the timeline shows.
pub fn span(doc: &CaseDoc) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let mut all: Vec<DateTime<FixedOffset>> = doc.events.iter().map(|e| e.instant).collect();
    for per in &doc.counted {
        for k in per {
            all.extend([k.trigger, k.due, k.done].into_iter().flatten());
        }
    }
    let min = all.iter().min().copied()?;
    let max = all.iter().max().copied()?;
    Some((min, max))
}

fn day_start(d: NaiveDate, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    d.and_hms_opt(0, 0, 0)?.and_local_timezone(offset).single()
}

/// Days on the time axis. Days with something on them (and the day on
/// either side) get a full width; a longer run of empty days is squeezed
/// into the width of one day and marked as a gap, so that a 90-day period
/// does not crush the events of its first week.
struct Scale {
    first: NaiveDate,
    offset: FixedOffset,
    /// Per day from `first`: (units before it, its width in units).
    days: Vec<(f64, f64)>,
    total: f64,
    /// Squeezed runs: first day, number of days.
    gaps: Vec<(NaiveDate, i64)>,
}

const GAP_MIN: i64 = 4;

impl Scale {
    fn unit(&self) -> f64 {
        (WIDTH - LABEL - STATUS) / self.total.max(1.0)
    }

    fn slot(&self, d: NaiveDate) -> Option<(f64, f64)> {
        let i = usize::try_from((d - self.first).num_days()).ok()?;
        self.days.get(i).copied()
    }

    fn x(&self, t: &DateTime<FixedOffset>) -> f64 {
        let t = t.with_timezone(&self.offset);
        let d = t.date_naive();
        let Some((before, width)) = self.slot(d) else {
            return if d < self.first { LABEL } else { WIDTH - STATUS };
        };
        let frac = day_start(d, self.offset).map_or(0.0, |s| (t - s).num_seconds() as f64 / 86_400.0).clamp(0.0, 1.0);
        LABEL + (before + frac * width) * self.unit()
    }

    fn day_x(&self, d: NaiveDate) -> Option<f64> {
        self.slot(d).map(|(before, _)| LABEL + before * self.unit())
    }

    /// The width of a day, if it is shown at full width.
    fn day_width(&self, d: NaiveDate) -> Option<f64> {
        self.slot(d).filter(|(_, w)| *w >= 1.0).map(|(_, w)| w * self.unit())
    }
}

fn scale(doc: &CaseDoc) -> Option<Scale> {
    let (min, max) = span(doc)?;
    let offset = *min.offset();
    let first = min.date_naive();
    let last = max.with_timezone(&offset).date_naive();
    let n = usize::try_from((last - first).num_days()).ok()? + 1;
    let mut busy = vec![false; n];
    let mut mark = |d: NaiveDate| {
        let i = (d - first).num_days();
        for j in [i - 1, i, i + 1] {
            if let Some(b) = usize::try_from(j).ok().and_then(|j| busy.get_mut(j)) {
                *b = true;
            }
        }
    };
    for e in &doc.events {
        mark(e.instant.with_timezone(&offset).date_naive());
    }
    for per in &doc.counted {
        for k in per {
            for t in [k.trigger, k.due, k.done].into_iter().flatten() {
                mark(t.with_timezone(&offset).date_naive());
            }
            for d in &k.extended_over {
                mark(*d);
            }
            if let Some(d) = k.nominal_last_day {
                mark(d);
            }
        }
    }
    let mut days = Vec::with_capacity(n);
    let mut gaps = Vec::new();
    let mut total = 0.0;
    let mut i = 0;
    while i < n {
        if busy.get(i).copied().unwrap_or(true) {
            days.push((total, 1.0));
            total += 1.0;
            i += 1;
            continue;
        }
        let run = busy.iter().skip(i).take_while(|b| !**b).count();
        if (run as i64) < GAP_MIN {
            for _ in 0..run {
                days.push((total, 1.0));
                total += 1.0;
            }
        } else {
            let w = 1.0 / run as f64;
            for _ in 0..run {
                days.push((total, w));
                total += w;
            }
            if let Some(d) = first.checked_add_days(chrono::Days::new(i as u64)) {
                gaps.push((d, run as i64));
            }
        }
        i += run.max(1);
    }
    Some(Scale { first, offset, days, total, gaps })
}

/// At most `max` characters, with an ellipsis when cut (the full text is in the lane's `<title>`).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        format!("{}…", s.chars().take(max.saturating_sub(1)).collect::<String>())
    } else {
        s.to_string()
    }
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

fn lanes(doc: &CaseDoc) -> Vec<(usize, Vec<(usize, &Counted)>)> {
    doc.counted
        .iter()
        .enumerate()
        .map(|(ri, per)| {
            (ri, per.iter().enumerate().filter(|(_, k)| k.trigger.is_some() || k.due.is_some() || k.done.is_some()).collect())
        })
        .collect()
}

fn short_time(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// The SVG; `standalone` adds the XML namespace for a separate `.svg` file.
pub fn svg(doc: &CaseDoc, lang: Lang, standalone: bool) -> Option<Markup> {
    let sc = scale(doc)?;
    let lanes = lanes(doc);
    let findings: usize = lanes.iter().map(|(_, v)| v.len()).sum();
    let height = AXIS + doc.events.len() as f64 * EVENT_LANE + lanes.len() as f64 * GROUP + findings as f64 * LANE + 40.0;
    let chart_w = WIDTH - LABEL - STATUS;
    let full: Vec<NaiveDate> = sc.first.iter_days().take(sc.days.len()).filter(|d| sc.day_width(*d).is_some()).collect();
    let step = ((40.0 / sc.unit()).ceil() as usize).max(1);
    // A tick label never sits on a gap's "≈Nd" label.
    let gap_centres: Vec<f64> = sc.gaps.iter().filter_map(|(d, _)| sc.day_x(*d)).map(|x| x + sc.unit() / 2.0).collect();
    let ticks: Vec<NaiveDate> = full
        .iter()
        .copied()
        .step_by(step)
        .filter(|d| sc.day_x(*d).is_some_and(|x| gap_centres.iter().all(|g| (x + 16.0 - g).abs() > 36.0)))
        .collect();
    let title_id = format!("tl-title-{}", crate::slug(&doc.id));
    let desc_id = format!("tl-desc-{}", crate::slug(&doc.id));
    let desc = format!(
        "{} {}, {} {}: {} events, {} findings with a time element. Status is written out at the right of each lane; hatched days are rest days that extended a deadline; shaded columns are rest days.",
        t(lang, Key::Timeline),
        doc.id,
        t(lang, Key::AsOf),
        doc.as_of,
        doc.events.len(),
        findings
    );
    let mut y = AXIS;
    let mut body: Vec<Markup> = Vec::new();
    // Events.
    body.push(html! {
        text x="8" y=(n(y - 8.0)) class="group" { (t(lang, Key::Events)) }
    });
    for e in &doc.events {
        let x = sc.x(&e.instant);
        let when = if e.whole_day { e.at.clone() } else { short_time(&e.instant) };
        body.push(html! {
            g class="event" {
                title { "#" (e.index) " " (e.kind) " — " (e.actor) " — " (e.at) }
                text x="8" y=(n(y + 15.0)) { (clip(&format!("#{} {} · {}", e.index, e.kind, e.actor), 36)) }
                text x=(n(LABEL - 8.0)) y=(n(y + 15.0)) text-anchor="end" class="when" { (when) }
                line x1=(n(LABEL)) x2=(n(x)) y1=(n(y + 11.0)) y2=(n(y + 11.0)) class="guide" {}
                circle cx=(n(x)) cy=(n(y + 11.0)) r="5" class="event-dot" {}
            }
        });
        y += EVENT_LANE;
    }
    // Findings, grouped by instrument.
    for (ri, items) in &lanes {
        let Some(report) = doc.reports.get(*ri) else { continue };
        y += GROUP;
        body.push(html! {
            text x="8" y=(n(y - 8.0)) class="group" {
                (report.instrument) @if report.draft { " (" (t(lang, Key::Draft)) ")" }
            }
        });
        for (fi, k) in items {
            let Some(f) = report.findings.get(*fi) else { continue };
            let status = f.status.as_str();
            let mid = y + LANE / 2.0;
            let start = k.trigger.as_ref().map(|t| sc.x(t));
            let end = k.due.as_ref().map(|t| sc.x(t));
            let done = k.done.as_ref().map(|t| sc.x(t));
            let mut ext: Vec<Markup> = Vec::new();
            for d in &k.extended_over {
                if let (Some(x), Some(w)) = (sc.day_x(*d), sc.day_width(*d)) {
                    ext.push(html! {
                        rect x=(n(x)) y=(n(y + 5.0)) width=(n(w)) height=(n(LANE - 10.0)) class="ext" {
                            title { (d) ": " (t(lang, Key::RestDay)) ", " (t(lang, Key::ExtendedBy)) }
                        }
                    });
                }
            }
            let label = format!("{} {} · {}", f.cite.display, f.duty, f.actor);
            let label =
                if label.chars().count() > 52 { format!("{}…", label.chars().take(51).collect::<String>()) } else { label };
            body.push(html! {
                g class={ "lane st-" (status) } {
                    title {
                        (f.cite.display) " " (f.duty) " (" (f.actor) "): " (status)
                        @if let Some(d) = &f.due { "; due " (d) }
                        @if let Some(d) = &f.done_at { "; done " (d) }
                        @if !k.extended_over.is_empty() { "; " (t(lang, Key::ExtendedBy)) " " (k.extended_over.len()) }
                    }
                    text x="8" y=(n(mid + 4.0)) { (label) }
                    @if let (Some(a), Some(b)) = (start, end) {
                        rect x=(n(a)) y=(n(y + 9.0)) width=(n((b - a).max(1.0))) height=(n(LANE - 18.0)) class="period" {}
                    } @else if let (Some(a), Some(b)) = (start, done) {
                        line x1=(n(a)) x2=(n(b)) y1=(n(mid)) y2=(n(mid)) class="open" {}
                    }
                    @for e in &ext { (e) }
                    @if let Some(a) = start {
                        circle cx=(n(a)) cy=(n(mid)) r="4" class="trigger" {}
                    }
                    @if let Some(b) = end {
                        line x1=(n(b)) x2=(n(b)) y1=(n(y + 3.0)) y2=(n(y + LANE - 3.0)) class="due" {}
                    }
                    @if let Some(d) = done {
                        path d=(format!("M {} {} l 6 6 l -6 6 l -6 -6 z", n(d), n(mid - 6.0))) class="done" {}
                    }
                    rect x=(n(WIDTH - STATUS + 8.0)) y=(n(y + 5.0)) width=(n(STATUS - 12.0)) height=(n(LANE - 10.0)) rx="4" class="badge" {}
                    text x=(n(WIDTH - STATUS / 2.0 + 2.0)) y=(n(mid + 4.0)) text-anchor="middle" class="badge-text" { (status.replace('_', " ")) }
                }
            });
            y += LANE;
        }
    }
    let bottom = y + 8.0;
    let rests: Vec<(f64, f64)> = doc.rest_days.iter().filter_map(|d| Some((sc.day_x(*d)?, sc.day_width(*d)?))).collect();
    let gaps: Vec<(f64, i64)> = sc.gaps.iter().filter_map(|(d, len)| Some((sc.day_x(*d)?, *len))).collect();
    let unit = sc.unit();
    let style = PreEscaped(SVG_STYLE);
    Some(html! {
        svg xmlns=[standalone.then_some("http://www.w3.org/2000/svg")] viewBox=(format!("0 0 {} {}", WIDTH, n(height))) width="100%"
            role="img" aria-labelledby=(format!("{title_id} {desc_id}")) class="timeline" {
            title id=(title_id) { (t(lang, Key::Timeline)) ": " (doc.id) }
            desc id=(desc_id) { (desc) }
            @if standalone { style { (style) } }
            defs {
                pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)" {
                    rect width="3" height="6" class="hatch-stripe" {}
                }
            }
            @for (x, w) in &rests {
                rect x=(n(*x)) y=(n(AXIS - 14.0)) width=(n(*w)) height=(n(bottom - AXIS + 14.0)) class="rest" {}
            }
            @for (x, len) in &gaps {
                rect x=(n(*x)) y=(n(AXIS - 14.0)) width=(n(unit)) height=(n(bottom - AXIS + 14.0)) class="gap" {
                    title { (len) " days not drawn to scale" }
                }
                text x=(n(*x + unit / 2.0)) y=(n(AXIS - 20.0)) text-anchor="middle" class="gap-label" { "≈" (len) "d" }
            }
            line x1=(n(LABEL)) x2=(n(LABEL + chart_w)) y1=(n(AXIS - 14.0)) y2=(n(AXIS - 14.0)) class="axis" {}
            @for d in &ticks {
                @if let Some(x) = sc.day_x(*d) {
                    line x1=(n(x)) x2=(n(x)) y1=(n(AXIS - 18.0)) y2=(n(bottom)) class="tick" {}
                    text x=(n(x + 2.0)) y=(n(AXIS - 20.0)) class="tick-label" { (d.format("%m-%d")) }
                }
            }
            text x=(n(LABEL)) y="12" class="tick-label" { (sc.first.format("%Y")) " (UTC" (sc.offset) "); ≈ marks days not drawn to scale" }
            @for b in &body { (b) }
            g class="legend" transform=(format!("translate(8 {})", n(bottom + 14.0))) {
                circle cx="5" cy="0" r="4" class="trigger" {}
                text x="14" y="4" { "trigger" }
                rect x="80" y="-6" width="40" height="12" class="period" {}
                text x="126" y="4" { "period" }
                line x1="190" x2="190" y1="-8" y2="8" class="due" {}
                text x="196" y="4" { "due" }
                path d="M 250 -6 l 6 6 l -6 6 l -6 -6 z" class="done" {}
                text x="262" y="4" { "done" }
                rect x="320" y="-6" width="14" height="12" class="ext" {}
                text x="340" y="4" { (t(lang, Key::ExtendedBy)) }
                rect x="520" y="-6" width="14" height="12" class="rest" {}
                text x="540" y="4" { (t(lang, Key::RestDay)) }
            }
        }
    })
}

/// The timeline's own styles (also in style.css for inline SVG).
pub const SVG_STYLE: &str = r#"
.timeline text { font: 12px system-ui, "Noto Sans CJK SC", sans-serif; fill: #1a1a1a; }
.timeline .group { font-weight: 700; }
.timeline .when, .timeline .tick-label { fill: #555; font-size: 11px; }
.timeline .axis { stroke: #333; }
.timeline .tick { stroke: #ddd; }
.timeline .guide { stroke: #e5e5e5; stroke-dasharray: 2 3; }
.timeline .rest { fill: #f1efe8; }
.timeline .gap { fill: #fff; stroke: #bbb; stroke-dasharray: 3 3; }
.timeline .gap-label { fill: #555; font-size: 11px; }
.timeline .event-dot { fill: #1f4e79; }
.timeline .period { fill: #cfe0f1; stroke: #1f4e79; }
.timeline .open { stroke: #777; stroke-dasharray: 4 3; stroke-width: 2; }
.timeline .trigger { fill: #1f4e79; }
.timeline .due { stroke: #111; stroke-width: 2; }
.timeline .done { fill: #111; }
.timeline .ext { fill: url(#hatch); stroke: #b07d00; }
.timeline .hatch-stripe { fill: #e0a800; }
.timeline .badge { fill: #eee; stroke: #888; }
.timeline .badge-text { font-weight: 700; }
.timeline .st-met .badge { fill: #d8f0dc; stroke: #1e7b34; }
.timeline .st-late .badge { fill: #ffe8c7; stroke: #b35c00; }
.timeline .st-missed .badge, .timeline .st-breached .badge { fill: #fbd5d5; stroke: #a11; }
.timeline .st-pending .badge { fill: #dbe9f9; stroke: #1f4e79; }
.timeline .st-undetermined .badge { fill: #ece3f5; stroke: #6a3d9a; }
"#;
