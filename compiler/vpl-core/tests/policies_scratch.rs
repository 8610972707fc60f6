//! Scratch check of the bundled policies while the CLI is being written.
//! Set VPL_FILES to a comma-separated list of file names under policies/cn
//! to restrict it; prints every diagnostic and the decision table.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn resolve(id: &str, _from: &str) -> Option<(String, String)> {
    let file = match id {
        "cn/csl-2016" => "csl-2016.vpl",
        "cn/vuln-draft-2019" => "vuln-draft-2019.vpl",
        "cn/provisions-2021" => "vuln-provisions-2021.vpl",
        "cn/threat-info-draft-2019" => "threat-info-draft-2019.vpl",
        _ => return None,
    };
    let path = root().join("policies/cn").join(file);
    let text = std::fs::read_to_string(&path).ok()?;
    Some((format!("policies/cn/{file}"), text))
}

#[test]
fn policies_compile() {
    let all = ["csl-2016.vpl", "vuln-draft-2019.vpl", "vuln-provisions-2021.vpl", "threat-info-draft-2019.vpl"];
    let wanted: Vec<String> = match std::env::var("VPL_FILES") {
        Ok(v) => v.split(',').map(str::to_string).collect(),
        Err(_) => all.iter().map(|s| s.to_string()).collect(),
    };
    let quiet = std::env::var("VPL_QUIET").is_ok();
    let mut errors = 0;
    for f in &wanted {
        let path = root().join("policies/cn").join(f);
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("== {f}: not written yet");
            continue;
        };
        let name = format!("policies/cn/{f}");
        let c = vpl_core::compile(&name, &text, &resolve);
        println!("== {f}: {} diagnostics", c.diagnostics.len());
        for d in &c.diagnostics {
            println!("{}", serde_json::to_string_pretty(&d.to_json(&c.sources)).unwrap());
        }
        if c.has_errors() {
            errors += 1;
        }
        if let Some(t) = &c.table {
            if !quiet {
                println!("{}", vpl_core::table::render::text(t, Some(200)));
            }
            println!("== {f}: {} rows, {} penalties", t.rows.len(), t.penalties.len());
        }
    }
    assert_eq!(errors, 0, "some policies do not compile");
}
