//! The words: every narration and every hint, in Brazilian Portuguese and in
//! English. A second language is a second column of these tables; the events
//! and their strace renderings never change with the language.

use std::net::Shutdown;
use std::sync::OnceLock;

use crate::error::Cause;
use crate::kernel::TcpState;
use crate::trace::{Call, Event, Outcome, Redaction, StateName, Transport};

/// The language of narrations and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Brazilian Portuguese, the language of the report the library rebuilds.
    Pt,
    /// English.
    En,
}

impl Lang {
    /// No system call: the language the environment asks for, read once.
    ///
    /// `SOCKET_LIFECYCLE_LANG=pt|en` wins; otherwise the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set decides: Portuguese when it starts
    /// with `pt`, English otherwise.
    pub fn from_env() -> Lang {
        static LANG: OnceLock<Lang> = OnceLock::new();
        *LANG.get_or_init(|| {
            let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
            let chosen = var("SOCKET_LIFECYCLE_LANG")
                .or_else(|| var("LC_ALL"))
                .or_else(|| var("LC_MESSAGES"))
                .or_else(|| var("LANG"));
            match chosen {
                Some(value) if value.to_ascii_lowercase().starts_with("pt") => Lang::Pt,
                _ => Lang::En,
            }
        })
    }
}

/// Picks the Portuguese or the English text.
fn say(lang: Lang, pt: String, en: String) -> String {
    match lang {
        Lang::Pt => pt,
        Lang::En => en,
    }
}

