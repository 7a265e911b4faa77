// Starts @20minutes/s3rver, an S3 server that checks SigV4 signatures (its one
// account: access key id S3RVER, secret S3RVER), for the S3 plugin's tests and
// benchmark. Usage: node s3rver.cjs DIRECTORY [BUCKET...]
// Prints "PORT <n>" once it listens on 127.0.0.1, and exits when its standard
// input closes, so it never outlives the test that started it.
'use strict';

const S3rver = require('@20minutes/s3rver');

async function main() {
  const [directory, ...buckets] = process.argv.slice(2);
  if (!directory) {
    console.error('usage: node s3rver.cjs DIRECTORY [BUCKET...]');
    process.exit(64);
  }
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  process.stdout.write(`PORT ${port}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
