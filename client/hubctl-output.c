/* hubctl-output.c: errors, JSON and aligned tables on stdout/stderr; sizes and ages as hf prints
 * them */
#include <glib/gi18n.h>
#include <unistd.h>

#include "hubctl.h"

/* Errors that mean "hubd is not there (any more)" rather than "hubd said no". */
static gboolean
hubctl_error_is_unreachable(const GError *error)
{
	if (error->domain == G_DBUS_ERROR) {
		switch (error->code) {
		case G_DBUS_ERROR_SERVICE_UNKNOWN:
		case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
		case G_DBUS_ERROR_NO_REPLY:
		case G_DBUS_ERROR_DISCONNECTED:
		case G_DBUS_ERROR_NO_SERVER:
		case G_DBUS_ERROR_BAD_ADDRESS:
		case G_DBUS_ERROR_AUTH_FAILED:
		case G_DBUS_ERROR_TIMEOUT:
		case G_DBUS_ERROR_TIMED_OUT:
		case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
		case G_DBUS_ERROR_SPAWN_FORK_FAILED:
		case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
		case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
		case G_DBUS_ERROR_SPAWN_FAILED:
		case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
		case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
		case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
		case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
		case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
		case G_DBUS_ERROR_SPAWN_FILE_INVALID:
		case G_DBUS_ERROR_SPAWN_NO_MEMORY:
			return TRUE;
		default:
			return FALSE;
		}
	}
	if (error->domain == G_IO_ERROR) {
		switch (error->code) {
		case G_IO_ERROR_CLOSED:
		case G_IO_ERROR_BROKEN_PIPE: /* == G_IO_ERROR_CONNECTION_CLOSED */
		case G_IO_ERROR_NOT_CONNECTED:
		case G_IO_ERROR_CONNECTION_REFUSED:
			return TRUE;
		default:
			return FALSE;
		}
	}
	return FALSE;
}

/* The socket hubctl talks to (NULL: the session bus), for the hint of
 * "cannot reach hubd": a CLI process has one connection. */
static gchar *hubctl_output_socket = NULL;

void
hubctl_output_set_socket(const gchar *socket_path)
{
	g_free(hubctl_output_socket);
	hubctl_output_socket = g_strdup(socket_path);
}

/* Single-quoted for the shell only when it has to be, so the hint reads naturally. */
static gchar *
hubctl_output_shell_word(const gchar *word)
{
	for (const gchar *p = word; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr("/._-+=:@%,", *p) == NULL)
			return g_shell_quote(word);
	}
	return g_strdup(word);
}

gint
hubctl_report_unreachable(const gchar *reason)
{
	g_autofree gchar *why = g_strstrip(g_strdup(reason != NULL ? reason : ""));
	gsize len = strlen(why);

	/* the hint follows the reason as its own sentence */
	while (len > 0 && why[len - 1] == '.')
		why[--len] = '\0';
	if (hubctl_output_socket != NULL) {
		g_autofree gchar *word = hubctl_output_shell_word(hubctl_output_socket);
		g_printerr("hubctl: ");
		/* TRANSLATORS: 1: socket path, 2: reason (no final full stop), 3: the path as a
		 * shell word */
		g_printerr(
			_("cannot reach hubd at %1$s: %2$s. Start it with 'hubd --no-bus --socket "
			  "%3$s &', or point hubctl at the right socket with --socket PATH."),
			hubctl_output_socket,
			why,
			word);
		g_printerr("\n");
	} else {
		g_printerr("hubctl: ");
		g_printerr(_("cannot reach hubd on the session bus: %s. Start it with 'hubd &' (or "
			     "'systemctl --user start hubd'), or point hubctl at its socket with "
			     "--socket PATH."),
			   why);
		g_printerr("\n");
	}
	return HUBCTL_EXIT_UNREACHABLE;
}

