//! The examples' own words in Brazilian Portuguese: one arm per message of
//! [`Say`]. One term for one thing: the server "escuta" (the report's
//! console line `Servidor ouvindo em` is the report's, not ours), the
//! handshakes done wait in the "fila de aceitação", an option is
//! "ativada"/"desativada", the report is "o trabalho" (as in `docs/pt/`),
//! and what the library records is "o trace", as `docs/pt/` says.

use super::{Say, Skipped, Step, reuse_address};

/// The message, in Portuguese.
pub fn text(say: &Say) -> String {
    match say {
        Say::UsageServidor => USAGE_SERVIDOR.to_string(),
        Say::UsageServidorPoll => USAGE_SERVIDOR_POLL.to_string(),
        Say::UsageCliente => USAGE_CLIENTE.to_string(),
        Say::UsageUdpServidor => USAGE_UDP_SERVIDOR.to_string(),
        Say::UsageUdpCliente => USAGE_UDP_CLIENTE.to_string(),
        Say::UnknownOption { option } => format!("opção desconhecida: {option}"),
        Say::MissingValue { flag } => format!("{flag}: falta o valor"),
        Say::ExtraArgument { argument } => format!("argumento a mais: {argument}"),
        Say::InvalidValue { flag, value } => format!("{flag}: valor inválido '{value}'"),
        Say::InvalidPort { value } => format!("PORTA: valor inválido '{value}'"),
        Say::NoAddressFound { host } => format!("{host}: endereço não encontrado"),

        Say::EndOfInput => "fim da entrada padrão: encerra como se 'sair' fosse digitado".into(),
        Say::LineNotUtf8 => "a linha digitada não é UTF-8 e não foi enviada".into(),

        Say::ClientsAtMax { max: 1 } => "1 cliente em atendimento (--max-clients): novos clientes esperam na fila de aceitação até ele sair".into(),
        Say::ClientsAtMax { max } => format!(
            "{max} clientes em atendimento (--max-clients): novos clientes esperam na fila de aceitação até um sair"
        ),
        Say::ClientIdleTooLong => {
            "cliente em silêncio além do --idle-timeout: desconectando".into()
        }
        Say::InvalidUtf8FromClient { bytes } => {
            format!("UTF-8 inválido vindo do cliente, mostrado e respondido como U+FFFD: {bytes}")
        }
        Say::NoThreadForClient { peer, error } => {
            format!("não foi possível criar uma thread para o cliente {peer}: {error}")
        }
        Say::CtrlCWakesAccept => {
            "Ctrl+C (ou SIGTERM): shutdown() no socket que escuta, para acordar o accept() bloqueado".into()
        }
        Say::CtrlCWakesPoll => {
            "Ctrl+C: shutdown() no socket que escuta, para acordar o poll() bloqueado".into()
        }
        Say::AcceptPaused { error } => format!(
            "accept() falhou ({error}): o socket que escuta sai do poll() até um cliente sair, para o laço não girar em vão"
        ),
        Say::CtrlCKnocks => "Ctrl+C: aqui o shutdown() não acordou a chamada bloqueada; o tratador bate no socket (uma conexão, ou um datagrama vazio) para acordá-la".into(),
        Say::CtrlCWakesRecvFrom => {
            "Ctrl+C: shutdown(), para acordar o recvfrom() bloqueado".into()
        }
        Say::ShutsClients { count: 1 } => "shutdown(SHUT_RDWR) no socket do cliente conectado: a thread dele acorda e o fecha".into(),
        Say::ShutsClients { count } => format!(
            "shutdown(SHUT_RDWR) nos sockets dos {count} clientes conectados: cada thread acorda e fecha o seu"
        ),
        Say::ClientsLeftRunning { count } => format!(
            "{count} thread(s) de cliente ainda rodando depois de 2 s: o kernel fecha os sockets delas quando o processo termina"
        ),
        Say::AcceptShortage { error } => format!(
            "{error} — faltam descritores ou memória para o accept(): os novos clientes esperam na fila de aceitação até um cliente sair; o accept() é tentado de novo depois de uma pausa que dobra até 1 s, e isto é dito uma vez a cada 10 s"
        ),
        Say::AcceptStillShort { failures, seconds } => format!(
            "ainda faltam descritores ou memória para o accept(): mais {failures} falhas, {seconds} s desde a primeira"
        ),
        Say::AcceptRecovered { failures, seconds } => format!(
            "o accept() voltou a funcionar, depois de {failures} falhas em {seconds:.1} s"
        ),
        Say::ConsoleLinesDropped { lines: 1 } => "1 linha do console não mostrada: a saída padrão não estava escoando".into(),
        Say::ConsoleLinesDropped { lines } => {
            format!("{lines} linhas do console não mostradas: a saída padrão não estava escoando")
        }
        Say::TraceLinesDropped { lines: 1 } => "1 linha do trace descartada: a saída de erro não estava escoando".into(),
        Say::TraceLinesDropped { lines } => {
            format!("{lines} linhas do trace descartadas: a saída de erro não estava escoando")
        }
        Say::DatagramTruncated { from, kept, size } => {
            format!("datagrama truncado de {from}: {kept} de {size} bytes mantidos")
        }

        Say::InvalidUtf8FromServer { bytes } => {
            format!("UTF-8 inválido vindo do servidor, mostrado como U+FFFD: {bytes}")
        }
        Say::DatagramNotFromServer { from } => {
            format!("datagrama ignorado: não veio do servidor, mas de {from:?}")
        }
        Say::ReplyTruncated { kept, size } => {
            format!("resposta truncada: {kept} de {size} bytes mantidos")
        }
        Say::TooManyStrays => "datagramas demais de outros endereços".into(),

        Say::BacklogBurst { backlog, attempts } => {
            format!("listen({backlog}); {attempts} connects de uma vez, sem nenhum accept")
        }
        Say::InAcceptQueue => "na fila de aceitação".into(),
        Say::SynDropped => "SYN descartado; o cliente tentará de novo".into(),
        Say::ServerAcceptQueue { waiting, limit } => {
            format!("fila de aceitação do servidor: {waiting}/{limit}")
        }
        Say::NotReadableHere => "ilegível aqui".into(),
        Say::BacklogLesson => "O backlog é o tamanho da fila de conexões prontas (o Linux deixa backlog + 1 esperando), não um limite de clientes: um servidor que chama accept() logo não enche a fila.".into(),

        Say::SendsBeforeError { count: 1 } => "1 send aceito antes do erro".into(),
        Say::SendsBeforeError { count } => format!("{count} sends aceitos antes do erro"),
        Say::PythonKilledBySigpipe => "python3 com SIGPIPE na ação padrão: morto pelo sinal 13 (SIGPIPE), sem mensagem nenhuma".into(),
        Say::PythonKilledBySignal { signal } => format!("python3: sinal {signal}"),
        Say::PythonSurvived => "python3: sobreviveu".into(),
        Say::PythonNotInstalled => "python3: não instalado".into(),

        Say::Sent { message, bytes } => format!("enviado: {message:?} ({bytes} bytes)"),
        Say::OneRecvReturned { received, bytes } => {
            format!("um recv(1024) retornou: {received:?} ({bytes} bytes)")
        }
        Say::CoalescedLesson => "TCP não guarda fronteiras de mensagem: use um delimitador (uma mensagem por linha) ou um tamanho antes de cada mensagem.".into(),

        Say::RecvAfterClose {
            message,
            after,
            millis,
        } => format!("recv: {message:?}, depois {after:?} em {millis:.1} ms"),
        Say::EmptySend { sent, then } => {
            format!("send(b\"\") = {sent}; o recv do servidor: {then:?}")
        }
        Say::RecvZeroLesson => "recv() = 0 é o fim do fluxo: pare de ler e feche. Um send de 0 bytes não envia nada: não envie linhas vazias.".into(),

        Say::BusyLoop { calls, waited_ms, cpu_ms, poll_cpu_ms } => {
            let cpu = |c: &Option<f64>| c.map_or_else(|| "tempo de CPU não informado aqui".to_string(), |c| format!("{c:.1} ms de CPU"));
            format!(
                "laço ocupado: {calls} chamadas recv() responderam EAGAIN em {waited_ms:.0} ms de espera, {}; poll(): 1 chamada para a mesma espera, {}",
                cpu(cpu_ms),
                cpu(poll_cpu_ms)
            )
        }
        Say::BusyLoopLesson => "EAGAIN quer dizer \"agora não\", não \"tente de novo já\": um laço que chama de novo na hora mantém um processador ocupado sem fazer nada. Espere no poll() até o socket ficar pronto, e então chame.".into(),
        Say::PartialSend { offered, taken, received } => format!(
            "um send() não bloqueante de {offered} bytes: o kernel aceitou {taken}; o outro lado recebeu {received} ao todo — os outros {} nunca foram enviados",
            offered - taken
        ),
        Say::PartialSendLesson => "Um send() pode aceitar só parte do que recebe (um não bloqueante, quando o buffer enche): guarde o resto, espere o socket ficar gravável (poll POLLOUT) e envie então.".into(),
        Say::StaleReadiness { first, second } => format!(
            "o poll() disse pronto para leitura; o primeiro recv() levou {first} bytes; o segundo, com base na mesma resposta, recebeu {second}"
        ),
        Say::StaleReadinessLesson => "Estar pronto é um fato do momento em que o poll() voltou, não uma promessa: outra chamada (ou thread) pode ter levado o que estava pronto. Com um socket bloqueante o segundo recv() ficaria esperando, e o laço inteiro com ele; mantenha os sockets não bloqueantes e trate EAGAIN como \"nada agora\".".into(),
        Say::ConnectSoError { connect, so_error } => format!(
            "connect() disse {connect}; poll() disse gravável; getsockopt(SO_ERROR) disse {so_error}"
        ),
        Say::ConnectSoErrorLesson => "Um connect() não bloqueante só começa o handshake: EINPROGRESS é a resposta normal, e gravável quer dizer \"o handshake terminou\", não \"deu certo\". Leia o SO_ERROR para saber como terminou.".into(),

        Say::Triggered { edge, read, second, left } => format!(
            "{}: o recv() levou {read} bytes; a segunda espera avisou {second} socket(s); o recv() seguinte encontrou {left} bytes",
            if *edge { "disparo por borda (EPOLLET)" } else { "disparo por nível" }
        ),
        Say::TriggeredLesson => "O epoll por borda avisa uma mudança, não um estado: depois de cada aviso, leia (e escreva) até o EAGAIN, ou o que sobrar fica esperando sem ser visto. Por nível (e o poll) avisa o estado a cada espera.".into(),
        Say::EpollIsLinuxs => "O epoll é do Linux: este exemplo só roda lá.".into(),

        Say::TimeWaitRound {
            old_reuse,
            new_reuse,
            left_behind,
            rebind,
        } => {
            let left = left_behind.map_or_else(|| "nada".to_string(), |s| s.to_string());
            let rebind = match rebind {
                Ok(()) => "bind() = 0: reiniciou".to_string(),
                Err(errno) => format!("bind() = -1 {errno}"),
            };
            format!(
                "antigo {}, novo {}: o kernel guardava {left}; {rebind}",
                reuse_address(*old_reuse),
                reuse_address(*new_reuse)
            )
        }
        Say::TimeWaitLesson => "Ative SO_REUSEADDR antes do bind, em todo servidor: a porta presa em TIME_WAIT fica reutilizável; um servidor em execução na porta continua provocando EADDRINUSE.".into(),

        Say::SplitMessage { bytes } => {
            format!("mensagem de {bytes} bytes: 1022 × '-' + \"ação\"")
        }
        Say::SplitChunk {
            number,
            bytes,
            tail,
            error,
        } => {
            let verdict = match error {
                None => "UTF-8 válido".to_string(),
                Some(error) => format!("UTF-8 inválido: {error}"),
            };
            format!("recv #{number}: {bytes} bytes, termina em …{tail:?} — {verdict}")
        }
        Say::SplitJoined { tail } => {
            format!("juntando os bytes antes de decodificar: …{tail:?}")
        }
        Say::SplitLesson => "Decodifique o fluxo, não cada pedaço: guarde o caractere incompleto para o próximo recv (como faz o decodificador dos exemplos de chat).".into(),

        Say::WhatTheKernelGot => "o que o kernel recebeu:".into(),
        Say::TcpInfoNotReadable => "TCP_INFO ilegível".into(),
        Say::StdBindLesson => "Com a biblioteca, os quatro passos ficam explícitos: Socket::tcp_v4(…)?.reuse_address(true)?.bind(addr)?.listen(128)?".into(),

        Say::SameExchange => {
            "TCP e UDP, a mesma conversa (servidor e cliente em 127.0.0.1, porta 0)".into()
        }
        Say::Step(step) => match step {
            Step::ServerPreparation => "preparação do servidor",
            Step::ClientArrives => "o cliente chega",
            Step::ServerAccepts => "o servidor aceita",
            Step::OlaReply => "ola → Servidor recebeu: ola",
            Step::TwoMessages => "duas mensagens: um, dois",
            Step::TheEnd => "fim",
        }
        .into(),
        Say::WholeTrace { transport } => format!("{transport}: o trace completo"),
        Say::TheDifferences => "as diferenças".into(),
        Say::SystemCalls { tcp, udp } => {
            format!("- chamadas de sistema: TCP {tcp}, UDP {udp}")
        }
        Say::UdpMadeNo(call) => {
            let why = match call {
                Skipped::ReuseAddress => "setsockopt(SO_REUSEADDR): o UDP não deixa TIME_WAIT para trás; não há o que reutilizar",
                Skipped::Listen => "listen(): UDP não tem fila de conexões; um socket associado já recebe datagramas",
                Skipped::Accept => "accept(): nenhum socket novo por cliente; o servidor conhece o cliente pelo primeiro datagrama",
                Skipped::Connect => "connect(): nenhum three-way handshake; o primeiro sendto já leva a mensagem",
                Skipped::Shutdown => "shutdown()/FIN: nada anuncia o fim; o close só libera o descritor",
            };
            format!("- o UDP não fez {why}")
        }
        Say::RecvReturnedZero { tcp, udp } => {
            format!("- recv retornando 0 (o FIN do outro lado): TCP {tcp}, UDP {udp}")
        }
        Say::Boundaries { tcp, udp } => format!("- fronteiras: TCP {tcp}; UDP {udp}"),
    }
}

