//! The server's loop: the initialize handshake, then each message in the
//! order it came (a change is never reordered behind a later one), the
//! first scan of the workspace on its own thread, and diagnostics published
//! once the messages already waiting have been handled, so that a burst of
//! changes is audited once.

use super::rules::Rules;
use super::transport::log;
use super::workspace::Workspace;
use super::{actions, completion, hover};
use crate::audit::incremental::AuditedFile;
use crate::source::{read, FileLimits};
use anyhow::Result;
use chrono::NaiveDate;
use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification, request};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    HoverProviderCapability, InitializeParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};
use std::path::PathBuf;
use std::sync::Arc;

/// How the server is run.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// The date findings are as of (`--as-of`, or the client's
    /// `initializationOptions.asOf`); today when neither is given.
    pub as_of: Option<NaiveDate>,
}

/// How the session ended: after `shutdown` then `exit` (cleanly), or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Clean,
    WithoutShutdown,
}

/// The files of a first scan, for the generation of rules it was made with.
struct Scan {
    generation: u64,
    files: Result<Vec<(Arc<str>, PathBuf, AuditedFile)>>,
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
    as_of: Option<NaiveDate>,
    /// Bumped with each load of the rules: a scan made with older rules is
    /// dropped when it ends.
    generation: u64,
    scans: Sender<Scan>,
    /// Whether what the editor shows may be out of date.
    dirty: bool,
    shut_down: bool,
    next_request: i32,
}

/// Serves one client until it sends `exit` or goes away.
pub fn serve(connection: &Connection, options: ServeOptions) -> Result<Ending> {
    let Some((id, params)) = handshake(connection)? else {
        return Ok(Ending::WithoutShutdown);
    };
    let root = root_of(&params);
    let as_of = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("asOf"))
        .and_then(|v| v.as_str())
        .and_then(|text| match crate::dates::parse_date(text) {
            Ok(date) => Some(date),
            Err(e) => {
                log(&format!(
                    "initializationOptions.asOf '{text}': {e}; using today"
                ));
                None
            }
        })
        .or(options.as_of);
    connection.sender.send(Message::Response(Response::new_ok(
        id,
        lsp_types::InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "blcheck".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        },
    )))?;
    let (scans, scanned) = unbounded();
    let mut server = Server {
        connection,
        workspace: Workspace::new(root, None),
        as_of,
        generation: 0,
        scans,
        dirty: false,
        shut_down: false,
        next_request: 0,
    };
    if watches_files(&params) {
        server.register_file_watchers()?;
    }
    server.reload();
    server.run(&scanned)
}

