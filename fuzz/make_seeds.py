#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the repository's
fixtures and bundles, the vendored reference files and the conformance
vectors.

Run from anywhere: python3 fuzz/make_seeds.py [--minimise]. It empties and
rewrites fuzz/corpus/; the input formats are described in fuzz/harness.rs and
fuzz/README.md. Needs only the Python standard library (keccak is not in it,
so selectors are written out below).

--minimise then drops every seed that adds no coverage to the others, with
libFuzzer's -merge=1 (the same as `cargo fuzz cmin`, but keeping the seeds'
names). It needs the fuzz binaries: run `RUSTC_BOOTSTRAP=1 cargo fuzz build
--sanitizer none` in fuzz/ first.
"""

import glob
import hashlib
import subprocess
import tempfile
import json
import os
import re
import shutil
import sys

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
CORPUS = os.path.join(FUZZ, "corpus")

# Must match harness::CALL_TARGETS (index = bits 4..6 of the control byte).
CALL_TARGETS = {
    "0x5555555555555555555555555555555555555555": 1,
    "0x9641d764fc13c8b624c04430c7356c1c7c8102e2": 2,
    "0x38869bf66a61cf6bdb996a6ae40d5853fd43b526": 3,
    "0x5afe000000000000000000000000000000000001": 4,
    "0x7777777777777777777777777777777777777777": 5,
    "0x5afe000000000000000000000000000000000002": 6,
}
DELEGATECALL = 0x80
# harness::WRAPPERS, 1-based as in the control byte's low nibble.
WRAPPER_SELECTORS = {
    "8d80ff0a": 1,  # multiSend(bytes)
    "a64cfe10": 2,  # executeGovernanceCall(address,bytes)
    "6a761202": 6,  # execTransaction(...)
    "468721a7": 9,  # execTransactionFromModule(address,uint256,bytes,uint8)
    "4545350a": 10,  # configureBatch((address,bytes,bytes32,bytes32,bytes,bytes)[])
}
EXEC_TRANSACTION = bytes.fromhex("6a761202")
SCHEDULE_BATCH = bytes.fromhex("8f2a0bb0")
MULTI_SEND = bytes.fromhex("8d80ff0a")

# harness::PARAMS, by index.
PARAM_INDEX = {
    "address": 0,
    "bool": 1,
    "uint8": 2,
    "int256": 3,
    "bytes32": 4,
    "bytes": 5,
    "string": 6,
    "uint256[]": 7,
    "address[2]": 8,
    "string[]": 9,
    "tuple": 10,
    "tuple[]": 11,
}
# Types the vectors use that are not in PARAMS: read as the nearest one.
NEAREST = {
    "uint256": 2,
    "uint64": 2,
    "address[]": 8,
    "uint8[]": 7,
}


def hexbytes(text):
    text = text[2:] if text.startswith("0x") else text
    return bytes.fromhex(text)


def word(n):
    return n.to_bytes(32, "big")


def address_word(addr):
    return b"\0" * 12 + hexbytes(addr)


def encode_bytes_tail(data):
    padded = data + b"\0" * (-len(data) % 32)
    return word(len(data)) + padded


def abi_encode(parts):
    """parts: list of ("static", 32 bytes) or ("dynamic", tail bytes)."""
    head_len = 32 * len(parts)
    head, tail = b"", b""
    for kind, value in parts:
        if kind == "static":
            head += value
        else:
            head += word(head_len + len(tail))
            tail += value
    return head + tail


def exec_transaction(to, value, data, operation):
    return EXEC_TRANSACTION + abi_encode(
        [
            ("static", address_word(to)),
            ("static", word(value)),
            ("dynamic", encode_bytes_tail(data)),
            ("static", word(operation)),
            ("static", word(0)),
            ("static", word(0)),
            ("static", word(0)),
            ("static", word(0)),
            ("static", word(0)),
            ("dynamic", encode_bytes_tail(b"\x01" * 65)),
        ]
    )


EXEC_FROM_MODULE = bytes.fromhex("468721a7")
CONFIGURE = bytes.fromhex("1ffdfef3")
CONFIGURE_BATCH = bytes.fromhex("4545350a")
FORWARD_ESCALATION = bytes.fromhex("1cfaf441")
RESOLVE_WITH_SIGNATURES = bytes.fromhex("e2b7d5fa")
APPROVE = bytes.fromhex("095ea7b3")
PAUSE_ALL = bytes.fromhex("595c6a67")
CHANGE_THRESHOLD = bytes.fromhex("694e80c3")
MULTISEND_CALL_ONLY_1_5_0 = "0xa83c336b20401af773b6219ba5027174338d1836"
ZERO_ADDRESS = "0x" + "00" * 20


def exec_from_module(to, value, data, operation):
    return EXEC_FROM_MODULE + abi_encode(
        [
            ("static", address_word(to)),
            ("static", word(value)),
            ("dynamic", encode_bytes_tail(data)),
            ("static", word(operation)),
        ]
    )


def dynamic_array(encodings):
    """An array of dynamic elements: length, offsets, then the elements."""
    offsets, at = b"", 32 * len(encodings)
    for e in encodings:
        offsets += word(at)
        at += len(e)
    return word(len(encodings)) + offsets + b"".join(encodings)


def configuration(target, call_data):
    """The fields of OwnerConfigurator's ConfigurationCall, as abi_encode parts."""
    return [
        ("static", address_word(target)),
        ("dynamic", encode_bytes_tail(call_data)),
        ("static", b"\x11" * 32),
        ("static", b"\x22" * 32),
        ("dynamic", encode_bytes_tail(PAUSE_ALL)),
        ("dynamic", encode_bytes_tail(b"")),
    ]


