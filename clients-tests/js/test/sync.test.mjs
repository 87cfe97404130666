// kinto.js (offline-first sync) against kinto4j: two local databases (two "devices") of the
// same user synchronise one collection through the server.
import "fake-indexeddb/auto";
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import kintoPkg from "kinto";
import { client, remote, unique } from "./helpers.mjs";

const Kinto = kintoPkg.default;
const { SERVER_WINS, CLIENT_WINS, MANUAL } = Kinto.syncStrategy;
const headers = { Authorization: "Basic " + Buffer.from("carol:secret").toString("base64") };

/** A device: its own IndexedDB database, the shared remote bucket and collection. */
function device(name, bucket) {
  const kinto = new Kinto({ remote, bucket, headers, adapterOptions: { dbName: `${bucket}-${name}` } });
  return kinto.collection("tasks");
}

async function titles(collection) {
  const { data } = await collection.list({ order: "title" });
  return data.map((r) => r.title);
}

async function newBucket() {
  const bid = unique("sync");
  const carol = client("carol");
  await carol.createBucket(bid);
  await carol.bucket(bid).createCollection("tasks");
  return bid;
}

describe("kinto.js sync through kinto4j", () => {
  let bid;
  let phone;
  let laptop;

  before(async () => {
    bid = await newBucket();
    phone = device("phone", bid);
    laptop = device("laptop", bid);
  });

  test("records created offline on one device reach the other", async () => {
    await phone.create({ title: "milk" });
    await phone.create({ title: "eggs" });
    const pushed = await phone.sync();
    assert.ok(pushed.ok);
    assert.equal(pushed.published.length, 2);

    const pulled = await laptop.sync();
    assert.ok(pulled.ok);
    assert.equal(pulled.created.length, 2);
    assert.deepEqual(await titles(laptop), ["eggs", "milk"]);

    const remoteRecords = await client("carol").bucket(bid).collection("tasks").listRecords();
    assert.deepEqual(remoteRecords.data.map((r) => r.title).sort(), ["eggs", "milk"]);
  });

  test("updates and deletions travel as changes since the last sync (tombstones)", async () => {
    const { data: local } = await laptop.list();
    const eggs = local.find((r) => r.title === "eggs");
    const milk = local.find((r) => r.title === "milk");
    await laptop.update({ ...milk, title: "oat milk" });
    await laptop.delete(eggs.id);
    const pushed = await laptop.sync();
    assert.ok(pushed.ok);
    assert.equal(pushed.published.length, 2);

    const pulled = await phone.sync();
    assert.ok(pulled.ok);
    assert.equal(pulled.updated.length, 1);
    assert.equal(pulled.deleted.length, 1);
    assert.equal(pulled.deleted[0].id, eggs.id);
    assert.deepEqual(await titles(phone), ["oat milk"]);
    // nothing new: a second sync is a no-op
    const again = await phone.sync();
    assert.ok(again.ok);
    assert.equal(again.created.length + again.updated.length + again.deleted.length, 0);
  });

  test("conflict resolved with SERVER_WINS keeps the server's version", async () => {
    const record = await shared("conflict-server");
    await phone.update({ ...record.phone, title: "phone edit" });
    await laptop.update({ ...record.laptop, title: "laptop edit" });
    assert.ok((await phone.sync()).ok);

    const result = await laptop.sync({ strategy: SERVER_WINS });
    assert.ok(result.ok);
    assert.equal(result.resolved.length, 1);
    assert.equal((await laptop.get(record.id)).data.title, "phone edit");
    const onServer = await client("carol").bucket(bid).collection("tasks").getRecord(record.id);
    assert.equal(onServer.data.title, "phone edit");
  });

  test("conflict resolved with CLIENT_WINS pushes the local version", async () => {
    const record = await shared("conflict-client");
    await phone.update({ ...record.phone, title: "phone edit" });
    await laptop.update({ ...record.laptop, title: "laptop edit" });
    assert.ok((await phone.sync()).ok);

    const result = await laptop.sync({ strategy: CLIENT_WINS });
    assert.ok(result.ok);
    assert.equal(result.resolved.length, 1);
    const onServer = await client("carol").bucket(bid).collection("tasks").getRecord(record.id);
    assert.equal(onServer.data.title, "laptop edit");
    assert.ok((await phone.sync()).ok);
    assert.equal((await phone.get(record.id)).data.title, "laptop edit");
  });

  test("MANUAL strategy reports the conflict; resolve() then sync publishes the choice", async () => {
    const record = await shared("conflict-manual");
    await phone.update({ ...record.phone, title: "phone edit" });
    await laptop.update({ ...record.laptop, title: "laptop edit" });
    assert.ok((await phone.sync()).ok);

    const result = await laptop.sync({ strategy: MANUAL });
    assert.equal(result.ok, false);
    assert.equal(result.conflicts.length, 1);
    const conflict = result.conflicts[0];
    assert.equal(conflict.type, "incoming");
    assert.equal(conflict.local.title, "laptop edit");
    assert.equal(conflict.remote.title, "phone edit");

    await laptop.resolve(conflict, { ...conflict.local, title: "merged edit" });
    assert.ok((await laptop.sync()).ok);
    assert.ok((await phone.sync()).ok);
    assert.equal((await phone.get(record.id)).data.title, "merged edit");
  });

  test("a record deleted on one device and edited on the other: the deletion wins with SERVER_WINS", async () => {
    const record = await shared("delete-vs-edit");
    await phone.delete(record.id);
    assert.ok((await phone.sync()).ok);
    await laptop.update({ ...record.laptop, title: "edited after remote delete" });
    const result = await laptop.sync({ strategy: SERVER_WINS });
    assert.ok(result.ok);
    assert.equal(result.resolved.length, 1);
    assert.equal(result.resolved[0].accepted.deleted, true, "the server's tombstone is accepted");
    assert.equal(result.resolved[0].rejected.title, "edited after remote delete");
    const changes = await client("carol").bucket(bid).collection("tasks").listRecords({ filters: { id: record.id }, since: "0" });
    assert.deepEqual(changes.data.map((r) => r.deleted), [true], "the server still has only the tombstone");
  });

  /** A record created on the phone and synced to the laptop; returns both local copies. */
  async function shared(title) {
    const { data } = await phone.create({ title });
    assert.ok((await phone.sync()).ok);
    assert.ok((await laptop.sync()).ok);
    return { id: data.id, phone: (await phone.get(data.id)).data, laptop: (await laptop.get(data.id)).data };
  }
});
