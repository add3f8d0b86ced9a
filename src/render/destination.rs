//! Where each report goes: the pairing of `--format` with `--output`, and
//! the writing of a rendering to standard output, a report file (replaced
//! atomically), or a device, FIFO or socket (written to, never replaced).
//! docs/output.md ("Report files") says the same for users.

use anyhow::{bail, Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One `--format` or `--output` of a command line, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFlag {
    Format,
    Output,
}

/// Where one rendering goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// A regular file (or one still to be made), replaced atomically.
    File(PathBuf),
    /// A character device, FIFO or socket: written to as it is.
    Stream(PathBuf),
}

impl Destination {
    /// Where a report is read by a person at a terminal, if anywhere.
    pub fn is_stdout(&self) -> bool {
        *self == Destination::Stdout
    }
}

/// A command's report formats, as `--format` names them.
pub trait ReportFormat: Copy + clap::ValueEnum + 'static {
    /// The format with neither `--format` nor `--output`: the table.
    const STDOUT: Self;
    /// The file extensions an `--output` without a `--format` is read by.
    const EXTENSIONS: &'static [(&'static str, Self)];

    /// The name `--format` takes.
    fn flag_name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default()
    }

    fn from_extension(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::EXTENSIONS
            .iter()
            .find(|(known, _)| *known == extension)
            .map(|(_, format)| *format)
    }
}

/// Pairs each `--output` with the `--format` just before it on the command
/// line (`order`); an `--output` with no format before it takes the format
/// of its extension, and a `--format` with no `--output` after it goes to
/// standard output, where only one may go. Each destination is checked now,
/// before any work is done: a folder, a missing folder or a block device is
/// an error.
pub fn plan_outputs<F: ReportFormat>(
    formats: &[F],
    outputs: &[PathBuf],
    order: &[ReportFlag],
) -> Result<Vec<(F, Destination)>> {
    let order = consistent_order(formats.len(), outputs.len(), order);
    let mut formats_left = formats.iter().copied();
    let mut outputs_left = outputs.iter();
    let mut plan: Vec<(F, Destination)> = Vec::new();
    let mut waiting: Option<F> = None;
    for flag in order {
        match flag {
            ReportFlag::Format => {
                if let Some(format) = waiting.take() {
                    plan.push((format, Destination::Stdout));
                }
                waiting = formats_left.next();
            }
            ReportFlag::Output => {
                let Some(path) = outputs_left.next() else {
                    continue;
                };
                let format = match waiting.take() {
                    Some(format) => format,
                    None => {
                        F::from_extension(path).ok_or_else(|| no_format_for(path, F::EXTENSIONS))?
                    }
                };
                plan.push((format, destination(path)?));
            }
        }
    }
    if let Some(format) = waiting {
        plan.push((format, Destination::Stdout));
    }
    if plan.is_empty() {
        plan.push((F::STDOUT, Destination::Stdout));
    }
    refuse_shared_destinations(&plan)?;
    Ok(plan)
}

/// The order of the flags, or, where a caller built the arguments without
/// the command line (a test, a library user), each format followed by its
/// output, as the lists pair up.
fn consistent_order(formats: usize, outputs: usize, order: &[ReportFlag]) -> Vec<ReportFlag> {
    let counted = |flag| order.iter().filter(|f| **f == flag).count();
    if counted(ReportFlag::Format) == formats && counted(ReportFlag::Output) == outputs {
        return order.to_vec();
    }
    let mut paired = Vec::new();
    for i in 0..formats.max(outputs) {
        if i < formats {
            paired.push(ReportFlag::Format);
        }
        if i < outputs {
            paired.push(ReportFlag::Output);
        }
    }
    paired
}

fn no_format_for<F: ReportFormat>(path: &Path, extensions: &[(&str, F)]) -> anyhow::Error {
    let mut known: Vec<String> = Vec::new();
    for (extension, format) in extensions {
        let name = format.flag_name();
        match known.last_mut() {
            Some(last) if last.starts_with(&format!("{name} ")) => {
                last.insert_str(last.len() - 1, &format!(", .{extension}"));
            }
            _ => known.push(format!("{name} (.{extension})")),
        }
    }
    anyhow::anyhow!(
        "--output {}: no --format before it, and its extension names no format ({}); put --format FORMAT just before it",
        path.display(),
        known.join(", ")
    )
}

