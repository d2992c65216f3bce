#!/usr/bin/env python3
"""Independent conformance vectors for bundlec, computed with safe-eth-py and eth-abi.

What it writes (all JSON Lines, one object per line):
  conformance/safe-eth-py/safe-hashes.jsonl  Safe transaction hashes (domain separator, SafeTx
                                             struct hash, safeTxHash) and SafeMessage hashes for
                                             every Safe version bundlec supports, on many chains,
                                             plus the hand-picked inputs of
                                             conformance/own/safe-cases.jsonl (ids and reasons kept).
  conformance/safe-eth-py/multisend.jsonl    multiSend(bytes) calldata built by safe-eth-py's
                                             MultiSendTx / MultiSend, and built a second way with
                                             eth_abi.packed and eth_abi; the two must be identical
                                             (asserted here), so one file holds what both say.
  conformance/python/VERSIONS.json           the Python and package versions the vectors came from.

How to run it by hand, from the repository root:
  python3 -m venv /tmp/v && /tmp/v/bin/pip install -r conformance/python/requirements.txt \
      && /tmp/v/bin/python conformance/python/generate.py

Network is needed only to install the packages; generation itself never contacts a node (every
value safe-eth-py could look up on chain - nonce, version, chain id, domain separator - is passed
in explicitly). The output is byte-for-byte deterministic: all inputs come from fixed-seed
random.Random instances, never from the clock. `cargo test` checks the committed outputs offline;
this script only needs to be rerun to regenerate them.
"""

import importlib.metadata
import json
import platform
import random
import sys
from pathlib import Path

from eth_abi import encode as abi_encode
from eth_abi.packed import encode_packed
from eth_account.messages import _hash_eip191_message, defunct_hash_message, encode_typed_data
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address
from safe_eth.eth import EthereumClient
from safe_eth.eth.eip712 import eip712_encode, hash_struct
from safe_eth.eth.utils import get_empty_tx_params
from safe_eth.safe import Safe
from safe_eth.safe.multi_send import MultiSend, MultiSendOperation, MultiSendTx
from safe_eth.safe.safe_tx import SafeTx

ROOT = Path(__file__).resolve().parents[1]  # .../conformance
OWN_CASES = ROOT / "own" / "safe-cases.jsonl"
OUT_HASHES = ROOT / "safe-eth-py" / "safe-hashes.jsonl"
OUT_MS_SAFE = ROOT / "safe-eth-py" / "multisend.jsonl"
OUT_VERSIONS = ROOT / "python" / "VERSIONS.json"

# Fixed seeds: changing them changes every vector, so don't.
SEED_TX = 0x5AFE_0001
SEED_MSG = 0x5AFE_0002
SEED_MS = 0x5AFE_0003

UINT256_MAX = 2**256 - 1
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

VERSIONS = ["0.1.0", "1.0.0", "1.1.1", "1.2.0", "1.3.0", "1.4.1", "1.5.0"]
# L2 variants only exist from 1.3.0 on; they add events but hash identically.
L2_CAPABLE = {"1.3.0", "1.4.1", "1.5.0"}
CHAINS = [1, 10, 56, 100, 137, 324, 8453, 42161, 43114, 11155111, 31337,
          2**32 + 1, 2**53 - 1, 2**64 - 1]

N_TX = 300
N_MSG = 60
N_MS = 100

# safe-eth-py wants an EthereumClient for the Safe class. Creating one does not connect; the URL
# (discard port on localhost) is never contacted because every on-chain value is supplied.
OFFLINE_CLIENT = EthereumClient("http://127.0.0.1:9")
# Any checksummed address works as the MultiSend target: only its calldata is used.
MULTISEND_ADDRESS = "0x40A2aCCbd92BCA938b02010E17A5b8929b49130D"


def hx(b: bytes) -> str:
    return "0x" + bytes(b).hex()


def base_version(version: str) -> str:
    return version.split("+", 1)[0]


# ---------------------------------------------------------------------------------------------
# Hashing with safe-eth-py
# ---------------------------------------------------------------------------------------------

def make_safe_tx(case: dict, version: str) -> SafeTx:
    return SafeTx(
        None,  # ethereum_client: unused, nonce / version / chain id are given below
        case["safe"],
        case["to"],
        int(case["value"]),
        bytes.fromhex(case["data"][2:]),
        int(case["operation"]),
        int(case["safeTxGas"]),
        int(case["baseGas"]),
        int(case["gasPrice"]),
        case["gasToken"],
        case["refundReceiver"],
        safe_nonce=int(case["nonce"]),
        safe_version=version,
        chain_id=int(case["chainId"]),
    )


