/* hubd-hub-api-cards.h: HubdHubApi's card endpoints — a repo's README.md at
 * a revision, and POST /api/validate-yaml (docs/hub-cards.md §3) */
#pragma once

#include "hubd-hub-api.h"

G_BEGIN_DECLS

/* `GET /{type-prefix}{id}/resolve/{rev}/README.md`; no README.md is
 * HUBD_ERROR_ENTRY_NOT_FOUND. */
void
hubd_hub_api_get_card_async(HubdHubApi *self,
			    HubdRepoType type,
			    const gchar *repo_id,
			    const gchar *revision,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
GBytes *
hubd_hub_api_get_card_finish(HubdHubApi *self, GAsyncResult *result, GError **error);

/* `POST /api/validate-yaml` with {"content", "repoType"}. 200 and 400 both
 * answer: the Hub's errors and warnings, each a message (gchar*), go to
 * `errors_out` / `warnings_out`. */
void
hubd_hub_api_validate_yaml_async(HubdHubApi *self,
				 HubdRepoType type,
				 const gchar *content,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
hubd_hub_api_validate_yaml_finish(HubdHubApi *self,
				  GAsyncResult *result,
				  GPtrArray **errors_out,
				  GPtrArray **warnings_out,
				  GError **error);

G_END_DECLS
