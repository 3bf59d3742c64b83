//! The page the demo writes (`cargo run --example lifecycle -- --html
//! FILE`), opened in a real headless browser from a `file://` address:
//! every event stepped through forward and back with the keyboard, the
//! language switched, the call, the state, the lit rows and the lit
//! typestate held against the JSON Lines of the same run (`--json`), no
//! console error, no network request; a screenshot is left in
//! `target/tmp/page/` for a person to look at. The browser is Debian's
//! `chromium`, driven by `tests/page/step.cjs` through playwright-core,
//! which `.ci/run` installs into `target/tools/playwright`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{require, run_example, runs};

/// Where `.ci/run` installs playwright-core.
fn playwright() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/playwright/node_modules")
}

#[test]
fn the_demo_page_steps_through_every_event_as_its_json_lines_say() {
    let ready = runs("node", &["--version"])
        && Path::new("/usr/bin/chromium").exists()
        && playwright().join("playwright-core").exists();
    if !require(
        ready,
        "node, /usr/bin/chromium and playwright-core in target/tools/playwright",
    ) {
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page");
    std::fs::create_dir_all(&dir).expect("make target/tmp/page");
    let (html, json, shot) = (
        dir.join("demo.html"),
        dir.join("demo.jsonl"),
        dir.join("demo.png"),
    );
    let _ = std::fs::remove_file(&shot);
    run_example(
        "lifecycle",
        &[
            "--json",
            json.to_str().expect("a UTF-8 path"),
            "--html",
            html.to_str().expect("a UTF-8 path"),
        ],
        &[("SOCKET_LIFECYCLE_LANG", "en")],
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/page/step.cjs");
    // Bounded: the script's every wait has its own limit, and the whole
    // run is cut after two minutes.
    let out = Command::new("timeout")
        .arg("120")
        .arg("node")
        .arg(&script)
        .args([&html, &json, &shot])
        .env("NODE_PATH", playwright())
        .output()
        .expect("run node");
    let said = String::from_utf8_lossy(&out.stdout);
    let failed = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the page disagrees ({}):\n{failed}{said}",
        out.status
    );
    assert!(said.contains("the page agrees with"), "{said}");
    assert!(shot.exists(), "no screenshot at {}", shot.display());
    eprintln!("{said}");
}