/// The one-line narration of an event.
pub(crate) fn narrate(event: &Event, lang: Lang, r: &Redaction) -> String {
    if event.transport == Transport::Udp
        && let Some(text) = udp_narration(event, lang, r)
    {
        return text;
    }
    let returned = match event.outcome {
        Outcome::Returned(value) => value,
        Outcome::Failed(errno) => {
            let addr = match &event.call {
                Call::Bind { addr } | Call::Connect { addr } => Some(*addr),
                Call::SendTo { to: Some(to), .. } => Some(*to),
                _ => event.local,
            };
            let addr = addr.map(|a| r.addr(&a));
            return hint(Cause::of(event.call.name(), errno), addr.as_deref(), lang);
        }
    };
    let local = event.local.map(|a| r.addr(&a)).unwrap_or_default();
    let peer = event.peer.map(|a| r.addr(&a)).unwrap_or_default();
    match &event.call {
        Call::Socket {
            transport: Transport::Udp,
            ..
        } => say(
            lang,
            "socket(): um novo ponto de comunicação UDP, ainda sem endereço; UDP não tem conexão: cada datagrama leva o seu destino".into(),
            "socket(): a new UDP endpoint, not yet tied to any address; UDP has no connection: each datagram carries its destination".into(),
        ),
        Call::Socket { .. } => say(
            lang,
            "socket(): um novo ponto de comunicação TCP, ainda sem endereço".into(),
            "socket(): a new TCP endpoint, not yet tied to any address".into(),
        ),
        Call::ReuseAddress { on: true } => say(
            lang,
            "SO_REUSEADDR ligado: o bind poderá reutilizar uma porta presa a conexões antigas em TIME_WAIT".into(),
            "SO_REUSEADDR on: bind may reuse a port still held by old connections in TIME_WAIT".into(),
        ),
        Call::ReuseAddress { on: false } => say(
            lang,
            "SO_REUSEADDR desligado: uma porta com conexões em TIME_WAIT fica indisponível".into(),
            "SO_REUSEADDR off: a port with connections in TIME_WAIT stays unavailable".into(),
        ),
        Call::ReadTimeout { timeout: Some(d) } => say(
            lang,
            format!("leituras desistem após {:.1} s sem dados (EAGAIN)", d.as_secs_f64()),
            format!("reads give up after {:.1} s without data (EAGAIN)", d.as_secs_f64()),
        ),
        Call::ReadTimeout { timeout: None } => say(
            lang,
            "leituras esperam sem limite de tempo".into(),
            "reads wait with no time limit".into(),
        ),
        Call::Bind { addr } if addr.port() == 0 => say(
            lang,
            format!("bind(): associado a {local}; a porta 0 pediu ao kernel uma porta livre"),
            format!("bind(): bound to {local}; port 0 asked the kernel for a free port"),
        ),
        Call::Bind { .. } => say(
            lang,
            format!("bind(): associado a {local}"),
            format!("bind(): bound to {local}"),
        ),
        Call::Listen { backlog } => say(
            lang,
            format!(
                "listen(): escutando em {local}; o kernel faz os handshakes sozinho e guarda até {backlog} conexões prontas para o accept()"
            ),
            format!(
                "listen(): listening on {local}; the kernel completes handshakes by itself and queues up to {backlog} ready connections for accept()"
            ),
        ),
        Call::Accept { child, peer } => {
            let child = child.as_deref().unwrap_or("?");
            let peer = peer.map(|a| r.addr(&a)).unwrap_or_default();
            say(
                lang,
                format!(
                    "accept(): tirou da fila a conexão de {peer}, cujo three-way handshake o kernel já completou; ela é o novo socket {child}"
                ),
                format!(
                    "accept(): took the connection from {peer} off the queue, its three-way handshake already done by the kernel; it is the new socket {child}"
                ),
            ) + &accept_queue(event, lang)
        }
        Call::Connect { .. } => say(
            lang,
            format!("connect(): three-way handshake (SYN → SYN-ACK → ACK) concluído: {local} → {peer}"),
            format!("connect(): three-way handshake (SYN → SYN-ACK → ACK) done: {local} → {peer}"),
        ),
        Call::Send { .. } => say(
            lang,
            format!("send(): {returned} bytes entregues ao buffer de envio do kernel; o TCP os leva em ordem"),
            format!("send(): {returned} bytes handed to the kernel's send buffer; TCP delivers them in order"),
        ),
        Call::Recv { .. } if returned == 0 => say(
            lang,
            "recv() devolveu 0: o outro lado fechou a sua metade (o FIN dele chegou)".into(),
            "recv() returned 0: the peer closed its half (its FIN arrived)".into(),
        ),
        Call::Recv { .. } => say(
            lang,
            format!(
                "recv(): {returned} bytes recebidos; TCP é um fluxo de bytes, sem fronteiras de mensagem"
            ),
            format!("recv(): {returned} bytes received; TCP is a byte stream, with no message boundaries"),
        ),
        Call::Shutdown { how: Shutdown::Write } => say(
            lang,
            "shutdown(SHUT_WR): FIN enviado; este lado não envia mais, mas ainda lê".into(),
            "shutdown(SHUT_WR): FIN sent; this side sends no more but can still read".into(),
        ),
        Call::Shutdown { how: Shutdown::Read } => say(
            lang,
            "shutdown(SHUT_RD): este lado não lê mais".into(),
            "shutdown(SHUT_RD): this side reads no more".into(),
        ),
        Call::Shutdown { how: Shutdown::Both } => say(
            lang,
            "shutdown(SHUT_RDWR): as duas direções fechadas; um accept() ou recv() bloqueado acorda".into(),
            "shutdown(SHUT_RDWR): both directions shut; a blocked accept() or recv() wakes up".into(),
        ),
        // Only UDP sockets make these calls: narrated above.
        Call::SendTo { .. } | Call::RecvFrom { .. } => {
            udp_narration(event, lang, r).unwrap_or_default()
        }
        Call::Close => close_narration(event, lang),
        Call::ProcLookup => lingering_narration(event.lingering, lang),
    }
}

