fn main() -> std::process::ExitCode {
    claimmap::cli::main()
}
