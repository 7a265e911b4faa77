// js-cache-download.mjs: the official JS client (@huggingface/hub) fetching
// every file of a repo into a huggingface_hub cache folder, several at once,
// for hubd-two-clients-test.c (which runs hubd on the same folder meanwhile).
//
//   node js-cache-download.mjs CONFORMANCE_DIR ENDPOINT REPO CACHE_DIR
//
// Prints one JSON object: {"PATH_IN_REPO": "LOCAL_PATH", ...}.
import { join } from "node:path";

const [conformance, hubUrl, name, cacheDir] = process.argv.slice(2);
const hf = await import(
	join(conformance, "node_modules", "@huggingface", "hub", "dist", "index.mjs")
);
// the library logs every file it fetches on stdout; the report is ours alone
const print = console.log.bind(console);
console.log = console.debug = console.info = () => {};

const repo = { type: "model", name };
const paths = [];
for await (const e of hf.listFiles({ repo, recursive: true, hubUrl })) {
	if (e.type === "file") paths.push(e.path);
}
const out = {};
await Promise.all(
	paths.map(async (path) => {
		out[path] = await hf.downloadFileToCacheDir({ repo, path, cacheDir, hubUrl });
	}),
);
print(JSON.stringify(out));