gint
hubctl_report_error(GError *error)
{
	g_autoptr(GError) copy = NULL;

	g_return_val_if_fail(error != NULL, HUBCTL_EXIT_FAILED);

	/* a copy, so the caller's error keeps its domain and message */
	copy = g_error_copy(error);
	/* a call made without libhubd (g_dbus_connection_call_sync()): its
	 * message still starts with "GDBus.Error:NAME: " */
	(void)hubd_error_quark(); /* hubd's names decode into HUBD_ERROR */
	if (g_dbus_error_is_remote_error(copy))
		g_dbus_error_strip_remote_error(copy);
	if (hubctl_error_is_unreachable(copy))
		return hubctl_report_unreachable(copy->message);
	g_printerr("hubctl: %s\n", copy->message);
	if (g_error_matches(copy, HUBD_ERROR, HUBD_ERROR_CANCELLED) ||
	    g_error_matches(copy, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return HUBCTL_EXIT_CANCELLED;
	return HUBCTL_EXIT_FAILED;
}

gint
hubctl_usage_error(const gchar *command, const gchar *message)
{
	if (command != NULL) {
		g_printerr("hubctl %s: %s\n", command, message);
		/* TRANSLATORS: %s is a command name, e.g. "status" */
		g_printerr(_("Try 'hubctl %s --help' for more information."), command);
	} else {
		g_printerr("hubctl: %s\n", message);
		g_printerr("%s", _("Try 'hubctl --help' for more information."));
	}
	g_printerr("\n");
	return HUBCTL_EXIT_USAGE;
}

void
hubctl_print_json(JsonNode *node)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *text = NULL;

	g_return_if_fail(node != NULL);

	json_generator_set_pretty(generator, TRUE);
	json_generator_set_indent(generator, 2);
	json_generator_set_root(generator, node);
	text = json_generator_to_data(generator, NULL);
	g_print("%s\n", text);
}

/* ay is a byte string in every hubd API (paths, file names): print it as text,
 * replacing invalid UTF-8 so the JSON stays valid. */
static JsonNode *
hubctl_bytes_to_json(GVariant *value)
{
	gsize len = 0;
	const gchar *data = g_variant_get_fixed_array(value, &len, 1);
	g_autofree gchar *text = NULL;

	/* a trailing NUL is the usual terminator of a bytestring, not content */
	if (len > 0 && data[len - 1] == '\0')
		len--;
	text = g_utf8_make_valid(data != NULL ? data : "", (gssize)len);
	return json_node_init_string(json_node_alloc(), text);
}

static JsonNode *
hubctl_dict_to_json(GVariant *value)
{
	g_autoptr(JsonObject) object = json_object_new();
	GVariantIter iter;
	GVariant *raw_entry;

	g_variant_iter_init(&iter, value);
	while ((raw_entry = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) entry = raw_entry;
		g_autoptr(GVariant) key = g_variant_get_child_value(entry, 0);
		g_autoptr(GVariant) child = g_variant_get_child_value(entry, 1);
		g_autofree gchar *name = NULL;

		if (g_variant_is_of_type(key, G_VARIANT_TYPE_STRING) ||
		    g_variant_is_of_type(key, G_VARIANT_TYPE_OBJECT_PATH) ||
		    g_variant_is_of_type(key, G_VARIANT_TYPE_SIGNATURE))
			name = g_variant_dup_string(key, NULL);
		else
			name = g_variant_print(key, FALSE);
		json_object_set_member(object, name, hubctl_variant_to_json(child));
	}
	return json_node_init_object(json_node_alloc(), object);
}

static JsonNode *
hubctl_container_to_json(GVariant *value)
{
	g_autoptr(JsonArray) array = json_array_new();
	GVariantIter iter;
	GVariant *raw_child;

	g_variant_iter_init(&iter, value);
	while ((raw_child = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) child = raw_child;
		json_array_add_element(array, hubctl_variant_to_json(child));
	}
	return json_node_init_array(json_node_alloc(), array);
}

JsonNode *
hubctl_variant_to_json(GVariant *value)
{
	JsonNode *node;

	if (value == NULL)
		return json_node_init_null(json_node_alloc());
	node = json_node_alloc();
	switch (g_variant_classify(value)) {
	case G_VARIANT_CLASS_BOOLEAN:
		return json_node_init_boolean(node, g_variant_get_boolean(value));
	case G_VARIANT_CLASS_BYTE:
		return json_node_init_int(node, g_variant_get_byte(value));
	case G_VARIANT_CLASS_INT16:
		return json_node_init_int(node, g_variant_get_int16(value));
	case G_VARIANT_CLASS_UINT16:
		return json_node_init_int(node, g_variant_get_uint16(value));
	case G_VARIANT_CLASS_INT32:
		return json_node_init_int(node, g_variant_get_int32(value));
	case G_VARIANT_CLASS_UINT32:
		return json_node_init_int(node, g_variant_get_uint32(value));
	case G_VARIANT_CLASS_HANDLE:
		return json_node_init_int(node, g_variant_get_handle(value));
	case G_VARIANT_CLASS_INT64:
		return json_node_init_int(node, g_variant_get_int64(value));
	case G_VARIANT_CLASS_UINT64: {
		guint64 v = g_variant_get_uint64(value);
		/* JSON integers are int64 in json-glib; sizes never get this big */
		if (v > G_MAXINT64)
			return json_node_init_double(node, (gdouble)v);
		return json_node_init_int(node, (gint64)v);
	}
	case G_VARIANT_CLASS_DOUBLE:
		return json_node_init_double(node, g_variant_get_double(value));
	case G_VARIANT_CLASS_STRING:
	case G_VARIANT_CLASS_OBJECT_PATH:
	case G_VARIANT_CLASS_SIGNATURE:
		return json_node_init_string(node, g_variant_get_string(value, NULL));
	case G_VARIANT_CLASS_VARIANT: {
		g_autoptr(GVariant) inner = g_variant_get_variant(value);
		json_node_unref(node);
		return hubctl_variant_to_json(inner);
	}
	case G_VARIANT_CLASS_MAYBE: {
		g_autoptr(GVariant) inner = g_variant_get_maybe(value);
		if (inner == NULL)
			return json_node_init_null(node);
		json_node_unref(node);
		return hubctl_variant_to_json(inner);
	}
	case G_VARIANT_CLASS_ARRAY:
		json_node_unref(node);
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_BYTESTRING))
			return hubctl_bytes_to_json(value);
		if (g_variant_type_is_dict_entry(g_variant_type_element(g_variant_get_type(value))))
			return hubctl_dict_to_json(value);
		return hubctl_container_to_json(value);
	case G_VARIANT_CLASS_TUPLE:
	case G_VARIANT_CLASS_DICT_ENTRY:
		json_node_unref(node);
		return hubctl_container_to_json(value);
	default:
		return json_node_init_null(node);
	}
}

