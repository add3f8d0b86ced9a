//! The formats and colour choices of the renderers. The command line
//! offers them as they are (their doc comments are the `--help` text), so
//! the render layer needs nothing of `cli.rs`.

use clap::ValueEnum;

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people reading a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// JUnit XML, for CI test reports
    Junit,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// GitLab Code Quality (Code Climate JSON); an --output FILE.json without it is JSON
    Gitlab,
    /// A Markdown summary for a pull-request comment or step summary
    Markdown,
    /// One row per finding (with --all, per document and rule)
    Csv,
    /// One self-contained HTML page for people: summary, compliance matrix, findings
    Html,
    /// A spreadsheet workbook (.xlsx): summary, findings, matrix, waivers, policies
    Xlsx,
}

/// How CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CsvDialect {
    /// UTF-8 with a byte-order mark and CRLF line ends: Excel and LibreOffice open it with every character right
    #[default]
    Excel,
    /// RFC 4180 as written: CRLF line ends, no byte-order mark (for programs that read the first column name literally)
    Rfc4180,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Json,
    Markdown,
}

/// Formats of `blcheck trace`, the traceability matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// A table for people reading a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
    /// A Markdown page: docs/traceability.md is this output
    Markdown,
    /// One row per commitment and rule, for a spreadsheet
    Csv,
}

/// Formats of the maturity report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MaturityFormat {
    /// Levels per dimension with a bar chart, for a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
    /// A Markdown report, for a self-assessment report or a wiki
    Markdown,
    /// One HTML page with a chart of the levels (inline SVG, no script)
    Html,
}

/// Formats of `blcheck renewals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenewalsFormat {
    /// A table for people reading a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
    /// One row per document, for a spreadsheet
    Csv,
    /// A Markdown table, for a pull-request comment or a CI step summary
    Markdown,
    /// An iCalendar file: an all-day event on each renewal date, with a reminder
    Ics,
    /// A spreadsheet workbook (.xlsx): one row per document, real dates
    Xlsx,
}

/// Formats of `blcheck diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Counts per rule and the new and fixed findings, for a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
    /// A summary line and collapsible lists, for a pull-request comment
    Markdown,
}

/// Formats of `blcheck trend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendFormat {
    /// Compliance per policy and rule with sparklines, for a terminal
    Table,
    /// One JSON object (format_version 1)
    Json,
    /// A Markdown table, for a report or a wiki
    Markdown,
    /// One self-contained HTML page with an inline SVG chart
    Html,
}
