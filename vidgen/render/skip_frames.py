"""Held pictures as H.264 frames that skip every macroblock, written without the encoder.

Most of an explainer's frames hold still while the narrator talks, and x264 spends about
7 ms of a core on each identical 1080p frame (motion search and mode decision that end,
every time, in "skip"). A P frame whose macroblocks are all skipped shows its reference
picture exactly (a skipped macroblock with no neighbours moving has a zero motion vector and
no residual), and its bytes depend on the stream's parameter sets, its place in the stream and
the picture's size: never on the picture. So a hold's first frame goes through the encoder,
and vidgen writes the rest itself, as ITU-T H.264 (sections 7.3.3, 7.3.4 and 9.3.4) describes.

Only what x264 writes for progressive 8-bit video is understood; anything else raises
`Unsupported`, and the caller encodes the hold frame by frame as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["StreamParams", "Unsupported", "mux_skipped", "skip_frame", "stream_params"]

START_CODE = b"\x00\x00\x00\x01"
NAL_SLICE = 1
NAL_SPS = 7
NAL_PPS = 8
SLICE_P = 5  # "P, and every slice of this picture is P"
HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


class Unsupported(Exception):
    """The stream uses a feature these frames are not written for."""


@dataclass(frozen=True)
class StreamParams:
    """The parameter-set fields a skipped P slice depends on."""

    sps_id: int
    pps_id: int
    log2_max_frame_num: int
    poc_type: int
    log2_max_poc_lsb: int
    chroma_array_type: int
    width_mbs: int
    height_mbs: int
    entropy_cabac: bool
    bottom_field_poc: bool
    weighted_pred: bool
    pic_init_qp: int
    deblocking_control: bool
    redundant_pic_cnt: bool

    @property
    def macroblocks(self) -> int:
        return self.width_mbs * self.height_mbs


class _BitReader:
    def __init__(self, rbsp: bytes) -> None:
        self.data = rbsp
        self.position = 0

    def u(self, bits: int) -> int:
        value = 0
        for _ in range(bits):
            byte = self.data[self.position >> 3]
            value = (value << 1) | ((byte >> (7 - (self.position & 7))) & 1)
            self.position += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise Unsupported("malformed Exp-Golomb code")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code & 1 else -(code // 2)


class _BitWriter:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, bits: int, value: int) -> None:
        self.bits.extend((value >> shift) & 1 for shift in range(bits - 1, -1, -1))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(2 * code.bit_length() - 1, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def aligned(self) -> bool:
        return len(self.bits) % 8 == 0

    def to_bytes(self) -> bytes:
        assert self.aligned()
        return bytes(int("".join(map(str, self.bits[i : i + 8])), 2) for i in range(0, len(self.bits), 8))


def _nal_units(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream, or of an avcC record (MP4's form)."""
    if data[:1] == b"\x01":  # avcC: version 1, then length-prefixed SPS and PPS lists
        units, position = [], 5
        for _ in range(2):
            count = data[position] & (0x1F if not units else 0xFF)
            position += 1
            for _ in range(count):
                length = int.from_bytes(data[position : position + 2], "big")
                units.append(data[position + 2 : position + 2 + length])
                position += 2 + length
        return units
    units = []
    for chunk in data.split(b"\x00\x00\x01"):
        chunk = chunk.rstrip(b"\x00")
        if chunk:
            units.append(chunk)
    return units


def _rbsp(nal: bytes) -> bytes:
    """The payload of a NAL unit without its header and emulation-prevention bytes."""
    return nal[1:].replace(b"\x00\x00\x03", b"\x00\x00")


def _escaped(rbsp: bytes) -> bytes:
    """`rbsp` with an emulation-prevention byte wherever two zeros precede a byte below 4."""
    out = bytearray()
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def _skip_scaling_list(reader: _BitReader, size: int) -> None:
    last = next_scale = 8
    for _ in range(size):
        if next_scale:
            next_scale = (last + reader.se() + 256) % 256
        last = next_scale or last


