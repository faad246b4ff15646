"""Speech: voice profiles, engines behind one Protocol, and beats spoken with timings."""

from vidgen.speech.engines import ENGINES
from vidgen.speech.synthesize import speak_beats
from vidgen.speech.voices import VoiceProfile, load_voice

__all__ = ["ENGINES", "VoiceProfile", "load_voice", "speak_beats"]
