/* hubd-storage-call.h: what the wrappers of the vfuncs share: checks, refusals, finishing */
#pragma once

#include "hubd-storage.h"

G_BEGIN_DECLS

/* The vfuncs of head, delete and multipart_begin: a key and nothing else. */
typedef void (*HubdStorageKeyFunc)(HubdStorage *self,
				   const gchar *key,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
typedef HubdStorageObject *(*HubdStorageObjectFinishFunc)(HubdStorage *self,
							  GAsyncResult *result,
							  GError **error);
typedef gboolean (*HubdStorageBooleanFinishFunc)(HubdStorage *self,
						 GAsyncResult *result,
						 GError **error);

/* A refusal before the backend sees a call: `error` (taken) reported as a
 * task tagged `tag`, which the finish functions recognise. */
void
hubd_storage_report(HubdStorage *self,
		    gpointer tag,
		    GAsyncReadyCallback callback,
		    gpointer user_data,
		    GError *error);

/* The checks: TRUE, or FALSE with the refusal reported. */
gboolean
hubd_storage_check_key(HubdStorage *self,
		       const gchar *key,
		       gpointer tag,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gboolean
hubd_storage_check_vfunc(HubdStorage *self,
			 gconstpointer vfunc,
			 const gchar *operation,
			 gpointer tag,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean
hubd_storage_check_length(HubdStorage *self,
			  gint64 length,
			  gint64 minimum,
			  gpointer tag,
			  GAsyncReadyCallback callback,
			  gpointer user_data);

/* Calls `vfunc` once `key` and `vfunc` passed their checks. */
void
hubd_storage_call_with_key(HubdStorage *self,
			   const gchar *key,
			   HubdStorageKeyFunc vfunc,
			   const gchar *operation,
			   gpointer tag,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);

/* Finishing: a refusal of the wrapper tagged `tag`, or the backend's result
 * with its error converted to HUBD_ERROR. */
void
hubd_storage_propagate(GError *error_local, GError **error);
HubdStorageObject *
hubd_storage_finish_object(HubdStorage *self,
			   GAsyncResult *result,
			   gpointer tag,
			   HubdStorageObjectFinishFunc vfunc,
			   GError **error);
gboolean
hubd_storage_finish_boolean(HubdStorage *self,
			    GAsyncResult *result,
			    gpointer tag,
			    HubdStorageBooleanFinishFunc vfunc,
			    GError **error);

G_END_DECLS
