#!/usr/bin/env python3
"""Copies a GGUF with token_embd.weight (the tied head) dequantized to F16, every other tensor and key as is, using
the PyPI gguf package (its reader, quant decoders and writer). Used by the `--head screened` tests to run a real
trained model's head through the screen: usage screened_f16_head.py SRC DST."""
import sys

import numpy as np
import gguf
from gguf.quants import dequantize

src, dst = sys.argv[1], sys.argv[2]
r = gguf.GGUFReader(src)
arch = r.fields["general.architecture"].contents()
w = gguf.GGUFWriter(dst, arch)
for name, f in r.fields.items():
    if name.startswith("GGUF.") or name == "general.architecture":
        continue
    vtype = f.types[0]
    sub = f.types[1] if vtype == gguf.GGUFValueType.ARRAY else None
    w.add_key_value(name, f.contents(), vtype, sub_type=sub)
for t in r.tensors:
    if t.name == "token_embd.weight":
        values = dequantize(t.data, t.tensor_type).astype(np.float16)
        w.add_tensor(t.name, values.reshape(list(reversed([int(d) for d in t.shape]))))
    else:
        w.add_tensor(t.name, t.data, raw_dtype=t.tensor_type)
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
