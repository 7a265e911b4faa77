/* testhub-routes.h: the read-side routes of the local Hub. testhub-routes.c
 * parses the path and dispatches; each testhub-routes-*.c file serves one group.
 */
#pragma once

#include "testhub-http.h"

G_BEGIN_DECLS

/* SoupServer callbacks (user_data = TesthubContext*) */
void
testhub_routes_hub(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *path,
		   GHashTable *query,
		   gpointer user_data);
void
testhub_routes_cdn(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *path,
		   GHashTable *query,
		   gpointer user_data);

/* testhub-routes-repos.c */
void
testhub_route_repo_create(TesthubContext *ctx, SoupServerMessage *msg);
void
testhub_route_repo_delete(TesthubContext *ctx, SoupServerMessage *msg);
void
testhub_route_repo_move(TesthubContext *ctx, SoupServerMessage *msg);
void
testhub_route_repo_settings(TesthubContext *ctx,
			    SoupServerMessage *msg,
			    TesthubRepoType type,
			    const gchar *repo_id);
/* rev NULL = main */
void
testhub_route_repo_info(TesthubContext *ctx,
			SoupServerMessage *msg,
			TesthubRepoType type,
			const gchar *repo_id,
			const gchar *rev);
void
testhub_route_repo_list(TesthubContext *ctx, SoupServerMessage *msg, TesthubRepoType type);

/* testhub-routes-tree.c */
void
testhub_route_tree(TesthubContext *ctx,
		   SoupServerMessage *msg,
		   TesthubRepoType type,
		   const gchar *repo_id,
		   const gchar *rev,
		   const gchar *path);
void
testhub_route_paths_info(TesthubContext *ctx,
			 SoupServerMessage *msg,
			 TesthubRepoType type,
			 const gchar *repo_id,
			 const gchar *rev);

/* testhub-routes-refs.c */
void
testhub_route_refs(TesthubContext *ctx,
		   SoupServerMessage *msg,
		   TesthubRepoType type,
		   const gchar *repo_id);
void
testhub_route_commits(TesthubContext *ctx,
		      SoupServerMessage *msg,
		      TesthubRepoType type,
		      const gchar *repo_id,
		      const gchar *rev);
void
testhub_route_branch(TesthubContext *ctx,
		     SoupServerMessage *msg,
		     TesthubRepoType type,
		     const gchar *repo_id,
		     const gchar *branch);
void
testhub_route_tag(TesthubContext *ctx,
		  SoupServerMessage *msg,
		  TesthubRepoType type,
		  const gchar *repo_id,
		  const gchar *rev_or_tag);

/* testhub-routes-files.c */
void
testhub_route_file(TesthubContext *ctx,
		   SoupServerMessage *msg,
		   TesthubRepoType type,
		   const gchar *repo_id,
		   gboolean raw,
		   const gchar *rev,
		   const gchar *path);
void
testhub_route_cdn_lfs(TesthubContext *ctx, SoupServerMessage *msg, const gchar *sha256);

/* helpers shared by the route files */

/* The README's front matter at commit `c` as a JSON object, or NULL. */
JsonNode *
testhub_read_card(TesthubContext *ctx, TesthubCommit *c);
/* Resolves `rev` and loads the commit; replies 404 RevisionNotFound and returns NULL otherwise. */
TesthubCommit *
testhub_route_load_revision(TesthubContext *ctx,
			    SoupServerMessage *msg,
			    TesthubRepo *repo,
			    const gchar *rev);
/* "{prefix}{id}" URL of a repo on this Hub */
gchar *
testhub_repo_url(TesthubContext *ctx, TesthubRepo *repo);

G_END_DECLS
