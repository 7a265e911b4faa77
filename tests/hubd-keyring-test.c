/* hubd-keyring-test.c: HubdKeyring through the real hubd-keyring-helper and the test's
 * gnome-keyring — round trips, matching, many callers at once, a helper that dies idle or
 * before or after reading a request, a cancel before the helper has a request, and the helper
 * leaving when idle */
#define G_LOG_DOMAIN "HubdKeyringTest"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hubd-error.h"
#include "hubd-keyring.h"
#include "hubd-test-common.h"

#define SCHEMA "org.hubd.Test.Keyring"

static void
result_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **slot = user_data;

	*slot = g_object_ref(res);
}

static GAsyncResult *
wait_result(GAsyncResult **slot)
{
	while (*slot == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *slot;
}

static gboolean
store(const gchar *schema, GHashTable *attrs, const gchar *secret, GError **error)
{
	GAsyncResult *slot = NULL;
	g_autoptr(GAsyncResult) res = NULL;

	hubd_keyring_store_async(hubd_keyring_get_default(),
				 schema,
				 attrs,
				 "hubd test item",
				 secret,
				 NULL,
				 result_cb,
				 &slot);
	res = wait_result(&slot);
	return hubd_keyring_store_finish(hubd_keyring_get_default(), res, error);
}

static GPtrArray *
search(const gchar *schema, GHashTable *attrs, HubdKeyringFlags flags)
{
	GAsyncResult *slot = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *items;

	hubd_keyring_search_async(hubd_keyring_get_default(),
				  schema,
				  attrs,
				  flags,
				  NULL,
				  result_cb,
				  &slot);
	res = wait_result(&slot);
	items = hubd_keyring_search_finish(hubd_keyring_get_default(), res, &error);
	g_assert_no_error(error);
	return items;
}

static void
clear(const gchar *schema, GHashTable *attrs, HubdKeyringFlags flags)
{
	GAsyncResult *slot = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;

	hubd_keyring_clear_async(hubd_keyring_get_default(),
				 schema,
				 attrs,
				 flags,
				 NULL,
				 result_cb,
				 &slot);
	res = wait_result(&slot);
	g_assert_true(hubd_keyring_clear_finish(hubd_keyring_get_default(), res, &error));
	g_assert_no_error(error);
}

/* The pids of this process's keyring helpers that have not been reaped. A
 * zombie counts: its leader may be one while its threads, and the socket
 * they hold, are still going. */
static GArray *
helper_pids(void)
{
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(GPid));
	g_autoptr(GDir) dir = g_dir_open("/proc", 0, NULL);
	const gchar *name;

	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename("/proc", name, "stat", NULL);
		g_autofree gchar *stat = NULL;
		const gchar *end;
		gint ppid;

		if (!g_ascii_isdigit(name[0]) || !g_file_get_contents(path, &stat, NULL, NULL))
			continue;
		/* "PID (COMM) STATE PPID …"; COMM is cut to 15 bytes */
		end = strrchr(stat, ')');
		if (end == NULL || strstr(stat, "(hubd-keyring-he)") == NULL ||
		    sscanf(end + 1, " %*c %d", &ppid) != 1)
			continue;
		if (ppid == getpid()) {
			GPid pid = (GPid)g_ascii_strtoll(name, NULL, 10);
			g_array_append_val(pids, pid);
		}
	}
	return pids;
}

static GPid
the_helper(void)
{
	g_autoptr(GArray) pids = helper_pids();

	g_assert_cmpuint(pids->len, ==, 1);
	return g_array_index(pids, GPid, 0);
}

static gboolean
no_helper(void)
{
	g_autoptr(GArray) pids = helper_pids();

	return pids->len == 0;
}

static gboolean
spin_until_no_helper(guint timeout_ms)
{
	gint64 until = g_get_monotonic_time() + timeout_ms * 1000;

	while (!no_helper()) {
		if (g_get_monotonic_time() > until)
			return FALSE;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(20000);
	}
	return TRUE;
}

static HubdKeyringItem *
only_item(GPtrArray *items)
{
	g_assert_cmpuint(items->len, ==, 1);
	return g_ptr_array_index(items, 0);
}

/* ---- tests ---- */

