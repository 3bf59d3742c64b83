//! Where the programs under test are: the example binaries cargo built,
//! checked to be newer than their sources, and the report's Python
//! programs, transcribed in `tests/fixtures/`.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The path of a built example, next to the test or bench binary:
/// `target/<profile>/deps/chat-…` → `target/<profile>/examples/NAME`.
///
/// `cargo test` (without target filters) builds the examples before running
/// any test, so they are there and current. A filtered run such as
/// `cargo test --test chat`, or `cargo bench`, does not build them: this
/// fails with the command to run instead of running an old binary.
pub fn example_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let build = if profile_dir.ends_with("release") {
        "cargo build --release --examples"
    } else {
        "cargo build --examples"
    };
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let built = std::fs::metadata(&path).and_then(|m| m.modified());
    let Ok(built) = built else {
        panic!(
            "{} is not built. `cargo test` builds the examples; a filtered run \
             (`cargo test --test chat`) or `cargo bench` does not: run `{build}` first.",
            path.display()
        );
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let newest = newest_source(&[
        root.join("examples").join(format!("{name}.rs")),
        root.join("src"),
    ]);
    assert!(
        newest <= built,
        "{} is older than its sources. `cargo test` rebuilds the examples; a \
         filtered run or `cargo bench` does not: run `{build}` first.",
        path.display()
    );
    path
}

/// The newest modification time among these files and directories' files.
fn newest_source(paths: &[PathBuf]) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut todo: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = todo.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                todo.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        } else if let Ok(modified) = meta.modified() {
            newest = newest.max(modified);
        }
    }
    newest
}

/// The path of one of the report's programs, transcribed in `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}
