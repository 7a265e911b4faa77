// conformance.mjs: the official JS client (@huggingface/hub, version pinned in
// package-lock.json) runs its whole flow against a fresh hubd-testhub.
// This is the proof of the server's fidelity: if the official client cannot
// use it, neither the test server nor the tests built on it can be trusted.
//
// Run: meson test -C <build> --suite conformance   (needs `npm ci --prefix tests/conformance`)

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";

import {
	HERE,
	MiB,
	gitBlobSha1,
	lfsPointer,
	pickActors,
	pseudoRandomBytes,
	sha256,
	startTesthub,
	uniq,
} from "./testhub.mjs";

// The dependency check must fail loudly, not skip: CI must install it.
const HUB_PKG = join(HERE, "node_modules", "@huggingface", "hub", "package.json");
if (!existsSync(HUB_PKG)) {
	console.error(
		"conformance: node_modules is missing: run `npm ci --prefix tests/conformance` " +
			"(installs the pinned @huggingface/hub from package-lock.json)",
	);
	process.exit(1);
}
const hf = await import("@huggingface/hub");

const CHUNK = 5 * MiB; // --lfs-chunk-size: LFS objects above this go multipart
const { alice, bob, org } = pickActors();

let hub;
let hubUrl;
const P = () => ({ hubUrl, accessToken: alice.token });

const modelRepo = { type: "model", name: `${alice.name}/${uniq("conf-model")}` };
const datasetRepo = { type: "dataset", name: `${alice.name}/${uniq("conf-data")}` };
const orgRepo = { type: "model", name: `${org}/${uniq("conf-org")}` };

const README = "---\nlicense: mit\ntags:\n- conformance\n---\n# Conformance\n\nA model card.\n";
const FILES = {
	"README.md": Buffer.from(README),
	"hello.txt": Buffer.from("hello from the official client\n"),
	"empty.txt": Buffer.alloc(0),
	// LFS by the default .gitattributes (*.bin), below the chunk size: basic PUT
	"model.bin": pseudoRandomBytes(2 * MiB, "model.bin"),
	// LFS by size (> 10 MiB); 12 MiB > chunk: 3 parts
	"data/lfs-12m.dat": pseudoRandomBytes(12 * MiB, "lfs-12m"),
	// 13 MiB: ceil(13/5) = 3 parts, the last one short
	"data/multi-13m.dat": pseudoRandomBytes(13 * MiB, "multi-13m"),
};
const LFS_PATHS = ["model.bin", "data/lfs-12m.dat", "data/multi-13m.dat"];
let uploadCommit;

async function listAll(repo, opts = {}) {
	const out = [];
	for await (const e of hf.listFiles({ repo, hubUrl, accessToken: alice.token, ...opts })) out.push(e);
	return out;
}

async function rejectsWithStatus(promise, statuses, what) {
	let err;
	try {
		await promise;
	} catch (e) {
		err = e;
	}
	assert.ok(err, `${what}: expected an error, got success`);
	assert.ok(err instanceof hf.HubApiError, `${what}: expected HubApiError, got ${err?.constructor?.name}: ${err}`);
	assert.ok(statuses.includes(err.statusCode), `${what}: status ${err.statusCode}, expected one of ${statuses}`);
	return err;
}

