/* hubd-repo-checks.h: repo id / type / revision / path validation (pure; fuzzed).
 * Private to libhubd, the daemon and hubctl: not installed. */
#pragma once

#include <glib.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* Longest repo name (and namespace) the Hub accepts, as huggingface_hub. */
#define HUBD_REPO_ID_NAME_MAX 96
/* Longest revision (branch, tag, refs/pr/N, commit) we send. */
#define HUBD_REVISION_MAX 255
/* Limits on a path from the Hub before it touches disk (NAME_MAX, PATH_MAX). */
#define HUBD_PATH_SEGMENT_MAX 255
#define HUBD_PATH_MAX         4096

/**
 * HubdRepoType:
 * @HUBD_REPO_TYPE_MODEL: a model
 * @HUBD_REPO_TYPE_DATASET: a dataset
 * @HUBD_REPO_TYPE_SPACE: a Space
 *
 * The three kinds of Hub repository.
 *
 * Since: 0.1
 */
typedef enum {
	HUBD_REPO_TYPE_MODEL,
	HUBD_REPO_TYPE_DATASET,
	HUBD_REPO_TYPE_SPACE,
} HubdRepoType;

/* "model", "dataset" or "space"; NULL or "" mean model. Plural forms are
 * refused with a hint. Sets HUBD_ERROR_INVALID_ARGUMENT. */
gboolean
hubd_repo_type_from_string(const gchar *s, HubdRepoType *out, GError **error);

/* "model", "dataset", "space" */
const gchar *
hubd_repo_type_to_string(HubdRepoType type);

/* hubd_repo_id_validate(), hubd_revision_validate() and
 * hubd_path_in_repo_normalize() are public: hubd-repo-id.h */

/* For a path that came from the Hub, before it is joined to a local
 * directory: relative, no empty, '.' or '..' segment, no backslash, no control
 * char, valid UTF-8, segments ≤ HUBD_PATH_SEGMENT_MAX and the whole ≤
 * HUBD_PATH_MAX bytes. */
gboolean
hubd_path_is_safe_relative(const gchar *path, GError **error);

G_END_DECLS
