/* hubd-keyring-helper.c: libsecret in a process of its own, started by hubd when it needs the
 * keyring
 *
 * libsecret opens an encrypted session with the Secret Service, and its key
 * exchange runs libgcrypt's big-number code; linked into hubd, libsecret and
 * libgcrypt stayed resident for the daemon's whole life (about 1.2 MiB of
 * its idle memory) to serve a few calls at start and at login. Here they
 * live only while hubd has keyring work: hubd sends requests on stdin and
 * reads the answers on stdout (hubd-keyring-wire.h), and closes stdin once
 * it has been idle a while, which ends this process.
 *
 * Secrets travel only through the socket; buffers that held one are wiped
 * before they are freed, and the process cannot be traced or dumped. */
#define G_LOG_DOMAIN "HubdKeyringHelper"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <locale.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hubd-keyring-wire.h"
#include "hubd-keyring.h"

/* ---- the socket ---- */

static gboolean
read_exact(gint fd, guint8 *buf, gsize len, gboolean *eof)
{
	gsize got = 0;

	while (got < len) {
		gssize n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*eof = n == 0 && got == 0;
			return FALSE;
		}
		got += (gsize)n;
	}
	return TRUE;
}

static gboolean
write_exact(gint fd, const guint8 *buf, gsize len)
{
	gsize put = 0;

	while (put < len) {
		gssize n = write(fd, buf + put, len - put);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		put += (gsize)n;
	}
	return TRUE;
}

/* where answers go: stdout as it was given; fd 1 itself goes to stderr,
 * so nothing a library prints can come between two answers */
static gint answer_fd = -1;

static gboolean
write_answer(GVariant *answer)
{
	g_autoptr(GBytes) frame = hubd_keyring_wire_encode(answer);
	gsize len;
	const guint8 *data = g_bytes_get_data(frame, &len);

	return write_exact(answer_fd, data, len);
}

/* ---- the requests ---- */

/* The schema of a request: its name, every attribute it names as a string
 * (all of hubd's are), and whether the name is matched too. */
static SecretSchema *
schema_for(const gchar *name, GVariant *attributes, guint flags)
{
	g_autoptr(GHashTable) types = g_hash_table_new(g_str_hash, g_str_equal);
	GVariantIter iter;
	const gchar *key;

	g_variant_iter_init(&iter, attributes);
	while (g_variant_iter_next(&iter, "{&s&s}", &key, NULL))
		g_hash_table_insert(types,
				    (gpointer)key,
				    GINT_TO_POINTER(SECRET_SCHEMA_ATTRIBUTE_STRING));
	return secret_schema_newv(name,
				  (flags & HUBD_KEYRING_ANY_SCHEMA) != 0
					  ? SECRET_SCHEMA_DONT_MATCH_NAME
					  : SECRET_SCHEMA_NONE,
				  types);
}

static GHashTable *
attributes_table(GVariant *attributes)
{
	GHashTable *table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GVariantIter iter;
	gchar *key;
	gchar *value;

	g_variant_iter_init(&iter, attributes);
	while (g_variant_iter_next(&iter, "{ss}", &key, &value))
		g_hash_table_insert(table, key, value);
	return table;
}

static GVariant *
item_variant(SecretRetrievable *item, guint flags)
{
	g_autoptr(GHashTable) attrs = secret_retrievable_get_attributes(item);
	g_autoptr(SecretValue) value = NULL;
	g_autoptr(GError) error = NULL;
	GVariantBuilder builder;
	GHashTableIter iter;
	gpointer key, val;
	gboolean locked = SECRET_IS_ITEM(item) && secret_item_get_locked(SECRET_ITEM(item));
	const gchar *bytes = NULL;
	gsize len = 0;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	g_hash_table_iter_init(&iter, attrs);
	while (g_hash_table_iter_next(&iter, &key, &val))
		g_variant_builder_add(&builder, "{ss}", key, val);
	if ((flags & HUBD_KEYRING_LOAD_SECRETS) != 0 && !locked) {
		/* a search with SECRET_SEARCH_LOAD_SECRETS brought the secrets of
		 * unlocked items along; another kind of item is asked for its own */
		if (SECRET_IS_ITEM(item))
			value = secret_item_get_secret(SECRET_ITEM(item));
		if (value == NULL)
			value = secret_retrievable_retrieve_secret_sync(item, NULL, &error);
		if (value == NULL && error != NULL) {
			g_autofree gchar *remote = g_dbus_error_get_remote_error(error);
			locked = g_error_matches(error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
				 g_strcmp0(remote, "org.freedesktop.Secret.Error.IsLocked") == 0;
			if (!locked)
				g_warning("cannot read an item of the keyring: %s", error->message);
		}
		if (value != NULL)
			bytes = secret_value_get(value, &len);
	}
	/* the secret is copied into the answer; only the copy write_answer()
	 * sends is wiped: GVariant's own buffers cannot be */
	return g_variant_new(
		"(a{ss}bb@ay)",
		&builder,
		locked,
		bytes != NULL,
		g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, bytes != NULL ? bytes : "", len, 1));
}

