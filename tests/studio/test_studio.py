"""`vidgen studio`, driven in headless Chromium: edit a beat, see it saved alone, checked,
rebuilt and played; refusals for strangers; no overwriting an edit made in an editor."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.helpers import FAKE_VOICE
from vidgen.media.probe import probe
from vidgen.speech.engines.fake import WORD_GAP, word_seconds

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None, reason="Chromium and chromium-driver are not installed (./setup.sh --dev installs them)")

BOARD = """\
# The studio's test storyboard: these comments, the anchor, the folded narration and
# the spacing below must come through every save byte for byte.
title: Tiny    # a short one
voice: fake
scenes:
  - id: first
    title: The first scene
    elements:
      ratings: &ratings {vector: [5, 0, 1], label: Ratings}
      note: {caption: A caption, place: bottom}
    beats:
      - say: Here is a vector of three ratings.   # the opening line
        do:
          - show: ratings
      - say: >
          The middle one is <mark name="zero"/>zero.
          It was not rated.
        do:
          - highlight: "ratings[1]"
            at: zero
          - show: note
  - id: second
    title: The second scene
    elements:
      net: {mlp: [3, 2, 3], label: Network}
    beats:
      - say: A small network, and a pulse through it.
        do:
          - show: net
          - flow: net
"""


class Studio:
    """A running `vidgen studio` and a browser on it."""

    def __init__(self, project: Path, process: subprocess.Popen[str], url: str, driver: Any) -> None:
        self.project, self.process, self.url, self.driver = project, process, url, driver
        self.port = int(url.split(":")[2].split("/")[0])
        self.token = url.split("token=")[1]
        self.board = project / "storyboards" / "tiny.yaml"

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, token: bool = True) -> tuple[int, bytes]:
        """A raw request: the path goes out exactly as given (no normalising of `..`)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **({"X-Vidgen-Token": self.token} if token else {}), **(headers or {})}
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            sent.update({"Content-Type": "application/json", "Content-Length": str(len(data))})
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        connection.endheaders(data)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, payload

    def state(self) -> dict[str, Any]:
        status, body = self.request("GET", "/api/state")
        assert status == 200
        return json.loads(body)

    def card(self, scene: str, beat: int) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, f'article.beat[data-scene="{scene}"][data-beat="{beat}"]')

    def type_into(self, scene: str, beat: int, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        area = self.card(scene, beat).find_element("css selector", "textarea")
        area.click()
        area.send_keys(Keys.CONTROL, "a")
        area.send_keys(Keys.DELETE)
        area.send_keys(text)

    def click(self, scene: str, beat: int, label: str) -> None:
        buttons = [b for b in self.card(scene, beat).find_elements("css selector", "button") if b.text == label and b.is_displayed()]
        assert buttons, f"no {label!r} button on {scene}/{beat}"
        buttons[0].click()

    def wait(self, condition: Callable[[], Any], timeout: float = 120, what: str = "") -> Any:
        from selenium.common.exceptions import StaleElementReferenceException

        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                value = condition()
            except StaleElementReferenceException:  # the page redrew what was being read: look again
                value = None
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what or condition}; studio said:\n{(self.project / 'studio.log').read_text()[-3000:]}")

    def body(self, name: str) -> str | None:
        return self.driver.execute_script(f"return document.body.dataset.{name} ?? null")

    def built(self, after: int) -> int:
        return self.wait(lambda: int(self.body("build") or 0) > after and int(self.body("build")), what=f"a build after {after}")

    def video(self, tmp: Path) -> Path:
        status, data = self.request("GET", self.state()["video"]["url"])
        assert status == 200
        path = tmp / f"video-{time.time_ns()}.mp4"
        path.write_bytes(data)
        return path


