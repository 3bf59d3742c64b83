//! The examples' own words in English: one arm per message of [`Say`].

use super::{Say, Skipped, Step, reuse_address};

/// The message, in English.
pub fn text(say: &Say) -> String {
    match say {
        Say::UsageServidor => USAGE_SERVIDOR.to_string(),
        Say::UsageServidorPoll => USAGE_SERVIDOR_POLL.to_string(),
        Say::UsageCliente => USAGE_CLIENTE.to_string(),
        Say::UsageUdpServidor => USAGE_UDP_SERVIDOR.to_string(),
        Say::UsageUdpCliente => USAGE_UDP_CLIENTE.to_string(),
        Say::UnknownOption { option } => format!("unknown option: {option}"),
        Say::MissingValue { flag } => format!("{flag}: missing value"),
        Say::ExtraArgument { argument } => format!("extra argument: {argument}"),
        Say::InvalidValue { flag, value } => format!("{flag}: invalid value '{value}'"),
        Say::InvalidPort { value } => format!("PORT: invalid value '{value}'"),
        Say::NoAddressFound { host } => format!("{host}: no address found"),

        Say::EndOfInput => "end of standard input: leaving as with 'sair'".into(),
        Say::LineNotUtf8 => "the line typed is not UTF-8: not sent".into(),

        Say::ClientsAtMax { max: 1 } => "1 client being served (--max-clients): new clients wait in the listen() queue until it leaves".into(),
        Say::ClientsAtMax { max } => format!(
            "{max} clients being served (--max-clients): new clients wait in the listen() queue until one leaves"
        ),
        Say::ClientIdleTooLong => "client silent past --idle-timeout: disconnecting".into(),
        Say::InvalidUtf8FromClient { bytes } => {
            format!("invalid UTF-8 from the client, shown and answered as U+FFFD: {bytes}")
        }
        Say::NoThreadForClient { peer, error } => {
            format!("no thread for the client {peer}: {error}")
        }
        Say::CtrlCWakesAccept => {
            "Ctrl+C (or SIGTERM): shutdown() on the listener, to wake the blocked accept()".into()
        }
        Say::CtrlCWakesPoll => {
            "Ctrl+C: shutdown() on the listener, to wake the blocked poll()".into()
        }
        Say::AcceptPaused { error } => format!(
            "accept() failed ({error}): the listener is left out of poll() until a client leaves, so that the loop does not spin"
        ),
        Say::CtrlCKnocks => "Ctrl+C: shutdown() did not wake the blocked call here; the handler knocks on the socket (a connection, or an empty datagram) to wake it".into(),
        Say::CtrlCWakesRecvFrom => {
            "Ctrl+C: shutdown(), to wake the blocked recvfrom()".into()
        }
        Say::ShutsClients { count: 1 } => "shutdown(SHUT_RDWR) on the connected client's socket: its thread wakes and closes it".into(),
        Say::ShutsClients { count } => format!(
            "shutdown(SHUT_RDWR) on the {count} connected clients' sockets: each thread wakes and closes its own"
        ),
        Say::ClientsLeftRunning { count } => format!(
            "{count} client thread(s) still running after 2 s: the kernel closes their sockets when the process ends"
        ),
        Say::AcceptShortage { error } => format!(
            "{error} — accept() runs out of descriptors or memory: new clients wait in the accept queue until a client leaves; accept() is tried again after a pause that doubles up to 1 s, and this is said once every 10 s"
        ),
        Say::AcceptStillShort { failures, seconds } => format!(
            "accept() still short of descriptors or memory: {failures} more failures, {seconds} s since the first"
        ),
        Say::AcceptRecovered { failures, seconds } => format!(
            "accept() works again, after {failures} failures in {seconds:.1} s"
        ),
        Say::ConsoleLinesDropped { lines: 1 } => "1 console line not shown: standard output was not draining".into(),
        Say::ConsoleLinesDropped { lines } => {
            format!("{lines} console lines not shown: standard output was not draining")
        }
        Say::TraceLinesDropped { lines: 1 } => "1 trace line dropped: standard error was not draining".into(),
        Say::TraceLinesDropped { lines } => {
            format!("{lines} trace lines dropped: standard error was not draining")
        }
        Say::DatagramTruncated { from, kept, size } => {
            format!("truncated datagram from {from}: {kept} of {size} bytes kept")
        }

        Say::InvalidUtf8FromServer { bytes } => {
            format!("invalid UTF-8 from the server, shown as U+FFFD: {bytes}")
        }
        Say::DatagramNotFromServer { from } => {
            format!("datagram ignored: it came not from the server but from {from:?}")
        }
        Say::ReplyTruncated { kept, size } => {
            format!("truncated reply: {kept} of {size} bytes kept")
        }
        Say::TooManyStrays => "too many datagrams from other addresses".into(),

        Say::BacklogBurst { backlog, attempts } => {
            format!("listen({backlog}); {attempts} connects at once, no accept at all")
        }
        Say::InAcceptQueue => "in the accept queue".into(),
        Say::SynDropped => "SYN dropped; the client will retry".into(),
        Say::ServerAcceptQueue { waiting, limit } => {
            format!("the server's accept queue: {waiting}/{limit}")
        }
        Say::NotReadableHere => "not readable here".into(),
        Say::BacklogLesson => "The backlog is the size of the queue of finished connections (Linux lets backlog + 1 wait), not a limit on clients: a server that calls accept() promptly never fills it.".into(),

        Say::SendsBeforeError { count: 1 } => "1 send accepted before the error".into(),
        Say::SendsBeforeError { count } => format!("{count} sends accepted before the error"),
        Say::PythonKilledBySigpipe => "python3 with SIGPIPE's default action: killed by signal 13 (SIGPIPE), without a word".into(),
        Say::PythonKilledBySignal { signal } => format!("python3: signal {signal}"),
        Say::PythonSurvived => "python3: survived".into(),
        Say::PythonNotInstalled => "python3: not installed".into(),

        Say::Sent { message, bytes } => format!("sent: {message:?} ({bytes} bytes)"),
        Say::OneRecvReturned { received, bytes } => {
            format!("one recv(1024) returned: {received:?} ({bytes} bytes)")
        }
        Say::CoalescedLesson => "TCP keeps no message boundaries: use a delimiter (one message per line) or a length before each message.".into(),

        Say::RecvAfterClose {
            message,
            after,
            millis,
        } => format!("recv: {message:?}, then {after:?} in {millis:.1} ms"),
        Say::EmptySend { sent, then } => {
            format!("send(b\"\") = {sent}; the server's recv: {then:?}")
        }
        Say::RecvZeroLesson => "recv() = 0 is the end of the stream: stop reading and close. A send of 0 bytes sends nothing: do not send empty lines.".into(),

        Say::BusyLoop { calls, waited_ms, cpu_ms, poll_cpu_ms } => {
            let cpu = |c: &Option<f64>| c.map_or_else(|| "CPU time not told here".to_string(), |c| format!("{c:.1} ms of CPU"));
            format!(
                "busy loop: {calls} recv() calls answered EAGAIN in {waited_ms:.0} ms of waiting, {}; poll(): 1 call for the same wait, {}",
                cpu(cpu_ms),
                cpu(poll_cpu_ms)
            )
        }
        Say::BusyLoopLesson => "EAGAIN means \"not now\", not \"try again at once\": a loop that calls again at once keeps a processor busy doing nothing. Wait in poll() until the socket is ready, then call.".into(),
        Say::PartialSend { offered, taken, received } => format!(
            "one non-blocking send() of {offered} bytes: the kernel took {taken}; the peer received {received} in all — the other {} were never sent",
            offered - taken
        ),
        Say::PartialSendLesson => "A send() may take only part of what it is offered (a non-blocking one when the buffer fills): keep the rest, wait until the socket is writable (poll POLLOUT) and send it then.".into(),
        Say::StaleReadiness { first, second } => format!(
            "poll() said readable; the first recv() took {first} bytes; the second, on the same answer, got {second}"
        ),
        Say::StaleReadinessLesson => "Readiness is a fact of the moment poll() returned, not a promise: another call (or thread) may have taken what was ready. With a blocking socket the second recv() would wait, and the whole loop with it; keep sockets non-blocking and treat EAGAIN as \"nothing now\".".into(),
        Say::ConnectSoError { connect, so_error } => format!(
            "connect() said {connect}; poll() said writable; getsockopt(SO_ERROR) said {so_error}"
        ),
        Say::ConnectSoErrorLesson => "A non-blocking connect() only starts the handshake: EINPROGRESS is its normal answer, and writable means \"the handshake ended\", not \"it succeeded\". Read SO_ERROR to know how it ended.".into(),

        Say::Triggered { edge, read, second, left } => format!(
            "{}: recv() took {read} bytes; the second wait reported {second} socket(s); the next recv() found {left} bytes",
            if *edge { "edge-triggered (EPOLLET)" } else { "level-triggered" }
        ),
        Say::TriggeredLesson => "Edge-triggered epoll reports a change, not a state: after each report, read (and write) until EAGAIN, or what is left waits unseen. Level-triggered (and poll) reports the state at every wait.".into(),
        Say::EpollIsLinuxs => "epoll is Linux's: this example runs there only.".into(),

        Say::TimeWaitRound {
            old_reuse,
            new_reuse,
            left_behind,
            rebind,
        } => {
            let left = left_behind.map_or_else(|| "nothing".to_string(), |s| s.to_string());
            let rebind = match rebind {
                Ok(()) => "bind() = 0: restarted".to_string(),
                Err(errno) => format!("bind() = -1 {errno}"),
            };
            format!(
                "old {}, new {}: the kernel held {left}; {rebind}",
                reuse_address(*old_reuse),
                reuse_address(*new_reuse)
            )
        }
        Say::TimeWaitLesson => "Set SO_REUSEADDR before bind, in every server: a port held in TIME_WAIT becomes reusable; a live server on the port still gives EADDRINUSE.".into(),

        Say::SplitMessage { bytes } => {
            format!("a message of {bytes} bytes: 1022 × '-' + \"ação\"")
        }
        Say::SplitChunk {
            number,
            bytes,
            tail,
            error,
        } => {
            let verdict = match error {
                None => "valid UTF-8".to_string(),
                Some(error) => format!("invalid UTF-8: {error}"),
            };
            format!("recv #{number}: {bytes} bytes, ends in …{tail:?} — {verdict}")
        }
        Say::SplitJoined { tail } => format!("joining the bytes before decoding: …{tail:?}"),
        Say::SplitLesson => "Decode the stream, not each chunk: keep an incomplete character for the next recv (as the chat examples' decoder does).".into(),

        Say::WhatTheKernelGot => "what the kernel got:".into(),
        Say::TcpInfoNotReadable => "TCP_INFO not readable".into(),
        Say::StdBindLesson => "With the library the four steps are explicit: Socket::tcp_v4(…)?.reuse_address(true)?.bind(addr)?.listen(128)?".into(),

        Say::SameExchange => {
            "TCP and UDP, the same exchange (server and client on 127.0.0.1, port 0)".into()
        }
        Say::Step(step) => match step {
            Step::ServerPreparation => "server preparation",
            Step::ClientArrives => "the client arrives",
            Step::ServerAccepts => "the server accepts",
            Step::OlaReply => "ola → Servidor recebeu: ola",
            Step::TwoMessages => "two messages: um, dois",
            Step::TheEnd => "the end",
        }
        .into(),
        Say::WholeTrace { transport } => format!("{transport}: the whole trace"),
        Say::TheDifferences => "the differences".into(),
        Say::SystemCalls { tcp, udp } => format!("- system calls: TCP {tcp}, UDP {udp}"),
        Say::UdpMadeNo(call) => {
            let why = match call {
                Skipped::ReuseAddress => "setsockopt(SO_REUSEADDR): UDP leaves no TIME_WAIT behind; there is nothing to reuse",
                Skipped::Listen => "listen(): UDP has no queue of connections; a bound socket receives datagrams already",
                Skipped::Accept => "accept(): no new socket per client; the server knows a client by its first datagram",
                Skipped::Connect => "connect(): no three-way handshake; the first sendto carries the message already",
                Skipped::Shutdown => "shutdown()/FIN: nothing announces the end; close just releases the descriptor",
            };
            format!("- UDP made no {why}")
        }
        Say::RecvReturnedZero { tcp, udp } => {
            format!("- recv returning 0 (the peer's FIN): TCP {tcp}, UDP {udp}")
        }
        Say::Boundaries { tcp, udp } => format!("- boundaries: TCP {tcp}; UDP {udp}"),
    }
}

