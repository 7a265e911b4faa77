/* hubd-client-user.c: HubdClient's calls about the user and their cache (WhoAmI, Scan) */
#include "hubd-client-user.h"

#include "hubd-client-private.h"
#include "hubd-results-private.h"

HUBD_CLIENT_DICT_CONVERT(hubd_client_user_convert, hubd_user_new_from_variant)
HUBD_CLIENT_DICT_CONVERT(hubd_client_cache_info_convert, hubd_cache_info_new_from_variant)

static GVariant *
hubd_client_whoami_options(void)
{
	return hubd_client_no_options();
}

/**
 * hubd_client_whoami:
 * @self: a #HubdClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Who hubd's current token belongs to (org.hubd.Hub1.Auth.WhoAmI). Fails with
 * %HUBD_ERROR_NOT_LOGGED_IN without a token.
 *
 * Since: 0.1
 */
void
hubd_client_whoami(HubdClient *self,
		   GCancellable *cancellable,
		   GAsyncReadyCallback callback,
		   gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_AUTH,
			       "WhoAmI",
			       g_variant_new("(@a{sv})", hubd_client_whoami_options()),
			       "(a{sv})",
			       hubd_client_user_convert,
			       (GDestroyNotify)g_object_unref,
			       hubd_client_whoami,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_whoami_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdUser *
hubd_client_whoami_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_whoami, error);
}

/**
 * hubd_client_whoami_sync:
 * @self: a #HubdClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_whoami(), blocking.
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdUser *
hubd_client_whoami_sync(HubdClient *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_typed_sync(self,
					   HUBD_INTERFACE_AUTH,
					   "WhoAmI",
					   g_variant_new("(@a{sv})", hubd_client_whoami_options()),
					   "(a{sv})",
					   hubd_client_user_convert,
					   cancellable,
					   error);
}

static GVariant *
hubd_client_cache_scan_options(void)
{
	return hubd_client_no_options();
}

/**
 * hubd_client_cache_scan:
 * @self: a #HubdClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Scans the cache hubd and huggingface_hub share (org.hubd.Hub1.Cache.Scan), as `hf cache scan`.
 *
 * Since: 0.1
 */
void
hubd_client_cache_scan(HubdClient *self,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_return_if_fail(HUBD_IS_CLIENT(self));
	hubd_client_call_typed(self,
			       HUBD_INTERFACE_CACHE,
			       "Scan",
			       g_variant_new("(@a{sv})", hubd_client_cache_scan_options()),
			       "(a{sv})",
			       hubd_client_cache_info_convert,
			       (GDestroyNotify)g_object_unref,
			       hubd_client_cache_scan,
			       cancellable,
			       callback,
			       user_data);
}

/**
 * hubd_client_cache_scan_finish:
 * @self: a #HubdClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the cache's contents, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdCacheInfo *
hubd_client_cache_scan_finish(HubdClient *self, GAsyncResult *result, GError **error)
{
	return hubd_client_call_typed_finish(self, result, hubd_client_cache_scan, error);
}

/**
 * hubd_client_cache_scan_sync:
 * @self: a #HubdClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As hubd_client_cache_scan(), blocking.
 *
 * Returns: (transfer full): the cache's contents, or %NULL with @error set
 *
 * Since: 0.1
 */
HubdCacheInfo *
hubd_client_cache_scan_sync(HubdClient *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(HUBD_IS_CLIENT(self), NULL);
	return hubd_client_call_typed_sync(
		self,
		HUBD_INTERFACE_CACHE,
		"Scan",
		g_variant_new("(@a{sv})", hubd_client_cache_scan_options()),
		"(a{sv})",
		hubd_client_cache_info_convert,
		cancellable,
		error);
}
