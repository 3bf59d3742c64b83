//! Which system calls stop the child: a seccomp-bpf filter, installed in
//! the child before its `execve` and inherited by every process it starts,
//! that sends the calls the observer follows to it
//! (`SECCOMP_RET_TRACE`) and lets every other call run without a stop
//! (`SECCOMP_RET_ALLOW`). A Python program makes thousands of calls that
//! are not about sockets (its imports, its locks); without the filter each
//! of them would stop it twice, as under strace.
//!
//! The program, in classic BPF over `struct seccomp_data` (the call's
//! number at offset 0, the architecture at offset 4):
//!
//! ```text
//! 0      ld  [4]                      ; the architecture
//! 1      jeq AUDIT_ARCH, 0, ALLOW     ; another ABI: not decoded, let it run
//! 2      ld  [0]                      ; the call's number
//! 3…     jeq NR_i, TRACE, 0           ; one per followed call
//! ALLOW  ret SECCOMP_RET_ALLOW
//! TRACE  ret SECCOMP_RET_TRACE
//! ```

/// `BPF_LD | BPF_W | BPF_ABS`: load the 32-bit word at an offset.
const LOAD: u16 = 0x20;
/// `BPF_JMP | BPF_JEQ | BPF_K`: compare with a constant and jump.
const JUMP_EQ: u16 = 0x15;
/// `BPF_RET | BPF_K`: return a constant.
const RETURN: u16 = 0x06;

fn op(code: u16, jt: u8, jf: u8, k: u32) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

/// The filter that stops the child at the calls numbered `numbers` on the
/// architecture `arch`; `None` when there are too many calls for one jump
/// (255), which never happens with the observer's few dozen.
pub fn program(arch: u32, numbers: &[u32]) -> Option<Vec<libc::sock_filter>> {
    let n = u8::try_from(numbers.len()).ok().filter(|n| *n < 250)?;
    let mut program = vec![
        op(LOAD, 0, 0, 4),
        // ALLOW is 2 + n instructions after the one following this jump.
        op(JUMP_EQ, 0, n + 1, arch),
        op(LOAD, 0, 0, 0),
    ];
    for (i, nr) in numbers.iter().enumerate() {
        // TRACE is the last instruction; from call i it is n - i ahead.
        let to_trace = n - i as u8;
        program.push(op(JUMP_EQ, to_trace, 0, *nr));
    }
    program.push(op(RETURN, 0, 0, libc::SECCOMP_RET_ALLOW));
    program.push(op(RETURN, 0, 0, libc::SECCOMP_RET_TRACE));
    Some(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `program` on a call numbered `nr` of architecture `arch`, as
    /// the kernel would.
    fn run(program: &[libc::sock_filter], arch: u32, nr: u32) -> u32 {
        let mut pc = 0;
        let mut acc = 0;
        loop {
            let op = program[pc];
            match op.code {
                LOAD => acc = if op.k == 4 { arch } else { nr },
                JUMP_EQ => pc += usize::from(if acc == op.k { op.jt } else { op.jf }),
                _ => return op.k,
            }
            pc += 1;
        }
    }

    #[test]
    fn followed_calls_stop_and_the_rest_run() {
        let program = program(7, &[41, 42, 3]).expect("a program");
        assert_eq!(run(&program, 7, 41), libc::SECCOMP_RET_TRACE);
        assert_eq!(run(&program, 7, 3), libc::SECCOMP_RET_TRACE);
        assert_eq!(run(&program, 7, 202), libc::SECCOMP_RET_ALLOW);
        // Another architecture's number 41 is another call.
        assert_eq!(run(&program, 8, 41), libc::SECCOMP_RET_ALLOW);
    }
}
