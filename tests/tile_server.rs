//! Online tiles against a real HTTP server on 127.0.0.1, spawned by each test (std threads on a
//! TcpListener; no network needed): `claimmap export --tile-url` draws the tiles it serves (PNG
//! and JPEG), sends claimmap's User-Agent, asks one zoom level deeper at scale 2, and against a
//! faulty server — 500s, 429 with Retry-After, garbage bytes, an HTML page, a decompression bomb,
//! a connection that never answers — finishes within its `--tile-wait`, retries as designed, and
//! draws the vector basemap (the same pixels as `--basemap vector`) where the tiles failed.
//! `--offline` sends nothing at all.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::claimmap;

/// The colour of the served PNG tiles: nowhere in claimmap's own palette.
const TILE_COLOUR: [u8; 3] = [255, 0, 255];
/// The JPEG tiles' colour (JPEG shifts it a little; matched loosely).
const JPEG_COLOUR: [u8; 3] = [0, 200, 255];

/// One request the server saw.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    user_agent: String,
    at: Instant,
}

/// What the server answers to one request (the n-th it saw, counting from 0).
#[derive(Clone)]
enum Reply {
    Png,
    Jpeg,
    Status(u16),
    TooMany {
        retry_after: u64,
    },
    Garbage,
    Html,
    Bomb,
    /// Reads the request, then says nothing for a long time.
    Stall,
}

type Behaviour = Arc<dyn Fn(&str, usize) -> Reply + Send + Sync>;

struct TileServer {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl TileServer {
    fn start(behaviour: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> TileServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().expect("address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let behaviour: Behaviour = Arc::new(behaviour);
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = log.clone();
                let behaviour = behaviour.clone();
                std::thread::spawn(move || serve(stream, &log, &behaviour));
            }
        });
        TileServer { port, seen }
    }

    fn template(&self, ext: &str) -> String {
        format!("http://127.0.0.1:{}/{{z}}/{{x}}/{{y}}.{ext}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log").clone()
    }
}

fn serve(stream: TcpStream, log: &Mutex<Vec<Seen>>, behaviour: &Behaviour) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("user-agent")
                {
                    user_agent = value.trim().to_owned();
                }
            }
        }
    }
    let n = {
        let mut log = log.lock().expect("log");
        log.push(Seen {
            path: path.clone(),
            user_agent,
            at: Instant::now(),
        });
        log.len() - 1
    };
    let (status, headers, body): (u16, Vec<(&str, String)>, Vec<u8>) = match behaviour(&path, n) {
        Reply::Png => (200, vec![("Content-Type", "image/png".into())], png_tile()),
        Reply::Jpeg => (
            200,
            vec![("Content-Type", "image/jpeg".into())],
            jpeg_tile(),
        ),
        Reply::Status(code) => (code, vec![], b"server trouble".to_vec()),
        Reply::TooMany { retry_after } => (
            429,
            vec![("Retry-After", retry_after.to_string())],
            b"slow down".to_vec(),
        ),
        Reply::Garbage => (
            200,
            vec![("Content-Type", "image/png".into())],
            b"\x89PNG but not really, just bytes".to_vec(),
        ),
        Reply::Html => (
            200,
            vec![("Content-Type", "text/html; charset=utf-8".into())],
            b"<html><body>Access denied</body></html>".to_vec(),
        ),
        Reply::Bomb => (
            200,
            vec![("Content-Type", "image/png".into())],
            png_header(20_000, 20_000),
        ),
        Reply::Stall => {
            std::thread::sleep(Duration::from_secs(120));
            return;
        }
    };
    let mut stream = stream;
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn png_tile() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(256, 256, image::Rgb(TILE_COLOUR));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("PNG");
    bytes
}

fn jpeg_tile() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(256, 256, image::Rgb(JPEG_COLOUR));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .expect("JPEG");
    bytes
}

/// A PNG whose header says `width`×`height`, with the start of its pixel data: a decoder would
/// allocate the whole picture (1.6 GB) before finding the data short.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    writer
        .write_chunk(png::chunk::IDAT, &[0x78, 0x9c, 0xed, 0xc1, 0x01, 0x0d])
        .expect("IDAT");
    drop(writer);
    bytes
}

/// What an export run did.
struct Run {
    ok: bool,
    stderr: String,
    took: Duration,
    image: Option<image::RgbaImage>,
}

/// `claimmap export` of the reference dataset over the Lachin corridor at zoom 8, with its own
/// empty cache folder (so no tile comes from an earlier run).
fn export(dir: &Path, name: &str, basemap: &[&str], extra: &[&str]) -> Run {
    export_cached(
        dir,
        name,
        &dir.join(format!("{name}-cache")),
        basemap,
        extra,
    )
}

