// testhub-http.test.mjs: HTTP-level tests of hubd-testhub with plain fetch (and
// raw sockets where fetch would normalise the request). Every endpoint family
// of docs/README.md §4 is checked on headers and bodies, not only on status
// codes, against what the real Hub answers (the docs cite it).
//
// Run: meson test -C <build> --suite testhub   (no npm packages needed)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";

import {
	MiB,
	gitBlobSha1,
	lfsPointer,
	loadUsers,
	pickActors,
	pseudoRandomBytes,
	sha256,
	startTesthub,
	uniq,
} from "./testhub.mjs";

const CHUNK = 1 * MiB; // --lfs-chunk-size for this server
const users = loadUsers();
const { alice, bob, org, readToken } = pickActors(users);
const BAD_TOKEN = "hf_invalidTokenForTesting000000000000";

let hub;
let port;

/* ---- helpers ------------------------------------------------------------ */

const b64 = (buf) => Buffer.from(buf).toString("base64");
const isHex = (n) => new RegExp(`^[0-9a-f]{${n}}$`);
const REDIRECTS = [301, 302, 303, 307, 308];

function authHeaders(token) {
	return token ? { Authorization: `Bearer ${token}` } : {};
}

// fetch on the Hub origin; every Hub response carries X-Request-Id (docs/hub-http.md §4.1).
async function api(path, { method = "GET", token, headers = {}, body, json, redirect = "manual" } = {}) {
	const h = { ...authHeaders(token), ...headers };
	if (json !== undefined) {
		h["Content-Type"] = "application/json";
		body = JSON.stringify(json);
	}
	const res = await fetch(path.startsWith("http") ? path : hub.url + path, { method, headers: h, body, redirect });
	if (res.url.startsWith(hub.url) || path.startsWith("/")) {
		assert.ok(res.headers.get("x-request-id"), `${method} ${path}: no X-Request-Id header`);
	}
	return res;
}

async function jsonBody(res, what = "") {
	const ct = res.headers.get("content-type") ?? "";
	const text = await res.text();
	assert.ok(ct.startsWith("application/json") || ct.includes("json"), `${what}: content-type ${ct}, body ${text.slice(0, 200)}`);
	try {
		return JSON.parse(text);
	} catch {
		assert.fail(`${what}: body is not JSON: ${text.slice(0, 200)}`);
	}
}

async function ok(res, what) {
	if (res.status !== 200) {
		assert.fail(`${what}: status ${res.status}, body ${(await res.text()).slice(0, 300)}`);
	}
	return jsonBody(res, what);
}

// The Hub's error shape (docs/hub-http.md §4.2, §6): status, JSON {"error": msg}, X-Error-Message,
// X-Error-Code where the protocol names one.
async function hubError(res, status, { code, message, what = "", requireMessageHeader = true } = {}) {
	const statuses = Array.isArray(status) ? status : [status];
	const text = await res.text();
	assert.ok(statuses.includes(res.status), `${what}: status ${res.status}, expected ${statuses}; body ${text.slice(0, 300)}`);
	if (code !== undefined) assert.equal(res.headers.get("x-error-code"), code, `${what}: X-Error-Code`);
	if (requireMessageHeader) assert.ok(res.headers.get("x-error-message"), `${what}: no X-Error-Message`);
	if (message !== undefined) {
		const m = res.headers.get("x-error-message") ?? "";
		if (message instanceof RegExp) assert.match(m, message, `${what}: X-Error-Message`);
		else assert.equal(m, message, `${what}: X-Error-Message`);
	}
	let body = null;
	if (text.length > 0) {
		const ct = res.headers.get("content-type") ?? "";
		assert.ok(ct.includes("json"), `${what}: error body content-type ${ct}: ${text.slice(0, 200)}`);
		body = JSON.parse(text);
		assert.ok(
			typeof body.error === "string" || Array.isArray(body.error) || Array.isArray(body.errors),
			`${what}: error body without "error": ${text.slice(0, 200)}`,
		);
	}
	return body;
}

// Generic malformed-request check: 4xx with a Hub-style JSON error.
async function rejected4xx(res, what) {
	const text = await res.text();
	assert.ok(res.status >= 400 && res.status < 500, `${what}: status ${res.status}; body ${text.slice(0, 200)}`);
	const ct = res.headers.get("content-type") ?? "";
	assert.ok(ct.includes("json"), `${what}: content-type ${ct}; body ${text.slice(0, 200)}`);
	const body = JSON.parse(text);
	assert.equal(typeof body.error, "string", `${what}: body ${text.slice(0, 200)}`);
	return body;
}

