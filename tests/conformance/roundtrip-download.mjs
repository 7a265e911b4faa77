// roundtrip-download.mjs: reads back, with the official JS client
// (@huggingface/hub, pinned in package-lock.json), files that something else
// (hubd) uploaded, and checks they are byte-identical to the local copies.
// For each file it also checks what listFiles reports: the LFS oid/size must
// be the sha256/size of the local file, a regular file's oid its git blob id.
//
// Usage (the token comes from the environment, never argv):
//   HF_TOKEN=hf_... node roundtrip-download.mjs --hub-url URL \
//       [--repo-type model|dataset|space] --repo NS/NAME [--revision REV] \
//       (--file PATH_IN_REPO LOCAL_FILE | --lfs PATH_IN_REPO LOCAL_FILE)...
// --lfs also requires the Hub to list the file as LFS; --file requires it
// not to be. Every option may instead come from the environment:
// ROUNDTRIP_HUB_URL, ROUNDTRIP_REPO_TYPE, ROUNDTRIP_REPO, ROUNDTRIP_REVISION.
// Exits 0 when everything matches, 1 on any difference (one line per
// problem on stderr), 2 on bad usage or a missing node_modules.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

function usage(msg) {
	console.error(`roundtrip-download: ${msg}`);
	console.error(
		"usage: HF_TOKEN=... node roundtrip-download.mjs --hub-url URL [--repo-type TYPE] --repo ID " +
			"[--revision REV] (--file|--lfs) PATH_IN_REPO LOCAL_FILE ...",
	);
	process.exit(2);
}

function parseArgs(argv) {
	const o = {
		hubUrl: process.env.ROUNDTRIP_HUB_URL,
		repoType: process.env.ROUNDTRIP_REPO_TYPE || "model",
		repo: process.env.ROUNDTRIP_REPO,
		revision: process.env.ROUNDTRIP_REVISION || "main",
		token: process.env.HF_TOKEN || process.env.ROUNDTRIP_TOKEN,
		files: [],
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) usage(`${a} needs a value`);
			return argv[++i];
		};
		switch (a) {
			case "--hub-url":
				o.hubUrl = value();
				break;
			case "--repo-type":
				o.repoType = value();
				break;
			case "--repo":
				o.repo = value();
				break;
			case "--revision":
				o.revision = value();
				break;
			case "--file":
			case "--lfs": {
				if (i + 2 >= argv.length) usage(`${a} needs PATH_IN_REPO and LOCAL_FILE`);
				o.files.push({ path: argv[i + 1], local: argv[i + 2], lfs: a === "--lfs" });
				i += 2;
				break;
			}
			default:
				usage(`unknown argument ${JSON.stringify(a)}`);
		}
	}
	if (!o.hubUrl) usage("no Hub URL (--hub-url or ROUNDTRIP_HUB_URL)");
	if (!o.repo) usage("no repo (--repo or ROUNDTRIP_REPO)");
	if (!["model", "dataset", "space"].includes(o.repoType)) usage(`bad repo type ${o.repoType}`);
	if (o.files.length === 0) usage("no files to compare (--file or --lfs)");
	return o;
}

const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");
const gitBlobSha1 = (buf) => createHash("sha1").update(`blob ${buf.length}\0`).update(buf).digest("hex");

// Where two buffers first differ, for a message a person can act on.
function firstDifference(a, b) {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
	return n;
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	if (!existsSync(join(HERE, "node_modules", "@huggingface", "hub", "package.json"))) {
		console.error(
			"roundtrip-download: node_modules is missing: run `npm ci --prefix tests/conformance`",
		);
		process.exit(2);
	}
	const hf = await import("@huggingface/hub");
	const repo = { type: o.repoType, name: o.repo };
	const common = { repo, hubUrl: o.hubUrl, accessToken: o.token };
	const problems = [];

	const listed = new Map();
	for await (const e of hf.listFiles({ ...common, revision: o.revision, recursive: true })) {
		listed.set(e.path, e);
	}

	for (const f of o.files) {
		const what = `${o.repo}@${o.revision}:${f.path}`;
		const local = readFileSync(f.local);
		const entry = listed.get(f.path);
		if (!entry) {
			problems.push(`${what}: listFiles does not list it (listed: ${[...listed.keys()].join(", ")})`);
		} else if (entry.type !== "file") {
			problems.push(`${what}: listFiles says type ${entry.type}, expected file`);
		} else {
			if (entry.size !== local.length) {
				problems.push(`${what}: listFiles size ${entry.size}, local file has ${local.length} bytes`);
			}
			if (f.lfs) {
				if (!entry.lfs) {
					problems.push(`${what}: expected an LFS file, listFiles lists a regular file`);
				} else {
					if (entry.lfs.oid !== sha256(local)) {
						problems.push(
							`${what}: LFS oid ${entry.lfs.oid} is not the local file's sha256 ${sha256(local)}`,
						);
					}
					if (entry.lfs.size !== local.length) {
						problems.push(
							`${what}: LFS size ${entry.lfs.size}, local file has ${local.length} bytes`,
						);
					}
				}
			} else if (entry.lfs) {
				problems.push(`${what}: expected a regular file, listFiles lists an LFS file`);
			} else if (entry.oid !== gitBlobSha1(local)) {
				problems.push(
					`${what}: blob oid ${entry.oid} is not the local file's git blob id ${gitBlobSha1(local)}`,
				);
			}
		}

		let blob;
		try {
			blob = await hf.downloadFile({ ...common, revision: o.revision, path: f.path, xet: false });
		} catch (e) {
			problems.push(`${what}: downloadFile failed: ${e?.message ?? e}`);
			continue;
		}
		if (!blob) {
			problems.push(`${what}: downloadFile says the file does not exist`);
			continue;
		}
		const got = Buffer.from(await blob.arrayBuffer());
		if (!got.equals(local)) {
			problems.push(
				`${what}: downloaded ${got.length} bytes (sha256 ${sha256(got)}) differ from ` +
					`${f.local} (${local.length} bytes, sha256 ${sha256(local)}) from byte ${firstDifference(got, local)}`,
			);
		} else {
			console.log(`ok ${what} (${got.length} bytes${entry?.lfs ? ", LFS" : ""})`);
		}
	}

	if (problems.length > 0) {
		for (const p of problems) console.error(`roundtrip-download: MISMATCH ${p}`);
		process.exit(1);
	}
}

main().catch((e) => {
	console.error(`roundtrip-download: ${e?.stack ?? e}`);
	process.exit(1);
});
