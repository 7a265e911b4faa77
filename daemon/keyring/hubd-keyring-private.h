/* hubd-keyring-private.h: what HubdKeyring's calls need of the helper's conversation */
#pragma once

#include "hubd-keyring.h"

G_BEGIN_DECLS

/* Queues a request for the helper; `task` (taken) gets the answer. */
void
hubd_keyring_submit(HubdKeyring *self,
		    const gchar *op,
		    const gchar *schema,
		    GHashTable *attributes,
		    HubdKeyringFlags flags,
		    const gchar *label,
		    const gchar *secret,
		    GTask *task);

G_END_DECLS
