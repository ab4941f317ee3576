//! Downloads the tiles of one online source on a few worker threads, within bounds a faulty
//! server cannot stretch: a connect and a whole-request timeout, a body size limit, retries with
//! a growing delay, and a pause of the whole source when the server says 429 or 503 (for its
//! `Retry-After`). Every outcome is counted for a status line.
//!
//! walkers' `HttpTiles` does none of this — no timeout (a stalled server holds a download slot
//! for ever), a failed tile stays blank until evicted, no retry, no `Retry-After`, no headers
//! but the User-Agent, decoding before any size check, and errors only logged — hence this.
//! The bytes are handed to `prepare` on the worker thread (the caller decodes them there, after
//! refusing what cannot be a tile), so this module knows nothing of egui.

use std::collections::{HashSet, VecDeque};
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::disk_cache::DiskCache;
use super::source::{TileKey, TileSource};

/// How a fetcher behaves; [`FetchOptions::default`] is what the window and exports use.
#[derive(Clone)]
pub struct FetchOptions {
    pub user_agent: String,
    /// Downloads at once: tile servers' policies ask for few (OSM: "no more than 2" per client is
    /// the usual reading); walkers' 6 is a browser's number.
    pub workers: usize,
    pub connect_timeout: Duration,
    /// The whole request, body included: a server that trickles bytes is cut off here.
    pub request_timeout: Duration,
    /// Tries of one tile (a 5xx or a broken connection) before it is given up.
    pub attempts: u32,
    /// The delay before the second try; doubled at each further one.
    pub first_retry: Duration,
    /// A 429/503 without a usable `Retry-After` pauses the source this long.
    pub default_pause: Duration,
    /// The longest pause a `Retry-After` can impose.
    pub max_pause: Duration,
    /// A tile body past this is refused unread (a raster tile is tens of KB).
    pub max_body: u64,
    pub cache: Option<Arc<DiskCache>>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            user_agent: String::new(),
            workers: 2,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            attempts: 3,
            first_retry: Duration::from_secs(1),
            default_pause: Duration::from_secs(30),
            max_pause: Duration::from_secs(600),
            max_body: 4 * 1024 * 1024,
            cache: None,
        }
    }
}

/// What became of a requested tile.
pub enum Outcome<T> {
    Tile(T),
    /// The server has no tile there (404, 204): nothing to draw, nothing wrong.
    Missing,
    /// Given up after its tries; the reason is in the [`FetchStatus`].
    Failed,
    /// Dropped from the queue for newer requests before it was fetched; ask again if still needed.
    Dropped,
}

/// What went wrong lately, for the status line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FetchStatus {
    /// Tiles given up (and not had since).
    pub failed: usize,
    /// Requests sent to the server (tiles from the disk cache are not counted).
    pub requests: usize,
    /// The last failure, in words ("HTTP 500 from tile.example.org").
    pub last_error: Option<String>,
    /// Until when the server asked to be left alone (429/503).
    pub paused_until: Option<Instant>,
}

/// Turns downloaded bytes into what the caller keeps, or refuses them with a reason.
pub type Prepare<T> = Arc<dyn Fn(&[u8], TileKey) -> Result<T, String> + Send + Sync>;

/// Requests waiting past this many are dropped oldest first: the map has moved on from them.
const MAX_QUEUED: usize = 96;

struct Job {
    key: TileKey,
    attempt: u32,
    not_before: Instant,
}

struct State<T> {
    queue: VecDeque<Job>,
    queued: HashSet<TileKey>,
    /// Tiles given up and not had since: what the status line counts as failed.
    given_up: HashSet<TileKey>,
    in_flight: usize,
    done: Vec<(TileKey, Outcome<T>)>,
    status: FetchStatus,
    closed: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    wake: Condvar,
    source: TileSource,
    options: FetchOptions,
    prepare: Prepare<T>,
    client: reqwest::blocking::Client,
    cache_key: String,
    /// Called after each outcome, so a window repaints to show it.
    on_done: Box<dyn Fn() + Send + Sync>,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The workers of one source. Dropping it stops them without waiting: a worker stuck in a
/// request ends when its timeout does, and its result is thrown away.
pub struct Fetcher<T: Send + 'static> {
    shared: Arc<Shared<T>>,
}

