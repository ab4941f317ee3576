//! Every file claimmap writes goes through here: written whole into a temporary file beside the
//! target, then put in place by one rename, so a reader never sees half a file and a failure
//! leaves the old one intact.
//!
//! On Linux the temporary file has no name (`O_TMPFILE`): a process killed while writing (SIGKILL,
//! SIGTERM, Ctrl+C) leaves nothing behind, since the kernel frees an unnamed file with its last
//! descriptor. It is given a name only once complete, for the instant of the rename. Elsewhere,
//! and on file systems without `O_TMPFILE`, it is a named `.claimmap-PID-XXXXXX.tmp`; such files
//! (and the temporary frame folders of a timelapse) whose process is gone are removed by the next
//! write into the same folder.
//!
//! An output that is a symbolic link is written through: the file the link points at is replaced
//! (atomically, beside it) and the link stays a link. An output that exists and is not a regular
//! file (a device such as `/dev/stdout`, a pipe, a folder) is refused: renaming over it would
//! replace it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The name every temporary file and folder starts with, for stale ones to be recognised.
const TEMP_PREFIX: &str = ".claimmap-";
const TEMP_SUFFIX: &str = ".tmp";
/// More links than this in a chain is a loop (the kernel's own limit is 40).
const MAX_LINKS: usize = 40;

/// A file being written, put in place by [`AtomicFile::commit`]; dropped uncommitted, it
/// vanishes and the target is untouched.
pub struct AtomicFile {
    file: io::BufWriter<std::fs::File>,
    /// Where the file goes: the output with its symbolic links followed.
    target: PathBuf,
    /// The temporary file's name, when it has one (not `O_TMPFILE`); removed on drop.
    named: Option<tempfile::TempPath>,
}

impl AtomicFile {
    /// Starts writing `path` (through its symbolic links).
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        let target = resolve_output(path)?;
        let dir = parent_dir(&target);
        remove_stale(&dir);
        let mode = existing_mode(&target);
        #[cfg(target_os = "linux")]
        if let Ok(file) = unnamed_in(&dir, mode) {
            return Ok(AtomicFile {
                file: io::BufWriter::with_capacity(1 << 16, file),
                target,
                named: None,
            });
        }
        let temp = temp_builder()
            .permissions(permissions(mode))
            .tempfile_in(&dir)?;
        let (file, path) = temp.into_parts();
        Ok(AtomicFile {
            file: io::BufWriter::with_capacity(1 << 16, file),
            target,
            named: Some(path),
        })
    }

    /// Flushes the file to disk and puts it in place of the target.
    /// Whether the temporary file has a name, i.e. could be seen in the folder while written.
    #[cfg(test)]
    fn is_named(&self) -> bool {
        self.named.is_some()
    }

    pub fn commit(self) -> io::Result<()> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        match self.named {
            Some(path) => path.persist(&self.target).map_err(|e| e.error)?,
            #[cfg(target_os = "linux")]
            None => {
                let dir = parent_dir(&self.target);
                // Named only for the rename; if the process dies in between, the next write here
                // removes it as stale.
                let linked = temp_builder().make_in(&dir, |name| link_unnamed(&file, name))?;
                linked
                    .into_temp_path()
                    .persist(&self.target)
                    .map_err(|e| e.error)?;
            }
            #[cfg(not(target_os = "linux"))]
            None => unreachable!("only Linux writes unnamed files"),
        }
        // The rename is durable once the folder is; not all file systems let a folder be synced.
        if let Ok(dir) = std::fs::File::open(parent_dir(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Writes `contents` to `path` atomically (see the module documentation).
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(contents)?;
    file.commit()
}

/// A folder written whole or not at all: filled under a temporary name beside its target, then
/// swapped in for it, so the target holds exactly what this run wrote (no still left over from a
/// longer film) or, if the run fails, exactly what it held before.
pub struct AtomicDir {
    temp: Option<tempfile::TempDir>,
    target: PathBuf,
}

impl AtomicDir {
    pub fn create(path: &Path) -> io::Result<AtomicDir> {
        if let Ok(meta) = std::fs::symlink_metadata(path)
            && !meta.is_dir()
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} exists and is not a folder", path.display()),
            ));
        }
        let dir = parent_dir(path);
        remove_stale(&dir);
        let temp = temp_builder()
            .permissions(permissions(Some(0o755)))
            .tempdir_in(&dir)?;
        Ok(AtomicDir {
            temp: Some(temp),
            target: path.to_owned(),
        })
    }

    /// Where the folder's files are written until [`Self::commit`].
    pub fn path(&self) -> &Path {
        self.temp.as_ref().expect("present until committed").path()
    }

    /// Puts the folder in place of the target, and removes what the target held.
    pub fn commit(mut self) -> io::Result<()> {
        let temp = self.temp.take().expect("committed once");
        let staged = temp.keep();
        match std::fs::rename(&staged, &self.target) {
            Ok(()) => Ok(()),
            // A folder is renamed only over an empty one: swap the two (atomically on Linux),
            // then remove the old one, now under the temporary name.
            Err(_) if self.target.is_dir() => {
                swap_dirs(&staged, &self.target)?;
                std::fs::remove_dir_all(&staged)
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staged);
                Err(e)
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn swap_dirs(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn swap_dirs(a: &Path, b: &Path) -> io::Result<()> {
    // Two renames: the target is missing for an instant, never half written.
    let old = a.with_extension("old.tmp");
    std::fs::rename(b, &old)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&old, a)
}

fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    // The process id lets a later run tell a stale temporary from one still being written.
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let prefix = PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-", std::process::id()));
    builder.prefix(prefix).suffix(TEMP_SUFFIX);
    builder
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// The file a write to `path` lands in: `path` with its symbolic links followed. Refused when
/// it exists and is not a regular file, or the links loop.
pub fn resolve_output(path: &Path) -> io::Result<PathBuf> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, a pipe or a socket)"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is {what}; claimmap writes only regular files",
                path.display()
            ),
        ));
    }
    let mut target = path.to_owned();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&target)?;
                target = parent_dir(&target).join(link);
            }
            _ => return Ok(target),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{} is a loop of symbolic links", path.display()),
    ))
}

