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
///
/// Transparent huge pages stay as mimalloc asks for them. Turned off, a million-row `check` held
/// 9% less memory at its peak (partly used 2 MB pages) in the same time, but a ten-million-row
/// one took 3–5 s more CPU, the rows' pages then missing the processor's address cache.
pub fn set_up_memory(kind: ProcessKind) {
    if kind == ProcessKind::OneShot {
        keep_freed_memory();
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
    fn a_one_shot_process_keeps_what_it_frees() {
        set_up_memory(ProcessKind::OneShot);
        // SAFETY: reading an option is a plain read.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(15) }, -1);
    }
}