impl<T: Send + 'static> Fetcher<T> {
    pub fn new(
        source: TileSource,
        options: FetchOptions,
        prepare: Prepare<T>,
        on_done: Box<dyn Fn() + Send + Sync>,
    ) -> Result<Fetcher<T>, String> {
        source.validate()?;
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &source.headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| format!("header {name:?}: {e}"))?;
            let value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|e| format!("header {name}: {e}"))?;
            headers.insert(name, value);
        }
        let client = reqwest::blocking::Client::builder()
            .user_agent(options.user_agent.clone())
            .default_headers(headers)
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .build()
            .map_err(|e| format!("cannot start downloads: {e}"))?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                queued: HashSet::new(),
                given_up: HashSet::new(),
                in_flight: 0,
                done: Vec::new(),
                status: FetchStatus::default(),
                closed: false,
            }),
            wake: Condvar::new(),
            cache_key: source.cache_key(),
            source,
            prepare,
            client,
            on_done,
            options,
        });
        for n in 0..shared.options.workers.max(1) {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("claimmap-tiles-{n}"))
                .spawn(move || work(&shared))
                .map_err(|e| format!("cannot start downloads: {e}"))?;
        }
        Ok(Fetcher { shared })
    }

    /// Asks for a tile; a tile already waiting or downloading is not asked for twice. The newest
    /// requests are served first: they are what the map shows now.
    pub fn request(&self, key: TileKey) {
        let mut state = self.shared.lock();
        if !state.queued.insert(key) {
            return;
        }
        state.queue.push_back(Job {
            key,
            attempt: 0,
            not_before: Instant::now(),
        });
        while state.queue.len() > MAX_QUEUED {
            if let Some(old) = state.queue.pop_front() {
                state.queued.remove(&old.key);
                state.done.push((old.key, Outcome::Dropped));
            }
        }
        drop(state);
        self.shared.wake.notify_one();
    }

    /// The outcomes since the last call.
    pub fn take_done(&self) -> Vec<(TileKey, Outcome<T>)> {
        std::mem::take(&mut self.shared.lock().done)
    }

    /// Tiles waiting, waiting out a delay, or downloading.
    pub fn in_progress(&self) -> usize {
        let state = self.shared.lock();
        state.queue.len() + state.in_flight
    }

    pub fn status(&self) -> FetchStatus {
        let mut status = self.shared.lock().status.clone();
        status.paused_until = status.paused_until.filter(|t| *t > Instant::now());
        status
    }

    pub fn source(&self) -> &TileSource {
        &self.shared.source
    }
}

impl<T: Send + 'static> Drop for Fetcher<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.closed = true;
        state.queue.clear();
        drop(state);
        self.shared.wake.notify_all();
    }
}

/// One worker: takes the newest job that may run now, fetches it, files the outcome.
fn work<T: Send + 'static>(shared: &Shared<T>) {
    loop {
        let job = {
            let mut state = shared.lock();
            loop {
                if state.closed {
                    return;
                }
                let now = Instant::now();
                let paused = state.status.paused_until.filter(|t| *t > now);
                let ready = state.queue.iter().rposition(|j| j.not_before <= now);
                match (paused, ready) {
                    (None, Some(i)) => {
                        let job = state.queue.remove(i).expect("the position found");
                        state.in_flight += 1;
                        break job;
                    }
                    _ => {
                        // Sleep until the pause or the earliest delay ends, or a new request.
                        let next = state.queue.iter().map(|j| j.not_before).min();
                        let until = match (paused, next) {
                            (Some(p), _) => Some(p),
                            (None, n) => n,
                        };
                        let wait = until
                            .map(|t| t.saturating_duration_since(now))
                            .unwrap_or(Duration::from_secs(60))
                            .max(Duration::from_millis(5));
                        state = shared
                            .wake
                            .wait_timeout(state, wait)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                }
            }
        };
        let result = fetch(shared, job.key);
        let mut state = shared.lock();
        state.in_flight -= 1;
        if state.closed {
            return;
        }
        let outcome = match result {
            Attempt::Tile(tile) => {
                state.given_up.remove(&job.key);
                Some(Outcome::Tile(tile))
            }
            Attempt::Missing => {
                state.given_up.remove(&job.key);
                Some(Outcome::Missing)
            }
            Attempt::Fail(reason) => {
                state.given_up.insert(job.key);
                state.status.last_error = Some(reason);
                Some(Outcome::Failed)
            }
            Attempt::Retry { reason, pause } => {
                let now = Instant::now();
                if let Some(pause) = pause {
                    let until = now + pause.min(shared.options.max_pause);
                    state.status.paused_until = Some(until);
                }
                if job.attempt + 1 >= shared.options.attempts {
                    state.given_up.insert(job.key);
                    state.status.last_error = Some(reason);
                    Some(Outcome::Failed)
                } else {
                    state.status.last_error = Some(reason);
                    let delay = shared.options.first_retry * 2u32.saturating_pow(job.attempt);
                    state.queue.push_back(Job {
                        key: job.key,
                        attempt: job.attempt + 1,
                        not_before: now + delay,
                    });
                    None
                }
            }
        };
        if let Some(outcome) = outcome {
            state.queued.remove(&job.key);
            state.done.push((job.key, outcome));
        }
        state.status.failed = state.given_up.len();
        // Once nothing is failed, retried or paused, the last error is history: the line goes.
        let retrying = state.queue.iter().any(|j| j.attempt > 0);
        let paused = state
            .status
            .paused_until
            .is_some_and(|t| t > Instant::now());
        if state.given_up.is_empty() && !retrying && !paused {
            state.status.last_error = None;
        }
        drop(state);
        shared.wake.notify_all();
        (shared.on_done)();
    }
}

