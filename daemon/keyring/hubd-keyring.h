/* hubd-keyring.h: the Secret Service, through hubd-keyring-helper: search, store and clear items */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HubdKeyringFlags:
 * @HUBD_KEYRING_NONE: the first item found, attributes only
 * @HUBD_KEYRING_ALL: a search returns every item that matches
 * @HUBD_KEYRING_LOAD_SECRETS: a search brings the secrets of unlocked items
 * @HUBD_KEYRING_ANY_SCHEMA: a search or clear matches by the attributes
 *   only, so that items stored by other tools (`secret-tool`) are found
 *   too; a store still records the schema's name
 *
 * How a keyring call matches and what a search returns.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_KEYRING_NONE = 0,
	HUBD_KEYRING_ALL = 1 << 0,
	HUBD_KEYRING_LOAD_SECRETS = 1 << 1,
	HUBD_KEYRING_ANY_SCHEMA = 1 << 2,
} HubdKeyringFlags;

/**
 * HubdKeyringItem:
 * @attributes: (element-type utf8 utf8): the item's attributes
 * @secret: (nullable): the secret, NUL-terminated, when it was asked for
 *   and could be read
 * @secret_len: its length in bytes
 * @locked: the item is in a collection no one has unlocked
 *
 * One item a search found. hubd_keyring_item_free() wipes the secret.
 *
 * Since: 0.1
 */
typedef struct {
	GHashTable *attributes;
	gchar *secret;
	gsize secret_len;
	gboolean locked;
} HubdKeyringItem;

#define HUBD_TYPE_KEYRING (hubd_keyring_get_type())
G_DECLARE_FINAL_TYPE(HubdKeyring, hubd_keyring, HUBD, KEYRING, GObject)

HubdKeyring *
hubd_keyring_get_default(void);

GHashTable *
hubd_keyring_attributes_new(const gchar *first_name, ...) G_GNUC_NULL_TERMINATED;

void
hubd_keyring_item_free(HubdKeyringItem *item);

void
hubd_keyring_search_async(HubdKeyring *self,
			  const gchar *schema,
			  GHashTable *attributes,
			  HubdKeyringFlags flags,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
GPtrArray *
hubd_keyring_search_finish(HubdKeyring *self, GAsyncResult *result, GError **error);

void
hubd_keyring_store_async(HubdKeyring *self,
			 const gchar *schema,
			 GHashTable *attributes,
			 const gchar *label,
			 const gchar *secret,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
hubd_keyring_store_finish(HubdKeyring *self, GAsyncResult *result, GError **error);

void
hubd_keyring_clear_async(HubdKeyring *self,
			 const gchar *schema,
			 GHashTable *attributes,
			 HubdKeyringFlags flags,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
hubd_keyring_clear_finish(HubdKeyring *self, GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdKeyringItem, hubd_keyring_item_free)

G_END_DECLS
