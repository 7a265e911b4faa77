/* testhub-store-test.c: unit tests of the local Hub's store and pure request helpers. */
#include <glib/gstdio.h>
#include <string.h>

#include "testhub-http.h"
#include "testhub-store.h"

typedef struct {
	gchar *root;
	TesthubStore *store;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->root = g_dir_make_tmp("testhub-store-XXXXXX", &error);
	g_assert_no_error(error);
	f->store = testhub_store_new(f->root, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->store);
}

static void
rm_rf(const gchar *path)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileEnumerator) en =
		g_file_enumerate_children(file,
					  G_FILE_ATTRIBUTE_STANDARD_NAME,
					  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
					  NULL,
					  NULL);

	while (en != NULL) {
		GFileInfo *info = NULL;
		GFile *child = NULL;
		g_autofree gchar *cpath = NULL;

		if (!g_file_enumerator_iterate(en, &info, &child, NULL, NULL) || info == NULL)
			break;
		cpath = g_file_get_path(child);
		if (g_file_info_get_file_type(info) == G_FILE_TYPE_DIRECTORY)
			rm_rf(cpath);
		else
			g_unlink(cpath);
	}
	g_rmdir(path);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->store);
	rm_rf(f->root);
	g_free(f->root);
}

static TesthubOp *
op_new(TesthubOpKind kind, const gchar *path, const gchar *sha, guint64 size)
{
	TesthubOp *op = g_new0(TesthubOp, 1);

	op->kind = kind;
	op->path = g_strdup(path);
	op->size = size;
	if (kind == TESTHUB_OP_ADD_REGULAR)
		op->content_sha1 = g_strdup(sha);
	else if (kind == TESTHUB_OP_ADD_LFS)
		op->lfs_sha256 = g_strdup(sha);
	return op;
}

static gchar *
put_text(TesthubStore *store, const gchar *text)
{
	g_autoptr(GBytes) b = g_bytes_new(text, strlen(text));
	g_autoptr(GError) error = NULL;
	gchar *sha1 = testhub_store_put_blob(store, b, &error);

	g_assert_no_error(error);
	return sha1;
}

static GPtrArray *
ops_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)testhub_op_free);
}

/* ---- hashes (docs/hub-upload.md §7) ---- */