/// What the listener's accept queue looks like after an accept, when there
/// is something to say: others waiting, or a queue so full that the kernel
/// drops new handshakes.
fn accept_queue(event: &Event, lang: Lang) -> String {
    let Some((queue, limit)) = event
        .tcp
        .and_then(|info| Some((info.accept_queue?, info.accept_queue_limit?)))
    else {
        return String::new();
    };
    if queue >= limit {
        say(
            lang,
            format!(
                ". A fila de aceitação está cheia ({queue}/{limit}): o kernel descarta novos handshakes até o accept() abrir espaço, e cada cliente descartado espera cerca de 1 s para tentar de novo; um backlog maior no listen() evita isso"
            ),
            format!(
                ". The accept queue is full ({queue}/{limit}): the kernel drops new handshakes until accept() makes room, and each dropped client waits about 1 s to retry; a bigger backlog in listen() avoids that"
            ),
        )
    } else if queue > 0 {
        say(
            lang,
            format!(". Ainda há {queue} conexão(ões) na fila (limite {limit})"),
            format!(". {queue} more connection(s) wait in the queue (limit {limit})"),
        )
    } else {
        String::new()
    }
}

/// The narrations that differ for UDP: its own calls (`sendto` with an
/// address, `recvfrom` with a sender), and the calls whose meaning changes
/// without a connection (`connect`, `shutdown`, `close`). `None`: the
/// common narration applies.
fn udp_narration(event: &Event, lang: Lang, r: &Redaction) -> Option<String> {
    let local = event.local.map(|a| r.addr(&a)).unwrap_or_default();
    let peer = event.peer.map(|a| r.addr(&a)).unwrap_or_default();
    let text = match (&event.call, event.outcome) {
        (Call::Connect { .. }, Outcome::Returned(_)) => say(
            lang,
            format!(
                "connect() em UDP: nenhum pacote sai, não há handshake; o kernel só fixa o destino {peer} (send/recv passam a falar só com ele) e o endereço local {local}"
            ),
            format!(
                "connect() on UDP: no packet leaves, there is no handshake; the kernel only fixes the peer {peer} (send/recv now talk to it alone) and the local address {local}"
            ),
        ),
        (Call::SendTo { len, to, .. }, Outcome::Returned(_)) => {
            let to = to.map(|a| r.addr(&a)).unwrap_or_else(|| peer.clone());
            let (bound_pt, bound_en) = match (event.before, event.after) {
                (Some(StateName::Created), StateName::Bound) => (
                    format!("; o socket não tinha endereço: o kernel o associou a {local} (porta efêmera)"),
                    format!("; the socket had no address: the kernel bound it to {local} (an ephemeral port)"),
                ),
                _ => (String::new(), String::new()),
            };
            say(
                lang,
                format!(
                    "sendto(): um datagrama de {len} bytes para {to}, inteiro ou nada; sem conexão, sem confirmação de entrega{bound_pt}"
                ),
                format!(
                    "sendto(): one datagram of {len} bytes to {to}, whole or not at all; no connection, no delivery receipt{bound_en}"
                ),
            )
        }
        (Call::RecvFrom { from: None, .. }, Outcome::Returned(_)) => say(
            lang,
            "recvfrom() devolveu 0 sem remetente: não é um datagrama, o socket foi fechado para leitura (shutdown)".into(),
            "recvfrom() returned 0 with no sender: not a datagram, the socket was shut for reading (shutdown)".into(),
        ),
        (
            Call::RecvFrom {
                from: Some(from),
                capacity,
                ..
            },
            Outcome::Returned(size),
        ) => {
            let from = r.addr(from);
            let size = usize::try_from(size).unwrap_or(0);
            if size > *capacity {
                say(
                    lang,
                    format!(
                        "recvfrom(): datagrama de {from} TRUNCADO: {capacity} de {size} bytes mantidos (o buffer tem {capacity}); MSG_TRUNC fez o kernel devolver o tamanho real, e o resto se perdeu"
                    ),
                    format!(
                        "recvfrom(): datagram from {from} TRUNCATED: {capacity} of {size} bytes kept (the buffer holds {capacity}); MSG_TRUNC made the kernel return the real size, and the rest is lost"
                    ),
                )
            } else if size == 0 {
                say(
                    lang,
                    format!("recvfrom(): um datagrama vazio de {from}; em UDP, 0 bytes é uma mensagem, não o fim"),
                    format!("recvfrom(): an empty datagram from {from}; in UDP, 0 bytes is a message, not the end"),
                )
            } else {
                say(
                    lang,
                    format!(
                        "recvfrom(): um datagrama inteiro de {size} bytes de {from}; UDP preserva as fronteiras: um sendto, um recvfrom"
                    ),
                    format!(
                        "recvfrom(): one whole datagram of {size} bytes from {from}; UDP keeps message boundaries: one sendto, one recvfrom"
                    ),
                )
            }
        }
        (Call::RecvFrom { .. }, Outcome::Failed(libc::EAGAIN)) => say(
            lang,
            "nenhum datagrama chegou dentro do limite de SO_RCVTIMEO (EAGAIN): em UDP, um servidor ausente não dá sinal — nem RST, nem conexão recusada — só silêncio".into(),
            "no datagram arrived within the SO_RCVTIMEO limit (EAGAIN): in UDP a missing server gives no sign — no RST, no refused connection — only silence".into(),
        ),
        (Call::Shutdown { .. }, _) => say(
            lang,
            "shutdown() em UDP: nenhum FIN, não há conexão; sem conexão o Linux responde ENOTCONN, mas marca o socket e acorda um recvfrom bloqueado".into(),
            "shutdown() on UDP: no FIN, there is no connection; unconnected, Linux answers ENOTCONN, yet marks the socket and wakes a blocked recvfrom".into(),
        ),
        (Call::Close, Outcome::Returned(_)) => say(
            lang,
            "close(): descritor liberado; UDP não tem conexão a encerrar: nenhum FIN, nada fica no kernel".into(),
            "close(): descriptor released; UDP has no connection to end: no FIN, nothing lingers in the kernel".into(),
        ),
        _ => return None,
    };
    Some(text)
}

