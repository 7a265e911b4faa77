// testhub-http-lib.mjs: helpers of the HTTP-level tests of hubd-testhub
// (testhub-http-*.test.mjs) with plain fetch (and raw sockets where fetch
// would normalise the request). Every endpoint family of docs/README.md §4
// is checked on headers and bodies, not only on status codes, against what
// the real Hub answers (the docs cite it). No test is registered here.
//
// Each test file runs in its own node process with its own server: its
// before() calls startHubWithMain(), its after() stopHub(); `hub`, `port`
// and `fx` are then that file's.

import assert from "node:assert/strict";
import net from "node:net";

import { MiB, loadUsers, pickActors, pseudoRandomBytes, sha256, startTesthub, uniq } from "./testhub.mjs";

export const CHUNK = 1 * MiB; // --lfs-chunk-size for this server
const users = loadUsers();
export const { alice, bob, org, readToken } = pickActors(users);
export const BAD_TOKEN = "hf_invalidTokenForTesting000000000000";

export let hub;
export let port;

/* ---- helpers ------------------------------------------------------------ */

export const b64 = (buf) => Buffer.from(buf).toString("base64");
export const isHex = (n) => new RegExp(`^[0-9a-f]{${n}}$`);
const REDIRECTS = [301, 302, 303, 307, 308];

export function authHeaders(token) {
	return token ? { Authorization: `Bearer ${token}` } : {};
}

// fetch on the Hub origin; every Hub response carries X-Request-Id (docs/hub-http.md §4.1).
export async function api(path, { method = "GET", token, headers = {}, body, json, redirect = "manual" } = {}) {
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

export async function jsonBody(res, what = "") {
	const ct = res.headers.get("content-type") ?? "";
	const text = await res.text();
	assert.ok(ct.startsWith("application/json") || ct.includes("json"), `${what}: content-type ${ct}, body ${text.slice(0, 200)}`);
	try {
		return JSON.parse(text);
	} catch {
		assert.fail(`${what}: body is not JSON: ${text.slice(0, 200)}`);
	}
}

export async function ok(res, what) {
	if (res.status !== 200) {
		assert.fail(`${what}: status ${res.status}, body ${(await res.text()).slice(0, 300)}`);
	}
	return jsonBody(res, what);
}

// The Hub's error shape (docs/hub-http.md §4.2, §6): status, JSON {"error": msg}, X-Error-Message,
// X-Error-Code where the protocol names one.
export async function hubError(res, status, { code, message, what = "", requireMessageHeader = true } = {}) {
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
export async function rejected4xx(res, what) {
	const text = await res.text();
	assert.ok(res.status >= 400 && res.status < 500, `${what}: status ${res.status}; body ${text.slice(0, 200)}`);
	const ct = res.headers.get("content-type") ?? "";
	assert.ok(ct.includes("json"), `${what}: content-type ${ct}; body ${text.slice(0, 200)}`);
	const body = JSON.parse(text);
	assert.equal(typeof body.error, "string", `${what}: body ${text.slice(0, 200)}`);
	return body;
}

// The server still answers after a bad request.
export async function alive(after = "") {
	assert.ok(hub.alive(), `testhub died after ${after}; stderr:\n${hub.stderr().slice(-3000)}`);
	const res = await api("/api/whoami-v2", { token: alice.token });
	assert.equal(res.status, 200, `whoami after ${after}`);
	assert.equal((await res.json()).name, alice.name);
}

// Raw HTTP/1.1 over a socket: for requests fetch would normalise or refuse.
export function raw(request, { timeoutMs = 10000, halfClose = false } = {}) {
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

export function rawGet(path, headers = {}) {
	const extra = Object.entries(headers)
		.map(([k, v]) => `${k}: ${v}\r\n`)
		.join("");
	return raw(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}Connection: close\r\n\r\n`);
}

export function rawRejected4xx(r, what) {
	assert.ok(!r.timedOut, `${what}: no answer (timed out)`);
	assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status}; ${r.body.toString().slice(0, 200)}`);
	assert.ok((r.headers["content-type"] ?? "").includes("json"), `${what}: content-type ${r.headers["content-type"]}`);
	const body = JSON.parse(r.body.toString());
	assert.equal(typeof body.error, "string", `${what}: ${r.body.toString().slice(0, 200)}`);
	return body;
}

/* ---- repo fixtures (plain HTTP uploads) --------------------------------- */

export const apiBase = (type, id) => `/api/${type}s/${id}`;
const urlPrefix = (type) => (type === "model" ? "" : `${type}s/`);

export async function createRepo(id, { type = "model", token = alice.token, private: priv = false } = {}) {
	const [organization, name] = id.split("/");
	const res = await api("/api/repos/create", { method: "POST", token, json: { name, organization, type, private: priv } });
	return ok(res, `create ${type} ${id}`);
}

export async function lfsBatch(id, objects, { type = "model", token = alice.token, hashAlgo = "sha256", ref = "main" } = {}) {
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
export async function lfsUpload(id, buf, { type = "model" } = {}) {
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

export function ndjson(lines) {
	return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

export async function commitRaw(id, body, { type = "model", rev = "main", token = alice.token, createPr = false } = {}) {
	return api(`${apiBase(type, id)}/commit/${encodeURIComponent(rev)}${createPr ? "?create_pr=1" : ""}`, {
		method: "POST",
		token,
		headers: { "Content-Type": "application/x-ndjson" },
		body,
	});
}

// files: {path: Buffer} regular; lfs: {path: Buffer} uploaded first; deletes: [path]
export async function commit(id, { files = {}, lfs = {}, deletes = [], deleteFolders = [], summary = "update", parentCommit, ...opts } = {}) {
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

export async function headOf(id, type = "model", rev = "main") {
	const r = await api(`${apiBase(type, id)}/revision/${encodeURIComponent(rev)}`, { token: alice.token });
	return (await ok(r, `info ${id}@${rev}`)).sha;
}

// GET/HEAD a resolve URL, following relative redirects only (as huggingface_hub does).
export async function resolve(path, { method = "GET", token = alice.token, headers = {} } = {}) {
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

export const MAIN = `${alice.name}/${uniq("http-main")}`;
const README = "---\nlicense: apache-2.0\ntags:\n- testhub\n- http\npipeline_tag: text-generation\n---\n# Model card\n";
export const HELLO1 = Buffer.from("Hello, Hub!\n");
export const HELLO2 = Buffer.from("Hello again, Hub! This is the second version.\n");
export const HELLO_PR = Buffer.from("Hello from a pull request\n");
const NESTED = Buffer.from("nested file\n");
export const DEEP = Buffer.from("deep file\n");
export const SMALL_BIN = pseudoRandomBytes(300 * 1024, "small.bin"); // LFS via .gitattributes, basic
export const BIG = pseudoRandomBytes(2 * MiB + 12345, "big.dat"); // LFS, multipart (3 parts of 1 MiB)
export const fx = {}; // commit ids: init, c1, c2, pr

/* ---- server and fixture ------------------------------------------------- */

// Starts this file's testhub and builds MAIN: fx.init (the initial commit),
// fx.c1 (README, regular and LFS files), fx.c2 (hello.txt changed).
export async function startHubWithMain() {
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
}

// Stops the server; fails if it died during the run.
export async function stopHub() {
	if (hub) {
		const wasAlive = hub.alive();
		const err = hub.stderr();
		await hub.stop();
		assert.ok(wasAlive, `testhub died during the run:\n${err.slice(-3000)}`);
	}
}
