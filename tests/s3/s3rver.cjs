// Starts @20minutes/s3rver, an S3 server that checks SigV4 signatures (its one
// account: access key id S3RVER, secret S3RVER), for the S3 plugin's tests and
// benchmark. Usage: node s3rver.cjs DIRECTORY [BUCKET...]
// Prints "PORT <n>" once it listens on 127.0.0.1, and exits when its standard
// input closes, so it never outlives the test that started it.
// s3rver's package asks for node >= 20, but every test that uses it passes on
// node 18.19, Debian 12's (what contrib/install-deps.sh installs when there is
// no node): package.json asks for >= 18, as tests/conformance does.
'use strict';

// s3rver escapes XML text itself (he.escape) and lets fast-xml-parser escape it
// again, so a key with "&" is listed as "&amp;amp;". Its builders are made
// here without the second escaping; the first one stays.
// s3rver makes its continuation tokens with single DES, which OpenSSL 3 keeps
// in its legacy provider only. Triple DES with the key three times is the
// same cipher, and in the default provider.
const crypto = require('crypto');
for (const name of ['createCipheriv', 'createDecipheriv']) {
  const original = crypto[name];
  crypto[name] = (algorithm, key, iv, options) =>
    algorithm === 'des'
      ? original('des-ede3-cbc', Buffer.concat([key, key, key]), iv, options)
      : original(algorithm, key, iv, options);
}

const { XMLBuilder } = require('fast-xml-parser');
const build = XMLBuilder.prototype.build;
XMLBuilder.prototype.build = function buildOnce(object) {
  this.options.processEntities = false;
  return build.call(this, object);
};

const S3rver = require('@20minutes/s3rver');
const FilesystemStore = require('@20minutes/s3rver/lib/stores/filesystem');

// s3rver lists keys in the order it walks its folders, which is not S3's:
// ListObjectsV2 returns keys "in UTF-8 binary order" (S3 API reference). The
// listing is sorted here as S3 sorts it, so that the storage conformance
// suite tests the backend, not this stand-in's folder walk.
const walkedList = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { startAfter = '', maxKeys = Infinity, ...rest } = options;
  const all = await walkedList.call(this, bucket, { ...rest, startAfter: '' });
  const utf8 = (key) => Buffer.from(key, 'utf8');
  const after = utf8(startAfter || '');
  const objects = all.objects
    .filter((object) => !startAfter || Buffer.compare(utf8(object.key), after) > 0)
    .sort((a, b) => Buffer.compare(utf8(a.key), utf8(b.key)));
  return {
    ...all,
    objects: objects.slice(0, maxKeys),
    isTruncated: objects.length > maxKeys,
  };
};

// s3rver writes an object's bytes in place and its checksum after, so racing
// PUTs of one key mix, and a body cut off midway is left as the object. S3
// never shows a partial object and the last complete write wins whole (S3
// User Guide, "Amazon S3 data consistency model"). Each body is written to
// a file of its own here, then moved into place with its metadata, one
// writer of a key at a time.
const fs = require('fs/promises');
const path = require('path');

const keyLocks = new Map();
async function oneAtATime(key, work) {
  const before = keyLocks.get(key) || Promise.resolve();
  let release;
  const mine = new Promise((resolve) => {
    release = resolve;
  });
  const queue = before.then(() => mine);
  keyLocks.set(key, queue);
  await before;
  try {
    return await work();
  } finally {
    release();
    if (keyLocks.get(key) === queue) keyLocks.delete(key);
  }
}

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.mkdir(path.dirname(objectPath), { recursive: true });
  const partial = `${objectPath}.${crypto.randomBytes(8).toString('hex')}.partial`;
  let size;
  let md5;
  try {
    [size, md5] = await this.putContent(partial, object.content);
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
  return oneAtATime(objectPath, async () => {
    await fs.rename(partial, objectPath);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    // every object stored, by a put or a completed multipart upload
    note(`put ${object.key} ${size}`);
    return { size, md5 };
  });
};

// s3rver joins whatever parts a CompleteMultipartUpload lists, and dies
// reading a part that was never uploaded. S3 checks them: a missing part or
// a wrong ETag is InvalidPart, numbers not ascending InvalidPartOrder, a part
// but the last under 5 MiB EntityTooSmall (S3 API reference,
// CompleteMultipartUpload), and nothing is stored.
const S3Error = require('@20minutes/s3rver/lib/models/error');
const MIN_PART_SIZE = 5 * 1024 * 1024;
const log = process.env.HUBD_S3RVER_LOG;

