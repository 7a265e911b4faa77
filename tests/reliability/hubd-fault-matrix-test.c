/* hubd-fault-matrix-test.c: every transfer kind under every fault the local
 * Hub can inject. Inside the retry budget the transfer completes with the
 * right bytes; a fault on every attempt ends in a typed error with a message,
 * and nothing partial is visible (no snapshot entry, no blob, no commit).
 * The figure (kind × fault → completed/expected) is printed as TAP comments.
 *
 * One Hub and one daemon serve every cell; each cell transfers files of its
 * own (new names, new bytes), so no cell is served from an earlier one. */
#define G_LOG_DOMAIN "HubdFaultMatrixTest"

#include "hubd-download-fixture.h"

#define MAX_RETRIES "3"
#define SEG_SIZE    (1536 * 1024 + 77) /* over parallel-min-size: segmented */
#define PART_SIZE   65536              /* the Hub's multipart chunk size */

typedef struct {
	const gchar *name;
	const gchar *rule; /* the action's keys of a fault rule */
	gboolean fails;    /* on every attempt: the budget runs out */
} FaultKind;

static const FaultKind faults[] = {
	{"reset", "\"action\":\"reset\",\"after_bytes\":10", FALSE},
	{"truncate", "\"action\":\"truncate\",\"after_bytes\":10", FALSE},
	{"500", "\"action\":\"status\",\"status\":500", FALSE},
	{"502", "\"action\":\"status\",\"status\":502", FALSE},
	{"503", "\"action\":\"status\",\"status\":503,\"retry_after\":1", FALSE},
	{"429 RA 1", "\"action\":\"status\",\"status\":429,\"retry_after\":1", FALSE},
	{"slow", "\"action\":\"slow\",\"chunk_size\":4096,\"delay_ms\":2", FALSE},
	{"500 x" MAX_RETRIES, "\"action\":\"status\",\"status\":500,\"times\":" MAX_RETRIES, FALSE},
	{"500 always", "\"action\":\"status\",\"status\":500,\"times\":0", TRUE},
	{"reset always", "\"action\":\"reset\",\"after_bytes\":0,\"times\":0", TRUE},
};
#define N_FAULTS G_N_ELEMENTS(faults)

typedef enum {
	KIND_DL_REGULAR,
	KIND_DL_LFS,
	KIND_SNAPSHOT,
	KIND_SEGMENTED,
	KIND_SYNC,
	KIND_UP_LFS,
	KIND_UP_MULTIPART,
	KIND_UP_REGULAR,
	N_KINDS,
} TransferKind;

static const gchar *const kind_names[N_KINDS] = {
	"download regular",
	"download LFS",
	"snapshot",
	"segmented download",
	"sync run to a folder",
	"LFS upload basic",
	"LFS upload multipart",
	"regular upload",
};

/* what each cell did: TRUE when it behaved as expected */
static gboolean outcome[N_KINDS][N_FAULTS];
static gboolean ran[N_KINDS];
static gchar *error_names[N_KINDS][N_FAULTS];

static guint cell_counter;

static void
matrix_setup(Fixture *f, gconstpointer data)
{
	const gchar *hub_args[] = {"--lfs-chunk-size", G_STRINGIFY(PART_SIZE), NULL};
	const gchar *args[] = {"--set",
			       "http.max-retries=" MAX_RETRIES,
			       "--set",
			       "http.retry-base-ms=20",
			       "--set",
			       "downloads.parallel-min-size=1000000",
			       "--set",
			       "downloads.connections-per-file=4",
			       "--set",
			       "downloads.one-stream-rate=0",
			       NULL};

	f->direct = FIXTURE_DIRECT_OFF;
	f->tmp = g_dir_make_tmp("hubd-matrix-XXXXXX", NULL);
	f->cache = g_build_filename(f->tmp, "cache", NULL);
	f->hub = hubd_test_hub_start(hub_args);
	hubd_test_hub_create_repo(f->hub, ALICE_WRITE, "{\"name\":\"dl\",\"type\":\"model\"}");
	f->commit = hubd_test_hub_commit_files(f->hub,
					       ALICE_WRITE,
					       "model",
					       REPO,
					       "main",
					       LFS_MIN,
					       "README.md",
					       "---\nlicense: mit\n---\n# matrix\n",
					       NULL);
	f->daemon_args = g_strdupv((GStrv)args);
	daemon_start(f);
	f->bus = hubd_test_session_bus();
}

