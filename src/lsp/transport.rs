//! The Language Server Protocol's framing over a byte stream: a
//! `Content-Length` header, then that many bytes of JSON-RPC. lsp-server's
//! own stdio reader stops at the first message that is not JSON; this one
//! answers it with JSON-RPC's parse error (as the protocol says), logs it
//! and reads on, so one bad message never ends an editor's session.

use crossbeam_channel::{bounded, Receiver, Sender};
use lsp_server::{Message, Response};
use std::io::{self, BufRead, Write};

/// The largest message read, in bytes. A 10 MiB document sent whole, in
/// JSON (every byte of it escaped at worst as `\u00XX`, six bytes), fits;
/// beyond it a message is skipped unread, never held in memory.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// JSON-RPC's error codes for a message that is not JSON, and for JSON
/// that is not a request, response or notification.
const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// Writes a line to stderr, where an editor shows a server's log. Messages
/// may quote document text: shown as text, never obeyed by a terminal.
pub fn log(message: &str) {
    let line = format!(
        "blcheck lsp: {}\n",
        crate::render::text::terminal_lines(message)
    );
    let mut stderr = io::stderr().lock();
    // Nowhere to report a failure to write the log.
    let _ = stderr.write_all(line.as_bytes());
    let _ = stderr.flush();
}

/// What the reader makes of one frame.
enum Frame {
    Message(Message),
    /// Not a message: the error response to send, and the line to log.
    Refused(Response, String),
    /// The stream ended.
    End,
}

/// The header every message starts with, matched without regard to case.
const LENGTH_HEADER: &[u8] = b"content-length:";

/// The longest header line read; a longer run of bytes without a line
/// break is not a header.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// Reads frames, and finds the next message again after one whose length
/// is not known (docs/decisions.md, "The language server reads on after a
/// malformed message").
struct Reader<R> {
    input: R,
    /// The last header block gave no usable length: its body, if any, cannot
    /// be delimited, so the next frame starts at the next `Content-Length:`.
    lost: bool,
}

/// Looks for `Content-Length:` in a stream of bytes, counting those before it.
#[derive(Default)]
struct HeaderSearch {
    matched: usize,
    skipped: u64,
}

impl HeaderSearch {
    /// Takes one byte; `true` once the header's name is complete.
    fn feed(&mut self, byte: u8) -> bool {
        if byte.eq_ignore_ascii_case(&LENGTH_HEADER[self.matched]) {
            self.matched += 1;
            return self.matched == LENGTH_HEADER.len();
        }
        // `c` begins the name and appears nowhere else in it: after a
        // mismatch only this byte can begin a new match.
        self.skipped += self.matched as u64;
        self.matched = usize::from(byte.eq_ignore_ascii_case(&LENGTH_HEADER[0]));
        if self.matched == 0 {
            self.skipped += 1;
        }
        false
    }
}

impl<R: BufRead> Reader<R> {
    fn new(input: R) -> Reader<R> {
        Reader { input, lost: false }
    }

    /// Reads one frame. `Err` only when the stream itself fails.
    fn read_frame(&mut self) -> io::Result<Frame> {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        let mut line = Vec::new();
        if std::mem::take(&mut self.lost) {
            match self.skip_to_header(&[])? {
                Some(rest) => line = rest,
                None => return Ok(Frame::End),
            }
        }
        loop {
            let read =
                io::Read::take(&mut self.input, MAX_HEADER_LINE).read_until(b'\n', &mut line)?;
            if read == 0 {
                return Ok(Frame::End);
            }
            if !line.ends_with(b"\n") && read as u64 == MAX_HEADER_LINE {
                // Not a header: the bytes up to the next `Content-Length:`
                // (which may begin in those just read) are dropped.
                let garbage = std::mem::take(&mut line);
                match self.skip_to_header(&garbage)? {
                    Some(rest) => line = rest,
                    None => return Ok(Frame::End),
                }
                (length, saw_header) = (None, false);
                continue;
            }
            let mut text = String::from_utf8_lossy(&line).into_owned();
            line.clear();
            if let Some(at) = find_ignoring_case(text.as_bytes(), LENGTH_HEADER) {
                if at > 0 {
                    log(&format!(
                        "skipped {at} bytes before a Content-Length header"
                    ));
                    text.drain(..at);
                    (length, saw_header) = (None, false);
                }
            }
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            let Some((name, value)) = text.split_once(':') else {
                // No header: what came before it in this block goes with it.
                log(&format!(
                    "skipped {} bytes that are not a header",
                    text.len()
                ));
                (length, saw_header) = (None, false);
                continue;
            };
            saw_header = true;
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else {
            self.lost = true;
            return Ok(Frame::Refused(
                refusal(
                    INVALID_REQUEST,
                    "a message without a valid Content-Length header",
                ),
                "skipped a message without a valid Content-Length header; \
                 reading on from the next Content-Length header"
                    .into(),
            ));
        };
        if length > MAX_MESSAGE_BYTES {
            io::copy(
                &mut io::Read::take(&mut self.input, length as u64),
                &mut io::sink(),
            )?;
            let what =
                format!("a message of {length} bytes, over the limit of {MAX_MESSAGE_BYTES}");
            return Ok(Frame::Refused(
                refusal(INVALID_REQUEST, &what),
                format!("skipped {what}"),
            ));
        }
        let mut body = vec![0; length];
        self.input.read_exact(&mut body)?;
        let value: serde_json::Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(e) => {
                let what = format!("a message that is not JSON ({e})");
                return Ok(Frame::Refused(
                    refusal(PARSE_ERROR, &what),
                    format!("skipped {what}"),
                ));
            }
        };
        match serde_json::from_value::<Message>(value) {
            Ok(message) => Ok(Frame::Message(message)),
            Err(e) => {
                let what = format!("JSON that is not a request, response or notification ({e})");
                Ok(Frame::Refused(
                    refusal(INVALID_REQUEST, &what),
                    format!("skipped {what}"),
                ))
            }
        }
    }

