/* hubd-config.h: hubd.conf (GKeyFile) plus environment and command-line overrides */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HUBD_TYPE_CONFIG (hubd_config_get_type())
G_DECLARE_FINAL_TYPE(HubdConfig, hubd_config, HUBD, CONFIG, GObject)

/* Loads `path`, or $XDG_CONFIG_HOME/hubd/hubd.conf when NULL. A missing file
 * is fine (defaults apply); an unreadable or malformed one is an error. */
HubdConfig *
hubd_config_new(const gchar *path, GError **error);

const gchar *
hubd_config_get_path(HubdConfig *self);

/* Sets GROUP.KEY=VALUE as given on the command line (wins over the file).
 * GROUP may hold dots (storage.NAME.url=…): the key is after the last one. */
gboolean
hubd_config_set_override(HubdConfig *self, const gchar *assignment, GError **error);

/* NULL (or `fallback`) when unset. */
gchar *
hubd_config_get_string(HubdConfig *self,
		       const gchar *group,
		       const gchar *key,
		       const gchar *fallback);
/* The keys of `group` in the file and the overrides, sorted, once each;
 * empty (never NULL) when the group is missing. */
gchar **
hubd_config_get_keys(HubdConfig *self, const gchar *group);
/* The groups (of the file and the overrides) whose name starts with
 * `prefix`, sorted; empty (never NULL) when there are none. */
gchar **
hubd_config_get_groups(HubdConfig *self, const gchar *prefix);
gboolean
hubd_config_get_boolean(HubdConfig *self, const gchar *group, const gchar *key, gboolean fallback);

/* Whether [group] is in the configuration file (not only given with --set). */
gboolean
hubd_config_has_file_group(HubdConfig *self, const gchar *group);
/* Replaces [group] of the configuration file with `keys` = `values` (both
 * NULL-terminated, as long), or removes it when `keys` is NULL; the rest of
 * the file (comments too) is kept, and the file replaced atomically. Blocks
 * on the file: call it from a worker thread. On failure nothing changed. */
gboolean
hubd_config_write_group(HubdConfig *self,
			const gchar *group,
			const gchar *const *keys,
			const gchar *const *values,
			GError **error);

/* The Hub endpoint, by increasing precedence: built-in default, [hub] endpoint,
 * HF_ENDPOINT, the value given to hubd_config_set_endpoint() (--endpoint).
 * Always an absolute http(s) URL without trailing slash. */
const gchar *
hubd_config_get_endpoint(HubdConfig *self);
gboolean
hubd_config_set_endpoint(HubdConfig *self, const gchar *endpoint, GError **error);

/* Checks and normalises an endpoint URL (strips trailing slashes). */
gchar *
hubd_config_normalize_endpoint(const gchar *endpoint, GError **error);

G_END_DECLS
