//! Português do Brasil: cada frase, dica, termo e descrição de errno.
//!
//! Um verbo para cada coisa: o socket *escuta* (listen), o kernel *aceita*
//! na fila, o programa *envia* e *recebe*, *encerra* (shutdown) e *fecha*
//! (close); uma chamada *retorna*. Os nomes de chamadas, de estados TCP e de
//! errno ficam como o kernel os escreve.

use std::net::Shutdown;

use super::table::Words;
use crate::check::Check;
use crate::errno::{Cause, Errno};
use crate::event::{SocketOption, StateName, Transport};
use crate::kernel::{Lingering, Rules, TcpState};
use crate::render::phrase::{
    Blocked, Close, End, Hint, PageWord, Phase, Phrase, Queue, Term, WaitOutcome,
};

/// A tabela em português.
pub(crate) struct Pt {
    /// Como o sistema chama as direções do `shutdown`, um tempo esgotado,
    /// um reset; o que o seu `SO_REUSEADDR` permite.
    pub(crate) rules: Rules,
}

impl Words for Pt {
    fn phrase(&self, phrase: &Phrase) -> String {
        match phrase {
            Phrase::Created {
                transport: Transport::Tcp,
            } => format!(
                "{}(): um novo ponto de comunicação TCP, ainda sem endereço",
                self.rules.socket
            ),
            Phrase::Created {
                transport: Transport::Udp,
            } => format!(
                "{}(): um novo ponto de comunicação UDP, ainda sem endereço; UDP não tem conexão: cada datagrama leva o seu destino",
                self.rules.socket
            ),
            Phrase::Option(SocketOption::ReuseAddress(true)) if self.rules.reuse_shares_live_ports => "SO_REUSEADDR ativado: aqui o bind poderá tomar uma porta que outro socket ocupa — não só uma que conexões antigas ocupam em TIME_WAIT, mas também a de um servidor ativo, a não ser que aquele socket tenha ativado SO_EXCLUSIVEADDRUSE; dois servidores podem então escutar na mesma porta".into(),
            Phrase::Option(SocketOption::ReuseAddress(true)) => "SO_REUSEADDR ativado: o bind poderá usar uma porta que conexões antigas ainda ocupam em TIME_WAIT".into(),
            Phrase::Option(SocketOption::ReuseAddress(false)) => "SO_REUSEADDR desativado: o bind não pode usar uma porta que conexões ainda ocupam em TIME_WAIT".into(),
            Phrase::Option(SocketOption::ReadTimeout(Some(limit))) => format!(
                "SO_RCVTIMEO: uma leitura que espera {} sem dados desiste ({})",
                self.duration(*limit),
                self.rules.timeout
            ),
            Phrase::Option(SocketOption::ReadTimeout(None)) => "SO_RCVTIMEO: as leituras esperam sem limite de tempo".into(),
            Phrase::Option(SocketOption::WriteTimeout(Some(limit))) => format!(
                "SO_SNDTIMEO: um envio que espera {} com o buffer de envio cheio desiste ({}); o buffer fica cheio quando o outro lado não lê nada",
                self.duration(*limit),
                self.rules.timeout
            ),
            Phrase::Option(SocketOption::WriteTimeout(None)) => "SO_SNDTIMEO: os envios esperam sem limite de tempo".into(),
            Phrase::Option(SocketOption::Linger { on: true, seconds: 0 }) => "SO_LINGER ativado, 0 s: o close() não encerra a conexão em ordem: ele a reinicia (RST) na hora e descarta o que ainda não foi enviado; não haverá TIME_WAIT".into(),
            Phrase::Option(SocketOption::Linger { on: true, seconds }) => format!(
                "SO_LINGER ativado, {seconds} s: o close() espera até {seconds} s que os dados ainda não enviados saiam e sejam confirmados"
            ),
            Phrase::Option(SocketOption::Linger { on: false, .. }) => "SO_LINGER desativado: o close() retorna na hora, e o kernel envia sozinho o que faltar e depois o FIN".into(),
            Phrase::Option(SocketOption::NoDelay(true)) => "TCP_NODELAY ativado: envios pequenos saem na hora, em vez de esperar para serem juntados (algoritmo de Nagle desligado)".into(),
            Phrase::Option(SocketOption::NoDelay(false)) => "TCP_NODELAY desativado: o kernel pode segurar envios pequenos para juntá-los (algoritmo de Nagle)".into(),
            Phrase::Option(option @ SocketOption::Other { .. }) => format!(
                "setsockopt(): opção {} definida; este trace não explica essa opção",
                option.name()
            ),
            Phrase::Bound {
                local,
                port_zero: true,
            } => format!("bind(): associado a {local}; a porta 0 pediu ao kernel uma porta livre"),
            Phrase::Bound {
                local,
                port_zero: false,
            } => format!("bind(): associado a {local}"),
            Phrase::Listening {
                local,
                backlog,
                limit,
            } => {
                let queue = match limit {
                    Some(limit) if i64::from(*limit) == i64::from(*backlog) => format!(
                        "backlog {backlog}; o Linux deixa {} esperando",
                        u64::from(*limit) + 1
                    ),
                    Some(limit) => format!(
                        "backlog {backlog}, que o kernel ajustou para {limit}; o Linux deixa {} esperando",
                        u64::from(*limit) + 1
                    ),
                    None => format!("backlog {backlog}"),
                };
                format!(
                    "listen(): escutando em {local}; o kernel completa os handshakes sozinho e põe as conexões prontas na fila do accept() ({queue})"
                )
            }
            Phrase::Accepted { peer, child, queue } => {
                let queue = match queue {
                    Queue::Quiet => String::new(),
                    Queue::Waiting { waiting, limit } => format!(
                        ". Ainda há {waiting} conexão(ões) esperando na fila (limite {limit})"
                    ),
                    Queue::WasFull { waiting, limit } => format!(
                        ". A fila de aceitação estava cheia até este accept ({waiting}/{limit} ainda esperam; o Linux enfileira {}): enquanto isso o kernel descarta handshakes completos, e cada cliente descartado tenta de novo cerca de 1 s depois; um backlog maior no listen() evita isso",
                        u64::from(*limit) + 1
                    ),
                };
                format!(
                    "accept(): tirou da fila a conexão de {peer}, com o three-way handshake já feito pelo kernel; ela é o novo socket {child}{queue}"
                )
            }
            Phrase::Connected { local, peer } => format!(
                "connect(): three-way handshake (SYN → SYN-ACK → ACK) concluído: {local} → {peer}"
            ),
            Phrase::ConnectStarted { local, peer, done: false } => format!(
                "connect() num socket não bloqueante: o SYN saiu ({local} → {peer}) e a chamada voltou na hora com EINPROGRESS — não é falha: o kernel termina o handshake sozinho; o socket fica Connecting até ficar gravável e o SO_ERROR dizer como o handshake terminou"
            ),
            Phrase::ConnectStarted { local, peer, done: true } => format!(
                "connect() num socket não bloqueante voltou 0 na hora: o handshake {local} → {peer} já tinha terminado; o SO_ERROR ainda confirma"
            ),
            Phrase::ConnectFinished { local, peer } => format!(
                "getsockopt(SO_ERROR) = 0: o handshake (SYN → SYN-ACK → ACK) do connect não bloqueante deu certo: {local} → {peer}; o socket está Connected (e continua não bloqueante)"
            ),
            Phrase::ConnectFailed { errno, hint } => format!(
                "getsockopt(SO_ERROR) = {errno}: o connect não bloqueante falhou — a própria chamada connect() só disse EINPROGRESS, então este é o único lugar onde a falha aparece; {}",
                self.hint(hint)
            ),
            Phrase::Nonblocking => "O_NONBLOCK ligado: daqui em diante uma chamada que esperaria (accept com a fila vazia, recv sem nada recebido, send com o buffer cheio) volta na hora com EAGAIN; o programa espera ele mesmo o socket ficar pronto (poll)".into(),
            Phrase::NotReady(blocked) => {
                let what = match blocked {
                    Blocked::Accept => "accept(): nenhuma conexão espera na fila".to_string(),
                    Blocked::Recv => "recv(): nada chegou".to_string(),
                    Blocked::Send => "send(): o buffer de envio está cheio; nenhum byte foi aceito".to_string(),
                    Blocked::Other(call) => format!("{call}(): nada está pronto"),
                };
                format!("{what} — EAGAIN num socket não bloqueante quer dizer \"nada pronto ainda\", não é falha nem limite de tempo; espere ficar pronto (poll) e chame de novo")
            }
            Phrase::WaitedOn { call, asked, timeout, ready, more } => {
                let asked = match asked {
                    Some(n) => format!("{n} socket(s)"),
                    None => "os sockets registrados nela".to_string(),
                };
                let limit = match timeout {
                    None => "sem limite de tempo".to_string(),
                    Some(limit) if limit.is_zero() => "sem esperar (limite de tempo 0)".to_string(),
                    Some(limit) => format!("por no máximo {}", self.duration(*limit)),
                };
                if ready.is_empty() {
                    return format!("{call}(): o programa esperou {asked} {limit}; o limite de tempo passou sem nenhum pronto");
                }
                let each: Vec<String> = ready.iter().map(|r| {
                    let may = match (r.state, r.readable, r.writable, r.trouble) {
                        (_, _, _, true) => "um erro ou um hang-up: a próxima chamada nele diz qual",
                        (Some(StateName::Listening), true, _, _) => "accept() não vai esperar",
                        (Some(StateName::Connecting), _, true, _) => "o handshake terminou: leia o SO_ERROR",
                        (_, true, true, _) => "recv() e send() não vão esperar",
                        (_, true, false, _) => "recv() não vai esperar (dados, ou o FIN do outro lado)",
                        (_, false, _, _) => "send() não vai esperar",
                    };
                    format!("{}: {may}", r.label)
                }).collect();
                let count = ready.len() + *more;
                let more = if *more > 0 { format!("; e mais {more}") } else { String::new() };
                format!(
                    "{call}(): uma só thread esperou {asked} de uma vez, {limit}; {} pronto(s) — {}{more}. Essas chamadas voltam na hora agora; as outras ainda esperariam",
                    count,
                    each.join("; ")
                )
            }
            Phrase::PeerFixed { local, peer } => format!(
                "connect() em UDP: nenhum pacote sai, não há handshake; o kernel só fixa o destino {peer} (send/recv passam a falar só com ele) e o endereço local {local}"
            ),
            Phrase::SentPart { offered } => format!(
                "send(): o kernel aceitou só uma parte dos {offered} bytes (os buffers encheram; quanto, depende de quão rápido o outro lado lê); o resto precisa ser enviado de novo, quando o socket ficar gravável"
            ),
            Phrase::Sent { offered: 0, .. } => "send(): 0 bytes oferecidos: nada sai".into(),
            Phrase::Sent { sent, offered } if *sent < *offered as i64 => format!(
                "send(): o kernel aceitou só {sent} de {offered} bytes (o buffer de envio está cheio); o resto precisa ser enviado de novo"
            ),
            Phrase::Sent { sent, .. } => format!(
                "send(): {sent} bytes entregues ao buffer de envio do kernel; o TCP os transmite em ordem"
            ),
            Phrase::Received { n } => format!(
                "recv(): {n} bytes recebidos; TCP é um fluxo de bytes, sem fronteiras de mensagem"
            ),
            Phrase::EmptyBuffer => "recv() com um buffer de 0 bytes: retorna 0 sem ler nada; este 0 não é o fim do fluxo".into(),
            Phrase::End(End::OwnShutdown) => "recv() retornou 0 porque este lado encerrou a própria leitura (shutdown): o 0 não diz nada sobre o outro lado, e o Linux ainda entrega bytes que chegarem depois".into(),
            Phrase::End(End::PeerFin) => "recv() retornou 0: o outro lado encerrou o envio (o FIN dele chegou); não virão mais dados".into(),
            Phrase::End(End::Reset) => "recv() retornou 0 e o kernel mantém a conexão em CLOSE: ela terminou com um reset (RST), não em ordem; não virão mais dados".into(),
            Phrase::End(End::BothFins) => "recv() retornou 0: o FIN do outro lado chegou depois do deste lado (shutdown); as duas direções estão fechadas e o kernel mantém a conexão em TIME_WAIT".into(),
            Phrase::End(End::Unobserved) => "recv() retornou 0: não virão mais dados (o outro lado encerrou o envio, ou a conexão terminou; este sistema não mostra o estado do kernel)".into(),
            Phrase::DatagramSent { len, to, bound } => {
                let bound = match bound {
                    Some(local) => format!(
                        "; o socket não tinha endereço: o kernel o associou a {local} (uma porta efêmera)"
                    ),
                    None => String::new(),
                };
                format!(
                    "sendto(): um datagrama de {len} bytes para {to}, inteiro ou nada; sem conexão, sem confirmação de entrega{bound}"
                )
            }
            Phrase::DatagramReceived { size, from } => format!(
                "recvfrom(): um datagrama inteiro de {size} bytes de {from}; UDP preserva as fronteiras: um sendto, um recvfrom"
            ),
            Phrase::DatagramEmpty { from } => format!(
                "recvfrom(): um datagrama vazio de {from}; em UDP, 0 bytes é uma mensagem, não o fim"
            ),
            Phrase::DatagramTruncated { kept, size, from } => format!(
                "recvfrom(): datagrama de {from} TRUNCADO: {kept} de {size} bytes mantidos (o buffer tem {kept}); com MSG_TRUNC o kernel retorna o tamanho real, e o resto se perdeu"
            ),
            Phrase::ReadingShut => "recvfrom() retornou 0 sem remetente: não é um datagrama, a leitura do socket foi encerrada (shutdown)".into(),
            Phrase::NoDatagram => format!(
                "nenhum datagrama chegou dentro do limite de SO_RCVTIMEO ({}): em UDP, um servidor ausente não dá sinal — nem RST, nem conexão recusada — só silêncio",
                self.rules.timeout
            ),
            Phrase::Shutdown {
                how: Shutdown::Write,
                fin: true,
            } => format!(
                "shutdown({}): FIN enviado; este lado não envia mais, mas ainda recebe",
                self.rules.shut[1]
            ),
            Phrase::Shutdown {
                how: Shutdown::Write,
                fin: false,
            } => format!(
                "shutdown({}): o envio já estava encerrado; nada de novo sai",
                self.rules.shut[1]
            ),
            Phrase::Shutdown {
                how: Shutdown::Read,
                ..
            } => format!(
                "shutdown({}): este lado não recebe mais; nada é enviado ao outro lado (o TCP não tem segmento para isso), e o recv() passa a retornar 0 sempre que não houver nada na fila",
                self.rules.shut[0]
            ),
            Phrase::Shutdown {
                how: Shutdown::Both,
                fin: true,
            } => format!(
                "shutdown({}): as duas direções encerradas: FIN enviado, e um recv() bloqueado acorda",
                self.rules.shut[2]
            ),
            Phrase::Shutdown {
                how: Shutdown::Both,
                fin: false,
            } => format!(
                "shutdown({}): as duas direções encerradas (o FIN já tinha saído); um recv() bloqueado acorda",
                self.rules.shut[2]
            ),
            Phrase::ShutdownListener => format!(
                "shutdown({}) num socket que escuta: ele para de escutar, e um accept() bloqueado acorda (com EINVAL, no Linux)",
                self.rules.shut[2]
            ),
            Phrase::ListenerNotShut { errno } => format!(
                "shutdown() num socket que escuta: este sistema não encerra um socket que escuta ({errno}); ele continua escutando, e um accept() bloqueado continua dormindo"
            ),
            Phrase::ShutdownDatagram if !self.rules.unconnected_udp_shutdown_wakes => "shutdown() em UDP: nenhum FIN, não há conexão; se ele acorda um recvfrom() bloqueado depende do sistema (o Linux acorda, mesmo sem conexão; aqui isso não é dado como certo)".into(),
            Phrase::ShutdownDatagram => "shutdown() em UDP: nenhum FIN, não há conexão; sem conexão o Linux responde ENOTCONN, mas marca o socket e acorda um recvfrom bloqueado".into(),
            Phrase::Close(close) => format!("{}(): {}", self.rules.close, self.close(*close)),
            Phrase::Waited {
                call,
                read,
                write,
                timeout,
                outcome,
            } => {
                let what = match (read, write) {
                    (true, false) => "até este socket ter o que ler (dados, uma conexão a aceitar ou o FIN do outro lado)",
                    (false, true) => "até poder escrever neste socket",
                    _ => "até poder ler ou escrever neste socket",
                };
                let limit = match timeout {
                    None => String::new(),
                    Some(limit) if limit.is_zero() => " — sem esperar nada (limite de tempo 0)".into(),
                    Some(limit) => format!(" por no máximo {}", self.duration(*limit)),
                };
                let outcome = match outcome {
                    WaitOutcome::Ready { read: true, .. } => "já pode ler: o próximo recv ou accept retorna na hora",
                    WaitOutcome::Ready { .. } => "já pode escrever: o próximo send retorna na hora",
                    WaitOutcome::TimedOut => "o limite de tempo passou antes: nada está pronto",
                    WaitOutcome::OtherReady => "outro descritor ficou pronto primeiro; este socket não",
                    WaitOutcome::Error => "o kernel indica um erro ou um hang-up neste socket: a próxima chamada nele diz qual",
                };
                format!("{call}(): o programa esperou {what}{limit}; {outcome}")
            }
            Phrase::EpollCreated => "epoll_create1(): uma nova instância epoll: o kernel guarda os sockets registrados nela e diz quais estão prontos, sem receber a lista inteira a cada espera como o poll()".into(),
            Phrase::EpollAdded { socket, read, write, edge } => {
                let what = match (read, write) {
                    (true, false) => "para leitura",
                    (false, true) => "para escrita",
                    _ => "para leitura ou escrita",
                };
                let trigger = if *edge {
                    "disparo por borda (EPOLLET): avisado uma vez cada vez que fica pronto; o que sobrar sem ler não é avisado de novo até chegar mais"
                } else {
                    "disparo por nível (o padrão): avisado a cada espera enquanto estiver pronto"
                };
                format!("epoll_ctl(EPOLL_CTL_ADD): {socket} registrado, esperado {what}; {trigger}")
            }
            Phrase::Lookup(Lingering::Holds(TcpState::TimeWait)) => "depois do close, o kernel ainda mantém a conexão em TIME_WAIT: quem fecha primeiro espera 2×MSL (60 s no Linux), para que segmentos atrasados desta conexão não sejam confundidos com os de uma nova".into(),
            Phrase::Lookup(Lingering::Holds(state)) => {
                format!("depois do close, o kernel ainda mantém a conexão em {state}")
            }
            Phrase::Lookup(Lingering::Gone) => "depois do close, o kernel já esqueceu a conexão".into(),
            Phrase::Lookup(Lingering::Unknown) => "neste sistema não é possível perguntar ao kernel por uma conexão fechada".into(),
            Phrase::Failed(hint) => self.hint(hint),
        }
    }