static void
test_round_trip(void)
{
	/* not only ASCII, longer than a line, with the bytes a shell would eat */
	g_autofree gchar *secret = g_strdup_printf("hf_%s \"' $é\\n%0300d", "x", 7);
	g_autoptr(GHashTable) a1 = hubd_keyring_attributes_new("case", "rt", "n", "1", NULL);
	g_autoptr(GHashTable) a2 = hubd_keyring_attributes_new("case", "rt", "n", "2", NULL);
	g_autoptr(GHashTable) rt = hubd_keyring_attributes_new("case", "rt", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = NULL;
	HubdKeyringItem *item;

	g_assert_true(store(SCHEMA, a1, secret, &error));
	g_assert_no_error(error);
	items = search(SCHEMA, a1, HUBD_KEYRING_LOAD_SECRETS);
	item = only_item(items);
	g_assert_cmpstr(item->secret, ==, secret);
	g_assert_cmpuint(item->secret_len, ==, strlen(secret));
	g_assert_false(item->locked);
	g_assert_cmpstr(g_hash_table_lookup(item->attributes, "n"), ==, "1");
	g_assert_cmpstr(g_hash_table_lookup(item->attributes, "xdg:schema"), ==, SCHEMA);
	g_clear_pointer(&items, g_ptr_array_unref);

	/* attributes only, unless secrets are asked for */
	items = search(SCHEMA, a1, HUBD_KEYRING_NONE);
	g_assert_null(only_item(items)->secret);
	g_clear_pointer(&items, g_ptr_array_unref);

	/* the same attributes again: the item is replaced, not doubled */
	g_assert_true(store(SCHEMA, a1, "second", &error));
	g_assert_true(store(SCHEMA, a2, "other", &error));
	g_assert_no_error(error);
	items = search(SCHEMA, rt, HUBD_KEYRING_ALL | HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpuint(items->len, ==, 2);
	for (guint i = 0; i < items->len; i++) {
		item = g_ptr_array_index(items, i);
		g_assert_cmpstr(item->secret,
				==,
				g_str_equal(g_hash_table_lookup(item->attributes, "n"), "1")
					? "second"
					: "other");
	}
	g_clear_pointer(&items, g_ptr_array_unref);
	/* without ALL, one */
	items = search(SCHEMA, rt, HUBD_KEYRING_NONE);
	g_assert_cmpuint(items->len, ==, 1);
	g_clear_pointer(&items, g_ptr_array_unref);

	/* clear takes what matches; nothing left to clear is no error */
	clear(SCHEMA, a1, HUBD_KEYRING_NONE);
	clear(SCHEMA, a1, HUBD_KEYRING_NONE);
	items = search(SCHEMA, rt, HUBD_KEYRING_ALL | HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpstr(only_item(items)->secret, ==, "other");
	g_clear_pointer(&items, g_ptr_array_unref);
	clear(SCHEMA, rt, HUBD_KEYRING_NONE);
	items = search(SCHEMA, NULL, HUBD_KEYRING_ALL);
	g_assert_cmpuint(items->len, ==, 0);
}

static void
test_any_schema(void)
{
	g_autoptr(GHashTable) attrs = hubd_keyring_attributes_new("case", "any", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) mine = NULL;
	g_autoptr(GPtrArray) any = NULL;

	/* as another tool would store it: another schema, the same attributes */
	g_assert_true(store("org.example.OtherTool", attrs, "theirs", &error));
	g_assert_no_error(error);
	mine = search(SCHEMA, attrs, HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpuint(mine->len, ==, 0);
	any = search(SCHEMA, attrs, HUBD_KEYRING_LOAD_SECRETS | HUBD_KEYRING_ANY_SCHEMA);
	g_assert_cmpstr(only_item(any)->secret, ==, "theirs");
	/* a clear by name leaves it; one by attributes removes it */
	clear(SCHEMA, attrs, HUBD_KEYRING_NONE);
	g_clear_pointer(&any, g_ptr_array_unref);
	any = search(SCHEMA, attrs, HUBD_KEYRING_ANY_SCHEMA);
	g_assert_cmpuint(any->len, ==, 1);
	clear(SCHEMA, attrs, HUBD_KEYRING_ANY_SCHEMA);
	g_clear_pointer(&any, g_ptr_array_unref);
	any = search(SCHEMA, attrs, HUBD_KEYRING_ANY_SCHEMA);
	g_assert_cmpuint(any->len, ==, 0);
}

/* ---- many callers ---- */

#define PER_THREAD 12

typedef struct {
	guint first;
	gint done; /* atomic: the main thread waits for every batch */
	gint failed;
} Batch;

static void
batch_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Batch *batch = user_data;

	if (!hubd_keyring_store_finish(HUBD_KEYRING(source), res, NULL))
		g_atomic_int_inc(&batch->failed);
	g_atomic_int_inc(&batch->done);
}

/* Sends the batch's PER_THREAD stores at once from the caller's context. */
static void
submit_batch(Batch *batch)
{
	for (guint i = 0; i < PER_THREAD; i++) {
		g_autofree gchar *n = g_strdup_printf("%u", batch->first + i);
		g_autofree gchar *secret = g_strdup_printf("secret-%u", batch->first + i);
		g_autoptr(GHashTable) attrs =
			hubd_keyring_attributes_new("case", "many", "n", n, NULL);
		hubd_keyring_store_async(hubd_keyring_get_default(),
					 SCHEMA,
					 attrs,
					 "hubd test item",
					 secret,
					 NULL,
					 batch_cb,
					 batch);
	}
}

/* A batch from a thread of its own, with the callbacks in its context. */
static gpointer
store_batch(gpointer data)
{
	Batch *batch = data;
	g_autoptr(GMainContext) context = g_main_context_new();

	g_main_context_push_thread_default(context);
	submit_batch(batch);
	while (g_atomic_int_get(&batch->done) < PER_THREAD)
		g_main_context_iteration(context, TRUE);
	g_main_context_pop_thread_default(context);
	return NULL;
}

static void
test_many_callers(void)
{
	Batch batches[3] = {{.first = 0}, {.first = PER_THREAD}, {.first = 2 * PER_THREAD}};
	GThread *threads[2];
	g_autoptr(GHashTable) many = hubd_keyring_attributes_new("case", "many", NULL);
	g_autoptr(GPtrArray) items = NULL;

	threads[0] = g_thread_new("batch1", store_batch, &batches[1]);
	threads[1] = g_thread_new("batch2", store_batch, &batches[2]);
	/* the main context runs the helper's socket while it waits for its own */
	submit_batch(&batches[0]);
	/* without blocking: the other batches end in their threads' contexts */
	while (g_atomic_int_get(&batches[0].done) < PER_THREAD ||
	       g_atomic_int_get(&batches[1].done) < PER_THREAD ||
	       g_atomic_int_get(&batches[2].done) < PER_THREAD) {
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
	}
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_thread_join(threads[i]);
	for (guint i = 0; i < G_N_ELEMENTS(batches); i++)
		g_assert_cmpint(g_atomic_int_get(&batches[i].failed), ==, 0);
	/* one helper served them all */
	the_helper();

	items = search(SCHEMA, many, HUBD_KEYRING_ALL | HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpuint(items->len, ==, 3 * PER_THREAD);
	for (guint i = 0; i < items->len; i++) {
		HubdKeyringItem *item = g_ptr_array_index(items, i);
		g_autofree gchar *want =
			g_strdup_printf("secret-%s",
					(const gchar *)g_hash_table_lookup(item->attributes, "n"));
		g_assert_cmpstr(item->secret, ==, want);
	}
	clear(SCHEMA, many, HUBD_KEYRING_NONE);
}

/* ---- a helper that dies ---- */

static void
test_helper_killed_idle(void)
{
	g_autoptr(GHashTable) attrs = hubd_keyring_attributes_new("case", "idle-kill", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = NULL;
	GPid first;

	g_assert_true(store(SCHEMA, attrs, "kept", &error));
	first = the_helper();
	g_assert_cmpint(kill(first, SIGKILL), ==, 0);
	g_assert_true(spin_until_no_helper(5000));

	/* the next call starts another and gets its answer */
	items = search(SCHEMA, attrs, HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpstr(only_item(items)->secret, ==, "kept");
	g_assert_cmpint(the_helper(), !=, first);
	clear(SCHEMA, attrs, HUBD_KEYRING_NONE);
}

/* Sends a store while `pid` cannot run, then kills it: the helper never
 * read the request, or it read it and waits for the keyring. */
static GAsyncResult *
store_then_kill(GPid stopped, GPid pid, GHashTable *attrs, const gchar *secret)
{
	GAsyncResult *slot = NULL;

	g_assert_cmpint(kill(stopped, SIGSTOP), ==, 0);
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 SCHEMA,
				 attrs,
				 "hubd test item",
				 secret,
				 NULL,
				 result_cb,
				 &slot);
	for (guint i = 0; i < 20; i++) {
		g_main_context_iteration(NULL, FALSE);
		g_usleep(10000);
	}
	g_assert_null(slot);
	g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
	if (stopped != pid)
		g_assert_cmpint(kill(stopped, SIGCONT), ==, 0);
	return wait_result(&slot);
}

static void
test_helper_killed_before_reading(void)
{
	g_autoptr(GHashTable) attrs = hubd_keyring_attributes_new("case", "unread", NULL);
	g_autoptr(GPtrArray) items = search(SCHEMA, NULL, HUBD_KEYRING_NONE);
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	GPid pid = the_helper();

	/* stopped, it has the request in its socket, unread: a new one takes it */
	res = store_then_kill(pid, pid, attrs, "unread");
	g_assert_true(hubd_keyring_store_finish(hubd_keyring_get_default(), res, &error));
	g_assert_no_error(error);
	g_clear_pointer(&items, g_ptr_array_unref);
	items = search(SCHEMA, attrs, HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpstr(only_item(items)->secret, ==, "unread");
	g_assert_cmpint(the_helper(), !=, pid);
	clear(SCHEMA, attrs, HUBD_KEYRING_NONE);
}

static void
test_helper_killed_mid_request(void)
{
	g_autoptr(GHashTable) lost = hubd_keyring_attributes_new("case", "mid-kill", NULL);
	g_autoptr(GHashTable) after = hubd_keyring_attributes_new("case", "after-kill", NULL);
	g_autoptr(GPtrArray) items = search(SCHEMA, NULL, HUBD_KEYRING_NONE);
	g_autoptr(GError) error = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	GPid keyring = hubd_test_bus_name_owner_pid("org.freedesktop.secrets");
	GPid pid = the_helper();

	/* the keyring daemon stopped: the helper has the request and waits */
	g_assert_cmpint(keyring, >, 0);
	g_test_expect_message("HubdKeyring", G_LOG_LEVEL_WARNING, "the keyring helper failed: *");
	res = store_then_kill(keyring, pid, lost, "lost");
	g_test_assert_expected_messages();
	g_assert_false(hubd_keyring_store_finish(hubd_keyring_get_default(), res, &error));
	g_assert_error(error, HUBD_ERROR, HUBD_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "stopped before it answered"));
	g_clear_error(&error);

	/* the keyring still works, with a new helper */
	g_assert_true(store(SCHEMA, after, "after", &error));
	g_assert_no_error(error);
	g_clear_pointer(&items, g_ptr_array_unref);
	items = search(SCHEMA, after, HUBD_KEYRING_LOAD_SECRETS);
	g_assert_cmpstr(only_item(items)->secret, ==, "after");
	g_assert_cmpint(the_helper(), !=, pid);
	clear(SCHEMA, after, HUBD_KEYRING_NONE);
	clear(SCHEMA, lost, HUBD_KEYRING_NONE);
}

static void
test_cancel_before_sent(void)
{
	g_autoptr(GHashTable) first = hubd_keyring_attributes_new("case", "first", NULL);
	g_autoptr(GHashTable) second = hubd_keyring_attributes_new("case", "cancelled", NULL);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GAsyncResult) res1 = NULL;
	g_autoptr(GAsyncResult) res2 = NULL;
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GError) error = NULL;
	GAsyncResult *slot1 = NULL;
	GAsyncResult *slot2 = NULL;
	GPid pid;

	items = search(SCHEMA, NULL, HUBD_KEYRING_NONE);
	pid = the_helper();
	g_assert_cmpint(kill(pid, SIGSTOP), ==, 0);
	/* the first is with the helper, the second waits behind it */
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 SCHEMA,
				 first,
				 "hubd test item",
				 "one",
				 cancellable,
				 result_cb,
				 &slot1);
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 SCHEMA,
				 second,
				 "hubd test item",
				 "two",
				 cancellable,
				 result_cb,
				 &slot2);
	g_main_context_iteration(NULL, FALSE);
	g_cancellable_cancel(cancellable);
	g_assert_cmpint(kill(pid, SIGCONT), ==, 0);

	/* the one the helper had is done and says so; the other never went */
	res1 = wait_result(&slot1);
	g_assert_true(hubd_keyring_store_finish(hubd_keyring_get_default(), res1, &error));
	g_assert_no_error(error);
	res2 = wait_result(&slot2);
	g_assert_false(hubd_keyring_store_finish(hubd_keyring_get_default(), res2, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_pointer(&items, g_ptr_array_unref);
	items = search(SCHEMA, second, HUBD_KEYRING_NONE);
	g_assert_cmpuint(items->len, ==, 0);
	clear(SCHEMA, first, HUBD_KEYRING_NONE);
}

static void
test_helper_leaves_when_idle(void)
{
	g_autoptr(GPtrArray) items = search(SCHEMA, NULL, HUBD_KEYRING_NONE);
	gint64 start = g_get_monotonic_time();

	the_helper();
	g_assert_true(spin_until_no_helper(10000));
	/* not at once: several calls in a row share one helper */
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 4 * G_USEC_PER_SEC);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/keyring/round-trip", test_round_trip);
	g_test_add_func("/keyring/any-schema", test_any_schema);
	g_test_add_func("/keyring/many-callers", test_many_callers);
	g_test_add_func("/keyring/helper-killed-idle", test_helper_killed_idle);
	g_test_add_func("/keyring/helper-killed-before-reading", test_helper_killed_before_reading);
	g_test_add_func("/keyring/helper-killed-mid-request", test_helper_killed_mid_request);
	g_test_add_func("/keyring/cancel-before-sent", test_cancel_before_sent);
	g_test_add_func("/keyring/helper-leaves-when-idle", test_helper_leaves_when_idle);
	return g_test_run();
}