static void
test_hashes(void)
{
	g_autofree gchar *empty = testhub_git_blob_sha1((const guint8 *)"", 0);
	g_autofree gchar *pointer = testhub_lfs_pointer_text(
		"cd44947308b4b22228767cab8addd523d1de22abd9b23a10808e5fc295202e4f",
		1048576);
	g_autofree gchar *psha = testhub_git_blob_sha1((const guint8 *)pointer, strlen(pointer));

	/* git hash-object /dev/null */
	g_assert_cmpstr(empty, ==, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	g_assert_cmpuint(strlen(pointer), ==, 132);
	g_assert_cmpstr(psha, ==, "c9176dbf0ba8556845af9072b3dd39d06764e8ba");
}

static void
test_default_gitattributes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TesthubRepo *repo = testhub_store_create_repo(f->store,
						      TESTHUB_REPO_MODEL,
						      "alice/m",
						      FALSE,
						      NULL,
						      &error);
	g_autoptr(TesthubCommit) c = NULL;
	TesthubEntry *e;

	g_assert_no_error(error);
	c = testhub_store_load_commit(f->store,
				      testhub_store_find_branch(repo, "main")->target,
				      &error);
	g_assert_no_error(error);
	g_assert_cmpstr(c->author, ==, "system");
	g_assert_cmpstr(c->title, ==, "initial commit");
	g_assert_null(c->parent);
	e = g_hash_table_lookup(c->tree, ".gitattributes");
	g_assert_nonnull(e);
	/* the blob id of the Hub's default model .gitattributes */
	g_assert_cmpstr(e->blob_sha1, ==, "a6344aac8c09253b3b630fb776ae94478aa0275b");
	g_assert_cmpuint(e->size, ==, 1519);
	g_assert_cmpuint(g_hash_table_size(c->tree), ==, 1);

	/* exists */
	g_assert_null(testhub_store_create_repo(f->store,
						TESTHUB_REPO_MODEL,
						"alice/m",
						FALSE,
						NULL,
						&error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

/* ---- commits ---- */

static void
test_commit_ids_stable(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) ops = ops_new();
	g_autofree gchar *sha1 = put_text(f->store, "hello\n");
	g_autofree gchar *id = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *first = NULL;
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(TesthubStore) reopened = NULL;
	g_autofree gchar *recomputed = NULL;
	TesthubRepo *repo;

	g_setenv("TESTHUB_COMMIT_DATE", "1700000000", TRUE);
	repo = testhub_store_create_repo(f->store,
					 TESTHUB_REPO_DATASET,
					 "alice/d",
					 TRUE,
					 NULL,
					 &error);
	g_assert_no_error(error);
	first = g_strdup(testhub_store_find_branch(repo, "main")->target);
	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_REGULAR, "a/hello.txt", sha1, 6));
	id = testhub_store_write_commit(f->store, first, ops, "Add hello", "body", "alice", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(strlen(id), ==, 40);
	/* same content, same parent, same date: same id (git semantics) */
	again = testhub_store_write_commit(f->store,
					   first,
					   ops,
					   "Add hello",
					   "body",
					   "alice",
					   &error);
	g_assert_no_error(error);
	g_assert_cmpstr(id, ==, again);
	g_assert_true(testhub_store_set_branch(f->store, repo, "main", id, &error));

	reopened = testhub_store_new(f->root, &error);
	g_assert_no_error(error);
	repo = testhub_store_get_repo(reopened, TESTHUB_REPO_DATASET, "alice/d");
	g_assert_nonnull(repo);
	g_assert_true(repo->private_);
	g_assert_cmpstr(testhub_store_find_branch(repo, "main")->target, ==, id);
	c = testhub_store_load_commit(reopened, id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(c->parent, ==, first);
	g_assert_cmpstr(c->message, ==, "body");
	recomputed = testhub_commit_compute_id(c);
	g_assert_cmpstr(recomputed, ==, id);
	g_assert_cmpstr(((TesthubEntry *)g_hash_table_lookup(c->tree, "a/hello.txt"))->last_commit,
			==,
			id);
	g_unsetenv("TESTHUB_COMMIT_DATE");
}

static void
test_write_commit_ops(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) ops = ops_new();
	g_autoptr(GPtrArray) ops2 = ops_new();
	g_autoptr(GPtrArray) ops3 = ops_new();
	g_autofree gchar *s1 = put_text(f->store, "one");
	g_autofree gchar *s2 = put_text(f->store, "two");
	g_autofree gchar *c1 = NULL;
	g_autofree gchar *c2 = NULL;
	g_autofree gchar *c3 = NULL;
	g_autofree gchar *tmp = testhub_store_new_tmp_path(f->store);
	g_autofree gchar *lfs_sha = NULL;
	g_autofree gchar *attrs_path = NULL;
	g_autofree gchar *attrs = NULL;
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(GPtrArray) history = NULL;
	TesthubEntry *e;
	TesthubRepo *repo = testhub_store_create_repo(f->store,
						      TESTHUB_REPO_MODEL,
						      "alice/ops",
						      FALSE,
						      NULL,
						      &error);
	const gchar *head = testhub_store_find_branch(repo, "main")->target;

	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(tmp, "large content", -1, &error));
	lfs_sha = testhub_sha256_file(tmp, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(testhub_store_commit_lfs_file(f->store, tmp, lfs_sha, 13, &error));
	g_assert_no_error(error);

	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_REGULAR, "dir/one.txt", s1, 3));
	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_REGULAR, "dir/sub/two.txt", s2, 3));
	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_LFS, "my data.dat", lfs_sha, 13));
	c1 = testhub_store_write_commit(f->store, head, ops, "add", "", "alice", &error);
	g_assert_no_error(error);
	c = testhub_store_load_commit(f->store, c1, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(c->tree), ==, 4);
	e = g_hash_table_lookup(c->tree, "my data.dat");
	g_assert_cmpstr(e->lfs_sha256, ==, lfs_sha);
	g_assert_cmpuint(e->size, ==, 13);
	g_assert_cmpuint(e->pointer_size, ==, 127);
	/* an LFS path no rule tracks gets its own .gitattributes line */
	e = g_hash_table_lookup(c->tree, ".gitattributes");
	attrs_path = testhub_store_blob_path(f->store, e->blob_sha1);
	g_assert_true(g_file_get_contents(attrs_path, &attrs, NULL, NULL));
	g_assert_true(
		g_str_has_suffix(attrs,
				 "my[[:space:]]data.dat filter=lfs diff=lfs merge=lfs -text\n"));
	g_clear_pointer(&c, testhub_commit_free);

	g_ptr_array_add(ops2, op_new(TESTHUB_OP_DELETE_FOLDER, "dir/", NULL, 0));
	g_ptr_array_add(ops2, op_new(TESTHUB_OP_DELETE_FILE, "my data.dat", NULL, 0));
	c2 = testhub_store_write_commit(f->store, c1, ops2, "delete", "", "alice", &error);
	g_assert_no_error(error);
	c = testhub_store_load_commit(f->store, c2, &error);
	g_assert_cmpuint(g_hash_table_size(c->tree), ==, 1);

	g_ptr_array_add(ops3, op_new(TESTHUB_OP_DELETE_FILE, "missing.txt", NULL, 0));
	c3 = testhub_store_write_commit(f->store, c2, ops3, "bad", "", "alice", &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
	g_assert_null(c3);

	history = testhub_store_history(f->store, c2, 0, NULL);
	g_assert_cmpuint(history->len, ==, 3);
	g_assert_cmpstr(((TesthubCommit *)g_ptr_array_index(history, 0))->title, ==, "delete");
	g_assert_cmpstr(((TesthubCommit *)g_ptr_array_index(history, 2))->title,
			==,
			"initial commit");
}

