//! The words: every narration and every hint, in Brazilian Portuguese and in
//! English. A second language is a second column of these tables; the events
//! and their strace renderings never change with the language.
//!
//! ```
//! use socket_lifecycle::{Lang, Recorder, Socket};
//!
//! let recorder = Recorder::new();
//! Socket::tcp_v4(recorder.tracer("cliente"))?;
//! let event = &recorder.events()[0];
//! assert_ne!(event.narration(Lang::Pt), event.narration(Lang::En));
//! assert_eq!(event.line(Lang::Pt).lines().next(), event.line(Lang::En).lines().next());
//! # Ok::<(), socket_lifecycle::Error>(())
//! ```

use std::net::Shutdown;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::Cause;
use crate::kernel::TcpState;
use crate::trace::{Call, Event, Outcome, Redaction, StateName, Transport};

/// The language of narrations and hints.
///
/// Every renderer takes one explicitly ([`crate::Recorder::render`],
/// [`crate::Event::narration`], [`crate::Error::message`], the diagrams);
/// the places that cannot take one — log lines and `Error`'s `Display` — use
/// [`Lang::current`]: the language set with [`Lang::set_default`], or else
/// the one the environment asks for ([`Lang::from_env`]). The strace
/// rendering of a call is the same in every language.
///
/// ```
/// use socket_lifecycle::Lang;
///
/// assert_eq!("pt_BR.UTF-8".parse::<Lang>(), Ok(Lang::Pt));
/// assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
/// assert_eq!(Lang::Pt.code(), "pt");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Brazilian Portuguese, the language of the report the library rebuilds.
    Pt,
    /// English.
    En,
}

/// The language set by [`Lang::set_default`]: 0 while unset.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

impl Lang {
    /// No system call: the text of this language out of a Portuguese and an
    /// English one — what programs built on the library use for their own
    /// words.
    ///
    /// ```
    /// use socket_lifecycle::Lang;
    /// assert_eq!(Lang::Pt.pick("Servidor encerrado", "Server stopped"), "Servidor encerrado");
    /// ```
    pub fn pick<'a>(self, pt: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Pt => pt,
            Lang::En => en,
        }
    }

    /// Both languages, Portuguese first.
    ///
    /// ```
    /// # use socket_lifecycle::Lang;
    /// for lang in Lang::ALL {
    ///     println!("{}", lang.code());
    /// }
    /// ```
    pub const ALL: [Lang; 2] = [Lang::Pt, Lang::En];

    /// No system call: the language the environment asks for, read once
    /// (the answer is cached for the life of the process).
    ///
    /// `SOCKET_LIFECYCLE_LANG=pt|en` wins; otherwise the first of `LC_ALL`,
    /// `LC_MESSAGES`, `LANG` that is set decides: Portuguese when it starts
    /// with `pt`, English otherwise. [`Lang::from_vars`] is the same decision
    /// over any set of variables.
    ///
    /// ```
    /// let lang = socket_lifecycle::Lang::from_env();
    /// println!("narrating in {}", lang.code());
    /// ```
    pub fn from_env() -> Lang {
        static LANG: OnceLock<Lang> = OnceLock::new();
        *LANG.get_or_init(|| Lang::from_vars(|name| std::env::var(name).ok()))
    }

    /// No system call: the decision [`Lang::from_env`] makes, over variables
    /// looked up by `var` (an empty value counts as unset).
    ///
    /// ```
    /// use socket_lifecycle::Lang;
    ///
    /// let env = |pairs: &'static [(&'static str, &'static str)]| {
    ///     move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    /// };
    /// assert_eq!(Lang::from_vars(env(&[("LANG", "pt_BR.UTF-8")])), Lang::Pt);
    /// assert_eq!(Lang::from_vars(env(&[("LANG", "C.UTF-8")])), Lang::En);
    /// // The library's own variable wins over the locale.
    /// assert_eq!(
    ///     Lang::from_vars(env(&[("SOCKET_LIFECYCLE_LANG", "en"), ("LC_ALL", "pt_BR.UTF-8")])),
    ///     Lang::En
    /// );
    /// assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    /// ```
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        let var = |name: &str| var(name).filter(|v| !v.is_empty());
        let chosen = var("SOCKET_LIFECYCLE_LANG")
            .or_else(|| var("LC_ALL"))
            .or_else(|| var("LC_MESSAGES"))
            .or_else(|| var("LANG"));
        match chosen {
            Some(value) if value.to_ascii_lowercase().starts_with("pt") => Lang::Pt,
            _ => Lang::En,
        }
    }

    /// No system call: sets the language of log lines and of `Error`'s
    /// `Display` for the whole process, over what the environment says.
    ///
    /// ```
    /// use socket_lifecycle::Lang;
    ///
    /// Lang::set_default(Lang::Pt);
    /// assert_eq!(Lang::current(), Lang::Pt);
    /// ```
    pub fn set_default(lang: Lang) {
        let code = match lang {
            Lang::Pt => 1,
            Lang::En => 2,
        };
        CHOSEN.store(code, Ordering::Relaxed);
    }

    /// No system call: the language set with [`Lang::set_default`], or else
    /// [`Lang::from_env`]'s.
    ///
    /// ```
    /// let lang = socket_lifecycle::Lang::current();
    /// # let _ = lang;
    /// ```
    pub fn current() -> Lang {
        match CHOSEN.load(Ordering::Relaxed) {
            1 => Lang::Pt,
            2 => Lang::En,
            _ => Lang::from_env(),
        }
    }

    /// No system call: the language's code, `pt` or `en`.
    ///
    /// ```
    /// assert_eq!(socket_lifecycle::Lang::En.code(), "en");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }
}

