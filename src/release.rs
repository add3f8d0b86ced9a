//! What identifies this build of blcheck: its version (with the built-in
//! policies') and the date the version was released.

/// `blcheck --version`: the version and the built-in policies' versions,
/// e.g. `0.1.0 (policies: ilp-quality 1.0, ld-evaluation 1.0, sts-blended-learning 1.2)`.
pub fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        let policies = match crate::policy::built_in() {
            Ok(mut policies) => {
                policies.sort_by(|a, b| a.id.cmp(&b.id));
                policies
                    .iter()
                    .map(|p| format!("{} {}", p.id, p.version))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            // Tested never to happen; `blcheck rules` would say why.
            Err(_) => "invalid".to_string(),
        };
        format!("{} (policies: {policies})", env!("CARGO_PKG_VERSION"))
    })
}

/// The release date of this version (Cargo.toml's `version`), changed with
/// it: the date of the man pages. A constant, not the build's clock, so
/// that the pages are the same bytes wherever and whenever they are built
/// (docs/decisions.md).
pub const RELEASE_DATE: &str = "2026-12-01";
