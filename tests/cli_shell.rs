//! The command's own surface: --version, completions, the man page,
//! --color and --quiet. assert_cmd always pipes standard output and error,
//! so "auto" here is the piped case.

mod common;

use common::bundlec;

const FIXTURE_FLAGS: &[&str] = &[
    "--deployment",
    "fixtures/verify/deployment.toml",
    "--safe-version",
    "1.4.1",
    "--nonce",
    "7",
    "--chain-id",
    "1",
    "--safe",
    "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
];

fn root() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

/// A verify that fails (exit 1): a hidden owner added among pauses.
fn failing_verify() -> assert_cmd::Command {
    let mut cmd = bundlec();
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .arg("verify")
        .arg("fixtures/verify/hidden-add-owner.json")
        .args(FIXTURE_FLAGS);
    cmd
}

fn stdout_of(cmd: &mut assert_cmd::Command, code: i32) -> String {
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(code), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn has_escape(text: &[u8]) -> bool {
    text.contains(&0x1b)
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = stdout_of(bundlec().arg("--version"), 0);
    let rest = out
        .strip_prefix(&format!("bundlec {} (commit ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{out}"));
    let commit: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    assert!(
        commit == "unknown" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = stdout_of(bundlec().args(["completions", shell]), 0);
        assert!(out.contains("bundlec"), "{shell}");
        assert!(out.contains("verify"), "{shell}");
        assert!(out.contains("checksum"), "{shell}");
    }
    bundlec().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff() {
    let out = stdout_of(bundlec().arg("man"), 0);
    assert!(
        out.contains("\n.TH bundlec 1") || out.starts_with(".TH"),
        "{out}"
    );
    assert!(out.contains("verify"));
    assert!(out.contains("completions"));
}

#[test]
fn piped_output_has_no_colour_in_auto_mode() {
    let output = failing_verify().output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!has_escape(&output.stdout));
    let output = bundlec()
        .env_remove("CLICOLOR_FORCE")
        .args(["checksum", "no-such-file.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!has_escape(&output.stderr));
}

#[test]
fn color_always_styles_the_verdict_and_errors() {
    let plain = stdout_of(&mut failing_verify(), 1);
    let coloured = stdout_of(failing_verify().args(["--color", "always"]), 1);
    assert!(has_escape(coloured.as_bytes()));
    // The verdict line is the first thing styled.
    assert!(coloured.starts_with('\x1b'), "{coloured}");
    // Without the escape codes, the text is what it is without colour.
    assert_eq!(strip(&coloured), plain);

    let output = bundlec()
        .args(["--color", "always", "checksum", "no-such-file.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("\x1b"), "{stderr}");
    assert!(strip(&stderr).starts_with("error: "), "{stderr}");
}

#[test]
fn json_is_never_coloured() {
    let out = stdout_of(failing_verify().args(["--color", "always", "--json"]), 1);
    assert!(!has_escape(out.as_bytes()));
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
}

#[test]
fn no_color_and_clicolor_force() {
    let out = stdout_of(failing_verify().env("NO_COLOR", "1"), 1);
    assert!(!has_escape(out.as_bytes()));
    let out = stdout_of(failing_verify().env("CLICOLOR_FORCE", "1"), 1);
    assert!(has_escape(out.as_bytes()));
    // --color never wins over CLICOLOR_FORCE.
    let out = stdout_of(
        failing_verify()
            .env("CLICOLOR_FORCE", "1")
            .args(["--color", "never"]),
        1,
    );
    assert!(!has_escape(out.as_bytes()));
}

#[test]
fn clap_help_follows_the_choice() {
    let out = stdout_of(bundlec().args(["--color", "always", "--help"]), 0);
    assert!(has_escape(out.as_bytes()));
    let out = stdout_of(bundlec().args(["--color", "never", "--help"]), 0);
    assert!(!has_escape(out.as_bytes()));
}

#[test]
fn quiet_verify_prints_the_verdict_line_only() {
    let out = stdout_of(
        bundlec().current_dir(root()).args([
            "verify",
            "--quiet",
            "bundles/pause.json",
            "--intent",
            "bundles/pause.toml",
            "--deployment",
            "bundles/deployments/example.toml",
        ]),
        0,
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("VERIFIED  pause.json"), "{out}");

    let out = stdout_of(failing_verify().arg("-q"), 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("FAILED  hidden-add-owner.json"), "{out}");
}

#[test]
fn quiet_several_parts_print_the_total() {
    let mut cmd = bundlec();
    cmd.current_dir(root()).args(["verify", "-q"]);
    for k in 1..=5 {
        cmd.arg(format!("bundles/unpause.{k}.json"));
    }
    cmd.args([
        "--intent",
        "bundles/unpause.toml",
        "--deployment",
        "bundles/deployments/example.toml",
    ]);
    let out = stdout_of(&mut cmd, 0);
    assert_eq!(out, "VERIFIED: 5 parts, each verified at its own nonce\n");
}

#[test]
fn quiet_errors_still_say_error() {
    let output = bundlec()
        .args([
            "-q",
            "verify",
            "no-such-file.json",
            "--safe-version",
            "1.4.1",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("error: ")
    );
}

#[test]
fn quiet_checksum_names_only_failures() {
    let dir = tempfile::tempdir().unwrap();
    let good = format!("{}/bundles/pause.json", root());
    let bad = dir.path().join("bad.json");
    let text = std::fs::read_to_string(&good).unwrap();
    std::fs::write(
        &bad,
        text.replacen("\"value\": \"0\"", "\"value\": \"1\"", 1),
    )
    .unwrap();
    assert_eq!(stdout_of(bundlec().args(["checksum", "-q", &good]), 0), "");
    let out = stdout_of(bundlec().args(["checksum", "-q", &good]).arg(&bad), 1);
    assert_eq!(out, format!("MISMATCH  {}\n", bad.display()));
}

#[test]
fn quiet_build_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout_of(
        bundlec()
            .current_dir(root())
            .args(["build", "-q", "bundles/pause.toml", "--out-dir"])
            .arg(dir.path()),
        0,
    );
    assert_eq!(out, "");
    assert!(dir.path().join("pause.json").is_file());
}

#[test]
fn quiet_hash_prints_the_hash() {
    let args = [
        "hash",
        "--chain-id",
        "1",
        "--safe",
        "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
        "--safe-version",
        "1.4.1",
        "--to",
        "0x5afe5afE5afE5afE5afE5aFe5aFe5Afe5Afe5AfE",
        "--nonce",
        "3",
    ];
    let full = stdout_of(bundlec().args(args), 0);
    let quiet = stdout_of(bundlec().args(args).arg("--quiet"), 0);
    assert_eq!(quiet.lines().count(), 1);
    let hash = quiet.trim_end();
    assert!(hash.starts_with("0x") && hash.len() == 66, "{quiet}");
    assert!(
        full.lines()
            .any(|l| l.trim_start().starts_with("safeTxHash") && l.ends_with(hash)),
        "{full}"
    );
}

/// The text without its ANSI escape codes.
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
