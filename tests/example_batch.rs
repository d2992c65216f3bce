//! The example batch the README's first command checks, written by the
//! library's batch writer: the committed file must stay byte-identical to what
//! the writer produces (regenerate with `BUNDLEC_REGENERATE=1`).

use alloy_primitives::{Bytes, U256, address};
use bundlec::txbuilder::{BatchFile, BatchMeta, BatchTransaction};

fn example() -> BatchFile {
    let safe = address!("5afe5afe5afe5afe5afe5afe5afe5afe5afe5afe");
    let mut meta = BatchMeta::new("SEV-0 emergency pause", safe);
    meta.description = "Runbook: Pausing & Circuit Breakers".into();
    BatchFile::new(
        1,
        1_764_374_400_000,
        meta,
        vec![
            // SystemPause.pauseAll()
            BatchTransaction::raw(
                address!("5555555555555555555555555555555555555555"),
                U256::ZERO,
                Bytes::from_static(&[0x59, 0x5c, 0x6a, 0x67]),
            ),
            // CertificateNFT.pause()
            BatchTransaction::raw(
                address!("f222222222222222222222222222222222222222"),
                U256::ZERO,
                Bytes::from_static(&[0x84, 0x56, 0xcb, 0x59]),
            ),
        ],
    )
}

#[test]
fn example_batch_is_what_the_writer_produces() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/batches/sev0-pause.json"
    );
    let written = example().to_json_string().unwrap();
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if written != committed {
        if std::env::var_os("BUNDLEC_REGENERATE").is_some() {
            std::fs::write(path, &written).unwrap();
        } else {
            panic!(
                "{path} is out of date: run `BUNDLEC_REGENERATE=1 cargo test --test example_batch`"
            );
        }
    }
}
