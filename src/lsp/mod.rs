//! `blcheck lsp`: a language server that shows the audit's findings in the
//! editor as the author types. `transport` frames the protocol's messages
//! over stdio, `server` runs the session, `rules` loads what the audit
//! checks with, `workspace` keeps each file's audit and the open buffers,
//! `diagnostics` turns findings into the protocol's, `text` converts
//! positions, `outline` reads the YAML structure around the cursor, and
//! `hover`, `completion` and `actions` answer the editor's requests.

mod actions;
mod completion;
pub mod diagnostics;
mod hover;
mod outline;
pub mod rules;
pub mod server;
pub mod text;
pub mod transport;
pub mod workspace;

pub use server::{serve, Ending, ServeOptions};

#[cfg(test)]
mod tests;