static void
test_revisions(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) ops = ops_new();
	g_autofree gchar *s1 = put_text(f->store, "x");
	g_autofree gchar *c1 = NULL;
	g_autofree gchar *r = NULL;
	TesthubRepo *repo = testhub_store_create_repo(f->store,
						      TESTHUB_REPO_SPACE,
						      "acme/s",
						      FALSE,
						      "static",
						      &error);
	g_autofree gchar *c0 = g_strdup(testhub_store_find_branch(repo, "main")->target);

	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_REGULAR, "x.txt", s1, 1));
	c1 = testhub_store_write_commit(f->store, c0, ops, "x", "", "alice", &error);
	g_assert_no_error(error);
	g_assert_true(testhub_store_set_branch(f->store, repo, "main", c1, &error));
	g_assert_true(testhub_store_set_branch(f->store, repo, "dev", c0, &error));
	g_assert_true(testhub_store_set_tag(f->store, repo, "v1.0", c0, "first", &error));
	g_assert_true(testhub_store_set_branch(f->store, repo, "refs/pr/1", c1, &error));

#define RESOLVES(rev, want)                                                                  \
	do {                                                                                 \
		g_autofree gchar *got = testhub_store_resolve_revision(f->store, repo, rev); \
		g_assert_cmpstr(got, ==, want);                                              \
	} while (0)
	RESOLVES("main", c1);
	RESOLVES("HEAD", c1);
	RESOLVES("refs/heads/main", c1);
	RESOLVES("dev", c0);
	RESOLVES("v1.0", c0);
	RESOLVES("refs/tags/v1.0", c0);
	RESOLVES("refs/pr/1", c1);
	RESOLVES(c0, c0);
	RESOLVES(c1, c1);
	RESOLVES("refs/pr/2", NULL);
	RESOLVES("nope", NULL);
	RESOLVES("0123456789012345678901234567890123456789", NULL);
	RESOLVES("refs%2Fpr%2F1", NULL);
#undef RESOLVES
	g_assert_cmpstr(repo->sdk, ==, "static");
	g_assert_null(testhub_store_find_branch(repo, "v1.0"));
	g_assert_nonnull(testhub_store_find_tag(repo, "v1.0"));
	g_assert_false(testhub_store_delete_branch(f->store, repo, "main", &error));
	g_clear_error(&error);
	g_assert_true(testhub_store_delete_branch(f->store, repo, "dev", &error));
	r = testhub_store_resolve_revision(f->store, repo, "dev");
	g_assert_null(r);
}

