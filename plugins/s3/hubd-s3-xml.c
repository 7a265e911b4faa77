/* hubd-s3-xml.c: S3's XML answers read with GMarkup: the shapes are those of the S3 API
 * reference (Error responses, ListObjectsV2, CreateMultipartUpload, CompleteMultipartUpload) */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-xml.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "hubd-error.h"
#include "hubd-storage.h"

typedef struct {
	const gchar *record;
	gchar *root;
	guint depth;
	GString *text;
	GHashTable *fields;
	GHashTable *current; /* the record being read, or NULL */
	GPtrArray *records;
} Reader;

static GHashTable *
table_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void
reader_start(GMarkupParseContext *context,
	     const gchar *element,
	     const gchar **names,
	     const gchar **values,
	     gpointer user_data,
	     GError **error)
{
	Reader *r = user_data;

	r->depth++;
	g_string_truncate(r->text, 0);
	if (r->depth == 1)
		r->root = g_strdup(element);
	else if (r->depth == 2 && r->record != NULL && strcmp(element, r->record) == 0)
		r->current = table_new();
}

static void
reader_end(GMarkupParseContext *context, const gchar *element, gpointer user_data, GError **error)
{
	Reader *r = user_data;
	GHashTable *into = NULL;

	if (r->depth == 2 && r->current != NULL) {
		g_ptr_array_add(r->records, g_steal_pointer(&r->current));
	} else {
		if (r->depth == 2)
			into = r->fields;
		else if (r->depth == 3 && r->current != NULL)
			into = r->current;
		if (into != NULL && !g_hash_table_contains(into, element))
			g_hash_table_insert(into, g_strdup(element), g_strdup(r->text->str));
	}
	g_string_truncate(r->text, 0);
	r->depth--;
}

static void
reader_text(GMarkupParseContext *context,
	    const gchar *text,
	    gsize len,
	    gpointer user_data,
	    GError **error)
{
	Reader *r = user_data;

	g_string_append_len(r->text, text, (gssize)len);
}

gboolean
hubd_s3_xml_read(GBytes *xml,
		 const gchar *record,
		 gchar **root,
		 GHashTable **fields,
		 GPtrArray **records,
		 GError **error)
{
	static const GMarkupParser parser = {reader_start, reader_end, reader_text, NULL, NULL};
	Reader r = {record, NULL, 0, g_string_new(NULL), table_new(), NULL, NULL};
	g_autoptr(GMarkupParseContext) context = NULL;
	gsize len = 0;
	const gchar *data = xml != NULL ? g_bytes_get_data(xml, &len) : NULL;
	gboolean ok;

	r.records = g_ptr_array_new_with_free_func((GDestroyNotify)g_hash_table_unref);
	context = g_markup_parse_context_new(&parser, G_MARKUP_IGNORE_QUALIFIED, &r, NULL);
	ok = data != NULL && len > 0 &&
	     g_markup_parse_context_parse(context, data, (gssize)len, NULL) &&
	     g_markup_parse_context_end_parse(context, NULL) && r.root != NULL;
	g_string_free(r.text, TRUE);
	g_clear_pointer(&r.current, g_hash_table_unref);
	if (!ok) {
		g_free(r.root);
		g_hash_table_unref(r.fields);
		g_ptr_array_unref(r.records);
		g_set_error_literal(error,
				    HUBD_ERROR,
				    HUBD_ERROR_SERVER,
				    _("The S3 server answered with something that is not XML"));
		return FALSE;
	}
	if (root != NULL)
		*root = g_steal_pointer(&r.root);
	g_free(r.root);
	if (fields != NULL)
		*fields = g_steal_pointer(&r.fields);
	else
		g_hash_table_unref(r.fields);
	if (records != NULL)
		*records = g_steal_pointer(&r.records);
	else
		g_ptr_array_unref(r.records);
	return TRUE;
}