// The server still answers after a bad request.
async function alive(after = "") {
	assert.ok(hub.alive(), `testhub died after ${after}; stderr:\n${hub.stderr().slice(-3000)}`);
	const res = await api("/api/whoami-v2", { token: alice.token });
	assert.equal(res.status, 200, `whoami after ${after}`);
	assert.equal((await res.json()).name, alice.name);
}

// Raw HTTP/1.1 over a socket: for requests fetch would normalise or refuse.
function raw(request, { timeoutMs = 10000, halfClose = false } = {}) {
	return new Promise((resolve, reject) => {
		const sock = net.connect(port, "127.0.0.1");
		const chunks = [];
		const timer = setTimeout(() => {
			sock.destroy();
			resolve(parseRaw(Buffer.concat(chunks), true));
		}, timeoutMs);
		sock.on("connect", () => {
			sock.write(request);
			if (halfClose) sock.end();
		});
		sock.on("data", (d) => {
			chunks.push(d);
			// done once a Content-Length-delimited response is complete
			const r = parseRaw(Buffer.concat(chunks), false);
			const len = Number(r.headers["content-length"]);
			if (r.status && Number.isFinite(len) && r.body.length >= len && !/chunked/i.test(r.headers["transfer-encoding"] ?? "")) {
				clearTimeout(timer);
				sock.destroy();
				resolve(r);
			}
		});
		sock.on("error", (e) => {
			clearTimeout(timer);
			if (e.code === "ECONNRESET" || e.code === "EPIPE") resolve(parseRaw(Buffer.concat(chunks), false, e.code));
			else reject(e);
		});
		sock.on("close", () => {
			clearTimeout(timer);
			resolve(parseRaw(Buffer.concat(chunks), false));
		});
	});
}

function parseRaw(buf, timedOut, error) {
	const sep = buf.indexOf("\r\n\r\n");
	if (sep < 0) return { status: 0, headers: {}, body: Buffer.alloc(0), timedOut, error, rawText: buf.toString("latin1") };
	const head = buf.subarray(0, sep).toString("latin1").split("\r\n");
	const status = Number(head[0].split(" ")[1]);
	const headers = {};
	for (const line of head.slice(1)) {
		const i = line.indexOf(":");
		headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	let body = buf.subarray(sep + 4);
	if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
	return { status, headers, body, timedOut, error };
}

function dechunk(b) {
	const out = [];
	let i = 0;
	while (i < b.length) {
		const nl = b.indexOf("\r\n", i);
		if (nl < 0) break;
		const n = parseInt(b.subarray(i, nl).toString(), 16);
		if (!n) break;
		out.push(b.subarray(nl + 2, nl + 2 + n));
		i = nl + 2 + n + 2;
	}
	return Buffer.concat(out);
}

function rawGet(path, headers = {}) {
	const extra = Object.entries(headers)
		.map(([k, v]) => `${k}: ${v}\r\n`)
		.join("");
	return raw(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}Connection: close\r\n\r\n`);
}

function rawRejected4xx(r, what) {
	assert.ok(!r.timedOut, `${what}: no answer (timed out)`);
	assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status}; ${r.body.toString().slice(0, 200)}`);
	assert.ok((r.headers["content-type"] ?? "").includes("json"), `${what}: content-type ${r.headers["content-type"]}`);
	const body = JSON.parse(r.body.toString());
	assert.equal(typeof body.error, "string", `${what}: ${r.body.toString().slice(0, 200)}`);
	return body;
}

/* ---- repo fixtures (plain HTTP uploads) --------------------------------- */

const apiBase = (type, id) => `/api/${type}s/${id}`;
const urlPrefix = (type) => (type === "model" ? "" : `${type}s/`);

async function createRepo(id, { type = "model", token = alice.token, private: priv = false } = {}) {
	const [organization, name] = id.split("/");
	const res = await api("/api/repos/create", { method: "POST", token, json: { name, organization, type, private: priv } });
	return ok(res, `create ${type} ${id}`);
}