static void
test_move(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TesthubStore) reopened = NULL;

	testhub_store_create_repo(f->store, TESTHUB_REPO_MODEL, "alice/a", FALSE, NULL, &error);
	g_assert_no_error(error);
	testhub_store_create_repo(f->store, TESTHUB_REPO_MODEL, "alice/c", FALSE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(
		testhub_store_move_repo(f->store, TESTHUB_REPO_MODEL, "alice/a", "acme/b", &error));
	g_assert_null(testhub_store_get_repo(f->store, TESTHUB_REPO_MODEL, "alice/a"));
	g_assert_cmpstr(testhub_store_get_repo(f->store, TESTHUB_REPO_MODEL, "acme/b")->ns,
			==,
			"acme");
	g_assert_cmpstr(testhub_store_lookup_moved(f->store, TESTHUB_REPO_MODEL, "alice/a"),
			==,
			"acme/b");
	g_assert_null(testhub_store_lookup_moved(f->store, TESTHUB_REPO_DATASET, "alice/a"));
	/* chains collapse to one hop */
	g_assert_true(
		testhub_store_move_repo(f->store, TESTHUB_REPO_MODEL, "acme/b", "acme/z", &error));
	g_assert_cmpstr(testhub_store_lookup_moved(f->store, TESTHUB_REPO_MODEL, "alice/a"),
			==,
			"acme/z");
	g_assert_false(
		testhub_store_move_repo(f->store, TESTHUB_REPO_MODEL, "alice/c", "acme/z", &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_EXISTS);
	g_clear_error(&error);

	reopened = testhub_store_new(f->root, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(testhub_store_lookup_moved(reopened, TESTHUB_REPO_MODEL, "acme/b"),
			==,
			"acme/z");
	g_assert_nonnull(testhub_store_get_repo(reopened, TESTHUB_REPO_MODEL, "acme/z"));
	g_assert_cmpuint(testhub_store_list_repos(reopened, TESTHUB_REPO_MODEL)->len, ==, 2);

	g_assert_true(testhub_store_delete_repo(f->store, TESTHUB_REPO_MODEL, "acme/z", &error));
	g_assert_false(testhub_store_delete_repo(f->store, TESTHUB_REPO_MODEL, "acme/z", &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* ---- the commit cache ---- */

static gchar *
commit_one(Fixture *f, const gchar *parent, GPtrArray *ops, const gchar *title)
{
	g_autoptr(GError) error = NULL;
	gchar *id = testhub_store_write_commit(f->store, parent, ops, title, "", "alice", &error);

	g_assert_no_error(error);
	g_assert_nonnull(id);
	return id;
}

static TesthubCommit *
load_one(Fixture *f, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	TesthubCommit *c = testhub_store_load_commit(f->store, id, &error);

	g_assert_no_error(error);
	g_assert_nonnull(c);
	g_assert_cmpstr(c->id, ==, id);
	return c;
}

static void
assert_parent_tree(TesthubCommit *c, const gchar *id, const gchar *sha1)
{
	TesthubEntry *e = g_hash_table_lookup(c->tree, "one.txt");

	g_assert_cmpuint(g_hash_table_size(c->tree), ==, 3);
	g_assert_nonnull(e);
	g_assert_cmpstr(e->blob_sha1, ==, sha1);
	g_assert_cmpuint(e->size, ==, 3);
	g_assert_cmpstr(e->last_commit, ==, id);
	g_assert_true(g_hash_table_contains(c->tree, "keep.txt"));
	g_assert_false(g_hash_table_contains(c->tree, "new.txt"));
}

static void
test_commit_cache(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) ops = ops_new();
	g_autoptr(GPtrArray) child_ops = ops_new();
	g_autoptr(GPtrArray) history = NULL;
	g_autofree gchar *s1 = put_text(f->store, "one");
	g_autofree gchar *s2 = put_text(f->store, "two");
	g_autofree gchar *parent = NULL;
	g_autofree gchar *child = NULL;
	g_autofree gchar *head = NULL;
	g_autoptr(TesthubCommit) a = NULL;
	g_autoptr(TesthubCommit) b = NULL;
	g_autoptr(TesthubCommit) c = NULL;
	g_autoptr(TesthubCommit) again = NULL;
	TesthubEntry *e;
	TesthubRepo *repo = testhub_store_create_repo(f->store,
						      TESTHUB_REPO_MODEL,
						      "alice/cache",
						      FALSE,
						      NULL,
						      &error);

	g_assert_no_error(error);
	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_REGULAR, "one.txt", s1, 3));
	g_ptr_array_add(ops, op_new(TESTHUB_OP_ADD_REGULAR, "keep.txt", s1, 3));
	parent = commit_one(f, testhub_store_find_branch(repo, "main")->target, ops, "parent");

	/* a second load answers the same, shared commit */
	a = load_one(f, parent);
	b = load_one(f, parent);
	g_assert_true(a == b);
	g_assert_cmpstr(b->title, ==, "parent");
	assert_parent_tree(b, parent, s1);

	/* a child changing, deleting and adding paths leaves the cached parent alone */
	g_ptr_array_add(child_ops, op_new(TESTHUB_OP_ADD_REGULAR, "one.txt", s2, 3));
	g_ptr_array_add(child_ops, op_new(TESTHUB_OP_DELETE_FILE, "keep.txt", NULL, 0));
	g_ptr_array_add(child_ops, op_new(TESTHUB_OP_ADD_REGULAR, "new.txt", s2, 3));
	child = commit_one(f, parent, child_ops, "child");
	c = load_one(f, child);
	g_assert_cmpstr(c->parent, ==, parent);
	g_assert_cmpuint(g_hash_table_size(c->tree), ==, 3);
	e = g_hash_table_lookup(c->tree, "one.txt");
	g_assert_cmpstr(e->blob_sha1, ==, s2);
	g_assert_cmpstr(e->last_commit, ==, child);
	g_clear_pointer(&b, testhub_commit_free);
	b = load_one(f, parent);
	g_assert_true(b == a);
	assert_parent_tree(b, parent, s1);

	/* loading more commits than the cache holds evicts the parent; it loads
	 * again from disk, equal to the reference still held */
	head = g_strdup(child);
	for (guint i = 0; i < 20; i++) {
		g_autoptr(GPtrArray) step = ops_new();
		g_autofree gchar *name = g_strdup_printf("f%u.txt", i);
		g_autoptr(TesthubCommit) loaded = NULL;
		gchar *next;

		g_ptr_array_add(step, op_new(TESTHUB_OP_ADD_REGULAR, name, s1, 3));
		next = commit_one(f, head, step, name);
		loaded = load_one(f, next);
		g_assert_true(g_hash_table_contains(loaded->tree, name));
		g_free(head);
		head = next;
	}
	again = load_one(f, parent);
	g_assert_true(again != a);
	g_assert_cmpstr(again->parent, ==, a->parent);
	g_assert_cmpstr(again->title, ==, a->title);
	g_assert_cmpint(again->date, ==, a->date);
	assert_parent_tree(again, parent, s1);
	assert_parent_tree(a, parent, s1);

	history = testhub_store_history(f->store, head, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(history->len, ==, 23);
	g_assert_cmpstr(((TesthubCommit *)g_ptr_array_index(history, 21))->id, ==, parent);
}

/* ---- pure request helpers ---- */

static void
test_path_split(void)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) a =
		testhub_path_split("/api/models/alice/m/tree/refs%2Fpr%2F1/a%20b/c", &error);
	const gchar *bad[] = {"/a//b",
			      "/a/../b",
			      "/a/%2e%2e/b",
			      "/a/%00/b",
			      "/a/%zz",
			      "relative",
			      "/a/./b",
			      NULL};

	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(a), ==, 8);
	g_assert_cmpstr(a[5], ==, "refs/pr/1");
	g_assert_cmpstr(a[6], ==, "a b");
	for (guint i = 0; bad[i] != NULL; i++) {
		g_auto(GStrv) r = testhub_path_split(bad[i], &error);

		g_assert_null(r);
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_auto(GStrv) t = testhub_path_split("/api/models/", &error);

		g_assert_no_error(error);
		g_assert_cmpuint(g_strv_length(t), ==, 2);
	}
	g_assert_true(testhub_path_is_valid("a/b.txt"));
	g_assert_true(testhub_path_is_valid(".gitattributes"));
	g_assert_false(testhub_path_is_valid("a/../b"));
	g_assert_false(testhub_path_is_valid("/abs"));
	g_assert_false(testhub_path_is_valid("a//b"));
	g_assert_false(testhub_path_is_valid("a\\b"));
	g_assert_false(testhub_path_is_valid(""));
	g_assert_false(testhub_path_is_valid("a/"));
	g_assert_false(testhub_path_is_valid("x\ny"));
}

