/* hubd-hash-bench.c: hashes one file with hubd_hash_file, for tests/bench/hash.sh */
#define G_LOG_DOMAIN "HubdHashBench"

#include <stdlib.h>
#include <string.h>

#include "hubd-hash.h"

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	HubdHashFlags flags = HUBD_HASH_SHA256;
	HubdFileHash hash;
	gint64 start;
	gdouble seconds;

	if (argc == 3 && g_strcmp0(argv[2], "--git") == 0)
		flags |= HUBD_HASH_GIT_SHA1;
	else if (argc != 2) {
		g_printerr("Usage: %s FILE [--git]\n", argv[0]);
		return EXIT_FAILURE;
	}
	start = g_get_monotonic_time();
	if (!hubd_hash_file(argv[1], flags, NULL, NULL, NULL, &hash, &error)) {
		g_printerr("%s\n", error->message);
		return EXIT_FAILURE;
	}
	seconds = (gdouble)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	/* sha256 [git-sha1] seconds */
	g_print("%s%s%s %.6f\n",
		hash.sha256,
		hash.git_sha1[0] != '\0' ? " " : "",
		hash.git_sha1,
		seconds);
	return EXIT_SUCCESS;
}