/// The same, with the cache folder given.
fn export_cached(dir: &Path, name: &str, cache: &Path, basemap: &[&str], extra: &[&str]) -> Run {
    let out: PathBuf = dir.join(name);
    let started = Instant::now();
    let output = claimmap()
        .env("XDG_CACHE_HOME", cache)
        .args([
            "export",
            "--center",
            "39.6,46.5",
            "--zoom",
            "8",
            "--size",
            "480x320",
            "--bare",
            "--generated",
            "2026-11-30T10:00:00Z",
        ])
        .args(basemap)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        ok: output.status.success(),
        stderr,
        took: started.elapsed(),
        image: image::open(&out).ok().map(|i| i.to_rgba8()),
    }
}

fn share_of(image: &image::RgbaImage, colour: [u8; 3], tolerance: u8) -> f64 {
    let close = |a: u8, b: u8| a.abs_diff(b) <= tolerance;
    let matching = image
        .pixels()
        .filter(|p| (0..3).all(|i| close(p.0[i], colour[i])))
        .count();
    matching as f64 / (image.width() * image.height()) as f64
}

/// The zoom levels asked for, from the paths `/{z}/{x}/{y}.ext`.
fn zooms(seen: &[Seen]) -> Vec<u8> {
    let mut zooms: Vec<u8> = seen
        .iter()
        .filter_map(|s| s.path.split('/').nth(1)?.parse().ok())
        .collect();
    zooms.sort_unstable();
    zooms.dedup();
    zooms
}

/// The figure with the vector basemap only, to compare a faulty server's figure with.
fn vector_only(dir: &Path) -> image::RgbaImage {
    let run = export(dir, "vector.png", &["--basemap", "vector"], &[]);
    assert!(run.ok, "{}", run.stderr);
    run.image.expect("the vector figure")
}

#[test]
fn served_tiles_are_drawn_with_claimmaps_user_agent() {
    let server = TileServer::start(|_, _| Reply::Png);
    let dir = tempfile::tempdir().expect("tempdir");
    let url = server.template("png");
    let run = export(
        dir.path(),
        "tiles.png",
        &[
            "--tile-url",
            &url,
            "--tile-attribution",
            "Test tiles © nobody",
        ],
        &["--tile-wait", "30"],
    );
    assert!(run.ok, "{}", run.stderr);
    let image = run.image.expect("a figure");
    // The map is covered by the served tiles, save what the markers and labels draw over them.
    let share = share_of(&image, TILE_COLOUR, 0);
    assert!(
        share > 0.5,
        "{:.0}% of the figure is the tiles' colour",
        share * 100.0
    );
    let seen = server.seen();
    assert!(!seen.is_empty());
    for s in &seen {
        assert!(
            s.user_agent.starts_with("claimmap/") && s.user_agent.contains("desktop"),
            "{s:?}"
        );
    }
    assert_eq!(zooms(&seen), vec![8], "the map's zoom at scale 1");
    // 480×320 px at zoom 8 spans at most 3×3 tiles: each asked for once.
    let mut paths: Vec<_> = seen.iter().map(|s| s.path.clone()).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), seen.len(), "a tile asked for twice: {seen:?}");
    // The command recorded in the figure makes it again, with the same source and credit.
    let bytes = std::fs::read(dir.path().join("tiles.png")).expect("figure");
    let meta = claimmap::testing::png_file::read_text(&bytes).expect("chunks");
    let command = &meta
        .iter()
        .find(|(k, _)| k == "claimmap:command")
        .expect("a command")
        .1;
    assert!(
        command.contains(&format!("--tile-url '{url}'")),
        "{command}"
    );
    assert!(
        command.contains("--tile-attribution 'Test tiles © nobody'"),
        "{command}"
    );
}

#[test]
fn jpeg_tiles_from_a_tms_template_are_drawn() {
    let server = TileServer::start(|_, _| Reply::Jpeg);
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "http://127.0.0.1:{}/tms/{{z}}/{{x}}/{{-y}}.jpg",
        server.port
    );
    let run = export(dir.path(), "jpeg.png", &["--tile-url", &url], &[]);
    assert!(run.ok, "{}", run.stderr);
    let share = share_of(&run.image.expect("a figure"), JPEG_COLOUR, 12);
    assert!(share > 0.5, "{:.0}% JPEG colour", share * 100.0);
    // TMS rows count from the south: at zoom 8 the Caucasus (row ~96 from the north) is ~159.
    let rows: Vec<u32> = server
        .seen()
        .iter()
        .filter_map(|s| {
            s.path
                .trim_end_matches(".jpg")
                .rsplit('/')
                .next()?
                .parse()
                .ok()
        })
        .collect();
    assert!(rows.iter().all(|r| (150..170).contains(r)), "{rows:?}");
}