fn close_narration(event: &Event, lang: Lang) -> String {
    if event.peer.is_none() {
        return say(
            lang,
            "close(): descritor liberado; o socket deixa de existir".into(),
            "close(): descriptor released; the socket is gone".into(),
        );
    }
    let after = match event.lingering {
        Some(TcpState::FinWait1 | TcpState::FinWait2) => say(
            lang,
            "este lado fechou primeiro: o FIN dele partiu e o kernel aguarda o FIN do outro lado".into(),
            "this side closed first: its FIN left and the kernel waits for the peer's FIN".into(),
        ),
        Some(TcpState::TimeWait) => say(
            lang,
            "a troca de FINs terminou; o kernel guarda a conexão em TIME_WAIT".into(),
            "the FIN exchange is over; the kernel keeps the connection in TIME_WAIT".into(),
        ),
        Some(TcpState::CloseWait) | Some(TcpState::Established) => say(
            lang,
            "o kernel envia o FIN deste lado por conta própria".into(),
            "the kernel sends this side's FIN on its own".into(),
        ),
        // LAST_ACK, or already gone: which one depends on how fast the last
        // ACK arrives, so both read the same.
        _ => say(
            lang,
            "o outro lado já tinha fechado: o FIN deste lado responde ao dele e o kernel esquece a conexão ao chegar o último ACK".into(),
            "the peer had closed already: this side's FIN answers its FIN, and the kernel forgets the connection when the last ACK arrives".into(),
        ),
    };
    say(
        lang,
        format!("close(): descritor liberado; {after}"),
        format!("close(): descriptor released; {after}"),
    )
}

fn lingering_narration(state: Option<TcpState>, lang: Lang) -> String {
    match state {
        Some(TcpState::TimeWait) => say(
            lang,
            "depois do close, o kernel ainda guarda a conexão em TIME_WAIT: quem fecha primeiro espera 2×MSL (60 s no Linux) para que segmentos atrasados morram".into(),
            "after close, the kernel still keeps the connection in TIME_WAIT: the side that closes first waits 2×MSL (60 s on Linux) so that late segments die out".into(),
        ),
        Some(state) => say(
            lang,
            format!("depois do close, o kernel ainda guarda a conexão em {state}"),
            format!("after close, the kernel still keeps the connection in {state}"),
        ),
        None => say(
            lang,
            "depois do close, o kernel já esqueceu a conexão".into(),
            "after close, the kernel has forgotten the connection".into(),
        ),
    }
}