    fn hint(&self, hint: &Hint) -> String {
        let at = hint.addr.as_deref().unwrap_or("esse endereço");
        match hint.cause {
            Cause::NoListener => match &hint.addr {
                Some(addr) => format!(
                    "ninguém escuta em {addr}: inicie o servidor primeiro, ou confira host e porta"
                ),
                None => "ninguém escuta nesse endereço: inicie o servidor primeiro, ou confira host e porta".into(),
            },
            Cause::PortInUse if self.rules.reuse_shares_live_ports => format!(
                "outro socket já ocupa {at}: encerre o outro programa ou use outra porta (aqui o SO_REUSEADDR deixaria este socket dividir a porta, até com um servidor ativo, a não ser que aquele tenha ativado SO_EXCLUSIVEADDRUSE)"
            ),
            Cause::PortInUse => format!(
                "outro socket já ocupa {at}: encerre o outro programa ou use outra porta (SO_REUSEADDR só libera portas presas em TIME_WAIT, não um servidor ativo)"
            ),
            Cause::Permission if !self.rules.privileged_ports => format!(
                "sem permissão para {at}: aqui nenhuma porta exige privilégios, mas o sistema reserva algumas (netsh int ipv4 show excludedportrange protocol=tcp) e outro socket pode mantê-la com SO_EXCLUSIVEADDRUSE; use outra porta, como 8888"
            ),
            Cause::Permission => format!(
                "sem permissão para {at}: portas abaixo de 1024 exigem privilégios; use uma porta ≥ 1024, como 8888"
            ),
            Cause::OwnShutdown => format!(
                "este lado encerrou o envio antes, com shutdown({}), e agora todo send falha: envie tudo antes do shutdown",
                self.rules.shut[1]
            ),
            Cause::ConnectionOver => "a conexão acabou (sofreu reset, ou os dois lados a fecharam): não dá para enviar mais nada; feche o socket".into(),
            Cause::Reset => "o kernel do outro lado encerrou a conexão com um reset (RST): o outro lado fechou com dados que nunca leu, ou este lado escreveu numa conexão que o outro já tinha fechado; feche este socket".into(),
            Cause::TimedOut => "tempo esgotado: nada chegou dentro do limite; o outro lado pode estar em silêncio ou fora do ar".into(),
            Cause::PeerNotReading => "o envio esperou todo o seu limite de tempo (SO_SNDTIMEO) com o buffer de envio cheio: o outro lado não leu nada nesse tempo, e o buffer de recepção dele também está cheio; feche a conexão — parte dos bytes pode ter saído".into(),
            Cause::WouldBlock => "ainda não há nada pronto: o socket é não bloqueante, então a chamada retorna na hora em vez de esperar; espere ele ficar pronto (poll) e chame de novo".into(),
            Cause::OutOfOrder => "o kernel recusa esta chamada no estado atual do socket (EINVAL): confira a ordem socket → bind → listen → accept, e os argumentos".into(),
            Cause::NotListening => "o socket não escuta mais (um shutdown o encerrou, como no Ctrl+C): o accept() não tem mais o que esperar".into(),
            Cause::FamilyMismatch => format!(
                "{at} é da outra família de endereços: um endereço IPv4 precisa de um socket IPv4 (tcp_v4, AF_INET) e um IPv6, de um socket IPv6 (tcp_v6, AF_INET6); tcp_for(&addr) cria o certo"
            ),
            Cause::FamilyUnsupported => "este sistema não oferece essa família de endereços (o IPv6 está desativado?)".into(),
            Cause::AlreadyConnected => "o socket já está conectado: um segundo connect() é recusado; crie um novo socket para outra conexão".into(),
            Cause::BadDescriptor => "o descritor não está aberto: algo o fechou sem passar por este socket (outro close() do mesmo número)".into(),
            Cause::NotConnected => "o socket não está conectado: a conexão nunca aconteceu, ou já terminou (sofreu reset)".into(),
            Cause::AddressNotAvailable => format!(
                "{at} não pertence a esta máquina: use 127.0.0.1, 0.0.0.0 ou um endereço local"
            ),
            Cause::Unreachable => format!("não há rota até {at}: confira o endereço e a rede"),
            Cause::TooManyFiles => "arquivos abertos demais: feche os sockets que não usa mais".into(),
            Cause::ZeroTimeout => "um limite de tempo zero faria o kernel esperar para sempre: passe None para não ter limite, ou pelo menos 1 µs".into(),
            Cause::Other => "erro inesperado: veja a página de manual da chamada (man 2) e o errno".into(),
        }
    }