/* bytes of their own for every cell */
static gchar *
cell_bytes(gsize size, guint cell)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(cell * 7919u + 1);
	gchar *s = g_malloc(size + 1);

	for (gsize i = 0; i < size; i++)
		s[i] = (gchar)('a' + g_rand_int_range(rand, 0, 26));
	s[size] = '\0';
	return s;
}

static void
add_rule(Fixture *f, const FaultKind *fk, const gchar *method, const gchar *regex)
{
	g_autofree gchar *rule = g_strdup_printf("{%s,\"method\":\"%s\",\"path_regex\":\"%s\"}",
						 fk->rule,
						 method,
						 regex);

	hubd_test_hub_clear_faults(f->hub);
	hubd_test_hub_add_fault(f->hub, rule);
}

static gchar *
head_commit(Fixture *f)
{
	g_autofree gchar *body = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_assert_cmpuint(
		hubd_test_hub_http(f->hub, "GET", "/api/models/" REPO, ALICE_WRITE, NULL, &body),
		==,
		200);
	node = hubd_test_parse_json(body);
	return g_strdup(json_object_get_string_member(json_node_get_object(node), "sha"));
}

/* What the Hub serves at main/path (following its CDN redirect), or NULL. */
static gchar *
hub_file(Fixture *f, const gchar *path)
{
	g_autofree gchar *url = g_strdup_printf("%s/%s/resolve/main/%s", f->hub->url, REPO, path);
	g_autofree gchar *out = g_build_filename(f->tmp, "fetched", NULL);
	g_autofree gchar *header_file = g_build_filename(f->tmp, "auth-header", NULL);
	g_autofree gchar *header_arg = g_strconcat("@", header_file, NULL);
	/* the header comes from a file: a token in argv is visible to every user */
	const gchar *argv[] = {"curl", "-sSfL", "-H", header_arg, "-o", out, url, NULL};
	gchar *text = NULL;

	hubd_test_write_file(header_file, "Authorization: Bearer " ALICE_WRITE "\n");
	g_unlink(out);
	if (hubd_test_run_command(argv, NULL, NULL, NULL, NULL) != 0)
		return NULL;
	g_file_get_contents(out, &text, NULL, NULL);
	return text;
}

/* Records a cell: completed with the right bytes, or (fails) a typed error
 * with a message and nothing visible. */
static void
record(TransferKind kind,
       guint fi,
       HubdTestJobResult *r,
       gboolean bytes_ok,
       gboolean nothing_visible)
{
	gboolean good;
	/* the Hub answers a PUT with an empty body once it has stored the
	 * bytes: a reset after that answer's headers loses nothing, the upload
	 * completes */
	gboolean fails = faults[fi].fails && !((kind == KIND_UP_LFS || kind == KIND_UP_MULTIPART) &&
					       strstr(faults[fi].rule, "reset") != NULL);

	if (fails)
		good = !r->ok && g_str_has_prefix(r->error_name, ERR) && r->message != NULL &&
		       strlen(r->message) > 10 && nothing_visible;
	else
		good = r->ok && bytes_ok;
	outcome[kind][fi] = good;
	error_names[kind][fi] = g_strdup(r->ok ? "" : r->error_name + strlen(ERR));
	if (!good)
		g_test_message("%s / %s: %s %s: %s (bytes %s, visible %s)",
			       kind_names[kind],
			       faults[fi].name,
			       r->ok ? "completed" : "failed",
			       r->error_name,
			       r->message != NULL ? r->message : "",
			       bytes_ok ? "right" : "wrong",
			       nothing_visible ? "nothing" : "something");
}

