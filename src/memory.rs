//! How the binaries set up their allocator: once, at the start of the process, before any other
//! thread, so that the window, the one-shot commands and the benchmark load as they are meant to.

/// What the process is, for how it keeps memory.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProcessKind {
    /// The window: runs for hours, loading and closing layers.
    Window,
    /// A command that loads, works and exits (and the benchmark, which measures such a load).
    OneShot,
}

/// Sets up memory for a process of `kind`. Call first thing in `main`.
pub fn set_up_memory(kind: ProcessKind) {
    without_huge_pages();
    if kind == ProcessKind::OneShot {
        keep_freed_memory();
    }
}

/// Rows are kept in ordinary 4 KB pages, not in the 2 MB pages mimalloc would ask the kernel for.
/// To give a 2 MB page the kernel must find 2 MB free in one piece, and on a machine whose memory
/// the page cache has cut up (a large file was just read) it compacts memory first, in the load's
/// time: 1 December 2026, a ten-million-row `check` took 26–27 s of user and 8–9 s of system time
/// with them, 28 s and 3–4.5 s without (17.0–18.3 s wall against 18.5–19.4, 3.2 GB at the peak
/// against 3.3), and a million-row one 394–397 MB at its peak against 432–451, its system time
/// no longer varying from 0.4 to 1.2 s. The rows' pages miss the processor's address cache more
/// often (the extra user time), less than the compaction cost. (On 30 November, before the rows
/// shrank, the same switch had cost 3–5 s more CPU at ten million rows.)
fn without_huge_pages() {
    // 0 stops mimalloc asking for huge pages for the memory it maps from now on.
    set_option(MimallocOption::ALLOW_THP, 0);
    // What mimalloc mapped before `main` (its first arena) was asked for huge pages already: the
    // process's flag turns them off for every mapping, as mimalloc does when the option is set
    // from the environment.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how this process's
    // future page faults are served.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Memory a one-shot command frees is kept for its own next allocations instead of being
/// returned to the system: a load frees and allocates its parts' memory over and over, and each
/// return had the kernel clear those pages again when they came back (a third of a million-row
/// `check`). The window returns what it frees.
fn keep_freed_memory() {
    // -1: never returned.
    set_option(MimallocOption::PURGE_DELAY, -1);
}

/// One of mimalloc's options: libmimalloc-sys binds the calls, not the options' names, so each is
/// its number in mimalloc.h (v3), with the environment variable that also sets it and its
/// default, by which a build against another mimalloc is caught in debug builds.
struct MimallocOption {
    number: libmimalloc_sys::mi_option_t,
    env: &'static str,
    default: std::os::raw::c_long,
}

impl MimallocOption {
    /// `mi_option_allow_thp`: whether mimalloc asks for transparent huge pages.
    const ALLOW_THP: MimallocOption = MimallocOption {
        number: 43,
        env: "MIMALLOC_ALLOW_THP",
        default: 1,
    };
    /// `mi_option_purge_delay`: milliseconds before freed memory is returned to the system.
    const PURGE_DELAY: MimallocOption = MimallocOption {
        number: 15,
        env: "MIMALLOC_PURGE_DELAY",
        default: 1000,
    };
}

/// Sets `option` to `value`, at the start of the process.
fn set_option(option: MimallocOption, value: std::os::raw::c_long) {
    // SAFETY: options are plain values; this runs before any other thread is started.
    unsafe {
        debug_assert!(
            std::env::var_os(option.env).is_some()
                || libmimalloc_sys::mi_option_get(option.number) == option.default,
            "option {} is no longer mimalloc's {} (default {})",
            option.number,
            option.env,
            option.default
        );
        libmimalloc_sys::mi_option_set(option.number, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_shot_process_keeps_what_it_frees_in_small_pages() {
        set_up_memory(ProcessKind::OneShot);
        // SAFETY: reading an option is a plain read.
        let get = |option: MimallocOption| unsafe { libmimalloc_sys::mi_option_get(option.number) };
        assert_eq!(get(MimallocOption::PURGE_DELAY), -1);
        assert_eq!(get(MimallocOption::ALLOW_THP), 0);
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_THP_DISABLE reads the process's flag.
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
