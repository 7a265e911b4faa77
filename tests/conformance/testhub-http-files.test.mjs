// testhub-http-files.test.mjs: HTTP-level tests of hubd-testhub: repo info,
// revisions, tree and paths-info of the fixture repo MAIN. Helpers and the
// fixture: testhub-http-lib.mjs.
//
// Run: meson test -C <build> --suite testhub   (no npm packages needed)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import {
	BIG,
	DEEP,
	HELLO1,
	HELLO2,
	MAIN,
	alice,
	api,
	commit,
	createRepo,
	fx,
	hub,
	hubError,
	isHex,
	ok,
	startHubWithMain,
	stopHub,
} from "./testhub-http-lib.mjs";
import { gitBlobSha1, lfsPointer, sha256, uniq } from "./testhub.mjs";

describe("hubd-testhub HTTP: info, tree, paths-info", () => {
	before(startHubWithMain);
	after(stopHub);

	/* ---- repo info ----------------------------------------------------- */
	describe("GET /api/{type}s/{id}[/revision/{rev}]", () => {
		it("info has id, sha, siblings, cardData from the README front matter", async () => {
			const info = await ok(await api(`/api/models/${MAIN}`), "info");
			assert.equal(info.id, MAIN);
			assert.equal(info.modelId, MAIN);
			assert.match(info._id, isHex(24));
			assert.equal(info.author, alice.name);
			assert.equal(info.sha, fx.c2);
			assert.equal(info.private, false);
			assert.equal(info.gated, false);
			assert.ok(!isNaN(Date.parse(info.lastModified)), "lastModified");
			assert.ok(!isNaN(Date.parse(info.createdAt)), "createdAt");
			assert.deepEqual(
				info.siblings.map((s) => s.rfilename).sort(),
				[".gitattributes", "README.md", "big.dat", "dir/nested.txt", "dir/sub/deep.txt", "hello.txt", "small.bin"],
			);
			assert.equal(info.cardData?.license, "apache-2.0");
			assert.deepEqual(info.cardData?.tags, ["testhub", "http"]);
			assert.equal(info.cardData?.pipeline_tag, "text-generation");
			// the Hub derives pipeline_tag and tags from the card metadata
			assert.equal(info.pipeline_tag, "text-generation", "pipeline_tag not taken from the card");
			assert.ok(Array.isArray(info.tags) && ["testhub", "http"].every((t) => info.tags.includes(t)), `tags ${JSON.stringify(info.tags)}`);
			const byTag = await ok(await api(`/api/models?filter=testhub&author=${alice.name}`), "filter by card tag");
			assert.ok(byTag.some((m) => m.id === MAIN), "filter=<card tag> does not find the repo");
			const byTask = await ok(await api(`/api/models?pipeline_tag=text-generation&author=${alice.name}`), "pipeline_tag filter");
			assert.deepEqual(byTask.map((m) => m.id), [MAIN]);
		});
		it("revision by tag/commit/HEAD/encoded PR ref and blobs=true", async () => {
			assert.equal((await ok(await api(`/api/models/${MAIN}/revision/${fx.c1}`), "rev c1")).sha, fx.c1);
			assert.equal((await ok(await api(`/api/models/${MAIN}/revision/HEAD`), "rev HEAD")).sha, fx.c2);
			assert.equal((await ok(await api(`/api/models/${MAIN}/revision/main`), "rev main")).sha, fx.c2);
			const initInfo = await ok(await api(`/api/models/${MAIN}/revision/${fx.init}`), "rev init");
			assert.deepEqual(
				initInfo.siblings.map((s) => s.rfilename),
				[".gitattributes"],
			);
			const blobs = await ok(await api(`/api/models/${MAIN}?blobs=true`), "blobs");
			const sib = Object.fromEntries(blobs.siblings.map((s) => [s.rfilename, s]));
			assert.equal(sib["hello.txt"].size, HELLO2.length);
			assert.equal(sib["hello.txt"].blobId, gitBlobSha1(HELLO2));
			assert.equal(sib["hello.txt"].lfs, undefined);
			const ptr = lfsPointer(sha256(BIG), BIG.length);
			assert.equal(sib["big.dat"].size, BIG.length);
			assert.equal(sib["big.dat"].blobId, gitBlobSha1(Buffer.from(ptr)));
			assert.deepEqual(sib["big.dat"].lfs, { sha256: sha256(BIG), size: BIG.length, pointerSize: ptr.length });
			const blobsTrue = await ok(await api(`/api/models/${MAIN}?blobs=True`), "blobs=True");
			assert.ok(blobsTrue.siblings.every((s) => typeof s.size === "number"), "blobs=True (requests style) not honoured");
		});
		it("expand restricts the keys", async () => {
			const e = await ok(await api(`/api/models/${MAIN}?expand=sha&expand=private`), "expand");
			assert.equal(e.sha, fx.c2);
			assert.equal(e.private, false);
			assert.equal(e.siblings, undefined, "expand must restrict the response");
			assert.equal(e.cardData, undefined, "expand must restrict the response");
			const e2 = await ok(await api(`/api/models/${MAIN}?expand[]=cardData`), "expand[]");
			assert.equal(e2.cardData?.license, "apache-2.0");
			assert.equal(e2.siblings, undefined);
		});
		it("unknown repo, wrong type and unknown revision", async () => {
			await hubError(await api(`/api/models/${alice.name}/does-not-exist`, { token: alice.token }), 404, { code: "RepoNotFound", what: "missing" });
			await hubError(await api(`/api/models/${alice.name}/does-not-exist`), 401, {
				code: "RepoNotFound",
				message: "Invalid username or password.",
				what: "missing anon",
			});
			await hubError(await api(`/api/datasets/${MAIN}`, { token: alice.token }), 404, { code: "RepoNotFound", what: "model id as dataset" });
			await hubError(await api(`/api/models/${MAIN}/revision/no-such-branch`), 404, { code: "RevisionNotFound", what: "bad rev" });
		});
	});

	/* ---- tree + paths-info ---------------------------------------------- */
	describe("tree and paths-info", () => {
		const bigPtr = () => lfsPointer(sha256(BIG), BIG.length);
		function checkEntries(entries) {
			const by = Object.fromEntries(entries.map((e) => [e.path, e]));
			if (by["hello.txt"]) {
				assert.deepEqual(
					{ ...by["hello.txt"], lastCommit: undefined, securityFileStatus: undefined },
					{ type: "file", path: "hello.txt", size: HELLO2.length, oid: gitBlobSha1(HELLO2), lastCommit: undefined, securityFileStatus: undefined },
				);
			}
			if (by["big.dat"]) {
				const e = by["big.dat"];
				assert.equal(e.type, "file");
				assert.equal(e.size, BIG.length);
				assert.equal(e.oid, gitBlobSha1(Buffer.from(bigPtr())));
				assert.deepEqual(e.lfs, { oid: sha256(BIG), size: BIG.length, pointerSize: bigPtr().length });
				assert.equal(e.xetHash, undefined);
			}
			if (by.dir) {
				assert.equal(by.dir.type, "directory");
				assert.match(by.dir.oid, isHex(40));
			}
			return by;
		}
		it("top level, recursive, sub path, %2F-encoded path", async () => {
			const top = await ok(await api(`/api/models/${MAIN}/tree/main`), "tree");
			assert.deepEqual(top.map((e) => e.path).sort(), [".gitattributes", "README.md", "big.dat", "dir", "hello.txt", "small.bin"]);
			checkEntries(top);
			for (const flag of ["true", "True", "1"]) {
				const rec = await ok(await api(`/api/models/${MAIN}/tree/main?recursive=${flag}&expand=false`), `recursive=${flag}`);
				assert.deepEqual(
					rec.map((e) => e.path).sort(),
					[".gitattributes", "README.md", "big.dat", "dir", "dir/nested.txt", "dir/sub", "dir/sub/deep.txt", "hello.txt", "small.bin"],
					`recursive=${flag}`,
				);
				checkEntries(rec);
			}
			const notRec = await ok(await api(`/api/models/${MAIN}/tree/main?recursive=False`), "recursive=False");
			assert.ok(!notRec.some((e) => e.path.includes("/")), "recursive=False listed nested entries");
			const dir = await ok(await api(`/api/models/${MAIN}/tree/main/dir`), "tree dir");
			assert.deepEqual(dir.map((e) => `${e.type}:${e.path}`).sort(), ["directory:dir/sub", "file:dir/nested.txt"]);
			const enc = await ok(await api(`/api/models/${MAIN}/tree/main/dir%2Fsub`), "tree dir%2Fsub");
			assert.deepEqual(
				enc.map((e) => e.path),
				["dir/sub/deep.txt"],
			);
			const old = await ok(await api(`/api/models/${MAIN}/tree/${fx.c1}`), "tree at c1");
			assert.equal(old.find((e) => e.path === "hello.txt").oid, gitBlobSha1(HELLO1));
		});
		it("expand=true adds lastCommit", async () => {
			const t = await ok(await api(`/api/models/${MAIN}/tree/main?expand=true`), "expand");
			const by = Object.fromEntries(t.map((e) => [e.path, e]));
			assert.equal(by["hello.txt"].lastCommit?.id, fx.c2);
			assert.equal(by["hello.txt"].lastCommit?.title, "second hello");
			assert.ok(!isNaN(Date.parse(by["hello.txt"].lastCommit?.date)));
			assert.equal(by["big.dat"].lastCommit?.id, fx.c1);
		});
		it("missing path and revision", async () => {
			await hubError(await api(`/api/models/${MAIN}/tree/main/no-such-dir`), 404, { code: "EntryNotFound", what: "tree missing path" });
			await hubError(await api(`/api/models/${MAIN}/tree/nope`), 404, { code: "RevisionNotFound", what: "tree bad rev" });
		});
		it("pages with an absolute Link next URL", async () => {
			const id = `${alice.name}/${uniq("many")}`;
			await createRepo(id);
			const N = 1005;
			const files = {};
			for (let i = 0; i < N; i++) files[`f/${String(i).padStart(4, "0")}.txt`] = Buffer.from(`${i}\n`);
			await commit(id, { files, summary: "many" });
			let url = `/api/models/${id}/tree/main/f`;
			const seen = [];
			let pages = 0;
			while (url) {
				const r = await api(url);
				const page = await ok(r, `page ${pages}`);
				pages++;
				assert.ok(page.length > 0 && page.length <= 1000, `page size ${page.length}`);
				seen.push(...page.map((e) => e.path));
				const link = r.headers.get("link");
				const next = link?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
				if (link) assert.ok(next?.startsWith(`${hub.url}/api/models/${id}/tree/main`), `Link not absolute: ${link}`);
				url = next;
				assert.ok(pages < 50, "endless paging");
			}
			assert.ok(pages >= 2, `expected ≥ 2 pages for ${N} entries, got ${pages}`);
			assert.equal(new Set(seen).size, seen.length, "duplicates across pages");
			assert.deepEqual(seen.sort(), Object.keys(files).sort());
			// expand=true pages too, and the cursor keeps the query
			const r = await api(`/api/models/${id}/tree/main/f?expand=true`);
			const first = await ok(r, "expand page");
			assert.ok(first.length < N && r.headers.get("link"), "expand=true listing not paged");
			const next = r.headers.get("link").match(/<([^>]+)>/)[1];
			assert.match(next, /expand=(true|True|1)/, `next URL lost the query: ${next}`);
			const second = await ok(await api(next), "expand page 2");
			assert.ok(second.every((e) => e.lastCommit?.id), "second page lost expand");
			assert.ok(!second.some((e) => first.some((f) => f.path === e.path)), "pages overlap");
		});
		it("paths-info: form and JSON bodies, unknown paths omitted", async () => {
			const form = await api(`/api/models/${MAIN}/paths-info/main`, {
				method: "POST",
				headers: { "Content-Type": "application/x-www-form-urlencoded" },
				body: "paths=hello.txt&paths=big.dat&paths=missing.txt&paths=dir&expand=false",
			});
			const f = await ok(form, "paths-info form");
			assert.deepEqual(f.map((e) => e.path).sort(), ["big.dat", "dir", "hello.txt"]);
			const by = checkEntries(f);
			assert.equal(by["hello.txt"].lastCommit, undefined);
			const j = await ok(
				await api(`/api/models/${MAIN}/paths-info/${fx.c1}`, { method: "POST", json: { paths: ["hello.txt", "dir/sub/deep.txt"], expand: true } }),
				"paths-info json",
			);
			const jb = Object.fromEntries(j.map((e) => [e.path, e]));
			assert.equal(jb["hello.txt"].oid, gitBlobSha1(HELLO1));
			assert.equal(jb["hello.txt"].lastCommit?.id, fx.c1);
			assert.equal(jb["dir/sub/deep.txt"].size, DEEP.length);
			const many = Array.from({ length: 1001 }, (_, i) => `p${i}`);
			const tooMany = await api(`/api/models/${MAIN}/paths-info/main`, { method: "POST", json: { paths: many } });
			await hubError(tooMany, 413, { what: "1001 paths", requireMessageHeader: false });
			const max = await api(`/api/models/${MAIN}/paths-info/main`, { method: "POST", json: { paths: [...many.slice(0, 999), "hello.txt"] } });
			assert.deepEqual((await ok(max, "1000 paths")).map((e) => e.path), ["hello.txt"]);
			const pr = await api(`/api/models/${MAIN}/paths-info/main`, { method: "POST", json: { paths: "hello.txt" } });
			await hubError(pr, 400, { what: "paths not an array", requireMessageHeader: false });
		});
	});
});
