/* hubd-webhook-secrets.c: the secrets of the webhooks hubd manages.
 *
 * The Hub sends a webhook's secret verbatim in X-Webhook-Secret
 * (docs/hub-webhooks.md §2). The secrets live in the keyring (schema
 * org.hubd.WebhookSecret, one item per webhook id), never in a file or a log.
 * In memory hubd keeps only their SHA-256 digests: a delivery's header is
 * hashed once and compared with every digest in constant time, so neither
 * the length nor the first differing byte of a secret shows in the timing.
 * The listener's thread matches while the main loop stores and removes:
 * the digests are behind a mutex. */
#define G_LOG_DOMAIN "HubdWebhooks"

#include "hubd-webhook-secrets.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "hubd-error.h"
#include "hubd-keyring.h"

#define DIGEST_LEN 32

struct _HubdWebhookSecrets {
	GObject parent_instance;
	GMutex lock;
	GHashTable *digests; /* webhook id -> guint8[DIGEST_LEN]; under lock */
};

G_DEFINE_TYPE(HubdWebhookSecrets, hubd_webhook_secrets, G_TYPE_OBJECT)

/* attribute: webhook_id */
#define SECRETS_SCHEMA "org.hubd.WebhookSecret"

static void
hubd_webhook_secrets_finalize(GObject *object)
{
	HubdWebhookSecrets *self = HUBD_WEBHOOK_SECRETS(object);

	g_hash_table_unref(self->digests);
	g_mutex_clear(&self->lock);
	G_OBJECT_CLASS(hubd_webhook_secrets_parent_class)->finalize(object);
}

static void
hubd_webhook_secrets_class_init(HubdWebhookSecretsClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = hubd_webhook_secrets_finalize;
}

static void
hubd_webhook_secrets_init(HubdWebhookSecrets *self)
{
	g_mutex_init(&self->lock);
	self->digests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

HubdWebhookSecrets *
hubd_webhook_secrets_new(void)
{
	return g_object_new(HUBD_TYPE_WEBHOOK_SECRETS, NULL);
}

static void
digest_of(const gchar *secret, gsize len, guint8 out[DIGEST_LEN])
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	gsize n = DIGEST_LEN;

	g_checksum_update(sum, (const guchar *)secret, (gssize)len);
	g_checksum_get_digest(sum, out, &n);
}

static void
remember(HubdWebhookSecrets *self, const gchar *webhook_id, const gchar *secret, gsize len)
{
	guint8 *digest = g_malloc(DIGEST_LEN);
	g_autoptr(GMutexLocker) locker = NULL;

	digest_of(secret, len, digest);
	locker = g_mutex_locker_new(&self->lock);
	g_hash_table_replace(self->digests, g_strdup(webhook_id), digest);
}

gchar *
hubd_webhook_secrets_match(HubdWebhookSecrets *self, const gchar *secret, gsize len)
{
	guint8 digest[DIGEST_LEN];
	const gchar *found = NULL;
	GHashTableIter iter;
	gpointer key, value;
	g_autoptr(GMutexLocker) locker = NULL;

	g_return_val_if_fail(HUBD_IS_WEBHOOK_SECRETS(self), NULL);
	if (secret == NULL)
		return NULL;
	digest_of(secret, len, digest);
	locker = g_mutex_locker_new(&self->lock);
	/* every digest is compared, whatever matched before */
	g_hash_table_iter_init(&iter, self->digests);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const guint8 *d = value;
		guint8 diff = 0;

		for (guint i = 0; i < DIGEST_LEN; i++)
			diff |= (guint8)(d[i] ^ digest[i]);
		if (diff == 0)
			found = key;
	}
	return g_strdup(found);
}

gboolean
hubd_webhook_secrets_has(HubdWebhookSecrets *self, const gchar *webhook_id)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->lock);

	return g_hash_table_contains(self->digests, webhook_id);
}

guint
hubd_webhook_secrets_count(HubdWebhookSecrets *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->lock);

	return g_hash_table_size(self->digests);
}

gchar *
hubd_webhook_secret_generate(void)
{
	guint8 bytes[32];
	GString *s = g_string_sized_new(sizeof bytes * 2);
	gsize got = 0;

	while (got < sizeof bytes) {
		gssize n = getrandom(bytes + got, sizeof bytes - got, 0);

		if (n > 0)
			got += (gsize)n;
		else if (errno != EINTR)
			g_error("getrandom failed: %s", g_strerror(errno));
	}
	for (gsize i = 0; i < sizeof bytes; i++)
		g_string_append_printf(s, "%02x", bytes[i]);
	memset(bytes, 0, sizeof bytes);
	return g_string_free(s, FALSE);
}

