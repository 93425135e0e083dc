//! `sfnsim serve`: the Step Functions API over HTTP, in AWS's JSON 1.0 protocol (POST /,
//! `X-Amz-Target: AWSStepFunctions.<Operation>`), so the AWS CLI, boto3 and the SDKs work with
//! `--endpoint-url`. Signatures are accepted unchecked.
//!
//! Clock: by default the service's virtual clock follows wall time (clock.rs), `--time-scale F`
//! times faster. With `--virtual-clock` time moves when a caller asks
//! (`AWSStepFunctions.SfnsimAdvanceClock {"seconds": N}`), when an operation waits
//! (GetActivityTask's long poll, StartSyncExecution), and by itself to the next timer when only
//! time can make something happen; none of it takes real time. `--compat sfn-local` (compat.rs)
//! answers as Step Functions Local does; `--log`, `--log-executions` (log.rs) say what happens.
//!
//! The pieces: hyper's HTTP/1 server on tokio accepts connections (here, bounded by
//! connections.rs) and serves their requests (http.rs); each call (operations.rs) runs on the
//! one shared service (shared_service.rs), whose timer task fires Waits and retries on time.

mod clock;
pub mod compat;
mod connections;
mod http;
mod journal;
pub mod log;
mod operations;
mod pollers;
mod shared_service;

use clock::Clock;
use connections::Connections;
use shared_service::SharedService;
use sfnsim::service::{Service, ServiceConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// What `sfnsim serve` was asked for.
pub struct Options {
    pub host: String,
    pub port: u16,
    pub virtual_clock: bool,
    /// `--virtual-clock=manual`: it moves only on SfnsimAdvanceClock and while an operation waits.
    pub manual_clock: bool,
    /// `--time-scale F`: the wall clock runs F times faster (1: wall time).
    pub time_scale: f64,
    pub config: ServiceConfig,
    pub limits: Limits,
    /// `--state-dir DIR`: keep the state there across restarts (journal.rs).
    pub state_dir: Option<String>,
    /// `--seed` was given (a kept state's seed must then be the same).
    pub seed_given: bool,
}

/// The bounds that keep one client from taking the server down.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body. AWS documents 1 MB per request; a request whose one member is over
    /// its limit (a definition over 1,048,576 characters, an input over 262,144 bytes) must still
    /// reach the service to get AWS's ValidationException, so the bound leaves room for the
    /// escaping and multi-byte text of such a member.
    pub max_body_bytes: usize,
    /// Largest request head (hyper's read buffer).
    pub max_header_bytes: usize,
    /// Time for a request head to arrive; also how long a keep-alive connection may stay idle.
    pub header_timeout: Duration,
    /// Time for a request body to arrive.
    pub body_timeout: Duration,
    /// Open connections at most (also capped under the file-descriptor limit).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 * 1024 * 1024,
            max_header_bytes: 64 * 1024,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_connections: 10_000,
        }
    }
}

/// A value that differs between runs of the server (wall time and process id, mixed).
pub fn process_nonce() -> u64 {
    static NONCE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *NONCE.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        mix(nanos ^ (u64::from(std::process::id()) << 40))
    })
}

/// SplitMix64's finalizer: spreads every input bit over the output.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Raises the soft file-descriptor limit to the hard one and returns how many connections fit
/// under it, keeping some descriptors for the runtime and the listener.
fn connections_under_fd_limit(wanted: usize) -> usize {
    const RESERVED: u64 = 64;
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    let soft = unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return wanted.min(1024 - RESERVED as usize);
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
        lim.rlim_cur
    };
    (soft.saturating_sub(RESERVED).max(16) as usize).min(wanted)
}

/// Serves until SIGTERM or Ctrl-C.
pub fn serve(opts: Options) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Deep definitions (up to 256 levels of JSON) are parsed, validated and run by recursion:
        // a debug build's frames need far more than tokio's default 2 MiB.
        .thread_stack_size(32 << 20)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(run(opts))
}

async fn run(opts: Options) -> Result<(), String> {
    let addr = format!("{}:{}", opts.host, opts.port);
    let listener = TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let mut config = opts.config;
    config.start_time_ms = clock::wall_ms();
    let clock = match (opts.virtual_clock, opts.time_scale) {
        (true, _) => Clock::Virtual { by_itself: !opts.manual_clock },
        (false, f) if f != 1.0 => Clock::Scaled { factor: f, origin_ms: config.start_time_ms },
        _ => Clock::Wall,
    };
    let service = match &opts.state_dir {
        Some(dir) => journal::open(dir, config, opts.seed_given)?,
        None => Service::new(config),
    };
    let svc = SharedService::start(service, clock);
    let limits = Arc::new(opts.limits);
    let max_connections = connections_under_fd_limit(limits.max_connections);
    let connections = Connections::new(max_connections);
    eprintln!(
        "sfnsim serve: AWS Step Functions API (JSON 1.0) on http://{addr} — clock: {} — up to {max_connections} connections",
        match clock {
            Clock::Virtual { by_itself: true } => "virtual (moves by itself to the next timer when only time can make something happen; SfnsimAdvanceClock)".to_string(),
            Clock::Virtual { by_itself: false } => "virtual (advance with SfnsimAdvanceClock)".to_string(),
            Clock::Scaled { factor, .. } => format!("wall time x {factor}"),
            Clock::Wall => "wall time".to_string(),
        }
    );
    let stop = shutdown_signal();
    tokio::pin!(stop);
    let mut last_accept_error: Option<Instant> = None;
    loop {
        let slot = tokio::select! {
            signal = &mut stop => {
                eprintln!("sfnsim serve: {signal}; stopping");
                break;
            }
            slot = connections.acquire() => slot,
        };
        let accepted = tokio::select! {
            signal = &mut stop => {
                eprintln!("sfnsim serve: {signal}; stopping");
                break;
            }
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(http::serve_connection(stream, slot, svc.clone(), limits.clone()));
            }
            Err(e) => {
                // Out of descriptors, a connection reset before accept, ...: say so (at most
                // once a second), pause a little and go on; the server never stops on its own.
                if last_accept_error.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                    eprintln!("sfnsim serve: accept failed: {e} (continuing)");
                    last_accept_error = Some(Instant::now());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    // Let requests in flight finish (briefly: a long poll may wait a minute), then exit.
    drop(listener);
    connections.close_all_when_idle();
    let grace = Instant::now() + Duration::from_secs(5);
    while connections.open_count() > 0 && Instant::now() < grace {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT), naming it.
async fn shutdown_signal() -> &'static str {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("sfnsim serve: cannot watch SIGTERM: {e}");
            let _ = tokio::signal::ctrl_c().await;
            return "interrupted";
        }
    };
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = tokio::signal::ctrl_c() => "interrupted",
    }
}
