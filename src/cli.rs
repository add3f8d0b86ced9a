//! The command line. Doc comments here are the `--help` text.

pub use crate::release::{version, RELEASE_DATE};
pub use crate::render::destination::ReportFlag;
pub use crate::render::formats::{
    CatalogueFormat, ColorChoice, CsvDialect, DiffFormat, Format, MaturityFormat, RenewalsFormat,
    TraceFormat, TrendFormat,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "blcheck",
    version = version(),
    about = "Checks blended-learning courses, learning plans and policies against encoded policies",
    long_about = None,
    after_help = "Examples:\n  blcheck audit courses/ --as-of 2025-11-01\n  blcheck audit courses/ --format json --output report.json\n  blcheck explain BLP002\n  blcheck init courses/new-course.yaml --kind course"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit every blcheck document under PATHS against the loaded policies
    Audit(AuditArgs),
    /// Write a baseline: today's failures, which `audit --baseline` then shows without failing on them
    Baseline(BaselineArgs),
    /// Compare two JSON reports (or a report and a baseline): new, fixed and still failing
    Diff(DiffArgs),
    /// Show compliance per policy and rule over time, from an `audit --history` file
    Trend(TrendArgs),
    /// List every rule: id, name, policy, severity, title
    Rules(RulesArgs),
    /// Explain one rule in full: clause, scope, parameters, how to fix it
    Explain(ExplainArgs),
    /// Trace each commitment of the policies' source documents to the rules that check it
    Trace(TraceArgs),
    /// Score a maturity self-assessment against the blended-learning maturity model
    Maturity(MaturityArgs),
    /// List every policy and policy document by renewal date: overdue, due or current
    Renewals(RenewalsArgs),
    /// Write a commented template of a course, learning plan, maturity self-assessment, policy or policy document
    Init(InitArgs),
    /// Print the JSON Schema of a document kind, for editors
    Schema(SchemaArgs),
    /// Serve the Language Server Protocol on stdio: the audit's findings live in the editor
    Lsp(LspArgs),
    /// Print the effective settings: the config file applied, what it overrides, the policies applied
    Config(ConfigArgs),
    /// Test and check policy files: `policy test [DIR]`, `policy check FILE`
    Policy(PolicyArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Write the man pages: blcheck.1 and one per command
    Man(ManArgs),
}

/// `--max-documents-per-file` when not given.
pub const DEFAULT_MAX_DOCUMENTS_PER_FILE: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck audit fixtures/courses --as-of 2025-11-01\n  blcheck audit courses/ --select BLP --ignore BLP014 --fail-on warning\n  blcheck audit courses/ --format json --output report.json --format table"
)]
pub struct AuditArgs {
    /// Files and directories to audit (directories: every *.yaml and *.yml)
    /// [default: `paths` of blcheck.toml, else .]
    pub paths: Vec<PathBuf>,

    /// Output format; repeat to write several, each followed by its --output
    #[arg(long, value_enum)]
    pub format: Vec<Format>,

    #[command(flatten)]
    pub files: OutputFiles,

    #[command(flatten)]
    pub judging: Judging,

    /// Lowest severity that makes the run exit 1 [default: `fail_on` of blcheck.toml, else error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    #[command(flatten)]
    pub scope: AuditScope,

    /// Print only failing findings: no waived or info rows, no summary
    #[arg(long, short)]
    pub quiet: bool,

    #[command(flatten)]
    pub colour: Colour,

    /// CSV: one row per document and rule, passing rules included
    #[arg(long)]
    pub all: bool,

    /// How CSV is written: `excel` (a UTF-8 byte-order mark and CRLF line ends) or `rfc4180` (CRLF, no byte-order mark)
    #[arg(long, value_enum, value_name = "DIALECT", default_value_t = CsvDialect::Excel)]
    pub csv_dialect: CsvDialect,

    /// Group the findings (and the HTML matrix) by a document field: owner,
    /// subcontractor, provider, awarding-body, mode, or any key (a dotted
    /// path such as qualification.level); html, table, markdown and csv
    #[arg(long, value_name = "FIELD")]
    pub group_by: Option<String>,

    /// Record in the HTML report and the workbook when they were made (UTC);
    /// without it the same inputs give the same bytes
    #[arg(long)]
    pub generated_at: bool,

    #[command(flatten)]
    pub reading: Reading,

