//! Runs `blcheck lsp` in Zed, which starts language servers only from
//! extensions. Zed builds this crate to WebAssembly when the folder is
//! installed as a dev extension (docs/editors.md, "Zed").
//!
//! The blcheck binary is the user's: `lsp.blcheck.binary.path` in Zed's
//! settings, else `blcheck` on the PATH of the project's shell. The
//! extension downloads nothing.

use zed_extension_api::settings::{CommandSettings, LspSettings};
use zed_extension_api::{self as zed, EnvVars, LanguageServerId, Result, Worktree};

/// The server's id: the key of `[language_servers.blcheck]` in
/// extension.toml and the name under `lsp` in Zed's settings.
const SERVER_ID: &str = "blcheck";

/// The program `blcheck lsp` is a command of, looked for on the PATH.
const BINARY: &str = "blcheck";

/// The arguments that start the server, unless the settings give others.
const SERVER_ARGUMENTS: &[&str] = &["lsp"];

struct BlcheckExtension;

impl zed::Extension for BlcheckExtension {
    fn new() -> Self {
        BlcheckExtension
    }

    fn language_server_command(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        known_server(language_server_id)?;
        let settings = LspSettings::for_worktree(SERVER_ID, worktree)?;
        server_command(
            settings.binary,
            || worktree.which(BINARY),
            worktree.shell_env(),
            &worktree.root_path(),
        )
    }

    /// `blcheck lsp` reads `asOf` (the date findings are as of) from its
    /// initialization options; the user's `lsp.blcheck.initialization_options`
    /// are passed as they are. The server asks for no workspace
    /// configuration, so there is none to pass.
    fn language_server_initialization_options(
        &mut self,
        language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        known_server(language_server_id)?;
        Ok(LspSettings::for_worktree(SERVER_ID, worktree)?.initialization_options)
    }
}

fn known_server(language_server_id: &LanguageServerId) -> Result<()> {
    only_blcheck(language_server_id.as_ref())
}

/// Zed asks only for the servers extension.toml lists; anything else is a
/// manifest out of step with this code.
fn only_blcheck(language_server_id: &str) -> Result<()> {
    if language_server_id == SERVER_ID {
        Ok(())
    } else {
        Err(format!(
            "the blcheck extension runs only the '{SERVER_ID}' language server, not '{language_server_id}'"
        ))
    }
}

/// The command that starts the server: the binary the settings name, else
/// the one `find_on_path` finds; the settings' arguments replace `lsp`
/// (so they must include it), their environment is added to the shell's.
fn server_command(
    binary: Option<CommandSettings>,
    find_on_path: impl FnOnce() -> Option<String>,
    shell_env: EnvVars,
    project: &str,
) -> Result<zed::Command> {
    let (path, arguments, extra_env) = match binary {
        Some(CommandSettings {
            path,
            arguments,
            env,
        }) => (path, arguments, env),
        None => (None, None, None),
    };
    let Some(command) = path.or_else(find_on_path) else {
        return Err(not_installed(project));
    };
    let args =
        arguments.unwrap_or_else(|| SERVER_ARGUMENTS.iter().map(|a| a.to_string()).collect());
    let mut env = shell_env;
    for (name, value) in extra_env.into_iter().flatten() {
        env.retain(|(existing, _)| *existing != name);
        env.push((name, value));
    }
    Ok(zed::Command { command, args, env })
}

fn not_installed(project: &str) -> String {
    format!(
        "{BINARY} is not on the PATH of {project}. Install it (`cargo install --locked --path .` \
         in a blcheck checkout, or `pipx install` of its wheel: see blcheck's README), or set \
         \"lsp\": {{ \"{SERVER_ID}\": {{ \"binary\": {{ \"path\": \"/path/to/blcheck\" }} }} }} \
         in Zed's settings.json."
    )
}

zed::register_extension!(BlcheckExtension);

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(path: Option<&str>, arguments: Option<&[&str]>) -> CommandSettings {
        CommandSettings {
            path: path.map(String::from),
            arguments: arguments.map(|a| a.iter().map(|s| s.to_string()).collect()),
            env: None,
        }
    }

    fn shell() -> EnvVars {
        vec![("PATH".into(), "/usr/local/bin:/usr/bin".into())]
    }

    #[test]
    fn without_settings_it_runs_blcheck_lsp_from_the_path() {
        let command = server_command(
            None,
            || Some("/usr/local/bin/blcheck".into()),
            shell(),
            "/courses",
        )
        .unwrap();
        assert_eq!(command.command, "/usr/local/bin/blcheck");
        assert_eq!(command.args, ["lsp"]);
        assert_eq!(command.env, shell());
    }

    #[test]
    fn a_binary_path_in_the_settings_wins_over_the_path() {
        let command = server_command(
            Some(settings(Some("/opt/blcheck/bin/blcheck"), None)),
            || panic!("the PATH is not searched when the settings name the binary"),
            shell(),
            "/courses",
        )
        .unwrap();
        assert_eq!(command.command, "/opt/blcheck/bin/blcheck");
        assert_eq!(command.args, ["lsp"]);
    }

    #[test]
    fn arguments_in_the_settings_replace_lsp() {
        let command = server_command(
            Some(settings(None, Some(&["lsp", "--as-of", "2025-11-01"]))),
            || Some("/usr/bin/blcheck".into()),
            shell(),
            "/courses",
        )
        .unwrap();
        assert_eq!(command.command, "/usr/bin/blcheck");
        assert_eq!(command.args, ["lsp", "--as-of", "2025-11-01"]);
    }

    #[test]
    fn the_settings_environment_is_added_to_the_shell_s() {
        let mut binary = settings(None, None);
        binary.env = Some(
            [
                ("PATH".to_string(), "/opt/bin".to_string()),
                ("NO_COLOR".to_string(), "1".to_string()),
            ]
            .into(),
        );
        let command = server_command(
            Some(binary),
            || Some("/usr/bin/blcheck".into()),
            shell(),
            "/courses",
        )
        .unwrap();
        let mut env = command.env;
        env.sort();
        assert_eq!(
            env,
            [
                ("NO_COLOR".to_string(), "1".to_string()),
                ("PATH".to_string(), "/opt/bin".to_string()),
            ]
        );
    }

    #[test]
    fn without_blcheck_the_error_says_how_to_install_it() {
        let error = server_command(None, || None, shell(), "/courses").unwrap_err();
        assert!(
            error.starts_with("blcheck is not on the PATH of /courses."),
            "{error}"
        );
        assert!(error.contains("cargo install --locked --path ."), "{error}");
        assert!(error.contains("\"binary\": { \"path\""), "{error}");
    }

    #[test]
    fn it_runs_only_its_own_server() {
        assert!(only_blcheck("blcheck").is_ok());
        let error = only_blcheck("yaml-language-server").unwrap_err();
        assert!(error.contains("not 'yaml-language-server'"), "{error}");
    }
}
