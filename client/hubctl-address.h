/* hubctl-address.h: `hf://` addresses, as `hf download` reads them
 * (docs/hub-repos.md §1.7). Plain C, no GObject: unit-tested on its own. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HUBCTL_ADDRESS_SCHEME "hf://"

/* hf://[models/|datasets/|spaces/]NS/NAME[@REVISION][/PATH][/] taken apart. */
typedef struct {
	gchar *type;        /* "model", "dataset" or "space" */
	gchar *repo_id;     /* checked as the daemon checks repo ids */
	gchar *revision;    /* percent-decoded and checked; NULL when none is given */
	gchar *path;        /* a path in the repo; NULL when none is given */
	gboolean is_folder; /* the address ended in "/" after PATH: the whole folder */
} HubctlAddress;

/* TRUE when `arg` is meant as an address (starts with "hf://"), which is then
 * parsed as one or refused, never read as a plain repo id. */
gboolean
hubctl_address_is_address(const gchar *arg);

/* NULL with HUBD_ERROR_INVALID_ARGUMENT (a message naming the address and
 * what is wrong with it) when `arg` is not a valid address. */
HubctlAddress *
hubctl_address_parse(const gchar *arg, GError **error);

void
hubctl_address_free(HubctlAddress *address);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubctlAddress, hubctl_address_free)

G_END_DECLS