gboolean
hubd_s3_xml_read_error(GBytes *xml, gchar **code, gchar **message)
{
	g_autofree gchar *root = NULL;
	g_autoptr(GHashTable) fields = NULL;

	if (!hubd_s3_xml_read(xml, NULL, &root, &fields, NULL, NULL) ||
	    g_strcmp0(root, "Error") != 0)
		return FALSE;
	*code = g_strdup(g_hash_table_lookup(fields, "Code"));
	*message = g_strdup(g_hash_table_lookup(fields, "Message"));
	return TRUE;
}

gchar *
hubd_s3_xml_unquote_etag(const gchar *etag)
{
	gsize len;

	if (etag == NULL)
		return g_strdup("");
	if (g_str_has_prefix(etag, "W/"))
		etag += 2;
	len = strlen(etag);
	if (len >= 2 && etag[0] == '"' && etag[len - 1] == '"')
		return g_strndup(etag + 1, len - 2);
	if (len >= 12 && g_str_has_prefix(etag, "&quot;"))
		return g_strndup(etag + 6, len - 12);
	return g_strdup(etag);
}

GDateTime *
hubd_s3_xml_parse_time(const gchar *text)
{
	GDateTime *time = NULL;

	if (text != NULL)
		time = g_date_time_new_from_iso8601(text, NULL);
	/* an HTTP date: Last-Modified of HEAD and GET */
	if (time == NULL && text != NULL)
		time = soup_date_time_new_from_http_string(text);
	return time != NULL ? time : g_date_time_new_now_utc();
}

GPtrArray *
hubd_s3_xml_read_list(GBytes *xml, const gchar *strip, gchar **next_token, GError **error)
{
	g_autofree gchar *root = NULL;
	g_autoptr(GHashTable) fields = NULL;
	g_autoptr(GPtrArray) records = NULL;
	g_autoptr(GPtrArray) objects =
		g_ptr_array_new_with_free_func((GDestroyNotify)hubd_storage_object_unref);
	gsize strip_len = strlen(strip);

	if (!hubd_s3_xml_read(xml, "Contents", &root, &fields, &records, error))
		return NULL;
	if (g_strcmp0(root, "ListBucketResult") != 0) {
		g_set_error(error,
			    HUBD_ERROR,
			    HUBD_ERROR_SERVER,
			    _("The S3 server answered a listing with <%s>"),
			    root);
		return NULL;
	}
	for (guint i = 0; i < records->len; i++) {
		GHashTable *record = g_ptr_array_index(records, i);
		const gchar *key = g_hash_table_lookup(record, "Key");
		const gchar *size = g_hash_table_lookup(record, "Size");
		g_autofree gchar *etag =
			hubd_s3_xml_unquote_etag(g_hash_table_lookup(record, "ETag"));
		g_autoptr(GDateTime) time =
			hubd_s3_xml_parse_time(g_hash_table_lookup(record, "LastModified"));
		guint64 bytes = 0;
		if (key == NULL || strncmp(key, strip, strip_len) != 0 || key[strip_len] == '\0' ||
		    size == NULL ||
		    !g_ascii_string_to_unsigned(size, 10, 0, G_MAXUINT64, &bytes, NULL) ||
		    !hubd_storage_key_validate(key + strip_len, NULL))
			continue; /* not an object this backend could have written */
		g_ptr_array_add(objects,
				hubd_storage_object_new(key + strip_len, bytes, etag, time));
	}
	if (next_token != NULL) {
		const gchar *truncated = g_hash_table_lookup(fields, "IsTruncated");
		const gchar *token = g_hash_table_lookup(fields, "NextContinuationToken");
		*next_token = g_strcmp0(truncated, "true") == 0 && token != NULL && token[0] != '\0'
				      ? g_strdup(token)
				      : NULL;
	}
	return g_steal_pointer(&objects);
}

gchar *
hubd_s3_xml_escape(const gchar *text)
{
	return g_markup_escape_text(text, -1);
}
