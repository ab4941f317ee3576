//! `--tile-wait` is bounded: a wait past an hour is refused by the argument parser with a clear
//! message (exit code 2), where `18446744073709551615` used to overflow the clock and panic.

mod common;

use common::claimmap;

#[test]
fn a_huge_tile_wait_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("figure.png");
    let output = claimmap()
        .args([
            "export",
            "--offline",
            "--tile-wait",
            "18446744073709551615",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--tile-wait"), "{stderr}");
    assert!(stderr.contains("0..=3600"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn the_longest_tile_wait_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("figure.png");
    // Offline, nothing is waited for: the bound is parsed and the figure written.
    claimmap()
        .args([
            "export",
            "--offline",
            "--tile-wait",
            "3600",
            "--size",
            "480x320",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(out.exists());
}