static void
run_download(Fixture *f, TransferKind kind, guint fi)
{
	guint cell = ++cell_counter;
	gboolean lfs = kind != KIND_DL_REGULAR;
	gsize size = kind == KIND_SEGMENTED ? SEG_SIZE : lfs ? 20000 : 300;
	g_autofree gchar *bytes = cell_bytes(size, cell);
	g_autofree gchar *name = g_strdup_printf("c%u.bin", cell);
	g_autofree gchar *commit = hubd_test_hub_commit_files(f->hub,
							      ALICE_WRITE,
							      "model",
							      REPO,
							      "main",
							      LFS_MIN,
							      name,
							      bytes,
							      NULL);
	g_autofree gchar *regex =
		lfs ? lfs_url_regex(bytes) : g_strdup_printf("/resolve/[^/]+/%s$", name);
	g_autofree gchar *snap = snapshot_file(f, commit, name);
	g_autofree gchar *text = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	gboolean visible;

	add_rule(f, &faults[fi], "GET", regex);
	r = download(f, "main", name, NULL);
	hubd_test_hub_clear_faults(f->hub);
	g_file_get_contents(snap, &text, NULL, NULL);
	visible = g_file_test(snap, G_FILE_TEST_EXISTS);
	if (lfs) {
		g_autofree gchar *sha = lfs_sha(bytes);
		g_autofree gchar *rel = g_strdup_printf("blobs/%s", sha);
		g_autofree gchar *blob = cache_path(f, rel);
		visible = visible || g_file_test(blob, G_FILE_TEST_EXISTS);
	}
	record(kind, fi, r, g_strcmp0(text, bytes) == 0, !visible);
}

/* a new commit with one regular (NAME.txt) and one LFS file (NAME.bin), of
 * bytes of their own */
typedef struct {
	gchar *small, *big; /* their bytes */
	gchar *name, *lname;
	gchar *commit;
} CellPair;

static void
cell_pair_commit(Fixture *f, const gchar *prefix, CellPair *p)
{
	guint cell = ++cell_counter;

	p->small = cell_bytes(300, cell);
	p->big = cell_bytes(20000, cell + 1000);
	p->name = g_strdup_printf("%s%u.txt", prefix, cell);
	p->lname = g_strdup_printf("%s%u.bin", prefix, cell);
	p->commit = hubd_test_hub_commit_files(f->hub,
					       ALICE_WRITE,
					       "model",
					       REPO,
					       "main",
					       LFS_MIN,
					       p->name,
					       p->small,
					       p->lname,
					       p->big,
					       NULL);
}

static void
cell_pair_clear(CellPair *p)
{
	g_free(p->small);
	g_free(p->big);
	g_free(p->name);
	g_free(p->lname);
	g_free(p->commit);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CellPair, cell_pair_clear)

/* a snapshot of a new pair; the fault on the regular one's GET, the LFS one
 * must arrive too */
static void
run_snapshot(Fixture *f, guint fi)
{
	g_auto(CellPair) p = {0};
	g_autofree gchar *regex = NULL;
	g_autofree gchar *snap = NULL;
	g_autofree gchar *lsnap = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *ltext = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;

	cell_pair_commit(f, "s", &p);
	regex = g_strdup_printf("/resolve/%s/%s$", p.commit, p.name);
	snap = snapshot_file(f, p.commit, p.name);
	lsnap = snapshot_file(f, p.commit, p.lname);
	add_rule(f, &faults[fi], "GET", regex);
	r = snapshot(f, "main", NULL);
	hubd_test_hub_clear_faults(f->hub);
	g_file_get_contents(snap, &text, NULL, NULL);
	g_file_get_contents(lsnap, &ltext, NULL, NULL);
	/* a failed snapshot may keep the files that did arrive (the next one
	 * reuses them), never the one that did not */
	record(KIND_SNAPSHOT,
	       fi,
	       r,
	       g_strcmp0(text, p.small) == 0 && g_strcmp0(ltext, p.big) == 0,
	       !g_file_test(snap, G_FILE_TEST_EXISTS));
}