def configure(target, call_data):
    return CONFIGURE + abi_encode(configuration(target, call_data))


def configure_batch(calls):
    tuples = [abi_encode(configuration(t, d)) for t, d in calls]
    return CONFIGURE_BATCH + abi_encode([("dynamic", dynamic_array(tuples))])


def schedule_batch(targets, values, payloads):
    addresses = word(len(targets)) + b"".join(address_word(t) for t in targets)
    amounts = word(len(values)) + b"".join(word(v) for v in values)
    tails = [encode_bytes_tail(p) for p in payloads]
    offsets, at = b"", 32 * len(tails)
    for t in tails:
        offsets += word(at)
        at += len(t)
    blobs = word(len(payloads)) + offsets + b"".join(tails)
    return SCHEDULE_BATCH + abi_encode(
        [
            ("dynamic", addresses),
            ("dynamic", amounts),
            ("dynamic", blobs),
            ("static", word(0)),
            ("static", b"\x5a" * 32),
            ("static", word(3600)),
        ]
    )


def multi_send(records):
    packed = b""
    for op, to, value, data in records:
        packed += bytes([op]) + hexbytes(to) + word(value) + word(len(data)) + data
    return MULTI_SEND + word(32) + encode_bytes_tail(packed)


class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(CORPUS, target)
        os.makedirs(self.dir, exist_ok=True)
        self.seen = set()

    def add(self, name, data):
        if isinstance(data, str):
            data = data.encode()
        if data in self.seen:
            return
        self.seen.add(data)
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def rel(path):
    """A file name for a seed taken from `path`: its path in the repository,
    with `-` for `/`."""
    path = os.path.abspath(path)
    return os.path.relpath(path, ROOT).replace(os.sep, "-")


def inline_deployment(intent_text, deployment_text):
    """The intent with `[deployment] file = ...` replaced by the file's keys."""
    keys, sections, current = [], {}, None
    for line in deployment_text.splitlines():
        header = re.match(r"^\[(\w+)\]\s*$", line)
        if header:
            current = header.group(1)
            sections[current] = []
        elif current is None:
            keys.append(line)
        else:
            sections[current].append(line)
    inlined = "[deployment]\n" + "\n".join(keys).strip() + "\n"
    for name, lines in sections.items():
        inlined += f"\n[deployment.{name}]\n" + "\n".join(lines).strip() + "\n"
    pattern = re.compile(r'^\[deployment\]\s*\nfile\s*=\s*"[^"]*"\s*\n', re.M)
    if not pattern.search(intent_text):
        return None
    return pattern.sub(lambda _: inlined + "\n", intent_text, count=1)


def deep_batch(name, inputs, values):
    """A batch of one call whose contractMethod nests its types (no checksum:
    verify refuses the batch before the checksum would matter)."""
    tx = {
        "to": "0x7777777777777777777777777777777777777777",
        "value": "0",
        "data": None,
        "contractMethod": {"inputs": inputs, "name": "f", "payable": False},
        "contractInputsValues": values,
    }
    meta = {"name": name, "createdFromSafeAddress": "0x5afe000000000000000000000000000000000001"}
    return json.dumps({"version": "1.0", "chainId": "1", "createdAt": 0, "meta": meta, "transactions": [tx]})