/* ---- the keyring ---- */

static void
load_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdWebhookSecrets *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) items = hubd_keyring_search_finish(HUBD_KEYRING(source), res, &error);

	if (items == NULL) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("Cannot read webhook secrets from the keyring: %s"),
					error->message);
		return;
	}
	for (guint i = 0; i < items->len; i++) {
		HubdKeyringItem *item = g_ptr_array_index(items, i);
		const gchar *id = g_hash_table_lookup(item->attributes, "webhook_id");

		if (id != NULL && item->secret != NULL)
			remember(self, id, item->secret, item->secret_len);
	}
	g_debug("%u webhook secrets in the keyring", g_hash_table_size(self->digests));
	g_task_return_boolean(task, TRUE);
}

void
hubd_webhook_secrets_load_async(HubdWebhookSecrets *self,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, hubd_webhook_secrets_load_async);
	hubd_keyring_search_async(hubd_keyring_get_default(),
				  SECRETS_SCHEMA,
				  NULL,
				  HUBD_KEYRING_ALL | HUBD_KEYRING_LOAD_SECRETS,
				  cancellable,
				  load_cb,
				  task);
}

gboolean
hubd_webhook_secrets_load_finish(HubdWebhookSecrets *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

typedef struct {
	gchar *webhook_id;
	gchar *secret;
} StoreData;

static void
store_data_free(StoreData *d)
{
	g_free(d->webhook_id);
	if (d->secret != NULL)
		memset(d->secret, 0, strlen(d->secret));
	g_free(d->secret);
	g_free(d);
}

static void
store_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	HubdWebhookSecrets *self = g_task_get_source_object(task);
	StoreData *d = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!hubd_keyring_store_finish(HUBD_KEYRING(source), res, &error)) {
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("Cannot store the webhook secret in the keyring: %s"),
					error->message);
		return;
	}
	remember(self, d->webhook_id, d->secret, strlen(d->secret));
	g_task_return_boolean(task, TRUE);
}

void
hubd_webhook_secrets_store_async(HubdWebhookSecrets *self,
				 const gchar *webhook_id,
				 const gchar *secret,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	StoreData *d = g_new0(StoreData, 1);
	g_autofree gchar *label = g_strdup_printf("hubd webhook %s", webhook_id);
	g_autoptr(GHashTable) attributes =
		hubd_keyring_attributes_new("webhook_id", webhook_id, NULL);

	g_task_set_source_tag(task, hubd_webhook_secrets_store_async);
	d->webhook_id = g_strdup(webhook_id);
	d->secret = g_strdup(secret);
	g_task_set_task_data(task, d, (GDestroyNotify)store_data_free);
	hubd_keyring_store_async(hubd_keyring_get_default(),
				 SECRETS_SCHEMA,
				 attributes,
				 label,
				 secret,
				 cancellable,
				 store_cb,
				 task);
}

gboolean
hubd_webhook_secrets_store_finish(HubdWebhookSecrets *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
remove_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;

	if (!hubd_keyring_clear_finish(HUBD_KEYRING(source), res, &error))
		g_task_return_new_error(task,
					HUBD_ERROR,
					HUBD_ERROR_FAILED,
					_("Cannot remove the webhook secret from the keyring: %s"),
					error->message);
	else
		g_task_return_boolean(task, TRUE);
}

void
hubd_webhook_secrets_remove_async(HubdWebhookSecrets *self,
				  const gchar *webhook_id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GHashTable) attributes =
		hubd_keyring_attributes_new("webhook_id", webhook_id, NULL);

	g_task_set_source_tag(task, hubd_webhook_secrets_remove_async);
	g_mutex_lock(&self->lock);
	g_hash_table_remove(self->digests, webhook_id);
	g_mutex_unlock(&self->lock);
	hubd_keyring_clear_async(hubd_keyring_get_default(),
				 SECRETS_SCHEMA,
				 attributes,
				 HUBD_KEYRING_NONE,
				 cancellable,
				 remove_cb,
				 task);
}

gboolean
hubd_webhook_secrets_remove_finish(HubdWebhookSecrets *self, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}
