// testhub.mjs: start/stop a fresh hubd-testhub for one test file, plus small
// helpers shared by conformance.mjs and the testhub-http-*.test.mjs files.
//
// Environment (set by tests/conformance/meson.build):
//   TESTHUB        path of the hubd-testhub executable (required)
//   TESTHUB_USERS  users.json given to --users (default: ../testhub/users.json)

import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const HERE = dirname(fileURLToPath(import.meta.url));

export function testhubExecutable() {
	const exe = process.env.TESTHUB;
	if (!exe) {
		throw new Error(
			"TESTHUB is not set: run through meson (`meson test --suite conformance`) " +
				"or set TESTHUB=<build>/tests/testhub/hubd-testhub",
		);
	}
	if (!existsSync(exe)) {
		throw new Error(`TESTHUB=${exe} does not exist (build it first: meson compile -C <build>)`);
	}
	return exe;
}

export function usersFile() {
	return process.env.TESTHUB_USERS || join(HERE, "..", "testhub", "users.json");
}

/* ---- users.json -------------------------------------------------------- */

// Normalises users.json into {users: [{name, orgs, tokens: [{token, role}]}], orgs: [name]}.
// Tolerant about the exact layout (array or {users, orgs}; orgs either separate
// or entries with type "org"), strict about what the tests need.
export function loadUsers(path = usersFile()) {
	const raw = JSON.parse(readFileSync(path, "utf8"));
	const entries = Array.isArray(raw)
		? raw
		: [...(raw.users ?? []), ...(raw.orgs ?? []).map((o) => ({ ...o, type: "org" }))];
	const users = [];
	const orgs = [];
	for (const e of entries) {
		const isOrg = e.type === "org" || e.is_org === true || e.isOrg === true;
		if (isOrg) {
			orgs.push(e.name);
			continue;
		}
		const tokens = (e.tokens ?? []).map((t) =>
			typeof t === "string"
				? { token: t, role: "write" }
				: {
						token: t.token ?? t.value,
						role: t.role ?? "write",
						displayName: t.displayName ?? t.display_name ?? t.name,
					},
		);
		users.push({
			name: e.name,
			fullname: e.fullname,
			email: e.email,
			orgs: (e.orgs ?? []).map((o) => (typeof o === "string" ? o : o.name)),
			tokens,
		});
	}
	return { users, orgs };
}

// Picks the actors the tests need: alice (write token, member of an org),
// bob (another user with a write token), a read-only token if there is one.
export function pickActors(u = loadUsers()) {
	const withWrite = u.users.filter((x) => x.tokens.some((t) => t.role === "write"));
	const writeToken = (x) => x.tokens.find((t) => t.role === "write").token;
	const alice = withWrite.find((x) => x.orgs.length > 0) ?? withWrite[0];
	const bob = withWrite.find((x) => x !== alice);
	if (!alice || !bob) {
		throw new Error("users.json must define at least two users with a write token");
	}
	const readOnly = u.users.flatMap((x) => x.tokens.filter((t) => t.role === "read").map((t) => ({ user: x, ...t })));
	return {
		alice: { ...alice, token: writeToken(alice) },
		bob: { ...bob, token: writeToken(bob) },
		org: alice.orgs[0],
		readToken: readOnly[0],
	};
}

/* ---- server lifecycle -------------------------------------------------- */

const running = new Set();
// meson kills a timed-out test with SIGTERM: take the servers down with us.
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) {
	process.once(sig, () => process.exit(128 + (sig === "SIGINT" ? 2 : sig === "SIGHUP" ? 1 : 15)));
}
process.on("exit", () => {
	for (const hub of running) {
		try {
			hub.proc.kill("SIGKILL");
		} catch {
			/* already gone */
		}
		try {
			rmSync(hub.root, { recursive: true, force: true });
		} catch {
			/* best effort */
		}
	}
});

