/* hubd-plugin-loader.h: loads plugin GIO modules, records what loaded and what did not */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Loads every lib*.so in `dir` as a GIO module (each registers its types on
 * the hubd-service / hubd-storage extension points). Appends the names of the
 * plugins that loaded ("libhubd-spaces.so" -> "spaces") to `loaded`, and file
 * name -> reason to `errors` for those that did not. A missing directory is
 * not an error. Modules stay loaded for the life of the process. */
void
hubd_plugin_loader_load_dir(const gchar *dir, GPtrArray *loaded, GHashTable *errors);

/* "libhubd-spaces.so" -> "spaces" */
gchar *
hubd_plugin_loader_name_from_file(const gchar *basename);

G_END_DECLS
