//! Colour, added by bundlec to lines bundlec wrote, and only after escaping.
//!
//! `--color auto|always|never` sets anstream's global choice; in `auto`,
//! anstream's rules decide per stream: `NO_COLOR` turns colour off,
//! `CLICOLOR_FORCE` on, and otherwise only a terminal gets it (a pipe or a
//! file never does). JSON output is never styled.
//!
//! How the report's lines are recognised: [`paint`] styles a line by the
//! prefix bundlec's own renderers give it (`FAILED  `, `  DANGER `, …). That
//! is sound only because every string from an input is escaped before it is
//! printed (`bundlec::text::untrusted`, then `cli::terminal_safe` in
//! `print_out`): an input string cannot hold a line break, so it can never
//! start a line, and every line that starts with one of these prefixes was
//! written by bundlec. Styles are added after that escaping, so the escape
//! codes are bundlec's and never come from input; with the escape codes
//! removed, the text is byte for byte what is printed without colour.

use anstream::ColorChoice;
use anstyle::{AnsiColor, Effects, Style};

/// Sets the choice for this run, from `--color`.
pub fn set_choice(choice: clap::ColorChoice) {
    let choice = match choice {
        clap::ColorChoice::Auto => ColorChoice::Auto,
        clap::ColorChoice::Always => ColorChoice::Always,
        clap::ColorChoice::Never => ColorChoice::Never,
    };
    choice.write_global();
}

/// Whether standard output gets colour in this run.
pub fn stdout_on() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != ColorChoice::Never
}

/// Whether standard error gets colour in this run.
pub fn stderr_on() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != ColorChoice::Never
}

const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
const PASSED: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
const FAILED: Style = AnsiColor::Red
    .on_default()
    .effects(Effects::BOLD.insert(Effects::INVERT));
const UNSURE: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
const DANGER: Style = AnsiColor::Red.on_default();
const NOTICE: Style = AnsiColor::Yellow.on_default();
const NOTE: Style = Style::new().effects(Effects::DIMMED);

/// `error:` as standard error shows it.
pub fn error_prefix(on: bool) -> String {
    wrap(on.then_some(ERROR), "error:")
}

fn wrap(style: Option<Style>, text: &str) -> String {
    match style {
        Some(style) => format!("{style}{text}{style:#}"),
        None => text.to_owned(),
    }
}

/// What a line printed on its own says, for [`line`].
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A check passed (checksum `OK`).
    Passed,
    /// A check failed (checksum `MISMATCH`).
    Failed,
    /// Something to look at (a file that differs under `build --check`).
    Notice,
    /// Background (build's `note:` lines).
    Note,
}

/// One line bundlec wrote (already escaped), styled as `kind` when `on`.
/// Build and checksum print each line on its own and style it here, by what
/// it is, rather than by its text: their lines may start with a path.
pub fn line(kind: Kind, text: &str, on: bool) -> String {
    let style = match kind {
        Kind::Passed => PASSED,
        Kind::Failed => FAILED,
        Kind::Notice => NOTICE,
        Kind::Note => NOTE,
    };
    wrap(on.then_some(style), text)
}

/// The style of one line of verify's report and hash's output, by its prefix
/// (see the module comment for why a prefix is enough there). Only for
/// those two: build and checksum print lines that start with a path, and
/// style each line by what it is ([`line`]).
fn line_style(line: &str) -> Option<Style> {
    const RULES: &[(&str, Style)] = &[
        // verify: the verdict, first and last, and the several-parts total.
        ("VERIFIED  ", PASSED),
        ("VERIFIED: ", PASSED),
        ("FAILED  ", FAILED),
        ("FAILED: ", FAILED),
        ("NO REFERENCE  ", UNSURE),
        ("Hashes for the incident record only: DO NOT SIGN", ERROR),
        // verify findings and hash checks.
        ("  ERROR  ", DANGER),
        ("  DANGER ", DANGER),
        ("  NOTICE ", NOTICE),
        ("  notice ", NOTICE),
    ];
    RULES
        .iter()
        .find(|(prefix, _)| line.starts_with(prefix))
        .map(|(_, style)| *style)
}

/// `text` (already escaped) with bundlec's report lines styled.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&wrap(line_style(line), line));
    }
    out
}

/// The styles of clap's own help and errors.
pub fn clap_styles() -> clap::builder::Styles {
    clap::builder::Styles::styled()
        .error(ERROR)
        .header(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .usage(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .literal(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .placeholder(AnsiColor::Cyan.on_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(text: &str) -> String {
        let mut out = Vec::new();
        {
            let mut stream = anstream::StripStream::new(&mut out);
            std::io::Write::write_all(&mut stream, text.as_bytes()).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn painting_adds_only_escape_codes() {
        let text = "FAILED  x.json: do not sign\nSafe 0x…\n  DANGER code [tx 0] m\n  notice c [batch] m\n    DANGER not a finding\n\nVERIFIED: 2 parts\n";
        let painted = paint(text);
        assert_ne!(painted, text);
        assert_eq!(strip(&painted), text);
        assert!(painted.contains(&format!("{FAILED}FAILED  x.json")));
        // Deeper lines (a decoded tree) are never styled.
        assert!(painted.contains("\n    DANGER not a finding\n"));
    }

    #[test]
    fn unstyled_lines_are_untouched() {
        assert_eq!(paint("Calls (2)\n  tx 0: a\n"), "Calls (2)\n  tx 0: a\n");
        assert_eq!(error_prefix(false), "error:");
    }
}