def tx_hashes(case: dict, version: str) -> tuple[bytes, bytes, bytes]:
    """(domainHash, messageHash, safeTxHash) as safe-eth-py computes them for `version`."""
    stx = make_safe_tx(case, version)
    typed = stx.eip712_structured_data
    # eip712_encode returns (b"\x19\x01", domain separator, SafeTx struct hash); safe_tx_hash is
    # keccak over their concatenation, so all three values come from the library.
    _prefix, domain_hash, struct_hash = eip712_encode(typed)
    safe_tx_hash = bytes(stx.safe_tx_hash)
    assert keccak(b"\x19\x01" + domain_hash + struct_hash) == safe_tx_hash

    # Cross-check with eth-account's EIP-712 implementation on the same typed data.
    # (safe-eth-py puts an unused "dataGas" key in the message as well; drop keys not in the type.)
    fields = {f["name"] for f in typed["types"]["SafeTx"]}
    ea = encode_typed_data(full_message={**typed, "message": {k: v for k, v in typed["message"].items() if k in fields}})
    assert ea.header == domain_hash and ea.body == struct_hash, case["id"]
    return domain_hash, struct_hash, safe_tx_hash


def domain_for(safe: str, version: str, chain_id: int) -> tuple[dict, list]:
    """The Safe's EIP-712 domain and its type, taken from safe-eth-py's SafeTx for this version,
    so the version rule (chainId from 1.3.0) is the library's, not ours."""
    stx = SafeTx(None, safe, ZERO_ADDRESS, 0, b"", 0, 0, 0, 0, None, None,
                 safe_nonce=0, safe_version=version, chain_id=chain_id)
    typed = stx.eip712_structured_data
    return typed["domain"], typed["types"]["EIP712Domain"]


def message_hashes(case: dict, version: str) -> dict:
    """SafeMessage hashes for a message line, via Safe.get_message_hash / get_message_preimage."""
    domain, domain_type = domain_for(case["safe"], version, int(case["chainId"]))
    domain_hash = hash_struct("EIP712Domain", domain, {"EIP712Domain": domain_type})

    out = {}
    if "messageText" in case:
        # Safe{Wallet} convention: a text message is signed as its EIP-191 personal-sign hash,
        # i.e. the SafeMessage's `bytes message` is that 32-byte hash (eth-account computes it).
        message = bytes(defunct_hash_message(text=case["messageText"]))
        out["messageHashedEip191"] = hx(message)
    else:
        message = bytes.fromhex(case["messageBytes"][2:])

    # The Safe class (version given, so no VERSION() call) would fetch domainSeparator() from the
    # chain; pre-fill its cached_property with the separator computed above instead.
    safe = Safe(case["safe"], OFFLINE_CLIENT, version=version)
    safe.__dict__["domain_separator"] = domain_hash
    preimage = safe.get_message_preimage(message)
    # preimage = 0x19 ‖ 0x01 ‖ domainSeparator ‖ SafeMessage struct hash (library's encode_packed)
    assert preimage[:2] == b"\x19\x01" and preimage[2:34] == domain_hash and len(preimage) == 66
    struct_hash = bytes(preimage[34:66])
    safe_message_hash = bytes(safe.get_message_hash(message))

    # Cross-check with eth-account's EIP-712 encoder on the SafeMessage typed data.
    ea = encode_typed_data(full_message={
        "types": {"EIP712Domain": domain_type, "SafeMessage": [{"name": "message", "type": "bytes"}]},
        "primaryType": "SafeMessage",
        "domain": domain,
        "message": {"message": message},
    })
    assert _hash_eip191_message(ea) == safe_message_hash, case["id"]

    out["domainHash"] = hx(domain_hash)
    out["messageHash"] = hx(struct_hash)
    out["safeMessageHash"] = hx(safe_message_hash)
    return out


def hash_case(case: dict) -> dict:
    """Case (inputs) -> output line with hashes, in the documented key order."""
    version = case["version"]
    if case["kind"] == "tx":
        d, m, h = tx_hashes(case, base_version(version))
        if version != base_version(version):
            # "+L2" must hash like its base version; packaging.Version parses the suffix as a
            # local version, so safe-eth-py can take the raw string too - check they agree.
            assert tx_hashes(case, version) == (d, m, h), case["id"]
        out = {k: case[k] for k in ("id", "kind", "chainId", "safe", "version", "to", "value", "data",
                                    "operation", "safeTxGas", "baseGas", "gasPrice", "gasToken",
                                    "refundReceiver", "nonce")}
        out.update(domainHash=hx(d), messageHash=hx(m), safeTxHash=hx(h))
    else:
        hashes = message_hashes(case, base_version(version))
        if version != base_version(version):
            assert message_hashes(case, version) == hashes, case["id"]
        out = {k: case[k] for k in ("id", "kind", "chainId", "safe", "version")}
        if "messageText" in case:
            out["messageText"] = case["messageText"]
        else:
            out["messageBytes"] = case["messageBytes"]
        out.update(hashes)
    if "reason" in case:
        out["reason"] = case["reason"]
    return out