async function lfsBatch(id, objects, { type = "model", token = alice.token, hashAlgo = "sha256", ref = "main" } = {}) {
	const res = await api(`/${urlPrefix(type)}${id}.git/info/lfs/objects/batch`, {
		method: "POST",
		token,
		headers: { Accept: "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json" },
		body: JSON.stringify({
			operation: "upload",
			transfers: ["basic", "multipart"],
			hash_algo: hashAlgo,
			...(ref ? { ref: { name: ref } } : {}),
			objects: objects.map((b) => ({ oid: sha256(b), size: b.length })),
		}),
	});
	assert.equal(res.status, 200, `LFS batch: ${res.status} ${await res.clone().text()}`);
	assert.match(res.headers.get("content-type") ?? "", /^application\/vnd\.git-lfs\+json/);
	return res.json();
}

// Uploads one LFS object the way huggingface_hub does (basic or multipart, then verify).
async function lfsUpload(id, buf, { type = "model" } = {}) {
	const batch = await lfsBatch(id, [buf], { type });
	const obj = batch.objects[0];
	assert.equal(obj.oid, sha256(buf));
	assert.equal(obj.size, buf.length);
	if (!obj.actions) return batch;
	const up = obj.actions.upload;
	if (up.header?.chunk_size) {
		const chunk = parseInt(up.header.chunk_size, 10);
		const parts = Object.keys(up.header)
			.filter((k) => /^\d+$/.test(k))
			.sort((a, b) => Number(a) - Number(b));
		assert.equal(parts.length, Math.ceil(buf.length / chunk));
		const done = [];
		for (const p of parts) {
			const i = Number(p) - 1;
			const r = await fetch(up.header[p], { method: "PUT", body: buf.subarray(i * chunk, (i + 1) * chunk) });
			assert.equal(r.status, 200, `part ${p}: ${r.status} ${await r.text()}`);
			assert.ok(r.headers.get("etag"), `part ${p}: no ETag`);
			done.push({ partNumber: Number(p), etag: r.headers.get("etag") });
		}
		const c = await fetch(up.href, {
			method: "POST",
			headers: { Accept: "application/vnd.git-lfs+json", "Content-Type": "application/vnd.git-lfs+json" },
			body: JSON.stringify({ oid: obj.oid, parts: done }),
		});
		assert.equal(c.status, 200, `multipart completion: ${c.status} ${await c.text()}`);
	} else {
		const r = await fetch(up.href, { method: "PUT", body: buf });
		assert.ok(r.status === 200 || r.status === 201, `basic PUT: ${r.status} ${await r.text()}`);
	}
	if (obj.actions.verify) {
		const v = await fetch(obj.actions.verify.href, {
			method: "POST",
			headers: { ...authHeaders(alice.token), "Content-Type": "application/vnd.git-lfs+json" },
			body: JSON.stringify({ oid: obj.oid, size: buf.length }),
		});
		assert.equal(v.status, 200, `verify: ${v.status} ${await v.text()}`);
	}
	return batch;
}

