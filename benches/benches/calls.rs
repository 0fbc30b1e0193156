//! The cost of a call through `huaweicloud_drs::Client` against the same call made with plain
//! reqwest and hand-written serde types: `cargo bench -p drs-benches --bench calls`.
//!
//! Every call is `batch_show_job_statuses` (4.1.22) with its documented request body, answered
//! by a local server (in a child process, see `drs_benches::server`) with the documented
//! response. Four clients take turns, in rotating order, for several rounds of 10,000
//! sequential calls each: the crate's client with a token and validation on, the same with
//! validation off, the generated client alone (the token in reqwest's default headers, no
//! transport), and reqwest with hand-written types, the same timeouts and headers. The median
//! round of each is reported. Run it on one CPU (`taskset -c 0`, as `benches/run.sh` does):
//! across CPUs of a virtual machine, waking the other side costs more than the call.
//!
//! Memory is counted by a global allocator that keeps the number of live heap bytes. For each
//! client, 100 requests are started at once while the server holds its answers; when the server
//! has all 100, the live bytes above the idle client (warmed up with one call) divided by 100
//! is the memory one in-flight request holds, its connection included. The allocations made per
//! sequential call are counted too. Both are measured before the timed rounds, which run with
//! the counters off.
//!
//! `DRS_BENCH_CALLS` and `DRS_BENCH_ROUNDS` change the number of calls per round and of rounds;
//! `DRS_BENCH_ONLY=0|1|2|3` runs one client alone and prints its times, for profiling.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use drs_benches::payload;
use huaweicloud_drs::{ResponseValue, types};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Counts live heap bytes and allocations on top of the system allocator, while `COUNTING` is
/// set: the counters' atomic operations would otherwise slow down the timed rounds, and more so
/// for the client that allocates more.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(true);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            ALLOCATED.fetch_add(layout.size() as u64, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            let change = new_size as isize - layout.size() as isize;
            LIVE.fetch_add(change, Ordering::Relaxed);
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            ALLOCATED.fetch_add(new_size as u64, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const OPERATION: &str = "batch_show_job_statuses";
const PROJECT_ID: &str = "054ba152d480d55b2f5dc0069e7ddef0";
const TOKEN: &str = "MIIT-bench-token";
const IN_FLIGHT: usize = 100;

/// The request body of a plain reqwest user, with the reference's member names.
#[derive(Clone, Serialize, Deserialize)]
struct StatusQuery {
    jobs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_req: Option<PageQuery>,
}

#[derive(Clone, Serialize, Deserialize)]
struct PageQuery {
    cur_page: i32,
    per_page: i32,
}

#[derive(Deserialize)]
struct StatusAnswer {
    results: Option<Vec<JobState>>,
}

#[derive(Deserialize)]
struct JobState {
    #[allow(dead_code)]
    id: Option<String>,
    #[allow(dead_code)]
    status: Option<String>,
}

#[derive(Clone)]
enum Caller {
    Drs(huaweicloud_drs::Client),
    Generated(huaweicloud_drs_api::Client),
    Plain { http: reqwest::Client, url: String },
}

impl Caller {
    async fn drs(base: &str, validate: bool) -> Self {
        let client = huaweicloud_drs::Client::builder()
            .endpoint(base)
            .project_id(PROJECT_ID)
            .token(TOKEN)
            .expect("a token")
            .validate(validate)
            .build()
            .await
            .expect("a client");
        Self::Drs(client)
    }

    /// The generated client alone, the token in the reqwest client's default headers.
    fn generated(base: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("X-Auth-Token", TOKEN.parse().expect("a header value"));
        let http = reqwest::Client::builder()
            .user_agent("drs-benches")
            .default_headers(headers)
            .connect_timeout(huaweicloud_drs::DEFAULT_CONNECT_TIMEOUT)
            .timeout(huaweicloud_drs::DEFAULT_TIMEOUT)
            .build()
            .expect("a reqwest client");
        Self::Generated(huaweicloud_drs_api::Client::new_with_client(
            base,
            http,
            huaweicloud_drs_api::Hooks::default(),
        ))
    }

    fn plain(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .user_agent("drs-benches")
            .connect_timeout(huaweicloud_drs::DEFAULT_CONNECT_TIMEOUT)
            .timeout(huaweicloud_drs::DEFAULT_TIMEOUT)
            .build()
            .expect("a reqwest client");
        Self::Plain {
            http,
            url: format!("{base}/v3/{PROJECT_ID}/jobs/batch-status"),
        }
    }

    /// One call with a copy of `request`; the number of job statuses in the answer.
    async fn call(&self, request: &Request) -> usize {
        match self {
            Self::Drs(client) => job_count(
                client
                    .batch_show_job_statuses()
                    .body(request.typed.clone())
                    .send()
                    .await,
            ),
            Self::Generated(client) => job_count(
                client
                    .batch_show_job_statuses()
                    .project_id(PROJECT_ID)
                    .body(request.typed.clone())
                    .send()
                    .await,
            ),
            Self::Plain { http, url } => {
                let answer: StatusAnswer = http
                    .post(url)
                    .header("X-Auth-Token", TOKEN)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .json(&request.plain.clone())
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .expect("the call succeeds")
                    .json()
                    .await
                    .expect("the answer decodes");
                answer.results.map_or(0, |results| results.len())
            }
        }
    }
}

/// The number of job statuses in the typed answer of either client.
fn job_count<E: std::fmt::Debug>(
    answer: Result<ResponseValue<types::BatchShowJobStatusesResponse>, E>,
) -> usize {
    answer
        .expect("the call succeeds")
        .into_inner()
        .results
        .map_or(0, |results| results.len())
}

/// The documented request body, in the form each client takes.
struct Request {
    typed: types::BatchShowJobStatusesRequest,
    plain: StatusQuery,
}

impl Request {
    fn from_example(example: &Value) -> Self {
        Self {
            typed: serde_json::from_value(example.clone()).expect("the documented request"),
            plain: serde_json::from_value(example.clone()).expect("the documented request"),
        }
    }
}

const VARIANTS: [&str; 4] = [
    "huaweicloud_drs (validation on)",
    "huaweicloud_drs (validation off)",
    "huaweicloud_drs_api (generated, no transport)",
    "reqwest + hand-written serde",
];
/// The reference every other client is compared with.
const PLAIN: usize = 3;

async fn caller(variant: usize, base: &str) -> Caller {
    match variant {
        0 => Caller::drs(base, true).await,
        1 => Caller::drs(base, false).await,
        2 => Caller::generated(base),
        _ => Caller::plain(base),
    }
}

/// The child process serving the documented answer, and the pipes that steer it.
struct Server {
    child: Child,
    commands: ChildStdin,
    /// The server's output lines after the first, read by a thread of their own.
    events: mpsc::UnboundedReceiver<String>,
    base: String,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let commands = child.stdin.take().expect("stdin");
        let mut events_reader = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        events_reader
            .read_line(&mut line)
            .expect("the server says where it listens");
        let address = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("expected `listening ADDRESS`, got {line:?}"));
        let base = format!("http://{address}");
        let (sender, events) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in events_lines(events_reader) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            commands,
            events,
            base,
        }
    }

    fn send(&mut self, command: &str) {
        writeln!(self.commands, "{command}").expect("the server reads its commands");
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let spec = payload::load_spec(&payload::spec_path()).unwrap_or_else(|error| panic!("{error}"));
    let answer = payload::documented(&spec)
        .iter()
        .find(|payload| payload.operation == OPERATION)
        .unwrap_or_else(|| panic!("the spec documents no answer of {OPERATION}"))
        .body
        .clone();
    if std::env::args().nth(1).as_deref() == Some("serve") {
        drs_benches::server::serve(answer).expect("the server runs");
        return;
    }
    let request = Arc::new(Request::from_example(
        &spec["paths"]["/v3/{project_id}/jobs/batch-status"]["post"]["requestBody"]["content"]["application/json"]
            ["examples"]["two_jobs"]["value"],
    ));
    let expected: Value = serde_json::from_slice(&answer).expect("JSON");
    let expected = expected["results"].as_array().map_or(0, Vec::len);

    // reqwest is built without a crypto provider of its own, and only huaweicloud_drs's client
    // installs one: without this, a run of the other clients alone could not build theirs.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let calls = env_number("DRS_BENCH_CALLS", 10_000);
    let rounds = env_number("DRS_BENCH_ROUNDS", 5);
    let mut server = Server::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    // Counted first, from a process whose counters have been on since it started: the memory
    // of requests in flight, then the allocations of sequential calls. Then the timed rounds of
    // sequential calls, rotating which client goes first, with the counters off.
    let only: Option<usize> = std::env::var("DRS_BENCH_ONLY")
        .ok()
        .and_then(|value| value.parse().ok());
    let chosen = |variant: &usize| only.is_none_or(|only| only == *variant);

    let mut in_flight = vec![(0.0, 0.0); VARIANTS.len()];
    for variant in (0..VARIANTS.len()).filter(chosen) {
        in_flight[variant] = measure_in_flight(&runtime, &mut server, variant, &request);
    }

    let counted_calls = calls.min(1_000);
    let mut allocations = vec![0.0; VARIANTS.len()];
    let mut allocated = vec![0.0; VARIANTS.len()];
    for variant in (0..VARIANTS.len()).filter(chosen) {
        runtime.block_on(async {
            let caller = caller(variant, &server.base).await;
            caller.call(&request).await;
            let (count_before, bytes_before) = (
                ALLOCATIONS.load(Ordering::Relaxed),
                ALLOCATED.load(Ordering::Relaxed),
            );
            for _ in 0..counted_calls {
                std::hint::black_box(caller.call(&request).await);
            }
            let count = ALLOCATIONS.load(Ordering::Relaxed) - count_before;
            let bytes = ALLOCATED.load(Ordering::Relaxed) - bytes_before;
            allocations[variant] = count as f64 / counted_calls as f64;
            allocated[variant] = bytes as f64 / counted_calls as f64;
        });
    }

    let mut per_call = vec![Vec::new(); VARIANTS.len()];
    COUNTING.store(false, Ordering::Relaxed);
    for round in 0..rounds {
        for turn in 0..VARIANTS.len() {
            let variant = (round + turn) % VARIANTS.len();
            if !chosen(&variant) {
                continue;
            }
            runtime.block_on(async {
                let caller = caller(variant, &server.base).await;
                assert_eq!(caller.call(&request).await, expected);
                let started = Instant::now();
                for _ in 0..calls {
                    std::hint::black_box(caller.call(&request).await);
                }
                per_call[variant].push(started.elapsed().as_nanos() as f64 / calls as f64);
            });
        }
    }
    if only.is_some() {
        let micros: Vec<Vec<f64>> = per_call
            .iter()
            .map(|rounds| rounds.iter().map(|ns| ns / 1000.0).collect())
            .collect();
        println!("µs per call in each round: {micros:?}; allocations per call: {allocations:?}");
        return;
    }

    let plain = median(&mut per_call[PLAIN].clone());
    let mut rows = Vec::new();
    println!(
        "\n{calls} calls of {OPERATION} per round, {rounds} rounds, median round (µs per call):"
    );
    for (variant, name) in VARIANTS.iter().enumerate() {
        let mut times = per_call[variant].clone();
        let micros = median(&mut times) / 1000.0;
        let ratio = micros * 1000.0 / plain;
        let (memory, retained) = in_flight[variant];
        println!(
            "  {name:45} {micros:8.2} µs  x{ratio:.3} of reqwest  {:.0} allocations, {:.0} bytes allocated per call; \
             {memory:.0} bytes per in-flight request, {retained:.0} bytes kept per idle connection",
            allocations[variant], allocated[variant]
        );
        rows.push(json!({
            "client": name,
            "calls_per_round": calls,
            "rounds": rounds,
            "round_micros_per_call": per_call[variant].iter().map(|ns| ns / 1000.0).collect::<Vec<_>>(),
            "median_micros_per_call": micros,
            "ratio_to_reqwest": ratio,
            "allocations_per_call": allocations[variant],
            "bytes_allocated_per_call": allocated[variant],
            "bytes_per_in_flight_request": memory,
            "bytes_kept_per_idle_connection": retained,
        }));
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    if std::fs::create_dir_all(&out).is_ok() {
        let path = out.join("calls.json");
        match std::fs::write(&path, Value::Array(rows).to_string()) {
            Ok(()) => println!("wrote {}", path.display()),
            Err(error) => eprintln!("cannot write {}: {error}", path.display()),
        }
    }
    drop(server.commands);
    let _ = server.child.wait();
}

/// Live bytes per request while `IN_FLIGHT` requests wait for their answers, and per idle
/// connection once they are answered, above a client warmed up with one call.
fn measure_in_flight(
    runtime: &tokio::runtime::Runtime,
    server: &mut Server,
    variant: usize,
    request: &Arc<Request>,
) -> (f64, f64) {
    runtime.block_on(async {
        let caller = caller(variant, &server.base).await;
        caller.call(request).await;
        // Let the runtime settle before the baseline.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let baseline = LIVE.load(Ordering::Relaxed);

        server.send(&format!("hold {IN_FLIGHT}"));
        let line = server.events.recv().await.expect("the server answers");
        assert_eq!(line.trim(), "holding");
        let tasks: Vec<_> = (0..IN_FLIGHT)
            .map(|_| {
                let caller = caller.clone();
                let request = request.clone();
                tokio::spawn(async move { caller.call(&request).await })
            })
            .collect();
        // The tasks run while this one waits for the server to hold every request.
        let line = server.events.recv().await.expect("the server reports");
        assert_eq!(line.trim(), "held");
        let holding = LIVE.load(Ordering::Relaxed);

        server.send("release");
        for task in tasks {
            task.await.expect("the call ends");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let after = LIVE.load(Ordering::Relaxed);
        drop(caller);
        (
            (holding - baseline) as f64 / IN_FLIGHT as f64,
            (after - baseline) as f64 / IN_FLIGHT as f64,
        )
    })
}

fn events_lines(reader: BufReader<ChildStdout>) -> impl Iterator<Item = String> {
    reader.lines().map_while(Result::ok)
}
