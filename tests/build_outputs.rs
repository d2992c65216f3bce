//! Where `bundlec build` writes, and what of its input it writes: outputs
//! never replace an input (paths compared as resolved files), outputs of two
//! runbooks never share a name, stale cleanup removes only what the
//! runbook's own manifest lists, text written into a batch carries no bidi,
//! invisible or control character, and a call's summary names its value.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::bundlec;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn book() -> String {
    fs::read_to_string(root().join("fixtures/runbooks/deployments/example.toml")).unwrap()
}

/// A runbook for the example Safe, `name` and `extra` in `[bundle]`, the
/// book at `book`, then `intents`.
fn runbook(name: &str, extra: &str, book: &str, intents: &str) -> String {
    format!(
        r#"[bundle]
name = "{name}"
{extra}created_at = 1764374400000

[safe]
address = "0x5afe000000000000000000000000000000000001"
chain_id = 1
version = "1.4.1"
nonce = 7

[deployment]
file = "{book}"

{intents}"#
    )
}

const PAUSE: &str = "[[intent]]\nkind = \"pause\"\nmodules = [\"CertificateNFT\"]\n";

fn pause(book: &str) -> String {
    runbook("pause", "", book, PAUSE)
}

/// A temporary directory with the example book at `deployments/example.toml`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("deployments")).unwrap();
    fs::write(dir.path().join("deployments/example.toml"), book()).unwrap();
    dir
}

fn build(dir: &Path, args: &[&str]) -> std::process::Output {
    bundlec()
        .current_dir(dir)
        .arg("build")
        .args(args)
        .output()
        .unwrap()
}

/// Every file under `dir` with its bytes, to show that nothing was written.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.file_type().is_symlink() {
                files.push((
                    path.clone(),
                    fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                ));
            } else {
                files.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// Runs `build` in `dir` and checks the refusal: exit 2, every `needles`
/// in stderr, and no file created, changed or removed.
fn refused(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    let before = snapshot(dir);
    let output = build(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: `{needle}` not in {stderr}"
        );
    }
    assert_eq!(snapshot(dir), before, "{args:?} wrote something");
    stderr
}

