#[test]
fn quickstart_compiles() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/quickstart.vpl")).unwrap();
    let c = vpl_core::compile("examples/quickstart.vpl", &text, &vpl_core::no_files);
    for d in &c.diagnostics {
        eprintln!("{:?}", d.to_json(&c.sources));
    }
    let t = c.table.expect("table");
    println!("{}", vpl_core::table::render::text(&t, None));
}