/// A language name [`Lang`] does not know (neither `pt…` nor `en…`).
///
/// ```
/// assert!("fr".parse::<socket_lifecycle::Lang>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl std::fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown language {:?}: use pt or en", self.0)
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// No system call: `pt`, `pt-BR`, `pt_BR.UTF-8`… are Portuguese; `en`,
    /// `en_US.UTF-8`… are English (case does not matter).
    fn from_str(text: &str) -> Result<Lang, UnknownLang> {
        let lower = text.trim().to_ascii_lowercase();
        if lower.starts_with("pt") {
            Ok(Lang::Pt)
        } else if lower.starts_with("en") {
            Ok(Lang::En)
        } else {
            Err(UnknownLang(text.to_string()))
        }
    }
}

/// Picks the Portuguese or the English text, building only the one asked
/// for: `say!(lang, pt, en)`.
macro_rules! say {
    ($lang:expr, $pt:expr, $en:expr $(,)?) => {
        match $lang {
            Lang::Pt => String::from($pt),
            Lang::En => String::from($en),
        }
    };
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
        } => say!(
            lang,
            "socket(): um novo ponto de comunicação UDP, ainda sem endereço; UDP não tem conexão: cada datagrama leva o seu destino",
            "socket(): a new UDP endpoint, not yet tied to any address; UDP has no connection: each datagram carries its destination",
        ),
        Call::Socket { .. } => say!(
            lang,
            "socket(): um novo ponto de comunicação TCP, ainda sem endereço",
            "socket(): a new TCP endpoint, not yet tied to any address",
        ),
        Call::ReuseAddress { on: true } => say!(
            lang,
            "SO_REUSEADDR ligado: o bind poderá reutilizar uma porta presa a conexões antigas em TIME_WAIT",
            "SO_REUSEADDR on: bind may reuse a port still held by old connections in TIME_WAIT",
        ),
        Call::ReuseAddress { on: false } => say!(
            lang,
            "SO_REUSEADDR desligado: uma porta com conexões em TIME_WAIT fica indisponível",
            "SO_REUSEADDR off: a port with connections in TIME_WAIT stays unavailable",
        ),
        Call::ReadTimeout { timeout: Some(d) } => say!(
            lang,
            format!(
                "leituras desistem após {:.1} s sem dados (EAGAIN)",
                d.as_secs_f64()
            ),
            format!(
                "reads give up after {:.1} s without data (EAGAIN)",
                d.as_secs_f64()
            ),
        ),
        Call::ReadTimeout { timeout: None } => say!(
            lang,
            "leituras esperam sem limite de tempo",
            "reads wait with no time limit",
        ),
        Call::Bind { addr } if addr.port() == 0 => say!(
            lang,
            format!("bind(): associado a {local}; a porta 0 pediu ao kernel uma porta livre"),
            format!("bind(): bound to {local}; port 0 asked the kernel for a free port"),
        ),
        Call::Bind { .. } => say!(
            lang,
            format!("bind(): associado a {local}"),
            format!("bind(): bound to {local}"),
        ),
        Call::Listen { backlog } => say!(
            lang,
            format!(
                "listen(): escutando em {local}; o kernel faz os handshakes sozinho e enfileira as conexões prontas para o accept() (backlog {backlog}; o Linux deixa {backlog} + 1 esperando)"
            ),
            format!(
                "listen(): listening on {local}; the kernel completes handshakes by itself and queues ready connections for accept() (backlog {backlog}; Linux lets {backlog} + 1 wait)"
            ),
        ),
        Call::Accept { child, peer } => {
            let child = child.as_deref().unwrap_or("?");
            let peer = peer.map(|a| r.addr(&a)).unwrap_or_default();
            say!(
                lang,
                format!(
                    "accept(): tirou da fila a conexão de {peer}, cujo three-way handshake o kernel já completou; ela é o novo socket {child}"
                ),
                format!(
                    "accept(): took the connection from {peer} off the queue, its three-way handshake already done by the kernel; it is the new socket {child}"
                ),
            ) + &accept_queue(event, lang)
        }
        Call::Connect { .. } => say!(
            lang,
            format!(
                "connect(): three-way handshake (SYN → SYN-ACK → ACK) concluído: {local} → {peer}"
            ),
            format!("connect(): three-way handshake (SYN → SYN-ACK → ACK) done: {local} → {peer}"),
        ),
        Call::Send { .. } => say!(
            lang,
            format!(
                "send(): {returned} bytes entregues ao buffer de envio do kernel; o TCP os leva em ordem"
            ),
            format!(
                "send(): {returned} bytes handed to the kernel's send buffer; TCP delivers them in order"
            ),
        ),
        Call::Recv { .. } if returned == 0 => say!(
            lang,
            "recv() devolveu 0: o outro lado fechou a sua metade (o FIN dele chegou)",
            "recv() returned 0: the peer closed its half (its FIN arrived)",
        ),
        Call::Recv { .. } => say!(
            lang,
            format!(
                "recv(): {returned} bytes recebidos; TCP é um fluxo de bytes, sem fronteiras de mensagem"
            ),
            format!(
                "recv(): {returned} bytes received; TCP is a byte stream, with no message boundaries"
            ),
        ),
        Call::Shutdown {
            how: Shutdown::Write,
        } => say!(
            lang,
            "shutdown(SHUT_WR): FIN enviado; este lado não envia mais, mas ainda lê",
            "shutdown(SHUT_WR): FIN sent; this side sends no more but can still read",
        ),
        Call::Shutdown {
            how: Shutdown::Read,
        } => say!(
            lang,
            "shutdown(SHUT_RD): este lado não lê mais",
            "shutdown(SHUT_RD): this side reads no more",
        ),
        Call::Shutdown {
            how: Shutdown::Both,
        } => say!(
            lang,
            "shutdown(SHUT_RDWR): as duas direções fechadas; um accept() ou recv() bloqueado acorda",
            "shutdown(SHUT_RDWR): both directions shut; a blocked accept() or recv() wakes up",
        ),
        // Only UDP sockets make these calls: narrated above.
        Call::SendTo { .. } | Call::RecvFrom { .. } => {
            udp_narration(event, lang, r).unwrap_or_default()
        }
        Call::Close => close_narration(event, lang),
        Call::KernelLookup => lingering_narration(event.lingering, lang),
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
        say!(
            lang,
            format!(
                ". A fila de aceitação está cheia ({queue}/{limit}): o kernel descarta novos handshakes até o accept() abrir espaço, e cada cliente descartado espera cerca de 1 s para tentar de novo; um backlog maior no listen() evita isso"
            ),
            format!(
                ". The accept queue is full ({queue}/{limit}): the kernel drops new handshakes until accept() makes room, and each dropped client waits about 1 s to retry; a bigger backlog in listen() avoids that"
            ),
        )
    } else if queue > 0 {
        say!(
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
        (Call::Connect { .. }, Outcome::Returned(_)) => say!(
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
                    format!(
                        "; o socket não tinha endereço: o kernel o associou a {local} (porta efêmera)"
                    ),
                    format!(
                        "; the socket had no address: the kernel bound it to {local} (an ephemeral port)"
                    ),
                ),
                _ => (String::new(), String::new()),
            };
            say!(
                lang,
                format!(
                    "sendto(): um datagrama de {len} bytes para {to}, inteiro ou nada; sem conexão, sem confirmação de entrega{bound_pt}"
                ),
                format!(
                    "sendto(): one datagram of {len} bytes to {to}, whole or not at all; no connection, no delivery receipt{bound_en}"
                ),
            )
        }
        (Call::RecvFrom { from: None, .. }, Outcome::Returned(_)) => say!(
            lang,
            "recvfrom() devolveu 0 sem remetente: não é um datagrama, o socket foi fechado para leitura (shutdown)",
            "recvfrom() returned 0 with no sender: not a datagram, the socket was shut for reading (shutdown)",
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
                say!(
                    lang,
                    format!(
                        "recvfrom(): datagrama de {from} TRUNCADO: {capacity} de {size} bytes mantidos (o buffer tem {capacity}); MSG_TRUNC fez o kernel devolver o tamanho real, e o resto se perdeu"
                    ),
                    format!(
                        "recvfrom(): datagram from {from} TRUNCATED: {capacity} of {size} bytes kept (the buffer holds {capacity}); MSG_TRUNC made the kernel return the real size, and the rest is lost"
                    ),
                )
            } else if size == 0 {
                say!(
                    lang,
                    format!(
                        "recvfrom(): um datagrama vazio de {from}; em UDP, 0 bytes é uma mensagem, não o fim"
                    ),
                    format!(
                        "recvfrom(): an empty datagram from {from}; in UDP, 0 bytes is a message, not the end"
                    ),
                )
            } else {
                say!(
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
        (Call::RecvFrom { .. }, Outcome::Failed(libc::EAGAIN)) => say!(
            lang,
            "nenhum datagrama chegou dentro do limite de SO_RCVTIMEO (EAGAIN): em UDP, um servidor ausente não dá sinal — nem RST, nem conexão recusada — só silêncio",
            "no datagram arrived within the SO_RCVTIMEO limit (EAGAIN): in UDP a missing server gives no sign — no RST, no refused connection — only silence",
        ),
        (Call::Shutdown { .. }, _) => say!(
            lang,
            "shutdown() em UDP: nenhum FIN, não há conexão; sem conexão o Linux responde ENOTCONN, mas marca o socket e acorda um recvfrom bloqueado",
            "shutdown() on UDP: no FIN, there is no connection; unconnected, Linux answers ENOTCONN, yet marks the socket and wakes a blocked recvfrom",
        ),
        (Call::Close, Outcome::Returned(_)) => say!(
            lang,
            "close(): descritor liberado; UDP não tem conexão a encerrar: nenhum FIN, nada fica no kernel",
            "close(): descriptor released; UDP has no connection to end: no FIN, nothing lingers in the kernel",
        ),
        _ => return None,
    };
    Some(text)
}

