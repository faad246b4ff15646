"""Shared test options and fixtures. Subpackages keep their own fixtures in their conftest."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files (expected errors, plans, subtitles) from the current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture(autouse=True, scope="session")
def _manim_scratch(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep Manim's TeX and media scratch files out of the working tree."""
    from vidgen.render import configure_manim

    configure_manim(tmp_path_factory.mktemp("manim-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with storyboards/tiny.yaml and voices/fake.yaml (a test-tone voice)."""
    import textwrap

    from tests.helpers import FAKE_VOICE, TINY

    (tmp_path / "storyboards").mkdir()
    (tmp_path / "voices").mkdir()
    (tmp_path / "storyboards" / "tiny.yaml").write_text(textwrap.dedent(TINY))
    (tmp_path / "voices" / "fake.yaml").write_text(FAKE_VOICE)
    return tmp_path
