// Against a server with paginate_by = 3: every list is paged by the server, and the clients
// must follow Next-Page (kinto-http with pages, kinto.js during sync) to see everything.
import "fake-indexeddb/auto";
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import kintoPkg from "kinto";
import { KintoClient, unique } from "./helpers.mjs";

const Kinto = kintoPkg.default;
const remote = process.env.KINTO4J_PAGINATED_URL;
const headers = { Authorization: "Basic " + Buffer.from("dave:secret").toString("base64") };
const dave = new KintoClient(remote, { headers });

describe("server-side pagination (paginate_by = 3)", () => {
  test("kinto-http: one page by default, everything with pages: Infinity", async () => {
    const bid = unique("paged");
    await dave.createBucket(bid);
    await dave.bucket(bid).createCollection("c");
    const coll = dave.bucket(bid).collection("c");
    await coll.batch((batch) => {
      for (let i = 0; i < 10; i++) batch.createRecord({ n: i });
    });
    const first = await coll.listRecords();
    assert.equal(first.data.length, 3, "paginate_by caps the page");
    assert.equal(first.hasNextPage, true);
    const bigLimit = await coll.listRecords({ limit: 100 });
    assert.equal(bigLimit.data.length, 3, "_limit cannot exceed paginate_by");
    const all = await coll.listRecords({ pages: Infinity, sort: "n" });
    assert.deepEqual(all.data.map((r) => r.n), [...Array(10).keys()]);
    const { data: deleted } = await coll.deleteRecords({ filters: { max_n: 4 } });
    assert.equal(deleted.length, 3, "a plural DELETE is paged too");
  });

  test("kinto.js pulls every page of changes during sync", async () => {
    const bid = unique("paged-sync");
    await dave.createBucket(bid);
    await dave.bucket(bid).createCollection("tasks");
    const source = new Kinto({ remote, bucket: bid, headers, adapterOptions: { dbName: `${bid}-a` } })
      .collection("tasks");
    for (let i = 0; i < 11; i++) await source.create({ title: `task ${i}` });
    const pushed = await source.sync();
    assert.ok(pushed.ok);
    assert.equal(pushed.published.length, 11);

    const target = new Kinto({ remote, bucket: bid, headers, adapterOptions: { dbName: `${bid}-b` } })
      .collection("tasks");
    const pulled = await target.sync();
    assert.ok(pulled.ok);
    assert.equal(pulled.created.length, 11);
    assert.equal((await target.list()).data.length, 11);
  });
});
