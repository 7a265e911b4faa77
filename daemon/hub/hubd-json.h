/* hubd-json.h: reading members of JSON from the network, where a missing or
 * mistyped member is skipped, never trusted */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* `obj`'s member `member` if it is a string / an object / an array, else
 * NULL (also when `obj` is NULL). */
const gchar *
hubd_json_get_string(JsonObject *obj, const gchar *member);
JsonObject *
hubd_json_get_object(JsonObject *obj, const gchar *member);
JsonArray *
hubd_json_get_array(JsonObject *obj, const gchar *member);

/* TRUE and *out when the member is a number (an integer or a double, which
 * is truncated) / a boolean. */
gboolean
hubd_json_get_number(JsonObject *obj, const gchar *member, gint64 *out);
gboolean
hubd_json_get_boolean(JsonObject *obj, const gchar *member, gboolean *out);

/* A copy of the string member, made valid UTF-8 if it is not; NULL when
 * missing or not a string. */
gchar *
hubd_json_dup_string(JsonObject *obj, const gchar *member);

/* `node`'s object, else NULL and HUBD_ERROR_SERVER "The Hub's `what` is not
 * a JSON object". */
JsonObject *
hubd_json_expect_object(JsonNode *node, const gchar *what, GError **error);

G_END_DECLS
