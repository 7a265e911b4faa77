// testhub-http-uploads.test.mjs: HTTP-level tests of hubd-testhub: preupload,
// LFS batch (basic and multipart) and commit. Helpers and the fixture repo
// MAIN: testhub-http-lib.mjs.
//
// Run: meson test -C <build> --suite testhub   (no npm packages needed)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import {
	BIG,
	CHUNK,
	HELLO2,
	HELLO_PR,
	MAIN,
	alice,
	api,
	authHeaders,
	b64,
	bob,
	commit,
	commitRaw,
	createRepo,
	fx,
	headOf,
	hub,
	hubError,
	isHex,
	lfsBatch,
	lfsUpload,
	ndjson,
	ok,
	port,
	readToken,
	rejected4xx,
	resolve,
	startHubWithMain,
	stopHub,
} from "./testhub-http-lib.mjs";
import { MiB, gitBlobSha1, lfsPointer, pseudoRandomBytes, sha256, uniq } from "./testhub.mjs";

describe("hubd-testhub HTTP: uploads", () => {
	before(async () => {
		await startHubWithMain();
		// The preupload and create_pr tests below read refs that the refs tests
		// (testhub-http-refs.test.mjs) create on their own server. Made here as
		// those tests make them: tag v1 at fx.c1, and the pull request refs/pr/1
		// changing hello.txt to HELLO_PR, its commit in fx.pr.
		const v1 = await api(`/api/models/${MAIN}/tag/${fx.c1}`, { method: "POST", token: alice.token, json: { tag: "v1", message: "first" } });
		assert.equal(v1.status, 200, `tag v1: ${await v1.text()}`);
		fx.pr = (await commit(MAIN, { summary: "PR change", files: { "hello.txt": HELLO_PR }, createPr: true })).commitOid;
	});
	after(stopHub);

	/* ---- uploads --------------------------------------------------------- */
	describe("preupload, LFS batch, commit", () => {
		it("preupload modes: regular text, >10 MiB lfs, .gitattributes lfs, NUL sample lfs, empty regular, existing oids", async () => {
			const text = Buffer.from("hello world\n");
			const res = await api(`/api/models/${MAIN}/preupload/main`, {
				method: "POST",
				token: alice.token,
				json: {
					files: [
						{ path: "new.txt", size: text.length, sample: b64(text) },
						{ path: "huge.txt", size: 11 * MiB, sample: b64(Buffer.from("a".repeat(512))) },
						{ path: "weights.safetensors", size: 100, sample: b64(Buffer.from("not really")) },
						{ path: "blob.dat", size: 2 * MiB, sample: b64(Buffer.from([1, 0, 2, 0, 3, 0])) },
						{ path: "empty.txt", size: 0, sample: "" },
						{ path: "empty.bin", size: 0, sample: "" },
						{ path: "hello.txt", size: HELLO2.length, sample: b64(HELLO2) },
						{ path: "big.dat", size: BIG.length, sample: b64(BIG.subarray(0, 512)) },
					],
				},
			});
			const body = await ok(res, "preupload");
			assert.equal(body.commitOid, fx.c2);
			const by = Object.fromEntries(body.files.map((f) => [f.path, f]));
			const expect = {
				"new.txt": "regular",
				"huge.txt": "lfs",
				"weights.safetensors": "lfs",
				"blob.dat": "lfs",
				"empty.txt": "regular",
				"empty.bin": "regular",
				"hello.txt": "regular",
				"big.dat": "lfs",
			};
			for (const [p, mode] of Object.entries(expect)) {
				assert.equal(by[p]?.uploadMode, mode, `${p} uploadMode`);
				assert.equal(by[p].shouldIgnore, false, `${p} shouldIgnore`);
			}
			assert.equal(by["new.txt"].oid, undefined, "oid only for existing paths");
			assert.equal(by["hello.txt"].oid, gitBlobSha1(HELLO2));
			assert.equal(by["big.dat"].oid, sha256(BIG));
			const pr = await ok(
				await api(`/api/models/${MAIN}/preupload/${encodeURIComponent("refs/pr/1")}`, {
					method: "POST",
					token: alice.token,
					json: { files: [{ path: "hello.txt", size: 1, sample: b64("x") }] },
				}),
				"preupload on the PR",
			);
			assert.equal(pr.commitOid, fx.pr);
			assert.equal(pr.files[0].oid, gitBlobSha1(HELLO_PR));
			await hubError(
				await api(`/api/models/${MAIN}/preupload/main`, { method: "POST", token: alice.token, json: { files: "nope" } }),
				400,
				{ what: "files not an array", requireMessageHeader: false },
			);
			const bobs = await api(`/api/models/${MAIN}/preupload/main`, {
				method: "POST",
				token: bob.token,
				json: { files: [{ path: "a.txt", size: 1, sample: b64("a") }] },
			});
			await hubError(bobs, 403, { what: "bob preuploads" });
		});
		it("preupload honours gitIgnore (shouldIgnore) and a committed .gitattributes (gitAttributes)", async () => {
			const body = await ok(
				await api(`/api/models/${MAIN}/preupload/main`, {
					method: "POST",
					token: alice.token,
					json: {
						files: [
							{ path: "run.log", size: 3, sample: b64("abc") },
							{ path: "keep.txt", size: 3, sample: b64("abc") },
							{ path: "tiny.dat", size: 3, sample: b64("abc") },
						],
						gitIgnore: "*.log\n",
						gitAttributes: "*.dat filter=lfs diff=lfs merge=lfs -text\n",
					},
				}),
				"preupload gitIgnore",
			);
			const by = Object.fromEntries(body.files.map((f) => [f.path, f]));
			assert.equal(by["run.log"].shouldIgnore, true);
			assert.equal(by["keep.txt"].shouldIgnore, false);
			assert.equal(by["keep.txt"].uploadMode, "regular");
			assert.equal(by["tiny.dat"].uploadMode, "lfs");
		});
		it("a read token cannot write (commit, preupload, LFS batch, branch, tag, settings, delete)", { skip: !readToken && "no read token" }, async () => {
			assert.equal(readToken.user.name, alice.name, "the read token used here must be alice's");
			const t = readToken.token;
			const line = ndjson([{ key: "header", value: { summary: "ro", description: "" } }, { key: "file", value: { path: "ro.txt", content: b64("x"), encoding: "base64" } }]);
			await hubError(await commitRaw(MAIN, line, { token: t }), 403, { what: "read token commit" });
			await hubError(
				await api(`/api/models/${MAIN}/preupload/main`, { method: "POST", token: t, json: { files: [{ path: "a", size: 1, sample: b64("a") }] } }),
				403,
				{ what: "read token preupload" },
			);
			const batch = await api(`/${MAIN}.git/info/lfs/objects/batch`, {
				method: "POST",
				token: t,
				headers: { "Content-Type": "application/vnd.git-lfs+json", Accept: "application/vnd.git-lfs+json" },
				body: JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid: sha256("x"), size: 1 }] }),
			});
			assert.equal(batch.status, 403, "read token LFS batch upload");
			await batch.arrayBuffer();
			await hubError(await api(`/api/models/${MAIN}/branch/ro`, { method: "POST", token: t }), 403, { what: "read token branch" });
			await hubError(await api(`/api/models/${MAIN}/tag/main`, { method: "POST", token: t, json: { tag: "ro" } }), 403, { what: "read token tag" });
			await hubError(await api(`/api/models/${MAIN}/settings`, { method: "PUT", token: t, json: { private: true } }), 403, { what: "read token settings" });
			await hubError(
				await api("/api/repos/delete", { method: "DELETE", token: t, json: { name: MAIN.split("/")[1], organization: alice.name, type: "model" } }),
				403,
				{ what: "read token delete" },
			);
			// reading is fine
			assert.equal((await resolve(`/${MAIN}/resolve/main/hello.txt`, { token: t })).status, 200);
			assert.equal(await headOf(MAIN), fx.c2);
		});
		it("create_pr against a tag is RevisionNotFound", async () => {
			const r = await commitRaw(
				MAIN,
				ndjson([{ key: "header", value: { summary: "pr on tag", description: "" } }, { key: "file", value: { path: "p.txt", content: b64("p"), encoding: "base64" } }]),
				{ rev: "v1", createPr: true },
			);
			await hubError(r, 404, { code: "RevisionNotFound", what: "create_pr on a tag" });
		});
		it("LFS batch basic: PUT to the CDN, verify, then known objects have no actions", async () => {
			const id = `${alice.name}/${uniq("lfs")}`;
			await createRepo(id);
			const buf = pseudoRandomBytes(200 * 1024, "basic-obj");
			const b = await lfsBatch(id, [buf]);
			assert.equal(b.transfer, "basic");
			const obj = b.objects[0];
			assert.equal(obj.oid, sha256(buf));
			assert.equal(obj.size, buf.length);
			const href = obj.actions?.upload?.href;
			assert.match(href ?? "", /^http:\/\/127\.0\.0\.1:\d+\//);
			assert.notEqual(new URL(href).port, String(port), "uploads go to the CDN origin");
			assert.equal(obj.actions.upload.header?.chunk_size, undefined);
			assert.ok(obj.actions.verify?.href, "no verify action");
			// wrong bytes are refused and not stored
			const wrong = await fetch(href, { method: "PUT", body: pseudoRandomBytes(buf.length, "other") });
			assert.ok(wrong.status >= 400 && wrong.status < 500, `PUT of wrong bytes: ${wrong.status}`);
			await wrong.arrayBuffer();
			assert.ok((await lfsBatch(id, [buf])).objects[0].actions?.upload, "object stored despite wrong bytes");
			// verify before upload fails
			const early = await fetch(obj.actions.verify.href, {
				method: "POST",
				headers: { ...authHeaders(alice.token), "Content-Type": "application/vnd.git-lfs+json" },
				body: JSON.stringify({ oid: obj.oid, size: buf.length }),
			});
			assert.ok(early.status >= 400 && early.status < 500, `verify of a missing object: ${early.status}`);
			await early.arrayBuffer();
			await lfsUpload(id, buf);
			const again = await lfsBatch(id, [buf], { hashAlgo: "sha_256" });
			assert.equal(again.objects[0].actions, undefined, "known object still has actions");
			const c = await commit(id, { lfs: { "x/weights.dat": buf }, summary: "lfs" });
			const ga = await resolve(`/${id}/resolve/main/.gitattributes`);
			assert.match(await ga.text(), /^x\/weights\.dat filter=lfs diff=lfs merge=lfs -text$/m);
			const t = await ok(await api(`/api/models/${id}/tree/main/x`), "tree");
			assert.deepEqual(t[0].lfs, { oid: sha256(buf), size: buf.length, pointerSize: lfsPointer(sha256(buf), buf.length).length });
			assert.match(c.commitOid, isHex(40));
		});
		it("LFS batch multipart: numeric part keys, part ETags, completion", async () => {
			const id = `${alice.name}/${uniq("mp")}`;
			await createRepo(id);
			const buf = pseudoRandomBytes(2 * CHUNK + 777, "mp-obj");
			const b = await lfsBatch(id, [buf]);
			const up = b.objects[0].actions.upload;
			assert.equal(up.header?.chunk_size, String(CHUNK));
			const parts = Object.keys(up.header).filter((k) => /^\d+$/.test(k));
			assert.equal(parts.length, 3);
			for (const p of parts) assert.match(up.header[p], /^http:\/\/127\.0\.0\.1:\d+\//);
			const etags = {};
			for (const p of parts) {
				const i = Number(p) - 1;
				const r = await fetch(up.header[p], { method: "PUT", body: buf.subarray(i * CHUNK, (i + 1) * CHUNK) });
				assert.equal(r.status, 200);
				etags[Number(p)] = r.headers.get("etag");
				assert.ok(etags[Number(p)], "part without ETag");
			}
			const post = (parts) =>
				fetch(up.href, {
					method: "POST",
					headers: { Accept: "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json" },
					body: JSON.stringify({ oid: sha256(buf), parts }),
				});
			const badEtag = await post([1, 2, 3].map((n) => ({ partNumber: n, etag: n === 2 ? '"deadbeef"' : etags[n] })));
			assert.ok(badEtag.status >= 400 && badEtag.status < 500, `completion with a wrong etag: ${badEtag.status}`);
			await badEtag.arrayBuffer();
			const good = await post([1, 2, 3].map((n) => ({ partNumber: n, etag: etags[n] })));
			assert.equal(good.status, 200, await good.clone().text());
			assert.equal((await lfsBatch(id, [buf])).objects[0].actions, undefined);
			await commit(id, { lfs: { "mp.dat": buf } });
			const r = await fetch(`${hub.url}/${id}/resolve/main/mp.dat`);
			assert.equal(sha256(Buffer.from(await r.arrayBuffer())), sha256(buf));
		});
		it("commit: response shape, deletedFile, deletedFolder, parentCommit", async () => {
			const id = `${alice.name}/${uniq("commit")}`;
			await createRepo(id, { type: "dataset" });
			const c1 = await commit(id, {
				type: "dataset",
				files: { "a.txt": Buffer.from("a"), "logs/1.txt": Buffer.from("1"), "logs/2/3.txt": Buffer.from("3") },
			});
			assert.deepEqual(Object.keys(c1).sort(), ["commitOid", "commitUrl", "hookOutput", "success"]);
			assert.equal(c1.commitUrl, `${hub.url}/datasets/${id}/commit/${c1.commitOid}`);
			assert.equal(c1.hookOutput, "");
			assert.equal(c1.success, true);
			const c2 = await commit(id, { type: "dataset", deletes: ["a.txt"], deleteFolders: ["logs/"], files: { "b.txt": Buffer.from("b") }, parentCommit: c1.commitOid });
			const tree = await ok(await api(`/api/datasets/${id}/tree/main?recursive=true`), "tree");
			assert.deepEqual(tree.map((e) => e.path).sort(), [".gitattributes", "b.txt"]);
			// stale parent → 412, nothing committed
			const stale = await commitRaw(
				id,
				ndjson([
					{ key: "header", value: { summary: "stale", description: "", parentCommit: c1.commitOid } },
					{ key: "file", value: { path: "c.txt", content: b64("c"), encoding: "base64" } },
				]),
				{ type: "dataset" },
			);
			await hubError(stale, 412, { what: "stale parentCommit", requireMessageHeader: false });
			assert.equal(await headOf(id, "dataset"), c2.commitOid);
			// deleting a missing file fails, nothing committed
			const missing = await commitRaw(
				id,
				ndjson([{ key: "header", value: { summary: "del", description: "" } }, { key: "deletedFile", value: { path: "nope.txt" } }]),
				{ type: "dataset" },
			);
			await rejected4xx(missing, "delete a missing file");
			assert.equal(await headOf(id, "dataset"), c2.commitOid);
		});
		it("commit referencing an unuploaded LFS object is 400 with the Hub's message", async () => {
			const oid = sha256(Buffer.from(`never uploaded ${Date.now()}`));
			const r = await commitRaw(
				MAIN,
				ndjson([
					{ key: "header", value: { summary: "ghost", description: "" } },
					{ key: "lfsFile", value: { path: "ghost.bin", algo: "sha256", oid, size: 1234 } },
				]),
			);
			const body = await hubError(r, 400, { what: "ghost lfs", message: /LFS pointer pointed to a file that does not exist/ });
			assert.match(body.error, /LFS pointer pointed to a file that does not exist/);
			assert.match(body.error, /ghost\.bin/);
			assert.equal(await headOf(MAIN), fx.c2);
		});
		it("non-LFS file > 10 MiB and writes by others are refused", async () => {
			const big = Buffer.alloc(10 * MiB + 1, 0x61);
			const r = await commitRaw(
				MAIN,
				ndjson([
					{ key: "header", value: { summary: "too big", description: "" } },
					{ key: "file", value: { path: "big.txt", content: b64(big), encoding: "base64" } },
				]),
			);
			await hubError(r, 400, { what: "regular > 10 MiB", requireMessageHeader: false });
			const bobs = await commitRaw(
				MAIN,
				ndjson([{ key: "header", value: { summary: "bob", description: "" } }, { key: "file", value: { path: "b.txt", content: b64("b"), encoding: "base64" } }]),
				{ token: bob.token },
			);
			await hubError(bobs, 403, { what: "bob commits" });
			const anon = await commitRaw(
				MAIN,
				ndjson([{ key: "header", value: { summary: "anon", description: "" } }, { key: "file", value: { path: "b.txt", content: b64("b"), encoding: "base64" } }]),
				{ token: null },
			);
			await hubError(anon, 401, { what: "anonymous commit", requireMessageHeader: false });
			assert.equal(await headOf(MAIN), fx.c2);
		});
	});
});
