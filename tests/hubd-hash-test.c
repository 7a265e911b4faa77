/* hubd-hash-test.c: file SHA-256 / git blob SHA-1 against sha256sum and git, progress, cancel */
#define G_LOG_DOMAIN "HubdHashTest"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-hash.h"
#include "hubd-sha256-blocks.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define EMPTY_GIT    "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
#define HELLO_SHA256 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define HELLO_GIT    "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0"

typedef struct {
	gchar *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dir = g_dir_make_tmp("hubd-hash-test-XXXXXX", &error);
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(f->dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(f->dir);
	g_free(f->dir);
}

static gchar *
write_file(Fixture *f, const gchar *name, const gchar *data, gsize len)
{
	g_autoptr(GError) error = NULL;
	gchar *path = g_build_filename(f->dir, name, NULL);

	g_file_set_contents(path, data, (gssize)len, &error);
	g_assert_no_error(error);
	return path;
}

/* deterministic bytes that are not all alike */
static guint8 *
make_bytes(gsize len)
{
	guint8 *buf = g_malloc(len);
	guint32 x = 2463534242u;

	for (gsize i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (guint8)x;
	}
	return buf;
}

/* the first word of a tool's output on `path`, or NULL when the tool is missing */
static gchar *
tool_hash(const gchar *const *argv)
{
	g_autofree gchar *out = NULL;
	g_autoptr(GError) error = NULL;
	gint status = 0;

	if (!g_spawn_sync(NULL,
			  (gchar **)argv,
			  NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
			  NULL,
			  NULL,
			  &out,
			  NULL,
			  &status,
			  &error))
		return NULL;
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	return g_strndup(out, strcspn(out, " \n"));
}

static void
test_hash_empty(Fixture *f, gconstpointer data)
{
	g_autofree gchar *path = write_file(f, "empty", "", 0);
	g_autoptr(GError) error = NULL;
	HubdFileHash h;

	g_assert_true(hubd_hash_file(path,
				     HUBD_HASH_SHA256 | HUBD_HASH_GIT_SHA1,
				     NULL,
				     NULL,
				     NULL,
				     &h,
				     &error));
	g_assert_no_error(error);
	g_assert_cmpuint(h.size, ==, 0);
	g_assert_cmpuint(h.sample_len, ==, 0);
	g_assert_cmpstr(h.sha256, ==, EMPTY_SHA256);
	g_assert_cmpstr(h.git_sha1, ==, EMPTY_GIT);
}

static void
test_hash_hello(Fixture *f, gconstpointer data)
{
	g_autofree gchar *path = write_file(f, "hello", "hello", 5);
	g_autoptr(GError) error = NULL;
	HubdFileHash h;

	g_assert_true(hubd_hash_file(path,
				     HUBD_HASH_SHA256 | HUBD_HASH_GIT_SHA1,
				     NULL,
				     NULL,
				     NULL,
				     &h,
				     &error));
	g_assert_no_error(error);
	g_assert_cmpuint(h.size, ==, 5);
	g_assert_cmpuint(h.sample_len, ==, 5);
	g_assert_cmpmem(h.sample, h.sample_len, "hello", 5);
	g_assert_cmpstr(h.sha256, ==, HELLO_SHA256);
	g_assert_cmpstr(h.git_sha1, ==, HELLO_GIT);

	/* only what was asked for is computed */
	g_assert_true(hubd_hash_file(path, HUBD_HASH_GIT_SHA1, NULL, NULL, NULL, &h, &error));
	g_assert_cmpstr(h.sha256, ==, "");
	g_assert_cmpstr(h.git_sha1, ==, HELLO_GIT);
	g_assert_true(hubd_hash_file(path, HUBD_HASH_SHA256, NULL, NULL, NULL, &h, &error));
	g_assert_cmpstr(h.sha256, ==, HELLO_SHA256);
	g_assert_cmpstr(h.git_sha1, ==, "");
}

static void
test_hash_multi_chunk(Fixture *f, gconstpointer data)
{
	const gsize len = 3 * 1024 * 1024 + 123;
	g_autofree guint8 *bytes = make_bytes(len);
	g_autofree gchar *path = write_file(f, "big.bin", (const gchar *)bytes, len);
	const gchar *sha_argv[] = {"sha256sum", path, NULL};
	const gchar *git_argv[] = {"git", "hash-object", "--no-filters", path, NULL};
	g_autofree gchar *want_sha = tool_hash(sha_argv);
	g_autofree gchar *want_git = tool_hash(git_argv);
	g_autoptr(GError) error = NULL;
	HubdFileHash h;

	if (want_sha == NULL || want_git == NULL) {
		g_test_skip("sha256sum or git missing");
		return;
	}
	g_assert_true(hubd_hash_file(path,
				     HUBD_HASH_SHA256 | HUBD_HASH_GIT_SHA1,
				     NULL,
				     NULL,
				     NULL,
				     &h,
				     &error));
	g_assert_no_error(error);
	g_assert_cmpuint(h.size, ==, len);
	g_assert_cmpstr(h.sha256, ==, want_sha);
	g_assert_cmpstr(h.git_sha1, ==, want_git);
	g_assert_cmpmem(h.sample, h.sample_len, bytes, 512);
}

static void
test_hash_incremental(void)
{
	const gsize len = 100000;
	g_autofree guint8 *bytes = make_bytes(len);
	g_autoptr(HubdSha256) one = hubd_sha256_new();
	g_autoptr(HubdSha256) pieces = hubd_sha256_new();
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *hello = NULL;

	hubd_sha256_update(one, bytes, len);
	for (gsize off = 0; off < len; off += 777)
		hubd_sha256_update(pieces, bytes + off, MIN(777, len - off));
	a = hubd_sha256_finish_hex(one);
	b = hubd_sha256_finish_hex(pieces);
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpuint(strlen(a), ==, 64);

	/* finishing resets the state */
	again = hubd_sha256_finish_hex(one);
	g_assert_cmpstr(again, ==, EMPTY_SHA256);
	hubd_sha256_update(one, "hel", 3);
	hubd_sha256_update(one, "lo", 2);
	hello = hubd_sha256_finish_hex(one);
	g_assert_cmpstr(hello, ==, HELLO_SHA256);
}

/* the stream form of the git blob sha1, as downloads from a mirror check it */
static void
test_git_sha1_incremental(void)
{
	const gsize len = 100000;
	g_autofree guint8 *bytes = make_bytes(len);
	g_autoptr(HubdGitSha1) empty = hubd_git_sha1_new(0);
	g_autoptr(HubdGitSha1) hello = hubd_git_sha1_new(5);
	g_autoptr(HubdGitSha1) pieces = hubd_git_sha1_new(len);
	g_autofree gchar *empty_hex = hubd_git_sha1_finish_hex(empty);
	g_autofree gchar *hello_hex = NULL;
	g_autofree gchar *pieces_hex = NULL;
	g_autoptr(GChecksum) want = g_checksum_new(G_CHECKSUM_SHA1);
	g_autofree gchar *header = g_strdup_printf("blob %" G_GSIZE_FORMAT, len);

	g_assert_cmpstr(empty_hex, ==, EMPTY_GIT);
	hubd_git_sha1_update(hello, "hel", 3);
	hubd_git_sha1_update(hello, "lo", 2);
	hello_hex = hubd_git_sha1_finish_hex(hello);
	g_assert_cmpstr(hello_hex, ==, HELLO_GIT);
	for (gsize off = 0; off < len; off += 777)
		hubd_git_sha1_update(pieces, bytes + off, MIN(777, len - off));
	pieces_hex = hubd_git_sha1_finish_hex(pieces);
	g_checksum_update(want, (const guchar *)header, (gssize)strlen(header) + 1);
	g_checksum_update(want, bytes, (gssize)len);
	g_assert_cmpstr(pieces_hex, ==, g_checksum_get_string(want));
}

typedef struct {
	gint bytes; /* atomically added to from the worker thread */
	guint calls;
	GThread *main_thread;
	gboolean called_on_main;
	HubdFileHash hash;
	GError *error;
	gboolean done;
} AsyncState;

static void
async_progress(guint64 delta, gpointer user_data)
{
	AsyncState *s = user_data;

	g_atomic_int_add(&s->bytes, (gint)delta);
	g_atomic_int_inc(&s->calls);
	if (g_thread_self() == s->main_thread)
		g_atomic_int_set(&s->called_on_main, TRUE);
}

static void
async_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
	AsyncState *s = user_data;

	hubd_hash_file_finish(result, &s->hash, &s->error);
	s->done = TRUE;
}

