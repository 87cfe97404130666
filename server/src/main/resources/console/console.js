// kinto4j listener console: signs in with Basic auth, polls /v1/__listeners__ (admin_principals
// only), re-queues dead letters, and tails the change feed. No framework, no build step.
"use strict";

const API = location.pathname.replace(/\/__console__\/.*$/, "");
const POLL_MS = 2000;
const TAIL_ROWS = 50;
let auth = null;
let pollTimer = null;
let previous = null; // {at, counts: {name: {delivered, failed}}} for rates
let tailAbort = null;

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function call(method, path) {
  const response = await fetch(API + path, { method, headers: { Authorization: auth } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function age(ms) {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ${Math.floor((ms % 60000) / 1000)} s`;
  return `${(ms / 3600000).toFixed(1)} h`;
}

function rate(name, field, now) {
  if (!previous || !previous.counts[name]) return "";
  const seconds = (now.at - previous.at) / 1000;
  const delta = now.counts[name][field] - previous.counts[name][field];
  return seconds > 0 ? `${(delta / seconds).toFixed(1)}/s` : "";
}

function renderListeners(listeners) {
  const now = { at: Date.now(), counts: {} };
  listeners.forEach((l) => { now.counts[l.name] = { delivered: l.delivered, failed: l.failed }; });
  const rows = listeners.map((l) => {
    const durable = l.delivery === "durable";
    // The endpoint answers "all" for a filter that restricts nothing, else the list.
    const shown = (v) => (Array.isArray(v) ? v.join(", ") : String(v));
    const filters = [`actions: ${shown(l.actions)}`, `resources: ${shown(l.resources)}`];
    for (const key of ["buckets", "collections"]) if (Array.isArray(l[key]) && l[key].length) filters.push(`${key}: ${shown(l[key])}`);
    return el("tr", { "data-name": l.name },
      el("td", {}, el("strong", {}, l.name), el("span", { class: "sub" }, `use = ${l.use}`)),
      el("td", {}, el("span", { class: `badge ${l.delivery}` }, l.delivery)),
      el("td", {}, ...filters.map((f) => el("span", { class: "sub" }, f))),
      el("td", { class: "num" }, l.delivered, el("span", { class: "sub" }, rate(l.name, "delivered", now))),
      el("td", { class: "num" + (l.failed ? " bad" : "") }, l.failed, el("span", { class: "sub" }, rate(l.name, "failed", now))),
      el("td", { class: "num" }, durable ? l.backlog : "—"),
      el("td", { class: "num" }, durable ? age(l.oldest_pending_age_ms) : "—"),
      el("td", { class: "num" + (l.dead_letters ? " bad" : "") }, durable ? l.dead_letters : "—"));
  });
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: 8, class: "hint" }, "No listener instances are configured (event_listeners in server.conf).")));
  $("listeners").tBodies[0].replaceChildren(...rows);
  previous = now;
  $("refreshed").textContent = `updated ${new Date().toLocaleTimeString()}`;
}

async function renderDeadLetters(listeners) {
  const withDead = listeners.filter((l) => l.delivery === "durable" && l.dead_letters > 0);
  $("dead-panel").hidden = withDead.length === 0;
  const blocks = [];
  for (const l of withDead) {
    const detail = (await call("GET", `/__listeners__/${encodeURIComponent(l.name)}`)).data;
    const all = el("button", { class: "small", onclick: () => requeue(l.name) }, "Re-queue all");
    blocks.push(el("div", { class: "dead-head" }, el("h3", {}, `${l.name} · ${l.dead_letters} dead`), all));
    for (const d of detail.dead_letter_events || []) {
      const uri = d.payload && d.payload.uri ? `${d.payload.action} ${d.payload.uri}` : d.id;
      blocks.push(el("div", { class: "dead", "data-event": d.id },
        el("div", { class: "dead-head" },
          el("span", {}, el("strong", {}, uri), el("span", { class: "sub" }, `event ${d.id} · ${d.attempts} attempt${d.attempts === 1 ? "" : "s"} · ${new Date(d.created_at).toLocaleString()}`)),
          el("button", { class: "small requeue", onclick: () => requeue(l.name, d.id) }, "Re-queue")),
        el("pre", { class: "err" }, d.last_error || "(no error recorded)")));
    }
  }
  $("dead-letters").replaceChildren(...blocks);
}

async function requeue(name, eventId) {
  const query = eventId ? `?event_id=${encodeURIComponent(eventId)}` : "";
  try {
    await call("POST", `/__listeners__/${encodeURIComponent(name)}/requeue${query}`);
  } catch (e) {
    $("listeners-error").textContent = `Re-queue failed: ${e.message}`;
  }
  await refresh();
}

async function refresh() {
  try {
    const listeners = (await call("GET", "/__listeners__")).data;
    renderListeners(listeners);
    await renderDeadLetters(listeners);
    $("listeners-error").textContent = "";
  } catch (e) {
    $("listeners-error").textContent = e.message;
  }
}

async function signIn(event) {
  event.preventDefault();
  const user = $("username").value;
  auth = "Basic " + btoa(unescape(encodeURIComponent(`${user}:${$("password").value}`)));
  try {
    await call("GET", "/__listeners__");
  } catch (e) {
    auth = null;
    $("login-error").textContent = e.status === 403
      ? `${user} is not in admin_principals: ${e.message}` : e.message;
    return;
  }
  $("login-error").textContent = "";
  $("whoami").textContent = user;
  for (const id of ["listeners-panel", "tail-panel", "session"]) $(id).hidden = false;
  $("login-panel").hidden = true;
  previous = null;
  await refresh();
  pollTimer = setInterval(refresh, POLL_MS);
}

function signOut() {
  clearInterval(pollTimer);
  stopTail();
  auth = null;
  for (const id of ["listeners-panel", "tail-panel", "dead-panel", "session"]) $(id).hidden = true;
  $("login-panel").hidden = false;
  $("password").value = "";
}

// ---- live tail: the change feed read with fetch (EventSource cannot send Authorization) ----

function addTailRow(action, id, payload) {
  const body = $("tail").tBodies[0];
  const record = `${payload.bucket_id}/${payload.collection_id}/${payload.record_id}`;
  const user = payload.user_id || "—";
  const shortUser = user.length > 24 ? `${user.slice(0, 16)}…${user.slice(-4)}` : user;
  body.prepend(el("tr", {},
    el("td", { class: "nowrap" }, new Date(Number(id)).toLocaleTimeString()),
    el("td", { class: `action-${action}` }, action),
    el("td", { class: "nowrap" }, record),
    el("td", { class: "muted", title: user }, shortUser),
    el("td", { class: "num" }, id)));
  while (body.rows.length > TAIL_ROWS) body.deleteRow(body.rows.length - 1);
}

async function startTail(event) {
  event.preventDefault();
  stopTail();
  const bucket = encodeURIComponent($("tail-bucket").value.trim());
  const collection = $("tail-collection").value.trim();
  const path = collection ? `/buckets/${bucket}/collections/${encodeURIComponent(collection)}/changes` : `/buckets/${bucket}/changes`;
  tailAbort = new AbortController();
  $("tail-stop").disabled = false;
  $("tail-status").textContent = `Following ${path}…`;
  try {
    const response = await fetch(API + path, { headers: { Authorization: auth, Accept: "text/event-stream" }, signal: tailAbort.signal });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.message || `${response.status}`);
    }
    $("tail-status").textContent = `Following ${path}`;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = {};
        for (const line of frame.split("\n")) {
          const colon = line.indexOf(": ");
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
        }
        if (fields.data) addTailRow(fields.event, fields.id, JSON.parse(fields.data));
      }
    }
    $("tail-status").textContent = "The stream ended.";
  } catch (e) {
    if (e.name !== "AbortError") $("tail-status").textContent = `Cannot follow ${path}: ${e.message}`;
  } finally {
    $("tail-stop").disabled = true;
  }
}

function stopTail() {
  if (tailAbort) tailAbort.abort();
  tailAbort = null;
}

$("login").addEventListener("submit", signIn);
$("logout").addEventListener("click", signOut);
$("tail-form").addEventListener("submit", startTail);
$("tail-stop").addEventListener("click", () => { stopTail(); $("tail-status").textContent = "Stopped."; });
document.body.dataset.ready = "yes"; // for tests: the handlers above are attached
