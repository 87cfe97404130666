// kinto-http's history features against kinto4j with `includes = [history]` on the main server:
// bucket.listHistory() and the client-side snapshot of listRecords({ at }).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { client, unique } from "./helpers.mjs";

const alice = client("alice");

describe("history", () => {
  test("listHistory: newest first, filters, paging", async () => {
    const bid = unique("hist");
    await alice.createBucket(bid);
    const coll = alice.bucket(bid).collection("c");
    await alice.bucket(bid).createCollection("c");
    await coll.createRecord({ id: "a", n: 1 });
    await coll.updateRecord({ id: "a", n: 2 });
    const all = await alice.bucket(bid).listHistory();
    assert.deepEqual(all.data.map((e) => `${e.action} ${e.resource_name}`),
      ["update record", "create record", "create collection", "create bucket"]);
    const records = await alice.bucket(bid).listHistory({ filters: { resource_name: "record" }, limit: 1, pages: Infinity });
    assert.deepEqual(records.data.map((e) => e.target.data.n), [2, 1]);
  });

  test("listRecords({ at }) rebuilds the collection as it was", async () => {
    const bid = unique("snap");
    await alice.createBucket(bid);
    await alice.bucket(bid).createCollection("c");
    const coll = alice.bucket(bid).collection("c");
    await coll.createRecord({ id: "r1", title: "one" });
    const r2 = (await coll.createRecord({ id: "r2", title: "two" })).data;
    await coll.updateRecord({ id: "r1", title: "one v2" });
    await coll.deleteRecord("r2");
    await coll.createRecord({ id: "r3", title: "three" });

    const then = await coll.listRecords({ at: r2.last_modified });
    assert.deepEqual(then.data.map((r) => [r.id, r.title]), [["r2", "two"], ["r1", "one"]]);
    assert.equal(then.last_modified, String(r2.last_modified));
    const now = await coll.listRecords();
    assert.deepEqual(now.data.map((r) => r.id), ["r3", "r1"]);
  });
});
