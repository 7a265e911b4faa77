// testhub-http-repos.test.mjs: HTTP-level tests of hubd-testhub: whoami,
// repos (create, delete, move, settings), listing, datasets, spaces and
// re-created repos. Helpers and the fixture repo MAIN: testhub-http-lib.mjs.
//
// Run: meson test -C <build> --suite testhub   (no npm packages needed)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import {
	BAD_TOKEN,
	CHUNK,
	HELLO1,
	MAIN,
	alice,
	api,
	apiBase,
	authHeaders,
	bob,
	commit,
	createRepo,
	hub,
	hubError,
	isHex,
	ok,
	org,
	readToken,
	resolve,
	startHubWithMain,
	stopHub,
} from "./testhub-http-lib.mjs";
import { gitBlobSha1, pseudoRandomBytes, sha256, uniq } from "./testhub.mjs";

describe("hubd-testhub HTTP: whoami and repos", () => {
	before(startHubWithMain);
	after(stopHub);

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
});