describe("official @huggingface/hub client against hubd-testhub", () => {
	before(async () => {
		hub = await startTesthub({ args: ["--lfs-chunk-size", String(CHUNK)] });
		hubUrl = hub.url;
	});
	after(async () => {
		if (hub) {
			assert.ok(hub.alive(), `testhub died during the run:\n${hub.stderr()}`);
			await hub.stop();
		}
	});

	it("whoAmI returns the token's user, orgs and token info", async () => {
		const me = await hf.whoAmI({ hubUrl, accessToken: alice.token });
		assert.equal(me.type, "user");
		assert.equal(me.name, alice.name);
		assert.match(me.id, /^[0-9a-f]{24}$/);
		assert.ok(Array.isArray(me.orgs) && me.orgs.some((o) => o.name === org && o.type === "org"));
		assert.equal(me.auth.type, "access_token");
		assert.equal(me.auth.accessToken.role, "write");
		assert.ok(me.auth.accessToken.createdAt instanceof Date && !isNaN(me.auth.accessToken.createdAt));
		const other = await hf.whoAmI({ hubUrl, accessToken: bob.token });
		assert.equal(other.name, bob.name);
		assert.notEqual(other.id, me.id);
	});

	it("whoAmI with a bad token is a 401 error", async () => {
		const err = await rejectsWithStatus(
			hf.whoAmI({ hubUrl, accessToken: "hf_thisTokenDoesNotExist0000000000" }),
			[401],
			"whoAmI(bad token)",
		);
		assert.ok(err.message.length > 0);
	});

	it("createRepo: model, dataset, org namespace; a second create is 409", async () => {
		const m = await hf.createRepo({ repo: modelRepo, ...P() });
		assert.equal(m.repoUrl, `${hubUrl}/${modelRepo.name}`);
		const d = await hf.createRepo({ repo: datasetRepo, ...P() });
		assert.equal(d.repoUrl, `${hubUrl}/datasets/${datasetRepo.name}`);
		const o = await hf.createRepo({ repo: orgRepo, ...P() });
		assert.equal(o.repoUrl, `${hubUrl}/${orgRepo.name}`);
		const err = await rejectsWithStatus(hf.createRepo({ repo: modelRepo, ...P() }), [409], "createRepo twice");
		assert.match(err.message, /already created this model repo/);
		// bob may not create in alice's namespace
		await rejectsWithStatus(
			hf.createRepo({
				repo: { type: "model", name: `${alice.name}/${uniq("not-bobs")}` },
				hubUrl,
				accessToken: bob.token,
			}),
			[401, 403],
			"createRepo in another user's namespace",
		);
	});

	it("a new repo has the initial commit with .gitattributes", async () => {
		const files = await listAll(modelRepo, { recursive: true });
		assert.deepEqual(
			files.map((f) => f.path),
			[".gitattributes"],
		);
		const ga = await hf.downloadFile({ repo: modelRepo, path: ".gitattributes", xet: false, ...P() });
		const text = await ga.text();
		assert.match(text, /\*\.bin filter=lfs diff=lfs merge=lfs -text/);
		assert.equal(files[0].oid, gitBlobSha1(Buffer.from(text)));
	});

	it("uploadFiles: text, empty, basic LFS, two multipart LFS files in one commit", async () => {
		await hub.admin.clearRequests();
		const out = await hf.uploadFiles({
			repo: modelRepo,
			files: Object.entries(FILES).map(([path, buf]) => ({ path, content: new Blob([buf]) })),
			commitTitle: "Upload conformance files",
			useXet: false,
			...P(),
		});
		assert.ok(out, "uploadFiles returned no commit");
		assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
		assert.equal(out.commit.url, `${hubUrl}/${modelRepo.name}/commit/${out.commit.oid}`);
		uploadCommit = out.commit.oid;

		// The wire: LFS bytes went to the CDN origin, one PUT for the basic
		// object and ceil(size/chunk) part PUTs for each multipart one.
		const log = await hub.admin.requests();
		const cdnPuts = log.filter((r) => r.origin === "cdn" && r.method === "PUT");
		const expectedPuts = LFS_PATHS.map((p) => FILES[p].length).reduce(
			(n, size) => n + (size > CHUNK ? Math.ceil(size / CHUNK) : 1),
			0,
		);
		assert.equal(cdnPuts.length, expectedPuts, `CDN PUTs: ${JSON.stringify(cdnPuts)}`);
		assert.ok(cdnPuts.every((r) => r.status >= 200 && r.status < 300));
		assert.ok(
			log.some((r) => r.method === "POST" && /\/info\/lfs\/objects\/batch$/.test(r.path) && r.status === 200),
			"no successful LFS batch call logged",
		);
		assert.ok(log.some((r) => r.method === "POST" && /\/preupload\/main$/.test(r.path) && r.status === 200));
	});

	it("listFiles (recursive) shows every file with git oids, sizes and LFS info", async () => {
		const entries = await listAll(modelRepo, { recursive: true });
		const files = new Map(entries.filter((e) => e.type === "file").map((e) => [e.path, e]));
		assert.deepEqual([...files.keys()].sort(), [".gitattributes", ...Object.keys(FILES)].sort());
		assert.ok(
			entries.some((e) => e.type === "directory" && e.path === "data"),
			"recursive listing lacks the 'data' directory entry",
		);
		for (const [path, buf] of Object.entries(FILES)) {
			const e = files.get(path);
			assert.equal(e.size, buf.length, `${path} size`);
			if (LFS_PATHS.includes(path)) {
				const sha = sha256(buf);
				const pointer = lfsPointer(sha, buf.length);
				assert.deepEqual(e.lfs, { oid: sha, size: buf.length, pointerSize: pointer.length }, `${path} lfs`);
				assert.equal(e.oid, gitBlobSha1(Buffer.from(pointer)), `${path} oid (pointer blob)`);
			} else {
				assert.equal(e.lfs, undefined, `${path} must not be LFS`);
				assert.equal(e.oid, gitBlobSha1(buf), `${path} oid`);
			}
			assert.equal(e.xetHash, undefined, "testhub must not advertise xet");
		}
		// .gitattributes now tracks the LFS paths not covered by the defaults
		const ga = await (await hf.downloadFile({ repo: modelRepo, path: ".gitattributes", xet: false, ...P() })).text();
		for (const p of ["data/lfs-12m.dat", "data/multi-13m.dat"]) {
			assert.ok(ga.includes(`${p} filter=lfs diff=lfs merge=lfs -text`), `.gitattributes lacks ${p}:\n${ga}`);
		}
	});

	it("listFiles (non-recursive, path, expand)", async () => {
		const top = await listAll(modelRepo);
		assert.deepEqual(
			top.map((e) => `${e.type}:${e.path}`).sort(),
			[".gitattributes", "README.md", "empty.txt", "hello.txt", "model.bin"]
				.map((p) => `file:${p}`)
				.concat(["directory:data"])
				.sort(),
		);
		const sub = await listAll(modelRepo, { path: "data" });
		assert.deepEqual(sub.map((e) => e.path).sort(), ["data/lfs-12m.dat", "data/multi-13m.dat"]);
		const expanded = await listAll(modelRepo, { path: "data", expand: true });
		for (const e of expanded) {
			assert.equal(e.lastCommit?.id, uploadCommit, `${e.path} lastCommit`);
			assert.equal(e.lastCommit?.title, "Upload conformance files");
		}
	});

	it("downloadFile returns every file byte for byte (LFS through the CDN)", async () => {
		for (const [path, buf] of Object.entries(FILES)) {
			if (buf.length === 0) continue; // hfjs probes with Range: bytes=0-0, unsatisfiable on 0 bytes
			const blob = await hf.downloadFile({ repo: modelRepo, path, xet: false, ...P() });
			assert.ok(blob, `${path}: downloadFile returned null`);
			const got = Buffer.from(await blob.arrayBuffer());
			assert.equal(got.length, buf.length, `${path} length`);
			assert.equal(sha256(got), sha256(buf), `${path} sha256`);
		}
		// by commit id too, and a ranged slice of a multipart-uploaded file
		const blob = await hf.downloadFile({
			repo: modelRepo,
			path: "data/multi-13m.dat",
			revision: uploadCommit,
			xet: false,
			...P(),
		});
		const slice = Buffer.from(await blob.slice(CHUNK - 10, CHUNK + 10).arrayBuffer());
		assert.deepEqual(slice, FILES["data/multi-13m.dat"].subarray(CHUNK - 10, CHUNK + 10));
		// raw gives the pointer of an LFS file
		const raw = await hf.downloadFile({ repo: modelRepo, path: "model.bin", raw: true, xet: false, ...P() });
		assert.equal(await raw.text(), lfsPointer(sha256(FILES["model.bin"]), FILES["model.bin"].length));
		// a missing file is null (EntryNotFound), not an exception
		assert.equal(await hf.downloadFile({ repo: modelRepo, path: "nope.txt", xet: false, ...P() }), null);
		assert.equal(await hf.fileExists({ repo: modelRepo, path: "hello.txt", ...P() }), true);
		assert.equal(await hf.fileExists({ repo: modelRepo, path: "nope.txt", ...P() }), false);
	});

	it("the CDN origin never received an Authorization header", async () => {
		const log = await hub.admin.requests();
		assert.deepEqual([...new Set(log.map((r) => r.origin))].sort(), ["cdn", "hub"], "request log origins");
		const cdn = log.filter((r) => r.origin === "cdn");
		assert.ok(cdn.length > 0, `no CDN request was logged; origins seen: ${[...new Set(log.map((r) => r.origin))]}`);
		assert.ok(cdn.some((r) => r.method === "GET" && r.status >= 200 && r.status < 300), "no CDN download logged");
		const leaked = cdn.filter((r) => r.authorization !== false);
		assert.deepEqual(leaked, [], "requests to the CDN carried Authorization");
		// and the Hub origin did see authenticated calls (the flag is meaningful)
		assert.ok(log.some((r) => r.origin === "hub" && r.authorization === true));
	});

	it("tree listing pages (Link) are followed by listFiles without loss or duplicates", async () => {
		const N = 1010; // the Hub pages trees by 1000 entries
		const files = Array.from({ length: N }, (_, i) => ({
			path: `shards/part-${String(i).padStart(5, "0")}.txt`,
			content: new Blob([`shard ${i}\n`]),
		}));
		const out = await hf.uploadFiles({ repo: datasetRepo, files, commitTitle: "many files", useXet: false, ...P() });
		assert.ok(out?.commit?.oid);
		assert.equal(out.commit.url, `${hubUrl}/datasets/${datasetRepo.name}/commit/${out.commit.oid}`);
		await hub.admin.clearRequests();
		const entries = await listAll(datasetRepo, { recursive: true });
		const paths = entries.map((e) => e.path);
		assert.equal(new Set(paths).size, paths.length, "duplicate entries across pages");
		const want = [".gitattributes", "shards", ...files.map((f) => f.path)].sort();
		assert.deepEqual([...paths].sort(), want);
		const log = await hub.admin.requests();
		const treeCalls = log.filter((r) => r.method === "GET" && r.path.includes(`/api/datasets/${datasetRepo.name}/tree/`));
		assert.ok(treeCalls.length >= 2, `expected a paged listing, got ${treeCalls.length} tree request(s)`);
		const sample = await hf.downloadFile({ repo: datasetRepo, path: files[1005].path, xet: false, ...P() });
		assert.equal(await sample.text(), "shard 1005\n");
	});

	it("commit with deletions removes files from the tree", async () => {
		const del = await hf.deleteFile({ repo: modelRepo, path: "hello.txt", ...P() });
		assert.match(del.commit.oid, /^[0-9a-f]{40}$/);
		const c = await hf.commit({
			repo: modelRepo,
			title: "delete one LFS file, add one",
			operations: [
				{ operation: "delete", path: "data/lfs-12m.dat" },
				{ operation: "addOrUpdate", path: "added.txt", content: new Blob(["added\n"]) },
			],
			useXet: false,
			...P(),
		});
		assert.notEqual(c.commit.oid, del.commit.oid);
		const paths = (await listAll(modelRepo, { recursive: true })).map((e) => e.path);
		assert.ok(!paths.includes("hello.txt"), "hello.txt still listed");
		assert.ok(!paths.includes("data/lfs-12m.dat"), "data/lfs-12m.dat still listed");
		assert.ok(paths.includes("added.txt") && paths.includes("data/multi-13m.dat"));
		assert.equal(await hf.downloadFile({ repo: modelRepo, path: "hello.txt", xet: false, ...P() }), null);
		// the old commit still has it
		const old = await hf.downloadFile({ repo: modelRepo, path: "hello.txt", revision: uploadCommit, xet: false, ...P() });
		assert.equal(await old.text(), FILES["hello.txt"].toString());
		// a stale parentCommit is refused (412)
		await rejectsWithStatus(
			hf.commit({
				repo: modelRepo,
				title: "stale parent",
				parentCommit: uploadCommit,
				operations: [{ operation: "addOrUpdate", path: "stale.txt", content: new Blob(["x"]) }],
				useXet: false,
				...P(),
			}),
			[412],
			"commit with a stale parentCommit",
		);
	});

	it("branches, tags and PR commits are visible to the client", async () => {
		await hf.createBranch({ repo: modelRepo, branch: "dev", revision: uploadCommit, hubUrl, accessToken: alice.token });
		const onDev = await listAll(modelRepo, { revision: "dev" });
		assert.ok(onDev.some((e) => e.path === "hello.txt"), "branch dev should start at the upload commit");
		const pr = await hf.commit({
			repo: modelRepo,
			title: "a PR",
			isPullRequest: true,
			operations: [{ operation: "addOrUpdate", path: "pr.txt", content: new Blob(["pr\n"]) }],
			useXet: false,
			...P(),
		});
		assert.match(pr.pullRequestUrl ?? "", /\/discussions\/\d+$/);
		const n = pr.pullRequestUrl.match(/(\d+)$/)[1];
		const prFile = await hf.downloadFile({ repo: modelRepo, path: "pr.txt", revision: `refs/pr/${n}`, xet: false, ...P() });
		assert.equal(await prFile?.text(), "pr\n");
		assert.equal(await hf.downloadFile({ repo: modelRepo, path: "pr.txt", xet: false, ...P() }), null, "PR leaked into main");
		await hf.deleteBranch({ repo: modelRepo, branch: "dev", hubUrl, accessToken: alice.token });
		await assert.rejects(listAll(modelRepo, { revision: "dev" }));
	});

	it("listModels with a search finds the repo, and only matching ones", async () => {
		const found = [];
		for await (const m of hf.listModels({ search: { query: modelRepo.name.split("/")[1] }, ...P() })) found.push(m);
		assert.deepEqual(
			found.map((m) => m.name),
			[modelRepo.name],
		);
		assert.equal(found[0].private, false);
		assert.ok(!isNaN(found[0].updatedAt), "lastModified missing or invalid");
		assert.match(found[0].id, /^[0-9a-f]{24}$/, "_id missing");
		const byOwner = [];
		for await (const m of hf.listModels({ search: { owner: org }, ...P() })) byOwner.push(m.name);
		assert.ok(byOwner.includes(orgRepo.name) && !byOwner.includes(modelRepo.name), JSON.stringify(byOwner));
		const none = [];
		for await (const m of hf.listModels({ search: { query: "no-such-model-zzzz" }, ...P() })) none.push(m);
		assert.deepEqual(none, []);
	});

	it("modelInfo / datasetInfo / repoExists", async () => {
		const info = await hf.modelInfo({ name: modelRepo.name, additionalFields: ["sha", "cardData", "siblings"], ...P() });
		assert.equal(info.name, modelRepo.name);
		assert.equal(info.private, false);
		assert.equal(info.gated, false);
		assert.ok(!isNaN(info.updatedAt));
		assert.match(info.sha, /^[0-9a-f]{40}$/);
		assert.equal(info.cardData?.license, "mit");
		assert.deepEqual(info.cardData?.tags, ["conformance"]);
		const sib = info.siblings.map((s) => s.rfilename).sort();
		assert.ok(sib.includes("README.md") && sib.includes("added.txt") && !sib.includes("hello.txt"), JSON.stringify(sib));
		const atUpload = await hf.modelInfo({ name: modelRepo.name, revision: uploadCommit, additionalFields: ["sha"], ...P() });
		assert.equal(atUpload.sha, uploadCommit);
		const ds = await hf.datasetInfo({ name: datasetRepo.name, ...P() });
		assert.equal(ds.name, datasetRepo.name);
		assert.equal(await hf.repoExists({ repo: modelRepo, hubUrl, accessToken: alice.token }), true);
		assert.equal(await hf.repoExists({ repo: { type: "model", name: `${alice.name}/nope-${Date.now()}` }, hubUrl }), false);
	});

	it("private repos are hidden from other users and anonymous callers", async () => {
		const priv = { type: "model", name: `${alice.name}/${uniq("conf-private")}` };
		await hf.createRepo({ repo: priv, visibility: "private", ...P() });
		assert.equal((await hf.modelInfo({ name: priv.name, ...P() })).private, true);
		await rejectsWithStatus(
			hf.modelInfo({ name: priv.name, hubUrl, accessToken: bob.token }),
			[404],
			"modelInfo(private, other user)",
		);
		await rejectsWithStatus(hf.modelInfo({ name: priv.name, hubUrl }), [401], "modelInfo(private, anonymous)");
		const names = [];
		for await (const m of hf.listModels({ search: { owner: alice.name }, hubUrl, accessToken: bob.token }))
			names.push(m.name);
		assert.ok(!names.includes(priv.name), "private repo listed for another user");
	});

	it("downloading from a missing repo is a 404 (401 anonymous)", async () => {
		const missing = { type: "model", name: `${alice.name}/does-not-exist-${Date.now()}` };
		await rejectsWithStatus(
			hf.downloadFile({ repo: missing, path: "x.txt", xet: false, ...P() }),
			[404],
			"downloadFile(missing repo)",
		);
		await rejectsWithStatus(
			hf.downloadFile({ repo: missing, path: "x.txt", xet: false, hubUrl }),
			[401],
			"downloadFile(missing repo, anonymous)",
		);
	});

	it("deleteRepo removes the repo", async () => {
		await hf.deleteRepo({ repo: modelRepo, ...P() });
		await rejectsWithStatus(hf.modelInfo({ name: modelRepo.name, ...P() }), [404], "modelInfo after delete");
		assert.equal(await hf.repoExists({ repo: modelRepo, hubUrl, accessToken: alice.token }), false);
		const found = [];
		for await (const m of hf.listModels({ search: { query: modelRepo.name.split("/")[1] }, ...P() })) found.push(m);
		assert.deepEqual(found, []);
		await rejectsWithStatus(hf.deleteRepo({ repo: modelRepo, ...P() }), [404], "deleteRepo twice");
		await hf.deleteRepo({ repo: datasetRepo, ...P() });
		await hf.deleteRepo({ repo: orgRepo, ...P() });
	});

	it("the CDN origin still never received an Authorization header", async () => {
		const log = await hub.admin.requests();
		assert.deepEqual(
			log.filter((r) => r.origin === "cdn" && r.authorization !== false),
			[],
		);
	});
});