/// Two renderings into one place would leave only one, or interleave both.
fn refuse_shared_destinations<F: ReportFormat>(plan: &[(F, Destination)]) -> Result<()> {
    let to_stdout: Vec<String> = plan
        .iter()
        .filter(|(_, d)| d.is_stdout())
        .map(|(format, _)| format!("--format {}", format.flag_name()))
        .collect();
    if let Some((last, others @ [_, ..])) = to_stdout.split_last() {
        bail!(
            "{} and {last} would {} go to standard output, where only one may: put --output FILE after each of the others",
            others.join(", "),
            if others.len() == 1 { "both" } else { "all" }
        );
    }
    for (i, (_, a)) in plan.iter().enumerate() {
        for (_, b) in &plan[i + 1..] {
            if let (Some(a), Some(b)) = (a.path(), b.path()) {
                if same_file(a, b) {
                    bail!(
                        "--output {} is given twice; give each format its own file",
                        a.display()
                    );
                }
            }
        }
    }
    Ok(())
}

impl Destination {
    fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout => None,
            Destination::File(path) | Destination::Stream(path) => Some(path),
        }
    }

    /// The file a report would be written over, to refuse a report that
    /// would replace one of the run's inputs.
    pub fn replaces(&self) -> Option<&Path> {
        match self {
            Destination::File(path) => Some(path),
            Destination::Stdout | Destination::Stream(_) => None,
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// `path` with its folder's links and `..` resolved, whether or not the
/// file itself exists yet.
pub fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = path.canonicalize() {
        return Some(full);
    }
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    Some(folder.canonicalize().ok()?.join(name))
}

/// What `--output PATH` means, checked before the run: `-` is standard
/// output; a character device, FIFO or socket is written to; a regular file
/// (or a link to one) is replaced; a new file is made in an existing folder.
pub fn of(path: &Path) -> Result<Destination> {
    destination(path)
}

fn destination(path: &Path) -> Result<Destination> {
    // Standard output by any of its names: one place, so two formats sent
    // there are refused like two `-`.
    if ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|name| path.as_os_str() == *name)
    {
        return Ok(Destination::Stdout);
    }
    match std::fs::metadata(path) {
        // `/dev/stdout` and its like name a descriptor the shell opened,
        // which is a regular file when stdout is redirected to one: it is
        // written through, never replaced by a new file the shell's
        // descriptor knows nothing of.
        Ok(meta) if meta.is_file() && path.starts_with("/dev") => {
            Ok(Destination::Stream(path.to_path_buf()))
        }
        Ok(meta) => {
            let kind = meta.file_type();
            if kind.is_file() {
                Ok(Destination::File(path.to_path_buf()))
            } else if kind.is_dir() {
                bail!(
                    "--output {}: is a folder; name a file in it",
                    path.display()
                )
            } else if is_stream(&kind) {
                Ok(Destination::Stream(path.to_path_buf()))
            } else {
                bail!(
                    "--output {}: is neither a file nor a character device, FIFO or socket",
                    path.display()
                )
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let folder = match path.parent() {
                Some(folder) if !folder.as_os_str().is_empty() => folder,
                _ => Path::new("."),
            };
            if !folder.is_dir() {
                bail!(
                    "--output {}: the folder {} does not exist",
                    path.display(),
                    folder.display()
                );
            }
            Ok(Destination::File(path.to_path_buf()))
        }
        Err(e) => Err(e).with_context(|| format!("--output {}", path.display())),
    }
}

#[cfg(unix)]
fn is_stream(kind: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_char_device() || kind.is_fifo() || kind.is_socket()
}

#[cfg(not(unix))]
fn is_stream(_kind: &std::fs::FileType) -> bool {
    false
}

/// Refuses a plan that would write a report over one of the run's inputs
/// (`blcheck audit courses/ --output courses/a.yaml`), or make a file that
/// the next run would read as one (`would_be_input`).
pub fn refuse_inputs<'a, F>(
    plan: &[(F, Destination)],
    inputs: impl Iterator<Item = &'a Path> + Clone,
    would_be_input: impl Fn(&Path) -> bool,
) -> Result<()> {
    for (_, destination) in plan {
        let Some(path) = destination.replaces() else {
            continue;
        };
        let Some(full) = resolved(path) else {
            continue;
        };
        // Only inputs of the same name are resolved: a run may have 100,000.
        let name = full.file_name();
        let is_input = inputs
            .clone()
            .filter(|input| input.file_name() == name)
            .any(|input| resolved(input).is_some_and(|input| input == full));
        if is_input {
            bail!(
                "--output {}: is an input of this run; write the report outside the audited files",
                path.display()
            );
        }
        if would_be_input(&full) {
            bail!(
                "--output {}: lies among the audited files, where the next run would read it as a document; write the report elsewhere",
                path.display()
            );
        }
    }
    Ok(())
}