const USAGE_SERVIDOR: &str = "\
Usage: servidor [HOST] [PORT] [--backlog N] [--max-clients N] [--idle-timeout SECS]
                [--send-timeout SECS]

The report's chat server (servidor.py), on socket-lifecycle.
The console goes to standard output; the lifecycle trace to standard error
(RUST_LOG=debug for more detail).

  HOST                  address to listen on (default 0.0.0.0: every interface)
  PORT                  TCP port (default 8888; 0: the kernel picks a free one)
  --backlog N           the listen() queue of ready connections (default 5)
  --max-clients N       clients served at once (default 100); others wait in
                        the listen() queue until a slot frees
  --idle-timeout SECS   disconnect a client silent for SECS seconds
                        (SO_RCVTIMEO; off by default)
  --send-timeout SECS   disconnect a client that reads none of its replies
                        for SECS seconds once the buffers are full
                        (SO_SNDTIMEO; default 10; off: no limit)
  -h, --help            this help

Ctrl+C (or SIGTERM) stops the server.";

const USAGE_SERVIDOR_POLL: &str = "\
Usage: servidor_poll [HOST] [PORT] [--backlog N]

The report's chat server, same protocol and console texts, serving every
client from one thread: non-blocking sockets and a poll() loop. The console
goes to standard output; the lifecycle trace to standard error
(RUST_LOG=debug for more detail).

  HOST          address to listen on (default 0.0.0.0: every interface)
  PORT          TCP port (default 8888; 0: the kernel picks a free one)
  --backlog N   the listen() queue of ready connections (default 5)
  -h, --help    this help