    /// Largest file to read, in bytes; a larger file is DOC001
    #[arg(long, value_name = "BYTES", default_value_t = crate::source::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_size: u64,

    /// Most YAML documents (`---`) in one file; more is DOC001 for the file
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DOCUMENTS_PER_FILE, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_documents_per_file: u64,

    /// Most documents one run audits; reaching it is DOC015 and exit 2
    /// [default: DOC015's max_documents, 1000000]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_documents: Option<u64>,

    /// Most findings one run reports; reaching it is DOC015 and exit 2
    /// [default: DOC015's max_findings, 1000000]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_findings: Option<u64>,

    /// A baseline (`blcheck baseline`): the failures it holds are shown as
    /// baselined and do not fail the run; its entries no finding matches
    /// are reported as fixed [default: `baseline` of blcheck.toml]
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Remove the baseline's fixed entries from it (nothing is ever added)
    #[arg(long)]
    pub update_baseline: bool,

    /// Append this run's counts to FILE, one JSON line a run, for `blcheck trend`
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
}

/// The flags `audit` and `baseline` share, in three groups because `audit`
/// lists flags of its own between them in its help.
///
/// What the documents are judged against: the built-in policies, `--policy`
/// files, as of `--as-of`.
#[derive(Debug, Args, Clone)]
pub struct Judging {
    /// A policy file to load besides the built-in ones (repeatable)
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,

    #[command(flatten)]
    pub date: AsOf,
}

/// blcheck.toml, the policies that apply, and the rules and files a run
/// covers.
#[derive(Debug, Args, Clone)]
pub struct AuditScope {
    /// Settings file [default: blcheck.toml in this directory or the nearest parent]
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any blcheck.toml
    #[arg(long)]
    pub no_config: bool,

    #[command(flatten)]
    pub switches: PolicySwitches,

    /// Report only these rules: ids, prefixes or names, comma-separated or repeated
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,

    /// Do not report these rules: ids, prefixes or names
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Skip files and directories matching GLOB: a path from the current directory, or a name (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

/// How the files are read: threads, symbolic links.
#[derive(Debug, Args, Clone)]
pub struct Reading {
    /// Number of threads [default: available cores; at most 4 per core]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Follow symbolic links in directories (loops are detected and
    /// reported); without it, a link to a YAML file or a directory is
    /// reported as DOC001 and not followed
    #[arg(long)]
    pub follow_symlinks: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck baseline courses/ --output blcheck-baseline.json\n  blcheck audit courses/ --baseline blcheck-baseline.json\n  blcheck audit courses/ --baseline blcheck-baseline.json --update-baseline\n\nExit codes: 0 the baseline is written; 2 the run cannot be done or stopped at a limit (no baseline is written).",
    // The shared flags, said as a baseline means them.
    mut_arg("select", |arg| arg.help("Baseline only these rules: ids, prefixes or names")),
    mut_arg("ignore", |arg| arg.help("Leave these rules out: ids, prefixes or names")),
    mut_arg("exclude", |arg| arg.help("Skip files and directories matching GLOB (repeatable)")),
    mut_arg("follow_symlinks", |arg| arg.help("Follow symbolic links in directories"))
)]
pub struct BaselineArgs {
    /// Files and directories to audit [default: `paths` of blcheck.toml, else .]
    pub paths: Vec<PathBuf>,

    /// The baseline file to write (replaced atomically; `-` is standard output)
    #[arg(long, value_name = "FILE")]
    pub output: PathBuf,

    #[command(flatten)]
    pub judging: Judging,

    #[command(flatten)]
    pub scope: AuditScope,

