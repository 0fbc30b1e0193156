//! A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with one fixed JSON body,
//! keeping connections alive. Both sides of the call benchmark talk to the same server, which
//! runs in a child process so that its allocations do not count as the client's.
//!
//! It is driven by lines on its standard input: `hold N` makes it print `holding`, then keep the
//! next `N` requests unanswered and print `held` once all `N` have arrived; `release` answers
//! them. It prints
//! `listening ADDRESS` when ready and stops when its standard input closes.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Requests whose answers wait for `release`.
#[derive(Default)]
struct Hold {
    wanted: usize,
    waiting: Vec<oneshot::Sender<()>>,
}

/// Serves `body` until standard input closes.
pub fn serve(body: Vec<u8>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let hold = Arc::new(Mutex::new(Hold::default()));
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-request-id: 0123456789abcdef0123456789abcdef\r\n\r\n",
        body.len()
    );
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&body);
    let answer: Arc<[u8]> = answer.into();

    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"))?;
    println!("listening {}", listener.local_addr()?);
    std::io::stdout().flush()?;

    let accepting = {
        let hold = hold.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, answer.clone(), hold.clone()));
            }
        })
    };
    // Commands arrive on a plain thread: standard input blocks.
    std::thread::scope(|scope| {
        let _runtime_thread = scope.spawn(|| runtime.block_on(accepting));
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let mut hold = hold.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match line.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["hold", count] => {
                    hold.wanted = count.parse().unwrap_or(0);
                    // The client starts its requests only after this answer, so that none of
                    // them is answered before the hold is in place.
                    println!("holding");
                    let _ = std::io::stdout().flush();
                }
                ["release"] => {
                    hold.wanted = 0;
                    for waiting in hold.waiting.drain(..) {
                        let _ = waiting.send(());
                    }
                }
                _ => eprintln!("unknown command {line:?}: expected `hold N` or `release`"),
            }
        }
        std::process::exit(0);
    })
}

async fn connection(mut stream: TcpStream, answer: Arc<[u8]>, hold: Arc<Mutex<Hold>>) {
    let mut buffer = Vec::with_capacity(8192);
    loop {
        let Some(length) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        buffer.drain(..length);
        let release = {
            let mut hold = hold.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if hold.wanted > 0 {
                let (sender, receiver) = oneshot::channel();
                hold.waiting.push(sender);
                if hold.waiting.len() == hold.wanted {
                    println!("held");
                    let _ = std::io::stdout().flush();
                }
                Some(receiver)
            } else {
                None
            }
        };
        if let Some(release) = release {
            let _ = release.await;
        }
        if stream.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// Reads one request (head and `content-length` body) into `buffer`, returning its length;
/// `None` when the connection closes or sends something this server does not understand.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<usize> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            let head = std::str::from_utf8(&buffer[..end]).ok()?;
            let body = head
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .map_or(Some(0), |(_, value)| value.trim().parse().ok())?;
            let total = end + 4 + body;
            while buffer.len() < total {
                let read = stream.read(&mut chunk).await.ok()?;
                if read == 0 {
                    return None;
                }
                buffer.extend_from_slice(&chunk[..read]);
            }
            return Some(total);
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