/// The permission bits of the file being replaced, kept by its replacement.
fn existing_mode(target: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(target)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = target;
        None
    }
}

/// Readable by others like any file the user saves (temporary files are private by default, and
/// the rename would keep that), or the mode of the file replaced.
fn permissions(mode: Option<u32>) -> std::fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(mode.unwrap_or(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        std::fs::File::open(".")
            .and_then(|f| f.metadata())
            .map(|m| m.permissions())
            .expect("the current folder can be read")
    }
}

#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path, mode: Option<u32>) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_TMPFILE)
        .mode(0o600)
        .open(dir)?;
    // Set after opening, so the umask does not narrow the mode of a file being replaced.
    file.set_permissions(permissions(mode))?;
    Ok(file)
}

/// Gives the unnamed `file` the name `name` (failing if it exists).
#[cfg(target_os = "linux")]
fn link_unnamed(file: &std::fs::File, name: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(name.as_os_str().as_bytes())?;
    let proc_path = std::ffi::CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
    // SAFETY: valid NUL-terminated paths and an open descriptor; linkat only reads them.
    let via_proc = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            proc_path.as_ptr(),
            libc::AT_FDCWD,
            name.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if via_proc == 0 {
        return Ok(());
    }
    let proc_error = io::Error::last_os_error();
    if proc_error.kind() == io::ErrorKind::AlreadyExists {
        return Err(proc_error);
    }
    // Without /proc: linking the descriptor itself needs CAP_DAC_READ_SEARCH.
    let empty = c"";
    // SAFETY: as above; AT_EMPTY_PATH links the open descriptor.
    let via_fd = unsafe {
        libc::linkat(
            file.as_raw_fd(),
            empty.as_ptr(),
            libc::AT_FDCWD,
            name.as_ptr(),
            libc::AT_EMPTY_PATH,
        )
    };
    if via_fd == 0 { Ok(()) } else { Err(proc_error) }
}

/// Removes the temporary files and folders in `dir` left by claimmap processes that are gone
/// (killed while writing where files could not be unnamed). Best effort: what cannot be removed
/// stays, and never stops a write.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(stale_pid) else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
    }
}

/// The process id in a temporary's name `.claimmap-PID-XXXXXX.tmp`.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty()).then_some(())?;
    pid.parse().ok()
}

fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        if unsafe { libc::kill(pid, 0) } == 0 {
            return true;
        }
        // It exists but belongs to someone else.
        io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process id above Linux's largest (2^22): never alive.
    const DEAD_PID: u32 = 99_999_999;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("test io")
            .map(|e| {
                e.expect("test io")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_whole_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().expect("test io");
        let out = dir.path().join("out.geojson");
        std::fs::write(&out, "old").expect("test io");
        let mut file = AtomicFile::create(&out).expect("test io");
        file.write_all(b"new contents").expect("test io");
        #[cfg(target_os = "linux")]
        assert!(!file.is_named(), "tmpfs and ext4 support O_TMPFILE");
        // While written, the folder shows only the old file.
        assert_eq!(names(dir.path()), ["out.geojson"]);
        assert_eq!(std::fs::read_to_string(&out).expect("test io"), "old");
        file.commit().expect("test io");
        assert_eq!(
            std::fs::read_to_string(&out).expect("test io"),
            "new contents"
        );
        assert_eq!(names(dir.path()), ["out.geojson"]);
    }

    #[test]
    fn dropped_uncommitted_leaves_the_target_and_no_temporary() {
        let dir = tempfile::tempdir().expect("test io");
        let out = dir.path().join("out.geojson");
        let mut file = AtomicFile::create(&out).expect("test io");
        file.write_all(&[b'x'; 100_000]).expect("test io");
        drop(file);
        assert!(names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("test io");
        let out = dir.path().join("out.csv");
        std::fs::write(&out, "old").expect("test io");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("test io");
        write_atomic(&out, b"new").expect("test io");
        let mode = std::fs::metadata(&out)
            .expect("test io")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o640);
        let fresh = dir.path().join("fresh.csv");
        write_atomic(&fresh, b"new").expect("test io");
        let mode = std::fs::metadata(&fresh)
            .expect("test io")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode & 0o444, 0o444, "readable by others: {mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symbolic_link_and_keeps_the_link() {
        let dir = tempfile::tempdir().expect("test io");
        let real_dir = dir.path().join("real");
        std::fs::create_dir(&real_dir).expect("test io");
        let real = real_dir.join("data.geojson");
        std::fs::write(&real, "old").expect("test io");
        let link = dir.path().join("link.geojson");
        std::os::unix::fs::symlink("real/data.geojson", &link).expect("test io");
        write_atomic(&link, b"new").expect("test io");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("test io")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).expect("test io"), "new");
        // A dangling link: its target is created.
        let dangling = dir.path().join("dangling.geojson");
        std::os::unix::fs::symlink("real/new.geojson", &dangling).expect("test io");
        write_atomic(&dangling, b"made").expect("test io");
        assert!(
            std::fs::symlink_metadata(&dangling)
                .expect("test io")
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(real_dir.join("new.geojson")).expect("test io"),
            "made"
        );
        // A loop is refused.
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).expect("test io");
        std::os::unix::fs::symlink("a", dir.path().join("b")).expect("test io");
        let e = write_atomic(&a, b"x").expect_err("refused");
        assert!(e.to_string().contains("loop"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_pipes_and_folders() {
        for path in ["/dev/null", "/tmp"] {
            let e = AtomicFile::create(Path::new(path)).err().expect(path);
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{path}: {e}");
            assert!(
                e.to_string().contains("claimmap writes only regular files"),
                "{e}"
            );
        }
    }

    #[test]
    fn removes_the_temporaries_of_processes_that_are_gone() {
        let dir = tempfile::tempdir().expect("test io");
        let stale_file = format!(".claimmap-{DEAD_PID}-abc123.tmp");
        let stale_dir = format!(".claimmap-{DEAD_PID}-def456.tmp");
        let live = format!(".claimmap-{}-ghi789.tmp", std::process::id());
        std::fs::write(dir.path().join(&stale_file), "x").expect("test io");
        std::fs::create_dir(dir.path().join(&stale_dir)).expect("test io");
        std::fs::write(dir.path().join(&stale_dir).join("frame-0001.png"), "x").expect("test io");
        std::fs::write(dir.path().join(&live), "x").expect("test io");
        std::fs::write(dir.path().join(".claimmap-notes.tmp"), "x").expect("test io");
        write_atomic(&dir.path().join("out.png"), b"png").expect("test io");
        let mut expected = [".claimmap-notes.tmp".to_owned(), live, "out.png".to_owned()];
        expected.sort();
        assert_eq!(names(dir.path()), expected);
    }

    #[test]
    fn a_folder_is_swapped_in_whole() {
        let dir = tempfile::tempdir().expect("test io");
        let frames = dir.path().join("film-frames");
        std::fs::create_dir(&frames).expect("test io");
        for n in 1..=5 {
            std::fs::write(frames.join(format!("frame-{n:04}.png")), "old").expect("test io");
        }
        let staged = AtomicDir::create(&frames).expect("test io");
        for n in 1..=2 {
            std::fs::write(staged.path().join(format!("frame-{n:04}.png")), "new")
                .expect("test io");
        }
        // Until committed, the old folder is whole.
        assert_eq!(names(&frames).len(), 5);
        staged.commit().expect("test io");
        assert_eq!(names(&frames), ["frame-0001.png", "frame-0002.png"]);
        assert_eq!(names(dir.path()), ["film-frames"]);
        // A folder that does not exist yet; and one dropped uncommitted leaves nothing.
        let fresh = dir.path().join("fresh-frames");
        AtomicDir::create(&fresh)
            .expect("test io")
            .commit()
            .expect("test io");
        assert!(fresh.is_dir());
        drop(AtomicDir::create(&fresh).expect("test io"));
        assert_eq!(names(dir.path()), ["film-frames", "fresh-frames"]);
    }
}