#[test]
fn a_figure_at_scale_2_asks_for_tiles_one_zoom_deeper() {
    let server = TileServer::start(|_, _| Reply::Png);
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "print.png",
        &["--tile-url", &server.template("png")],
        &["--scale", "2", "--no-places"],
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(
        zooms(&server.seen()),
        vec![9],
        "zoom 8 at 2 pixels per point"
    );
    // On a map of half the points the translucent district discs of imprecise incidents cover
    // more of it: the tiles' colour is matched loosely under them.
    let share = share_of(&run.image.expect("a figure"), TILE_COLOUR, 40);
    assert!(share > 0.6, "{:.0}%", share * 100.0);
}

#[test]
fn offline_sends_no_request() {
    let server = TileServer::start(|_, _| Reply::Png);
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "offline.png",
        &["--tile-url", &server.template("png")],
        &["--offline"],
    );
    assert!(run.ok, "{}", run.stderr);
    std::thread::sleep(Duration::from_millis(200));
    assert!(server.seen().is_empty(), "{:?}", server.seen());
    assert_eq!(run.image, Some(vector_only(dir.path())));
}

#[test]
fn server_errors_are_retried_with_a_growing_delay_then_the_vector_map_shows() {
    let server = TileServer::start(|_, _| Reply::Status(500));
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "errors.png",
        &["--tile-url", &server.template("png")],
        &["--tile-wait", "20"],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains("HTTP 500 from 127.0.0.1"),
        "{}",
        run.stderr
    );
    // Three tries a tile, one and then two seconds apart: done long before the 20 s wait.
    assert!(run.took < Duration::from_secs(15), "{:?}", run.took);
    let seen = server.seen();
    let first = &seen[0].path;
    let tries: Vec<Instant> = seen
        .iter()
        .filter(|s| &s.path == first)
        .map(|s| s.at)
        .collect();
    assert_eq!(tries.len(), 3, "{seen:?}");
    let gaps = [tries[1] - tries[0], tries[2] - tries[1]];
    assert!(gaps[0] >= Duration::from_millis(900), "{gaps:?}");
    assert!(gaps[1] >= Duration::from_millis(1900), "{gaps:?}");
    assert_eq!(run.image, Some(vector_only(dir.path())));
}

#[test]
fn a_429_pauses_every_download_for_its_retry_after() {
    // The first request is refused with Retry-After: 2; every later one is served.
    let server = TileServer::start(|_, n| {
        if n == 0 {
            Reply::TooMany { retry_after: 2 }
        } else {
            Reply::Png
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "slow.png",
        &["--tile-url", &server.template("png")],
        &["--tile-wait", "30"],
    );
    assert!(run.ok, "{}", run.stderr);
    let seen = server.seen();
    let refused_at = seen[0].at;
    // Requests already sent with the first may arrive at once; none starts during the pause.
    let during: Vec<_> = seen[1..]
        .iter()
        .filter(|s| s.at - refused_at > Duration::from_millis(300))
        .filter(|s| s.at - refused_at < Duration::from_millis(1900))
        .collect();
    assert!(during.is_empty(), "requests during the pause: {during:?}");
    // The refused tile was asked again, and every tile drew.
    assert_eq!(seen.iter().filter(|s| s.path == seen[0].path).count(), 2);
    let share = share_of(&run.image.expect("a figure"), TILE_COLOUR, 0);
    assert!(share > 0.5, "{:.0}%", share * 100.0);
}

#[test]
fn a_server_that_never_answers_costs_only_the_tile_wait() {
    let server = TileServer::start(|_, _| Reply::Stall);
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "stalled.png",
        &["--tile-url", &server.template("png")],
        &["--tile-wait", "3"],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(run.took < Duration::from_secs(12), "{:?}", run.took);
    assert!(
        run.stderr.contains("had not arrived after 3 s"),
        "{}",
        run.stderr
    );
    assert_eq!(run.image, Some(vector_only(dir.path())));
}

#[test]
fn bad_bodies_are_refused_with_their_reason_and_not_retried() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vector = vector_only(dir.path());
    for (reply, name, says) in [
        (Reply::Garbage, "garbage", "unreadable image"),
        (
            Reply::Html,
            "html",
            "text/html; charset=utf-8 instead of an image",
        ),
        (
            Reply::Bomb,
            "bomb",
            "20000×20000 px, more than a tile can be",
        ),
        (Reply::Status(403), "forbidden", "HTTP 403 from 127.0.0.1"),
    ] {
        let server = TileServer::start(move |_, _| reply.clone());
        let run = export(
            dir.path(),
            &format!("{name}.png"),
            &["--tile-url", &server.template("png")],
            &["--tile-wait", "20"],
        );
        assert!(run.ok, "{name}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
        assert!(run.took < Duration::from_secs(10), "{name}: {:?}", run.took);
        let seen = server.seen();
        let mut paths: Vec<_> = seen.iter().map(|s| s.path.clone()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), seen.len(), "{name}: retried {seen:?}");
        assert_eq!(run.image.as_ref(), Some(&vector), "{name}");
    }
}

#[test]
fn a_bad_template_is_refused_before_anything_is_drawn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "bad.png",
        &["--tile-url", "http://127.0.0.1:9/{z}/{x}.png"],
        &[],
    );
    assert!(!run.ok);
    assert!(run.stderr.contains("--tile-url"), "{}", run.stderr);
    assert!(run.image.is_none());
}