/* a sync rule of its own to a new folder, for a new pair (its include
 * pattern leaves the other cells' files out); the fault on the regular one's
 * GET */
static void
run_sync(Fixture *f, guint fi)
{
	g_auto(CellPair) p = {0};
	g_autofree gchar *dir = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *lpath = NULL;
	g_autofree gchar *pattern = NULL;
	g_autofree gchar *regex = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *ltext = NULL;
	g_autoptr(GVariant) added = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	const gchar *id;

	cell_pair_commit(f, "y", &p);
	dir = g_strdup_printf("%s/sync-%u", f->tmp, cell_counter);
	path = g_build_filename(dir, p.name, NULL);
	lpath = g_build_filename(dir, p.lname, NULL);
	pattern = g_strdup_printf("y%u.*", cell_counter);
	regex = g_strdup_printf("/resolve/[^/]+/%s$", p.name);
	added = g_dbus_connection_call_sync(
		f->bus,
		HUBD_TEST_BUS_NAME,
		HUBD_TEST_OBJECT_PATH,
		"org.hubd.Hub1.Sync",
		"AddRule",
		g_variant_new_parsed("('model', %s, %s, {'include': <[%s]>})", REPO, dir, pattern),
		G_VARIANT_TYPE("(s)"),
		G_DBUS_CALL_FLAGS_NONE,
		-1,
		NULL,
		NULL);
	g_assert_nonnull(added);
	g_variant_get(added, "(&s)", &id);
	add_rule(f, &faults[fi], "GET", regex);
	r = hubd_test_run_job(f->bus,
			      "org.hubd.Hub1.Sync.Run",
			      g_variant_new_parsed("(%s, @a{sv} {})", id),
			      JOB_MS);
	hubd_test_hub_clear_faults(f->hub);
	g_file_get_contents(path, &text, NULL, NULL);
	g_file_get_contents(lpath, &ltext, NULL, NULL);
	/* a run that fails switches nothing: the folder shows neither file */
	record(KIND_SYNC,
	       fi,
	       r,
	       g_strcmp0(text, p.small) == 0 && g_strcmp0(ltext, p.big) == 0,
	       !g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(lpath, G_FILE_TEST_EXISTS));
}

static void
run_upload(Fixture *f, TransferKind kind, guint fi)
{
	guint cell = ++cell_counter;
	gsize size = kind == KIND_UP_MULTIPART ? 3 * PART_SIZE + 100
		     : kind == KIND_UP_LFS     ? 20000
					       : 300;
	g_autofree gchar *bytes = cell_bytes(size, cell);
	g_autofree gchar *name = g_strdup_printf("u%u.bin", cell);
	g_autofree gchar *local = g_build_filename(f->tmp, name, NULL);
	g_autofree gchar *before = head_commit(f);
	g_autofree gchar *after = NULL;
	g_autofree gchar *stored = NULL;
	g_autoptr(HubdTestJobResult) r = NULL;
	const gchar *method = kind == KIND_UP_REGULAR ? "POST" : "PUT";
	const gchar *regex = kind == KIND_UP_REGULAR     ? "/preupload/"
			     : kind == KIND_UP_MULTIPART ? "^/upload/[0-9a-f]{64}/[^/]+/[0-9]+$"
							 : "^/upload/[0-9a-f]{64}/[^/]+$";

	hubd_test_write_file(local, bytes);
	add_rule(f, &faults[fi], method, regex);
	r = hubd_test_run_job(f->bus,
			      "Upload",
			      g_variant_new("(sss@a(ss)@a{sv})",
					    "model",
					    REPO,
					    "",
					    g_variant_new_parsed("[(%s, %s)]", local, name),
					    g_variant_new_parsed("@a{sv} {}")),
			      JOB_MS);
	{
		/* the rule must have met the transfer: else the cell proves nothing */
		g_autoptr(JsonNode) rules =
			hubd_test_hub_admin(f->hub, "GET", "/_testhub/faults", NULL);
		JsonArray *a = JSON_NODE_HOLDS_ARRAY(rules)
				       ? json_node_get_array(rules)
				       : json_object_get_array_member(json_node_get_object(rules),
								      "rules");
		g_assert_cmpint(
			json_object_get_int_member(json_array_get_object_element(a, 0), "fired"),
			>,
			0);
	}
	hubd_test_hub_clear_faults(f->hub);
	after = head_commit(f);
	stored = hub_file(f, name);
	record(kind,
	       fi,
	       r,
	       g_strcmp0(stored, bytes) == 0,
	       g_strcmp0(before, after) == 0 && stored == NULL);
}