static GVariant *
do_search(SecretSchema *schema, GHashTable *attributes, guint flags, GError **error)
{
	SecretSearchFlags search = SECRET_SEARCH_NONE;
	GList *items;
	GVariantBuilder builder;

	if ((flags & HUBD_KEYRING_ALL) != 0)
		search |= SECRET_SEARCH_ALL;
	if ((flags & HUBD_KEYRING_LOAD_SECRETS) != 0)
		search |= SECRET_SEARCH_LOAD_SECRETS;
	items = secret_password_searchv_sync(schema, attributes, search, NULL, error);
	if (items == NULL && error != NULL && *error != NULL)
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE(HUBD_KEYRING_WIRE_ITEMS));
	for (GList *l = items; l != NULL; l = l->next)
		g_variant_builder_add_value(&builder, item_variant(l->data, flags));
	g_list_free_full(items, g_object_unref);
	return g_variant_builder_end(&builder);
}

static GVariant *
do_store(SecretSchema *schema,
	 GHashTable *attributes,
	 const gchar *label,
	 GVariant *secret,
	 GError **error)
{
	g_autoptr(SecretValue) value = NULL;
	gsize len = 0;
	const gchar *bytes = g_variant_get_fixed_array(secret, &len, 1);
	gchar *copy;

	copy = g_malloc(len + 1);
	memcpy(copy, bytes, len);
	copy[len] = '\0';
	/* text/plain, as secret_password_store() stores a password */
	value = secret_value_new_full(copy, len, "text/plain", (GDestroyNotify)g_free);
	if (!secret_password_storev_binary_sync(schema,
						attributes,
						SECRET_COLLECTION_DEFAULT,
						label,
						value,
						NULL,
						error)) {
		explicit_bzero(copy, len);
		return NULL;
	}
	explicit_bzero(copy, len);
	return g_variant_new_boolean(TRUE);
}

static GVariant *
answer_for(GVariant *request)
{
	const gchar *op;
	const gchar *schema_name;
	const gchar *label;
	g_autoptr(GVariant) attributes = NULL;
	g_autoptr(GVariant) secret = NULL;
	/* not g_autoptr: libsecret 0.20 declares its cleanup as g_object_unref */
	SecretSchema *schema;
	g_autoptr(GHashTable) table = NULL;
	g_autoptr(GError) error = NULL;
	GVariant *value = NULL;
	guint flags = 0;

	g_variant_get(request,
		      "(&s&s@a{ss}u&s@ay)",
		      &op,
		      &schema_name,
		      &attributes,
		      &flags,
		      &label,
		      &secret);
	schema = schema_for(schema_name, attributes, flags);
	table = attributes_table(attributes);
	if (g_str_equal(op, "search")) {
		value = do_search(schema, table, flags, &error);
	} else if (g_str_equal(op, "store")) {
		value = do_store(schema, table, label, secret, &error);
	} else if (g_str_equal(op, "clear")) {
		gboolean removed = secret_password_clearv_sync(schema, table, NULL, &error);
		if (error == NULL)
			value = g_variant_new_boolean(removed);
	} else {
		g_set_error(&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no operation “%s”", op);
	}
	secret_schema_unref(schema);
	if (value != NULL)
		return g_variant_new("(bv)", TRUE, value);
	return g_variant_new("(bv)",
			     FALSE,
			     g_variant_new(HUBD_KEYRING_WIRE_ERROR,
					   g_quark_to_string(error->domain),
					   error->code,
					   error->message));
}

int
main(int argc, char **argv)
{
	gboolean eof = FALSE;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	/* no other process of the user may read the secrets it holds */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (argc != 1 || isatty(STDIN_FILENO)) {
		g_printerr("%s\n", _("hubd-keyring-helper is started by hubd, not by hand."));
		return 2;
	}
	g_log_writer_default_set_use_stderr(TRUE);
	answer_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (answer_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		return 1;
	for (;;) {
		guint8 head[4];
		gsize len;
		guint8 *buf;
		g_autoptr(GVariant) request = NULL;
		g_autoptr(GVariant) answer = NULL;

		if (!read_exact(STDIN_FILENO, head, sizeof head, &eof))
			break;
		len = hubd_keyring_wire_length(head);
		if (len > HUBD_KEYRING_WIRE_MAX) {
			g_warning("a request of %" G_GSIZE_FORMAT " bytes: not from hubd", len);
			return 1;
		}
		buf = g_malloc(len > 0 ? len : 1);
		if (!read_exact(STDIN_FILENO, buf, len, &eof)) {
			hubd_keyring_wire_wipe_free(buf, len);
			g_warning("the request ended early");
			return 1;
		}
		request = hubd_keyring_wire_decode(buf, len, HUBD_KEYRING_WIRE_REQUEST);
		if (request == NULL) {
			g_warning("a request that is not a %s", HUBD_KEYRING_WIRE_REQUEST);
			return 1;
		}
		answer = g_variant_ref_sink(answer_for(request));
		if (!write_answer(answer))
			break;
	}
	secret_service_disconnect();
	return eof ? 0 : 1;
}