    fn term(&self, term: &Term) -> String {
        match term {
            Term::AcceptQueue => "fila de aceitação".into(),
            Term::Kernel => "kernel".into(),
            Term::Gone => "esquecida".into(),
            Term::Unknown => "desconhecido".into(),
            Term::KernelLookup => "consulta ao kernel".into(),
            Term::Dropped { n } => {
                format!("{n} eventos anteriores descartados (o gravador guarda os mais recentes)")
            }
            Term::Failed => "falhou".into(),
            Term::Phase(Phase::Preparation) => "1. preparação".into(),
            Term::Phase(Phase::Communication) => "2. conexão e comunicação".into(),
            Term::Phase(Phase::Close) => "3. encerramento".into(),
            Term::NotRecorded => "(não gravado)".into(),
            Term::NewSocket => "novo socket".into(),
            Term::NewSocketEdge => "(novo socket)".into(),
            Term::TypestateTitle { udp: false } => {
                "Socket<S>: os estados e as chamadas entre eles".into()
            }
            Term::TypestateTitle { udp: true } => {
                "UdpSocket<S>: os estados e as chamadas entre eles".into()
            }
            Term::SequenceTitle => "A conversa, passo a passo: um socket por coluna".into(),
            Term::Page(PageWord::Title) => "O ciclo de vida dos sockets, passo a passo".into(),
            Term::Page(PageWord::Call) => "chamada".into(),
            Term::Page(PageWord::Result) => "resultado".into(),
            Term::Page(PageWord::State) => "estado".into(),
            Term::Page(PageWord::Kernel) => "kernel".into(),
            Term::Page(PageWord::Previous) => "◀ anterior".into(),
            Term::Page(PageWord::Next) => "próximo ▶".into(),
            Term::Page(PageWord::Keys) => "setas ← → para andar, Home e End para o início e o fim".into(),
            Term::RstNobodyListens => "RST: ninguém escuta".into(),
            Term::SentNothing => "send() = 0: nenhum byte, nada sai".into(),
            Term::EmptyBuffer => "recv() = 0: um buffer de 0 bytes".into(),
            Term::RecvEnd(End::OwnShutdown) => "recv() = 0: este lado encerrou a leitura".into(),
            Term::RecvEnd(End::PeerFin | End::BothFins) => "recv() = 0: FIN recebido".into(),
            Term::RecvEnd(End::Reset) => "recv() = 0: a conexão sofreu reset".into(),
            Term::RecvEnd(End::Unobserved) => "recv() = 0: fim do fluxo".into(),
            Term::PeerFixedOnly { addr } => {
                format!("connect({addr}): só fixa o destino, nenhum pacote sai")
            }
            Term::StillHolds { state } => format!("o kernel ainda mantém: {state}"),
            Term::Forgot => "o kernel esqueceu a conexão".into(),
            Term::NotAsked => "não dá para perguntar ao kernel".into(),
            Term::HeldElsewhere => format!(
                "{}(): outro descritor mantém o socket, nada sai",
                self.rules.close
            ),
            Term::Waited { call, ready: true } => format!("{call}(): esperou, pronto"),
            Term::Waited { call, ready: false } => format!("{call}(): esperou, não está pronto"),
            Term::StepsLed => "os passos que levaram a isso:".into(),
            Term::ServerDidNotStart(error) => format!("o servidor inicia: {error}"),
            Term::ServerDidNotStop => "o servidor para quando o seu socket que escuta recebe shutdown: o laço do accept() precisa terminar quando o accept() falha".into(),
        }
    }

