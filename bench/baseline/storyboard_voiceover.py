"""The benchmark's baseline: a storyboard narrated the way a Manim user does it today, as
one manim-voiceover scene with a Piper speech service.

Same narration (each beat's words, marks removed), same pictures (vidgen's own Stage draws
the elements and its actions make the animations), same resolution and frame rate; the
timing is manim-voiceover's: each beat's actions share its spoken length, in proportion to
their natural lengths, then the storyboard's pause; a half-second fade closes a scene.
Render with:

    STORYBOARD=storyboards/autoencoder.yaml manim -qh bench/baseline/storyboard_voiceover.py StoryboardVoiceover

`BASELINE_ENCODER=vidgen` encodes with vidgen's encoder settings instead of Manim's
defaults; `BASELINE_ENCODER=lossless` makes the lossless reference of the same frames.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from manim import FadeOut, config
from manim_voiceover import VoiceoverScene

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from piper_service import PiperService  # noqa: E402

from vidgen.actions import ACTION_KINDS  # noqa: E402
from vidgen.render.encoder import ENCODER_OPTIONS  # noqa: E402
from vidgen.render.stage import Stage  # noqa: E402
from vidgen.storyboard.loader import load_storyboard  # noqa: E402
from vidgen.storyboard.narration import parse_narration  # noqa: E402
from vidgen.theme import THEMES  # noqa: E402

LOSSLESS = {"codec": "libx264rgb", "pixel_format": "rgb24", "options": {"crf": "0", "preset": "ultrafast"}}
ENCODER = os.environ.get("BASELINE_ENCODER", "manim")
if ENCODER == "vidgen":
    # vidgen's picture settings (preset, crf). Its one x264 thread is not taken: vidgen runs a
    # render per core, while this one Manim process is best served by x264's own threads.
    config.video_encoder_options = {key: value for key, value in ENCODER_OPTIONS.items() if key != "threads"}
elif ENCODER == "lossless":
    config.video_codec = LOSSLESS["codec"]
    config.pixel_format = LOSSLESS["pixel_format"]
    config.video_encoder_options = LOSSLESS["options"]
OUTRO = 0.5


class StoryboardVoiceover(VoiceoverScene):
    def construct(self) -> None:
        storyboard = load_storyboard(Path(os.environ.get("STORYBOARD", "storyboards/autoencoder.yaml"))).storyboard
        theme = THEMES[storyboard.theme]
        self.camera.background_color = theme.background
        self.set_speech_service(PiperService(cache_dir=os.environ.get("VOICEOVER_CACHE", "media/voiceovers")))
        for scene in storyboard.scenes:
            stage = Stage(scene, theme)
            self.add(*stage.on_screen().values())
            for beat in scene.beats:
                pause = storyboard.pause if beat.pause is None else beat.pause
                with self.voiceover(text=parse_narration(beat.say).text) as tracker:
                    self.play_beat(stage, beat.do, tracker.duration, scene.elements)
                self.wait(pause)
            if scene.outro == "fade" and stage.on_screen():
                self.play(FadeOut(*stage.on_screen().values()), run_time=OUTRO)
            self.clear()

    def play_beat(self, stage: Stage, actions: list[Any], spoken: float, elements: dict[str, Any]) -> None:
        """The beat's actions one after another, sharing its spoken length."""
        naturals = [a.run_time or ACTION_KINDS[a.kind].timing(a, elements).natural for a in actions]
        scale = min(1.0, spoken / sum(naturals)) if naturals else 1.0
        for action, natural in zip(actions, naturals):
            run_time = max(natural * scale, 2 / config.frame_rate)
            animations = ACTION_KINDS[action.kind].animate(action, stage, run_time)
            if animations:
                self.play(*animations, run_time=run_time)
            else:
                self.wait(run_time)
            stage.finish_step(self.remove)
