/* hubd-card-render.h: RenderCard — a card from metadata and named sections,
 * on the Hub's default templates, YAML written with libyaml (pure;
 * docs/hub-cards.md §4.3, §4.4) */
#pragma once

#include <json-glib/json-glib.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* `metadata` holds card keys (license, language, tags…) and may hold
 * "eval_results", a list of {task_type, dataset_type, dataset_name,
 * metric_type, metric_value, …} turned into "model-index" as
 * huggingface_hub's eval_results_to_model_index does. `sections` maps
 * section names (hubd-card-template.h) to Markdown; unknown names are
 * HUBD_ERROR_INVALID_ARGUMENT listing the known ones. `title` is the model
 * or dataset name of the heading. */
gchar *
hubd_card_render(HubdRepoType type,
		 JsonObject *metadata,
		 GHashTable *sections,
		 const gchar *title,
		 GError **error);

/* "model-index" built from eval results (see above); the name is the
 * model's. */
JsonNode *
hubd_card_eval_results_to_model_index(JsonArray *eval_results,
				      const gchar *model_name,
				      GError **error);

G_END_DECLS