// Starts a fresh testhub on a free loopback port with a fresh temp root.
// Returns {url, cdnOrigin?, root, adminSecret, admin, stop, stderr}.
export async function startTesthub({ args = [], timeoutMs = 15000 } = {}) {
	const exe = testhubExecutable();
	const root = mkdtempSync(join(tmpdir(), "testhub-conformance-"));
	const adminSecret = randomBytes(12).toString("hex");
	const argv = [
		"--root",
		root,
		"--port",
		"0",
		"--host",
		"127.0.0.1",
		"--users",
		usersFile(),
		"--admin-secret",
		adminSecret,
		...args,
	];
	const proc = spawn(exe, argv, { stdio: ["ignore", "pipe", "pipe"] });
	let stderr = "";
	proc.stderr.setEncoding("utf8");
	proc.stderr.on("data", (d) => {
		stderr += d;
		if (stderr.length > 200000) stderr = stderr.slice(-100000);
	});
	const hub = { proc, root, adminSecret, stderr: () => stderr };
	running.add(hub);

	const url = await new Promise((resolve, reject) => {
		let out = "";
		const timer = setTimeout(() => {
			reject(new Error(`hubd-testhub printed no URL within ${timeoutMs} ms; stderr:\n${stderr}`));
		}, timeoutMs);
		proc.stdout.setEncoding("utf8");
		const onData = (d) => {
			out += d;
			const nl = out.indexOf("\n");
			if (nl >= 0) {
				clearTimeout(timer);
				proc.stdout.off("data", onData);
				proc.stdout.resume(); // keep draining
				resolve(out.slice(0, nl).trim());
			}
		};
		proc.stdout.on("data", onData);
		proc.on("error", (e) => {
			clearTimeout(timer);
			reject(e);
		});
		proc.on("exit", (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`hubd-testhub exited early (code ${code}, signal ${sig}); stderr:\n${stderr}`));
		});
	});
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) {
		await stopHub(hub);
		throw new Error(`first stdout line of hubd-testhub is not a base URL: ${JSON.stringify(url)}`);
	}
	hub.url = url;
	hub.exitCode = null;
	proc.on("exit", (code, sig) => {
		hub.exitCode = code ?? sig;
	});
	hub.alive = () => proc.exitCode === null && proc.signalCode === null;
	hub.stop = () => stopHub(hub);
	hub.admin = adminClient(url, adminSecret);
	return hub;
}

async function stopHub(hub) {
	running.delete(hub);
	const { proc } = hub;
	if (proc.exitCode === null && proc.signalCode === null) {
		const gone = new Promise((r) => proc.once("exit", r));
		proc.kill("SIGTERM");
		const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
		await gone;
		clearTimeout(t);
	}
	rmSync(hub.root, { recursive: true, force: true });
}

function adminClient(url, secret) {
	const h = { "X-Testhub-Admin": secret };
	return {
		async requests() {
			const r = await fetch(`${url}/_testhub/requests`, { headers: h });
			if (r.status !== 200) throw new Error(`GET /_testhub/requests: ${r.status} ${await r.text()}`);
			return r.json();
		},
		async clearRequests() {
			const r = await fetch(`${url}/_testhub/requests`, { method: "DELETE", headers: h });
			if (!r.ok) throw new Error(`DELETE /_testhub/requests: ${r.status} ${await r.text()}`);
		},
		async setFaults(rules) {
			const r = await fetch(`${url}/_testhub/faults`, {
				method: "POST",
				headers: { ...h, "Content-Type": "application/json" },
				body: JSON.stringify(rules),
			});
			if (!r.ok) throw new Error(`POST /_testhub/faults: ${r.status} ${await r.text()}`);
		},
	};
}

/* ---- hashing and content ----------------------------------------------- */

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

// git blob id: sha1("blob <size>\0" + content)
export function gitBlobSha1(buf) {
	const b = Buffer.from(buf);
	return createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
}

export function lfsPointer(sha, size) {
	return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha}\nsize ${size}\n`;
}

// Deterministic pseudo-random bytes (fast, seedable): sha256 counter stream.
export function pseudoRandomBytes(size, seed) {
	const out = Buffer.allocUnsafe(size);
	let off = 0;
	let i = 0;
	while (off < size) {
		const block = createHash("sha256").update(`${seed}:${i++}`).digest();
		off += block.copy(out, off, 0, Math.min(block.length, size - off));
	}
	return out;
}

export const MiB = 1024 * 1024;
export const uniq = (prefix) => `${prefix}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
