/* hubd-storage-key.h: HubdStorage's keys as error messages show them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `key` as an error message can show it: valid UTF-8, control characters
 * replaced, long ones cut. */
gchar *
hubd_storage_key_display(const gchar *key);

G_END_DECLS