def stream_params(extradata: bytes) -> StreamParams:
    """Read the fields a skipped slice needs from the encoder's SPS and PPS."""
    units = _nal_units(extradata)
    sps_nal = next((unit for unit in units if unit[0] & 0x1F == NAL_SPS), None)
    pps_nal = next((unit for unit in units if unit[0] & 0x1F == NAL_PPS), None)
    if sps_nal is None or pps_nal is None:
        raise Unsupported("no SPS and PPS in the encoder's extradata")

    sps = _BitReader(_rbsp(sps_nal))
    profile = sps.u(8)
    sps.u(16)  # constraint flags, level
    sps_id = sps.ue()
    chroma_format = 1
    if profile in HIGH_PROFILES:
        chroma_format = sps.ue()
        if chroma_format == 3 and sps.u(1):
            raise Unsupported("separate colour planes")
        sps.ue(), sps.ue()  # bit depths
        sps.u(1)  # qpprime_y_zero_transform_bypass_flag
        if sps.u(1):  # seq_scaling_matrix_present_flag
            for index in range(8 if chroma_format != 3 else 12):
                if sps.u(1):
                    _skip_scaling_list(sps, 16 if index < 6 else 64)
    log2_max_frame_num = sps.ue() + 4
    poc_type = sps.ue()
    log2_max_poc_lsb = 0
    if poc_type == 0:
        log2_max_poc_lsb = sps.ue() + 4
    elif poc_type == 1:
        raise Unsupported("picture order count type 1")
    sps.ue()  # max_num_ref_frames
    sps.u(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs = sps.ue() + 1
    height_units = sps.ue() + 1
    if not sps.u(1):
        raise Unsupported("interlaced coding")

    pps = _BitReader(_rbsp(pps_nal))
    pps_id = pps.ue()
    if pps.ue() != sps_id:
        raise Unsupported("the PPS refers to another SPS")
    entropy_cabac = bool(pps.u(1))
    bottom_field_poc = bool(pps.u(1))
    if pps.ue() != 0:
        raise Unsupported("slice groups")
    pps.ue(), pps.ue()  # default active reference counts
    weighted_pred = bool(pps.u(1))
    pps.u(2)  # weighted_bipred_idc
    pic_init_qp = 26 + pps.se()
    pps.se(), pps.se()  # pic_init_qs, chroma_qp_index_offset
    deblocking_control = bool(pps.u(1))
    pps.u(1)  # constrained_intra_pred_flag
    redundant_pic_cnt = bool(pps.u(1))
    return StreamParams(
        sps_id=sps_id,
        pps_id=pps_id,
        log2_max_frame_num=log2_max_frame_num,
        poc_type=poc_type,
        log2_max_poc_lsb=log2_max_poc_lsb,
        chroma_array_type=chroma_format,
        width_mbs=width_mbs,
        height_mbs=height_units,
        entropy_cabac=entropy_cabac,
        bottom_field_poc=bottom_field_poc,
        weighted_pred=weighted_pred,
        pic_init_qp=pic_init_qp,
        deblocking_control=deblocking_control,
        redundant_pic_cnt=redundant_pic_cnt,
    )


def mux_skipped(container: Any, stream: Any, first: Any, frames: int, frame_step: Any, params: StreamParams, length_size: int = 0) -> None:
    """Mux into `stream` frames 1 to `frames` - 1 of a hold whose first picture is packet
    `first` (already muxed), each skipping every macroblock; `frame_step` is one frame in
    `first`'s time base. `length_size`: the stream's units follow their length (avcC, as MP4
    keeps a stream read back from it), not a start code."""
    import av

    for index in range(1, frames):
        packet = av.Packet(skip_frame(params, index, length_size))
        packet.time_base = first.time_base
        packet.pts = first.pts + round(index * frame_step)
        packet.dts = first.dts + round(index * frame_step)
        packet.stream = stream
        container.mux(packet)


def skip_frame(params: StreamParams, index: int, length_size: int = 0) -> bytes:
    """The access unit of the `index`-th frame after an IDR picture (index ≥ 1), every
    macroblock skipped: a reference P picture showing the one before it. Annex B (after a
    start code), or after its length in `length_size` bytes (avcC)."""
    if index < 1:
        raise ValueError("a skipped frame follows the IDR picture")
    header = _BitWriter()
    header.u(8, (2 << 5) | NAL_SLICE)  # nal_ref_idc 2: a reference, so order counts keep up
    header.ue(0)  # first_mb_in_slice
    header.ue(SLICE_P)
    header.ue(params.pps_id)
    header.u(params.log2_max_frame_num, index % (1 << params.log2_max_frame_num))
    if params.poc_type == 0:
        header.u(params.log2_max_poc_lsb, (2 * index) % (1 << params.log2_max_poc_lsb))
        if params.bottom_field_poc:
            header.se(0)
    if params.redundant_pic_cnt:
        header.ue(0)
    header.u(1, 1)  # num_ref_idx_active_override_flag: one reference, the picture before
    header.ue(0)
    header.u(1, 0)  # ref_pic_list_modification_flag_l0
    if params.weighted_pred:
        header.ue(0)  # luma_log2_weight_denom
        if params.chroma_array_type:
            header.ue(0)
        header.u(1, 0)  # luma_weight_l0_flag
        if params.chroma_array_type:
            header.u(1, 0)
    header.u(1, 0)  # adaptive_ref_pic_marking_mode_flag: a sliding window
    if params.entropy_cabac:
        header.ue(0)  # cabac_init_idc
    header.se(0)  # slice_qp_delta: skipped blocks carry no residual, any QP will do
    if params.deblocking_control:
        header.ue(1)  # disable_deblocking_filter_idc: nothing to filter
    if params.entropy_cabac:
        while not header.aligned():
            header.u(1, 1)  # cabac_alignment_one_bit
        body = header.to_bytes() + _cabac_all_skipped(params.macroblocks, params.pic_init_qp)
    else:
        header.ue(params.macroblocks)  # mb_skip_run
        header.u(1, 1)  # rbsp_stop_one_bit
        while not header.aligned():
            header.u(1, 0)
        body = header.to_bytes()
    unit = body[:1] + _escaped(body[1:])
    return len(unit).to_bytes(length_size, "big") + unit if length_size else START_CODE + unit


# Table 9-44 (rangeTabLPS) and 9-45 (transIdxLPS) of ITU-T H.264.
RANGE_LPS = (
    (128, 176, 208, 240), (128, 167, 197, 227), (128, 158, 187, 216), (123, 150, 178, 205),
    (116, 142, 169, 195), (111, 135, 160, 185), (105, 128, 152, 175), (100, 122, 144, 166),
    (95, 116, 137, 158), (90, 110, 130, 150), (85, 104, 123, 142), (81, 99, 117, 135),
    (77, 94, 111, 128), (73, 89, 105, 122), (69, 85, 100, 116), (66, 80, 95, 110),
    (62, 76, 90, 104), (59, 72, 86, 99), (56, 69, 81, 94), (53, 65, 77, 89),
    (51, 62, 73, 85), (48, 59, 69, 80), (46, 56, 66, 76), (43, 53, 63, 72),
    (41, 50, 59, 69), (39, 48, 56, 65), (37, 45, 54, 62), (35, 43, 51, 59),
    (33, 41, 48, 56), (32, 39, 46, 53), (30, 37, 43, 50), (29, 35, 41, 48),
    (27, 33, 39, 45), (26, 31, 37, 43), (24, 30, 35, 41), (23, 28, 33, 39),
    (22, 27, 32, 37), (21, 26, 30, 35), (20, 24, 29, 33), (19, 23, 27, 31),
    (18, 22, 26, 30), (17, 21, 25, 28), (16, 20, 23, 27), (15, 19, 22, 25),
    (14, 18, 21, 24), (14, 17, 20, 23), (13, 16, 19, 22), (12, 15, 18, 21),
    (12, 14, 17, 20), (11, 14, 16, 19), (11, 13, 15, 18), (10, 12, 15, 17),
    (10, 12, 14, 16), (9, 11, 13, 15), (9, 11, 12, 14), (8, 10, 12, 14),
    (8, 9, 11, 13), (7, 9, 11, 12), (7, 9, 10, 12), (7, 8, 10, 11),
    (6, 8, 9, 11), (6, 7, 9, 10), (6, 7, 8, 9), (2, 2, 2, 2),
)
TRANS_LPS = (
    0, 0, 1, 2, 2, 4, 4, 5, 6, 7, 8, 9, 9, 11, 11, 12, 13, 13, 15, 15, 16, 16, 18, 18, 19, 19,
    21, 21, 22, 22, 23, 24, 24, 25, 26, 26, 27, 27, 28, 29, 29, 30, 30, 30, 31, 32, 32, 33, 33,
    33, 34, 34, 35, 35, 35, 36, 36, 36, 37, 37, 37, 38, 38, 63,
)
# Table 9-13: (m, n) of ctxIdx 11, mb_skip_flag of a P macroblock whose neighbours are skipped,
# for cabac_init_idc 0.
SKIP_FLAG_INIT = (23, 33)


class _Cabac:
    """The arithmetic encoder of 9.3.4.2, one context at a time."""

    def __init__(self, slice_qp: int, init: tuple[int, int]) -> None:
        m, n = init
        state = max(1, min(126, ((m * max(0, min(51, slice_qp))) >> 4) + n))
        self.state, self.mps = (63 - state, 0) if state <= 63 else (state - 64, 1)
        self.low, self.range = 0, 510
        self.first_bit = True
        self.outstanding = 0
        self.out = _BitWriter()

    def _put(self, bit: int) -> None:
        if self.first_bit:
            self.first_bit = False
        else:
            self.out.u(1, bit)
        while self.outstanding:
            self.out.u(1, 1 - bit)
            self.outstanding -= 1

    def _renormalize(self) -> None:
        while self.range < 256:
            if self.low < 256:
                self._put(0)
            elif self.low >= 512:
                self.low -= 512
                self._put(1)
            else:
                self.low -= 256
                self.outstanding += 1
            self.range <<= 1
            self.low <<= 1

    def decision(self, bit: int) -> None:
        lps = RANGE_LPS[self.state][(self.range >> 6) & 3]
        self.range -= lps
        if bit != self.mps:
            self.low += self.range
            self.range = lps
            if self.state == 0:
                self.mps = 1 - self.mps
            self.state = TRANS_LPS[self.state]
        else:
            self.state = min(self.state + 1, 62)
        self._renormalize()

    def terminate(self, bit: int) -> None:
        self.range -= 2
        if not bit:
            self._renormalize()
            return
        self.low += self.range
        self.range = 2  # the flush of 9.3.4.5
        self._renormalize()
        self._put((self.low >> 9) & 1)
        self.out.u(2, ((self.low >> 7) & 3) | 1)  # its last bit is the rbsp_stop_one_bit


@lru_cache(maxsize=8)
def _cabac_all_skipped(macroblocks: int, slice_qp: int) -> bytes:
    """slice_data() of a P slice in which every macroblock is skipped, with its trailing bits."""
    coder = _Cabac(slice_qp, SKIP_FLAG_INIT)
    for number in range(macroblocks):
        coder.decision(1)  # mb_skip_flag
        coder.terminate(int(number == macroblocks - 1))  # end_of_slice_flag
    while not coder.out.aligned():
        coder.out.u(1, 0)
    return coder.out.to_bytes()
