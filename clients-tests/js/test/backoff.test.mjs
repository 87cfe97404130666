// Against a server configured with `backoff = 30`: every response carries `Backoff: 30`.
// kinto-http emits a "backoff" event and exposes the remaining time; kinto.js then refuses to
// sync unless asked to ignore it.
import "fake-indexeddb/auto";
import { EventEmitter } from "node:events";
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import kintoPkg from "kinto";
import { KintoClient, unique } from "./helpers.mjs";

const Kinto = kintoPkg.default;
const remote = process.env.KINTO4J_BACKOFF_URL;
const headers = { Authorization: "Basic " + Buffer.from("frank:secret").toString("base64") };

describe("Backoff header (backoff = 30)", () => {
  test("kinto-http emits a backoff event with the release time", async () => {
    const events = new EventEmitter();
    const seen = [];
    events.on("backoff", (releaseTime) => seen.push(releaseTime));
    const client = new KintoClient(remote, { headers, events });
    const start = Date.now();
    await client.fetchServerInfo();
    assert.equal(seen.length, 1);
    assert.ok(seen[0] >= start + 29000 && seen[0] <= Date.now() + 30000, "about 30 s from now");
    assert.ok(client.backoff > 25000, "the client knows it should back off");
  });

  test("kinto.js refuses to sync while backing off, unless ignoreBackoff", async () => {
    const bid = unique("backoff");
    const setup = new KintoClient(remote, { headers });
    await setup.createBucket(bid);
    await setup.bucket(bid).createCollection("tasks");
    // kinto.js learns about back-off through its events handler (an EventEmitter in Node)
    const kinto = new Kinto({ remote, bucket: bid, headers, events: new EventEmitter(), adapterOptions: { dbName: bid } });
    const tasks = kinto.collection("tasks");
    await tasks.create({ title: "later" });
    const first = await tasks.sync();
    assert.ok(first.ok, "the first sync learns about the back-off");
    await tasks.create({ title: "even later" });
    await assert.rejects(tasks.sync(), /Server is asking clients to back off; retry in \d+s/);
    const forced = await tasks.sync({ ignoreBackoff: true });
    assert.ok(forced.ok);
    assert.equal(forced.published.length, 1);
  });
});
