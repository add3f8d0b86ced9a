use blcheck::exit_status::ExitStatus;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    blcheck::memory::configure();
    let cli = match blcheck::cli::parse_from(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                ExitStatus::Error.code()
            } else {
                0
            });
        }
    };
    match blcheck::run(&cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            // Errors quote policy and settings files, which may hold
            // escape sequences: shown, never obeyed.
            let message = blcheck::render::text::terminal_lines(&format!("{e:#}"));
            let _ = writeln!(std::io::stderr(), "blcheck: error: {message}");
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}
