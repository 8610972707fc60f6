//! End to end in a real browser: `vplc doc` writes the site into a temporary
//! directory, headless Chromium (Debian's `chromium`, installed by `.ci/run`)
//! opens it from `file://` (the pages carry no script; `tests/site.rs` checks that), the rendered DOM is
//! checked for the content a lawyer looks for, and screenshots of the
//! instrument, comparison and case pages are saved for a person to look at
//! in `target/site-screenshots/`. Fails if Chromium is missing or fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation should stop the test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";
const CASE: &str = "case-log4shell-downstream-vendor-report-over-weekend";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn chromium(profile: &Path, args: &[String]) -> std::process::Output {
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
    cmd.args(args);
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot start {CHROMIUM}: {e} (install Debian's chromium package)"));
    assert!(
        out.status.success(),
        "chromium failed ({}): {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    out
}

fn dump_dom(profile: &Path, page: &Path) -> String {
    let out = chromium(profile, &["--dump-dom".into(), format!("file://{}", page.display())]);
    String::from_utf8(out.stdout).unwrap()
}

fn screenshot(profile: &Path, page: &Path, to: &Path) {
    let _ = std::fs::remove_file(to);
    chromium(
        profile,
        &[format!("--screenshot={}", to.display()), "--window-size=1280,2000".into(), format!("file://{}", page.display())],
    );
    let png = std::fs::read(to).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", to.display()));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 40_000, "{} is blank or not a real screenshot", to.display());
}

/// `vplc doc` of these instruments, amendments (old, new) and cases (a file or a directory) into `out`.
fn write_site(out: &Path, instruments: &[&str], diffs: &[(&str, &str)], cases: &Path) {
    let mut args: Vec<String> = ["vplc", "doc"].iter().chain(instruments).map(|s| s.to_string()).collect();
    args.extend(["--out".into(), out.display().to_string()]);
    for (old, new) in diffs {
        args.extend(["--diff".into(), old.to_string(), new.to_string()]);
    }
    args.extend(["--cases".into(), cases.display().to_string()]);
    assert_eq!(vplc::run_args(args), 0, "vplc doc failed");
}

#[test]
#[ignore = "needs chromium; .ci/run installs it"]
fn site_renders_in_headless_chromium() {
    let site = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let case = root().join("examples/cases").join(format!("{}.json", CASE.trim_start_matches("case-")));
    write_site(
        site.path(),
        &["cn/provisions-2021", "cn/vuln-draft-2019", "cn/threat-info-draft-2019", "cn/csl-2016"],
        &[("cn/vuln-draft-2019", "cn/provisions-2021")],
        &case,
    );
    let page = |name: &str| site.path().join(name);

    // The 2021 Provisions: art. 7 with its duties as sentences beside the text.
    let dom = dump_dom(profile.path(), &page("provisions-2021.html"));
    for needle in [
        "id=\"art-7\"",
        "id=\"art-7-1-2\"",
        "第七条",
        "id=\"duty-provider_report_to_platform\"",
        "Within 2 days after becoming aware of the vulnerability, a product provider must report the vulnerability to MIIT",
        "Penalty exposure",
    ] {
        assert!(dom.contains(needle), "provisions-2021.html lacks {needle:?}");
    }
    // The Chinese page is the switch's other side.
    let dom = dump_dom(profile.path(), &page("provisions-2021.zh.html"));
    assert!(dom.contains("lang=\"zh-Hans\"") && dom.contains("第7条") && dom.contains("href=\"provisions-2021.html\""));

    // The comparison: one row per topic, the draft and the Provisions side by side.
    let dom = dump_dom(profile.path(), &page("compare.html"));
    for needle in ["reporting", "user notice", "≠ differs", "vuln-draft-2019.html#duty-", "provisions-2021.html#duty-"] {
        assert!(dom.contains(needle), "compare.html lacks {needle:?}");
    }

    // The case report: findings and the SVG timeline with written statuses.
    let dom = dump_dom(profile.path(), &page(&format!("{CASE}.html")));
    for needle in ["<svg", "class=\"timeline\"", "role=\"img\"", ">met<", ">breached<", "class=\"ext\"", "2021-12-12"] {
        assert!(dom.contains(needle), "{CASE}.html lacks {needle:?}");
    }

    // Screenshots for a person to look at.
    let shots = root().join("target/site-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (file, png) in [
        ("index.html", "index.png"),
        ("provisions-2021.html", "instrument-provisions-2021.png"),
        ("compare.html", "compare.png"),
        ("diff-vuln-draft-2019--provisions-2021.html", "amendment.png"),
        (&format!("{CASE}.html"), "case.png"),
    ] {
        screenshot(profile.path(), &page(file), &shots.join(png));
    }
    // The other side of the language switch.
    screenshot(profile.path(), &page("provisions-2021.zh.html"), &shots.join("instrument-provisions-2021-zh.png"));
}

/// Every page of the site fits a phone's width (390 CSS pixels): wide tables
/// scroll inside their own box, the page itself never scrolls sideways. A
/// page of the test's own (outside the site, which carries no script) loads
/// each page in a frame that wide and writes down how wide its content is.
#[test]
#[ignore = "needs chromium; .ci/run installs it"]
fn pages_fit_a_phone_screen() {
    let site = tempfile::tempdir().unwrap();
    let probe = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    // Every bundled instrument, both amendments, every example case: a page's width
    // depends on what it shows.
    write_site(
        site.path(),
        &["cn/provisions-2021", "cn/vuln-draft-2019", "cn/threat-info-draft-2019", "cn/csl-2016", "cn/csl-2025"],
        &[("cn/vuln-draft-2019", "cn/provisions-2021"), ("cn/csl-2016", "cn/csl-2025")],
        &root().join("examples/cases"),
    );
    let mut pages: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 60, "{pages:?}");
    let frames: String = pages
        .iter()
        .map(|p| {
            format!(
                "<iframe data-page=\"{p}\" src=\"file://{}\" width=\"390\" height=\"600\"></iframe>\n",
                site.path().join(p).display()
            )
        })
        .collect();
    // Measured once the whole probe page has loaded, every frame with it. A page that hid
    // its overflow (`overflow-x: hidden` on `html` or `body`) would clip text instead: that
    // counts as not fitting too.
    let html = format!(
        "<!doctype html><html><body>{frames}<pre id=\"out\"></pre><script>\n\
         window.addEventListener('load', () => {{\n\
           let lines = '';\n\
           for (const f of document.querySelectorAll('iframe')) {{\n\
             const w = f.contentWindow, d = f.contentDocument.documentElement;\n\
             const clip = ['overflowX'].some(k => w.getComputedStyle(d)[k] !== 'visible' || w.getComputedStyle(f.contentDocument.body)[k] !== 'visible');\n\
             lines += f.dataset.page + ' ' + d.scrollWidth + ' ' + d.clientWidth + ' ' + (clip ? 'hidden' : 'visible') + '\\n';\n\
           }}\n\
           document.getElementById('out').textContent = lines;\n\
         }});\n\
         </script></body></html>"
    );
    let wrapper = probe.path().join("probe.html");
    std::fs::write(&wrapper, html).unwrap();
    let dom = chromium(
        profile.path(),
        &[
            "--allow-file-access-from-files".into(),
            "--virtual-time-budget=10000".into(),
            "--dump-dom".into(),
            format!("file://{}", wrapper.display()),
        ],
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    let report = dom.split("<pre id=\"out\">").nth(1).and_then(|r| r.split("</pre>").next()).unwrap_or("");
    let mut seen = 0;
    for line in report.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        let [page, content, view, overflow] = w[..] else { panic!("unexpected line {line:?}") };
        let (content, view): (u32, u32) = (content.parse().unwrap(), view.parse().unwrap());
        assert!(
            view > 300 && content <= view,
            "{page} is {content} px wide in a {view} px frame: it scrolls sideways on a phone"
        );
        assert_eq!(overflow, "visible", "{page} hides what overflows its page: text would be cut off on a phone");
        seen += 1;
    }
    assert_eq!(seen, pages.len(), "not every page was measured: {report:?}");
}