    fn errno(&self, errno: Errno) -> &'static str {
        match errno {
            Errno::EPERM => "Operação não permitida",
            Errno::ENOENT => "Arquivo ou diretório inexistente",
            Errno::EINTR => "Chamada de sistema interrompida",
            Errno::EBADF => "Descritor de arquivo inválido",
            Errno::EAGAIN => "Recurso temporariamente indisponível",
            Errno::EWOULDBLOCK => "Recurso temporariamente indisponível",
            Errno::ENOMEM => "Não foi possível alocar memória",
            Errno::EACCES => "Permissão negada",
            Errno::EFAULT => "Endereço inválido",
            Errno::EINVAL => "Argumento inválido",
            Errno::ENFILE => "Arquivos abertos demais no sistema",
            Errno::EMFILE => "Arquivos abertos demais",
            Errno::EPIPE => "Pipe quebrado",
            Errno::EPROTO => "Erro de protocolo",
            Errno::ENOTSOCK => "Operação de socket sobre algo que não é socket",
            Errno::EDESTADDRREQ => "Endereço de destino necessário",
            Errno::EMSGSIZE => "Mensagem longa demais",
            Errno::EPROTOTYPE => "Protocolo de tipo errado para o socket",
            Errno::ENOPROTOOPT => "Protocolo não disponível",
            Errno::EPROTONOSUPPORT => "Protocolo não suportado",
            Errno::ESOCKTNOSUPPORT => "Tipo de socket não suportado",
            Errno::EOPNOTSUPP => "Operação não suportada",
            Errno::EPFNOSUPPORT => "Família de protocolos não suportada",
            Errno::EAFNOSUPPORT => "Família de endereços não suportada pelo protocolo",
            Errno::EADDRINUSE => "Endereço já em uso",
            Errno::EADDRNOTAVAIL => "Não é possível usar o endereço pedido",
            Errno::ENETDOWN => "A rede está fora do ar",
            Errno::ENETUNREACH => "A rede está inalcançável",
            Errno::ENETRESET => "A rede derrubou a conexão com um reset",
            Errno::ECONNABORTED => "Conexão abortada por software",
            Errno::ECONNRESET => "Conexão fechada pela outra ponta",
            Errno::ENOBUFS => "Não há espaço de buffer disponível",
            Errno::EISCONN => "O socket já está conectado",
            Errno::ENOTCONN => "O socket não está conectado",
            Errno::ESHUTDOWN => "Não é possível enviar depois do shutdown deste lado",
            Errno::ETIMEDOUT => "Tempo esgotado para a conexão",
            Errno::ECONNREFUSED => "Conexão recusada",
            Errno::EHOSTDOWN => "O host está fora do ar",
            Errno::EHOSTUNREACH => "Não há rota para o host",
            Errno::EALREADY => "Operação já em andamento",
            Errno::EINPROGRESS => "Operação em andamento",
        }
    }

    fn check(&self, check: Check) -> String {
        match check {
            Check::ReuseAddressBeforeBind => "um servidor ativa SO_REUSEADDR antes do bind()",
            Check::EverySocketClosed => "todo socket é fechado até o fim",
            Check::EndOfStreamClosed => "recv() = 0 é respondido com close()",
            Check::ShortSendCompleted => "um send() parcial é completado com o resto",
            Check::NothingAfterFailure => "um socket cuja chamada falhou de vez só é fechado",
            Check::AcceptAfterListen => "accept() só num socket que escuta",
            Check::ServerAnswersFin => "um servidor responde ao FIN do cliente fechando",
        }
        .into()
    }

    fn note(&self, check: Check, socket: &str) -> String {
        match check {
            Check::ReuseAddressBeforeBind => format!(
                "{socket}: bind() sem SO_REUSEADDR antes: reiniciado logo em seguida, o servidor não consegue usar a porta enquanto conexões antigas estão em TIME_WAIT (EADDRINUSE); chame setsockopt(SO_REUSEADDR, 1) entre socket() e bind()"
            ),
            Check::EverySocketClosed => format!(
                "{socket}: nunca foi fechado: o descritor vaza, e uma conexão fica aberta até o processo terminar; chame close() quando terminar (em todos os caminhos, nos de erro também)"
            ),
            Check::EndOfStreamClosed => format!(
                "{socket}: recv() retornou 0 — não virão mais dados — e mesmo assim o socket continuou em uso; pare de ler ali e chame close()"
            ),
            Check::ShortSendCompleted => format!(
                "{socket}: send() aceitou menos bytes do que os oferecidos e o resto nunca foi enviado; repita até todos os bytes saírem (send_all)"
            ),
            Check::NothingAfterFailure => format!(
                "{socket}: usado depois de uma chamada que falhou de vez; depois de um erro assim o socket só serve para close()"
            ),
            Check::AcceptAfterListen => format!(
                "{socket}: accept() num socket que não escuta; chame bind() e listen() antes"
            ),
            Check::ServerAnswersFin => format!(
                "{socket}: o cliente fechou (recv() = 0), mas o servidor nunca fechou o seu lado: a conexão fica em CLOSE_WAIT; chame close() quando recv() retornar 0"
            ),
        }
    }

    fn decimal_mark(&self) -> char {
        ','
    }
}