def _browser(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    return driver


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    project = tmp_path_factory.mktemp("studio")
    (project / "storyboards").mkdir()
    (project / "voices").mkdir()
    (project / "storyboards" / "tiny.yaml").write_text(BOARD)
    (project / "voices" / "fake.yaml").write_text(FAKE_VOICE)
    log = open(project / "studio.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "vidgen", "studio", "storyboards/tiny.yaml"], cwd=project, stdout=subprocess.PIPE, stderr=log, text=True)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:") and "?token=" in url, (project / "studio.log").read_text()
    driver = _browser(project / "profile")
    try:
        driver.get(url)
        studio = Studio(project, process, url, driver)
        studio.built(0)
        yield studio
    finally:
        driver.quit()
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=60) == 0
        finally:
            process.kill()
            log.close()


def test_the_page_shows_the_preview_with_every_beat(studio: Studio) -> None:
    state = studio.state()
    beats = [beat for scene in state["scenes"] for beat in scene["beats"]]
    assert len(beats) == 3 and all(beat["measured"] for beat in beats)
    assert studio.driver.current_url.endswith("/")  # the token left the address bar for a cookie
    loaded = "return [...document.querySelectorAll('article.beat img.frame')].map((img) => img.complete && img.naturalWidth)"
    # an image still on its way is not a failure: wait until every frame has come or failed
    frames = studio.wait(lambda: (found := studio.driver.execute_script(loaded)) and all(width is not False for width in found) and found, 20, "the beats' frames to load")
    assert frames == [854, 854, 854]  # every beat's frame, at the preview's width
    duration = float(studio.body("videoDuration"))
    assert duration == pytest.approx(state["video"]["duration"], abs=0.3)
    segments = studio.driver.find_elements("css selector", "#timeline button")
    assert len(segments) == 3
    segments[2].click()  # the second scene's beat: the player goes there, and the current beat follows
    studio.wait(lambda: studio.body("currentBeat") == "second/0", 20, "the clicked beat to be current")
    start = beats[2]["start"]
    assert studio.driver.execute_script("return document.querySelector('video').currentTime") >= start
    assert "current" in studio.card("second", 0).get_attribute("class")
    studio.driver.execute_script("const v = document.querySelector('video'); v.currentTime = arguments[0]; v.play()", beats[1]["start"] - 0.4)
    studio.wait(lambda: studio.body("currentBeat") == "first/1", 20, "the current beat to follow playback")
    studio.driver.execute_script("document.querySelector('video').pause()")
    assert "current" in studio.card("first", 1).get_attribute("class") and "current" not in studio.card("second", 0).get_attribute("class")


def test_an_edit_is_saved_alone_checked_rebuilt_and_played_at_its_beat(studio: Studio, tmp_path: Path, update_golden: bool) -> None:
    old, new = "A small network, and a pulse through it.", "A small network, and a pulse that travels through every one of its layers."
    before = studio.board.read_text()
    first_video = probe(studio.video(tmp_path)).duration
    build = int(studio.body("build"))
    studio.type_into("second", 0, new)
    assert "dirty" in studio.card("second", 0).get_attribute("class")
    studio.click("second", 0, "Save")
    studio.built(build)
    assert studio.board.read_text() == before.replace(f"- say: {old}\n", f"- say: {new}\n")  # that narration, and not one byte else
    spoken = sum(word_seconds(word) + WORD_GAP for word in new.split()) - sum(word_seconds(word) + WORD_GAP for word in old.split())
    assert probe(studio.video(tmp_path)).duration - first_video == pytest.approx(spoken, abs=0.3)
    status, subtitles = studio.request("GET", studio.state()["video"]["subtitles"])
    assert status == 200 and "travels through every one" in " ".join(subtitles.decode().split()) and "pulse through it" not in subtitles.decode()
    studio.wait(lambda: studio.body("currentBeat") == "second/0", 20, "the player at the edited beat")
    state = studio.state()
    edited = state["scenes"][1]["beats"][0]
    assert edited["measured"] and studio.driver.execute_script("return document.querySelector('video').currentTime") == pytest.approx(edited["start"], abs=0.2)
    assert studio.body("findings") == "0" and studio.body("state") == "idle"
    studio.driver.execute_script("document.querySelector('video').currentTime = arguments[0] + 1.5", edited["start"])
    time.sleep(1.0)  # the frame decoded, the playhead moved
    shot = tmp_path / "studio.png"
    studio.driver.save_screenshot(str(shot))
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1440, 900)
        grey = image.convert("L")
        assert grey.getextrema()[1] - grey.getextrema()[0] > 150  # drawn, not blank
        assert grey.crop((20, 70, 750, 480)).getextrema()[1] > 120  # the player shows the frame
    if update_golden:
        shutil.copy(shot, ROOT / "docs" / "pictures" / "studio.png")


