//! Who the report is for and what it covers: the organisation, the
//! report's title and logo (blcheck.toml), what was audited, the
//! configuration, and, only when asked with `--generated-at`, when blcheck
//! ran. The HTML report and the workbook show it; without
//! `--generated-at` nothing in it changes from one run to the next.

use super::compliance::RagThresholds;

/// An image for the report's header, embedded (the page fetches nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Logo {
    /// The media type of an image file blcheck embeds, from its extension.
    pub fn media_type_of(extension: &str) -> Option<&'static str> {
        match extension.to_ascii_lowercase().as_str() {
            "png" => Some("image/png"),
            "jpg" | "jpeg" => Some("image/jpeg"),
            "gif" => Some("image/gif"),
            "svg" => Some("image/svg+xml"),
            "webp" => Some("image/webp"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReportIdentity {
    /// `organisation` of blcheck.toml.
    pub organisation: Option<String>,
    /// `report_title` of blcheck.toml.
    pub title: Option<String>,
    pub logo: Option<Logo>,
    /// The settings file, as shown to users.
    pub config: Option<String>,
    /// The paths audited, as given.
    pub audited: Vec<String>,
    /// `--generated-at`: when the report was made, in UTC.
    pub generated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `[compliance]` of blcheck.toml; without it no RAG status is shown.
    pub thresholds: Option<RagThresholds>,
}

impl ReportIdentity {
    /// The report's heading: its title, else the organisation's report.
    pub fn heading(&self) -> String {
        match (&self.title, &self.organisation) {
            (Some(title), _) => title.clone(),
            (None, Some(organisation)) => format!("{organisation}: policy compliance report"),
            (None, None) => "Policy compliance report".to_string(),
        }
    }

    /// `--generated-at`'s time as the reports write it.
    pub fn generated(&self) -> Option<String> {
        self.generated_at
            .map(|at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }
}
