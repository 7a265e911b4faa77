/* hubd-hub-api-spaces.h: HubdHubApi's Spaces endpoints (runtime, hardware, settings, logs) */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

/**
 * HUBD_HUB_API_SLEEP_TIME_UNSET:
 *
 * A sleep time not given: hubd_hub_api_space_request_hardware_async() then
 * leaves `sleepTimeSeconds` out.
 *
 * Since: 0.1
 */
#define HUBD_HUB_API_SLEEP_TIME_UNSET G_MININT64

/**
 * HubdHubSpaceStore:
 * @HUBD_HUB_SPACE_SECRETS: the Space's secrets (values write-only)
 * @HUBD_HUB_SPACE_VARIABLES: the Space's variables
 *
 * Which of a Space's two key-value stores a call works on; they share their
 * wire format (`/secrets` and `/variables`).
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_SPACE_SECRETS,
	HUBD_HUB_SPACE_VARIABLES,
} HubdHubSpaceStore;

/**
 * HubdHubSpaceLogKind:
 * @HUBD_HUB_SPACE_LOGS_BUILD: the build's log
 * @HUBD_HUB_SPACE_LOGS_RUN: the running app's log
 *
 * Which log hubd_hub_api_space_logs_async() streams.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_HUB_SPACE_LOGS_BUILD,
	HUBD_HUB_SPACE_LOGS_RUN,
} HubdHubSpaceLogKind;

void
hubd_hub_api_space_runtime_async(HubdHubApi *self,
				 const gchar *space_id,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
void
hubd_hub_api_space_hardware_async(HubdHubApi *self,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
void
hubd_hub_api_space_request_hardware_async(HubdHubApi *self,
					  const gchar *space_id,
					  const gchar *flavor,
					  gint64 sleep_time,
					  GCancellable *cancellable,
					  GAsyncReadyCallback callback,
					  gpointer user_data);
void
hubd_hub_api_space_set_sleep_time_async(HubdHubApi *self,
					const gchar *space_id,
					gint64 seconds,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data);
void
hubd_hub_api_space_pause_async(HubdHubApi *self,
			       const gchar *space_id,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
void
hubd_hub_api_space_restart_async(HubdHubApi *self,
				 const gchar *space_id,
				 gboolean factory,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
void
hubd_hub_api_space_set_dev_mode_async(HubdHubApi *self,
				      const gchar *space_id,
				      gboolean enabled,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
void
hubd_hub_api_space_list_store_async(HubdHubApi *self,
				    const gchar *space_id,
				    HubdHubSpaceStore store,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
void
hubd_hub_api_space_add_to_store_async(HubdHubApi *self,
				      const gchar *space_id,
				      HubdHubSpaceStore store,
				      const gchar *key,
				      const gchar *value,
				      const gchar *description,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
void
hubd_hub_api_space_delete_from_store_async(HubdHubApi *self,
					   const gchar *space_id,
					   HubdHubSpaceStore store,
					   const gchar *key,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data);
JsonNode *
hubd_hub_api_space_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_duplicate_repo_async(HubdHubApi *self,
				  HubdRepoType type,
				  const gchar *from_id,
				  const gchar *to_id,
				  JsonObject *extras,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gchar *
hubd_hub_api_duplicate_repo_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

void
hubd_hub_api_space_logs_async(HubdHubApi *self,
			      const gchar *space_id,
			      HubdHubSpaceLogKind kind,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
GInputStream *
hubd_hub_api_space_logs_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

G_END_DECLS
