//! The observer's own promises, apart from what it tells: if it dies, the
//! program dies with it (`PTRACE_O_EXITKILL`), and it never writes into
//! the program's memory.

#![cfg(target_os = "linux")]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{Watched, observer, python3_here};

#[test]
fn if_the_observer_dies_the_program_dies_too() {
    if !python3_here() {
        return;
    }
    let run = Watched::start(
        observer("en"),
        "sleeper",
        "python3",
        &[
            "-c",
            "import time\nprint('dormindo', flush=True)\ntime.sleep(30)",
        ],
        &[],
    );
    run.proc.wait_stdout("dormindo\n");
    let observer_pid = run.proc.pid();
    let children = format!("/proc/{observer_pid}/task/{observer_pid}/children");
    let program = std::fs::read_to_string(children).expect("the observer's child");
    let program = program.trim().to_string();
    assert!(!program.is_empty());
    let killed = Command::new("kill")
        .args(["-KILL", &observer_pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let start = Instant::now();
    while std::path::Path::new(&format!("/proc/{program}/status")).exists()
        && std::fs::read_to_string(format!("/proc/{program}/status"))
            .is_ok_and(|status| !status.contains("State:\tZ"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the program {program} outlived its observer"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn the_observer_never_writes_into_the_program() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .expect("src/")
                    .map(|e| e.expect("an entry").path()),
            );
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        for forbidden in [
            "process_vm_writev",
            "PTRACE_POKE",
            "poketext",
            "pokedata",
            "pokeuser",
            "setregs",
            "/mem\"",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} files");
}