/// The one-line advice for a failure, naming the address when there is one.
pub(crate) fn hint(cause: Cause, addr: Option<&str>, lang: Lang) -> String {
    let at = addr.unwrap_or("?");
    match cause {
        Cause::NoListener => say(
            lang,
            format!("ninguém escuta em {at}: inicie o servidor primeiro, ou confira host e porta"),
            format!("nobody is listening on {at}: start the server first, or check host and port"),
        ),
        Cause::PortInUse => say(
            lang,
            format!(
                "outro socket já ocupa {at}: encerre o outro programa ou use outra porta (SO_REUSEADDR só libera portas presas em TIME_WAIT, não um servidor vivo)"
            ),
            format!(
                "another socket already holds {at}: stop the other program or pick another port (SO_REUSEADDR only frees ports held in TIME_WAIT, not a live server)"
            ),
        ),
        Cause::Permission => say(
            lang,
            format!("sem permissão para {at}: portas abaixo de 1024 exigem privilégios; use uma porta ≥ 1024, como 8888"),
            format!("no permission for {at}: ports below 1024 need privileges; use a port ≥ 1024, such as 8888"),
        ),
        Cause::BrokenPipe => say(
            lang,
            "o outro lado já fechou a conexão (broken pipe): pare de enviar e feche o socket".into(),
            "the peer has already closed the connection (broken pipe): stop sending and close the socket".into(),
        ),
        Cause::Reset => say(
            lang,
            "o outro lado derrubou a conexão (RST): ele caiu ou fechou com dados não lidos; feche este socket".into(),
            "the peer reset the connection (RST): it crashed or closed with unread data; close this socket".into(),
        ),
        Cause::TimedOut => say(
            lang,
            "tempo esgotado: nada chegou a tempo; o outro lado pode estar parado ou fora do ar".into(),
            "timed out: nothing arrived in time; the peer may be silent or down".into(),
        ),
        Cause::OutOfOrder => say(
            lang,
            "chamada fora de ordem para o estado deste socket no kernel (EINVAL): confira a sequência socket → bind → listen → accept".into(),
            "call out of order for this socket's state in the kernel (EINVAL): check the sequence socket → bind → listen → accept".into(),
        ),
        Cause::NotListening => say(
            lang,
            "o socket deixou de escutar (um shutdown o encerrou, como no Ctrl+C): o accept() não tem mais o que esperar".into(),
            "the socket no longer listens (a shutdown ended it, as on Ctrl+C): accept() has nothing left to wait for".into(),
        ),
        Cause::AddressNotAvailable => say(
            lang,
            format!("{at} não pertence a esta máquina: use 127.0.0.1, 0.0.0.0 ou um endereço local"),
            format!("{at} does not belong to this machine: use 127.0.0.1, 0.0.0.0 or a local address"),
        ),
        Cause::Unreachable => say(
            lang,
            format!("não há rota até {at}: confira o endereço e a rede"),
            format!("there is no route to {at}: check the address and the network"),
        ),
        Cause::TooManyFiles => say(
            lang,
            "arquivos abertos demais: feche os sockets que não usa mais".into(),
            "too many open files: close the sockets you no longer use".into(),
        ),
        Cause::NotConnected => say(
            lang,
            "o socket não está (mais) conectado".into(),
            "the socket is not connected (any more)".into(),
        ),
        Cause::Other => say(
            lang,
            "erro inesperado: veja o manual da chamada (man 2) e o errno".into(),
            "unexpected error: see the call's manual page (man 2) and the errno".into(),
        ),
    }
}