/// The buffer between a renderer and its destination.
const BUFFER: usize = 64 * 1024;

/// Whether a file is flushed to the disk before it is renamed into place.
/// Either way the rename is atomic: nobody reads half a file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Flush {
    /// Files a user writes on (`init`'s templates): small, and worth
    /// keeping through a crash.
    ToDisk,
    /// Reports: re-made by running blcheck again, and large (syncing a 7 MB
    /// JSON report took longer than rendering it).
    Skip,
}

/// Sends what `render` writes to its destination through a buffer, so a
/// rendering need not be held whole: to standard output, to a device, FIFO
/// or socket as it is, or to a temporary file beside the target that is
/// renamed into place only once complete. Renderers fail only when writing
/// fails, so their errors are write errors.
pub fn write_streamed(
    destination: &Destination,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match destination {
        Destination::Stdout => {
            let stdout = PipeOut {
                inner: std::io::stdout().lock(),
                closed: false,
            };
            let mut out = BufWriter::with_capacity(BUFFER, stdout);
            render(&mut out)
                .and_then(|()| Ok(out.flush()?))
                .context("cannot write to standard output")
        }
        Destination::Stream(path) => {
            let stream = open_stream(path)?;
            let mut out = BufWriter::with_capacity(BUFFER, stream);
            render(&mut out)
                .and_then(|()| Ok(out.flush()?))
                .with_context(|| format!("{}: cannot write", path.display()))
        }
        Destination::File(path) => replace(path, Flush::Skip, render),
    }
}

/// Writes `render`'s output over the file at `path` (through a link, over
/// the file it points to), atomically: a temporary file beside it, renamed
/// into place. A new file gets the mode `0666` less the umask; a replaced
/// one keeps its mode.
pub(super) fn replace(
    path: &Path,
    flush: Flush,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    };
    let kept_mode = std::fs::metadata(&target)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let temp = temp_beside(&target, flush, kept_mode, render)?;
    temp.persist(&target)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

/// A temporary file beside `path` holding what `render` writes, to rename
/// into place.
pub(super) fn temp_beside(
    path: &Path,
    flush: Flush,
    mode: Option<std::fs::Permissions>,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = new_file_builder().tempfile_in(dir).with_context(|| {
        format!(
            "{}: cannot create a file in {}",
            path.display(),
            dir.display()
        )
    })?;
    if let Some(mode) = mode {
        temp.as_file()
            .set_permissions(mode)
            .with_context(|| format!("{}: cannot keep its mode", path.display()))?;
    }
    let mut out = BufWriter::with_capacity(BUFFER, temp.as_file_mut());
    render(&mut out)
        .and_then(|()| Ok(out.flush()?))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    drop(out);
    if flush == Flush::ToDisk {
        temp.as_file()
            .sync_all()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(temp)
}

/// Temporary files made as an ordinary new file would be: mode `0666`, less
/// the umask (which the system applies when the file is created), not
/// tempfile's private `0600`, so that a report or a template is readable
/// by whoever the user's umask lets read it.
fn new_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".blcheck-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

#[cfg(unix)]
fn open_stream(path: &Path) -> Result<Box<dyn Write>> {
    use std::os::unix::fs::FileTypeExt;
    let is_socket = std::fs::metadata(path).is_ok_and(|m| m.file_type().is_socket());
    if is_socket {
        let socket = std::os::unix::net::UnixStream::connect(path)
            .with_context(|| format!("{}: cannot connect to the socket", path.display()))?;
        return Ok(Box::new(socket));
    }
    // Appending: `/dev/stdout` redirected to a file holds what was already
    // written to stdout, which a write from the start would overwrite.
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    Ok(Box::new(file))
}

#[cfg(not(unix))]
fn open_stream(path: &Path) -> Result<Box<dyn Write>> {
    // Appending: `/dev/stdout` redirected to a file holds what was already
    // written to stdout, which a write from the start would overwrite.
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("{}: cannot open", path.display()))?;
    Ok(Box::new(file))
}