fn close_narration(event: &Event, lang: Lang) -> String {
    if event.peer.is_none() {
        return say!(
            lang,
            "close(): descritor liberado; o socket deixa de existir",
            "close(): descriptor released; the socket is gone",
        );
    }
    let after = match event.lingering {
        Some(TcpState::FinWait1 | TcpState::FinWait2) => say!(
            lang,
            "este lado fechou primeiro: o FIN dele partiu e o kernel aguarda o FIN do outro lado",
            "this side closed first: its FIN left and the kernel waits for the peer's FIN",
        ),
        Some(TcpState::TimeWait) => say!(
            lang,
            "a troca de FINs terminou; o kernel guarda a conexão em TIME_WAIT",
            "the FIN exchange is over; the kernel keeps the connection in TIME_WAIT",
        ),
        Some(TcpState::CloseWait) | Some(TcpState::Established) => say!(
            lang,
            "o kernel envia o FIN deste lado por conta própria",
            "the kernel sends this side's FIN on its own",
        ),
        // LAST_ACK, or already gone: which one depends on how fast the last
        // ACK arrives, so both read the same.
        _ => say!(
            lang,
            "o outro lado já tinha fechado: o FIN deste lado responde ao dele e o kernel esquece a conexão ao chegar o último ACK",
            "the peer had closed already: this side's FIN answers its FIN, and the kernel forgets the connection when the last ACK arrives",
        ),
    };
    say!(
        lang,
        format!("close(): descritor liberado; {after}"),
        format!("close(): descriptor released; {after}"),
    )
}