static void
test_range(void)
{
	guint64 s = 0;
	guint64 e = 0;

	g_assert_cmpint(testhub_parse_range(NULL, 10, &s, &e), ==, TESTHUB_RANGE_NONE);
	g_assert_cmpint(testhub_parse_range("bytes=0-4", 10, &s, &e), ==, TESTHUB_RANGE_OK);
	g_assert_cmpuint(s, ==, 0);
	g_assert_cmpuint(e, ==, 4);
	g_assert_cmpint(testhub_parse_range("bytes=5-", 10, &s, &e), ==, TESTHUB_RANGE_OK);
	g_assert_cmpuint(s, ==, 5);
	g_assert_cmpuint(e, ==, 9);
	g_assert_cmpint(testhub_parse_range("bytes=3-100", 10, &s, &e), ==, TESTHUB_RANGE_OK);
	g_assert_cmpuint(e, ==, 9);
	g_assert_cmpint(testhub_parse_range("bytes=-3", 10, &s, &e), ==, TESTHUB_RANGE_OK);
	g_assert_cmpuint(s, ==, 7);
	g_assert_cmpuint(e, ==, 9);
	g_assert_cmpint(testhub_parse_range("bytes=-30", 10, &s, &e), ==, TESTHUB_RANGE_OK);
	g_assert_cmpuint(s, ==, 0);
	g_assert_cmpint(testhub_parse_range("bytes=10-", 10, &s, &e),
			==,
			TESTHUB_RANGE_UNSATISFIABLE);
	g_assert_cmpint(testhub_parse_range("bytes=0-", 0, &s, &e),
			==,
			TESTHUB_RANGE_UNSATISFIABLE);
	g_assert_cmpint(testhub_parse_range("bytes=-0", 10, &s, &e),
			==,
			TESTHUB_RANGE_UNSATISFIABLE);
	g_assert_cmpint(testhub_parse_range("bytes=5-2", 10, &s, &e), ==, TESTHUB_RANGE_NONE);
	g_assert_cmpint(testhub_parse_range("bytes=0-1,3-4", 10, &s, &e), ==, TESTHUB_RANGE_NONE);
	g_assert_cmpint(testhub_parse_range("items=0-1", 10, &s, &e), ==, TESTHUB_RANGE_NONE);
	g_assert_cmpint(testhub_parse_range("bytes=a-b", 10, &s, &e), ==, TESTHUB_RANGE_NONE);
	g_assert_cmpint(testhub_parse_range("bytes=-", 10, &s, &e), ==, TESTHUB_RANGE_NONE);
}