# ---------------------------------------------------------------------------------------------
# Deterministic inputs
# ---------------------------------------------------------------------------------------------

def rand_address(rng: random.Random) -> str:
    return to_checksum_address(rng.randbytes(20))


def rand_uint(rng: random.Random) -> int:
    """A uint256 from the interesting classes: zero, small, gas-sized, wei-sized, huge, max."""
    kind = rng.randrange(6)
    if kind == 0:
        return 0
    if kind == 1:
        return rng.randrange(1, 256)
    if kind == 2:
        return rng.randrange(21_000, 30_000_000)
    if kind == 3:
        return rng.randrange(1, 10**24)
    if kind == 4:
        return rng.getrandbits(256)
    return UINT256_MAX


def rand_data(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return b""
    if kind == 1:
        return rng.randbytes(rng.randrange(1, 64))  # short, mostly not word-aligned
    if kind == 2:
        return rng.randbytes(4 + 32 * rng.randrange(0, 6))  # selector + ABI words
    if kind == 3:
        return rng.randbytes(rng.randrange(64, 600))
    return rng.randbytes(rng.randrange(1000, 5000))  # a few KB


def rand_nonce(rng: random.Random) -> int:
    kind = rng.randrange(5)
    if kind == 0:
        return 0
    if kind in (1, 2):
        return rng.randrange(1, 1000)
    if kind == 3:
        return rng.getrandbits(rng.choice([32, 64, 128, 256]))
    return UINT256_MAX


def pick_version(rng: random.Random, i: int) -> str:
    v = VERSIONS[i % len(VERSIONS)]  # round-robin so every version gets the same share
    if v in L2_CAPABLE and rng.random() < 0.2:
        v += "+L2"
    return v


def chain_tag(chain_id: int) -> str:
    return f"c{chain_id}"


def gen_tx_cases() -> list[dict]:
    rng = random.Random(SEED_TX)
    cases = []
    for i in range(N_TX):
        version = pick_version(rng, i)
        # Cycle chains independently of versions (7 and 14 are not coprime, so shift every round).
        chain = CHAINS[(i + i // len(CHAINS)) % len(CHAINS)]
        rare = lambda p: rng.random() < p  # noqa: E731
        cases.append({
            "id": f"sep-tx-{version}-{chain_tag(chain)}-{i:04d}",
            "kind": "tx",
            "chainId": chain,
            "safe": rand_address(rng),
            "version": version,
            "to": ZERO_ADDRESS if rare(0.03) else rand_address(rng),
            "value": str(rand_uint(rng)),
            "data": hx(rand_data(rng)),
            "operation": rng.randrange(2),
            "safeTxGas": str(rand_uint(rng)),
            "baseGas": str(rand_uint(rng)),
            "gasPrice": str(rand_uint(rng)),
            "gasToken": rand_address(rng) if rare(0.3) else ZERO_ADDRESS,
            "refundReceiver": rand_address(rng) if rare(0.3) else ZERO_ADDRESS,
            "nonce": str(rand_nonce(rng)),
        })
    return cases


# Characters for random text: ASCII, Latin-1 accents, CJK, 4-byte emoji, tab and LF.
# No CR: bundlec reads CRLF as LF, so CR-containing text would not be a fair byte-exact vector.
TEXT_ALPHABET = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?-_'\"{}[]()/\\")
                 + ["é", "ü", "ß", "ñ", "中", "文", "€", "😀", "🚀", "\t", "\n", " "])


def rand_text(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        n = rng.randrange(0, 10)
    elif kind == 1:
        n = rng.randrange(10, 100)
    elif kind == 2:
        n = rng.randrange(100, 400)
    else:
        n = rng.randrange(1000, 1500)
    return "".join(rng.choice(TEXT_ALPHABET) for _ in range(n))


def gen_msg_cases() -> list[dict]:
    rng = random.Random(SEED_MSG)
    cases = []
    for i in range(N_MSG):
        version = pick_version(rng, i)
        chain = rng.choice(CHAINS)
        case = {
            "id": f"sep-msg-{version}-{chain_tag(chain)}-{i:04d}",
            "kind": "message",
            "chainId": chain,
            "safe": rand_address(rng),
            "version": version,
        }
        if i % 2 == 0:
            case["messageText"] = rand_text(rng)
        else:
            # Raw bytes: mostly 32-byte hashes (the usual EIP-712 case), sometimes other lengths.
            n = 32 if rng.random() < 0.5 else rng.randrange(0, 300)
            case["messageBytes"] = hx(rng.randbytes(n))
        cases.append(case)
    return cases


def gen_multisend_batches() -> list[tuple[str, list[dict]]]:
    rng = random.Random(SEED_MS)
    batches = []
    for i in range(N_MS):
        # Pin both ends of the 1..40 range, random in between.
        n = 1 if i == 0 else 40 if i == 1 else rng.randrange(1, 41)
        txs = []
        for _ in range(n):
            kind = rng.randrange(5)
            if kind == 0:
                data = b""
            elif kind == 1:
                data = rng.randbytes(rng.randrange(1, 32))
            elif kind == 2:
                data = rng.randbytes(32 * rng.randrange(1, 4))
            elif kind == 3:
                data = rng.randbytes(4 + 32 * rng.randrange(0, 4))
            else:
                data = rng.randbytes(rng.randrange(33, 700))
            value = rng.choice([0, 0, rng.randrange(1, 10**20), rng.getrandbits(256), UINT256_MAX])
            txs.append({
                "operation": rng.randrange(2),
                "to": rand_address(rng),
                "value": str(value),
                "data": hx(data),
            })
        batches.append((f"ms-{i:04d}", txs))
    return batches


# ---------------------------------------------------------------------------------------------
# MultiSend calldata, two routes
# ---------------------------------------------------------------------------------------------

def multisend_safe_eth_py(txs: list[dict]) -> tuple[int, bytes]:
    ms_txs = [MultiSendTx(MultiSendOperation(t["operation"]), t["to"], int(t["value"]),
                          bytes.fromhex(t["data"][2:])) for t in txs]
    packed = b"".join(bytes(t.encoded_data) for t in ms_txs)
    # MultiSend.build_tx_data would let web3 ask a node for the chain id; giving build_tx the
    # chainId (plus safe-eth-py's empty gas params) keeps it offline. Only "data" is used.
    ms = MultiSend(address=MULTISEND_ADDRESS)
    tx = ms.build_tx(ms_txs, tx_params={**get_empty_tx_params(), "chainId": 1})
    data = tx["data"]
    calldata = bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data)
    return len(packed), calldata


MULTISEND_SELECTOR = function_signature_to_4byte_selector("multiSend(bytes)")


def multisend_eth_abi(txs: list[dict]) -> tuple[int, bytes]:
    packed = b"".join(
        encode_packed(["uint8", "address", "uint256", "uint256", "bytes"],
                      [t["operation"], t["to"], int(t["value"]), len(bytes.fromhex(t["data"][2:])),
                       bytes.fromhex(t["data"][2:])])
        for t in txs)
    return len(packed), MULTISEND_SELECTOR + abi_encode(["bytes"], [packed])


# ---------------------------------------------------------------------------------------------

def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows):4d} lines to {path.relative_to(ROOT.parent)}")