static void
test_hash_async(Fixture *f, gconstpointer data)
{
	const gsize len = 2 * 1024 * 1024 + 5;
	g_autofree guint8 *bytes = make_bytes(len);
	g_autofree gchar *path = write_file(f, "async.bin", (const gchar *)bytes, len);
	g_autoptr(HubdSha256) ref = hubd_sha256_new();
	g_autofree gchar *want = NULL;
	AsyncState s = {.main_thread = g_thread_self()};

	hubd_sha256_update(ref, bytes, len);
	want = hubd_sha256_finish_hex(ref);
	hubd_hash_file_async(path, HUBD_HASH_SHA256, async_progress, &s, NULL, async_done, &s);
	while (!s.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(s.error);
	g_assert_cmpstr(s.hash.sha256, ==, want);
	g_assert_cmpuint(s.hash.size, ==, len);
	g_assert_cmpint(s.bytes, ==, (gint)len);
	g_assert_cmpuint(s.calls, >=, 3);
	/* the hashing ran in a worker thread, not on the main loop */
	g_assert_false(s.called_on_main);
}

static void
cancel_in_progress(guint64 delta, gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

static void
test_hash_cancel(Fixture *f, gconstpointer data)
{
	const gsize len = 4 * 1024 * 1024;
	g_autofree guint8 *bytes = make_bytes(len);
	g_autofree gchar *path = write_file(f, "cancel.bin", (const gchar *)bytes, len);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	AsyncState s = {.main_thread = g_thread_self()};
	HubdFileHash h;

	/* cancelled after the first chunk: stops there */
	g_assert_false(hubd_hash_file(path,
				      HUBD_HASH_SHA256,
				      cancel_in_progress,
				      cancellable,
				      cancellable,
				      &h,
				      &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
	g_assert_cmpstr(h.sha256, ==, "");
	g_clear_error(&error);

	/* already cancelled: the async form fails the same way, without progress */
	hubd_hash_file_async(path,
			     HUBD_HASH_SHA256,
			     async_progress,
			     &s,
			     cancellable,
			     async_done,
			     &s);
	while (!s.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_error(s.error, HUBD_ERROR, HUBD_ERROR_CANCELLED);
	g_assert_cmpint(s.bytes, ==, 0);
	g_clear_error(&s.error);
}

static void
append_in_progress(guint64 delta, gpointer user_data)
{
	FILE *fp = fopen(user_data, "ab");

	g_assert_nonnull(fp);
	fputs("more", fp);
	fclose(fp);
}

static void
truncate_in_progress(guint64 delta, gpointer user_data)
{
	g_assert_cmpint(truncate(user_data, 1024 * 1024 + 10), ==, 0);
}

static void
test_hash_changing(Fixture *f, gconstpointer data)
{
	const gsize len = 3 * 1024 * 1024;
	g_autofree guint8 *bytes = make_bytes(len);
	g_autoptr(GError) error = NULL;
	HubdFileHash h;

	for (guint i = 0; i < 3; i++) {
		/* grows mid-read, grows right after the last chunk, shrinks */
		gsize size = i == 1 ? 1000 : len;
		HubdHashProgressFunc fn = i == 2 ? truncate_in_progress : append_in_progress;
		g_autofree gchar *path = write_file(f, "moving.bin", (const gchar *)bytes, size);

		g_assert_false(hubd_hash_file(path, HUBD_HASH_SHA256, fn, path, NULL, &h, &error));
		g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "changed size"));
		g_assert_nonnull(strstr(error->message, path));
		g_clear_error(&error);
	}
}

static void
test_hash_errors(Fixture *f, gconstpointer data)
{
	g_autofree gchar *missing = g_build_filename(f->dir, "missing", NULL);
	g_autoptr(GError) error = NULL;
	HubdFileHash h;

	g_assert_false(hubd_hash_file(missing, HUBD_HASH_SHA256, NULL, NULL, NULL, &h, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, missing));
	g_clear_error(&error);

	g_assert_false(hubd_hash_file(f->dir, HUBD_HASH_SHA256, NULL, NULL, NULL, &h, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "not a regular file"));
}

static gchar *
digest_hex(struct sha256_ctx *ctx)
{
	guint8 digest[SHA256_DIGEST_SIZE];
	GString *hex = g_string_new(NULL);

	sha256_digest(ctx, sizeof(digest), digest);
	for (gsize i = 0; i < sizeof(digest); i++)
		g_string_append_printf(hex, "%02x", digest[i]);
	return g_string_free(hex, FALSE);
}

/* FIPS 180-4's examples (csrc.nist.gov, SHA256.pdf / SHA2_Additional.pdf),
 * through the many-block path where the CPU has it. */
static void
test_sha256_blocks_vectors(void)
{
	const gchar *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	g_autofree guint8 *million = g_malloc(1000000);
	g_autofree gchar *abc = NULL;
	g_autofree gchar *two = NULL;
	g_autofree gchar *a = NULL;
	struct sha256_ctx ctx;

	g_test_message("SHA extensions: %s", hubd_sha256_blocks_accelerated() ? "yes" : "no");
	sha256_init(&ctx);
	hubd_sha256_blocks_update(&ctx, 3, (const guint8 *)"abc");
	abc = digest_hex(&ctx);
	g_assert_cmpstr(abc,
			==,
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_init(&ctx);
	hubd_sha256_blocks_update(&ctx, strlen(two_blocks), (const guint8 *)two_blocks);
	two = digest_hex(&ctx);
	g_assert_cmpstr(two,
			==,
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a': whole runs of blocks after an odd first piece */
	memset(million, 'a', 1000000);
	sha256_init(&ctx);
	hubd_sha256_blocks_update(&ctx, 7, million);
	hubd_sha256_blocks_update(&ctx, 1000000 - 7, million + 7);
	a = digest_hex(&ctx);
	g_assert_cmpstr(a, ==, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The many-block path gives nettle's digest for every length and every way
 * of cutting the input: a partial block waiting, runs of whole blocks, a
 * tail. */
static void
test_sha256_blocks_agree(void)
{
	const gsize len = 3 * 1024 * 1024 + 13;
	g_autofree guint8 *bytes = make_bytes(len);
	const gsize pieces[] = {1, 63, 64, 65, 127, 128, 129, 191, 4096, 4097, 65536 + 3};

	if (!hubd_sha256_blocks_accelerated()) {
		g_test_skip("this CPU has no SHA extensions: nettle alone hashes");
		return;
	}
	for (gsize n = 0; n <= 1100; n++) {
		struct sha256_ctx fast;
		struct sha256_ctx ref;
		g_autofree gchar *want = NULL;
		g_autofree gchar *got = NULL;
		gsize cut = n % 67;

		sha256_init(&fast);
		sha256_init(&ref);
		hubd_sha256_blocks_update_with(&ref, n, bytes, FALSE);
		/* cut at a point that leaves part of a block waiting */
		hubd_sha256_blocks_update_with(&fast, cut, bytes, TRUE);
		hubd_sha256_blocks_update_with(&fast, n - cut, bytes + cut, TRUE);
		want = digest_hex(&ref);
		got = digest_hex(&fast);
		g_assert_cmpstr(got, ==, want);
	}
	for (gsize p = 0; p < G_N_ELEMENTS(pieces); p++) {
		struct sha256_ctx fast;
		struct sha256_ctx ref;
		g_autofree gchar *want = NULL;
		g_autofree gchar *got = NULL;

		sha256_init(&fast);
		sha256_init(&ref);
		hubd_sha256_blocks_update_with(&ref, len, bytes, FALSE);
		for (gsize off = 0; off < len; off += pieces[p] * (1 + off % 5)) {
			gsize take = MIN(pieces[p] * (1 + off % 5), len - off);

			hubd_sha256_blocks_update_with(&fast, take, bytes + off, TRUE);
		}
		want = digest_hex(&ref);
		got = digest_hex(&fast);
		g_assert_cmpstr(got, ==, want);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/hash/empty", Fixture, NULL, fixture_setup, test_hash_empty, fixture_teardown);
	g_test_add("/hash/hello", Fixture, NULL, fixture_setup, test_hash_hello, fixture_teardown);
	g_test_add("/hash/multi-chunk",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_hash_multi_chunk,
		   fixture_teardown);
	g_test_add_func("/hash/incremental", test_hash_incremental);
	g_test_add_func("/hash/sha256-blocks/vectors", test_sha256_blocks_vectors);
	g_test_add_func("/hash/sha256-blocks/agree-with-nettle", test_sha256_blocks_agree);
	g_test_add_func("/hash/git-sha1-incremental", test_git_sha1_incremental);
	g_test_add("/hash/async", Fixture, NULL, fixture_setup, test_hash_async, fixture_teardown);
	g_test_add("/hash/cancel",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_hash_cancel,
		   fixture_teardown);
	g_test_add("/hash/changing",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_hash_changing,
		   fixture_teardown);
	g_test_add("/hash/errors",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_hash_errors,
		   fixture_teardown);
	return g_test_run();
}