fn lingering_narration(state: Option<TcpState>, lang: Lang) -> String {
    match state {
        Some(TcpState::TimeWait) => say!(
            lang,
            "depois do close, o kernel ainda guarda a conexão em TIME_WAIT: quem fecha primeiro espera 2×MSL (60 s no Linux) para que segmentos atrasados morram",
            "after close, the kernel still keeps the connection in TIME_WAIT: the side that closes first waits 2×MSL (60 s on Linux) so that late segments die out",
        ),
        Some(state) => say!(
            lang,
            format!("depois do close, o kernel ainda guarda a conexão em {state}"),
            format!("after close, the kernel still keeps the connection in {state}"),
        ),
        None => say!(
            lang,
            "depois do close, o kernel já esqueceu a conexão",
            "after close, the kernel has forgotten the connection",
        ),
    }
}

/// The notice that a bounded recorder dropped its oldest events.
pub(crate) fn dropped(n: u64, lang: Lang) -> String {
    say!(
        lang,
        format!("{n} eventos anteriores descartados (o gravador guarda os mais recentes)"),
        format!("{n} earlier events dropped (the recorder keeps the latest ones)"),
    )
}

/// The one-line advice for a failure, naming the address when there is one.
pub(crate) fn hint(cause: Cause, addr: Option<&str>, lang: Lang) -> String {
    let at = match addr {
        Some(addr) => addr.to_string(),
        None => say!(lang, "esse endereço", "that address"),
    };
    match cause {
        Cause::NoListener => say!(
            lang,
            format!(
                "ninguém escuta {}: inicie o servidor primeiro, ou confira host e porta",
                addr.map_or("nesse endereço".to_string(), |a| format!("em {a}"))
            ),
            format!("nobody is listening on {at}: start the server first, or check host and port"),
        ),
        Cause::PortInUse => say!(
            lang,
            format!(
                "outro socket já ocupa {at}: encerre o outro programa ou use outra porta (SO_REUSEADDR só libera portas presas em TIME_WAIT, não um servidor vivo)"
            ),
            format!(
                "another socket already holds {at}: stop the other program or pick another port (SO_REUSEADDR only frees ports held in TIME_WAIT, not a live server)"
            ),
        ),
        Cause::Permission => say!(
            lang,
            format!(
                "sem permissão para {at}: portas abaixo de 1024 exigem privilégios; use uma porta ≥ 1024, como 8888"
            ),
            format!(
                "no permission for {at}: ports below 1024 need privileges; use a port ≥ 1024, such as 8888"
            ),
        ),
        Cause::BrokenPipe => say!(
            lang,
            "o outro lado já fechou a conexão (broken pipe): pare de enviar e feche o socket",
            "the peer has already closed the connection (broken pipe): stop sending and close the socket",
        ),
        Cause::Reset => say!(
            lang,
            "o outro lado derrubou a conexão (RST): ele caiu ou fechou com dados não lidos; feche este socket",
            "the peer reset the connection (RST): it crashed or closed with unread data; close this socket",
        ),
        Cause::TimedOut => say!(
            lang,
            "tempo esgotado: nada chegou a tempo; o outro lado pode estar parado ou fora do ar",
            "timed out: nothing arrived in time; the peer may be silent or down",
        ),
        Cause::OutOfOrder => say!(
            lang,
            "chamada fora de ordem para o estado deste socket no kernel (EINVAL): confira a sequência socket → bind → listen → accept",
            "call out of order for this socket's state in the kernel (EINVAL): check the sequence socket → bind → listen → accept",
        ),
        Cause::NotListening => say!(
            lang,
            "o socket deixou de escutar (um shutdown o encerrou, como no Ctrl+C): o accept() não tem mais o que esperar",
            "the socket no longer listens (a shutdown ended it, as on Ctrl+C): accept() has nothing left to wait for",
        ),
        Cause::AddressNotAvailable => say!(
            lang,
            format!(
                "{at} não pertence a esta máquina: use 127.0.0.1, 0.0.0.0 ou um endereço local"
            ),
            format!(
                "{at} does not belong to this machine: use 127.0.0.1, 0.0.0.0 or a local address"
            ),
        ),
        Cause::Unreachable => say!(
            lang,
            format!("não há rota até {at}: confira o endereço e a rede"),
            format!("there is no route to {at}: check the address and the network"),
        ),
        Cause::TooManyFiles => say!(
            lang,
            "arquivos abertos demais: feche os sockets que não usa mais",
            "too many open files: close the sockets you no longer use",
        ),
        Cause::NotConnected => say!(
            lang,
            "o socket não está (mais) conectado",
            "the socket is not connected (any more)",
        ),
        Cause::Other => say!(
            lang,
            "erro inesperado: veja o manual da chamada (man 2) e o errno",
            "unexpected error: see the call's manual page (man 2) and the errno",
        ),
    }
}