/// Standard output that takes a closed pipe (`blcheck ... | head`) as the
/// reader's choice, not an error: the rest of the report is dropped.
struct PipeOut<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Write for PipeOut<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::formats::Format;
    use super::ReportFlag::*;
    use super::*;

    fn plan(
        formats: &[Format],
        outputs: &[&str],
        order: &[ReportFlag],
    ) -> Result<Vec<(Format, Destination)>> {
        let outputs: Vec<PathBuf> = outputs.iter().map(PathBuf::from).collect();
        plan_outputs(formats, &outputs, order)
    }

    #[test]
    fn an_output_belongs_to_the_format_just_before_it() {
        let got = plan(
            &[Format::Github, Format::Sarif, Format::Markdown],
            &["blcheck.sarif", "blcheck.md"],
            &[Format, Format, Output, Format, Output],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (Format::Github, Destination::Stdout),
                (Format::Sarif, Destination::File("blcheck.sarif".into())),
                (Format::Markdown, Destination::File("blcheck.md".into())),
            ]
        );
    }

    #[test]
    fn an_output_without_a_format_takes_its_extension() {
        let got = plan(
            &[Format::Table],
            &["r.json", "r.XML", "r.sarif"],
            &[Output, Output, Format, Output],
        )
        .unwrap();
        assert_eq!(
            got.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec![Format::Json, Format::Junit, Format::Table]
        );
    }

    #[test]
    fn two_formats_for_stdout_are_named_in_the_error() {
        let e = plan(&[Format::Table, Format::Json], &[], &[Format, Format]).unwrap_err();
        assert!(
            e.to_string()
                .contains("--format table and --format json would both"),
            "{e}"
        );
        let e = plan(
            &[Format::Table, Format::Json],
            &["-"],
            &[Format, Format, Output],
        )
        .unwrap_err();
        assert!(e.to_string().contains("standard output"), "{e}");
    }

    #[test]
    fn an_unknown_extension_without_a_format_is_an_error() {
        let e = plan(&[], &["report.out"], &[Output]).unwrap_err();
        assert!(e.to_string().contains("--output report.out"), "{e}");
        assert!(
            e.to_string()
                .contains("sarif (.sarif), junit (.xml), markdown (.md, .markdown)"),
            "{e}"
        );
    }

    #[test]
    fn dash_is_stdout_and_nothing_given_is_the_table() {
        assert_eq!(
            plan(&[Format::Json], &["-"], &[Format, Output]).unwrap(),
            vec![(Format::Json, Destination::Stdout)]
        );
        assert_eq!(
            plan(&[], &[], &[]).unwrap(),
            vec![(Format::Table, Destination::Stdout)]
        );
    }

    #[test]
    fn one_file_for_two_formats_is_an_error() {
        let e = plan(
            &[Format::Json, Format::Sarif],
            &["a.json", "./a.json"],
            &[Format, Output, Format, Output],
        )
        .unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
    }

    #[test]
    fn a_folder_or_a_missing_folder_is_refused_before_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let e = plan(
            &[Format::Json],
            &[dir.path().to_str().unwrap()],
            &[Format, Output],
        )
        .unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        let missing = dir.path().join("no/such/r.json");
        let e = plan(
            &[Format::Json],
            &[missing.to_str().unwrap()],
            &[Format, Output],
        )
        .unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
    }

    #[test]
    fn dev_null_is_a_stream() {
        assert_eq!(
            plan(&[Format::Json], &["/dev/null"], &[Format, Output]).unwrap(),
            vec![(Format::Json, Destination::Stream("/dev/null".into()))]
        );
    }
}