function note(line) {
  if (log) require('fs').appendFileSync(log, `${line}\n`);
}

// An upload that was never begun, or completed, or aborted is NoSuchUpload
// for every call (s3rver would make a folder for its parts).
async function openUpload(store, bucket, uploadId) {
  const dir = path.join(
    store.getResourcePath(bucket, undefined, 'uploads'),
    path.basename(String(uploadId)),
  );
  try {
    await fs.stat(path.join(dir, 'key'));
  } catch {
    throw new S3Error('NoSuchUpload', 'The specified upload does not exist.');
  }
  return dir;
}

const joinParts = FilesystemStore.prototype.putObjectMultipart;
FilesystemStore.prototype.putObjectMultipart = async function putObjectMultipart(
  bucket,
  uploadId,
  parts,
) {
  const uploadDir = await openUpload(this, bucket, uploadId);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i > 0 && part.number <= parts[i - 1].number) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order.');
    }
    const file = path.join(uploadDir, String(part.number));
    let md5;
    let size;
    try {
      md5 = (await fs.readFile(`${file}.md5`)).toString();
      size = (await fs.stat(file)).size;
    } catch {
      throw new S3Error('InvalidPart', 'One or more of the specified parts could not be found.');
    }
    if (md5 !== part.etag) {
      throw new S3Error('InvalidPart', "The part's entity tag did not match.");
    }
    if (i < parts.length - 1 && size < MIN_PART_SIZE) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.');
    }
  }
  note(`complete ${uploadId} ${parts.length}`);
  return joinParts.call(this, bucket, uploadId, parts);
};

const putPart = FilesystemStore.prototype.putPart;
FilesystemStore.prototype.putPart = async function loggedPutPart(bucket, uploadId, number, content) {
  await openUpload(this, bucket, uploadId);
  const result = await putPart.call(this, bucket, uploadId, number, content);
  note(`part ${uploadId} ${number} ${result.size}`);
  return result;
};

// s3rver has no AbortMultipartUpload: DELETE ?uploadId= is answered 405. It
// is added here, behind s3rver's own signature check: the upload and its
// parts go, and an unknown upload is NoSuchUpload (S3 API reference).
const router = require('@20minutes/s3rver/lib/routes');
const authentication = require('@20minutes/s3rver/lib/middleware/authentication')();
const routes = router.routes.bind(router);
router.routes = function routesWithAbort() {
  const inner = routes();
  return async function abortOrRoute(ctx, next) {
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (!('uploadId' in ctx.query) || !match) {
      return inner(ctx, next);
    }
    // an upload id is an upload of one key only
    const bucket = match[1];
    const key = decodeURIComponent(match[2]);
    const dir = await openUpload(ctx.store, bucket, ctx.query.uploadId);
    if ((await fs.readFile(path.join(dir, 'key'))).toString() !== key) {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.');
    }
    if (ctx.method !== 'DELETE') {
      return inner(ctx, next);
    }
    ctx.params = { bucket, key };
    return authentication(ctx, async () => {
      // A part whose connection died may still be writing into the folder,
      // and rm then fails (ENOTEMPTY) after removing "key": a 500 for an
      // abort that happened. S3 aborts anyway; such a part "might or might
      // not succeed" (S3 API reference, AbortMultipartUpload). The folder is
      // renamed out of the way first, then removed, retrying such races.
      const gone = `${dir}.aborted-${crypto.randomBytes(8).toString('hex')}`;
      await fs.rename(dir, gone);
      await fs.rm(gone, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
      note(`abort ${ctx.query.uploadId}`);
      ctx.status = 204;
    });
  };
};

async function main() {
  const [directory, ...buckets] = process.argv.slice(2);
  if (!directory) {
    console.error('usage: node s3rver.cjs DIRECTORY [BUCKET...]');
    process.exit(64);
  }
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: !process.env.HUBD_S3RVER_VERBOSE,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  process.stdout.write(`PORT ${port}\n`);
  // the test reads one line: s3rver's log (HUBD_S3RVER_VERBOSE) goes to stderr
  process.stdout.write = process.stderr.write.bind(process.stderr);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