gboolean
hubctl_stdout_is_tty(void)
{
	return isatty(STDOUT_FILENO) == 1;
}

gboolean
hubctl_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO) == 1;
}

struct _HubctlTable {
	guint n_columns;
	guint indent;
	GPtrArray *headers; /* NULL or n_columns strings */
	GPtrArray *rows;    /* of GPtrArray of n_columns strings */
};

HubctlTable *
hubctl_table_new(guint n_columns)
{
	HubctlTable *table = g_new0(HubctlTable, 1);

	g_return_val_if_fail(n_columns > 0, NULL);

	table->n_columns = n_columns;
	table->rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	return table;
}

void
hubctl_table_free(HubctlTable *table)
{
	if (table == NULL)
		return;
	g_clear_pointer(&table->headers, g_ptr_array_unref);
	g_ptr_array_unref(table->rows);
	g_free(table);
}

void
hubctl_table_set_indent(HubctlTable *table, guint indent)
{
	g_return_if_fail(table != NULL);
	table->indent = indent;
}

static GPtrArray *
hubctl_table_row_new_valist(HubctlTable *table, va_list args)
{
	GPtrArray *row = g_ptr_array_new_full(table->n_columns, g_free);

	for (guint i = 0; i < table->n_columns; i++) {
		const gchar *cell = va_arg(args, const gchar *);
		g_ptr_array_add(row, g_strdup(cell != NULL ? cell : ""));
	}
	return row;
}

void
hubctl_table_set_headers(HubctlTable *table, ...)
{
	va_list args;

	g_return_if_fail(table != NULL);

	g_clear_pointer(&table->headers, g_ptr_array_unref);
	va_start(args, table);
	table->headers = hubctl_table_row_new_valist(table, args);
	va_end(args);
}

void
hubctl_table_add_row(HubctlTable *table, ...)
{
	va_list args;

	g_return_if_fail(table != NULL);

	va_start(args, table);
	g_ptr_array_add(table->rows, hubctl_table_row_new_valist(table, args));
	va_end(args);
}