static void
test_kind(Fixture *f, gconstpointer data)
{
	TransferKind kind = (TransferKind)GPOINTER_TO_INT(data);
	guint good = 0;

	for (guint fi = 0; fi < N_FAULTS; fi++) {
		if (kind == KIND_SNAPSHOT)
			run_snapshot(f, fi);
		else if (kind == KIND_SYNC)
			run_sync(f, fi);
		else if (kind >= KIND_UP_LFS)
			run_upload(f, kind, fi);
		else
			run_download(f, kind, fi);
		good += outcome[kind][fi];
	}
	ran[kind] = TRUE;
	/* the daemon is still there and answers */
	hubd_test_assert_daemon_answers(f->bus);
	g_assert_cmpuint(good, ==, N_FAULTS);
}

static void
matrix_teardown(Fixture *f, gconstpointer data)
{
	fixture_teardown(f, data);
}

/* the figure: one row per kind, one column per fault */
static void
print_table(void)
{
	g_autoptr(GString) head = g_string_new("fault matrix: kind");
	guint good = 0, total = 0;

	for (guint fi = 0; fi < N_FAULTS; fi++)
		g_string_append_printf(head, " | %s", faults[fi].name);
	g_test_message("%s", head->str);
	for (guint k = 0; k < N_KINDS; k++) {
		g_autoptr(GString) row = NULL;
		guint row_good = 0;

		if (!ran[k])
			continue;
		row = g_string_new(NULL);
		for (guint fi = 0; fi < N_FAULTS; fi++) {
			row_good += outcome[k][fi];
			if (faults[fi].fails && error_names[k][fi][0] != '\0')
				g_string_append_printf(row,
						       " | %s %s",
						       outcome[k][fi] ? "ok" : "FAIL",
						       error_names[k][fi]);
			else
				g_string_append_printf(row,
						       " | %s",
						       outcome[k][fi] ? "ok" : "FAIL");
			g_clear_pointer(&error_names[k][fi], g_free);
		}
		g_test_message("fault matrix: %s%s (%u/%u as expected)",
			       kind_names[k],
			       row->str,
			       row_good,
			       (guint)N_FAULTS);
		good += row_good;
		total += N_FAULTS;
	}
	g_test_message("fault matrix: %u/%u cells as expected", good, total);
}

int
main(int argc, char **argv)
{
	int status;

	g_test_init(&argc, &argv, NULL);
	/* every kind runs and the whole table is printed, whatever fails */
	g_test_set_nonfatal_assertions();
	for (guint k = 0; k < N_KINDS; k++) {
		g_autofree gchar *path = g_strdup_printf("/fault-matrix/%s", kind_names[k]);

		g_strdelimit(path, " ", '-');
		g_test_add(path,
			   Fixture,
			   GINT_TO_POINTER(k),
			   matrix_setup,
			   test_kind,
			   matrix_teardown);
	}
	status = g_test_run();
	print_table();
	return status;
}