    #[command(flatten)]
    pub reading: Reading,
}

impl BaselineArgs {
    /// The audit a baseline is made of: these flags, everything else as
    /// `audit` has it by default, nothing rendered.
    pub fn audit(&self) -> AuditArgs {
        AuditArgs {
            paths: self.paths.clone(),
            format: Vec::new(),
            files: OutputFiles {
                output: Vec::new(),
                force: false,
                order: Vec::new(),
            },
            judging: self.judging.clone(),
            fail_on: None,
            scope: self.scope.clone(),
            quiet: true,
            colour: Colour {
                color: ColorChoice::Never,
            },
            all: false,
            csv_dialect: CsvDialect::Excel,
            group_by: None,
            generated_at: false,
            reading: self.reading.clone(),
            max_file_size: crate::source::DEFAULT_MAX_FILE_BYTES,
            max_documents_per_file: DEFAULT_MAX_DOCUMENTS_PER_FILE,
            max_documents: None,
            max_findings: None,
            baseline: None,
            update_baseline: false,
            history: None,
        }
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck diff main-report.json pr-report.json\n  blcheck diff blcheck-baseline.json report.json --format markdown > comment.md\n\nExit codes: 0 nothing new fails; 1 a finding fails in NEW that OLD does not have; 2 a file cannot be read."
)]
pub struct DiffArgs {
    /// The earlier JSON report (`audit --format json`) or baseline
    pub old: PathBuf,
    /// The later JSON report or baseline
    pub new: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck trend blcheck-history.jsonl\n  blcheck trend blcheck-history.jsonl --format html > trend.html"
)]
pub struct TrendArgs {
    /// A history file written by `audit --history`
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = TrendFormat::Table)]
    pub format: TrendFormat,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck rules\n  blcheck rules --format markdown > docs/rules.md\n  blcheck rules --policy my-policy.toml --format json"
)]
pub struct RulesArgs {
    /// Output format; repeat to write several, each followed by its --output
    #[arg(long, value_enum)]
    pub format: Vec<CatalogueFormat>,

    #[command(flatten)]
    pub files: OutputFiles,

    #[command(flatten)]
    pub policies: PolicyChoice,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck trace\n  blcheck trace --format markdown --output docs/traceability.md\n  blcheck trace --policy my-policy.toml --format csv --output trace.csv"
)]
pub struct TraceArgs {
    /// Output format; repeat to write several, each followed by its --output
    #[arg(long, value_enum)]
    pub format: Vec<TraceFormat>,

    /// Only the commitments of the policy with this id (repeatable)
    #[arg(long, value_name = "POLICY_ID")]
    pub only: Vec<String>,

    #[command(flatten)]
    pub files: OutputFiles,

    #[command(flatten)]
    pub policies: PolicyChoice,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck explain BLP002\n  blcheck explain accessibility-review"
)]
pub struct ExplainArgs {
    /// The rule id, e.g. BLP002
    pub rule: String,

    #[command(flatten)]
    pub policies: PolicyChoice,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck maturity self-assessment.yaml\n  blcheck maturity self-assessment.yaml --compare last-year.yaml\n  blcheck maturity self-assessment.yaml --format html --output maturity.html\n  blcheck maturity self-assessment.yaml --format markdown --output maturity.md\n\nExit codes: 0 scored (problems with claims are listed, and those claims do not count); 2 the file cannot be scored."
)]
pub struct MaturityArgs {
    /// A YAML file holding one `kind: MaturityAssessment` document
    pub file: PathBuf,

    /// An earlier assessment to compare with: the change per dimension and
    /// overall, the statements newly met and those no longer met
    #[arg(long, value_name = "LAST.yaml")]
    pub compare: Option<PathBuf>,

    /// Output format; repeat to write several, each followed by its --output
    #[arg(long, value_enum)]
    pub format: Vec<MaturityFormat>,

    #[command(flatten)]
    pub files: OutputFiles,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck renewals fixtures/policies --as-of 2025-11-01\n  blcheck renewals register/ --within 90 --format ics --output renewals.ics\n  blcheck renewals register/ --format json --output renewals.json --format table\n\nExit codes: 0 nothing overdue; 1 something overdue, or a file of the register that cannot be read or is invalid (listed with the rest); 2 the run cannot be done (a bad flag, blcheck.toml or --policy file)."
)]
pub struct RenewalsArgs {
    /// Files and directories holding policy TOML files and PolicyDocument YAML
    /// (directories: every *.toml, *.yaml and *.yml) [default: `paths` of
    /// blcheck.toml, else none: only the built-in, configured and --policy
    /// policies]
    pub paths: Vec<PathBuf>,

    /// Output format; repeat to write several, each followed by its --output
    #[arg(long, value_enum)]
    pub format: Vec<RenewalsFormat>,

    #[command(flatten)]
    pub files: OutputFiles,

    /// A policy file to list besides the built-in ones (repeatable)
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,

    #[command(flatten)]
    pub date: AsOf,

    /// A renewal at most DAYS after the as-of date is due (and the calendar reminds DAYS before)
    #[arg(long, value_name = "DAYS", default_value_t = 60)]
    pub within: u32,