const USAGE_SERVIDOR: &str = "\
Uso: servidor [HOST] [PORTA] [--backlog N] [--max-clients N] [--idle-timeout SEG]
               [--send-timeout SEG]

O servidor de chat do trabalho (servidor.py), sobre socket-lifecycle.
O console vai para a saída padrão; o trace do ciclo de vida, para a saída
de erro (RUST_LOG=debug para mais detalhes).

  HOST                 endereço onde escutar (padrão 0.0.0.0: todas as interfaces)
  PORTA                porta TCP (padrão 8888; 0: o kernel escolhe uma livre)
  --backlog N          tamanho da fila de aceitação: conexões prontas à
                       espera do accept() (padrão 5)
  --max-clients N      clientes atendidos ao mesmo tempo (padrão 100); os
                       demais esperam na fila de aceitação até abrir uma vaga
  --idle-timeout SEG   desconecta um cliente em silêncio há SEG segundos
                       (SO_RCVTIMEO; desativado por padrão)
  --send-timeout SEG   desconecta um cliente que não lê nenhuma das suas
                       respostas por SEG segundos, com os buffers cheios
                       (SO_SNDTIMEO; padrão 10; off: sem limite)
  -h, --help           esta ajuda

Ctrl+C (ou SIGTERM) encerra o servidor.";

