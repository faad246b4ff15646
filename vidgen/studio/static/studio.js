// vidgen studio: the page. Plain JavaScript, no build step, everything served by vidgen.
//
// The server holds the truth (the storyboard file); this page shows it and sends edits.
// Each beat card remembers the text and file version its edit started from ("base"): a save
// sends that version, and the server refuses it if the file changed meanwhile.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const player = $("#player");
const voice = $("#voice");

const studio = {
  state: null, // the last /api/state
  version: null, // the file version the page shows
  build: 0, // the preview build the player holds
  cards: new Map(), // "scene/index" → card
  sections: new Map(), // scene id → section
  segments: new Map(), // "scene/index" → timeline button
  focus: null, // the beat the player goes to when the next build arrives
  current: null, // the beat being played
  asked: 0, // state requests sent, and the newest of them applied: an older answer that
  applied: 0, // arrives after a newer one (a save's refresh, then a findings event's) is stale
};

const squash = (text) => (text ?? "").split(/\s+/).filter(Boolean).join(" ");
const keyOf = (scene, index) => `${scene}/${index}`;
const seconds = (value) => `${value.toFixed(1)} s`;

function element(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name.includes("-")) node.setAttribute(name, value);
    else node[name] = value;
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, { credentials: "same-origin", cache: "no-store", ...options });
  let data = null;
  try { data = await response.json(); } catch { data = { error: `${response.status} ${response.statusText}` }; }
  return { status: response.status, data };
}

// ---- status and progress -------------------------------------------------------------

function setStatus(state, text, progress) {
  const status = $("#status");
  status.dataset.state = state;
  document.body.dataset.state = state;
  $("#status-text").textContent = text;
  status.title = text;
  const bar = $("#progress div");
  bar.style.width = state === "building" ? `${Math.max(4, Math.round((progress ?? 0) * 100))}%` : "100%";
  bar.style.opacity = state === "building" ? "1" : "0";
}

function describeStatus(event) {
  if (event.state === "building") {
    if (event.stage === "render" && event.scene) return `Building · scene ${event.scene} ${event.cached ? "(cached)" : "rendered"}`;
    return `Building · ${event.stage}`;
  }
  if (event.state === "idle") return event.message ? `Preview up to date · ${event.message}` : "Preview up to date";
  return event.message || event.state;
}

// ---- the script: scenes and beat cards -----------------------------------------------

function makeCard(beat) {
  const textarea = element("textarea", { rows: 3, spellcheck: true, "aria-label": `Narration of beat ${beat.index + 1}` });
  const card = {
    scene: beat.scene,
    index: beat.index,
    base: { say: beat.say, version: studio.version },
    dirty: false,
    textarea,
    frame: element("img", { class: "frame missing", alt: `Beat ${beat.index + 1}`, loading: "lazy" }),
    number: element("span", { class: "number" }),
    length: element("span", { class: "length" }),
    state: element("span", { class: "state", "aria-live": "polite" }),
    findings: element("ul", { class: "findings" }),
    conflict: element("div", { class: "conflict", hidden: true }),
  };
  card.save = element("button", { type: "button", class: "primary", textContent: "Save", disabled: true, onclick: () => save(card) });
  card.listen = element("button", { type: "button", class: "secondary", textContent: "Listen", onclick: () => listen(card) });
  card.revert = element("button", { type: "button", class: "plain", textContent: "Revert", hidden: true, onclick: () => revert(card) });
  card.frame.addEventListener("click", () => seekTo(card.scene, card.index, true));
  textarea.addEventListener("input", () => { setDirty(card, squash(textarea.value) !== squash(card.base.say)); grow(textarea); });
  textarea.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") { event.preventDefault(); if (card.dirty) save(card); }
  });
  card.el = element("article", { class: "beat", dataset: { scene: beat.scene, beat: String(beat.index) } },
    element("div", {}, card.frame, element("div", { class: "meta" }, card.number, card.length)),
    element("div", { class: "words" }, textarea, card.findings, card.conflict,
      element("div", { class: "actions" }, card.save, card.listen, card.revert, card.state)));
  return card;
}

