#!/usr/bin/env python3
"""Prints the PyPI gguf package's tensor type table as JSON: {"NAME": [id, block_size, type_size]}."""
import json
import sys

from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

json.dump({t.name: [int(t.value), *GGML_QUANT_SIZES[t]] for t in GGMLQuantizationType if t in GGML_QUANT_SIZES}, sys.stdout)
