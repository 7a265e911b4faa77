/* hubd-s3-sigv4.c: AWS Signature Version 4, written from AWS's "Signature Version 4 signing
 * process" and S3's "Authenticating Requests (AWS Signature Version 4)" pages (docs/s3.md) */
#define G_LOG_DOMAIN "HubdS3"

#include "hubd-s3-sigv4.h"

#include <string.h>

#define SHA256_LEN 32

gchar *
hubd_s3_uri_encode(const gchar *text, gboolean encode_slash)
{
	GString *out = g_string_sized_new(strlen(text) + 16);

	for (const guchar *p = (const guchar *)text; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
		    (*p == '/' && !encode_slash))
			g_string_append_c(out, (gchar)*p);
		else
			g_string_append_printf(out, "%%%02X", *p);
	}
	return g_string_free(out, FALSE);
}

gchar *
hubd_s3_sha256_hex(const guint8 *data, gsize len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

typedef struct {
	gchar *name;
	gchar *value;
} Pair;

static void
pair_clear(gpointer data)
{
	Pair *pair = data;

	g_free(pair->name);
	g_free(pair->value);
}

static gint
pair_compare(gconstpointer a, gconstpointer b)
{
	const Pair *x = a;
	const Pair *y = b;
	gint c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->value, y->value);
}

gchar *
hubd_s3_sigv4_canonical_query(const gchar *const *params)
{
	g_autoptr(GArray) pairs = g_array_new(FALSE, TRUE, sizeof(Pair));
	GString *out = g_string_new(NULL);

	g_array_set_clear_func(pairs, pair_clear);
	for (guint i = 0; params != NULL && params[i] != NULL; i += 2) {
		Pair pair = {hubd_s3_uri_encode(params[i], TRUE),
			     hubd_s3_uri_encode(params[i + 1] != NULL ? params[i + 1] : "", TRUE)};
		g_array_append_val(pairs, pair);
		if (params[i + 1] == NULL)
			break;
	}
	g_array_sort(pairs, pair_compare);
	for (guint i = 0; i < pairs->len; i++) {
		const Pair *pair = &g_array_index(pairs, Pair, i);
		g_string_append_printf(out, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
	}
	return g_string_free(out, FALSE);
}

/* Trimmed, with every run of spaces folded to one (AWS's Trimall). */
static gchar *
trim_all(const gchar *value)
{
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;

	while (*value == ' ' || *value == '\t')
		value++;
	for (const gchar *p = value; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			space = TRUE;
			continue;
		}
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

gchar *
hubd_s3_sigv4_canonical_request(const gchar *method,
				const gchar *canonical_uri,
				const gchar *canonical_query,
				const gchar *const *headers,
				const gchar *payload_hash,
				gchar **signed_headers)
{
	g_autoptr(GArray) pairs = g_array_new(FALSE, TRUE, sizeof(Pair));
	GString *out = g_string_new(NULL);
	GString *names = g_string_new(NULL);

	g_array_set_clear_func(pairs, pair_clear);
	for (guint i = 0; headers[i] != NULL && headers[i + 1] != NULL; i += 2) {
		Pair pair = {g_ascii_strdown(headers[i], -1), trim_all(headers[i + 1])};
		g_array_append_val(pairs, pair);
	}
	g_array_sort(pairs, pair_compare);
	g_string_append_printf(out, "%s\n%s\n%s\n", method, canonical_uri, canonical_query);
	for (guint i = 0; i < pairs->len; i++) {
		const Pair *pair = &g_array_index(pairs, Pair, i);
		g_string_append_printf(out, "%s:%s\n", pair->name, pair->value);
		g_string_append_printf(names, "%s%s", i > 0 ? ";" : "", pair->name);
	}
	g_string_append_printf(out, "\n%s\n%s", names->str, payload_hash);
	if (signed_headers != NULL)
		*signed_headers = g_strdup(names->str);
	g_string_free(names, TRUE);
	return g_string_free(out, FALSE);
}

gchar *
hubd_s3_sigv4_scope(const gchar *amz_date, const gchar *region, const gchar *service)
{
	return g_strdup_printf("%.8s/%s/%s/aws4_request", amz_date, region, service);
}

gchar *
hubd_s3_sigv4_string_to_sign(const gchar *amz_date,
			     const gchar *scope,
			     const gchar *canonical_request)
{
	g_autofree gchar *hash =
		hubd_s3_sha256_hex((const guint8 *)canonical_request, strlen(canonical_request));

	return g_strdup_printf("AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, hash);
}

/* out = HMAC-SHA256(key, data) */
static void
hmac(const guint8 *key, gsize key_len, const gchar *data, guint8 out[SHA256_LEN])
{
	g_autoptr(GHmac) mac = g_hmac_new(G_CHECKSUM_SHA256, key, key_len);
	gsize len = SHA256_LEN;

	g_hmac_update(mac, (const guchar *)data, (gssize)strlen(data));
	g_hmac_get_digest(mac, out, &len);
}

gchar *
hubd_s3_sigv4_signature(const gchar *secret,
			const gchar *amz_date,
			const gchar *region,
			const gchar *service,
			const gchar *string_to_sign)
{
	g_autofree gchar *first = g_strconcat("AWS4", secret, NULL);
	gchar date[9];
	guint8 key[SHA256_LEN];
	guint8 sig[SHA256_LEN];
	GString *out = g_string_sized_new(2 * SHA256_LEN);

	g_strlcpy(date, amz_date, sizeof date);
	hmac((const guint8 *)first, strlen(first), date, key);
	hmac(key, sizeof key, region, key);
	hmac(key, sizeof key, service, key);
	hmac(key, sizeof key, "aws4_request", key);
	hmac(key, sizeof key, string_to_sign, sig);
	for (guint i = 0; i < SHA256_LEN; i++)
		g_string_append_printf(out, "%02x", sig[i]);
	/* the secret and what derives from it do not linger in memory */
	memset(first, 0, strlen(first));
	memset(key, 0, sizeof key);
	return g_string_free(out, FALSE);
}

gchar *
hubd_s3_sigv4_authorization(const gchar *access_key_id,
			    const gchar *secret,
			    const gchar *amz_date,
			    const gchar *region,
			    const gchar *service,
			    const gchar *canonical_request,
			    const gchar *signed_headers)
{
	g_autofree gchar *scope = hubd_s3_sigv4_scope(amz_date, region, service);
	g_autofree gchar *to_sign =
		hubd_s3_sigv4_string_to_sign(amz_date, scope, canonical_request);
	g_autofree gchar *signature =
		hubd_s3_sigv4_signature(secret, amz_date, region, service, to_sign);

	return g_strdup_printf("AWS4-HMAC-SHA256 Credential=%s/%s,SignedHeaders=%s,Signature=%s",
			       access_key_id,
			       scope,
			       signed_headers,
			       signature);
}

gchar *
hubd_s3_sigv4_amz_date(GDateTime *time)
{
	g_autoptr(GDateTime) utc = g_date_time_to_utc(time);

	return g_date_time_format(utc, "%Y%m%dT%H%M%SZ");
}