    /// Settings file: its `policies`, `paths` and `exclude` [default:
    /// blcheck.toml in this directory or the nearest parent]
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any blcheck.toml
    #[arg(long)]
    pub no_config: bool,

    #[command(flatten)]
    pub switches: PolicySwitches,

    #[command(flatten)]
    pub colour: Colour,

    /// How CSV is written: `excel` (a UTF-8 byte-order mark and CRLF line ends) or `rfc4180` (CRLF, no byte-order mark)
    #[arg(long, value_enum, value_name = "DIALECT", default_value_t = CsvDialect::Excel)]
    pub csv_dialect: CsvDialect,
}

/// Which loaded policies apply, beside what blcheck.toml says.
#[derive(Debug, Args, Default, Clone)]
pub struct PolicySwitches {
    /// Apply none of the built-in policies (blcheck's own DOC/POL checks
    /// still run)
    #[arg(long)]
    pub no_builtin_policies: bool,

    /// Do not apply the policy with this id (repeatable)
    #[arg(long, value_name = "POLICY-ID")]
    pub without_policy: Vec<String>,
}

/// The policies and settings a command reads: the built-in policies,
/// `--policy` files and blcheck.toml, as `audit` reads them.
#[derive(Debug, Args, Default, Clone)]
pub struct PolicyChoice {
    /// A policy file to load besides the built-in ones (repeatable)
    #[arg(long, value_name = "FILE")]
    pub policy: Vec<PathBuf>,

    /// Settings file [default: blcheck.toml in this directory or the nearest parent]
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Ignore any blcheck.toml
    #[arg(long)]
    pub no_config: bool,

    #[command(flatten)]
    pub switches: PolicySwitches,
}

/// `--output`, shared by every command that writes reports.
#[derive(Debug, Args)]
pub struct OutputFiles {
    /// Write the --format just before it to FILE (replaced atomically; `-`
    /// is standard output; a device or FIFO is written to); without a
    /// --format before it, the format is taken from FILE's extension
    #[arg(long, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Accepted for older scripts; report files are always replaced
    #[arg(long, hide = true)]
    pub force: bool,

    /// The order in which --format and --output were given, which the
    /// pairing reads; filled in by [`parse_from`].
    #[arg(skip)]
    pub order: Vec<ReportFlag>,
}

/// Parses a command line, keeping the order of `--format` and `--output`
/// (an `--output` belongs to the `--format` just before it), which clap's
/// derived lists lose.
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    if let Some((_, sub)) = matches.subcommand() {
        if let Some(files) = cli.command.output_files_mut() {
            files.order = flag_order(sub);
        }
    }
    Ok(cli)
}

