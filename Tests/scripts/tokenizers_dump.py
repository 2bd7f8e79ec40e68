#!/usr/bin/env python3
"""Dump the tokenizer.* metadata of a GGUF file to JSON (stdout), read with the PyPI `gguf` package.

Each key maps to {"type": T, "value": V} with T one of string, bool, int, float, strings, ints,
floats, so the Swift side needs no guessing. Used by the Tokenizers tests as an independent reader
of the vocabularies. Usage: tokenizers_dump.py FILE.gguf
"""
import json
import sys

import gguf


V = gguf.GGUFValueType
FLOATS = (V.FLOAT32, V.FLOAT64)
INTS = (V.UINT8, V.INT8, V.UINT16, V.INT16, V.UINT32, V.INT32, V.UINT64, V.INT64)


def scalar_kind(t):
    if t == V.STRING:
        return "string"
    if t == V.BOOL:
        return "bool"
    if t in FLOATS:
        return "float"
    if t in INTS:
        return "int"
    raise ValueError(f"unexpected GGUF type {t}")


def field_value(field):
    """Return (kind, value) of a GGUF reader field (scalar, string, or array)."""
    types = field.types
    if types[0] == V.ARRAY:
        kind = scalar_kind(types[-1]) + "s"
        if kind == "strings":
            return kind, [bytes(field.parts[i]).decode("utf-8") for i in field.data]
        if kind == "bools":
            kind = "ints"
        return kind, [field.parts[i].tolist()[0] for i in field.data]
    kind = scalar_kind(types[0])
    if kind == "string":
        return kind, bytes(field.parts[field.data[0]]).decode("utf-8")
    value = field.parts[field.data[0]].tolist()[0]
    return kind, bool(value) if kind == "bool" else value


def main():
    reader = gguf.GGUFReader(sys.argv[1], "r")
    out = {}
    for name, field in reader.fields.items():
        if name.startswith("tokenizer.") and name != "tokenizer.chat_template":
            kind, value = field_value(field)
            out[name] = {"type": kind, "value": value}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
