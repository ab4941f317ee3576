//! Outputs are written whole or not at all, even when claimmap is killed while writing them
//! (issue 19): no temporary file outlives the process, a timelapse's stills folder holds exactly
//! one run's stills, and an output that is a link or a device is handled on purpose.

mod common;

use common::{claimmap, fixtures};

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether process `pid` has a file open in `dir` (an unnamed `O_TMPFILE` shows there as
/// `dir/#123 (deleted)`).
#[cfg(target_os = "linux")]
fn writing_into(pid: u32, dir: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.flatten().any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|target: PathBuf| target.starts_with(dir))
    })
}

/// `convert` is killed (SIGKILL, then SIGTERM) while it writes its output: the output folder is
/// left exactly as it was — no temporary file, no partial output.
#[cfg(target_os = "linux")]
#[test]
fn a_convert_killed_while_writing_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("acled.csv");
    std::fs::write(
        &input,
        claimmap::testing::acled_file::acled_bytes(20_000, 19),
    )
    .expect("input");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("out dir");
    std::fs::write(out_dir.join("kept.txt"), "untouched").expect("a file already there");
    for signal in [libc::SIGKILL, libc::SIGTERM] {
        let mut child = Process::new(env!("CARGO_BIN_EXE_claimmap"))
            .arg("convert")
            .arg(&input)
            .arg(out_dir.join("incidents.geojson"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns");
        let started = Instant::now();
        let caught = loop {
            if writing_into(child.id(), &out_dir) {
                break true;
            }
            if child.try_wait().expect("waits").is_some()
                || started.elapsed() > Duration::from_secs(300)
            {
                break false;
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        assert!(caught, "convert finished before it was seen writing");
        // SAFETY: signals a child this test started and has not reaped.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let status = child.wait().expect("waits");
        assert!(!status.success(), "killed by signal {signal}: {status}");
        assert_eq!(names(&out_dir), ["kept.txt"], "after signal {signal}");
    }
}

#[test]
fn a_shorter_timelapse_leaves_exactly_its_stills() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("film.png");
    let film = |to: &str| {
        claimmap()
            .args([
                "export",
                "--offline",
                "--size",
                "320x240",
                "--animate",
                "1m",
            ])
            .args(["--from", "2021-05-01", "--to", to])
            .args(["--center", "40.0,46.0", "--zoom", "7", "--out"])
            .arg(&out)
            .assert()
            .success();
    };
    film("2021-08-31");
    assert_eq!(names(&dir.path().join("film-frames")).len(), 4);
    film("2021-06-30");
    assert_eq!(
        names(&dir.path().join("film-frames")),
        ["frame-0001.png", "frame-0002.png"]
    );
    assert_eq!(names(dir.path()), ["film-frames", "film.png"]);
}

/// An output that is a symbolic link is written through: the file it points at is replaced and
/// the link stays a link.
#[cfg(unix)]
#[test]
fn convert_writes_through_a_symbolic_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    std::fs::write(data.join("real.geojson"), "old").expect("old file");
    let link = dir.path().join("latest.geojson");
    std::os::unix::fs::symlink("data/real.geojson", &link).expect("link");
    claimmap()
        .arg("convert")
        .arg(fixtures().join("plain.geojson"))
        .arg(&link)
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(data.join("real.geojson")).expect("written");
    assert!(written.contains("\"claimmap\""), "{written}");
    assert_eq!(names(&data), ["real.geojson"]);
}

/// A device (here `/dev/null` through a link named like a dataset, as `/dev/stdout` is a link)
/// or a folder is refused before anything is read: renaming a file over it would replace it.
#[cfg(unix)]
#[test]
fn convert_refuses_a_device_or_a_folder_as_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("x.geojson");
    std::fs::create_dir(&folder).expect("folder");
    let device_link = dir.path().join("null.geojson");
    std::os::unix::fs::symlink("/dev/null", &device_link).expect("link");
    for out in [&device_link, &folder] {
        let assert = claimmap()
            .arg("convert")
            .arg(fixtures().join("plain.geojson"))
            .arg(out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains("claimmap writes only regular files"),
            "{stderr}"
        );
    }
    assert!(
        std::fs::symlink_metadata(&device_link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(folder.is_dir());
}

/// The output's extension chooses the format; one convert cannot write is refused with the list
/// of those it can, and nothing is written.
#[test]
fn convert_refuses_an_output_format_it_cannot_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["out.xml", "out", "out.GEOJSON.txt"] {
        let out = dir.path().join(name);
        let assert = claimmap()
            .arg("convert")
            .arg(fixtures().join("plain.geojson"))
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(".geojson, .json"), "{name}: {stderr}");
        assert!(stderr.contains(".csv (a claims sheet"), "{name}: {stderr}");
        assert!(!out.exists());
    }
    claimmap()
        .arg("convert")
        .arg(fixtures().join("plain.geojson"))
        .arg(dir.path().join("OUT.GeoJSON"))
        .assert()
        .success();
}
