// testhub-http-refs.test.mjs: HTTP-level tests of hubd-testhub: branches,
// tags, pull-request refs and the commits listing, then resolve/raw by those
// revisions. The resolve tests read the refs that the refs tests create, so
// both groups stay in this file, in this order. Helpers and the fixture repo
// MAIN: testhub-http-lib.mjs.
//
// Run: meson test -C <build> --suite testhub   (no npm packages needed)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import {
	BAD_TOKEN,
	BIG,
	CHUNK,
	HELLO1,
	HELLO2,
	HELLO_PR,
	MAIN,
	SMALL_BIN,
	alice,
	api,
	authHeaders,
	bob,
	commit,
	fx,
	headOf,
	hub,
	hubError,
	isHex,
	ok,
	port,
	resolve,
	startHubWithMain,
	stopHub,
} from "./testhub-http-lib.mjs";
import { gitBlobSha1, lfsPointer, sha256 } from "./testhub.mjs";

describe("hubd-testhub HTTP: refs and resolve", () => {
	before(startHubWithMain);
	after(stopHub);

	/* ---- refs, commits, branches, tags ---------------------------------- */
	describe("refs, commits, branches, tags", () => {
		it("branch create (409 on exists), tag create (409 on exists), refs", async () => {
			let r = await api(`/api/models/${MAIN}/branch/dev`, { method: "POST", token: alice.token, json: { startingPoint: fx.c1 } });
			assert.equal(r.status, 200, `branch: ${await r.text()}`);
			r = await api(`/api/models/${MAIN}/branch/dev`, { method: "POST", token: alice.token, json: { startingPoint: fx.c1 } });
			await hubError(r, 409, { what: "branch exists" });
			r = await api(`/api/models/${MAIN}/branch/${encodeURIComponent("feature/x")}`, { method: "POST", token: alice.token });
			assert.equal(r.status, 200, `branch feature/x: ${await r.text()}`);
			r = await api(`/api/models/${MAIN}/branch/other`, { method: "POST", token: alice.token, json: { startingPoint: "no-such-rev" } });
			assert.ok(r.status === 400 || r.status === 404, `branch from a bad starting point: ${r.status}`);
			await r.arrayBuffer();
			r = await api(`/api/models/${MAIN}/branch/bobs`, { method: "POST", token: bob.token });
			await hubError(r, 403, { what: "bob creates a branch" });

			r = await api(`/api/models/${MAIN}/tag/${fx.c1}`, { method: "POST", token: alice.token, json: { tag: "v1", message: "first" } });
			assert.equal(r.status, 200, `tag: ${await r.text()}`);
			r = await api(`/api/models/${MAIN}/tag/main`, { method: "POST", token: alice.token, json: { tag: "v1" } });
			await hubError(r, 409, { what: "tag exists" });
			r = await api(`/api/models/${MAIN}/tag/main`, { method: "POST", token: alice.token, json: { tag: "tmp" } });
			assert.equal(r.status, 200);

			const refs = await ok(await api(`/api/models/${MAIN}/refs`), "refs");
			const br = Object.fromEntries(refs.branches.map((b) => [b.name, b]));
			assert.deepEqual(br.main, { name: "main", ref: "refs/heads/main", targetCommit: fx.c2 });
			assert.deepEqual(br.dev, { name: "dev", ref: "refs/heads/dev", targetCommit: fx.c1 });
			assert.deepEqual(br["feature/x"], { name: "feature/x", ref: "refs/heads/feature/x", targetCommit: fx.c2 });
			const tg = Object.fromEntries(refs.tags.map((t) => [t.name, t]));
			assert.deepEqual(tg.v1, { name: "v1", ref: "refs/tags/v1", targetCommit: fx.c1 });
			assert.equal(tg.tmp.targetCommit, fx.c2);
			assert.ok(Array.isArray(refs.converts));
			assert.equal(refs.pullRequests, undefined, "pullRequests only with include_prs");
		});
		it("branch and tag delete", async () => {
			let r = await api(`/api/models/${MAIN}/branch/${encodeURIComponent("feature/x")}`, { method: "DELETE", token: alice.token });
			assert.equal(r.status, 200);
			r = await api(`/api/models/${MAIN}/branch/${encodeURIComponent("feature/x")}`, { method: "DELETE", token: alice.token });
			await hubError(r, 404, { what: "delete missing branch", requireMessageHeader: false });
			r = await api(`/api/models/${MAIN}/tag/tmp`, { method: "DELETE", token: alice.token });
			assert.equal(r.status, 200);
			await hubError(await api(`/${MAIN}/resolve/tmp/hello.txt`), 404, { code: "RevisionNotFound", what: "deleted tag" });
			const refs = await ok(await api(`/api/models/${MAIN}/refs`), "refs");
			assert.ok(!refs.branches.some((b) => b.name === "feature/x"));
			assert.ok(!refs.tags.some((t) => t.name === "tmp"));
		});
		it("commit ?create_pr=1 opens refs/pr/N and leaves main alone", async () => {
			const res = await commit(MAIN, { summary: "PR change", files: { "hello.txt": HELLO_PR }, createPr: true });
			assert.equal(res.pullRequestUrl, `${hub.url}/${MAIN}/discussions/1`);
			assert.match(res.commitOid, isHex(40));
			fx.pr = res.commitOid;
			assert.equal(await headOf(MAIN), fx.c2, "create_pr moved main");
			const refs = await ok(await api(`/api/models/${MAIN}/refs?include_prs=1`), "refs prs");
			assert.deepEqual(
				refs.pullRequests?.map((p) => ({ ref: p.ref, targetCommit: p.targetCommit })),
				[{ ref: "refs/pr/1", targetCommit: fx.pr }],
			);
		});
		it("commits listing: newest first, X-Total-Count, Link paging", async () => {
			const r = await api(`/api/models/${MAIN}/commits/main`);
			const list = await ok(r, "commits");
			assert.equal(r.headers.get("x-total-count"), "3");
			assert.deepEqual(
				list.map((c) => c.id),
				[fx.c2, fx.c1, fx.init],
			);
			assert.equal(list[0].title, "second hello");
			assert.equal(list[0].authors[0].user, alice.name);
			assert.ok(!isNaN(Date.parse(list[0].date)));
			assert.equal(typeof list[0].message, "string");
			assert.equal(list[2].title, "initial commit");
			assert.equal(list[2].authors[0].user, "system");
			const p1 = await api(`/api/models/${MAIN}/commits/main?limit=1`);
			const one = await ok(p1, "limit=1");
			assert.deepEqual(
				one.map((c) => c.id),
				[fx.c2],
			);
			assert.equal(p1.headers.get("x-total-count"), "3");
			const next = p1.headers.get("link")?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
			assert.ok(next?.startsWith(`${hub.url}/`), `Link: ${p1.headers.get("link")}`);
			assert.deepEqual(
				(await ok(await api(next), "next")).map((c) => c.id),
				[fx.c1],
			);
			const tagged = await api(`/api/models/${MAIN}/commits/v1`);
			assert.equal(tagged.headers.get("x-total-count"), "2");
			assert.equal((await ok(tagged, "commits v1"))[0].id, fx.c1);
			const pr = await ok(await api(`/api/models/${MAIN}/commits/${encodeURIComponent("refs/pr/1")}`), "commits pr");
			assert.equal(pr[0].id, fx.pr);
			await hubError(await api(`/api/models/${MAIN}/commits/nope`), 404, { code: "RevisionNotFound", what: "commits bad rev" });
		});
	});

	/* ---- resolve --------------------------------------------------------- */
	describe("resolve / raw", () => {
		it("HEAD and GET of a regular file: quoted git-sha1 ETag, X-Repo-Commit, Accept-Ranges, Content-Length", async () => {
			const byCommit = await resolve(`/${MAIN}/resolve/${fx.c2}/hello.txt`, { method: "HEAD" });
			assert.equal(byCommit.status, 200, "a commit revision resolves without a redirect");
			assert.equal(byCommit.hops.length, 0);
			for (const path of [`/${MAIN}/resolve/main/hello.txt`, `/${MAIN}/resolve/${fx.c2}/hello.txt`]) {
				for (const method of ["HEAD", "GET"]) {
					const r = await resolve(path, { method, headers: { "Accept-Encoding": "identity" } });
					assert.equal(r.status, 200, `${method} ${path}`);
					for (const h of r.hops) assert.match(h.location, new RegExp(`^/api/resolve-cache/models/${MAIN}/${fx.c2}/hello.txt`));
					assert.equal(r.headers.get("etag"), `"${gitBlobSha1(HELLO2)}"`, "ETag");
					assert.equal(r.headers.get("x-repo-commit"), fx.c2);
					assert.equal(r.headers.get("accept-ranges"), "bytes");
					assert.equal(r.headers.get("content-length"), String(HELLO2.length));
					assert.equal(r.headers.get("x-linked-etag"), null);
					const body = Buffer.from(await r.arrayBuffer());
					assert.deepEqual(body, method === "GET" ? HELLO2 : Buffer.alloc(0));
				}
			}
		});
		it("Range: 206 with Content-Range, suffix and open ranges, 416", async () => {
			const url = `/${MAIN}/resolve/${fx.c2}/hello.txt`;
			const cases = [
				["bytes=2-5", 2, 5],
				["bytes=6-", 6, HELLO2.length - 1],
				["bytes=-4", HELLO2.length - 4, HELLO2.length - 1],
				["bytes=0-0", 0, 0],
				[`bytes=3-${HELLO2.length + 100}`, 3, HELLO2.length - 1],
			];
			for (const [range, a, b] of cases) {
				const r = await resolve(url, { headers: { Range: range } });
				assert.equal(r.status, 206, range);
				assert.equal(r.headers.get("content-range"), `bytes ${a}-${b}/${HELLO2.length}`, range);
				assert.equal(r.headers.get("content-length"), String(b - a + 1), range);
				assert.equal(r.headers.get("etag"), `"${gitBlobSha1(HELLO2)}"`);
				assert.deepEqual(Buffer.from(await r.arrayBuffer()), HELLO2.subarray(a, b + 1), range);
			}
			const bad = await resolve(url, { headers: { Range: `bytes=${HELLO2.length}-` } });
			assert.equal(bad.status, 416);
			assert.equal(bad.headers.get("content-range"), `bytes */${HELLO2.length}`);
			await bad.arrayBuffer();
		});
		it("revision by branch, tag, commit, refs/heads/main and refs%2Fpr%2F1", async () => {
			const cases = [
				["main", fx.c2, HELLO2],
				["dev", fx.c1, HELLO1],
				["v1", fx.c1, HELLO1],
				[fx.c1, fx.c1, HELLO1],
				[encodeURIComponent("refs/heads/main"), fx.c2, HELLO2],
				[encodeURIComponent("refs/pr/1"), fx.pr, HELLO_PR],
			];
			for (const [rev, commitId, content] of cases) {
				const r = await resolve(`/${MAIN}/resolve/${rev}/hello.txt`);
				assert.equal(r.status, 200, rev);
				assert.equal(r.headers.get("x-repo-commit"), commitId, rev);
				assert.equal(r.headers.get("etag"), `"${gitBlobSha1(content)}"`, rev);
				assert.deepEqual(Buffer.from(await r.arrayBuffer()), content, rev);
			}
			// encoded once only (issue #2411)
			await hubError(await api(`/${MAIN}/resolve/refs%252Fpr%252F1/hello.txt`), 404, { code: "RevisionNotFound", what: "double-encoded rev" });
		});
		it("EntryNotFound carries X-Repo-Commit; RevisionNotFound; RepoNotFound", async () => {
			for (const method of ["GET", "HEAD"]) {
				const r = await api(`/${MAIN}/resolve/main/missing.txt`, { method });
				assert.equal(r.status, 404);
				assert.equal(r.headers.get("x-error-code"), "EntryNotFound");
				assert.equal(r.headers.get("x-error-message"), "Entry not found");
				assert.equal(r.headers.get("x-repo-commit"), fx.c2);
				if (method === "GET") assert.equal((await r.json()).error, "Entry not found");
				else await r.arrayBuffer();
			}
			const e2 = await api(`/${MAIN}/resolve/${fx.c1}/dir/missing.txt`);
			assert.equal(e2.headers.get("x-repo-commit"), fx.c1);
			await hubError(e2, 404, { code: "EntryNotFound", what: "missing at c1" });
			await hubError(await api(`/${MAIN}/resolve/no-such-branch/hello.txt`), 404, { code: "RevisionNotFound", what: "bad rev" });
			await hubError(await api(`/${MAIN}/resolve/${"0".repeat(40)}/hello.txt`), 404, { code: "RevisionNotFound", what: "unknown commit" });
			await hubError(await api(`/${alice.name}/nope-${Date.now()}/resolve/main/x`, { token: alice.token }), 404, {
				code: "RepoNotFound",
				what: "missing repo",
			});
			await hubError(await api(`/datasets/${MAIN}/resolve/main/hello.txt`, { token: alice.token }), 404, {
				code: "RepoNotFound",
				what: "model as dataset",
			});
			// a directory is not a file
			await hubError(await api(`/${MAIN}/resolve/main/dir`), 404, { code: "EntryNotFound", what: "resolve a directory" });
		});
		it("raw returns the git blob (pointer text for LFS)", async () => {
			const r = await resolve(`/${MAIN}/raw/main/big.dat`);
			assert.equal(r.status, 200);
			const ptr = lfsPointer(sha256(BIG), BIG.length);
			assert.equal(await r.text(), ptr);
			assert.equal(r.headers.get("etag"), `"${gitBlobSha1(Buffer.from(ptr))}"`);
			const h = await resolve(`/${MAIN}/raw/main/hello.txt`);
			assert.deepEqual(Buffer.from(await h.arrayBuffer()), HELLO2);
		});
		it("LFS: 302 to another port, X-Linked-Etag/Size, no ETag; the CDN serves bytes and ranges without auth", async () => {
			const cdnUrls = [];
			for (const [file, buf] of [
				["big.dat", BIG],
				["small.bin", SMALL_BIN],
			]) {
				for (const method of ["HEAD", "GET"]) {
					const r = await resolve(`/${MAIN}/resolve/main/${file}`, { method, headers: { Range: "bytes=0-0" } });
					assert.equal(r.status, 302, `${method} ${file}`);
					const loc = r.headers.get("location");
					assert.match(loc ?? "", /^http:\/\/127\.0\.0\.1:\d+\//, `absolute Location: ${loc}`);
					assert.notEqual(new URL(loc).port, String(port), "CDN must be another origin");
					assert.equal(r.headers.get("x-linked-etag"), `"${sha256(buf)}"`);
					assert.equal(r.headers.get("x-linked-size"), String(buf.length));
					assert.equal(r.headers.get("x-repo-commit"), fx.c2);
					assert.equal(r.headers.get("etag"), null, "an LFS redirect has no ETag");
					assert.equal(r.headers.get("x-xet-hash"), null);
					const text = await r.text();
					if (method === "GET") assert.ok(text.startsWith("Found. Redirecting to"), `body ${text.slice(0, 80)}`);
					cdnUrls.push([loc, buf]);
				}
			}
			for (const [loc, buf] of cdnUrls) {
				const g = await fetch(loc); // no Authorization
				assert.equal(g.status, 200, loc);
				assert.equal(g.headers.get("content-length"), String(buf.length));
				assert.ok(g.headers.get("etag"), "CDN response without ETag (hfjs needs one)");
				assert.equal(sha256(Buffer.from(await g.arrayBuffer())), sha256(buf));
				const rg = await fetch(loc, { headers: { Range: `bytes=${CHUNK - 3}-${CHUNK + 3}` } });
				if (buf.length > CHUNK + 3) {
					assert.equal(rg.status, 206);
					assert.equal(rg.headers.get("content-range"), `bytes ${CHUNK - 3}-${CHUNK + 3}/${buf.length}`);
					assert.deepEqual(Buffer.from(await rg.arrayBuffer()), buf.subarray(CHUNK - 3, CHUNK + 4));
				} else {
					assert.equal(rg.status, 416);
					await rg.arrayBuffer();
				}
			}
			// the CDN ignores Authorization (a token must not break the signed URL)
			const withAuth = await fetch(cdnUrls[0][0], { headers: authHeaders(BAD_TOKEN) });
			assert.equal(withAuth.status, 200);
			await withAuth.arrayBuffer();
			// a followed redirect delivers the bytes (fetch drops Authorization cross-origin)
			const followed = await fetch(`${hub.url}/${MAIN}/resolve/${fx.c1}/small.bin`, { headers: authHeaders(alice.token) });
			assert.equal(followed.status, 200);
			assert.equal(sha256(Buffer.from(await followed.arrayBuffer())), sha256(SMALL_BIN));
		});
	});
});
