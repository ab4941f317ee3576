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
    /// `mi_option_allow_thp` of mimalloc.h (v3): 0 stops mimalloc asking for huge pages for the
    /// memory it maps from now on.
    const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;
    // SAFETY: options are plain values; this runs before any other thread is started.
    unsafe {
        debug_assert!(
            std::env::var_os("MIMALLOC_ALLOW_THP").is_some()
                || libmimalloc_sys::mi_option_get(ALLOW_THP) == 1,
            "option 43 is no longer mimalloc's allow_thp (default 1)"
        );
        libmimalloc_sys::mi_option_set(ALLOW_THP, 0);
    }
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
    /// `mi_option_purge_delay` of mimalloc.h (v3): milliseconds before freed memory is returned
    /// to the system, -1 for never. libmimalloc-sys binds the call, not this option's name.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: options are plain values; this runs before any other thread is started.
    unsafe {
        debug_assert!(
            std::env::var_os("MIMALLOC_PURGE_DELAY").is_some()
                || libmimalloc_sys::mi_option_get(PURGE_DELAY) == 1000,
            "option 15 is no longer mimalloc's purge delay (default 1000 ms)"
        );
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_shot_process_keeps_what_it_frees_in_small_pages() {
        set_up_memory(ProcessKind::OneShot);
        // SAFETY: reading an option is a plain read.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(15) }, -1);
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(43) }, 0);
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_THP_DISABLE reads the process's flag.
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
