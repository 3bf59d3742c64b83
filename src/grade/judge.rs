//! Judging a recorded trace by the lifecycle [`Check`]s: each socket's
//! steps, in order, held against each rule. Pure: events in, findings out.

use std::sync::Arc;

use crate::check::{Check, Finding};
use crate::errno::Cause;
use crate::event::{Call, Event, Outcome, SocketOption, Transport};
use crate::render::phrase::{End, end};

/// One socket's life in a trace: its label and its steps, in order, from
/// `socket()` (or the `accept` that made it) to `close`.
struct Life<'a> {
    label: Arc<str>,
    steps: Vec<&'a Event>,
    /// Made by a listener's `accept`.
    accepted: bool,
}

/// Every finding of every check on `events` (from
/// [`crate::Recorder::events`]), in the order of [`Check::ALL`].
///
/// ```
/// use socket_lifecycle::grade::{judge, Check};
/// use socket_lifecycle::{Recorder, Socket};
///
/// let recorder = Recorder::new();
/// let forgotten = Socket::tcp_v4(recorder.tracer("cliente"))?;
/// std::mem::forget(forgotten); // never closed
/// let findings = judge(&recorder.events());
/// assert_eq!(findings[0].check, Check::EverySocketClosed);
/// # Ok::<(), socket_lifecycle::Error>(())
/// ```
pub fn judge(events: &[Event]) -> Vec<Finding> {
    let lives = lives(events);
    Check::ALL
        .into_iter()
        .flat_map(|check| {
            lives
                .iter()
                .filter_map(move |life| broken_at(check, life).map(|at| (check, life, at)))
        })
        .map(|(check, life, at)| Finding {
            check,
            socket: life.label.clone(),
            at: life.steps[at].clone(),
            steps: life.steps[..=at].iter().map(|&e| e.clone()).collect(),
        })
        .collect()
}

/// The sockets' lives, in the order their first steps happened (a
/// [`crate::Poll`]'s waits, which belong to no socket, left out). A label's
/// steps start a new life at each `socket()`; an accepted socket's life
/// starts with its first step.
fn lives(events: &[Event]) -> Vec<Life<'_>> {
    // The library's own wait over several sockets is no socket's step.
    let mut sorted: Vec<&Event> = events
        .iter()
        .filter(|e| !matches!(e.call, Call::Wait { .. }) || e.waits_on_itself())
        .collect();
    sorted.sort_by_key(|e| e.seq);
    let accepted: Vec<&Arc<str>> = sorted
        .iter()
        .filter_map(|e| match &e.call {
            Call::Accept {
                child: Some(child), ..
            } => Some(child),
            _ => None,
        })
        .collect();
    let mut lives: Vec<Life> = Vec::new();
    for event in sorted {
        let open = lives
            .iter_mut()
            .rev()
            .find(|life| life.label == event.socket)
            .filter(|_| !matches!(event.call, Call::Socket { .. }))
            .filter(|life| {
                !life
                    .steps
                    .iter()
                    .any(|s| matches!(s.call, Call::Close { .. }))
            });
        match open {
            Some(life) => life.steps.push(event),
            None => lives.push(Life {
                label: event.socket.clone(),
                steps: vec![event],
                accepted: accepted.contains(&&event.socket),
            }),
        }
    }
    lives
}

