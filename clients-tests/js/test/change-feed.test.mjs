// The change feed (GET .../changes, text/event-stream) read by a real EventSource client, the npm
// `eventsource` package: events arrive with their action and id; when the connection is cut under
// write load, EventSource reconnects on its own with Last-Event-ID and the server replays what
// the client missed, so every change arrives exactly once, in order.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { EventSource } from "eventsource";
import { remote, unique } from "./helpers.mjs";

const auth = "Basic " + Buffer.from("eve:secret").toString("base64");
const headers = { Authorization: auth, "Content-Type": "application/json" };

async function api(method, path, body) {
  const response = await fetch(remote + path, { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A TCP proxy in front of the server whose open connections the test can cut. */
async function cuttableProxy() {
  const target = new URL(remote);
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${target.pathname}`,
    cut: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => { sockets.forEach((s) => s.destroy()); server.close(resolve); }),
  };
}

function open(url) {
  return new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, Authorization: auth } }),
  });
}

describe("change feed with the eventsource package", () => {
  test("create, update and delete arrive as events with the record's last_modified as id", async () => {
    const bid = unique("feed");
    await api("PUT", `/buckets/${bid}`);
    await api("PUT", `/buckets/${bid}/collections/c`);
    const source = open(`${remote}/buckets/${bid}/collections/c/changes`);
    const seen = [];
    const done = new Promise((resolve, reject) => {
      for (const action of ["create", "update", "delete"]) {
        source.addEventListener(action, (e) => {
          seen.push({ action, id: e.lastEventId, data: JSON.parse(e.data) });
          if (seen.length === 3) resolve();
        });
      }
      source.onerror = (e) => { if (source.readyState === EventSource.CLOSED) reject(e); };
    });
    await new Promise((resolve) => { source.onopen = resolve; });
    const created = await api("PUT", `/buckets/${bid}/collections/c/records/r1`, { data: { n: 1 } });
    const updated = await api("PATCH", `/buckets/${bid}/collections/c/records/r1`, { data: { n: 2 } });
    const deleted = await api("DELETE", `/buckets/${bid}/collections/c/records/r1`);
    await done;
    source.close();
    assert.deepEqual(seen.map((e) => e.action), ["create", "update", "delete"]);
    assert.deepEqual(seen.map((e) => e.id), [created, updated, deleted].map((r) => String(r.data.last_modified)));
    assert.equal(seen[1].data.data.n, 2);
    assert.equal(seen[2].data.data.deleted, true);
  });

  test("a connection cut under write load: EventSource reconnects with Last-Event-ID, nothing missed or doubled", async () => {
    const bid = unique("reconnect");
    await api("PUT", `/buckets/${bid}`);
    await api("PUT", `/buckets/${bid}/collections/c`);
    // The replay reads what storage holds now: a record created and deleted while the client was
    // away comes back as its tombstone only (Kinto's _since does the same). So that every change
    // is still in storage when a replay reads it, each record changes once while the stream is
    // followed: the writers create new records and delete only records made before it opened.
    const old = [];
    for (let k = 0; k < 100; k++) {
      old.push(`old${k}`);
      await api("PUT", `/buckets/${bid}/collections/c/records/old${k}`, { data: { k } });
    }
    const proxy = await cuttableProxy();
    const source = open(`${proxy.url}/buckets/${bid}/collections/c/changes`);
    const received = [];
    let opens = 0;
    let lastWritten = null;
    let resolveAll;
    const all = new Promise((resolve) => { resolveAll = resolve; });
    const onEvent = (e) => {
      received.push(Number(e.lastEventId));
      if (lastWritten !== null && Number(e.lastEventId) === lastWritten) resolveAll();
    };
    for (const action of ["create", "update", "delete"]) source.addEventListener(action, onEvent);
    source.onopen = () => { opens += 1; };
    await new Promise((resolve) => { const poll = setInterval(() => { if (opens) { clearInterval(poll); resolve(); } }, 10); });

    // four writers, at least 240 changes; the open connection is cut twice while they write
    // (the second cut once EventSource has reconnected after the first)
    const written = [];
    let next = 0;
    let cuts = 0;
    const writer = async () => {
      while ((next < 240 || cuts < 2) && next < 5000) {
        const i = next++;
        const r = i % 10 === 9 && old.length
          ? await api("DELETE", `/buckets/${bid}/collections/c/records/${old.shift()}`)
          : await api("PUT", `/buckets/${bid}/collections/c/records/r${i}`, { data: { i } });
        written.push(r.data.last_modified);
        if (cuts < 2 && i >= 80 * (cuts + 1) && opens === cuts + 1) {
          cuts += 1;
          proxy.cut();
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    written.sort((a, b) => a - b);
    lastWritten = written[written.length - 1];
    if (received.includes(lastWritten)) resolveAll();
    await all;
    source.close();
    await proxy.close();
    assert.equal(cuts, 2, "the connection was cut twice");
    assert.ok(opens >= 3, `EventSource reconnected after each cut (opened ${opens} times)`);
    assert.deepEqual(received, written, "every change once, in commit order");
  });
});
