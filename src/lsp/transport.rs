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

/// Reads one frame. `Err` only when the stream itself fails.
fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        // A header line is short; a stream of bytes with no line break is
        // read a bounded amount at a time.
        let read = io::Read::take(&mut *input, 8 * 1024).read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(Frame::End);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
    let Some(length) = length else {
        return Ok(Frame::Refused(
            refusal(
                INVALID_REQUEST,
                "a message without a valid Content-Length header",
            ),
            "skipped a message without a valid Content-Length header".into(),
        ));
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(
            &mut io::Read::take(&mut *input, length as u64),
            &mut io::sink(),
        )?;
        let what = format!("a message of {length} bytes, over the limit of {MAX_MESSAGE_BYTES}");
        return Ok(Frame::Refused(
            refusal(INVALID_REQUEST, &what),
            format!("skipped {what}"),
        ));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
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
                let mut input = input;
                loop {
                    match read_frame(&mut input) {
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
        let mut input = io::Cursor::new(bytes.to_vec());
        let mut out = Vec::new();
        loop {
            match read_frame(&mut input).unwrap() {
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

    #[test]
    fn a_refusal_has_a_null_id() {
        let mut out = Vec::new();
        write_message(&mut out, &Message::Response(refusal(PARSE_ERROR, "x"))).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#""id":null"#), "{text}");
    }
}