/// Where `life` breaks `check`: the index of the step it points at.
fn broken_at(check: Check, life: &Life) -> Option<usize> {
    let steps = &life.steps;
    let ok = |e: &Event| matches!(e.outcome, Outcome::Returned(_));
    let position = |wanted: &dyn Fn(&Event) -> bool| steps.iter().position(|e| wanted(e));
    match check {
        Check::ReuseAddressBeforeBind => {
            position(&|e| ok(e) && matches!(e.call, Call::Listen { .. }))?;
            let bind = position(&|e| ok(e) && matches!(e.call, Call::Bind { .. }))?;
            let reuse = |e: &&Event| {
                ok(e)
                    && matches!(
                        e.call,
                        Call::SetOption {
                            option: SocketOption::ReuseAddress(true)
                        }
                    )
            };
            (!steps[..bind].iter().any(reuse)).then_some(bind)
        }
        Check::EverySocketClosed => {
            let made = life.accepted || steps.first().is_some_and(|e| ok(e));
            let closed = steps.iter().any(|e| matches!(e.call, Call::Close { .. }));
            (made && !closed).then_some(steps.len() - 1)
        }
        Check::EndOfStreamClosed => {
            let end = position(&|e| {
                ok(e) && ended(e) && end_of(e).is_some_and(|end| end != End::OwnShutdown)
            })?;
            let next = steps.get(end + 1)?;
            let closes = matches!(next.call, Call::Close { .. } | Call::Shutdown { .. });
            (!closes).then_some(end + 1)
        }
        Check::ShortSendCompleted => steps.iter().enumerate().find_map(|(i, e)| {
            let (Call::Send { len, .. }, Outcome::Returned(sent)) = (&e.call, e.outcome) else {
                return None;
            };
            let rest = len.checked_sub(usize::try_from(sent).ok()?)?;
            if sent <= 0 || rest == 0 {
                return None;
            }
            let next_send = steps[i + 1..]
                .iter()
                .find(|e| matches!(e.call, Call::Send { .. }));
            let completes =
                next_send.is_some_and(|e| matches!(e.call, Call::Send { len, .. } if len == rest));
            (!completes).then_some(i)
        }),
        Check::NothingAfterFailure => steps.iter().enumerate().find_map(|(i, e)| {
            let for_good = e.cause().is_some_and(|cause| ends_the_socket(e, cause));
            let next = steps.get(i + 1)?;
            let closing = matches!(next.call, Call::Close { .. } | Call::Shutdown { .. });
            (for_good && !closing).then_some(i + 1)
        }),
        Check::AcceptAfterListen => {
            let listened = position(&|e| ok(e) && matches!(e.call, Call::Listen { .. }));
            let accept = position(&|e| matches!(e.call, Call::Accept { .. }))?;
            listened.is_none_or(|l| l > accept).then_some(accept)
        }
        Check::ServerAnswersFin => {
            if !life.accepted {
                return None;
            }
            let fin = position(&|e| ok(e) && ended(e) && end_of(e) == Some(End::PeerFin))?;
            let answered = steps[fin..]
                .iter()
                .any(|e| matches!(e.call, Call::Close { .. }));
            (!answered).then_some(fin)
        }
    }
}

/// Whether `event` is a TCP `recv` that returned 0 into a real buffer.
fn ended(event: &Event) -> bool {
    matches!(event.call, Call::Recv { capacity, .. } if capacity > 0)
        && event.outcome == Outcome::Returned(0)
}

/// Why a TCP `recv` returned 0, from its facts.
fn end_of(event: &Event) -> Option<End> {
    match &event.call {
        Call::Recv { connection, .. } => Some(end(event, *connection)),
        _ => None,
    }
}

/// Whether a failure with `cause` leaves the socket good for nothing but
/// `close`: not a time limit, not "nothing ready yet", not a descriptor
/// shortage that may pass, and not UDP's normal answer to `shutdown`.
fn ends_the_socket(event: &Event, cause: Cause) -> bool {
    let udp_shutdown = event.transport == Transport::Udp
        && matches!(event.call, Call::Shutdown { .. })
        && cause == Cause::NotConnected;
    // A failed accept is about the connection it would have taken (it gave
    // up, or a signal came): the listener goes on, unless it stopped listening.
    let accept_retry = matches!(event.call, Call::Accept { .. }) && cause != Cause::NotListening;
    !udp_shutdown
        && !accept_retry
        && !matches!(
            cause,
            Cause::TimedOut
                | Cause::WouldBlock
                | Cause::TooManyFiles
                | Cause::ZeroTimeout
                | Cause::Other
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Socket;
    use crate::trace::Recorder;

    /// `accept` before `listen` does not compile on the typestate API, so
    /// the rule is held against a real trace with its `listen` taken out —
    /// what a program traced from outside would show.
    #[test]
    fn accept_without_listen_is_found() {
        let recorder = Recorder::new();
        let listener = Socket::tcp_v4(recorder.tracer("servidor"))
            .and_then(|s| s.bind("127.0.0.1:0".parse().expect("an address")))
            .and_then(|s| s.listen(5))
            .expect("a listener");
        let addr = listener.local_addr().expect("its address");
        let client = Socket::tcp_v4(recorder.tracer("cliente"))
            .and_then(|s| s.connect(addr))
            .expect("a connection");
        let (conn, _) = listener.accept().expect("an accepted connection");
        drop((client, conn, listener));
        let events = recorder.events();
        assert!(
            judge(&events)
                .iter()
                .all(|f| f.check != Check::AcceptAfterListen)
        );
        let without_listen: Vec<Event> = events
            .into_iter()
            .filter(|e| !matches!(e.call, Call::Listen { .. }))
            .collect();
        let found: Vec<Finding> = judge(&without_listen)
            .into_iter()
            .filter(|f| f.check == Check::AcceptAfterListen)
            .collect();
        assert_eq!(found.len(), 1);
        assert!(matches!(found[0].at.call, Call::Accept { .. }));
    }
}
