//! What the integration tests share: the fixture folder, the command-line runner, dates, synthetic
//! datasets built without a file, and the headless window. Each test binary compiles this module
//! on its own and uses only part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod builders;
pub mod window;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use claimmap::Day;

/// The folder of the test fixtures shipped with the repository.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture file by its path under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// The `claimmap` binary with no display: the command line must not need one.
pub fn claimmap() -> Command {
    let mut cmd = Command::cargo_bin("claimmap").expect("the claimmap binary");
    cmd.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    cmd
}

/// A day written `YYYY-MM-DD`.
pub fn day(text: &str) -> Day {
    Day::parse_iso(text).expect("test date")
}