def deep_seeds():
    """Types and values nested past the type nesting limit (32 levels), as
    (batch_verify seeds, contract_inputs seeds)."""
    deep_type = "uint8" + "[]" * 5000
    tuple_param = {"name": "leaf", "type": "uint8"}
    for _ in range(40):
        tuple_param = {"name": "t", "type": "tuple", "components": [tuple_param]}
    batches = [
        ("deep-type-uint8-5000-dims.json",
         deep_batch("deep type", [{"name": "a", "type": deep_type}], {"a": "[" * 5000 + "]" * 5000})),
        ("deep-tuple-40-levels.json",
         deep_batch("deep tuple", [tuple_param], {"t": "[" * 40 + '"1"' + "]" * 40})),
        ("deep-value-uint8-list.json",
         deep_batch("deep value", [{"name": "a", "type": "uint8[]"}], {"a": "[" * 5000 + "1" + "]" * 5000})),
    ]
    inputs = [
        ("hand-deep-uint256-list", bytes([PARAM_INDEX["uint256[]"]]) + ("[" * 5000 + "1" + "]" * 5000).encode()),
        ("hand-deep-string-json", bytes([PARAM_INDEX["string[]"]]) + ("[" * 100 + "]" * 100).encode()),
    ]
    return batches, inputs


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    batches = Corpus("batch_verify")
    multisend = Corpus("multisend_decode")
    calldata = Corpus("calldata_decode")
    runbooks = Corpus("runbook_compile")
    inputs = Corpus("contract_inputs")

    # ---- batches: fixtures, bundles, Transaction Builder exports ----------
    batch_files = sorted(
        glob.glob(os.path.join(ROOT, "fixtures", "verify", "*.json"))
        + glob.glob(os.path.join(ROOT, "fixtures", "batches", "*.json"))
        + [
            p
            for p in glob.glob(os.path.join(ROOT, "bundles", "*.json"))
            if not p.endswith(".safe.json") and not re.search(r"\.[2-9]\.json$", p)
        ]
        + glob.glob(os.path.join(ROOT, "conformance", "txbuilder-exports", "*.json"))
    )
    for path in batch_files:
        batches.add(rel(path), read(path))
    # One manifest, which verify must refuse cleanly.
    batches.add("bundles-pause.safe.json", read(os.path.join(ROOT, "bundles", "pause.safe.json")))
    deep_batches, deep_inputs = deep_seeds()
    for name, text in deep_batches:
        batches.add(name, text)

    # ---- contractInputsValues from every batch with contractMethod --------
    for path in batch_files:
        try:
            doc = json.loads(read(path))
        except ValueError:
            continue
        txs = doc.get("transactions", []) if isinstance(doc, dict) else []
        for n, tx in enumerate(txs):
            method = tx.get("contractMethod") or {}
            values = tx.get("contractInputsValues") or {}
            for i, param in enumerate(method.get("inputs", [])):
                key = param.get("name") or str(i)
                text = values.get(key)
                ty = param.get("type", "")
                index = PARAM_INDEX.get(ty, NEAREST.get(ty))
                if not isinstance(text, str) or index is None:
                    continue
                inputs.add(f"{ty}-{rel(path)}-{n}-{key}", bytes([index]) + text.encode())
            if isinstance(tx.get("data"), str) and len(tx["data"]) > 2:
                to = (tx.get("to") or "").lower()
                control = CALL_TARGETS.get(to, 0) << 4
                calldata.add(f"tx-{rel(path)}-{n}", bytes([control]) + hexbytes(tx["data"]))

    hand_written = [
        ("address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
        ("address", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
        ("bool", " TRUE "),
        ("bool", "0"),
        ("uint8", "'255'"),
        ("uint8", "0x1f"),
        ("int256", "-57896044618658097711785492504343953926634992332820282019728792003956564819968"),
        ("int256", "-0x10"),
        ("bytes32", "0x" + "ab" * 32),
        ("bytes", "0x"),
        ("bytes", "0xdeadbeef"),
        ("string", "h\u00e9llo, \"world\" [1,2]"),
        ("uint256[]", "[1, '2', \"3\"]"),
        ("uint256[]", "[]"),
        ("address[2]", "[0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed]"),
        ("string[]", "[\"a\",\"\",\"\\u00e9\"]"),
        ("tuple", "[\"1000000000000000000000\",\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"]"),
        ("tuple", "[7,\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"]"),
        ("tuple[]", "[[\"1\",true,\"note\"],[2,false,\"\"]]"),
    ]
    for i, (ty, text) in enumerate(hand_written):
        inputs.add(f"hand-{i:02}-{ty}", bytes([PARAM_INDEX[ty]]) + text.encode())
    everything = {
        "addr": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "flag": "true",
        "small": "7",
        "signed": "-1",
        "hash": "0x" + "11" * 32,
        "blob": "0x00ff",
        "text": "",
        "amounts": "[1,2,3]",
        "pair": "[0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,0x0000000000000000000000000000000000000000]",
        "names": "[\"x\",\"y\"]",
        "grant": "[\"5\",\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"]",
        "records": "[[\"1\",true,\"a\"]]",
    }
    for name, data in deep_inputs:
        inputs.add(name, data)
    inputs.add("map-everything", bytes([12]) + json.dumps(everything).encode())
    inputs.add("map-unnamed", bytes([13]) + json.dumps({"0": "42", "1": "[\"a\",\"b\"]"}).encode())

    # ---- calldata: the AGI Jobs vectors, MultiSend, hand-made wrappers ----
    vectors = json.loads(read(os.path.join(ROOT, "fixtures", "reference", "agijobs", "calldata-vectors.json")))
    for v in vectors["vectors"]:
        data = hexbytes(v["data"])
        calldata.add(f"agijobs-{v['name']}", bytes([0]) + data)
        to = v["to"].lower()
        if to in CALL_TARGETS:
            calldata.add(f"agijobs-to-{v['name']}", bytes([CALL_TARGETS[to] << 4]) + data)
        wrapper = WRAPPER_SELECTORS.get(data[:4].hex())
        if wrapper:
            calldata.add(f"agijobs-wrapped-{v['name']}", bytes([wrapper]) + data[4:])

    multisend_calls = []
    with open(os.path.join(ROOT, "conformance", "published", "multisend.jsonl")) as f:
        for line in f:
            v = json.loads(line)
            multisend_calls.append((f"vector-{v['id']}", hexbytes(v["calldata"])))
    for path in sorted(glob.glob(os.path.join(ROOT, "bundles", "*.safe.json"))) + sorted(
        glob.glob(os.path.join(ROOT, "fixtures", "verify", "*.safe-tx.json"))
    ):
        doc = json.loads(read(path))
        txs = [b.get("safe_tx", {}) for b in doc.get("batches", [])] or [doc]
        for i, tx in enumerate(txs):
            data = hexbytes(tx.get("data") or "0x")
            if data[:4] == MULTI_SEND:
                multisend_calls.append((f"{rel(path)}-{i}", data))
    pause = bytes.fromhex("8456cb59")
    multisend_calls += [
        ("empty", multi_send([])),
        ("one-call-no-data", multi_send([(0, "0x7777777777777777777777777777777777777777", 0, b"")])),
        (
            "delegatecall-and-value",
            multi_send(
                [
                    (1, "0x5555555555555555555555555555555555555555", 0, pause),
                    (0, "0x5afe000000000000000000000000000000000002", 10**18, b""),
                ]
            ),
        ),
    ]
    for name, data in multisend_calls:
        multisend.add(name, data)
        calldata.add(f"multisend-{name}", bytes([DELEGATECALL | 2 << 4]) + data)
    calldata.add("multisend-unwrapped", bytes([1]) + multisend_calls[0][1][4:])

    inner = multi_send(
        [
            (0, "0x5555555555555555555555555555555555555555", 0, bytes.fromhex("595c6a67")),
            (0, "0x7777777777777777777777777777777777777777", 0, pause),
        ]
    )
    exec_tx = exec_transaction("0x9641d764fc13c8B624c04430C7356C1C7C8102e2", 0, inner, 1)
    calldata.add("exec-transaction-multisend", bytes([4 << 4]) + exec_tx)
    calldata.add("exec-transaction-unwrapped", bytes([6]) + exec_tx[4:])
    calldata.add(
        "exec-transaction-nested",
        bytes([0])
        + exec_transaction(
            "0x5afe000000000000000000000000000000000001",
            0,
            exec_transaction("0x7777777777777777777777777777777777777777", 0, pause, 0),
            0,
        ),
    )
    batch = schedule_batch(
        ["0x5555555555555555555555555555555555555555", "0x7777777777777777777777777777777777777777"],
        [0, 1],
        [bytes.fromhex("595c6a67"), pause],
    )
    calldata.add("schedule-batch", bytes([0]) + batch)
    calldata.add("schedule-batch-unwrapped", bytes([5]) + batch[4:])
    calldata.add("short-selector", bytes([0, 0x8d, 0x80]))

    # Module execution with DELEGATECALL into MultiSendCallOnly 1.5.0, whose
    # record to address 0 runs on the Safe; the same batch run by another
    # Safe through execTransaction; OwnerConfigurator; bytes arguments the
    # generic rule decodes; and approve, which two ABIs read differently.
    change_threshold = CHANGE_THRESHOLD + word(1)
    batch_1_5 = multi_send(
        [
            (0, ZERO_ADDRESS, 0, change_threshold),
            (0, "0x7777777777777777777777777777777777777777", 0, pause),
        ]
    )
    from_module = exec_from_module(MULTISEND_CALL_ONLY_1_5_0, 0, batch_1_5, 1)
    calldata.add("exec-from-module-delegatecall", bytes([4 << 4]) + from_module)
    calldata.add("exec-from-module-unwrapped", bytes([9]) + from_module[4:])
    calldata.add(
        "exec-transaction-other-safe-multisend-1.5-address-0",
        bytes([0]) + exec_transaction(MULTISEND_CALL_ONLY_1_5_0, 0, batch_1_5, 1),
    )
    set_fee_pool = bytes.fromhex("19db2228") + address_word("0x9999999999999999999999999999999999999999")
    calldata.add(
        "configure", bytes([0]) + configure("0x7777777777777777777777777777777777777777", set_fee_pool)
    )
    owner_batch = configure_batch(
        [
            ("0x7777777777777777777777777777777777777777", set_fee_pool),
            ("0x5555555555555555555555555555555555555555", PAUSE_ALL),
            ("0x9999999999999999999999999999999999999999", b""),
        ]
    )
    calldata.add("configure-batch", bytes([0]) + owner_batch)
    calldata.add("configure-batch-unwrapped", bytes([10]) + owner_batch[4:])
    calldata.add(
        "generic-bytes-forward-escalation",
        bytes([0]) + FORWARD_ESCALATION + abi_encode([("dynamic", encode_bytes_tail(PAUSE_ALL))]),
    )
    calldata.add(
        "generic-bytes-array",
        bytes([0])
        + RESOLVE_WITH_SIGNATURES
        + abi_encode(
            [
                ("static", word(1)),
                ("static", word(1)),
                (
                    "dynamic",
                    dynamic_array(
                        [encode_bytes_tail(PAUSE_ALL), encode_bytes_tail(b"\x01" * 65)]
                    ),
                ),
            ]
        ),
    )
    approve = APPROVE + address_word("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") + word(1000)
    calldata.add("ambiguous-approve", bytes([0]) + approve)
    calldata.add("ambiguous-approve-unknown-to", bytes([7 << 4]) + approve)

    # ---- runbooks: fixtures (broken ones too), bundles, inlined bundles ----
    deployment_text = read(os.path.join(ROOT, "bundles", "deployments", "example.toml")).decode()
    for path in sorted(
        glob.glob(os.path.join(ROOT, "fixtures", "runbooks", "*.toml"))
        + glob.glob(os.path.join(ROOT, "fixtures", "runbooks", "deployments", "*.toml"))
        + glob.glob(os.path.join(ROOT, "fixtures", "verify", "*.toml"))
        + glob.glob(os.path.join(ROOT, "bundles", "*.toml"))
        + glob.glob(os.path.join(ROOT, "bundles", "deployments", "*.toml"))
    ):
        runbooks.add(rel(path), read(path))
    for path in sorted(glob.glob(os.path.join(ROOT, "bundles", "*.toml"))):
        inlined = inline_deployment(read(path).decode(), deployment_text)
        if inlined is None:
            sys.exit(f"{path}: no [deployment] file = ... to inline")
        runbooks.add("inline-" + rel(path), inlined)

    if "--minimise" in sys.argv[1:]:
        for target in sorted(os.listdir(CORPUS)):
            minimise(target)

    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        size = sum(os.path.getsize(os.path.join(CORPUS, target, f)) for f in files)
        print(f"{target}: {len(files)} files, {size} bytes")


def minimise(target):
    """Keeps only the seeds of `target` that libFuzzer's merge keeps."""
    binary = os.path.join(FUZZ, "target", "x86_64-unknown-linux-gnu", "release", target)
    if not os.path.exists(binary):
        sys.exit(f"{binary} is missing: run `RUSTC_BOOTSTRAP=1 cargo fuzz build --sanitizer none` in fuzz/")
    folder = os.path.join(CORPUS, target)
    with tempfile.TemporaryDirectory() as kept:
        subprocess.run(
            [binary, "-merge=1", kept, folder],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The merge names what it keeps by the SHA-1 of the contents.
        keep = set(os.listdir(kept))
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if hashlib.sha1(read(path)).hexdigest() not in keep:
            os.remove(path)


if __name__ == "__main__":
    main()