function grow(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 320)}px`;
}

function setDirty(card, dirty) {
  card.dirty = dirty;
  card.el.classList.toggle("dirty", dirty);
  card.save.disabled = !dirty;
  card.revert.hidden = !dirty;
  if (dirty) card.state.textContent = "edited";
}

function updateCard(card, beat, sceneNumber) {
  card.number.textContent = `${sceneNumber}.${beat.index + 1}`;
  card.length.textContent = beat.measured ? seconds(beat.length) : `~${seconds(beat.length)}`;
  card.length.classList.toggle("estimated", !beat.measured);
  card.length.title = beat.measured ? "measured speech" : "estimated: not built since this text";
  if (beat.frame && card.frame.getAttribute("src") !== beat.frame) card.frame.src = beat.frame;
  card.frame.classList.toggle("missing", !beat.frame);
  card.textarea.readOnly = !beat.editable;
  card.listen.disabled = !beat.editable;
  if (!card.dirty) {
    card.base = { say: beat.say, version: studio.version };
    if (beat.measured && card.state.textContent.startsWith("saved")) card.state.textContent = "saved · rebuilt";
    if (squash(card.textarea.value) !== squash(beat.say)) { card.textarea.value = squash(beat.say); grow(card.textarea); }
  } else if (beat.say === card.base.say) {
    card.base.version = studio.version; // the file's copy of this beat did not change: the edit still applies
  } else {
    showConflict(card, beat.say, studio.version); // changed in the file under the writer: show the file's latest
  }
}

function showConflict(card, current, version) {
  const gone = current === null || current === undefined;
  card.conflict.replaceChildren(
    element("strong", { textContent: gone ? "This beat is no longer in the file." : "Changed in the file since you started editing." }),
    gone ? null : element("blockquote", { textContent: squash(current) }),
    element("div", {}, "Your text is kept above."),
    gone ? null : element("div", { class: "actions" },
      element("button", { type: "button", class: "primary", textContent: "Save mine over it", onclick: () => { card.base = { say: current, version }; card.conflict.hidden = true; save(card); } }),
      element("button", { type: "button", class: "secondary", textContent: "Use the file's", onclick: () => { card.base = { say: current, version }; card.textarea.value = squash(current); grow(card.textarea); card.conflict.hidden = true; setDirty(card, false); card.state.textContent = ""; } })));
  card.conflict.hidden = false;
  card.el.dataset.conflict = "true";
  card.state.textContent = "not saved: conflict";
  card.state.classList.add("error");
}

function renderScript(state) {
  const script = $("#script");
  const seen = new Set();
  state.scenes.forEach((scene, sceneIndex) => {
    let section = studio.sections.get(scene.id);
    if (!section) {
      section = element("section", { class: "scene-block", dataset: { scene: scene.id } },
        element("h2", {}, element("span", { class: "title" }), element("span", { class: "id" })),
        element("ul", { class: "findings" }),
        element("div", { class: "beats" }));
      studio.sections.set(scene.id, section);
    }
    $(".title", section).textContent = `${sceneIndex + 1}. ${scene.title}`;
    $(".id", section).textContent = scene.id;
    if (script.children[sceneIndex] !== section) script.insertBefore(section, script.children[sceneIndex] ?? null);
    const list = $(".beats", section);
    scene.beats.forEach((beat, index) => {
      const key = keyOf(scene.id, index);
      seen.add(key);
      let card = studio.cards.get(key);
      if (!card) { card = makeCard(beat); studio.cards.set(key, card); card.textarea.value = squash(beat.say); }
      updateCard(card, beat, sceneIndex + 1);
      if (list.children[index] !== card.el) list.insertBefore(card.el, list.children[index] ?? null);
    });
  });
  for (const [key, card] of studio.cards) {
    if (seen.has(key)) continue;
    if (card.dirty) { showConflict(card, null, studio.version); continue; } // keep the writer's text on screen
    card.el.remove();
    studio.cards.delete(key);
  }
  for (const [id, section] of studio.sections) {
    if (!state.scenes.some((scene) => scene.id === id) && !$(".beat.dirty", section)) { section.remove(); studio.sections.delete(id); }
  }
  requestAnimationFrame(() => studio.cards.forEach((card) => grow(card.textarea)));
}

// ---- findings ------------------------------------------------------------------------

function renderFindings(findings) {
  for (const card of studio.cards.values()) { card.findings.replaceChildren(); card.el.classList.remove("has-findings"); }
  for (const section of studio.sections.values()) $(":scope > .findings", section).replaceChildren();
  for (const segment of studio.segments.values()) segment.classList.remove("warn");
  const global = $("#global-findings");
  global.replaceChildren();
  for (const finding of findings) {
    const item = element("li", { dataset: { scene: finding.scene ?? "", beat: finding.beat ?? "" } },
      finding.line ? element("span", { class: "where", textContent: `line ${finding.line}` }) : null,
      finding.message);
    const card = finding.beat !== null ? studio.cards.get(keyOf(finding.scene, finding.beat)) : null;
    const section = finding.scene ? studio.sections.get(finding.scene) : null;
    if (card) {
      card.findings.append(item);
      card.el.classList.add("has-findings");
      studio.segments.get(keyOf(finding.scene, finding.beat))?.classList.add("warn");
    } else if (section) $(":scope > .findings", section).append(item);
    else global.append(item);
  }
  document.body.dataset.findings = String(findings.length);
}

// ---- the timeline and the player -----------------------------------------------------

function renderTimeline(state) {
  const timeline = $("#timeline");
  timeline.replaceChildren();
  studio.segments.clear();
  state.scenes.forEach((scene, sceneIndex) => {
    const beats = element("div", { class: "beats" });
    let total = 0;
    scene.beats.forEach((beat, index) => {
      const length = beat.duration ?? beat.length + 0.6;
      total += length;
      const segment = element("button", {
        type: "button",
        textContent: String(index + 1),
        title: `${scene.title} · beat ${index + 1}: ${squash(beat.say).slice(0, 80)}`,
        class: beat.measured ? "" : "stale",
        dataset: { scene: scene.id, beat: String(index) },
        onclick: () => seekTo(scene.id, index, true),
      });
      segment.style.flexGrow = String(length);
      segment.style.flexBasis = "0";
      studio.segments.set(keyOf(scene.id, index), segment);
      beats.append(segment);
    });
    const block = element("div", { class: "scene", title: scene.title },
      element("div", { class: "scene-title", textContent: `${sceneIndex + 1}. ${scene.title}` }), beats);
    block.style.flexGrow = String(Math.max(total, 0.1));
    block.style.flexBasis = "0";
    timeline.append(block);
  });
  timeline.append(element("div", { class: "playhead", hidden: true }));
  markCurrent(true);
}

function beatAt(time) {
  for (const scene of studio.state?.scenes ?? []) {
    for (const beat of scene.beats) {
      if (beat.start !== undefined && time >= beat.start && time < beat.start + beat.duration) return beat;
    }
  }
  return null;
}

function seekTo(scene, index, play) {
  const beat = studio.state?.scenes.find((s) => s.id === scene)?.beats[index];
  if (!beat || beat.start === undefined || !player.src) return;
  player.currentTime = beat.start + 0.01;
  markCurrent(true);
  if (play) player.play().catch(() => {});
}

function markCurrent(force) {
  const beat = player.src ? beatAt(player.currentTime) : null;
  const key = beat ? keyOf(beat.scene, beat.index) : null;
  const playhead = $(".playhead");
  if (playhead && player.duration) {
    const box = $("#timeline").getBoundingClientRect();
    const position = beat ? studio.segments.get(key) : null;
    if (position) {
      const rect = position.getBoundingClientRect();
      const within = Math.min(1, Math.max(0, (player.currentTime - beat.start) / beat.duration));
      playhead.style.left = `${rect.left - box.left + within * rect.width - 1}px`;
      playhead.hidden = false;
    }
  }
  if (key === studio.current && !force) return;
  studio.current = key;
  document.body.dataset.currentBeat = key ?? "";
  for (const [k, segment] of studio.segments) segment.classList.toggle("current", k === key);
  for (const [k, card] of studio.cards) card.el.classList.toggle("current", k === key);
  const card = key ? studio.cards.get(key) : null;
  const editing = document.activeElement?.tagName === "TEXTAREA" || document.activeElement?.tagName === "INPUT";
  if (card && !player.paused && !editing) card.el.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

function loadVideo(video) {
  const placeholder = $("#placeholder");
  if (!video) { placeholder.hidden = false; return; }
  if (video.build === studio.build) return;
  const resume = studio.focus ? null : player.currentTime || 0;
  studio.build = video.build;
  player.querySelectorAll("track").forEach((track) => track.remove());
  player.append(
    element("track", { kind: "subtitles", src: video.subtitles, srclang: video.language, label: "Narration", default: true }),
    element("track", { kind: "chapters", src: video.chapters, srclang: video.language, label: "Scenes" }));
  const first = studio.state.scenes[0]?.beats[0]?.frame;
  if (first) player.poster = first;
  player.src = video.url;
  player.addEventListener("loadedmetadata", () => {
    placeholder.hidden = true;
    if (studio.focus && studio.focus.scene !== null) seekTo(studio.focus.scene, studio.focus.beat, false);
    else if (resume) player.currentTime = Math.min(resume, player.duration);
    studio.focus = null;
    document.body.dataset.videoDuration = player.duration.toFixed(2);
    document.body.dataset.build = String(video.build);
    markCurrent(true);
  }, { once: true });
}

player.addEventListener("timeupdate", () => markCurrent(false));
player.addEventListener("seeked", () => markCurrent(false));

// ---- saving, listening, and the state ------------------------------------------------

async function save(card) {
  const say = card.textarea.value;
  card.save.disabled = true;
  card.state.classList.remove("error");
  card.state.textContent = "saving…";
  const { status, data } = await api(`/api/beats/${encodeURIComponent(card.scene)}/${card.index}`, { say, version: card.base.version });
  if (status === 200) {
    card.base = { say: data.say, version: data.version };
    card.conflict.hidden = true;
    delete card.el.dataset.conflict;
    setDirty(card, squash(card.textarea.value) !== squash(say));
    card.state.textContent = "saved · rebuilding";
    studio.focus = { scene: card.scene, beat: card.index };
    await refresh();
  } else if (status === 409) {
    showConflict(card, data.current, data.version);
    card.save.disabled = false;
  } else {
    card.state.textContent = data.error || `not saved (${status})`;
    card.state.classList.add("error");
    card.save.disabled = false;
  }
}

function revert(card) {
  card.textarea.value = squash(card.base.say);
  grow(card.textarea);
  card.conflict.hidden = true;
  card.state.textContent = "";
  setDirty(card, false);
}

async function play(request, note) {
  note.classList.remove("error");
  note.textContent = "speaking…";
  const { status, data } = await request;
  if (status !== 200) { note.textContent = data.error || `cannot speak (${status})`; note.classList.add("error"); return; }
  note.textContent = "";
  voice.src = data.audio;
  voice.play().catch(() => {});
}

function listen(card) {
  const body = { scene: card.scene, beat: card.index };
  if (card.dirty) body.say = card.textarea.value; // hear the words before saving them
  player.pause();
  play(api("/api/listen", body), card.state);
}

$("#try").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("#try-text").value;
  if (squash(text)) play(api("/api/say", { text }), $("#try-note"));
});

async function refresh() {
  const ticket = ++studio.asked;
  const { status, data } = await api("/api/state");
  if (status !== 200 || ticket < studio.applied) return;
  studio.applied = ticket;
  studio.version = data.version;
  document.body.dataset.version = data.version;
  if (!data.readable) { // half-way through an edit in a text editor: keep showing the last good script
    renderFindings(data.findings);
    setStatus("failed", "The file is not valid YAML now: fix it in your editor", 0);
    return;
  }
  studio.state = data;
  document.title = `${data.title} · vidgen studio`;
  $("#title").textContent = data.title;
  $("#file").textContent = data.storyboard;
  renderScript(data);
  renderTimeline(data);
  renderFindings(data.findings);
  loadVideo(data.video);
}

function connect() {
  const events = new EventSource("/api/events");
  events.addEventListener("status", (message) => {
    const event = JSON.parse(message.data);
    setStatus(event.state, describeStatus(event), event.progress);
    if (!studio.build) $("#placeholder").textContent = event.state === "failed" ? "Not built yet: the findings say why." : "Building the preview…";
  });
  events.addEventListener("findings", (message) => {
    const event = JSON.parse(message.data);
    if (event.version === studio.version) renderFindings(event.findings);
    else refresh();
  });
  events.addEventListener("changed", (message) => {
    const event = JSON.parse(message.data);
    if (event.version !== studio.version) refresh();
  });
  events.addEventListener("built", (message) => {
    const event = JSON.parse(message.data);
    if (event.scene !== null && event.scene !== undefined) studio.focus = { scene: event.scene, beat: event.beat };
    refresh();
  });
}

window.addEventListener("beforeunload", (event) => {
  if ([...studio.cards.values()].some((card) => card.dirty)) event.preventDefault();
});

refresh().then(connect);
