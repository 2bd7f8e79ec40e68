#!/usr/bin/env python3
"""Prints a GGUF file's tokenizer metadata and size as JSON (independent truth for DoctorTests), using PyPI gguf."""
import json, os, sys
from gguf import GGUFReader

r = GGUFReader(sys.argv[1])
def s(key):
    f = r.fields.get(key)
    return None if f is None else bytes(f.parts[f.data[0]]).decode("utf-8")
print(json.dumps({"tokenizer_model": s("tokenizer.ggml.model"), "pre": s("tokenizer.ggml.pre"),
                  "architecture": s("general.architecture"), "size": os.path.getsize(sys.argv[1])}))
