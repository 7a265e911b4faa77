/* hubd-repos-private.h: what the parts of org.hubd.Hub1.Repos share (a call
 * in flight, input checks, Hub paths); not for other services */
#pragma once

#include <json-glib/json-glib.h>

#include "hubd-dbus-generated.h"
#include "hubd-hub-client.h"
#include "hubd-repo-id.h"
#include "hubd-repos-service.h"

G_BEGIN_DECLS

typedef struct _HubdReposCall HubdReposCall;
/* Finishes the D-Bus call once the Hub said yes; `response` may be NULL. */
typedef void (*HubdReposDone)(HubdReposCall *call, HubdHubResponse *response);

struct _HubdReposCall {
	HubdReposService *self;
	GDBusMethodInvocation *invocation;
	HubdRepoType type;
	gchar *repo_id;
	gchar *other; /* Move: the new id */
	gboolean exist_ok;
	gboolean missing_ok;
	gboolean include_prs;
	HubdReposDone done;
	gchar *probe_path;   /* Create with exist_ok: where to look when refused */
	GError *first_error; /* the refusal, kept while probing */
};

/* Holds the daemon (no idle exit) and the service until freed. */
HubdReposCall *
hubd_repos_call_new(HubdReposService *self, GDBusMethodInvocation *invocation);
void
hubd_repos_call_free(HubdReposCall *call);
/* Finishes the invocation with `error` (taken) and frees the call. */
void
hubd_repos_call_fail(HubdReposCall *call, GError *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubdReposCall, hubd_repos_call_free)

HubdDbusRepos *
hubd_repos_service_skeleton(HubdReposService *self);
HubdHubClient *
hubd_repos_service_client(HubdReposService *self);
const gchar *
hubd_repos_service_endpoint(HubdReposService *self);

/* Validation failed: answers `invocation` with `error` (taken) at once,
 * nothing was sent; returns G_DBUS_METHOD_INVOCATION_HANDLED. */
gboolean
hubd_repos_refuse(GDBusMethodInvocation *invocation, GError *error);

/* The type and id checks every method starts with. */
gboolean
hubd_repos_parse_repo(const gchar *type_str,
		      const gchar *repo_id,
		      gboolean require_namespace,
		      HubdRepoType *type_out,
		      GError **error);
/* An empty revision is fine (the default branch); else it must be valid. */
gboolean
hubd_repos_check_revision(const gchar *revision, const gchar *what, GError **error);
/* A path to read in a repo (ListFiles, HubUrl): leading '/' dropped, then it
 * must be a safe relative path. Unlike upload paths, ".git" and ".cache"
 * folders are fine here: reading them is harmless. "" stays "". */
gchar *
hubd_repos_clean_read_path(const gchar *path, GError **error);
/* "/api/{models|datasets|spaces}/{id}" + `suffix` (may be NULL) */
gchar *
hubd_repos_api_path(HubdRepoType type, const gchar *repo_id, const gchar *suffix);

/* Read-side handlers (hubd-repos-read.c), connected by the service. */
gboolean
hubd_repos_handle_info(HubdDbusRepos *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *repo_type,
		       const gchar *repo_id,
		       const gchar *revision,
		       GVariant *options,
		       gpointer user_data);
gboolean
hubd_repos_handle_list(HubdDbusRepos *skeleton,
		       GDBusMethodInvocation *invocation,
		       const gchar *repo_type,
		       GVariant *options,
		       gpointer user_data);
gboolean
hubd_repos_handle_list_files(HubdDbusRepos *skeleton,
			     GDBusMethodInvocation *invocation,
			     const gchar *repo_type,
			     const gchar *repo_id,
			     const gchar *revision,
			     const gchar *path,
			     GVariant *options,
			     gpointer user_data);
gboolean
hubd_repos_handle_list_refs(HubdDbusRepos *skeleton,
			    GDBusMethodInvocation *invocation,
			    const gchar *repo_type,
			    const gchar *repo_id,
			    GVariant *options,
			    gpointer user_data);
gboolean
hubd_repos_handle_list_commits(HubdDbusRepos *skeleton,
			       GDBusMethodInvocation *invocation,
			       const gchar *repo_type,
			       const gchar *repo_id,
			       const gchar *revision,
			       GVariant *options,
			       gpointer user_data);
gboolean
hubd_repos_handle_hub_url(HubdDbusRepos *skeleton,
			  GDBusMethodInvocation *invocation,
			  const gchar *repo_type,
			  const gchar *repo_id,
			  const gchar *revision,
			  const gchar *filename,
			  GVariant *options,
			  gpointer user_data);

G_END_DECLS
