// testhub-http-faults.test.mjs: HTTP-level tests of hubd-testhub: small
// endpoints and parallel load, validate-yaml, malformed requests, the admin
// surface and fault injection. Helpers and the fixture repo MAIN:
// testhub-http-lib.mjs.
//
// Run: meson test -C <build> --suite testhub   (no npm packages needed)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import {
	BIG,
	HELLO2,
	MAIN,
	alice,
	alive,
	api,
	b64,
	commitRaw,
	fx,
	headOf,
	hub,
	jsonBody,
	ndjson,
	ok,
	raw,
	rawGet,
	rawRejected4xx,
	rejected4xx,
	resolve,
	startHubWithMain,
	stopHub,
} from "./testhub-http-lib.mjs";
import { MiB, sha256 } from "./testhub.mjs";

describe("hubd-testhub HTTP: misc, malformed requests, faults", () => {
	before(startHubWithMain);
	after(stopHub);

	describe("misc endpoints and load", () => {
		it("telemetry HEAD and agent-harnesses", async () => {
			const t = await api("/api/telemetry/hubd/download", { method: "HEAD" });
			assert.equal(t.status, 200);
			const h = await ok(await api("/api/agent-harnesses"), "agent-harnesses");
			assert.deepEqual(h, { harnesses: {} });
		});
		it("parallel downloads and API calls all answer correctly", async () => {
			const lfs = await fetch(`${hub.url}/${MAIN}/resolve/main/big.dat`, { redirect: "manual" });
			const loc = lfs.headers.get("location");
			await lfs.arrayBuffer();
			const jobs = [];
			for (let i = 0; i < 24; i++) {
				jobs.push(fetch(loc).then(async (r) => sha256(Buffer.from(await r.arrayBuffer()))));
				jobs.push(resolve(`/${MAIN}/resolve/main/hello.txt`).then(async (r) => sha256(Buffer.from(await r.arrayBuffer()))));
				jobs.push(api(`/api/models/${MAIN}/tree/main?recursive=true`).then(async (r) => (await r.json()).length));
			}
			const out = await Promise.all(jobs);
			for (let i = 0; i < out.length; i += 3) {
				assert.equal(out[i], sha256(BIG));
				assert.equal(out[i + 1], sha256(HELLO2));
				assert.equal(out[i + 2], 9);
			}
		});
	});

	/* ---- validate-yaml --------------------------------------------------- */
	describe("POST /api/validate-yaml", () => {
		const v = (content) => api("/api/validate-yaml", { method: "POST", token: alice.token, json: { content, repoType: "model" } });
		it("valid card → 200 without errors", async () => {
			for (const content of ["---\nlicense: mit\ntags:\n- a\n---\n# Card\n", "# No front matter at all\n"]) {
				const body = await ok(await v(content), "validate ok");
				assert.ok(body.errors === undefined || (Array.isArray(body.errors) && body.errors.length === 0), JSON.stringify(body));
			}
		});
		it("unknown licence → 400 naming the licence field", async () => {
			const r = await v("---\nlicense: definitely-not-a-licence\n---\n# Card\n");
			assert.equal(r.status, 400);
			const body = await jsonBody(r, "bad licence");
			assert.match(JSON.stringify(body), /licen[cs]e/i);
		});
		it("broken YAML → 400", async () => {
			const r = await v("---\nlicense: [mit\ntags: {a\n---\n# Card\n");
			assert.equal(r.status, 400);
			const body = await jsonBody(r, "broken yaml");
			assert.ok(body.error || body.errors?.length, JSON.stringify(body));
		});
	});

	/* ---- malformed requests ----------------------------------------------- */
	describe("malformed requests get a 4xx Hub-style error and the server survives", () => {
		const post = (path, body, contentType = "application/json") =>
			api(path, { method: "POST", token: alice.token, headers: { "Content-Type": contentType }, body });
		it("invalid JSON bodies", async () => {
			const bodies = ["{not json", "[1,2,3]", '"a string"', "", "null", '{"name": 5, "type": "model"}', "\u0000\u0001"];
			for (const b of bodies) {
				await rejected4xx(await post("/api/repos/create", b), `create with ${JSON.stringify(b)}`);
				await alive(`create with ${JSON.stringify(b)}`);
			}
			await rejected4xx(await post(`/api/models/${MAIN}/preupload/main`, "{"), "preupload {");
			await rejected4xx(await post(`/${MAIN}.git/info/lfs/objects/batch`, "{", "application/vnd.git-lfs+json"), "batch {");
			await rejected4xx(await post("/api/validate-yaml", "{"), "validate-yaml {");
			await rejected4xx(await api(`/api/models/${MAIN}/settings`, { method: "PUT", token: alice.token, body: "{" }), "settings {");
			await alive("invalid JSON on several endpoints");
		});
		it("deeply nested JSON", async () => {
			const deep = `{"name":${"[".repeat(100000)}${"]".repeat(100000)}}`;
			await rejected4xx(await post("/api/repos/create", deep), "deep JSON");
			await alive("deep JSON");
			const deepObj = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`;
			await rejected4xx(await post("/api/validate-yaml", deepObj), "deep object");
			await alive("deep object");
		});
		it("huge JSON body", async () => {
			const huge = `{"name":"x","pad":"${"a".repeat(70 * MiB)}"}`;
			// refused from the headers while the body still arrives (the
			// next test checks that the answer always gets through)
			const res = await post("/api/repos/create", huge);
			await rejected4xx(res, "70 MiB JSON");
			await alive("huge JSON");
			// a declared but unsent huge body is refused from the headers alone
			const r = await raw(
				`POST /api/repos/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\nContent-Type: application/json\r\nContent-Length: 5000000000\r\nConnection: close\r\n\r\n{"name":`,
				{ timeoutMs: 5000 },
			);
			assert.ok(!r.timedOut && r.status >= 400 && r.status < 500, `5 GB Content-Length: status ${r.status}, timed out ${r.timedOut}`);
			await alive("huge Content-Length");
		});
		it("huge body: the 413 always reaches a client that sends the whole body", async () => {
			// The server answers from the headers, then reads and drops the
			// rest (a lingering close, as nginx does): closing with unread
			// bytes would reset the connection before the client reads the 413.
			const huge = `{"name":"x","pad":"${"a".repeat(70 * MiB)}"}`;
			const resets = [];
			for (let i = 0; i < 10; i++) {
				try {
					const r = await post("/api/repos/create", huge);
					await r.arrayBuffer();
				} catch (e) {
					resets.push(e.cause?.code ?? String(e));
				}
			}
			assert.deepEqual(resets, [], "connections reset before the 413 could be read");
		});
		it("'..' and absolute paths", async () => {
			const paths = [
				`/${MAIN}/resolve/main/../../../../etc/passwd`,
				`/${MAIN}/resolve/main/dir/%2E%2E/%2E%2E/%2E%2E/etc/passwd`,
				`/${MAIN}/resolve/main/..%2F..%2Fhello.txt`,
				`/${MAIN}/raw/main/dir/..%2Fhello.txt`,
				`/api/models/${MAIN}/tree/main/..`,
				`/api/models/${MAIN}/tree/main/dir%2F..%2F..`,
			];
			for (const p of paths) {
				const r = await rawGet(p, { Authorization: `Bearer ${alice.token}` });
				rawRejected4xx(r, p);
				assert.ok(!r.body.toString().includes("root:"), `${p} leaked a file`);
				await alive(p);
			}
			for (const bad of ["../evil.txt", "a/../../evil.txt", "dir/../hello.txt", "/abs.txt", "a//b.txt", ".git/config"]) {
				const r = await commitRaw(
					MAIN,
					ndjson([
						{ key: "header", value: { summary: "evil", description: "" } },
						{ key: "file", value: { path: bad, content: b64("x"), encoding: "base64" } },
					]),
				);
				await rejected4xx(r, `commit path ${bad}`);
				await alive(`commit path ${bad}`);
			}
			assert.equal(await headOf(MAIN), fx.c2, "a bad-path commit went through");
		});
		it("bad percent-encoding", async () => {
			for (const p of [
				`/api/models/${MAIN}/tree/ma%ZZin`,
				`/${MAIN}/resolve/main/%E0%A4%A`,
				`/${MAIN}/resolve/main/bad%`,
				`/${MAIN}/resolve/ma%GGin/hello.txt`,
				`/${MAIN}/resolve/main/nul%00.txt`,
				`/${MAIN}/resolve/main/%FF%FE.txt`,
			]) {
				rawRejected4xx(await rawGet(p, { Authorization: `Bearer ${alice.token}` }), p);
				await alive(p);
			}
		});
		it("unknown routes and methods", async () => {
			for (const [method, p] of [
				["GET", "/api/nope"],
				["GET", "/api/models/a/b/c/d/e/f/nope"],
				["GET", "/totally/unknown/path/x/y"],
				["POST", "/api/whoami-v2"],
				["PATCH", `/api/models/${MAIN}`],
				["DELETE", `/${MAIN}/resolve/main/hello.txt`],
			]) {
				await rejected4xx(await api(p, { method, token: alice.token }), `${method} ${p}`);
				await alive(`${method} ${p}`);
			}
		});
		it("bogus Range headers never give wrong bytes", async () => {
			const url = `/${MAIN}/resolve/${fx.c2}/hello.txt`;
			// RFC 9110 §14.2: invalid ranges are ignored (200, full body) or 416; unknown units MUST be ignored.
			for (const range of ["bytes=abc", "bytes=5-2", "bytes=--1", "bytes=1-2-3", "bytes=", "bytes=99999999999999999999999-"]) {
				const r = await resolve(url, { headers: { Range: range } });
				const body = Buffer.from(await r.arrayBuffer());
				assert.ok(r.status === 200 || r.status === 416, `${range}: status ${r.status}`);
				if (r.status === 200) assert.deepEqual(body, HELLO2, `${range}: full body expected`);
				else assert.equal(r.headers.get("content-range"), `bytes */${HELLO2.length}`, range);
				await alive(`Range ${range}`);
			}
			const unit = await resolve(url, { headers: { Range: "items=0-1" } });
			assert.equal(unit.status, 200, "unknown range unit must be ignored");
			assert.deepEqual(Buffer.from(await unit.arrayBuffer()), HELLO2);
		});
		it("truncated and malformed NDJSON commits", async () => {
			const header = JSON.stringify({ key: "header", value: { summary: "t", description: "" } });
			const bodies = [
				`${header}\n{"key":"file","value":{"path":"t.txt","con`,
				`${header}\n{"key":"file","value":{"path":"t.txt","content":"!!!notbase64","encoding":"base64"}}\n`,
				`{"key":"file","value":{"path":"t.txt","content":"eA==","encoding":"base64"}}\n`,
				`${header}\n{"key":"unknownKey","value":{}}\n`,
				`${header}\nnot json at all\n`,
				"",
				`${header}\n{"key":"lfsFile","value":{"path":"x.bin","algo":"sha256","oid":"zz","size":1}}\n`,
			];
			for (const b of bodies) {
				await rejected4xx(await commitRaw(MAIN, b), `NDJSON ${JSON.stringify(b.slice(-40))}`);
				await alive("bad NDJSON");
			}
			assert.equal(await headOf(MAIN), fx.c2, "a malformed commit went through");
			// a body cut short by the client (Content-Length larger than sent, then EOF)
			const r = await raw(
				`POST /api/models/${MAIN}/commit/main HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice.token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: 1000\r\n\r\n${header}\n{"key":"fi`,
				{ halfClose: true, timeoutMs: 5000 },
			);
			assert.ok(r.status === 0 || (r.status >= 400 && r.status < 500), `cut-short body: status ${r.status}`);
			await alive("cut-short body");
			assert.equal(await headOf(MAIN), fx.c2);
		});
	});

	/* ---- fault injection + admin ----------------------------------------- */
	describe("admin surface and fault injection", () => {
		it("the admin surface needs the secret", async () => {
			for (const headers of [{}, { "X-Testhub-Admin": "wrong" }]) {
				const r = await fetch(`${hub.url}/_testhub/requests`, { headers });
				assert.ok([401, 403, 404].includes(r.status), `admin without secret: ${r.status}`);
				assert.ok(!(await r.text()).includes("whoami"), "request log leaked");
				const f = await fetch(`${hub.url}/_testhub/faults`, { method: "POST", headers, body: "[]" });
				assert.ok([401, 403, 404].includes(f.status), `faults without secret: ${f.status}`);
				await f.arrayBuffer();
			}
		});
		it("request log records both origins with status, range and auth flag", async () => {
			await hub.admin.clearRequests();
			assert.deepEqual(await hub.admin.requests(), []);
			await (await api(`/api/models/${MAIN}/tree/main?recursive=true`, { token: alice.token })).arrayBuffer();
			const lfs = await fetch(`${hub.url}/${MAIN}/resolve/main/big.dat`, { redirect: "manual" });
			const loc = lfs.headers.get("location");
			await lfs.arrayBuffer();
			await (await fetch(loc, { headers: { Range: "bytes=0-9" } })).arrayBuffer();
			const log = await hub.admin.requests();
			const tree = log.find((r) => r.path === `/api/models/${MAIN}/tree/main`);
			assert.ok(tree, JSON.stringify(log));
			assert.equal(tree.method, "GET");
			assert.equal(tree.status, 200);
			assert.equal(tree.authorization, true);
			assert.match(tree.query ?? "", /recursive=true/);
			assert.ok(tree.bytes_sent > 0);
			const redirect = log.find((r) => r.path === `/${MAIN}/resolve/main/big.dat`);
			assert.equal(redirect.status, 302);
			assert.equal(redirect.authorization, false);
			const cdn = log.find((r) => r.origin === "cdn");
			assert.equal(redirect.origin, "hub");
			assert.ok(cdn, `no CDN entry: ${JSON.stringify(log)}`);
			assert.equal(cdn.status, 206);
			assert.equal(cdn.range, "bytes=0-9");
			assert.equal(cdn.authorization, false);
			assert.ok(cdn.bytes_sent >= 10);
			assert.ok(!log.some((r) => r.path.startsWith("/_testhub")), "admin calls must not be logged");
		});
		it("a 500 rule then success", async () => {
			await hub.admin.setFaults([{ method: "GET", path_regex: "^/api/whoami-v2$", times: 1, action: "status", status: 500 }]);
			const r1 = await api("/api/whoami-v2", { token: alice.token });
			assert.equal(r1.status, 500);
			await r1.arrayBuffer();
			await alive("500 fault");
		});
		it("a 429 with Retry-After", async () => {
			await hub.admin.setFaults([{ method: "GET", path_regex: "^/api/whoami-v2$", times: 1, action: "status", status: 429, retry_after: 7 }]);
			const r = await api("/api/whoami-v2", { token: alice.token });
			assert.equal(r.status, 429);
			assert.equal(r.headers.get("retry-after"), "7");
			await r.arrayBuffer();
			await alive("429 fault");
		});
		it("skip lets the first matches through", async () => {
			await hub.admin.setFaults([{ method: "GET", path_regex: "^/api/whoami-v2$", times: 1, skip: 1, action: "status", status: 503 }]);
			const codes = [];
			for (let i = 0; i < 3; i++) {
				const r = await api("/api/whoami-v2", { token: alice.token });
				codes.push(r.status);
				await r.arrayBuffer();
			}
			assert.deepEqual(codes, [200, 503, 200]);
		});
		it("truncate gives fewer bytes than Content-Length", async () => {
			await hub.admin.setFaults([{ path_regex: "/resolve/", action: "truncate", after_bytes: 5, times: 1 }]);
			const r = await rawGet(`/${MAIN}/resolve/${fx.c2}/hello.txt`);
			assert.equal(r.status, 200);
			assert.ok(!r.timedOut, "a truncated response must end with the connection closed");
			assert.equal(r.headers["content-length"], String(HELLO2.length));
			assert.ok(r.body.length < HELLO2.length, `got ${r.body.length} of ${HELLO2.length} bytes`);
			assert.deepEqual(r.body, HELLO2.subarray(0, r.body.length), "truncated bytes must be a prefix");
			const full = await rawGet(`/${MAIN}/resolve/${fx.c2}/hello.txt`);
			assert.deepEqual(full.body, HELLO2, "the rule must apply once");
			// on the CDN origin too
			const lfs = await fetch(`${hub.url}/${MAIN}/resolve/main/big.dat`, { redirect: "manual" });
			const loc = lfs.headers.get("location");
			await lfs.arrayBuffer();
			await hub.admin.setFaults([{ origin: "cdn", path_regex: ".", action: "truncate", after_bytes: 1000, times: 1 }]);
			await assert.rejects(
				(async () => {
					const g = await fetch(loc);
					await g.arrayBuffer();
				})(),
				"a truncated CDN body must fail the fetch",
			);
			const ok2 = await fetch(loc);
			assert.equal(sha256(Buffer.from(await ok2.arrayBuffer())), sha256(BIG));
		});
		it("reset and slow", async () => {
			await hub.admin.setFaults([{ method: "GET", path_regex: "^/api/whoami-v2$", times: 1, action: "reset" }]);
			await assert.rejects(api("/api/whoami-v2", { token: alice.token }).then((r) => r.arrayBuffer()));
			await alive("reset fault");
			await hub.admin.setFaults([{ method: "GET", path_regex: "^/api/whoami-v2$", times: 1, action: "slow", delay_ms: 800 }]);
			const t0 = Date.now();
			const r = await api("/api/whoami-v2", { token: alice.token });
			assert.equal(r.status, 200);
			assert.equal((await r.json()).name, alice.name);
			assert.ok(Date.now() - t0 >= 700, `slow rule took only ${Date.now() - t0} ms`);
			await hub.admin.setFaults([]);
			await alive("faults cleared");
		});
	});
});