def read_own_cases() -> list[dict]:
    if not OWN_CASES.exists():
        return []
    with open(OWN_CASES, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main() -> None:
    versions = {"python": platform.python_version()}
    for pkg in ("safe-eth-py", "eth-abi", "eth-account", "eth-utils", "eth-hash", "hexbytes", "web3"):
        versions[pkg] = importlib.metadata.version(pkg)
    print("running with", json.dumps(versions))
    OUT_VERSIONS.write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")

    rows = [hash_case(c) for c in gen_tx_cases() + gen_msg_cases() + read_own_cases()]
    assert len({r["id"] for r in rows}) == len(rows), "duplicate ids"
    write_jsonl(OUT_HASHES, rows)

    rows = []
    for bid, txs in gen_multisend_batches():
        n1, cd1 = multisend_safe_eth_py(txs)
        n2, cd2 = multisend_eth_abi(txs)
        assert (n1, cd1) == (n2, cd2), f"{bid}: safe-eth-py and eth-abi disagree"
        assert cd1[:4] == bytes.fromhex("8d80ff0a")
        rows.append({"id": bid, "transactions": txs, "packedLength": n1, "calldata": hx(cd1)})
    write_jsonl(OUT_MS_SAFE, rows)


if __name__ == "__main__":
    sys.exit(main())