/// Waits for `initialize`; requests before it are refused as the protocol
/// says, notifications dropped. `None`: the client left (or sent `exit`).
fn handshake(connection: &Connection) -> Result<Option<(RequestId, InitializeParams)>> {
    loop {
        let Ok(message) = connection.receiver.recv() else {
            return Ok(None);
        };
        match message {
            Message::Request(req) if req.method == request::Initialize::METHOD => {
                match serde_json::from_value::<InitializeParams>(req.params) {
                    Ok(params) => return Ok(Some((req.id, params))),
                    Err(e) => {
                        log(&format!("initialize: invalid parameters: {e}"));
                        connection.sender.send(Message::Response(Response::new_err(
                            req.id,
                            ErrorCode::InvalidParams as i32,
                            format!("invalid initialize parameters: {e}"),
                        )))?;
                    }
                }
            }
            Message::Request(req) => {
                connection.sender.send(Message::Response(Response::new_err(
                    req.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".into(),
                )))?;
            }
            Message::Notification(n) if n.method == notification::Exit::METHOD => return Ok(None),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

/// The workspace root: the first workspace folder, else the root URI, else
/// the directory the server was started in.
fn root_of(params: &InitializeParams) -> PathBuf {
    #[allow(deprecated)]
    let from_client = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| folder.uri.clone())
        .or_else(|| params.root_uri.clone())
        .and_then(|uri| uri.to_file_path().ok());
    from_client
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn watches_files(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

impl Server<'_> {
    fn run(&mut self, scanned: &Receiver<Scan>) -> Result<Ending> {
        loop {
            crossbeam_channel::select! {
                recv(self.connection.receiver) -> message => match message {
                    Ok(message) => {
                        if let Some(ending) = self.handle(message)? {
                            return Ok(ending);
                        }
                    }
                    Err(_) => {
                        log("the client went away without `exit`");
                        return Ok(Ending::WithoutShutdown);
                    }
                },
                recv(scanned) -> scan => {
                    if let Ok(scan) = scan {
                        self.scan_done(scan);
                    }
                }
            }
            // Everything already waiting is handled before the workspace is
            // audited again: a burst of keystrokes costs one audit.
            while let Ok(message) = self.connection.receiver.try_recv() {
                if let Some(ending) = self.handle(message)? {
                    return Ok(ending);
                }
            }
            self.publish()?;
        }
    }

    fn handle(&mut self, message: Message) -> Result<Option<Ending>> {
        match message {
            Message::Request(req) => {
                let response = self.respond(req);
                self.connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) if n.method == notification::Exit::METHOD => {
                return Ok(Some(match self.shut_down {
                    true => Ending::Clean,
                    false => Ending::WithoutShutdown,
                }));
            }
            Message::Notification(n) => self.notified(n),
            // Answers to our own requests (the file watchers' registration).
            Message::Response(response) => {
                if let Some(error) = response.error {
                    log(&format!("the client refused a request: {}", error.message));
                }
            }
        }
        Ok(None)
    }

    fn respond(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        if self.shut_down {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            );
        }
        if req.method == request::Initialize::METHOD {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".into(),
            );
        }
        if req.method == request::Shutdown::METHOD {
            self.shut_down = true;
            return Response::new_ok(id, ());
        }
        // What the editor is answered about is the workspace as it is now.
        if let Err(e) = self.publish() {
            log(&format!("cannot publish diagnostics: {e}"));
        }
        let method = req.method.clone();
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(req)));
        match answer {
            Ok(Some(Ok(value))) => Response::new_ok(id, value),
            Ok(Some(Err(e))) => {
                log(&format!("{method}: invalid parameters: {e}"));
                Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string())
            }
            Ok(None) => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("blcheck does not handle '{method}'"),
            ),
            Err(_) => {
                log(&format!("{method}: internal error; the server goes on"));
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("blcheck failed to answer '{method}'"),
                )
            }
        }
    }

    /// The result of a request blcheck handles; `None` for other methods.
    fn answer(&mut self, req: Request) -> Option<Result<serde_json::Value, serde_json::Error>> {
        let workspace = &self.workspace;
        Some(match req.method.as_str() {
            request::HoverRequest::METHOD => serde_json::from_value(req.params)
                .and_then(|p| serde_json::to_value(hover::hover(workspace, &p))),
            request::Completion::METHOD => serde_json::from_value(req.params)
                .and_then(|p| serde_json::to_value(completion::complete(workspace, &p))),
            request::CodeActionRequest::METHOD => serde_json::from_value(req.params)
                .and_then(|p| serde_json::to_value(actions::code_actions(workspace, &p))),
            _ => return None,
        })
    }

    fn notified(&mut self, n: Notification) {
        let method = n.method.clone();
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.apply(n)));
        match handled {
            Ok(Ok(())) => {}
            Ok(Err(e)) => log(&format!("{method}: invalid parameters, ignored: {e}")),
            Err(_) => log(&format!("{method}: internal error; the server goes on")),
        }
    }

    fn apply(&mut self, n: Notification) -> Result<(), serde_json::Error> {
        use lsp_types::{
            DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
            DidOpenTextDocumentParams, DidSaveTextDocumentParams,
        };
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                self.workspace.set_buffer(
                    p.text_document.uri,
                    p.text_document.text,
                    Some(p.text_document.version),
                );
                self.dirty = true;
            }
            notification::DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                let uri = p.text_document.uri;
                let mut text = self
                    .workspace
                    .open_document(&uri)
                    .map(|d| d.text.clone())
                    .unwrap_or_default();
                for change in p.content_changes {
                    match change.range {
                        // Sync is full; a client that sends ranges anyway is followed.
                        Some(range) => {
                            let lines = super::text::Lines::new(&text);
                            let start = lines.offset_of(range.start);
                            let end = lines.offset_of(range.end).max(start);
                            text.replace_range(start..end, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                self.workspace
                    .set_buffer(uri, text, Some(p.text_document.version));
                self.dirty = true;
            }
            notification::DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                if self.changes_rules(&p.text_document.uri) {
                    self.reload();
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                self.workspace.close_buffer(&p.text_document.uri);
                self.dirty = true;
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let p: DidChangeWatchedFilesParams = serde_json::from_value(n.params)?;
                if p.changes.iter().any(|c| self.changes_rules(&c.uri)) {
                    self.reload();
                } else {
                    for change in p.changes {
                        self.workspace.file_changed(&change.uri);
                    }
                }
                self.dirty = true;
            }
            // `initialized`, `$/cancelRequest` (every request is answered at
            // once), `$/setTrace` and anything else: nothing to do.
            _ => {}
        }
        Ok(())
    }

    fn changes_rules(&self, uri: &Url) -> bool {
        let Some((_, path)) = self.workspace.name_of(uri) else {
            return false;
        };
        match &self.workspace.rules {
            Some(rules) => rules.is_source(&path),
            None => path.extension().is_some_and(|e| e == "toml"),
        }
    }

    /// Loads the rules again and starts a scan of the workspace with them;
    /// the open buffers are audited at once.
    fn reload(&mut self) {
        self.generation += 1;
        let as_of = self
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let rules = match Rules::load(&self.workspace.root, as_of) {
            Ok(rules) => Some(Arc::new(rules)),
            Err(e) => {
                let message = format!("cannot load the rules: {e:#}");
                log(&message);
                self.show_error(&message);
                None
            }
        };
        self.workspace.reset(rules.clone());
        self.dirty = true;
        if let Some(rules) = rules {
            let root = self.workspace.root.clone();
            let generation = self.generation;
            let scans = self.scans.clone();
            let started = std::thread::Builder::new()
                .name("blcheck-lsp-scan".into())
                .spawn(move || {
                    let files = scan(&rules, &root);
                    let _ = scans.send(Scan { generation, files });
                });
            if let Err(e) = started {
                log(&format!("cannot start the workspace scan: {e}"));
            }
        }
    }

    fn scan_done(&mut self, scan: Scan) {
        if scan.generation != self.generation {
            return;
        }
        match scan.files {
            Ok(files) => self.workspace.scanned(files),
            Err(e) => {
                let message = format!("cannot read the workspace: {e:#}");
                log(&message);
                self.show_error(&message);
            }
        }
        self.dirty = true;
    }

    fn publish(&mut self) -> Result<()> {
        if !self.dirty {
            return Ok(());
        }
        self.dirty = false;
        for (uri, diagnostics) in self.workspace.refresh() {
            self.notify::<notification::PublishDiagnostics>(lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            })?;
        }
        Ok(())
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) -> Result<()> {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                N::METHOD.into(),
                params,
            )))?;
        Ok(())
    }

    fn show_error(&self, message: &str) {
        let _ = self.notify::<notification::ShowMessage>(lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: format!("blcheck: {message}"),
        });
    }

    fn register_file_watchers(&mut self) -> Result<()> {
        use lsp_types::{
            DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration,
            RegistrationParams,
        };
        let watchers = ["**/*.yaml", "**/*.yml", "**/*.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.into()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "blcheck-watched-files".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: Some(serde_json::to_value(options)?),
            }],
        };
        self.next_request += 1;
        self.connection.sender.send(Message::Request(Request::new(
            RequestId::from(self.next_request),
            request::RegisterCapability::METHOD.into(),
            params,
        )))?;
        Ok(())
    }
}

/// Reads and audits every file of the workspace, on the run's threads.
fn scan(rules: &Rules, root: &std::path::Path) -> Result<Vec<(Arc<str>, PathBuf, AuditedFile)>> {
    let candidates = rules.discover(root)?;
    let limits = FileLimits::default();
    Ok(rules.with_terms(|terms| {
        crate::audit::map_in_order(&candidates, false, |candidate| {
            let content = read(candidate, &limits);
            let name = candidate.display.clone();
            let path = crate::discover::absolute(&candidate.path, root);
            (name.clone(), path, AuditedFile::of(name, content, terms))
        })
    }))
}
