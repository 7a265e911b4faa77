/* hubd-endpoints-variant.h: Inference Endpoints JSON <-> the a{sv} of org.hubd.Hub1.Endpoints */
#pragma once

#include "hubd-plugin.h"

G_BEGIN_DECLS

/* An endpoint object -> a{sv} (floating). */
GVariant *
hubd_endpoints_to_variant(JsonNode *node, const gchar *namespace_);
/* `{"items": […]}` -> aa{sv} (floating). */
GVariant *
hubd_endpoints_list_to_variant(JsonNode *node, const gchar *namespace_);
/* `{"vendors": […]}` -> one a{sv} per compute (floating). */
GVariant *
hubd_endpoints_hardware_to_variant(JsonNode *node);
/* The create (or, `create` FALSE, partial update) body for `spec`; NULL and
 * an InvalidArgument error on a badly typed key. */
JsonNode *
hubd_endpoints_spec_to_json(const gchar *name, GVariant *spec, gboolean create, GError **error);
/* status.state / status.message / status.url of an endpoint object. */
const gchar *
hubd_endpoints_status_member(JsonNode *node, const gchar *member);

G_END_DECLS
