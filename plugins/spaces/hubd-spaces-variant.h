/* hubd-spaces-variant.h: the Hub's Space JSON as the a{sv} org.hubd.Hub1.Spaces hands out */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

/* A runtime object -> the runtime a{sv} (floating). */
GVariant *
hubd_spaces_runtime_to_variant(JsonNode *node);
/* The hardware list -> aa{sv} (floating). */
GVariant *
hubd_spaces_hardware_to_variant(JsonNode *node);
/* The secrets or variables map -> aa{sv} (floating), sorted by key. */
GVariant *
hubd_spaces_store_to_variant(JsonNode *node, gboolean with_values);
/* The runtime's stage, or NULL. */
const gchar *
hubd_spaces_runtime_stage(JsonNode *node);
/* The runtime's errorMessage, or NULL. */
const gchar *
hubd_spaces_runtime_error(JsonNode *node);
/* Whether the stage is a failure (BUILD_ERROR, RUNTIME_ERROR, CONFIG_ERROR,
 * NO_APP_FILE). */
gboolean
hubd_spaces_stage_is_error(const gchar *stage);
/* Whether the stage is a stop that only a restart leaves (PAUSED, SLEEPING,
 * STOPPED, DELETING). */
gboolean
hubd_spaces_stage_is_stopped(const gchar *stage);

G_END_DECLS
