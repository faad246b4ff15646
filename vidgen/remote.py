"""Tasks for workers that do not share the driver's cache folder (a Dask cluster without
a shared `--cache`): they work in a cache of their own and send results back as bytes,
which the driver stores in its cache under the same content-addressed names. (The render
stage's own tasks of that kind are in vidgen.render.clips.)"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from vidgen.paths import write_atomic
from vidgen.speech.base import BeatSpeech, SpeechEngine, VoiceSettings
from vidgen.speech.utterance import Utterance


def worker_cache() -> Path:
    return Path(tempfile.gettempdir()) / "vidgen-worker-cache"


def speak_remote(engine: SpeechEngine, settings: VoiceSettings, utterance: Utterance) -> tuple[BeatSpeech, bytes, bytes]:
    from vidgen.speech.synthesize import speak_beat

    speech = speak_beat(utterance, engine, settings, worker_cache())
    return speech, speech.wav.read_bytes(), speech.wav.with_suffix(".json").read_bytes()


def store_speech(result: tuple[BeatSpeech, bytes, bytes], cache_dir: Path) -> BeatSpeech:
    speech, wav, meta = result
    local = cache_dir / "speech" / speech.wav.name
    write_atomic(local, wav)
    write_atomic(local.with_suffix(".json"), meta)  # the description last: no description, no entry
    return dataclasses.replace(speech, wav=local)
