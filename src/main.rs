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
    let one_shot = std::env::args()
        .nth(1)
        .is_some_and(|command| ONE_SHOT.contains(&command.as_str()));
    claimmap::set_up_memory(if one_shot {
        claimmap::ProcessKind::OneShot
    } else {
        claimmap::ProcessKind::Window
    });
    claimmap::run_cli()
}
