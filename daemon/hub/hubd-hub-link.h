/* hubd-hub-link.h: the RFC 8288 Link parser of every paged listing (pure; untrusted input) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gchar *
hubd_hub_link_next(const gchar *header, const gchar *base_url) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
