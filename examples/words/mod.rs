//! What the examples say in their own words — help texts, log lines,
//! summaries — as data: [`Say`] names each message in no language and
//! carries its numbers and addresses; `pt.rs` and `en.rs` each turn every
//! message into text with one exhaustive `match`. A message missing from a
//! language does not compile. A third language is one more file beside
//! these two and one more arm in [`text_in`].
//!
//! Each example includes it with `mod words;`. Not here: the report's
//! console texts (`[*] Servidor ouvindo em …`, `Você: `, …), which are
//! Portuguese in every language, byte for byte as the report prints them,
//! and the library's own narration of the trace.

// Each example says only some of these things.
#![allow(dead_code)]

use std::net::SocketAddr;

use socket_lifecycle::{Cause, Lang, TcpState};

mod en;
mod pt;

/// The message in the language the environment asks for
/// (`SOCKET_LIFECYCLE_LANG`, else the locale: [`Lang::from_env`]).
pub fn text(say: &Say) -> String {
    text_in(Lang::from_env(), say)
}

/// The message in `lang`.
pub fn text_in(lang: Lang, say: &Say) -> String {
    match lang {
        Lang::Pt => pt::text(say),
        Lang::En => en::text(say),
    }
}

/// Everything the examples say in their own words, one variant a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Say {
    // The chat examples' command line (`examples/chat/mod.rs`).
    /// `servidor --help`.
    UsageServidor,
    /// `servidor_poll --help`.
    UsageServidorPoll,
    /// `cliente --help`.
    UsageCliente,
    /// `udp_servidor --help`.
    UsageUdpServidor,
    /// `udp_cliente --help`.
    UsageUdpCliente,
    /// A flag the program does not take.
    UnknownOption { option: String },
    /// A flag given without its value, last on the line.
    MissingValue { flag: String },
    /// A third positional argument after HOST and PORT.
    ExtraArgument { argument: String },
    /// A value the flag cannot take.
    InvalidValue { flag: String, value: String },
    /// A PORT that is not a port number.
    InvalidPort { value: String },
    /// The host names no address.
    NoAddressFound { host: String },

    // The chat clients' keyboard.
    /// Standard input ended: the client leaves as with `sair`.
    EndOfInput,
    /// A typed line that is not UTF-8, which is not sent.
    LineNotUtf8,

    // `servidor` and `udp_servidor`.
    /// `--max-clients` clients are being served; new ones wait in the
    /// accept queue.
    ClientsAtMax { max: usize },
    /// A client stayed silent past `--idle-timeout`.
    ClientIdleTooLong,
    /// Bytes from a client that are not UTF-8 (shown escaped).
    InvalidUtf8FromClient { bytes: String },
    /// No thread could be made for an accepted client.
    NoThreadForClient { peer: SocketAddr, error: String },
    /// Ctrl+C: `shutdown()` on the listener wakes the blocked `accept()`.
    CtrlCWakesAccept,
    /// Ctrl+C: `shutdown()` on the listener wakes the blocked `poll()`.
    CtrlCWakesPoll,
    /// `servidor_poll`: out of descriptors; the listener is left out of
    /// the wait until a client leaves.
    AcceptPaused { error: String },
    /// Ctrl+C: `shutdown()` did not wake the blocked call (Windows and
    /// macOS do not shut a listener; Windows' UDP `recvfrom` sleeps on): the
    /// handler knocks on the socket.
    CtrlCKnocks,
    /// Ctrl+C: `shutdown()` wakes the blocked `recvfrom()` (UDP).
    CtrlCWakesRecvFrom,
    /// The server's end: `shutdown()` on each connected client's socket,
    /// so that its thread wakes and closes it.
    ShutsClients { count: usize },
    /// Client threads that had not ended when the server stopped waiting.
    ClientsLeftRunning { count: usize },
    /// `accept()` failed for want of descriptors or memory (the first time).
    AcceptShortage { error: String },
    /// `accept()` still fails so: the failures since it was last told.
    AcceptStillShort { failures: u64, seconds: u64 },
    /// `accept()` works again after a shortage.
    AcceptRecovered { failures: u64, seconds: f64 },
    /// Console lines dropped because standard output did not drain.
    ConsoleLinesDropped { lines: u64 },
    /// Trace lines dropped because standard error did not drain.
    TraceLinesDropped { lines: u64 },
    /// A datagram longer than the buffer: the kernel kept only part of it.
    DatagramTruncated {
        from: String,
        kept: usize,
        size: usize,
    },

    // `cliente` and `udp_cliente`.
    /// Bytes from the server that are not UTF-8 (shown escaped).
    InvalidUtf8FromServer { bytes: String },
    /// A datagram that did not come from the server.
    DatagramNotFromServer { from: Option<SocketAddr> },
    /// A reply longer than the buffer: the kernel kept only part of it.
    ReplyTruncated { kept: usize, size: usize },
    /// Too many datagrams from others while waiting for one reply.
    TooManyStrays,

    // `pitfall_backlog`.
    /// The burst: `listen(backlog)`, `attempts` connects, no accept.
    BacklogBurst { backlog: i32, attempts: usize },
    /// After `ESTABLISHED: N`.
    InAcceptQueue,
    /// After `SYN_SENT: N`.
    SynDropped,
    /// The listener's accept queue, as TCP_INFO reports it.
    ServerAcceptQueue { waiting: u32, limit: u32 },
    /// A file of `/proc` that cannot be read here.
    NotReadableHere,
    /// What the backlog is.
    BacklogLesson,

    // `pitfall_broken_pipe`.
    /// How many sends succeeded before the first failure.
    SendsBeforeError { count: usize },
    /// python3 died of SIGPIPE (13), as a C program would.
    PythonKilledBySigpipe,
    /// python3 died of another signal.
    PythonKilledBySignal { signal: i32 },
    /// python3 lived.
    PythonSurvived,
    /// No python3 on this machine.
    PythonNotInstalled,

    // `pitfall_coalesced`.
    /// One message sent, and its length in bytes.
    Sent { message: String, bytes: usize },
    /// What the one `recv(1024)` returned, and its length in bytes.
    OneRecvReturned { received: String, bytes: usize },
    /// TCP keeps no message boundaries.
    CoalescedLesson,

    // `pitfall_recv_zero`.
    /// The message, then the `recv`s after the peer closed, and how long
    /// they took.
    RecvAfterClose {
        message: String,
        after: Vec<usize>,
        millis: f64,
    },
    /// `send(b"")` and what the server's `recv` got then.
    EmptySend { sent: usize, then: Option<Cause> },
    /// `recv() = 0` ends the stream; a send of 0 bytes sends nothing.
    RecvZeroLesson,

    // `pitfall_busy_loop`.
    /// A `recv` made again and again on EAGAIN while nothing came:
    /// `calls` calls in `waited_ms`, `cpu_ms` of the processor spent
    /// (`None` where the system does not tell a thread's CPU time); then
    /// the same wait in `poll`.
    BusyLoop {
        calls: u64,
        waited_ms: f64,
        cpu_ms: Option<f64>,
        poll_cpu_ms: Option<f64>,
    },
    /// Wait for readiness instead of spinning.
    BusyLoopLesson,

    // `pitfall_partial_send`.
    /// One non-blocking `send` of `offered` bytes took `taken`; the peer
    /// received `received` in all.
    PartialSend {
        offered: usize,
        taken: usize,
        received: usize,
    },
    /// Keep what a short send left, and send it when writable.
    PartialSendLesson,

    // `pitfall_stale_readiness`.
    /// `poll` said readable; the first `recv` took `first` bytes, the
    /// second, on the same answer, got `second` (an errno's name).
    StaleReadiness { first: usize, second: String },
    /// Readiness is a moment's fact.
    StaleReadinessLesson,

    // `pitfall_connect_so_error`.
    /// The non-blocking connect said `connect`; SO_ERROR said `so_error`.
    ConnectSoError { connect: String, so_error: String },
    /// A non-blocking connect's failure shows only in SO_ERROR.
    ConnectSoErrorLesson,

    // `pitfall_edge_triggered`.
    /// One round: the trigger, the bytes the first `recv` took, what the
    /// second wait reported, the bytes found after it.
    Triggered {
        edge: bool,
        read: usize,
        second: usize,
        left: usize,
    },
    /// Edge-triggered: read until EAGAIN.
    TriggeredLesson,
    /// Elsewhere than Linux.
    EpollIsLinuxs,

    // `pitfall_time_wait`.
    /// One round: the option on the old and the new server, what the kernel
    /// held after the old one closed, and the new server's `bind` (the
    /// errno's name when it failed).
    TimeWaitRound {
        old_reuse: bool,
        new_reuse: bool,
        left_behind: Option<TcpState>,
        rebind: Result<(), String>,
    },
    /// Set SO_REUSEADDR before bind.
    TimeWaitLesson,

    // `pitfall_utf8_split`.
    /// The message: 1022 dashes and `ação`.
    SplitMessage { bytes: usize },
    /// One `recv(1024)`, decoded on its own: `error` when that fails.
    SplitChunk {
        number: usize,
        bytes: usize,
        tail: String,
        error: Option<String>,
    },
    /// The chunks joined, then decoded.
    SplitJoined { tail: String },
    /// Decode the stream, not each chunk.
    SplitLesson,

    // `std_bind`.
    /// After `TcpListener::bind("127.0.0.1:0") —`.
    WhatTheKernelGot,
    /// TCP_INFO cannot be read here.
    TcpInfoNotReadable,
    /// The library spells the four steps out.
    StdBindLesson,

    // `tcp_vs_udp`.
    /// The title.
    SameExchange,
    /// A step of the script.
    Step(Step),
    /// The heading of one transport's whole trace (`TCP`, `UDP`).
    WholeTrace { transport: &'static str },
    /// The heading of the summary.
    TheDifferences,
    /// How many system calls each made.
    SystemCalls { tcp: usize, udp: usize },
    /// A call TCP made and UDP did not, and why UDP needs none.
    UdpMadeNo(Skipped),
    /// How many `recv`s returned 0 on each side.
    RecvReturnedZero { tcp: usize, udp: usize },
    /// How the two messages came out on each side.
    Boundaries { tcp: String, udp: String },
}

/// `SO_REUSEADDR=1` or `SO_REUSEADDR=0`: the same in every language.
fn reuse_address(on: bool) -> &'static str {
    if on {
        "SO_REUSEADDR=1"
    } else {
        "SO_REUSEADDR=0"
    }
}

/// A step of `tcp_vs_udp`'s script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    ServerPreparation,
    ClientArrives,
    ServerAccepts,
    /// `ola` → `Servidor recebeu: ola`.
    OlaReply,
    /// `um`, then `dois`.
    TwoMessages,
    TheEnd,
}

/// A call TCP makes that UDP does not (`tcp_vs_udp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    ReuseAddress,
    Listen,
    Accept,
    Connect,
    Shutdown,
}
