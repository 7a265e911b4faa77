// download-js.mjs: the official JS client (@huggingface/hub, installed under
// tests/conformance/node_modules) for tests/bench/download.sh — fixtures and
// the JS side of the comparison, against the local Hub.
//
//   node download-js.mjs create   ENDPOINT TOKEN REPO
//   node download-js.mjs upload   ENDPOINT TOKEN REPO PATH_IN_REPO LOCAL_FILE
//   node download-js.mjs upload-many ENDPOINT TOKEN REPO COUNT SIZE
//   node download-js.mjs download ENDPOINT REPO FILE OUT_PATH
//   node download-js.mjs snapshot ENDPOINT REPO CACHE_DIR CONCURRENCY
//
// `download` streams downloadFile() to OUT_PATH; `snapshot` lists the repo and
// runs downloadFileToCacheDir() CONCURRENCY at a time (snapshotDownload() goes
// one file after another, which would make the comparison unfair to JS).
import { createWriteStream, openAsBlob } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const hf = await import(
	join(here, "..", "conformance", "node_modules", "@huggingface", "hub", "dist", "index.mjs")
);

const [mode, ...args] = process.argv.slice(2);
// the library logs every file it fetches on stdout; the report is ours alone
const print = console.log.bind(console);
console.log = console.debug = console.info = () => {};

async function main() {
	switch (mode) {
		case "create": {
			const [hubUrl, accessToken, name] = args;
			await hf.createRepo({ repo: { type: "model", name }, hubUrl, accessToken });
			return;
		}
		case "upload": {
			const [hubUrl, accessToken, name, path, local] = args;
			await hf.uploadFiles({
				repo: { type: "model", name },
				files: [{ path, content: await openAsBlob(local) }],
				commitTitle: `bench: ${path}`,
				useXet: false,
				hubUrl,
				accessToken,
			});
			return;
		}
		case "upload-many": {
			const [hubUrl, accessToken, name, count, size] = args;
			const files = Array.from({ length: Number(count) }, (_, i) => {
				const head = `file ${i}\n`;
				return {
					path: `small/f-${String(i).padStart(5, "0")}.txt`,
					content: new Blob([head + "x".repeat(Math.max(0, Number(size) - head.length))]),
				};
			});
			await hf.uploadFiles({
				repo: { type: "model", name },
				files,
				commitTitle: `bench: ${count} small files`,
				useXet: false,
				hubUrl,
				accessToken,
			});
			return;
		}
		case "download": {
			const [hubUrl, name, path, out] = args;
			const blob = await hf.downloadFile({ repo: { type: "model", name }, path, xet: false, hubUrl });
			if (!blob) throw new Error(`${path}: not found`);
			await pipeline(Readable.fromWeb(blob.stream()), createWriteStream(out));
			return;
		}
		case "snapshot": {
			const [hubUrl, name, cacheDir, concurrency] = args;
			const repo = { type: "model", name };
			const paths = [];
			for await (const e of hf.listFiles({ repo, recursive: true, hubUrl })) {
				if (e.type === "file") paths.push(e.path);
			}
			let next = 0;
			const worker = async () => {
				while (next < paths.length) {
					const path = paths[next++];
					await hf.downloadFileToCacheDir({ repo, path, cacheDir, hubUrl });
				}
			};
			await Promise.all(Array.from({ length: Number(concurrency) }, worker));
			print(paths.length);
			return;
		}
		default:
			throw new Error(`unknown mode ${mode}`);
	}
}

await main();