Ctrl+C stops the server.";

const USAGE_CLIENTE: &str = "\
Usage: cliente [HOST] [PORT]

The report's chat client (cliente.py), on socket-lifecycle.
The console goes to standard output; the lifecycle trace to standard error
(RUST_LOG=debug for more detail).

  HOST         the server's address (default 127.0.0.1)
  PORT         the server's TCP port (default 8888)
  -h, --help   this help

Type 'sair' (or Ctrl+D) to leave.";

const USAGE_UDP_SERVIDOR: &str = "\
Usage: udp_servidor [HOST] [PORT]

The report's chat server, over UDP (datagrams, no connection).
The console goes to standard output; the lifecycle trace to standard error
(RUST_LOG=debug for more detail).

  HOST         address to receive on (default 0.0.0.0: every interface)
  PORT         UDP port (default 8888; 0: the kernel picks a free one)
  -h, --help   this help

Ctrl+C stops the server.";

const USAGE_UDP_CLIENTE: &str = "\
Usage: udp_cliente [HOST] [PORT] [--timeout SECS]

The report's chat client, over UDP (datagrams, no connection).
The console goes to standard output; the lifecycle trace to standard error
(RUST_LOG=debug for more detail).

  HOST             the server's address (default 127.0.0.1)
  PORT             the server's UDP port (default 8888)
  --timeout SECS   how long to wait for each reply (default 5; SO_RCVTIMEO)
  -h, --help       this help

Type 'sair' (or Ctrl+D) to leave.";