    /// Drops bytes (first those of `before`, then the stream's) up to the
    /// next `Content-Length:`, and returns the start of that header line
    /// (the name, and what of the line `before` held); `None` when the
    /// stream ends first. Only a count of the bytes dropped is kept, never
    /// the bytes: garbage without end costs time, not memory, and the log
    /// says so each time another MAX_MESSAGE_BYTES of it have gone.
    fn skip_to_header(&mut self, before: &[u8]) -> io::Result<Option<Vec<u8>>> {
        let mut search = HeaderSearch::default();
        if let Some(at) = before.iter().position(|&byte| search.feed(byte)) {
            log_skipped(search.skipped);
            let mut line = LENGTH_HEADER.to_vec();
            line.extend_from_slice(&before[at + 1..]);
            return Ok(Some(line));
        }
        let mut reported = 0;
        loop {
            let buffer = match self.input.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buffer.is_empty() {
                log_skipped(search.skipped);
                return Ok(None);
            }
            let found = buffer.iter().position(|&byte| search.feed(byte));
            let used = found.map_or(buffer.len(), |at| at + 1);
            self.input.consume(used);
            if found.is_some() {
                log_skipped(search.skipped);
                return Ok(Some(LENGTH_HEADER.to_vec()));
            }
            if search.skipped - reported >= MAX_MESSAGE_BYTES as u64 {
                log(&format!(
                    "skipped {} bytes that are not a message; still looking for a Content-Length header",
                    search.skipped
                ));
                reported = search.skipped;
            }
        }
    }
}

fn log_skipped(bytes: u64) {
    if bytes > 0 {
        log(&format!(
            "skipped {bytes} bytes that are not a message, up to the next Content-Length header"
        ));
    }
}

/// Where `needle` (lower-case ASCII) first occurs in `haystack`, in any case.
fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// An error response with no id: the id of a message that could not be
/// read is not known (JSON-RPC 2.0, section 5).
fn refusal(code: i32, message: &str) -> Response {
    // lsp-server's ids are numbers or strings; JSON-RPC's null id is
    // written by hand below.
    Response {
        id: lsp_server::RequestId::from(String::new()),
        result: None,
        error: Some(lsp_server::ResponseError {
            code,
            message: message.to_string(),
            data: None,
        }),
    }
}

/// Writes one message, framed. A refusal's empty id is written as `null`.
pub fn write_message(out: &mut impl Write, message: &Message) -> io::Result<()> {
    let mut value = serde_json::to_value(message)?;
    if let Some(object) = value.as_object_mut() {
        if object.get("id") == Some(&serde_json::Value::String(String::new()))
            && object.contains_key("error")
        {
            object.insert("id".into(), serde_json::Value::Null);
        }
        object.insert("jsonrpc".into(), "2.0".into());
    }
    let body = serde_json::to_vec(&value)?;
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(&body)?;
    out.flush()
}

/// The two ends of a connection over a byte stream, and the threads that
/// move the bytes.
pub struct Stream {
    pub sender: Sender<Message>,
    pub receiver: Receiver<Message>,
    reader: std::thread::JoinHandle<()>,
    writer: std::thread::JoinHandle<()>,
}

impl Stream {
    /// Reads messages from `input` and writes those sent to `output`, each
    /// on its own thread.
    pub fn over(
        input: impl BufRead + Send + 'static,
        output: impl Write + Send + 'static,
    ) -> io::Result<Stream> {
        let (to_server, receiver) = bounded::<Message>(16);
        let (sender, to_client) = bounded::<Message>(16);
        let refusals = sender.clone();
        let reader = std::thread::Builder::new()
            .name("blcheck-lsp-reader".into())
            .spawn(move || {
                let mut reader = Reader::new(input);
                loop {
                    match reader.read_frame() {
                        Ok(Frame::Message(message)) => {
                            let exit =
                                matches!(&message, Message::Notification(n) if n.method == "exit");
                            if to_server.send(message).is_err() || exit {
                                break;
                            }
                        }
                        Ok(Frame::Refused(response, line)) => {
                            log(&line);
                            if refusals.send(Message::Response(response)).is_err() {
                                break;
                            }
                        }
                        Ok(Frame::End) => break,
                        Err(e) => {
                            log(&format!("stopped reading the client's messages: {e}"));
                            break;
                        }
                    }
                }
            })?;
        let writer = std::thread::Builder::new()
            .name("blcheck-lsp-writer".into())
            .spawn(move || {
                let mut output = output;
                for message in to_client {
                    if let Err(e) = write_message(&mut output, &message) {
                        log(&format!("cannot write to the client: {e}"));
                        break;
                    }
                }
            })?;
        Ok(Stream {
            sender,
            receiver,
            reader,
            writer,
        })
    }

