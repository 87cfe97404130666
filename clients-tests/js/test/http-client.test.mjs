// kinto-http (the official HTTP client) against kinto4j, used as its README shows.
import { test, describe, before } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { client, remote, unique } from "./helpers.mjs";

const alice = client("alice");
const bob = client("bob");
const anonymous = client(null);

let aliceId;
let bobId;

before(async () => {
  aliceId = (await alice.fetchUser()).id;
  bobId = (await bob.fetchUser()).id;
});

describe("server info", () => {
  test("hello: API version 1.23, capabilities and the authenticated user", async () => {
    const info = await alice.fetchServerInfo();
    assert.equal(info.http_api_version, "1.23");
    assert.equal(info.url, remote + "/");
    assert.ok(info.capabilities.permissions_endpoint, "permissions_endpoint capability");
    assert.ok(info.capabilities.schema, "schema capability");
    assert.match(aliceId, /^basicauth:[0-9a-f]{64}$/);
    assert.deepEqual(info.user.principals.slice(0, 3), [aliceId, "system.Everyone", "system.Authenticated"]);
    assert.equal(await alice.fetchHTTPApiVersion(), "1.23");
    assert.equal((await alice.fetchServerSettings()).batch_max_requests, 25);
  });
});

describe("buckets, collections and records", () => {
  test("CRUD with the creator as writer", async () => {
    const bid = unique("crud");
    const created = await alice.createBucket(bid, { data: { title: "mine" } });
    assert.equal(created.data.id, bid);
    assert.deepEqual(created.permissions.write, [aliceId]);
    const bucket = alice.bucket(bid);
    assert.equal((await bucket.getData()).title, "mine");

    await bucket.createCollection("tasks", { data: { label: "Tasks" } });
    const tasks = bucket.collection("tasks");
    assert.equal((await tasks.getData()).label, "Tasks");

    const { data: milk } = await tasks.createRecord({ title: "milk", done: false });
    assert.match(milk.id, /^[0-9a-f-]{36}$/);
    assert.equal(typeof milk.last_modified, "number");
    assert.deepEqual((await tasks.getRecord(milk.id)).data, milk);

    const { data: replaced } = await tasks.updateRecord({ id: milk.id, title: "bread" });
    assert.equal(replaced.title, "bread");
    assert.equal(replaced.done, undefined, "PUT replaces the whole record");
    assert.ok(replaced.last_modified > milk.last_modified);

    const { data: patched } = await tasks.updateRecord({ id: milk.id, done: true }, { patch: true });
    assert.equal(patched.title, "bread", "PATCH keeps the other fields");
    assert.equal(patched.done, true);

    const { data: tombstone } = await tasks.deleteRecord(milk.id);
    assert.deepEqual(Object.keys(tombstone).sort(), ["deleted", "id", "last_modified"]);
    await assert.rejects(tasks.getRecord(milk.id), (e) => e.data.code === 404 && e.data.errno === 110);

    const collections = await bucket.listCollections();
    assert.deepEqual(collections.data.map((c) => c.id), ["tasks"]);
    await bucket.deleteCollection("tasks");
    assert.deepEqual((await bucket.listCollections()).data, []);
    await alice.deleteBucket(bid);
    await assert.rejects(alice.bucket(bid).getData(), (e) => e.data.code === 403);
  });

  test("safe writes: If-None-Match and If-Match conflicts come back as 412 with the existing record", async () => {
    const bid = unique("safe");
    await alice.createBucket(bid);
    const coll = alice.bucket(bid).collection("c");
    await alice.bucket(bid).createCollection("c");
    const { data: rec } = await coll.createRecord({ id: "r1", n: 1 }, { safe: true });
    await assert.rejects(coll.createRecord({ id: "r1", n: 2 }, { safe: true }), (e) => {
      assert.equal(e.data.code, 412);
      assert.equal(e.data.errno, 114);
      assert.equal(e.data.details.existing.n, 1);
      return true;
    });
    const { data: v2 } = await coll.updateRecord({ ...rec, n: 2 }, { safe: true });
    await assert.rejects(coll.updateRecord({ ...rec, n: 3 }, { safe: true }), (e) => e.data.code === 412);
    await assert.rejects(coll.deleteRecord(rec.id, { safe: true, last_modified: rec.last_modified }),
      (e) => e.data.code === 412);
    await coll.deleteRecord(rec.id, { safe: true, last_modified: v2.last_modified });
  });

  test("listRecords: sort, filters, fields, since with tombstones, Total-Records", async () => {
    const bid = unique("list");
    await alice.createBucket(bid);
    await alice.bucket(bid).createCollection("c");
    const coll = alice.bucket(bid).collection("c");
    for (const [i, tag] of ["a", "b", "a", "c", "b"].entries()) {
      await coll.createRecord({ id: `r${i}`, n: i, tag, nested: { v: 10 - i } });
    }
    const all = await coll.listRecords();
    assert.deepEqual(all.data.map((r) => r.id), ["r4", "r3", "r2", "r1", "r0"], "default order -last_modified");
    const etag = all.last_modified;

    const sorted = await coll.listRecords({ sort: "tag,-n" });
    assert.deepEqual(sorted.data.map((r) => r.id), ["r2", "r0", "r4", "r1", "r3"]);
    const filtered = await coll.listRecords({ filters: { tag: "a", min_n: 1 } });
    assert.deepEqual(filtered.data.map((r) => r.id), ["r2"]);
    const inList = await coll.listRecords({ filters: { in_id: ["r1", "r3"] } });
    assert.deepEqual(inList.data.map((r) => r.id), ["r3", "r1"]);
    const nested = await coll.listRecords({ filters: { "lt_nested.v": 8 } });
    assert.deepEqual(nested.data.map((r) => r.id), ["r4", "r3"]);
    const projected = await coll.listRecords({ fields: ["tag"], filters: { id: "r0" } });
    assert.deepEqual(Object.keys(projected.data[0]).sort(), ["id", "last_modified", "tag"]);

    assert.equal(await coll.getTotalRecords(), 5);
    await coll.deleteRecord("r0");
    await coll.updateRecord({ id: "r1", n: 100, tag: "b" });
    const changes = await coll.listRecords({ since: etag });
    assert.deepEqual(changes.data.map((r) => [r.id, !!r.deleted]), [["r1", false], ["r0", true]]);
    assert.equal(await coll.getTotalRecords(), 4, "tombstones are not counted");
    assert.equal(await coll.getRecordsTimestamp(), `"${changes.last_modified}"`, "the raw ETag");

    // the deprecated _to parameter: Kinto's Alert header becomes kinto-http's "deprecated" event
    const events = new EventEmitter();
    const alerts = [];
    events.on("deprecated", (alert) => alerts.push(alert));
    const watched = client("alice", { events }).bucket(bid).collection("c");
    const upTo = await watched.listRecords({ filters: { _to: changes.last_modified } });
    assert.ok(upTo.data.every((r) => r.last_modified < Number(changes.last_modified)));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].code, "soft-eol");
    assert.equal(alerts[0].message, "_to is now deprecated, you should use _before instead");
  });

  test("pagination: limit, hasNextPage, next() and pages: Infinity", async () => {
    const bid = unique("pages");
    await alice.createBucket(bid);
    await alice.bucket(bid).createCollection("c");
    const coll = alice.bucket(bid).collection("c");
    await alice.batch((batch) => {
      for (let i = 0; i < 23; i++) {
        batch.bucket(bid).collection("c").createRecord({ n: i });
      }
    });
    const first = await coll.listRecords({ limit: 10 });
    assert.equal(first.data.length, 10);
    assert.equal(first.hasNextPage, true);
    const second = await first.next();
    assert.equal(second.data.length, 10);
    const third = await second.next();
    assert.equal(third.data.length, 3);
    assert.equal(third.hasNextPage, false);
    const seen = [...first.data, ...second.data, ...third.data].map((r) => r.n);
    assert.deepEqual(seen, [...Array(23).keys()].reverse());

    const everything = await coll.listRecords({ limit: 4, pages: Infinity, sort: "n" });
    assert.deepEqual(everything.data.map((r) => r.n), [...Array(23).keys()]);
  });

  test("deleteRecords with filters deletes only the matching records", async () => {
    const bid = unique("deletes");
    await alice.createBucket(bid);
    await alice.bucket(bid).createCollection("c");
    const coll = alice.bucket(bid).collection("c");
    for (let i = 0; i < 6; i++) {
      await coll.createRecord({ id: `r${i}`, even: i % 2 === 0 });
    }
    const { data: deleted } = await coll.deleteRecords({ filters: { even: true } });
    assert.deepEqual(deleted.map((r) => r.id).sort(), ["r0", "r2", "r4"]);
    assert.ok(deleted.every((r) => r.deleted === true));
    assert.deepEqual((await coll.listRecords()).data.map((r) => r.id), ["r5", "r3", "r1"]);
  });

  test("schema validation errors surface with Kinto's details", async () => {
    const bid = unique("schema");
    await alice.createBucket(bid);
    const schema = { type: "object", properties: { title: { type: "string" } }, required: ["title"] };
    await alice.bucket(bid).createCollection("c", { data: { schema } });
    const coll = alice.bucket(bid).collection("c");
    await assert.rejects(coll.createRecord({ body: "no title" }), (e) => {
      assert.equal(e.data.code, 400);
      assert.equal(e.data.errno, 107);
      assert.equal(e.data.message, "'title' is a required property");
      assert.deepEqual(e.data.details, [
        { location: "body", name: "title", description: "'title' is a required property" },
      ]);
      return true;
    });
    const { data } = await coll.createRecord({ title: "ok" });
    const collection = await alice.bucket(bid).collection("c").getData();
    assert.equal(data.schema, collection.last_modified, "records are stamped with the schema version");
  });
});

