/// mimalloc instead of the system allocator: a load makes several small allocations per row, a
/// million rows at a time on every core, where glibc's per-chunk headers and arena locks cost
/// a tenth of the memory and time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimmap::run_cli()
}
