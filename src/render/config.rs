//! The settings a run applied beyond the policies (`AppliedConfig`: the
//! blcheck.toml, what it overrode, the policies switched off), as each
//! human-read format shows it; JSON and SARIF carry the same object.
//! Nothing is shown when nothing applied.

use super::text::{markdown_safe, terminal_safe};
use crate::report::AppliedConfig;
use anyhow::Result;
use std::io::Write;

/// The lines under the table's summary.
pub fn table_footer(config: &AppliedConfig, out: &mut dyn Write) -> Result<()> {
    for line in lines(config) {
        writeln!(out, "{}", terminal_safe(&line))?;
    }
    Ok(())
}

/// The section at the end of the Markdown report.
pub fn markdown_section(config: &AppliedConfig, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "\n### Settings applied\n")?;
    for line in lines(config) {
        writeln!(out, "- {}", markdown_safe(&line))?;
    }
    Ok(())
}

/// The settings in sentences, one per line, the first naming the file.
pub fn lines(config: &AppliedConfig) -> Vec<String> {
    let mut lines = vec![match &config.file {
        Some(file) => format!("Config: {file}"),
        None => "Config: no blcheck.toml".to_string(),
    }];
    for o in &config.overrides {
        lines.push(format!(
            "Overridden: {} {} = {} (the policy's own: {}; {})",
            o.rule, o.setting, o.value, o.policy_value, o.place
        ));
    }
    for p in &config.policies_off {
        lines.push(format!("Not applied: policy {} (by {})", p.id, p.by));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ConfigOverride, PolicyOff};

    #[test]
    fn every_override_and_policy_off_is_a_line_after_the_file() {
        let config = AppliedConfig {
            file: Some("blcheck.toml".into()),
            overrides: vec![ConfigOverride {
                rule: "BLP002".into(),
                setting: "max_age_days".into(),
                value: "400".into(),
                policy_value: "365".into(),
                place: "blcheck.toml:3:12".into(),
            }],
            policies_off: vec![PolicyOff {
                id: "sts-blended-learning".into(),
                by: "--no-builtin-policies".into(),
            }],
        };
        assert_eq!(
            lines(&config),
            [
                "Config: blcheck.toml",
                "Overridden: BLP002 max_age_days = 400 (the policy's own: 365; blcheck.toml:3:12)",
                "Not applied: policy sts-blended-learning (by --no-builtin-policies)"
            ]
        );
        let mut md = Vec::new();
        markdown_section(&config, &mut md).unwrap();
        assert!(String::from_utf8(md)
            .unwrap()
            .contains("- Config: blcheck.toml\n"));
    }
}