describe("plural operations", () => {
  test("listBuckets, getCollectionsTimestamp and deleteBuckets only touch the caller's buckets", async () => {
    const erin = client("erin");
    const { data: generated } = await erin.createBucket(null);
    assert.match(generated.id, /^[a-zA-Z0-9][a-zA-Z0-9_-]{7}$/, "a generated 8-character id");
    const named = unique("erin");
    await erin.createBucket(named);
    const listed = (await erin.listBuckets({ pages: Infinity })).data.map((b) => b.id);
    assert.ok(listed.includes(generated.id) && listed.includes(named));

    const before = await erin.bucket(named).getCollectionsTimestamp();
    await erin.bucket(named).createCollection("c");
    const after = await erin.bucket(named).getCollectionsTimestamp();
    assert.ok(Number(after.replace(/"/g, "")) > Number(before.replace(/"/g, "")));

    const aliceBid = unique("kept");
    await alice.createBucket(aliceBid);
    // plural DELETE /buckets: only the buckets erin may write (her own) are deleted
    const { data: deleted } = await erin.deleteBuckets();
    const deletedIds = deleted.map((b) => b.id);
    assert.ok(deletedIds.includes(generated.id) && deletedIds.includes(named));
    assert.ok(!deletedIds.includes(aliceBid));
    assert.ok(deleted.every((b) => b.deleted));
    const remaining = (await erin.listBuckets({ pages: Infinity })).data.map((b) => b.id);
    assert.ok(!remaining.includes(generated.id) && !remaining.includes(named));
    assert.equal((await alice.bucket(aliceBid).getData()).id, aliceBid, "alice's bucket is untouched");
  });
});