fn flag_order(matches: &clap::ArgMatches) -> Vec<ReportFlag> {
    let indices = |id: &str| -> Vec<usize> {
        matches
            .indices_of(id)
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let mut flags: Vec<(usize, ReportFlag)> = indices("format")
        .into_iter()
        .map(|i| (i, ReportFlag::Format))
        .chain(
            indices("output")
                .into_iter()
                .map(|i| (i, ReportFlag::Output)),
        )
        .collect();
    flags.sort_by_key(|(index, _)| *index);
    flags.into_iter().map(|(_, flag)| flag).collect()
}

impl Command {
    /// The `--output` flags of the commands that write reports.
    fn output_files_mut(&mut self) -> Option<&mut OutputFiles> {
        match self {
            Command::Audit(args) => Some(&mut args.files),
            Command::Rules(args) => Some(&mut args.files),
            Command::Trace(args) => Some(&mut args.files),
            Command::Maturity(args) => Some(&mut args.files),
            Command::Renewals(args) => Some(&mut args.files),
            Command::Explain(_)
            | Command::Baseline(_)
            | Command::Diff(_)
            | Command::Trend(_)
            | Command::Init(_)
            | Command::Schema(_)
            | Command::Config(_)
            | Command::Policy(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Lsp(_) => None,
        }
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck lsp\n  blcheck lsp --as-of 2025-11-01\n\nAn editor starts it in the workspace root, where blcheck.toml is; docs/editors.md has the set-ups."
)]
pub struct LspArgs {
    #[command(flatten)]
    pub date: AsOf,
}

/// `--as-of`, shared by the commands that judge dates.
#[derive(Debug, Args, Clone)]
pub struct AsOf {
    /// The date to judge dates as of: YYYY-MM-DD or DD/MM/YYYY [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// `--color`, shared by the commands that print tables.
#[derive(Debug, Args)]
pub struct Colour {
    /// Colour in the table (NO_COLOR is honoured)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The kinds `blcheck init` writes a template of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateKind {
    /// kind: Course
    Course,
    /// kind: LearnerPlan, an individual learning plan
    Plan,
    /// kind: MaturityAssessment, with every statement of the maturity model
    Maturity,
    /// A starter policy TOML, with one rule, one declared field and its test cases
    Policy,
    /// kind: PolicyDocument, an entry of the register `blcheck renewals` reads
    PolicyDocument,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck init courses/fs-english-l2.yaml --kind course\n  blcheck init plans/l1001.yaml --kind plan\n  blcheck init --kind maturity > self-assessment.yaml\n\nThe template passes the format checks (no DOC002 or DOC003); its empty fields fail the policies' rules until they are filled in."
)]
pub struct InitArgs {
    /// The file to write (atomically) [default: standard output]
    pub file: Option<PathBuf>,

    /// The kind of document
    #[arg(long, value_enum)]
    pub kind: TemplateKind,

    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub policies: PolicyChoice,
}

/// The kinds `blcheck schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// kind: Course
    Course,
    /// kind: LearnerPlan
    Plan,
    /// kind: MaturityAssessment
    Maturity,
    /// kind: PolicyDocument
    PolicyDocument,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck schema --kind course > .vscode/blcheck-course.schema.json\n  blcheck schema --kind plan > schemas/learner-plan.schema.json\n\nThen name the schema in a modeline (# yaml-language-server: $schema=...) or in\nyaml.schemas; see docs/editors.md."
)]
pub struct SchemaArgs {
    /// The kind of document
    #[arg(long, value_enum)]
    pub kind: SchemaKind,

    #[command(flatten)]
    pub policies: PolicyChoice,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck config\n  blcheck config --config ci/blcheck.toml\n  blcheck config --no-builtin-policies --policy acme.toml"
)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub policies: PolicyChoice,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run a policy's test cases: YAML documents stating the status each rule must have
    Test(PolicyTestArgs),
    /// Validate policy files alone, listing every problem with its place
    Check(PolicyCheckArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck policy test policies/acme/\n  blcheck policy test policies/acme/ --min-coverage 100\n\nExit codes: 0 every case as expected (and coverage at least --min-coverage); 1 a case not as expected, or coverage below it; 2 the tests cannot run (an invalid policy or case)."
)]
pub struct PolicyTestArgs {
    /// The directory of the policy (*.toml) and its cases (*.yaml under it) [default: .]
    pub dir: Option<PathBuf>,

    /// Fail when fewer than this percentage of the tested rules have both a passing and a failing case
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_coverage: Option<u8>,

    #[command(flatten)]
    pub date: AsOf,

    /// Test the built-in policies too (their rules count in the coverage)
    #[arg(long)]
    pub with_builtin_policies: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck policy check acme.toml\n  blcheck policy check policies/*.toml"
)]
pub struct PolicyCheckArgs {
    /// Policy TOML files
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  source <(blcheck completions bash)\n  blcheck completions bash > ~/.local/share/bash-completion/completions/blcheck\n  blcheck completions zsh > ~/.zfunc/_blcheck\n  blcheck completions fish > ~/.config/fish/completions/blcheck.fish"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  blcheck man | man -l -\n  blcheck man --output ~/.local/share/man/man1\n  sudo blcheck man --output /usr/local/share/man/man1 --force"
)]
pub struct ManArgs {
    /// Write blcheck.1 and blcheck-COMMAND.1 for every command into DIR
    /// [default: blcheck.1 to standard output]
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Overwrite pages that exist in DIR
    #[arg(long)]
    pub force: bool,
}

impl AuditArgs {
    /// The policies and settings the audit reads.
    pub fn policy_choice(&self) -> PolicyChoice {
        PolicyChoice {
            policy: self.judging.policy.clone(),
            config: self.scope.config.clone(),
            no_config: self.scope.no_config,
            switches: self.scope.switches.clone(),
        }
    }
}

impl RenewalsArgs {
    /// The policies and settings `renewals` reads, as `audit` does.
    pub fn policy_choice(&self) -> PolicyChoice {
        PolicyChoice {
            policy: self.policy.clone(),
            config: self.config.clone(),
            no_config: self.no_config,
            switches: self.switches.clone(),
        }
    }
}