function ndjson(lines) {
	return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

async function commitRaw(id, body, { type = "model", rev = "main", token = alice.token, createPr = false } = {}) {
	return api(`${apiBase(type, id)}/commit/${encodeURIComponent(rev)}${createPr ? "?create_pr=1" : ""}`, {
		method: "POST",
		token,
		headers: { "Content-Type": "application/x-ndjson" },
		body,
	});
}

// files: {path: Buffer} regular; lfs: {path: Buffer} uploaded first; deletes: [path]
async function commit(id, { files = {}, lfs = {}, deletes = [], deleteFolders = [], summary = "update", parentCommit, ...opts } = {}) {
	for (const buf of Object.values(lfs)) await lfsUpload(id, buf, opts);
	const lines = [{ key: "header", value: { summary, description: "", ...(parentCommit ? { parentCommit } : {}) } }];
	for (const [path, buf] of Object.entries(files)) lines.push({ key: "file", value: { path, content: b64(buf), encoding: "base64" } });
	for (const [path, buf] of Object.entries(lfs))
		lines.push({ key: "lfsFile", value: { path, algo: "sha256", oid: sha256(buf), size: buf.length } });
	for (const path of deletes) lines.push({ key: "deletedFile", value: { path } });
	for (const path of deleteFolders) lines.push({ key: "deletedFolder", value: { path } });
	const res = await commitRaw(id, ndjson(lines), opts);
	return ok(res, `commit to ${id}`);
}

async function headOf(id, type = "model", rev = "main") {
	const r = await api(`${apiBase(type, id)}/revision/${encodeURIComponent(rev)}`, { token: alice.token });
	return (await ok(r, `info ${id}@${rev}`)).sha;
}

// GET/HEAD a resolve URL, following relative redirects only (as huggingface_hub does).
async function resolve(path, { method = "GET", token = alice.token, headers = {} } = {}) {
	let url = hub.url + path;
	const hops = [];
	for (let i = 0; i < 5; i++) {
		const res = await fetch(url, { method, headers: { ...authHeaders(token), ...headers }, redirect: "manual" });
		const loc = res.headers.get("location");
		if (REDIRECTS.includes(res.status) && loc && !/^[a-z]+:\/\//i.test(loc)) {
			hops.push({ status: res.status, location: loc });
			await res.arrayBuffer();
			url = new URL(loc, url).href;
			continue;
		}
		res.hops = hops;
		return res;
	}
	assert.fail(`too many relative redirects from ${path}: ${JSON.stringify(hops)}`);
}

/* ---- the fixture repo ---------------------------------------------------- */

const MAIN = `${alice.name}/${uniq("http-main")}`;
const README = "---\nlicense: apache-2.0\ntags:\n- testhub\n- http\npipeline_tag: text-generation\n---\n# Model card\n";
const HELLO1 = Buffer.from("Hello, Hub!\n");
const HELLO2 = Buffer.from("Hello again, Hub! This is the second version.\n");
const HELLO_PR = Buffer.from("Hello from a pull request\n");
const NESTED = Buffer.from("nested file\n");
const DEEP = Buffer.from("deep file\n");
const SMALL_BIN = pseudoRandomBytes(300 * 1024, "small.bin"); // LFS via .gitattributes, basic
const BIG = pseudoRandomBytes(2 * MiB + 12345, "big.dat"); // LFS, multipart (3 parts of 1 MiB)
const fx = {}; // commit ids: init, c1, c2, pr

describe("hubd-testhub HTTP", () => {
	before(async () => {
		hub = await startTesthub({ args: ["--lfs-chunk-size", String(CHUNK)] });
		port = Number(new URL(hub.url).port);
		await createRepo(MAIN);
		fx.init = await headOf(MAIN);
		const c1 = await commit(MAIN, {
			summary: "first content",
			files: { "README.md": Buffer.from(README), "hello.txt": HELLO1, "dir/nested.txt": NESTED, "dir/sub/deep.txt": DEEP },
			lfs: { "small.bin": SMALL_BIN, "big.dat": BIG },
		});
		fx.c1 = c1.commitOid;
		fx.c2 = (await commit(MAIN, { summary: "second hello", files: { "hello.txt": HELLO2 } })).commitOid;
	});
	after(async () => {
		if (hub) {
			const wasAlive = hub.alive();
			const err = hub.stderr();
			await hub.stop();
			assert.ok(wasAlive, `testhub died during the run:\n${err.slice(-3000)}`);
		}
	});

	/* ---- whoami -------------------------------------------------------- */
	describe("GET /api/whoami-v2", () => {
		it("returns the user, orgs and token info", async () => {
			const me = await ok(await api("/api/whoami-v2", { token: alice.token }), "whoami");
			assert.equal(me.type, "user");
			assert.equal(me.name, alice.name);
			assert.match(me.id, isHex(24));
			for (const k of ["fullname", "avatarUrl"]) assert.equal(typeof me[k], "string", k);
			for (const k of ["isPro", "canPay", "emailVerified"]) assert.equal(typeof me[k], "boolean", k);
			assert.ok(me.periodEnd === null || typeof me.periodEnd === "number");
			assert.ok(["postpaid", "prepaid"].includes(me.billingMode), `billingMode ${me.billingMode}`);
			assert.ok(Array.isArray(me.orgs));
			const o = me.orgs.find((x) => x.name === org);
			assert.ok(o, `org ${org} missing from ${JSON.stringify(me.orgs)}`);
			assert.equal(o.type, "org");
			assert.match(o.id, isHex(24));
			assert.notEqual(o.id, me.id);
			assert.equal(me.auth.type, "access_token");
			assert.equal(me.auth.accessToken.role, "write");
			assert.equal(typeof me.auth.accessToken.displayName, "string");
			assert.ok(!isNaN(Date.parse(me.auth.accessToken.createdAt)), "createdAt not ISO 8601");
			const again = await ok(await api("/api/whoami-v2", { token: alice.token }), "whoami");
			assert.equal(again.id, me.id, "id not stable");
			const b = await ok(await api("/api/whoami-v2", { token: bob.token }), "whoami bob");
			assert.equal(b.name, bob.name);
		});
		it("a read token says role read", { skip: !readToken && "users.json has no read token" }, async () => {
			const me = await ok(await api("/api/whoami-v2", { token: readToken.token }), "whoami read");
			assert.equal(me.auth.accessToken.role, "read");
		});
		it("anonymous and bad tokens are 401 with a JSON error", async () => {
			await hubError(await api("/api/whoami-v2"), 401, { what: "anonymous whoami", requireMessageHeader: false });
			await hubError(await api("/api/whoami-v2", { token: BAD_TOKEN }), 401, {
				what: "bad token",
				message: "Invalid credentials in Authorization header",
			});
		});
	});

	/* ---- create / delete / move / settings ---------------------------- */
	describe("repos: create, delete, move, settings", () => {
		it("create answers 200 with a url under the server's own base URL", async () => {
			const id = `${alice.name}/${uniq("c")}`;
			const body = await createRepo(id);
			assert.equal(body.url, `${hub.url}/${id}`);
			const ds = `${alice.name}/${uniq("d")}`;
			assert.equal((await createRepo(ds, { type: "dataset" })).url, `${hub.url}/datasets/${ds}`);
			const sp = `${alice.name}/${uniq("s")}`;
			const spr = await api("/api/repos/create", {
				method: "POST",
				token: alice.token,
				json: { name: sp.split("/")[1], organization: alice.name, type: "space", sdk: "static" },
			});
			assert.equal((await ok(spr, "create space")).url, `${hub.url}/spaces/${sp}`);
			// a model repo has the initial commit by "system" with .gitattributes
			const commits = await ok(await api(`${apiBase("model", id)}/commits/main`, { token: alice.token }), "commits");
			assert.equal(commits.length, 1);
			assert.equal(commits[0].title, "initial commit");
			assert.equal(commits[0].authors[0].user, "system");
			const tree = await ok(await api(`${apiBase("model", id)}/tree/main`, { token: alice.token }), "tree");
			assert.deepEqual(
				tree.map((e) => e.path),
				[".gitattributes"],
			);
		});
		it("create accepts visibility as well as private; no organization means the caller", async () => {
			const name = uniq("vis");
			const r = await api("/api/repos/create", { method: "POST", token: alice.token, json: { name, type: "model", visibility: "private" } });
			assert.equal((await ok(r, "create visibility")).url, `${hub.url}/${alice.name}/${name}`);
			const info = await ok(await api(`/api/models/${alice.name}/${name}`, { token: alice.token }), "info");
			assert.equal(info.private, true);
			await hubError(await api(`/api/models/${alice.name}/${name}`, { token: bob.token }), 404, { code: "RepoNotFound", what: "private, bob" });
		});
		it("create an existing repo is 409 with X-Error-Message and url", async () => {
			const res = await api("/api/repos/create", {
				method: "POST",
				token: alice.token,
				json: { name: MAIN.split("/")[1], organization: alice.name, type: "model" },
			});
			const body = await hubError(res, 409, { message: `You already created this model repo: ${MAIN}`, what: "409" });
			assert.equal(body.error, `You already created this model repo: ${MAIN}`);
			assert.equal(body.url, `${hub.url}/${MAIN}`);
		});
		it("create needs a token with write access to the namespace", async () => {
			const name = uniq("nope");
			await hubError(
				await api("/api/repos/create", { method: "POST", json: { name, organization: alice.name, type: "model" } }),
				401,
				{ what: "anonymous create", requireMessageHeader: false },
			);
			await hubError(
				await api("/api/repos/create", { method: "POST", token: bob.token, json: { name, organization: alice.name, type: "model" } }),
				403,
				{ what: "bob creates in alice's namespace" },
			);
			if (readToken) {
				await hubError(
					await api("/api/repos/create", {
						method: "POST",
						token: readToken.token,
						json: { name, organization: readToken.user.name, type: "model" },
					}),
					403,
					{ what: "read token creates" },
				);
			}
			const orgId = `${org}/${uniq("orgrepo")}`;
			assert.equal((await createRepo(orgId)).url, `${hub.url}/${orgId}`);
			if (!bob.orgs.includes(org)) {
				await hubError(
					await api("/api/repos/create", { method: "POST", token: bob.token, json: { name: uniq("x"), organization: org, type: "model" } }),
					403,
					{ what: "non-member creates in org" },
				);
			}
		});
		it("create rejects invalid names (400)", async () => {
			for (const name of ["bad--name", "-dash", "a..b", "x".repeat(97), "sp ace", "ends.git"]) {
				const r = await api("/api/repos/create", { method: "POST", token: alice.token, json: { name, organization: alice.name, type: "model" } });
				await hubError(r, 400, { what: `name ${JSON.stringify(name)}`, requireMessageHeader: false });
			}
			await hubError(
				await api("/api/repos/create", { method: "POST", token: alice.token, json: { name: "okname", organization: alice.name, type: "bogus" } }),
				400,
				{ what: "bad type", requireMessageHeader: false },
			);
		});
		it("delete removes the repo; deleting again is 404 RepoNotFound", async () => {
			const id = `${alice.name}/${uniq("del")}`;
			await createRepo(id, { type: "dataset" });
			const body = { name: id.split("/")[1], organization: alice.name, type: "dataset" };
			await hubError(await api("/api/repos/delete", { method: "DELETE", token: bob.token, json: body }), [403, 404], { what: "bob deletes" });
			assert.equal((await api("/api/repos/delete", { method: "DELETE", token: alice.token, json: body })).status, 200);
			await hubError(await api(`/api/datasets/${id}`, { token: alice.token }), 404, { code: "RepoNotFound", what: "info after delete" });
			await hubError(await api("/api/repos/delete", { method: "DELETE", token: alice.token, json: body }), 404, {
				code: "RepoNotFound",
				what: "delete twice",
			});
		});
		it("move: new id works, old resolve path redirects with a relative 307", async () => {
			const from = `${alice.name}/${uniq("mv-src")}`;
			const to = `${alice.name}/${uniq("mv-dst")}`;
			await createRepo(from);
			await commit(from, { files: { "hello.txt": HELLO1 } });
			await hubError(
				await api("/api/repos/move", { method: "POST", token: bob.token, json: { fromRepo: from, toRepo: `${bob.name}/stolen`, type: "model" } }),
				[403, 404],
				{ what: "bob moves alice's repo" },
			);
			await hubError(
				await api("/api/repos/move", { method: "POST", token: alice.token, json: { fromRepo: from, toRepo: MAIN, type: "model" } }),
				409,
				{ what: "move onto an existing repo" },
			);
			const r = await api("/api/repos/move", { method: "POST", token: alice.token, json: { fromRepo: from, toRepo: to, type: "model" } });
			assert.equal(r.status, 200, `move: ${r.status} ${await r.text()}`);
			const info = await ok(await api(`/api/models/${to}`, { token: alice.token }), "info new id");
			assert.equal(info.id, to);
			const old = await fetch(`${hub.url}/${from}/resolve/main/hello.txt`, { headers: authHeaders(alice.token), redirect: "manual" });
			assert.equal(old.status, 307);
			const loc = old.headers.get("location");
			assert.ok(loc?.startsWith(`/${to}/resolve/main/hello.txt`), `Location ${loc}`);
			const followed = await resolve(loc);
			assert.equal(followed.status, 200);
			assert.deepEqual(Buffer.from(await followed.arrayBuffer()), HELLO1);
		});
		it("settings: private round trip, gated auto/manual/false", async () => {
			const id = `${alice.name}/${uniq("settings")}`;
			await createRepo(id);
			await commit(id, { files: { "hello.txt": HELLO1 } });
			const put = (json, token = alice.token) => api(`/api/models/${id}/settings`, { method: "PUT", token, json });
			const info = async (token = alice.token) => ok(await api(`/api/models/${id}`, { token }), "info");

			assert.equal((await put({ private: true })).status, 200);
			assert.equal((await info()).private, true);
			await hubError(await api(`/api/models/${id}`), 401, { code: "RepoNotFound", message: "Invalid username or password.", what: "anon private" });
			await hubError(await api(`/api/models/${id}`, { token: bob.token }), 404, { code: "RepoNotFound", what: "bob private" });
			const anon401 = await api(`/${id}/resolve/main/hello.txt`);
			assert.match(anon401.headers.get("www-authenticate") ?? "", /^Bearer realm=/, "401 without WWW-Authenticate (rec:ref-anonymous.json)");
			await hubError(anon401, 401, { code: "RepoNotFound", what: "anon resolve private" });
			await hubError(await api(`/${id}/resolve/main/hello.txt`, { token: bob.token }), 404, { code: "RepoNotFound", what: "bob resolve private" });

			assert.equal((await put({ visibility: "public" })).status, 200);
			assert.equal((await info(bob.token)).private, false);

			for (const gated of ["auto", "manual"]) {
				assert.equal((await put({ gated })).status, 200);
				const i = await ok(await api(`/api/models/${id}`), "anonymous info of a gated repo");
				assert.equal(i.gated, gated);
				// files of a gated repo: 401 anonymous, 403 not approved, owner fine
				await hubError(await api(`/${id}/resolve/main/hello.txt`), 401, { code: "GatedRepo", what: `anon gated ${gated}` });
				await hubError(await api(`/${id}/resolve/main/hello.txt`, { token: bob.token }), 403, { code: "GatedRepo", what: `bob gated ${gated}` });
				assert.equal((await resolve(`/${id}/resolve/main/hello.txt`)).status, 200);
			}
			assert.equal((await put({ gated: false })).status, 200);
			assert.equal((await info()).gated, false);
			assert.equal((await resolve(`/${id}/resolve/main/hello.txt`, { token: bob.token })).status, 200);

			await hubError(await put({ gated: "sometimes" }), 400, { what: "bad gated value", requireMessageHeader: false });
			await hubError(await put({}), 400, { what: "empty settings", requireMessageHeader: false });
			await hubError(await put({ private: true }, bob.token), 403, { what: "bob changes settings" });
			assert.equal((await info()).private, false, "bob's settings change must not apply");
		});
	});

	/* ---- listing models ------------------------------------------------ */
	describe("GET /api/models, /api/datasets", () => {
		it("search, author, limit + Link paging; private repos hidden", async () => {
			const tag = uniq("lst");
			const ids = [`${alice.name}/${tag}-a`, `${alice.name}/${tag}-b`, `${alice.name}/${tag}-c`];
			for (const id of ids) await createRepo(id);
			const priv = `${alice.name}/${tag}-private`;
			await createRepo(priv, { private: true });
			const all = await ok(await api(`/api/models?search=${tag}`, { token: bob.token }), "search");
			assert.deepEqual(all.map((m) => m.id).sort(), ids);
			for (const m of all) {
				assert.match(m._id ?? "", isHex(24), "_id");
				assert.equal(m.private, false);
			}
			const mine = await ok(await api(`/api/models?search=${tag}`, { token: alice.token }), "search as owner");
			assert.ok(mine.some((m) => m.id === priv), "owner should see her private repo");
			const byAuthor = await ok(await api(`/api/models?author=${alice.name}&search=${tag}`), "author");
			assert.equal(byAuthor.length, 3);
			assert.deepEqual(await ok(await api(`/api/models?author=${bob.name}&search=${tag}`), "author bob"), []);
			// paging
			let url = `/api/models?search=${tag}&limit=1`;
			const seen = [];
			for (let i = 0; url && i < 10; i++) {
				const r = await api(url);
				const page = await ok(r, "page");
				assert.ok(page.length <= 1);
				seen.push(...page.map((m) => m.id));
				const link = r.headers.get("link");
				const next = link?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
				if (next) assert.ok(next.startsWith(`${hub.url}/api/models?`), `Link next not absolute: ${link}`);
				url = next;
			}
			assert.deepEqual(seen.sort(), ids);
			const ds = await ok(await api(`/api/datasets?search=${tag}`), "datasets");
			assert.deepEqual(ds, []);
		});
	});

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

	describe("datasets, spaces, re-created repos", () => {
		it("dataset: LFS upload through datasets/{id}.git, resolve redirects, raw pointer", async () => {
			const id = `${alice.name}/${uniq("ds-lfs")}`;
			await createRepo(id, { type: "dataset" });
			const buf = pseudoRandomBytes(CHUNK + 100, "ds-obj");
			const c = await commit(id, { type: "dataset", lfs: { "data/train.parquet": buf }, files: { "README.md": Buffer.from("# ds\n") } });
			const r = await fetch(`${hub.url}/datasets/${id}/resolve/main/data/train.parquet`, { redirect: "manual" });
			assert.equal(r.status, 302);
			assert.equal(r.headers.get("x-linked-etag"), `"${sha256(buf)}"`);
			assert.equal(r.headers.get("x-repo-commit"), c.commitOid);
			const g = await fetch(r.headers.get("location"));
			assert.equal(sha256(Buffer.from(await g.arrayBuffer())), sha256(buf));
			const rm = await resolve(`/datasets/${id}/resolve/main/README.md`);
			assert.equal(await rm.text(), "# ds\n");
			await hubError(await api(`/${id}/resolve/main/README.md`, { token: alice.token }), 404, { code: "RepoNotFound", what: "dataset via model URL" });
		});
		it("space: create, commit, resolve under /spaces/, info has sdk", async () => {
			const id = `${alice.name}/${uniq("space")}`;
			const r = await api("/api/repos/create", {
				method: "POST",
				token: alice.token,
				json: { name: id.split("/")[1], organization: alice.name, type: "space", sdk: "gradio" },
			});
			assert.equal((await ok(r, "create space")).url, `${hub.url}/spaces/${id}`);
			await commit(id, { type: "space", files: { "app.py": Buffer.from("print('hi')\n") } });
			const f = await resolve(`/spaces/${id}/resolve/main/app.py`);
			assert.equal(await f.text(), "print('hi')\n");
			const info = await ok(await api(`/api/spaces/${id}`), "space info");
			assert.equal(info.id, id);
			assert.equal(info.sdk, "gradio");
		});
		it("non-ASCII, space and '#' in paths: commit, tree, paths-info, resolve", async () => {
			const id = `${alice.name}/${uniq("unicode")}`;
			await createRepo(id);
			const path = "dir é/naïve file#1.txt";
			const content = Buffer.from("unicode ✓\n");
			await commit(id, { files: { [path]: content } });
			const enc = path.split("/").map(encodeURIComponent).join("/");
			const r = await resolve(`/${id}/resolve/main/${enc}`);
			assert.equal(r.status, 200);
			assert.equal(r.headers.get("etag"), `"${gitBlobSha1(content)}"`);
			assert.deepEqual(Buffer.from(await r.arrayBuffer()), content);
			const t = await ok(await api(`/api/models/${id}/tree/main/${encodeURIComponent("dir é")}`), "tree");
			assert.deepEqual(t.map((e) => e.path), [path]);
			const pi = await ok(await api(`/api/models/${id}/paths-info/main`, { method: "POST", json: { paths: [path] } }), "paths-info");
			assert.equal(pi[0]?.oid, gitBlobSha1(content));
		});
		it("delete then create again starts a fresh history", async () => {
			const id = `${alice.name}/${uniq("again")}`;
			await createRepo(id);
			await commit(id, { files: { "old.txt": Buffer.from("old") } });
			const del = await api("/api/repos/delete", { method: "DELETE", token: alice.token, json: { name: id.split("/")[1], organization: alice.name, type: "model" } });
			assert.equal(del.status, 200);
			await createRepo(id);
			const commits = await ok(await api(`/api/models/${id}/commits/main`), "commits");
			assert.deepEqual(commits.map((c) => c.title), ["initial commit"]);
			await hubError(await api(`/${id}/resolve/main/old.txt`), 404, { code: "EntryNotFound", what: "file of the deleted repo" });
		});
	});

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
			// The server refuses from the headers and closes while the body is
			// still arriving; without a lingering close the kernel may reset the
			// connection before the client reads the 413 (see the todo test
			// below). Retry such resets here so that this test checks the answer.
			let res;
			const resets = [];
			for (let i = 0; i < 5 && !res; i++) {
				try {
					res = await post("/api/repos/create", huge);
				} catch (e) {
					resets.push(e.cause?.code ?? String(e));
				}
			}
			assert.ok(res, `huge body: never got an answer, only ${resets}`);
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
		it("huge body: the 413 always reaches a client that sends the whole body", { todo: "server closes without draining the body (no lingering close): ~10% of clients get ECONNRESET instead of the 413" }, async () => {
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