void
hubctl_table_add_rowv(HubctlTable *table, const gchar *const *cells)
{
	GPtrArray *row;

	g_return_if_fail(table != NULL);
	g_return_if_fail(cells != NULL);

	row = g_ptr_array_new_full(table->n_columns, g_free);
	for (guint i = 0; i < table->n_columns; i++)
		g_ptr_array_add(row, g_strdup(cells[i] != NULL ? cells[i] : ""));
	g_ptr_array_add(table->rows, row);
}

/* Terminal columns a string takes: wide (CJK, emoji) characters take two,
 * combining marks none. Invalid UTF-8 counts one column per byte. */
static gsize
hubctl_display_width(const gchar *text)
{
	gsize width = 0;

	if (!g_utf8_validate(text, -1, NULL))
		return strlen(text);
	for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iszerowidth(c))
			continue;
		width += g_unichar_iswide(c) ? 2 : 1;
	}
	return width;
}

static void
hubctl_table_print_row(HubctlTable *table, GPtrArray *row, const gsize *widths, GString *out)
{
	guint last = table->n_columns - 1;

	/* trailing empty cells would only leave trailing blanks */
	while (last > 0 && ((const gchar *)g_ptr_array_index(row, last))[0] == '\0')
		last--;
	for (guint i = 0; i < table->indent; i++)
		g_string_append_c(out, ' ');
	for (guint i = 0; i <= last; i++) {
		const gchar *cell = g_ptr_array_index(row, i);
		g_string_append(out, cell);
		if (i < last) {
			for (gsize w = hubctl_display_width(cell); w < widths[i] + 2; w++)
				g_string_append_c(out, ' ');
		}
	}
	g_string_append_c(out, '\n');
}

void
hubctl_table_print(HubctlTable *table)
{
	g_autofree gsize *widths = NULL;
	g_autoptr(GString) out = g_string_new(NULL);

	g_return_if_fail(table != NULL);

	widths = g_new0(gsize, table->n_columns);
	for (guint r = 0; r <= table->rows->len; r++) {
		GPtrArray *row =
			r < table->rows->len ? g_ptr_array_index(table->rows, r) : table->headers;
		if (row == NULL)
			continue;
		for (guint i = 0; i < table->n_columns; i++) {
			gsize w = hubctl_display_width(g_ptr_array_index(row, i));
			widths[i] = MAX(widths[i], w);
		}
	}
	if (table->headers != NULL)
		hubctl_table_print_row(table, table->headers, widths, out);
	for (guint r = 0; r < table->rows->len; r++)
		hubctl_table_print_row(table, g_ptr_array_index(table->rows, r), widths, out);
	/* one write: the table is not torn up by progress output on stderr */
	g_print("%s", out->str);
}

gchar *
hubctl_cache_format_size(guint64 bytes)
{
	const gchar *units[] = {"", "K", "M", "G", "T", "P", "E", "Z"};
	gdouble num = (gdouble)bytes;

	for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
		if (num < 1000.0)
			return g_strdup_printf("%.1f%s", num, units[i]);
		num /= 1000.0;
	}
	return g_strdup_printf("%.1fY", num);
}

/* huggingface_hub's _format_timesince ("3 days ago") */
gchar *
hubctl_cache_format_timesince(gint64 ts)
{
	static const struct {
		const gchar *label;
		gint64 divider;
		gint64 max;
	} chunks[] = {
		{"second", 1, 60},
		{"minute", 60, 60},
		{"hour", 3600, 24},
		{"day", 86400, 6},
		{"week", 86400 * 7, 6},
		{"month", 86400 * 30, 11},
		{"year", 86400 * 365, -1},
	};
	gint64 delta = g_get_real_time() / G_USEC_PER_SEC - ts;
	gint64 value = 0;
	guint i;

	if (delta < 20)
		return g_strdup(_("a few seconds ago"));
	for (i = 0; i < G_N_ELEMENTS(chunks); i++) {
		value = (delta + chunks[i].divider / 2) / chunks[i].divider;
		if (chunks[i].max >= 0 && value <= chunks[i].max)
			break;
	}
	i = MIN(i, G_N_ELEMENTS(chunks) - 1);
	/* hf's exact wording, which scripts may match: not translated */
	return g_strdup_printf("%" G_GINT64_FORMAT " %s%s ago",
			       value,
			       chunks[i].label,
			       value > 1 ? "s" : "");
}
