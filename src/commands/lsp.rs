//! `blcheck lsp`: the language server on stdin and stdout, until the
//! editor ends the session. The server itself is `crate::lsp`.

use crate::cli::LspArgs;
use crate::exit_status::ExitStatus;
use crate::lsp::{serve, transport::Stream, Ending, ServeOptions};
use anyhow::Result;

pub fn run(args: &LspArgs) -> Result<ExitStatus> {
    let as_of = match args.date.as_of.as_deref() {
        Some(_) => Some(super::as_of(args.date.as_of.as_deref())?),
        None => None,
    };
    let stream = Stream::over(std::io::BufReader::new(std::io::stdin()), std::io::stdout())?;
    let connection = stream.connection();
    let ending = serve(&connection, ServeOptions { as_of });
    drop(connection);
    stream.finish();
    // The protocol's exit codes: 0 after `shutdown`, 1 for an `exit`
    // without it (or a client that went away).
    Ok(match ending? {
        Ending::Clean => ExitStatus::Clean,
        Ending::WithoutShutdown => ExitStatus::Findings,
    })
}