#[cfg(test)]
mod tests {
    //! Completeness: every narration and every hint exists in both languages,
    //! and the language changes only the words, never the strace rendering.

    use std::net::{Shutdown, SocketAddr};
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::kernel::TcpInfo;
    use crate::trace::{Family, StateName, Transport};

    /// The name of each `Call` variant. The match has no wildcard: a new
    /// variant does not compile until it is named here, and the test below
    /// then fails until a sample of it is narrated.
    fn variant(call: &Call) -> &'static str {
        match call {
            Call::Socket { .. } => "Socket",
            Call::ReuseAddress { .. } => "ReuseAddress",
            Call::ReadTimeout { .. } => "ReadTimeout",
            Call::Bind { .. } => "Bind",
            Call::Listen { .. } => "Listen",
            Call::Accept { .. } => "Accept",
            Call::Connect { .. } => "Connect",
            Call::Send { .. } => "Send",
            Call::Recv { .. } => "Recv",
            Call::Shutdown { .. } => "Shutdown",
            Call::Close => "Close",
            Call::KernelLookup => "KernelLookup",
            Call::SendTo { .. } => "SendTo",
            Call::RecvFrom { .. } => "RecvFrom",
        }
    }

    const VARIANTS: [&str; 14] = [
        "SendTo",
        "RecvFrom",
        "Socket",
        "ReuseAddress",
        "ReadTimeout",
        "Bind",
        "Listen",
        "Accept",
        "Connect",
        "Send",
        "Recv",
        "Shutdown",
        "Close",
        "KernelLookup",
    ];

    /// Same guard for `Cause`: `Cause::ALL` must list every variant.
    fn cause_index(cause: Cause) -> usize {
        match cause {
            Cause::NoListener => 0,
            Cause::PortInUse => 1,
            Cause::Permission => 2,
            Cause::BrokenPipe => 3,
            Cause::Reset => 4,
            Cause::TimedOut => 5,
            Cause::OutOfOrder => 6,
            Cause::AddressNotAvailable => 7,
            Cause::Unreachable => 8,
            Cause::TooManyFiles => 9,
            Cause::NotConnected => 10,
            Cause::Other => 11,
            Cause::NotListening => 12,
        }
    }

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    fn event(call: Call, outcome: Outcome) -> Event {
        Event {
            seq: 1,
            thread: "main".into(),
            socket: Arc::from("cliente"),
            fd: Some(3),
            call,
            outcome,
            before: Some(StateName::Connected),
            after: StateName::Connected,
            tcp: Some(TcpInfo {
                state: TcpState::Established,
                accept_queue: None,
                accept_queue_limit: None,
            }),
            accepted_tcp: None,
            lingering: None,
            local: Some(addr("127.0.0.1:40000")),
            peer: Some(addr("127.0.0.1:8888")),
            ephemeral_port: false,
            transport: Transport::Tcp,
        }
    }

    /// A UDP event: no TCP state, and the calls whose words differ.
    fn datagram(call: Call, outcome: Outcome) -> Event {
        let mut e = event(call, outcome);
        e.transport = Transport::Udp;
        e.tcp = None;
        e
    }

    /// One sample of every call in every shape its narration branches on.
    fn samples() -> Vec<Event> {
        let mut events = vec![
            event(
                Call::Socket {
                    family: Family::V4,
                    transport: Transport::Tcp,
                },
                Outcome::Returned(3),
            ),
            event(
                Call::Socket {
                    family: Family::V6,
                    transport: Transport::Tcp,
                },
                Outcome::Returned(3),
            ),
            datagram(
                Call::Socket {
                    family: Family::V4,
                    transport: Transport::Udp,
                },
                Outcome::Returned(3),
            ),
            datagram(
                Call::SendTo {
                    data: b"ola".to_vec(),
                    len: 3,
                    to: Some(addr("127.0.0.1:8888")),
                },
                Outcome::Returned(3),
            ),
            datagram(
                Call::RecvFrom {
                    data: b"ola".to_vec(),
                    capacity: 1024,
                    from: Some(addr("127.0.0.1:8888")),
                    msg_trunc: true,
                },
                Outcome::Returned(3),
            ),
            datagram(
                Call::RecvFrom {
                    data: vec![b'x'; 32],
                    capacity: 1024,
                    from: Some(addr("127.0.0.1:8888")),
                    msg_trunc: true,
                },
                Outcome::Returned(2000),
            ),
            datagram(
                Call::RecvFrom {
                    data: Vec::new(),
                    capacity: 1024,
                    from: None,
                    msg_trunc: true,
                },
                Outcome::Returned(0),
            ),
            datagram(
                Call::Connect {
                    addr: addr("127.0.0.1:8888"),
                },
                Outcome::Returned(0),
            ),
            datagram(Call::Close, Outcome::Returned(0)),
            event(Call::ReuseAddress { on: true }, Outcome::Returned(0)),
            event(Call::ReuseAddress { on: false }, Outcome::Returned(0)),
            event(
                Call::ReadTimeout {
                    timeout: Some(Duration::from_millis(1500)),
                },
                Outcome::Returned(0),
            ),
            event(Call::ReadTimeout { timeout: None }, Outcome::Returned(0)),
            event(
                Call::Bind {
                    addr: addr("127.0.0.1:0"),
                },
                Outcome::Returned(0),
            ),
            event(
                Call::Bind {
                    addr: addr("127.0.0.1:8888"),
                },
                Outcome::Returned(0),
            ),
            event(Call::Listen { backlog: 5 }, Outcome::Returned(0)),
            event(
                Call::Accept {
                    peer: Some(addr("127.0.0.1:40000")),
                    child: Some(Arc::from("servidor#1")),
                },
                Outcome::Returned(4),
            ),
            event(
                Call::Connect {
                    addr: addr("127.0.0.1:8888"),
                },
                Outcome::Returned(0),
            ),
            event(
                Call::Send {
                    data: b"ola".to_vec(),
                    len: 3,
                },
                Outcome::Returned(3),
            ),
            event(
                Call::Recv {
                    data: b"ola".to_vec(),
                    capacity: 1024,
                },
                Outcome::Returned(3),
            ),
            event(
                Call::Recv {
                    data: Vec::new(),
                    capacity: 1024,
                },
                Outcome::Returned(0),
            ),
        ];
        for how in [Shutdown::Read, Shutdown::Write, Shutdown::Both] {
            events.push(event(Call::Shutdown { how }, Outcome::Returned(0)));
        }
        let mut unconnected_close = event(Call::Close, Outcome::Returned(0));
        unconnected_close.peer = None;
        events.push(unconnected_close);
        let lingering = [
            None,
            Some(TcpState::FinWait1),
            Some(TcpState::FinWait2),
            Some(TcpState::TimeWait),
            Some(TcpState::CloseWait),
            Some(TcpState::Established),
            Some(TcpState::LastAck),
        ];
        for state in lingering {
            for call in [Call::Close, Call::KernelLookup] {
                let mut e = event(call, Outcome::Returned(0));
                e.lingering = state;
                events.push(e);
            }
        }
        // Every call can fail: one failure of each, with every errno the
        // hints know and one they do not.
        let errnos: Vec<i32> = Cause::ALL
            .iter()
            .flat_map(|cause| cause.errnos().iter().copied())
            .chain([libc::EBADF])
            .collect();
        let calls: Vec<Call> = events.iter().map(|e| e.call.clone()).collect();
        for call in calls {
            for &errno in &errnos {
                events.push(event(call.clone(), Outcome::Failed(errno)));
            }
        }
        events
    }

    #[test]
    fn every_call_is_sampled() {
        let sampled: Vec<&str> = samples().iter().map(|e| variant(&e.call)).collect();
        for name in VARIANTS {
            assert!(sampled.contains(&name), "no sample of Call::{name}");
        }
    }

    #[test]
    fn every_narration_exists_in_both_languages() {
        for event in samples() {
            let pt = event.narration(Lang::Pt);
            let en = event.narration(Lang::En);
            assert!(!pt.trim().is_empty(), "no Portuguese for {event:?}");
            assert!(!en.trim().is_empty(), "no English for {event:?}");
            assert_ne!(pt, en, "the same words in both languages for {event:?}");
            assert!(!pt.contains('?') || en.contains('?'), "a gap in {pt:?}");
        }
    }

    #[test]
    fn the_strace_rendering_does_not_depend_on_the_language() {
        for event in samples() {
            let pt = event.line(Lang::Pt);
            let en = event.line(Lang::En);
            let (pt_call, pt_words) = pt.split_once('\n').unwrap();
            let (en_call, en_words) = en.split_once('\n').unwrap();
            assert_eq!(pt_call, en_call);
            assert!(pt_call.contains(&event.strace()));
            assert_ne!(pt_words, en_words);
        }
    }

    #[test]
    fn every_hint_exists_in_both_languages() {
        let mut seen = [false; 13];
        for cause in Cause::ALL {
            seen[cause_index(cause)] = true;
            for addr in [None, Some("127.0.0.1:8888")] {
                let pt = hint(cause, addr, Lang::Pt);
                let en = hint(cause, addr, Lang::En);
                assert!(!pt.is_empty() && !en.is_empty(), "{cause:?}");
                assert_ne!(pt, en, "{cause:?}");
                if let Some(addr) = addr {
                    let names_it = pt.contains(addr) && en.contains(addr);
                    let needs_it = matches!(
                        cause,
                        Cause::NoListener
                            | Cause::PortInUse
                            | Cause::Permission
                            | Cause::AddressNotAvailable
                            | Cause::Unreachable
                    );
                    assert!(!needs_it || names_it, "{cause:?} does not name {addr}");
                }
            }
            for &errno in cause.errnos() {
                let step = if cause == Cause::NotListening {
                    "accept"
                } else {
                    "connect"
                };
                assert_eq!(Cause::of(step, errno), cause, "errno {errno}");
                assert!(
                    crate::kernel::errno_name(errno).is_some(),
                    "errno {errno} has no name"
                );
            }
        }
        assert!(seen.iter().all(|&s| s), "Cause::ALL misses a cause");
    }

    #[test]
    fn the_dropped_notice_exists_in_both_languages() {
        assert_ne!(dropped(3, Lang::Pt), dropped(3, Lang::En));
        assert!(dropped(3, Lang::Pt).starts_with('3'));
    }

    #[test]
    fn language_names_parse() {
        for (text, lang) in [
            ("pt", Lang::Pt),
            ("PT_br.utf8", Lang::Pt),
            ("pt-BR", Lang::Pt),
            ("en", Lang::En),
            ("en_US.UTF-8", Lang::En),
        ] {
            assert_eq!(text.parse::<Lang>(), Ok(lang), "{text}");
        }
        assert!("C".parse::<Lang>().is_err());
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
    }
}