/// The window over a source served from 127.0.0.1, before its first frame.
fn window_over(server: &TileServer) -> egui_kittest::Harness<'static, claimmap::ViewerApp> {
    let source = claimmap::TileSource::from_template(&server.template("png"), Some("Test tiles"))
        .expect("a valid template");
    let options = claimmap::WindowOptions {
        tile_source: Some(source),
        ..Default::default()
    };
    let app = claimmap::ViewerApp::new(&options, claimmap::testing::Settings::default());
    common::window::build(app, egui::vec2(1200.0, 800.0))
}

#[test]
fn the_window_says_what_failed_and_when_it_tries_again() {
    use egui_kittest::kittest::Queryable;
    let server = TileServer::start(|_, _| Reply::TooMany { retry_after: 30 });
    let mut harness = window_over(&server);
    let started = Instant::now();
    let prefix = "tiles: HTTP 429 from 127.0.0.1, retrying in";
    while harness.query_by_label_contains(prefix).is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no status line after {:?}",
            started.elapsed()
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    // The server's 30 s, counted down (a loaded machine may take a few to show the line).
    assert!(
        (20..=30).any(|s| harness
            .query_by_label_contains(&format!("{prefix} {s} s"))
            .is_some()),
        "no countdown from 30 s"
    );
    // The pause holds: only the requests already under way when the 429 came were sent.
    std::thread::sleep(Duration::from_millis(500));
    harness.step();
    assert!(server.seen().len() <= 2, "{:?}", server.seen());
}

#[test]
fn a_stalled_server_never_freezes_a_frame() {
    let server = TileServer::start(|_, _| Reply::Stall);
    let mut harness = window_over(&server);
    let started = Instant::now();
    while server.seen().is_empty() && started.elapsed() < Duration::from_secs(20) {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!server.seen().is_empty(), "no tile asked for");
    // The downloads hang on the server; the frames do not wait for them (a frame that waited
    // would take the 20 s request timeout).
    for _ in 0..10 {
        let frame = Instant::now();
        harness.step();
        assert!(
            frame.elapsed() < Duration::from_secs(3),
            "{:?}",
            frame.elapsed()
        );
    }
    let status = harness.state().tile_layer().map(|l| l.label());
    assert_eq!(status, Some(format!("127.0.0.1:{}", server.port)));
}

#[test]
fn downloaded_tiles_are_kept_on_disk_and_used_while_fresh() {
    let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let is_down = down.clone();
    let server = TileServer::start(move |_, _| {
        if is_down.load(std::sync::atomic::Ordering::SeqCst) {
            Reply::Status(500)
        } else {
            Reply::Png
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    let url = server.template("png");
    let first = export_cached(dir.path(), "first.png", &cache, &["--tile-url", &url], &[]);
    assert!(first.ok, "{}", first.stderr);
    let asked = server.seen().len();
    assert!(asked > 0);
    let stored = walk(&cache.join("claimmap/tiles"));
    assert_eq!(stored, asked, "one file per tile downloaded");
    // The server is down now; the tiles on disk are a day old at most: nothing is asked.
    down.store(true, std::sync::atomic::Ordering::SeqCst);
    let second = export_cached(dir.path(), "second.png", &cache, &["--tile-url", &url], &[]);
    assert!(second.ok, "{}", second.stderr);
    assert_eq!(
        server.seen().len(),
        asked,
        "fresh tiles are not asked again"
    );
    assert_eq!(second.image, first.image);
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.file_type().is_ok_and(|t| t.is_dir()) {
                    true => walk(&e.path()),
                    false => 1,
                })
                .sum()
        })
        .unwrap_or(0)
}

#[test]
fn a_preset_is_recorded_by_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = export(
        dir.path(),
        "esri.png",
        &["--basemap", "esri-imagery"],
        &["--offline"],
    );
    assert!(run.ok, "{}", run.stderr);
    let bytes = std::fs::read(dir.path().join("esri.png")).expect("figure");
    let meta = claimmap::testing::png_file::read_text(&bytes).expect("chunks");
    let command = &meta
        .iter()
        .find(|(k, _)| k == "claimmap:command")
        .expect("a command")
        .1;
    assert!(
        command.contains("--basemap esri-imagery --offline"),
        "{command}"
    );
}
