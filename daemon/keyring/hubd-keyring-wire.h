/* hubd-keyring-wire.h: what hubd and hubd-keyring-helper say to each other over the helper's socket
 *
 * Each message is a little-endian uint32 length, then that many bytes of a
 * GVariant in normal form. hubd writes requests to the helper's stdin and
 * reads one answer per request, in order, from its stdout; the helper exits
 * when its stdin ends. docs/keyring.md describes the exchange. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* (op, schema, attributes, flags, label, secret): op is "search", "store"
 * or "clear"; flags are HubdKeyringFlags; label and secret are a store's,
 * empty for the others */
#define HUBD_KEYRING_WIRE_REQUEST "(ssa{ss}usay)"
/* (ok, value): value is the answer when ok, else (domain, code, message):
 * the GError the helper met, its domain by name so GDBus's and libsecret's
 * codes keep their meaning on the other side */
#define HUBD_KEYRING_WIRE_ANSWER "(bv)"
#define HUBD_KEYRING_WIRE_ERROR  "(sis)"
/* a search's answer: (attributes, locked, has_secret, secret) per item */
#define HUBD_KEYRING_WIRE_ITEMS "a(a{ss}bbay)"

/* Neither side reads a message longer than this: a keyring is small, and a
 * broken peer must not make the other allocate without bound. */
#define HUBD_KEYRING_WIRE_MAX (16u * 1024 * 1024)

/* Wipes `len` bytes at `data`, then frees it. */
void
hubd_keyring_wire_wipe_free(gpointer data, gsize len);

/* The `len` bytes at `offset` in `data`, all wiped when the last reference
 * goes. Takes `data`. */
GBytes *
hubd_keyring_wire_wiped_bytes(guint8 *data, gsize offset, gsize len);

/* A message as it is sent: its length, then `message` in normal form. */
GBytes *
hubd_keyring_wire_encode(GVariant *message);

/* The length a message's first four bytes announce. */
gsize
hubd_keyring_wire_length(const guint8 *head);

/* The message of `type` in the `len` bytes of `body` (taken, and wiped when
 * the message goes), or NULL when they are not one in normal form. */
GVariant *
hubd_keyring_wire_decode(guint8 *body, gsize len, const gchar *type);

G_END_DECLS