static void
test_query_and_cursor(void)
{
	g_autoptr(TesthubQuery) q =
		testhub_query_parse("filter=a&filter=b%2Fc&search=x+y&expand&flag=True");
	g_autofree gchar *cur = testhub_cursor_encode(150);

	g_assert_cmpuint(testhub_query_get_all(q, "filter")->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(testhub_query_get_all(q, "filter"), 1), ==, "b/c");
	g_assert_cmpstr(testhub_query_get(q, "search"), ==, "x y");
	g_assert_cmpstr(testhub_query_get(q, "expand"), ==, "");
	g_assert_null(testhub_query_get(q, "missing"));
	g_assert_true(testhub_query_bool(testhub_query_get(q, "flag"), FALSE));
	g_assert_true(testhub_query_bool("1", FALSE));
	g_assert_false(testhub_query_bool("False", TRUE));
	g_assert_false(testhub_query_bool("0", TRUE));
	g_assert_true(testhub_query_bool(NULL, TRUE));
	g_assert_cmpuint(testhub_cursor_decode(cur), ==, 150);
	g_assert_cmpuint(testhub_cursor_decode("garbage!"), ==, 0);
	g_assert_cmpuint(testhub_cursor_decode(NULL), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/testhub/store/hashes", test_hashes);
	g_test_add("/testhub/store/default-gitattributes",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_default_gitattributes,
		   fixture_teardown);
	g_test_add("/testhub/store/commit-ids-stable",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_commit_ids_stable,
		   fixture_teardown);
	g_test_add("/testhub/store/write-commit-ops",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_write_commit_ops,
		   fixture_teardown);
	g_test_add("/testhub/store/revisions",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_revisions,
		   fixture_teardown);
	g_test_add("/testhub/store/move",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_move,
		   fixture_teardown);
	g_test_add("/testhub/store/commit-cache",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_commit_cache,
		   fixture_teardown);
	g_test_add_func("/testhub/http/path-split", test_path_split);
	g_test_add_func("/testhub/http/range", test_range);
	g_test_add_func("/testhub/http/query-cursor", test_query_and_cursor);
	return g_test_run();
}