    /// The connection the server loop reads and writes.
    pub fn connection(&self) -> lsp_server::Connection {
        lsp_server::Connection {
            sender: self.sender.clone(),
            receiver: self.receiver.clone(),
        }
    }

    /// Waits for everything sent to be written. The reader is not waited
    /// for: after `exit` it has stopped; after a client that vanished, the
    /// stream's end stopped it.
    pub fn finish(self) {
        drop(self.sender);
        drop(self.receiver);
        let _ = self.writer.join();
        drop(self.reader);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(bytes: &[u8]) -> Vec<String> {
        let mut reader = Reader::new(io::Cursor::new(bytes.to_vec()));
        let mut out = Vec::new();
        loop {
            match reader.read_frame().unwrap() {
                Frame::End => return out,
                Frame::Message(m) => {
                    out.push(format!("message {}", serde_json::to_string(&m).unwrap()))
                }
                Frame::Refused(r, _) => out.push(format!("refused {}", r.error.unwrap().code)),
            }
        }
    }

    #[test]
    fn bad_messages_are_refused_and_the_next_one_is_read() {
        let good = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"Content-Length: 5\r\n\r\n{oops");
        bytes.extend_from_slice(b"Content-Length: 9\r\n\r\n{\"a\": 1}\n");
        bytes.extend_from_slice(b"X-Nothing: 1\r\n\r\n");
        bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", good.len()).as_bytes());
        bytes.extend_from_slice(good);
        assert_eq!(
            frames(&bytes),
            [
                "refused -32700",
                "refused -32600",
                "refused -32600",
                r#"message {"method":"initialized","params":{}}"#
            ]
        );
    }

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body);
        bytes
    }

    const INITIALIZED: &[u8] = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    const READ: &str = r#"message {"method":"initialized","params":{}}"#;

    #[test]
    fn after_a_header_without_a_length_the_next_content_length_is_found() {
        // `{}` has no length to be read by: it is skipped, not taken for a
        // header line, and the message right after it is read.
        let mut bytes = b"Content-Length: abc\r\n\r\n{}".to_vec();
        bytes.extend(framed(INITIALIZED));
        bytes.extend(b"Content-Type: x\r\n\r\n{\"id\": 1,\r\n \"a\": 2}\r\n".to_vec());
        bytes.extend(framed(INITIALIZED));
        assert_eq!(
            frames(&bytes),
            ["refused -32600", READ, "refused -32600", READ]
        );
    }

    #[test]
    fn garbage_before_any_header_is_skipped() {
        for garbage in [
            &b"hello\r\n"[..],
            b"hello",
            b"\r\n\r\nnot: a header\r\n\x00\xff{}",
            &[b'x'; 100_000],
        ] {
            let mut bytes = garbage.to_vec();
            bytes.extend(framed(INITIALIZED));
            assert_eq!(
                frames(&bytes),
                [READ],
                "{:?}",
                String::from_utf8_lossy(garbage)
            );
        }
    }

    #[test]
    fn a_header_split_across_the_line_limit_is_found() {
        // The header's name begins in the last bytes of a run of garbage
        // with no line break and ends in the next read.
        for cut in 1..LENGTH_HEADER.len() {
            let mut bytes = vec![b'#'; MAX_HEADER_LINE as usize - cut];
            bytes.extend(framed(INITIALIZED));
            assert_eq!(frames(&bytes), [READ], "cut {cut}");
        }
    }

    #[test]
    fn a_length_too_short_is_found_again_at_the_next_header() {
        let mut bytes = b"Content-Length: 3\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec();
        bytes.extend(framed(INITIALIZED));
        assert_eq!(frames(&bytes), ["refused -32700", READ]);
    }

    #[test]
    fn garbage_that_never_ends_ends_with_the_stream() {
        let bytes = vec![b'c'; 3 * MAX_HEADER_LINE as usize];
        assert_eq!(frames(&bytes), Vec::<String>::new());
        let mut bytes = b"Content-Length: -1\r\n\r\n".to_vec();
        bytes.extend(vec![b'{'; 100_000]);
        assert_eq!(frames(&bytes), ["refused -32600"]);
    }

    #[test]
    fn a_refusal_has_a_null_id() {
        let mut out = Vec::new();
        write_message(&mut out, &Message::Response(refusal(PARSE_ERROR, "x"))).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""id":null"#), "{text}");
    }
}