enum Attempt<T> {
    Tile(T),
    Missing,
    Fail(String),
    /// Worth another try later; `pause` when the server asked the whole source to wait.
    Retry {
        reason: String,
        pause: Option<Duration>,
    },
}

/// The disk cache first (a fresh copy is not asked for again), then the server; a stale copy
/// stands in when the server fails.
fn fetch<T>(shared: &Shared<T>, key: TileKey) -> Attempt<T> {
    let cache = shared.options.cache.as_deref();
    let cached = cache.and_then(|c| c.get(&shared.cache_key, key));
    if let Some(c) = &cached {
        match (shared.prepare)(&c.bytes, key) {
            Ok(tile) if c.fresh => return Attempt::Tile(tile),
            Ok(_) => {}
            Err(_) => {
                if let Some(cache) = cache {
                    cache.remove(&shared.cache_key, key);
                }
            }
        }
    }
    let attempt = download(shared, key);
    match attempt {
        Attempt::Tile(bytes) => match (shared.prepare)(&bytes, key) {
            Ok(tile) => {
                if let Some(cache) = cache {
                    // A full disk or a read-only cache folder costs only the cache.
                    let _ = cache.put(&shared.cache_key, key, &bytes);
                }
                Attempt::Tile(tile)
            }
            Err(reason) => Attempt::Fail(format!("tile {key} from {}: {reason}", host(shared))),
        },
        Attempt::Missing => Attempt::Missing,
        failed @ (Attempt::Fail(_) | Attempt::Retry { .. }) => {
            let stale = cached.and_then(|c| (shared.prepare)(&c.bytes, key).ok());
            match stale {
                Some(tile) => Attempt::Tile(tile),
                None => match failed {
                    Attempt::Fail(r) => Attempt::Fail(r),
                    Attempt::Retry { reason, pause } => Attempt::Retry { reason, pause },
                    _ => unreachable!("matched above"),
                },
            }
        }
    }
}

fn host<T>(shared: &Shared<T>) -> String {
    shared
        .source
        .host_and_port()
        .map(|(h, _)| h)
        .unwrap_or_default()
}

/// One GET of one tile, classified.
fn download<T>(shared: &Shared<T>, key: TileKey) -> Attempt<Vec<u8>> {
    let url = shared.source.tile_url(key);
    let from = host(shared);
    shared.lock().status.requests += 1;
    let started = Instant::now();
    let response = match shared.client.get(&url).send() {
        Ok(r) => r,
        Err(e) => {
            let what = if e.is_timeout() {
                "no answer in time"
            } else if e.is_connect() {
                "cannot connect"
            } else {
                "request failed"
            };
            return Attempt::Retry {
                reason: format!("{what} ({from})"),
                pause: None,
            };
        }
    };
    let status = response.status();
    match status.as_u16() {
        200..=299 if status.as_u16() != 204 => {}
        204 | 404 | 410 => return Attempt::Missing,
        429 | 503 => {
            let pause = retry_after(response.headers()).unwrap_or(shared.options.default_pause);
            return Attempt::Retry {
                reason: format!("HTTP {} from {from}", status.as_u16()),
                pause: Some(pause),
            };
        }
        500..=599 => {
            return Attempt::Retry {
                reason: format!("HTTP {} from {from}", status.as_u16()),
                pause: None,
            };
        }
        401 | 403 => {
            return Attempt::Fail(format!(
                "HTTP {} from {from}: refused (check the source's key or terms)",
                status.as_u16()
            ));
        }
        other => return Attempt::Fail(format!("HTTP {other} from {from}")),
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    // Error pages come as HTML or JSON with a 200; tiles as image/* (or untyped bytes).
    let tile_like = content_type.is_empty()
        || content_type.starts_with("image/")
        || content_type.starts_with("application/octet-stream")
        || content_type.starts_with("binary/octet-stream");
    if !tile_like {
        return Attempt::Fail(format!(
            "tile {key} from {from}: {content_type} instead of an image"
        ));
    }
    let limit = shared.options.max_body;
    if response.content_length().is_some_and(|n| n > limit) {
        return Attempt::Fail(format!(
            "tile {key} from {from}: larger than {} MB",
            limit / 1_000_000
        ));
    }
    let mut body = Vec::new();
    let mut reader = response.take(limit + 1);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        // Each read waits at most the request timeout; the sum is bounded here.
        if started.elapsed() > shared.options.request_timeout {
            return Attempt::Retry {
                reason: format!("no answer in time ({from})"),
                pause: None,
            };
        }
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(_) => {
                return Attempt::Retry {
                    reason: format!("connection broken ({from})"),
                    pause: None,
                };
            }
        }
    }
    if body.len() as u64 > limit {
        return Attempt::Fail(format!(
            "tile {key} from {from}: larger than {} MB",
            limit / 1_000_000
        ));
    }
    if body.is_empty() {
        return Attempt::Fail(format!("tile {key} from {from}: an empty answer"));
    }
    Attempt::Tile(body)
}

/// `Retry-After` in seconds (the form tile servers send; an HTTP date is read as absent).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}
