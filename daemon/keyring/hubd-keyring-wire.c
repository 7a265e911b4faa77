/* hubd-keyring-wire.c: the framing both ends of the keyring helper's socket use */
#define G_LOG_DOMAIN "HubdKeyring"

#include "hubd-keyring-wire.h"

#include <string.h>

void
hubd_keyring_wire_wipe_free(gpointer data, gsize len)
{
	if (data != NULL)
		explicit_bzero(data, len);
	g_free(data);
}

typedef struct {
	guint8 *data;
	gsize len;
} Wiped;

static void
wiped_free(Wiped *w)
{
	hubd_keyring_wire_wipe_free(w->data, w->len);
	g_free(w);
}

GBytes *
hubd_keyring_wire_wiped_bytes(guint8 *data, gsize offset, gsize len)
{
	Wiped *w = g_new(Wiped, 1);

	w->data = data;
	w->len = offset + len;
	return g_bytes_new_with_free_func(data + offset, len, (GDestroyNotify)wiped_free, w);
}

GBytes *
hubd_keyring_wire_encode(GVariant *message)
{
	g_autoptr(GVariant) normal = g_variant_get_normal_form(message);
	gsize len = g_variant_get_size(normal);
	/* the variant where its alignment wants it, its length just before */
	guint8 *buf = g_malloc(len + 8);

	buf[4] = len & 0xff;
	buf[5] = (len >> 8) & 0xff;
	buf[6] = (len >> 16) & 0xff;
	buf[7] = (len >> 24) & 0xff;
	g_variant_store(normal, buf + 8);
	return hubd_keyring_wire_wiped_bytes(buf, 4, len + 4);
}

gsize
hubd_keyring_wire_length(const guint8 *head)
{
	return (gsize)head[0] | (gsize)head[1] << 8 | (gsize)head[2] << 16 | (gsize)head[3] << 24;
}

GVariant *
hubd_keyring_wire_decode(guint8 *body, gsize len, const gchar *type)
{
	g_autoptr(GBytes) bytes = hubd_keyring_wire_wiped_bytes(body, 0, len);
	g_autoptr(GVariant) message =
		g_variant_ref_sink(g_variant_new_from_bytes(G_VARIANT_TYPE(type), bytes, FALSE));

	if (!g_variant_is_normal_form(message))
		return NULL;
	return g_steal_pointer(&message);
}
