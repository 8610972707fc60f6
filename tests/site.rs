//! `vplc doc`: snapshots of each page kind (HTML and Markdown), a link
//! checker over the generated site (every internal href and #anchor
//! resolves, ids are unique, aria references exist), and bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation should stop the test"
)]

use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const CASES: &[&str] = &[
    "examples/cases/log4shell-downstream-vendor-report-over-weekend.json",
    "examples/cases/provisions-2021-report-on-time-over-national-day.json",
];

/// Generates the site (all four bundled instruments, the 2019 draft → 2021
/// Provisions amendment, two cases) into a fresh directory.
fn generate(format: &str, lang: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<String> =
        ["vplc", "doc", "cn/provisions-2021", "cn/vuln-draft-2019", "cn/threat-info-draft-2019", "cn/csl-2016"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    args.extend([
        "--out".into(),
        dir.path().display().to_string(),
        "--format".into(),
        format.into(),
        "--lang".into(),
        lang.into(),
    ]);
    args.extend(["--diff".into(), "cn/vuln-draft-2019".into(), "cn/provisions-2021".into()]);
    args.push("--cases".into());
    args.extend(CASES.iter().map(|c| root().join(c).display().to_string()));
    assert_eq!(vplc::run_args(&args), 0, "vplc doc failed: {args:?}");
    dir
}

/// One element per line, so that a snapshot diff shows what changed.
fn pretty(html: &str) -> String {
    const BLOCK: &[&str] = &[
        "html",
        "head",
        "body",
        "header",
        "main",
        "footer",
        "section",
        "article",
        "div",
        "p",
        "h1",
        "h2",
        "h3",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "nav",
        "aside",
        "figure",
        "figcaption",
        "svg",
        "g",
        "text",
        "rect",
        "line",
        "circle",
        "path",
        "title",
        "desc",
        "meta",
        "link",
        "details",
        "summary",
        "defs",
        "pattern",
    ];
    let mut out = String::with_capacity(html.len() * 11 / 10);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let (before, tag) = rest.split_at(i);
        out.push_str(before);
        let name: String = tag[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if BLOCK.contains(&name.as_str()) && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('<');
        rest = &tag[1..];
    }
    out.push_str(rest);
    out
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn snap(name: &str, text: String) {
    insta::with_settings!({ snapshot_path => "site/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn html_pages_snapshots() {
    let dir = generate("html", "en");
    let d = dir.path();
    for (snap_name, file) in [
        ("html_index", "index.html"),
        ("html_index_zh", "index.zh.html"),
        ("html_instrument_provisions-2021", "provisions-2021.html"),
        ("html_instrument_provisions-2021_zh", "provisions-2021.zh.html"),
        ("html_compare", "compare.html"),
        ("html_amendment", "diff-vuln-draft-2019--provisions-2021.html"),
        ("html_case", "case-log4shell-downstream-vendor-report-over-weekend.html"),
        ("html_case_national_day", "case-provisions-2021-report-on-time-over-national-day.html"),
    ] {
        snap(snap_name, pretty(&read(d, file)));
    }
}

#[test]
fn markdown_pages_snapshots() {
    let dir = generate("md", "en");
    let d = dir.path();
    let mut files: Vec<String> =
        std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    snap("md_files", files.join("\n"));
    for (snap_name, file) in [
        ("md_index", "index.md"),
        ("md_instrument_provisions-2021", "provisions-2021.md"),
        ("md_compare", "compare.md"),
        ("md_amendment", "diff-vuln-draft-2019--provisions-2021.md"),
        ("md_case", "case-log4shell-downstream-vendor-report-over-weekend.md"),
    ] {
        snap(snap_name, read(d, file));
    }
    // The timeline of a Markdown case page is a separate, well-formed SVG file.
    let svg = read(d, "case-log4shell-downstream-vendor-report-over-weekend.timeline.svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{}", &svg[..80]);
    assert!(svg.contains("<style>"));
}

/// What an HTML page offers (ids) and asks for (links, aria references).
struct Parsed {
    ids: BTreeSet<String>,
    links: Vec<String>,
    aria: Vec<String>,
}

fn parse(text: &str, file: &str) -> Parsed {
    let doc = Html::parse_document(text);
    let mut ids = BTreeSet::new();
    for e in doc.select(&Selector::parse("[id]").unwrap()) {
        let id = e.value().attr("id").unwrap().to_string();
        assert!(ids.insert(id.clone()), "{file}: duplicate id `{id}`");
    }
    let mut links = Vec::new();
    for sel in ["a[href]", "link[href]"] {
        for e in doc.select(&Selector::parse(sel).unwrap()) {
            links.push(e.value().attr("href").unwrap().to_string());
        }
    }
    let mut aria = Vec::new();
    for e in doc.select(&Selector::parse("[aria-labelledby]").unwrap()) {
        aria.extend(e.value().attr("aria-labelledby").unwrap().split_whitespace().map(str::to_string));
    }
    // No JavaScript: the site is read as plain HTML and CSS.
    assert_eq!(doc.select(&Selector::parse("script, [onclick], [onload]").unwrap()).count(), 0, "{file}: has script");
    // Accessibility basics: a language, one h1, headers on every table, a label on every SVG.
    let html_el = doc.select(&Selector::parse("html").unwrap()).next().unwrap();
    assert!(html_el.value().attr("lang").is_some_and(|l| !l.is_empty()), "{file}: <html> has no lang");
    assert_eq!(doc.select(&Selector::parse("h1").unwrap()).count(), 1, "{file}: not exactly one h1");
    for table in doc.select(&Selector::parse("table").unwrap()) {
        assert!(
            table.select(&Selector::parse("thead th[scope=col]").unwrap()).next().is_some(),
            "{file}: a table without column headers"
        );
    }
    for svg in doc.select(&Selector::parse("svg").unwrap()) {
        assert_eq!(svg.value().attr("role"), Some("img"), "{file}: svg without role=img");
        assert!(svg.value().attr("aria-labelledby").is_some(), "{file}: svg without a label");
    }
    Parsed { ids, links, aria }
}

fn check_links(dir: &Path) -> usize {
    let mut pages: BTreeMap<String, Parsed> = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".html") {
            let parsed = parse(&read(dir, &name), &name);
            pages.insert(name, parsed);
        }
    }
    assert!(pages.len() > 10, "too few pages: {:?}", pages.keys());
    let mut checked = 0;
    let mut broken = Vec::new();
    for (name, p) in &pages {
        for id in &p.aria {
            if !p.ids.contains(id) {
                broken.push(format!("{name}: aria-labelledby `{id}` names no element"));
            }
        }
        for href in &p.links {
            assert!(
                !href.starts_with("http:") && !href.starts_with("https:") && !href.starts_with("//"),
                "{name}: external link {href}"
            );
            let (file, frag) = match href.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (href.as_str(), None),
            };
            let target = if file.is_empty() { name.as_str() } else { file };
            checked += 1;
            if !dir.join(target).is_file() {
                broken.push(format!("{name}: {href}: no file `{target}`"));
                continue;
            }
            if let Some(frag) = frag {
                match pages.get(target) {
                    Some(t) if t.ids.contains(frag) => {}
                    Some(_) => broken.push(format!("{name}: {href}: no anchor `#{frag}` in {target}")),
                    None => broken.push(format!("{name}: {href}: anchor into a non-HTML file")),
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

#[test]
fn no_broken_internal_links_or_anchors() {
    for lang in ["en", "zh"] {
        let dir = generate("html", lang);
        let checked = check_links(dir.path());
        assert!(checked > 500, "only {checked} links checked");
        // The memo link of the issue: the 2021 Provisions' art. 7(1)(2) and its duty.
        let zh = if lang == "en" { "provisions-2021.zh.html" } else { "provisions-2021.html" };
        for page in ["provisions-2021.html", zh] {
            let p = parse(&read(dir.path(), page), page);
            for id in ["art-7", "art-7-1", "art-7-1-2", "duty-provider_report_to_platform", "penalties"] {
                assert!(p.ids.contains(id), "{page}: no #{id}");
            }
        }
    }
}

#[test]
fn link_checker_catches_a_broken_anchor() {
    let dir = generate("html", "en");
    let path = dir.path().join("index.html");
    let text = read(dir.path(), "index.html").replacen("provisions-2021.html", "provisions-2021.html#art-999", 1);
    std::fs::write(&path, text).unwrap();
    let result = std::panic::catch_unwind(|| check_links(dir.path()));
    let msg = result.err().and_then(|e| e.downcast_ref::<String>().cloned()).unwrap_or_default();
    assert!(msg.contains("no anchor `#art-999`"), "the checker missed a broken anchor: {msg}");
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    // An unknown policy.
    assert_eq!(vplc::run_args(["vplc", "doc", "cn/provisions-2022", "--out", &out]), 2);
    // --out is a file.
    let file = dir.path().join("f.txt");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(vplc::run_args(["vplc", "doc", "cn/provisions-2021", "--out", &file.display().to_string()]), 2);
    // A case file that does not exist, and one that is not a case.
    assert_eq!(vplc::run_args(["vplc", "doc", "cn/provisions-2021", "--out", &out, "--cases", "no/such/case.json"]), 2);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"id\": 3}").unwrap();
    assert_eq!(vplc::run_args(["vplc", "doc", "cn/provisions-2021", "--out", &out, "--cases", &bad.display().to_string()]), 2);
    // --diff needs two policies.
    assert_eq!(vplc::run_args(["vplc", "doc", "cn/provisions-2021", "--out", &out, "--diff", "cn/provisions-2021"]), 2);
    // Nothing was written for bad input.
    assert!(!dir.path().join("index.html").exists());
}

/// Markdown targets `[text](file.md#anchor)` and the `<a id="…">` anchors of each file.
fn md_links_and_ids(text: &str) -> (Vec<String>, BTreeSet<String>) {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap_or(after.len());
        links.push(after[..end].to_string());
        rest = &after[end..];
    }
    let mut ids = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("<a id=\"") {
        let after = &rest[i + 7..];
        let end = after.find('"').unwrap();
        assert!(ids.insert(after[..end].to_string()), "duplicate anchor {}", &after[..end]);
        rest = &after[end..];
    }
    (links, ids)
}

#[test]
fn markdown_links_resolve() {
    let dir = generate("md", "en");
    let mut pages = BTreeMap::new();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            pages.insert(name.clone(), md_links_and_ids(&read(dir.path(), &name)));
        }
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for (name, (links, _)) in &pages {
        for href in links {
            let (file, frag) = href.split_once('#').map_or((href.as_str(), None), |(f, a)| (f, Some(a)));
            checked += 1;
            if !dir.path().join(file).is_file() {
                broken.push(format!("{name}: {href}: no file"));
            } else if let Some(frag) = frag {
                if !pages.get(file).is_some_and(|(_, ids)| ids.contains(frag)) {
                    broken.push(format!("{name}: {href}: no anchor"));
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} links");
    assert!(broken.is_empty(), "broken Markdown links:\n{}", broken.join("\n"));
}

/// Text from a policy is escaped wherever it lands: titles, article text,
/// doc comments. Nothing a policy says can become markup.
#[test]
fn policy_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("evil.vpl");
    std::fs::write(
        &policy,
        r#"/// A note with <img src=x onerror=alert(1)> & "quotes".
instrument acme/evil {
    title en "ACME <script>alert(1)</script> policy"
    status in_force issued 2024-01-15 effective 2024-02-01
    calendar cn
}

/// Reading: <b>bold?</b>
article 2 {
    en "The team shall report it <i>now</i> & within 2 days."
}

duty report {
    cite art 2
    product_provider must reported where to == miit_platform
    within 2 days after aware
}
"#,
    )
    .unwrap();
    let out = dir.path().join("site");
    let code = vplc::run_args(["vplc", "doc", &policy.display().to_string(), "--out", &out.display().to_string()]);
    assert_eq!(code, 0);
    let page = read(&out, "evil.html");
    for raw in ["<script>", "<img", "<b>bold", "<i>now"] {
        assert!(!page.contains(raw), "unescaped {raw} in evil.html");
    }
    for escaped in
        ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt; &amp;", "&lt;i&gt;now&lt;/i&gt; &amp;"]
    {
        assert!(page.contains(escaped), "{escaped} missing from evil.html");
    }
    let p = parse(&page, "evil.html");
    assert!(p.ids.contains("art-2") && p.ids.contains("duty-report"));
    // Markdown escapes too.
    let md_out = dir.path().join("md");
    let code =
        vplc::run_args(["vplc", "doc", &policy.display().to_string(), "--out", &md_out.display().to_string(), "--format", "md"]);
    assert_eq!(code, 0);
    let md = read(&md_out, "evil.md");
    assert!(!md.contains("<script>") && !md.contains("<i>now") && md.contains("&lt;i&gt;now"), "{md}");
}

/// A case report says which version of an amended law a breach is fined
/// under, and why: a report due in 2025 and made in 2026 falls under the
/// 2025 Cybersecurity Law, with a note that the deadline passed under 2016's.
#[test]
fn case_report_names_the_version_of_the_penalty() {
    let dir = tempfile::tempdir().unwrap();
    let case = root().join("examples/cases/provisions-2021-report-late-across-the-csl-amendment.json");
    let args =
        ["vplc", "doc", "cn/provisions-2021", "--out", &dir.path().display().to_string(), "--cases", &case.display().to_string()];
    assert_eq!(vplc::run_args(args), 0);
    let page = read(dir.path(), "case-provisions-2021-report-late-across-the-csl-amendment.html");
    assert!(page.contains("cn/csl-2025 art 62(1)(2)"), "exposure under the amended law");
    assert!(page.contains("the version in force on 2026-01-04"), "the version choice is shown");
    assert!(page.contains("the deadline passed on 2025-12-29, when cn/csl-2016 art 60(1)(2) was in force"));
}
