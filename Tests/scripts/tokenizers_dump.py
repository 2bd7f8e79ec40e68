#!/usr/bin/env python3
"""Dump the tokenizer.* metadata of a GGUF file to JSON (stdout), read with the PyPI `gguf` package.

Used by the Tokenizers tests as an independent reader of the vocabularies until the
project's own GGUF reader is merged. Usage: tokenizers_dump.py FILE.gguf
"""
import json
import sys

import gguf


def field_value(field):
    """Return the Python value of a GGUF reader field (scalar, string, or array)."""
    types = field.types
    if not types:
        return None
    if types[0] == gguf.GGUFValueType.ARRAY:
        sub = types[-1]
        if sub == gguf.GGUFValueType.STRING:
            return [bytes(field.parts[i]).decode("utf-8", errors="surrogateescape") for i in field.data]
        return [field.parts[i].tolist()[0] for i in field.data]
    if types[0] == gguf.GGUFValueType.STRING:
        return bytes(field.parts[field.data[0]]).decode("utf-8")
    return field.parts[field.data[0]].tolist()[0]


def main():
    reader = gguf.GGUFReader(sys.argv[1], "r")
    out = {}
    for name, field in reader.fields.items():
        if name.startswith("tokenizer.") and name != "tokenizer.chat_template":
            out[name] = field_value(field)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