const USAGE_SERVIDOR_POLL: &str = "\
Uso: servidor_poll [HOST] [PORTA] [--backlog N]

O servidor de chat do trabalho, com o mesmo protocolo e os mesmos textos,
mas atendendo todos os clientes numa só thread: sockets não bloqueantes e
um laço de poll(). O console vai para a saída padrão; o trace do ciclo de
vida, para a saída de erro (RUST_LOG=debug para mais detalhes).

  HOST          endereço onde escutar (padrão 0.0.0.0: todas as interfaces)
  PORTA         porta TCP (padrão 8888; 0: o kernel escolhe uma livre)
  --backlog N   tamanho da fila de aceitação (padrão 5)
  -h, --help    esta ajuda

Ctrl+C encerra o servidor.";

const USAGE_CLIENTE: &str = "\
Uso: cliente [HOST] [PORTA]

O cliente de chat do trabalho (cliente.py), sobre socket-lifecycle.
O console vai para a saída padrão; o trace do ciclo de vida, para a saída
de erro (RUST_LOG=debug para mais detalhes).

  HOST         endereço do servidor (padrão 127.0.0.1)
  PORTA        porta TCP do servidor (padrão 8888)
  -h, --help   esta ajuda

Digite 'sair' (ou Ctrl+D) para encerrar.";

const USAGE_UDP_SERVIDOR: &str = "\
Uso: udp_servidor [HOST] [PORTA]

O servidor de chat do trabalho, sobre UDP (datagramas, sem conexão).
O console vai para a saída padrão; o trace do ciclo de vida, para a saída
de erro (RUST_LOG=debug para mais detalhes).

  HOST         endereço onde receber (padrão 0.0.0.0: todas as interfaces)
  PORTA        porta UDP (padrão 8888; 0: o kernel escolhe uma livre)
  -h, --help   esta ajuda

Ctrl+C encerra o servidor.";

const USAGE_UDP_CLIENTE: &str = "\
Uso: udp_cliente [HOST] [PORTA] [--timeout SEG]

O cliente de chat do trabalho, sobre UDP (datagramas, sem conexão).
O console vai para a saída padrão; o trace do ciclo de vida, para a saída
de erro (RUST_LOG=debug para mais detalhes).

  HOST            endereço do servidor (padrão 127.0.0.1)
  PORTA           porta UDP do servidor (padrão 8888)
  --timeout SEG   quanto esperar por cada resposta (padrão 5; SO_RCVTIMEO)
  -h, --help      esta ajuda

Digite 'sair' (ou Ctrl+D) para encerrar.";
