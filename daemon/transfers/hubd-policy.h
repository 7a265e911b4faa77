/* hubd-policy.h: the publishing policy checked before an upload sends
 * anything — no secrets in files, a card with a licence (pure; fuzzed) */
#pragma once

#include <gio/gio.h>

#include "hubd-repo-id.h"

G_BEGIN_DECLS

/* Files above this size go through LFS whatever preupload says. */
#define HUBD_POLICY_LFS_THRESHOLD (10 * 1024 * 1024)

/* Scans a buffer for a Hugging Face token (hf_ + 30 or more alphanumerics),
 * an AWS access key id (AKIA/ASIA + 16 upper-case alphanumerics) paired or
 * not with a secret, and PEM private key blocks. On a find: FALSE and
 * HUBD_ERROR_POLICY "PATH:LINE: contains what looks like a Hugging Face access
 * token" (never the secret itself). `path_in_repo` names the file.
 * Binary data (a NUL in the first 8 KiB) is not scanned. */
gboolean
hubd_policy_scan_buffer(const gchar *path_in_repo, const gchar *data, gsize len, GError **error);

/* Streams a local file through hubd_policy_scan_buffer line-safely (a token
 * split across read chunks is still found), in the calling thread. */
gboolean
hubd_policy_scan_file(const gchar *local_path,
		      const gchar *path_in_repo,
		      GCancellable *cancellable,
		      GError **error);

/* The same over any stream (blocking reads, for worker threads); `name`
 * names it in read errors. */
gboolean
hubd_policy_scan_stream(GInputStream *in,
			const gchar *name,
			const gchar *path_in_repo,
			GCancellable *cancellable,
			GError **error);

/* The card rule: a model or dataset repo must end up with a README.md whose
 * front matter has a `license`. `readme` is the README.md that will be in
 * the repo after the commit (NULL when there will be none). Spaces pass.
 * Also refused, from ValidateCard's rules: a licence id the Hub does not
 * know, "other" without license_name, and a dataset card that documents
 * nothing (each with its README.md line).
 * Refusal: HUBD_ERROR_POLICY with a message saying how to add the card or
 * the licence (and that --no-policy overrides). */
gboolean
hubd_policy_check_card(HubdRepoType type, const gchar *readme, gsize readme_len, GError **error);

/* TRUE when the card's front matter has an extra_gated_* key (the gate's
 * form): the caller then looks up the repo's settings for
 * hubd_policy_check_access(). */
gboolean
hubd_policy_card_asks_for_gating(const gchar *readme, gsize readme_len);

/* The access rule (docs/hub-cards.md §7): a card asking for gated access
 * needs a gated repo —
 * `gated` is the repo's setting ("auto", "manual", or NULL/"false"). A
 * refusal is HUBD_ERROR_POLICY naming the line, the key and the setting to
 * change (`hubctl repo settings REPO --gated manual`); a private repo gets
 * its own message (the gate must exist before it goes public). */
gboolean
hubd_policy_check_access(HubdRepoType type,
			 const gchar *repo_id,
			 const gchar *readme,
			 gsize readme_len,
			 const gchar *gated,
			 gboolean is_private,
			 GError **error);

/* The line appended to the commit description when the policy is skipped. */
#define HUBD_POLICY_OVERRIDE_NOTE \
	"Published with hubd's publishing policy overridden (--no-policy)."

/* A commit's description: `description` (may be NULL), and with `no_policy`
 * the override note after it, so the history says the policy was skipped. */
gchar *
hubd_policy_commit_description(const gchar *description, gboolean no_policy);

G_END_DECLS