fn built(dir: &Path, args: &[&str]) -> String {
    let output = build(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

// ---- summaries ---------------------------------------------------------

#[test]
fn a_call_summary_names_the_value_it_sends() {
    let dir = workspace();
    let call = "[[intent]]\nkind = \"call\"\ncontract = \"backup-safe\"\n\
                function = \"transfer(address to, uint256 amount)\"\nargs = [\"signer-dave\", 1]\n\
                value = \"1000000000000000000000\"\n";
    fs::write(
        dir.path().join("send.toml"),
        runbook(
            "send",
            "gas_per_call = 500000\n",
            "deployments/example.toml",
            call,
        ),
    )
    .unwrap();
    built(dir.path(), &["send.toml"]);
    let manifest = read_json(&dir.path().join("send.safe.json"));
    assert_eq!(
        manifest["batches"][0]["calls"][0]["summary"],
        "backup-safe.transfer(signer-dave, 1), sends 1000 ETH (1000000000000000000000 wei)"
    );
    let batch = read_json(&dir.path().join("send.json"));
    assert_eq!(batch["transactions"][0]["value"], "1000000000000000000000");

    // verify --intent shows the intent's summary, value included.
    let output = bundlec()
        .current_dir(dir.path())
        .args([
            "verify",
            "send.json",
            "--intent",
            "send.toml",
            "--deployment",
            "deployments/example.toml",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "backup-safe.transfer(signer-dave, 1), sends 1000 ETH (1000000000000000000000 wei)"
        ),
        "{stdout}"
    );

    // A call without value has nothing added.
    let call = call.replace("value = \"1000000000000000000000\"\n", "");
    fs::write(
        dir.path().join("free.toml"),
        runbook(
            "free",
            "gas_per_call = 500000\n",
            "deployments/example.toml",
            &call,
        ),
    )
    .unwrap();
    built(dir.path(), &["free.toml"]);
    let manifest = read_json(&dir.path().join("free.safe.json"));
    assert_eq!(
        manifest["batches"][0]["calls"][0]["summary"],
        "backup-safe.transfer(signer-dave, 1)"
    );
}

// ---- outputs never replace an input -----------------------------------

#[test]
fn an_address_book_reached_through_dot_dot_is_not_overwritten() {
    // deployments/pause.toml names its book `../deployments/pause.json`:
    // the same file as its batch, spelled another way.
    let dir = workspace();
    fs::write(dir.path().join("deployments/pause.json"), book()).unwrap();
    fs::write(
        dir.path().join("deployments/pause.toml"),
        pause("../deployments/pause.json"),
    )
    .unwrap();
    refused(
        dir.path(),
        &["deployments/pause.toml"],
        &[
            "error: deployments/pause.json is an input file (read as deployments/../deployments/pause.json)",
            "never overwrites an input",
        ],
    );
    // From inside the folder too.
    refused(
        &dir.path().join("deployments"),
        &["./pause.toml"],
        &["is an input file", "never overwrites an input"],
    );
}

#[test]
fn an_output_reaching_an_input_through_a_symlink_is_refused() {
    let dir = workspace();
    fs::write(
        dir.path().join("pause.toml"),
        pause("deployments/example.toml"),
    )
    .unwrap();
    // The batch's path is a symlink to the address book.
    std::os::unix::fs::symlink("deployments/example.toml", dir.path().join("pause.json")).unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &["pause.json is an input file (read as ./deployments/example.toml)"],
    );
    fs::remove_file(dir.path().join("pause.json")).unwrap();

    // --out-dir through a symlinked folder onto an --abi-dir file.
    fs::create_dir(dir.path().join("abis")).unwrap();
    let abi = fs::read(root().join("abis/CertificateNFT.json")).unwrap();
    fs::write(dir.path().join("abis/CertificateNFT.json"), &abi).unwrap();
    std::os::unix::fs::symlink("abis", dir.path().join("link")).unwrap();
    fs::write(
        dir.path().join("CertificateNFT.toml"),
        pause("deployments/example.toml"),
    )
    .unwrap();
    refused(
        dir.path(),
        &[
            "CertificateNFT.toml",
            "--abi-dir",
            "abis",
            "--out-dir",
            "link",
        ],
        &["link/CertificateNFT.json is an input file (read as abis/CertificateNFT.json)"],
    );
    // And through `x/../`.
    refused(
        dir.path(),
        &[
            "CertificateNFT.toml",
            "--abi-dir",
            "abis",
            "--out-dir",
            "deployments/../abis",
        ],
        &["is an input file"],
    );
    assert_eq!(
        fs::read(dir.path().join("abis/CertificateNFT.json")).unwrap(),
        abi
    );
}

// ---- outputs of two runbooks never share a name -----------------------

#[test]
fn runbook_names_that_end_like_outputs_are_refused() {
    let dir = workspace();
    for (file, ending) in [
        ("pause.1.toml", ".1"),
        ("pause.accept.toml", ".accept"),
        ("pause.accept.2.toml", ".2"),
        ("pause.safe.toml", ".safe"),
        ("pause.ACCEPT.toml", ".accept"),
        ("pause.typed.toml", ".typed"),
        ("pause.Proposal.toml", ".proposal"),
        ("pause.nonce-3.toml", ".nonce-3"),
    ] {
        fs::write(dir.path().join(file), pause("deployments/example.toml")).unwrap();
        let stderr = refused(
            dir.path(),
            &[file],
            &[
                &format!("error: {file}: the runbook's name"),
                &format!("ends in `{ending}`"),
                "does not end in .<digits>, .accept, .safe, .typed, .proposal or .nonce-<digits>",
            ],
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        fs::remove_file(dir.path().join(file)).unwrap();
    }
}

#[test]
fn runbooks_beside_each_other_keep_their_own_outputs() {
    let dir = workspace();
    for file in ["pause.toml", "pause.1.toml", "pause.accept.toml"] {
        fs::write(dir.path().join(file), pause("deployments/example.toml")).unwrap();
    }
    // Outputs left by the other two runbooks (built by an older bundlec).
    fs::write(dir.path().join("pause.1.json"), "pause.1's batch").unwrap();
    fs::write(dir.path().join("pause.accept.json"), "pause.accept's batch").unwrap();

    // pause.toml could write pause.1.json (its first part) and
    // pause.accept.json: refused while those runbooks sit beside it.
    refused(
        dir.path(),
        &["pause.toml"],
        &[
            "error: pause.toml: its outputs and those of the runbook",
            "pause.1.toml could both be named pause.1.json",
            "outputs of two runbooks never share a name",
        ],
    );
    refused(dir.path(), &["pause.1.toml"], &["ends in `.1`"]);
    refused(dir.path(), &["pause.accept.toml"], &["ends in `.accept`"]);
    refused(
        dir.path(),
        &["pause.toml", "pause.1.toml"],
        &["nothing was written: 1 of 2 runbooks failed"],
    );

    // Once they are renamed, pause.toml builds, and removes neither file: its
    // manifest never listed them.
    fs::rename(
        dir.path().join("pause.1.toml"),
        dir.path().join("pause-1.toml"),
    )
    .unwrap();
    fs::rename(
        dir.path().join("pause.accept.toml"),
        dir.path().join("pause-accept.toml"),
    )
    .unwrap();
    let stdout = built(dir.path(), &["pause.toml"]);
    assert!(!stdout.contains("removed"), "{stdout}");
    assert_eq!(
        fs::read_to_string(dir.path().join("pause.1.json")).unwrap(),
        "pause.1's batch"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("pause.accept.json")).unwrap(),
        "pause.accept's batch"
    );
}

#[test]
fn names_that_differ_only_in_case_are_one_name() {
    let dir = workspace();
    fs::write(
        dir.path().join("pause.toml"),
        pause("deployments/example.toml"),
    )
    .unwrap();
    fs::write(
        dir.path().join("Pause.toml"),
        pause("deployments/example.toml"),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &["Pause.toml could both be named", "letter case"],
    );
    // --out-dir into a folder where a runbook of that name lives.
    fs::remove_file(dir.path().join("Pause.toml")).unwrap();
    fs::create_dir(dir.path().join("other")).unwrap();
    fs::write(
        dir.path().join("other/pause.toml"),
        pause("../deployments/example.toml"),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml", "--out-dir", "other"],
        &["other/pause.toml could both be named pause.json in other"],
    );
}

// ---- stale cleanup: only what the runbook's own manifest lists --------

#[test]
fn stale_cleanup_removes_only_what_the_previous_manifest_lists() {
    let dir = workspace();
    let unpause =
        "[[intent]]\nkind = \"unpause\"\nmodules = [\"CertificateNFT\", \"AttestationRegistry\"]\n";
    let text = runbook(
        "unpause",
        "max_calls = 1\n",
        "deployments/example.toml",
        unpause,
    );
    fs::write(dir.path().join("unpause.toml"), &text).unwrap();
    built(dir.path(), &["unpause.toml"]);
    assert!(dir.path().join("unpause.2.json").exists());

    // A file named like a part that the manifest does not list, and a
    // manifest edited to list files that are not this runbook's batches.
    fs::write(dir.path().join("unpause.3.json"), "not listed").unwrap();
    let manifest_path = dir.path().join("unpause.safe.json");
    let mut manifest = read_json(&manifest_path);
    for file in [
        "unpause.toml",
        "deployments/example.toml",
        "../unpause.1.json",
        "other.json",
    ] {
        manifest["batches"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "file": file }));
    }
    fs::write(
        &manifest_path,
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
    fs::write(dir.path().join("other.json"), "another runbook's").unwrap();

    fs::write(
        dir.path().join("unpause.toml"),
        text.replace("max_calls = 1\n", ""),
    )
    .unwrap();
    let check = build(dir.path(), &["--check", "unpause.toml"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("stale: ./unpause.1.json") && stdout.contains("stale: ./unpause.2.json"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("unpause.3.json") && !stdout.contains("other.json"),
        "{stdout}"
    );

    let stdout = built(dir.path(), &["unpause.toml"]);
    // Each listed part, with the typed data and proposal written beside it.
    for part in ["1", "2"] {
        for ending in ["json", "typed.json", "proposal.json"] {
            let name = format!("unpause.{part}.{ending}");
            assert!(stdout.contains(&format!("removed ./{name}")), "{stdout}");
            assert!(!dir.path().join(&name).exists());
        }
    }
    assert_eq!(stdout.matches("removed").count(), 6, "{stdout}");
    for kept in [
        "unpause.3.json",
        "other.json",
        "unpause.toml",
        "deployments/example.toml",
    ] {
        assert!(dir.path().join(kept).exists(), "{kept} removed");
    }
    assert!(dir.path().join("unpause.json").exists());

    // No previous manifest: nothing is removed, whatever the names.
    fs::remove_file(&manifest_path).unwrap();
    fs::write(dir.path().join("unpause.4.json"), "old").unwrap();
    let stdout = built(dir.path(), &["unpause.toml"]);
    assert!(!stdout.contains("removed"), "{stdout}");
    assert!(dir.path().join("unpause.4.json").exists());
}

// ---- text written into the batch --------------------------------------

#[test]
fn a_bidi_override_in_the_bundle_name_is_refused_where_it_is_written() {
    let dir = workspace();
    fs::write(
        dir.path().join("pause.toml"),
        runbook(
            "pause \u{202e}gnp.exe",
            "",
            "deployments/example.toml",
            PAUSE,
        ),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &[
            "error: pause.toml:2:15: [bundle] name contains U+202E (a bidirectional control)",
            "bundlec writes no bidi control, invisible or control character",
        ],
    );
    // Written as a TOML escape: the error points at the value.
    fs::write(
        dir.path().join("pause.toml"),
        runbook(
            "pause \\u202Egnp.exe",
            "",
            "deployments/example.toml",
            PAUSE,
        ),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &["error: pause.toml:2:8: [bundle] name contains U+202E"],
    );
    // A newline has no place in a name either.
    fs::write(
        dir.path().join("pause.toml"),
        runbook("pause\\nnext", "", "deployments/example.toml", PAUSE),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &["error: pause.toml:2:8: [bundle] name contains U+000A (a control character)"],
    );
}

#[test]
fn a_zero_width_space_in_the_description_is_refused() {
    let dir = workspace();
    fs::write(
        dir.path().join("pause.toml"),
        runbook(
            "pause",
            "description = \"Runbook:\u{200b} pausing\"\n",
            "deployments/example.toml",
            PAUSE,
        ),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &["error: pause.toml:3:24: [bundle] description contains U+200B (an invisible character)"],
    );
    // A tab is refused; line breaks are kept, written by JSON as `\n`.
    fs::write(
        dir.path().join("pause.toml"),
        runbook(
            "pause",
            "description = \"a\\tb\"\n",
            "deployments/example.toml",
            PAUSE,
        ),
    )
    .unwrap();
    refused(
        dir.path(),
        &["pause.toml"],
        &["pause.toml:3:15: [bundle] description contains U+0009"],
    );
    fs::write(
        dir.path().join("pause.toml"),
        runbook(
            "pause",
            "description = \"\"\"\nline one\nline two\"\"\"\n",
            "deployments/example.toml",
            PAUSE,
        ),
    )
    .unwrap();
    built(dir.path(), &["pause.toml"]);
    let text = fs::read_to_string(dir.path().join("pause.json")).unwrap();
    assert!(
        text.contains("\"description\": \"line one\\nline two\""),
        "{text}"
    );
}

#[test]
fn unsafe_text_in_call_arguments_or_an_abi_is_refused() {
    let dir = workspace();
    let call = |arg: &str| {
        format!(
            "[[intent]]\nkind = \"call\"\ncontract = \"backup-safe\"\n\
             function = \"note(string text)\"\nargs = [\"{arg}\"]\n"
        )
    };
    fs::write(
        dir.path().join("note.toml"),
        runbook(
            "note",
            "",
            "deployments/example.toml",
            &call("ok\u{2066}evil"),
        ),
    )
    .unwrap();
    refused(
        dir.path(),
        &["note.toml"],
        &["error: note.toml:18:12: a string in `args` contains U+2066 (a bidirectional control)"],
    );

    // An ABI's `internalType` is copied into the batch's contractMethod:
    // the last guard refuses it, at the ABI file.
    let book = book().replace(
        "[labels]",
        "[other_contracts]\nNotes = { address = \"0x1000000000000000000000000000000000000001\", abi = \"Notes.json\" }\n\n[labels]",
    );
    fs::write(dir.path().join("deployments/example.toml"), book).unwrap();
    fs::write(
        dir.path().join("deployments/Notes.json"),
        "[{\"type\":\"function\",\"name\":\"note\",\"stateMutability\":\"nonpayable\",\
         \"inputs\":[{\"name\":\"text\",\"type\":\"string\",\"internalType\":\"string\u{202e}\"}],\"outputs\":[]}]",
    )
    .unwrap();
    let intent =
        "[[intent]]\nkind = \"call\"\ncontract = \"Notes\"\nfunction = \"note\"\nargs = [\"hi\"]\n";
    fs::write(
        dir.path().join("note.toml"),
        runbook(
            "note",
            "gas_per_call = 500000\n",
            "deployments/example.toml",
            intent,
        ),
    )
    .unwrap();
    refused(
        dir.path(),
        &["note.toml"],
        &[
            "Notes.json:1:",
            "note.json would contain U+202E (a bidirectional control)",
        ],
    );
    // Two batches carry the ABI's text, beside a runbook that builds: the
    // runbook fails once, in its place, and nothing is written.
    fs::write(
        dir.path().join("note.toml"),
        runbook(
            "note",
            "gas_per_call = 500000\nmax_calls = 1\n",
            "deployments/example.toml",
            &format!("{intent}{}", intent.replace("\"hi\"", "\"again\"")),
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("pause.toml"),
        runbook("pause", "", "deployments/example.toml", PAUSE),
    )
    .unwrap();
    let stderr = refused(
        dir.path(),
        &["note.toml", "pause.toml"],
        &[
            "note.1.json would contain U+202E",
            "nothing was written: 1 of 2 runbooks failed",
        ],
    );
    assert_eq!(
        stderr.matches("would contain U+202E").count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("note.2.json"), "{stderr}");
    let stderr = refused(
        dir.path(),
        &["--check", "note.toml"],
        &["note.1.json would contain U+202E"],
    );
    assert_eq!(
        stderr.matches("would contain U+202E").count(),
        1,
        "{stderr}"
    );

    // The batch is checked as it is written into its temporary file: the
    // refusal leaves no file behind.
    for name in [
        "note.json",
        "note.typed.json",
        "note.proposal.json",
        "note.safe.json",
    ] {
        assert!(!dir.path().join(name).exists(), "{name} was written");
    }
}

#[test]
fn unsafe_text_that_only_the_manifest_would_carry_is_refused() {
    // The manifest lists the address book's ABI files by path; no batch
    // names them. The manifest is checked as it is written into its
    // temporary file, after the batches were: the refusal must still leave
    // nothing behind.
    let dir = workspace();
    let book = book().replace(
        "StakeManager = \"0x6666666666666666666666666666666666666666\"",
        "StakeManager = { address = \"0x6666666666666666666666666666666666666666\", abi = \"Stake\\u202EManager.json\" }",
    );
    fs::write(dir.path().join("deployments/example.toml"), book).unwrap();
    fs::copy(
        root().join("abis/StakeManager.json"),
        dir.path().join("deployments/Stake\u{202e}Manager.json"),
    )
    .unwrap();
    let intent = "[[intent]]\nkind = \"call\"\ncontract = \"StakeManager\"\n\
                  function = \"autoTuneStakes\"\nargs = [true]\n";
    fs::write(
        dir.path().join("tune.toml"),
        runbook(
            "tune",
            "gas_per_call = 500000\n",
            "deployments/example.toml",
            intent,
        ),
    )
    .unwrap();
    let needle = "tune.safe.json would contain U+202E (a bidirectional control)";
    refused(dir.path(), &["tune.toml"], &[needle]);
    refused(dir.path(), &["--out-dir", "out", "tune.toml"], &[needle]);
    assert!(!dir.path().join("out").exists());
    for name in ["tune.json", "tune.typed.json", "tune.proposal.json"] {
        assert!(!dir.path().join(name).exists(), "{name} was written");
    }

    // Another runbook with the same address book is refused too: each
    // refusal is shown, as when runbooks fail to compile.
    fs::write(
        dir.path().join("pause.toml"),
        pause("deployments/example.toml"),
    )
    .unwrap();
    refused(
        dir.path(),
        &["tune.toml", "pause.toml"],
        &[
            needle,
            "pause.safe.json would contain U+202E",
            "nothing was written: 2 of 2 runbooks failed",
        ],
    );
    fs::remove_file(dir.path().join("pause.toml")).unwrap();

    // Beside a runbook that does not compile, the refusal is shown as well.
    fs::write(dir.path().join("broken.toml"), "not = [toml").unwrap();
    refused(
        dir.path(),
        &["broken.toml", "tune.toml"],
        &[
            "broken.toml",
            needle,
            "nothing was written: 2 of 2 runbooks failed",
        ],
    );
    fs::remove_file(dir.path().join("broken.toml")).unwrap();

    // Every other output renders, so the batch alone is not what is refused.
    let output = build(dir.path(), &["--check", "tune.toml"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("missing:"), "{stderr}");
}