describe("permissions", () => {
  test("setPermissions / getPermissions / addPermissions / removePermissions", async () => {
    const bid = unique("perms");
    await alice.createBucket(bid);
    const bucket = alice.bucket(bid);
    await bucket.setPermissions({ read: [bobId] });
    assert.deepEqual(await bucket.getPermissions(), { read: [bobId], write: [aliceId] });

    await bucket.addPermissions({ "collection:create": ["system.Authenticated"] });
    const afterAdd = await bucket.getPermissions();
    assert.deepEqual(afterAdd["collection:create"], ["system.Authenticated"]);
    assert.deepEqual(afterAdd.read, [bobId]);

    await bucket.removePermissions({ read: [bobId] });
    const afterRemove = await bucket.getPermissions();
    assert.equal((afterRemove.read ?? []).length, 0);
    assert.deepEqual(afterRemove.write, [aliceId], "the editor stays a writer");

    // bob may now create collections in alice's bucket, but not read her other ones
    await bob.bucket(bid).createCollection("bobs");
    await bucket.createCollection("alices");
    const bobView = await bob.bucket(bid).listCollections();
    assert.deepEqual(bobView.data.map((c) => c.id), ["bobs"], "bob lists only what is shared with him");
    await assert.rejects(bob.bucket(bid).collection("alices").getData(), (e) => e.data.code === 403);
  });

  test("records shared with another user, read-only", async () => {
    const bid = unique("share");
    await alice.createBucket(bid);
    await alice.bucket(bid).createCollection("c");
    const coll = alice.bucket(bid).collection("c");
    await coll.createRecord({ id: "shared", v: 1 }, { permissions: { read: [bobId] } });
    await coll.createRecord({ id: "private", v: 2 });
    const bobColl = bob.bucket(bid).collection("c");
    const seen = await bobColl.getRecord("shared");
    assert.equal(seen.data.v, 1);
    assert.deepEqual(seen.permissions, {}, "readers do not see the ACL");
    assert.deepEqual((await bobColl.listRecords()).data.map((r) => r.id), ["shared"]);
    await assert.rejects(bobColl.updateRecord({ id: "shared", v: 3 }), (e) => e.data.code === 403);
    await assert.rejects(anonymous.bucket(bid).collection("c").getRecord("shared"),
      (e) => e.data.code === 401 && e.data.errno === 104);
  });

  test("groups are principals: a member gets access through the group", async () => {
    const bid = unique("groups");
    await alice.createBucket(bid);
    const bucket = alice.bucket(bid);
    await bucket.createCollection("notes");
    const notes = bucket.collection("notes");
    await notes.createRecord({ id: "n1", text: "hello" });

    await assert.rejects(bob.bucket(bid).collection("notes").listRecords(), (e) => e.data.code === 403);
    const { data: group } = await bucket.createGroup("editors", [bobId]);
    assert.deepEqual(group.members, [bobId]);
    await notes.setPermissions({ write: [`/buckets/${bid}/groups/editors`] });

    const bobUser = await bob.fetchUser();
    assert.ok(bobUser.principals.includes(`/buckets/${bid}/groups/editors`), "hello lists the group principal");
    const bobNotes = bob.bucket(bid).collection("notes");
    assert.equal((await bobNotes.getRecord("n1")).data.text, "hello");
    await bobNotes.updateRecord({ id: "n1", text: "edited by bob" });

    await bobNotes.createRecord({ id: "n2", text: "by bob" });

    await bucket.updateGroup({ id: "editors", members: [] });
    assert.ok(!(await bob.fetchUser()).principals.includes(`/buckets/${bid}/groups/editors`));
    await assert.rejects(bobNotes.createRecord({ text: "no longer" }), (e) => e.data.code === 403);
    assert.deepEqual((await bobNotes.listRecords()).data.map((r) => r.id).sort(), ["n1", "n2"],
      "bob keeps what he wrote himself: Kinto adds every editor to the record's write ACE");
    const groups = await bucket.listGroups();
    assert.deepEqual(groups.data.map((g) => g.id), ["editors"]);
    await bucket.deleteGroup("editors");
    assert.deepEqual((await bucket.listGroups()).data, []);
  });

  test("listPermissions lists every object the user holds a permission on", async () => {
    const bid = unique("list-perms");
    await alice.createBucket(bid);
    await alice.bucket(bid).createCollection("c", { permissions: { read: [bobId] } });
    const mine = await alice.listPermissions({ pages: Infinity, filters: { bucket_id: bid } });
    const byUri = Object.fromEntries(mine.data.map((e) => [e.uri, e]));
    assert.deepEqual(byUri[`/buckets/${bid}`].permissions.sort(),
      ["collection:create", "group:create", "read", "read:attributes", "write"]);
    assert.equal(byUri[`/buckets/${bid}/collections/c`].collection_id, "c");

    const bobs = await bob.listPermissions({ pages: Infinity, filters: { bucket_id: bid } });
    assert.deepEqual(bobs.data.map((e) => [e.uri, e.permissions.sort()]),
      [[`/buckets/${bid}/collections/c`, ["read", "read:attributes"]]]);
    const root = await bob.listPermissions({ filters: { resource_name: "root" } });
    assert.deepEqual(root.data, [{ uri: "/", resource_name: "root", permissions: ["bucket:create"] }]);
  });
});

