//! `blcheck audit`: exit codes, errors, output formats.
