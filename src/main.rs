/// mimalloc instead of the system allocator: a load makes several small allocations per row, a
/// million rows at a time on every core, where glibc's per-chunk headers and arena locks cost
/// a tenth of the memory and time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The commands that load, work and exit: everything but the window.
const ONE_SHOT: [&str; 7] = [
    "check", "places", "convert", "export", "link", "template", "draft",
];

fn main() -> std::process::ExitCode {
    if std::env::args()
        .nth(1)
        .is_some_and(|command| ONE_SHOT.contains(&command.as_str()))
    {
        keep_freed_memory();
    }
    claimmap::run_cli()
}

/// Memory a one-shot command frees is kept for its own next allocations instead of being
/// returned to the system: a load frees and allocates its parts' memory over and over, and each
/// return had the kernel clear those pages again when they came back (a third of a million-row
/// `check`). The window returns what it frees: it runs for hours, loading and closing layers.
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