def test_a_bad_edit_shows_its_finding_on_that_beat(studio: Studio) -> None:
    before = studio.board.read_text()
    studio.type_into("first", 1, "The middle one is zero. It was not rated.")  # the mark an action waits for is gone
    studio.click("first", 1, "Save")
    # Read inside the wait: the page may redraw the list between finding it and reading it.
    finding = studio.wait(lambda: [li.text for li in studio.card("first", 1).find_elements("css selector", ".findings li")], 30, "a finding on beat 1.2")
    assert "zero" in finding[0]
    assert not studio.card("first", 0).find_elements("css selector", ".findings li")
    assert not studio.card("second", 0).find_elements("css selector", ".findings li")
    assert "warn" in studio.wait(lambda: studio.driver.find_element("css selector", '#timeline button[data-scene="first"][data-beat="1"]').get_attribute("class"), 10, "the timeline's segment")
    studio.wait(lambda: studio.body("state") == "failed", 30, "the build to refuse the storyboard")
    after = studio.board.read_text()
    old_lines, new_lines = before.splitlines(), after.splitlines()
    at = old_lines.index("      - say: >")
    assert new_lines[: at + 1] == old_lines[: at + 1] and new_lines[at + 2 :] == old_lines[at + 3 :]  # only the folded block's text,
    assert new_lines[at + 1] == "          The middle one is zero. It was not rated."  # still folded, at its indentation
    assert yaml.safe_load(after)["scenes"][0]["beats"][1]["say"] == "The middle one is zero. It was not rated.\n"

    studio.type_into("second", 0, " ")  # no words at all
    studio.click("second", 0, "Save")
    studio.wait(lambda: any("empty" in li.text for li in studio.card("second", 0).find_elements("css selector", ".findings li")), 30, "the empty narration's finding")

    build = int(studio.body("build"))
    studio.type_into("first", 1, 'The middle one is <mark name="zero"/>zero. It was not rated.')
    studio.click("first", 1, "Save")
    studio.type_into("second", 0, "A small network, and a pulse through it.")
    studio.click("second", 0, "Save")
    studio.built(build)  # fixed: findings gone, built again
    studio.wait(lambda: studio.body("findings") == "0", 30, "no findings")


def test_an_edit_made_in_an_editor_meanwhile_is_not_overwritten(studio: Studio) -> None:
    studio.type_into("first", 0, "Words typed in the studio.")
    on_disk = studio.board.read_text().replace("Here is a vector of three ratings.", "Words typed in a text editor.")
    studio.board.write_text(on_disk)  # a text editor saves the same beat meanwhile
    conflict = studio.wait(lambda: studio.card("first", 0).get_attribute("data-conflict"), 20, "the page to show the conflict")
    assert conflict == "true"
    assert "Words typed in a text editor." in studio.card("first", 0).find_element("css selector", ".conflict").text
    assert studio.card("first", 0).find_element("css selector", "textarea").get_attribute("value") == "Words typed in the studio."
    studio.click("first", 0, "Save")  # saving anyway is refused: the editor's words stay
    time.sleep(1.0)
    assert studio.board.read_text() == on_disk
    assert studio.card("first", 0).find_element("css selector", "textarea").get_attribute("value") == "Words typed in the studio."

    stale = studio.state()["version"]
    studio.board.write_text(on_disk.replace("title: The second scene", "title: The second scene, renamed"))
    status, body = studio.request("POST", "/api/beats/first/0", {"say": "Overwrite?", "version": stale})
    assert status == 409 and json.loads(body)["current"] == "Words typed in a text editor."
    assert "renamed" in studio.board.read_text() and "Overwrite?" not in studio.board.read_text()

    studio.wait(lambda: "renamed" in studio.driver.find_element("css selector", "#script").text.lower(), 20, "the editor's other change on the page")
    studio.click("first", 0, "Save mine over it")  # the writer chooses, having seen both
    studio.wait(lambda: "Words typed in the studio." in studio.board.read_text(), 20, "the writer's text saved")
    assert "renamed" in studio.board.read_text()  # with the editor's other change kept


