"""Media: narration track, stream-copy mux, chapters, subtitles, probing, contact sheets."""

from vidgen.media.contact_sheet import contact_sheet
from vidgen.media.mux import Chapter, concat_clips, mux, write_chapters_txt
from vidgen.media.narration import assemble_narration, encode_aac
from vidgen.media.probe import frame_at, probe
from vidgen.media.subtitles import check_cues, make_cues, parse_srt, write_srt, write_vtt

__all__ = [
    "Chapter",
    "assemble_narration",
    "check_cues",
    "concat_clips",
    "contact_sheet",
    "encode_aac",
    "frame_at",
    "make_cues",
    "mux",
    "parse_srt",
    "probe",
    "write_chapters_txt",
    "write_srt",
    "write_vtt",
]