describe("batch", () => {
  test("one request, one response per operation, in order; aggregate mode", async () => {
    const bid = unique("bat"); // a path containing "/batch" would be refused as a recursive batch
    const responses = await alice.batch((batch) => {
      batch.createBucket(bid);
      batch.bucket(bid).createCollection("c");
      batch.bucket(bid).collection("c").createRecord({ id: "a", n: 1 });
      batch.bucket(bid).collection("c").createRecord({ id: "b", n: 2 });
      batch.bucket(bid).collection("c").getRecord("missing");
    });
    assert.deepEqual(responses.map((r) => r.status), [201, 201, 201, 201, 404]);
    assert.equal(responses[2].body.data.id, "a");
    assert.equal(responses[4].body.errno, 110);

    const coll = alice.bucket(bid).collection("c");
    const { data: a } = await coll.getRecord("a");
    const result = await coll.batch((batch) => {
      batch.updateRecord({ id: "a", n: 10 }, { safe: true, last_modified: a.last_modified - 1 });
      batch.createRecord({ id: "c", n: 3 });
      batch.deleteRecord("b");
    }, { aggregate: true });
    assert.equal(result.conflicts.length, 1, "the stale update is a 412 conflict");
    assert.equal(result.conflicts[0].remote.n, 1);
    assert.equal(result.published.length, 2, "the other operations were committed");
    assert.deepEqual((await coll.listRecords({ sort: "id" })).data.map((r) => r.id), ["a", "c"]);
  });
});