def test_strangers_are_refused(studio: Studio) -> None:
    board = studio.board.read_text()
    assert studio.request("GET", "/api/state")[0] == 200
    assert studio.request("GET", "/api/state", token=False)[0] == 403
    assert studio.request("GET", "/?token=wrong", token=False)[0] == 403
    assert studio.request("GET", "/api/state", headers={"X-Vidgen-Token": "x" * 32})[0] == 403
    assert studio.request("GET", "/api/state", headers={"Origin": "http://evil.example"})[0] == 403
    assert studio.request("GET", "/api/state", headers={"Host": f"evil.example:{studio.port}"})[0] == 403  # DNS rebinding
    assert studio.request("GET", "/api/state", headers={"Cookie": f"vidgen-studio-{studio.port}=nope"}, token=False)[0] == 403
    version = studio.state()["version"]
    refused = studio.request("POST", "/api/beats/first/0", {"say": "Pwned.", "version": version}, headers={"Origin": "http://evil.example"})
    assert refused[0] == 403 and studio.board.read_text() == board
    preview = Path(studio.state()["video"]["url"].split("?")[0]).name
    assert studio.request("GET", f"/files/{preview}")[0] == 200
    folder = next(path.parent for path in (studio.project / "output").rglob(preview))  # the test peeks; the studio never says
    (folder / "leak.yaml").symlink_to(studio.board)
    for path in ("/files/../../../storyboards/tiny.yaml", "/files/%2e%2e/%2e%2e/%2e%2e/storyboards/tiny.yaml", "/files/%252e%252e/%252e%252e/storyboards/tiny.yaml",
                 f"/files/{studio.board}", "/files//etc/passwd", "/files/frames/..%2f..%2f..%2fstoryboards/tiny.yaml", "/files/leak.yaml"):  # fmt: skip
        status, body = studio.request("GET", path)
        assert status in (403, 404) and b"title:" not in body, path
    assert studio.request("GET", "/files/leak.yaml")[0] == 403
    assert studio.request("GET", "/static/../server.py")[0] in (403, 404)
    os.unlink(folder / "leak.yaml")


def test_a_beat_and_a_pronunciation_can_be_heard(studio: Studio) -> None:
    from vidgen.speech.audio import RATE, read_audio

    def heard(path: str, body: dict[str, Any]) -> float:
        status, answer = studio.request("POST", path, body)
        assert status == 200, answer
        status, wav = studio.request("GET", json.loads(answer)["audio"])
        assert status == 200 and wav[:4] == b"RIFF"
        (studio.project / "heard.wav").write_bytes(wav)
        return len(read_audio(studio.project / "heard.wav")) / RATE

    say = studio.state()["scenes"][1]["beats"][0]["say"]
    expected = sum(word_seconds(word) + WORD_GAP for word in say.split())
    assert heard("/api/listen", {"scene": "second", "beat": 0}) == pytest.approx(expected, abs=0.4)  # the beat alone
    assert heard("/api/say", {"text": "Autoencoder"}) == pytest.approx(word_seconds("Autoencoder"), abs=0.3)
    assert studio.request("POST", "/api/listen", {"scene": "nowhere", "beat": 0})[0] == 422
    studio.click("second", 0, "Listen")  # and from the page, into its audio element
    studio.wait(lambda: studio.driver.execute_script("const a = document.querySelector('#voice'); return a.src.includes('/api/audio/') && a.duration > 0"), 30, "the beat's audio in the page")