impl Pt {
    /// O que um close fez, depois de `close(): `.
    fn close(&self, close: Close) -> String {
        match close {
            Close::Unconnected => "descritor liberado; o socket deixa de existir".into(),
            Close::Epoll => "descritor liberado; a instância epoll deixa de existir, e os registros nela junto (os sockets continuam abertos)".into(),
            Close::Listener { waiting: Some(waiting @ 1..) } => format!(
                "descritor liberado; o socket que escutava deixa de existir, e as {waiting} conexão(ões) que ainda esperavam na fila sofrem reset (RST)"
            ),
            Close::Listener { .. } => "descritor liberado; o socket que escutava deixa de existir: novas conexões são recusadas".into(),
            Close::Datagram => "descritor liberado; UDP não tem conexão a encerrar: nenhum FIN, nada fica no kernel".into(),
            Close::StillHeld { state } => format!(
                "este descritor acabou, mas o kernel ainda mantém a conexão em {state}: outro descritor (um dup, ou um processo filho) mantém o socket aberto, então nada foi enviado; o FIN sai quando o último for fechado"
            ),
            Close::ListenerStillHeld => "este descritor deixa de existir, mas outro (um dup, ou a cópia de outro processo depois do fork) ainda mantém o socket que escuta: ele continua escutando".into(),
            Close::Reset { unread } => format!(
                "descritor liberado com {unread} bytes nunca lidos: o kernel os descarta e encerra a conexão com um reset (RST) em vez de enviar um FIN; o próximo recv ou send do outro lado falha com {}",
                self.rules.reset
            ),
            Close::AlreadyReset => "descritor liberado; a conexão já tinha terminado com um reset, então nada é enviado".into(),
            Close::First => "descritor liberado; este lado fecha primeiro: o seu FIN sai, e o kernel espera o FIN do outro lado".into(),
            Close::AnswersFin => "descritor liberado; o outro lado tinha fechado primeiro: o FIN deste lado responde ao dele, e o kernel esquece a conexão quando chegar o último ACK".into(),
            Close::FinSentEarlier => "descritor liberado; o FIN deste lado já tinha saído (shutdown), e o kernel conclui o fim da conexão sozinho".into(),
            Close::BothFinsDone => "descritor liberado; os dois FINs já tinham sido trocados: o kernel mantém a conexão em TIME_WAIT".into(),
            Close::Unobserved => "descritor liberado; o kernel encerra a conexão sozinho (este sistema não mostra o estado dele)".into(),
            Close::Unordered => "descritor liberado; o outro lado não está neste trace e não tinha fechado o seu lado, então o tempo dele decide o fim: o FIN deste lado sai primeiro, ou responde ao dele, ou — se bytes dele chegarem sem ser lidos — a conexão sofre reset (RST)".into(),
        }
    }
}
