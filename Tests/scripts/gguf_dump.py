#!/usr/bin/env python3
"""Dumps a GGUF file as JSON using the PyPI `gguf` package (the independent reader our tests compare with).

Usage: gguf_dump.py FILE [--summary]
With --summary, arrays longer than 64 elements are given as {"count", "crc32"}: the CRC-32 of the
elements' little-endian bytes, or for strings of each string's UTF-8 bytes followed by a NUL.
Output: {"metadata": [{"key", "type", "sub_types", "value"}], "tensors": [{"name", "dims", "type",
         "offset", "n_bytes", "sha256", "crc32"}]}; dims in file order (dims[0] contiguous), offset absolute.
"""
import hashlib
import zlib
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.constants import GGUFValueType


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float):
        return v
    return v


def main():
    r = GGUFReader(sys.argv[1])
    summary = "--summary" in sys.argv[2:]
    meta = []
    for name, f in r.fields.items():
        if name.startswith("GGUF."):
            continue
        value = plain(f.contents())
        if summary and f.types[0] == GGUFValueType.ARRAY and len(f.data) > 64 and len(f.types) == 2:
            if f.types[1] == GGUFValueType.STRING:
                raw = b"".join(bytes(f.parts[i]) + b"\0" for i in f.data)
            else:
                raw = b"".join(bytes(f.parts[i]) for i in f.data)
            value = {"count": len(f.data), "crc32": zlib.crc32(raw)}
        meta.append({
            "key": name,
            "type": int(f.types[0]),
            "sub_types": [int(t) for t in f.types[1:]],
            "value": value,
        })
    tensors = []
    for t in r.tensors:
        raw = bytes(r.data[t.data_offset:t.data_offset + t.n_bytes])
        tensors.append({
            "name": t.name,
            "dims": [int(d) for d in t.shape],
            "type": int(t.tensor_type),
            "offset": int(t.data_offset),
            "n_bytes": int(t.n_bytes),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "crc32": zlib.crc32(raw),
        })
    json.dump({"metadata": meta, "tensors": tensors}, sys.stdout)


if __name__ == "__main__":
    main()
