/* testhub-commit.c: POST /api/{type}s/{id}/commit/{rev} — applies a parsed commit. */
#include "testhub-commit.h"

#include <string.h>

#include "testhub-community.h"
#include "testhub-spaces.h"
#include "testhub-upload.h"
#include "testhub-webhooks.h"
#include "testhub.h"

/* Texts of the real Hub's rejections (docs/hub-upload.md §4.7). */
#define MSG_MISSING_LFS                                                                         \
	"Your push was rejected because an LFS pointer pointed to a file that does not exist. " \
	"For instance, this can happen if you used git push --no-verify to push your changes. " \
	"Offending file:"
#define MSG_TOO_LARGE                                                                      \
	"Your push was rejected because it contains files larger than 10 MiB. Please use " \
	"https://git-lfs.github.com/ to store large files. See also: "                     \
	"https://hf.co/docs/hub/repositories-getting-started#terminal Offending files:"
#define MSG_BINARY                                                             \
	"Your push was rejected because it contains binary files. Please use " \
	"https://git-lfs.github.com/ to store binary files. See also: "        \
	"https://hf.co/docs/hub/repositories-getting-started#terminal Offending files:"
#define MSG_PARENT_MISMATCH "A commit has happened since. Please refresh and try again."

/* ---- applying a commit ---- */

/* Where the commit goes: a branch, or an open PR ref (refs/pr/N). */
typedef struct {
	TesthubRef *branch;
	TesthubRef *pr;
} CommitTarget;

static gboolean
find_target(TesthubRepo *repo, const gchar *rev, CommitTarget *target)
{
	const gchar *name = rev;

	target->branch = NULL;
	target->pr = NULL;
	if (g_str_has_prefix(rev, "refs/pr/")) {
		for (guint i = 0; i < repo->prs->len; i++) {
			TesthubRef *ref = g_ptr_array_index(repo->prs, i);

			if (g_strcmp0(ref->name, rev + strlen("refs/pr/")) == 0) {
				target->pr = ref;
				return TRUE;
			}
		}
		return FALSE;
	}
	if (g_str_has_prefix(rev, "refs/heads/"))
		name = rev + strlen("refs/heads/");
	target->branch = testhub_store_find_branch(repo, name);
	return target->branch != NULL;
}

static void
add_op(GPtrArray *ops,
       TesthubOpKind kind,
       const gchar *path,
       const gchar *sha1,
       const gchar *sha256,
       guint64 size)
{
	TesthubOp *op = g_new0(TesthubOp, 1);

	op->kind = kind;
	op->path = g_strdup(path);
	op->content_sha1 = g_strdup(sha1);
	op->lfs_sha256 = g_strdup(sha256);
	op->size = size;
	g_ptr_array_add(ops, op);
}

static void
append_offender(GString **list, const gchar *path)
{
	if (*list == NULL)
		*list = g_string_new(NULL);
	g_string_append_printf(*list, " - %s", path);
}

/* Checks everything the Hub rejects with 400 before writing anything. */
static gboolean
check_contents(TesthubContext *ctx, TesthubCommitRequest *req, SoupServerMessage *msg)
{
	g_autoptr(GString) missing = NULL;
	g_autoptr(GString) large = NULL;
	g_autoptr(GString) binary = NULL;

	for (guint i = 0; i < req->lines->len; i++) {
		TesthubCommitLine *line = g_ptr_array_index(req->lines, i);
		guint64 stored = 0;

		if (line->kind == TESTHUB_LINE_FILE && line->content != NULL) {
			gsize size = g_bytes_get_size(line->content);

			if (size > TESTHUB_REGULAR_MAX_SIZE)
				append_offender(&large, line->path);
			else if (size > TESTHUB_BINARY_MAX_SIZE &&
				 testhub_sample_is_binary(g_bytes_get_data(line->content, NULL),
							  MIN(size, TESTHUB_SAMPLE_SIZE)))
				append_offender(&binary, line->path);
		} else if (line->kind == TESTHUB_LINE_LFS_FILE && line->oid != NULL) {
			if (!testhub_store_has_lfs(ctx->store, line->oid, &stored) ||
			    (line->size >= 0 && (guint64)line->size != stored))
				append_offender(&missing, line->path);
			else
				line->size = (gint64)stored;
		}
	}
	if (large != NULL || binary != NULL || missing != NULL) {
		g_autofree gchar *text = NULL;

		if (large != NULL)
			text = g_strconcat(MSG_TOO_LARGE, large->str, NULL);
		else if (binary != NULL)
			text = g_strconcat(MSG_BINARY, binary->str, NULL);
		else
			text = g_strconcat(MSG_MISSING_LFS, missing->str, NULL);
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, text);
		return FALSE;
	}
	return TRUE;
}

/* Turns the parsed lines into store ops; renames copy the source entry of
 * `base` and delete the source. Stores regular blobs. FALSE when it has replied. */
static GPtrArray *
build_ops(TesthubContext *ctx,
	  TesthubCommitRequest *req,
	  TesthubCommit *base,
	  SoupServerMessage *msg)
{
	g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func((GDestroyNotify)testhub_op_free);

	for (guint i = 0; i < req->lines->len; i++) {
		TesthubCommitLine *line = g_ptr_array_index(req->lines, i);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *sha1 = NULL;
		TesthubEntry *source = NULL;

		switch (line->kind) {
		case TESTHUB_LINE_DELETED_FILE:
			add_op(ops, TESTHUB_OP_DELETE_FILE, line->path, NULL, NULL, 0);
			continue;
		case TESTHUB_LINE_DELETED_FOLDER:
			add_op(ops, TESTHUB_OP_DELETE_FOLDER, line->path, NULL, NULL, 0);
			continue;
		case TESTHUB_LINE_FILE:
		case TESTHUB_LINE_LFS_FILE:
			break;
		default:
			g_assert_not_reached();
		}
		if (line->old_path != NULL) {
			source = base != NULL ? g_hash_table_lookup(base->tree, line->old_path)
					      : NULL;
			if (source == NULL) {
				g_autofree gchar *text =
					g_strdup_printf("Entry not found: %s", line->old_path);

				testhub_reply_error(msg,
						    SOUP_STATUS_NOT_FOUND,
						    "EntryNotFound",
						    text);
				return NULL;
			}
		}
		if (line->kind == TESTHUB_LINE_FILE && line->content != NULL) {
			sha1 = testhub_store_put_blob(ctx->store, line->content, &error);
			if (sha1 == NULL) {
				testhub_reply_error(msg,
						    SOUP_STATUS_INTERNAL_SERVER_ERROR,
						    NULL,
						    error->message);
				return NULL;
			}
			add_op(ops,
			       TESTHUB_OP_ADD_REGULAR,
			       line->path,
			       sha1,
			       NULL,
			       g_bytes_get_size(line->content));
		} else if (line->kind == TESTHUB_LINE_LFS_FILE && line->oid != NULL) {
			add_op(ops,
			       TESTHUB_OP_ADD_LFS,
			       line->path,
			       NULL,
			       line->oid,
			       (guint64)line->size);
		} else if (source != NULL && source->lfs_sha256 != NULL) {
			add_op(ops,
			       TESTHUB_OP_ADD_LFS,
			       line->path,
			       NULL,
			       source->lfs_sha256,
			       source->size);
		} else if (source != NULL) {
			add_op(ops,
			       TESTHUB_OP_ADD_REGULAR,
			       line->path,
			       source->blob_sha1,
			       NULL,
			       source->size);
		}
		if (line->old_path != NULL && g_strcmp0(line->old_path, line->path) != 0)
			add_op(ops, TESTHUB_OP_DELETE_FILE, line->old_path, NULL, NULL, 0);
	}
	return g_steal_pointer(&ops);
}

/* the next free PR number (PRs and discussions share the numbering) */
static guint
next_pr_number(TesthubRepo *repo)
{
	guint n = MAX(repo->next_pr, 1);
	gboolean taken = TRUE;

	while (taken) {
		g_autofree gchar *name = g_strdup_printf("%u", n);

		taken = FALSE;
		for (guint i = 0; i < repo->prs->len; i++) {
			TesthubRef *ref = g_ptr_array_index(repo->prs, i);

			if (g_strcmp0(ref->name, name) == 0)
				taken = TRUE;
		}
		if (taken)
			n++;
	}
	return n;
}

static gboolean
is_create_pr(SoupServerMessage *msg)
{
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *query = g_uri_get_query(uri);
	g_autoptr(GHashTable) params = NULL;
	const gchar *value;

	if (query == NULL)
		return FALSE;
	params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_NONE, NULL);
	if (params == NULL)
		return FALSE;
	value = g_hash_table_lookup(params, "create_pr");
	return value != NULL &&
	       (g_strcmp0(value, "1") == 0 || g_ascii_strcasecmp(value, "true") == 0);
}

static TesthubCommitRequest *
parse_request(SoupServerMessage *msg, GError **error)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	const gchar *type = soup_message_headers_get_content_type(headers, NULL);
	g_autoptr(GBytes) body = NULL;
	gsize len = 0;
	const gchar *data;

	body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
	data = g_bytes_get_data(body, &len);
	if (len > TESTHUB_MAX_BODY) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_DATA,
				    "Payload too large");
		return NULL;
	}
	/* the pre-NDJSON format of old huggingface_hub versions */
	if (g_strcmp0(type, "application/json") == 0) {
		g_autoptr(JsonParser) parser = json_parser_new();
		JsonNode *root;

		if (!testhub_json_depth_ok(data, len, TESTHUB_MAX_JSON_DEPTH) ||
		    !json_parser_load_from_data(parser, data, (gssize)len, NULL)) {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_INVALID_DATA,
					    "Invalid JSON body");
			return NULL;
		}
		root = json_parser_get_root(parser);
		if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_INVALID_DATA,
					    "Invalid JSON body");
			return NULL;
		}
		return testhub_commit_parse_json(json_node_get_object(root), error);
	}
	return testhub_commit_parse_ndjson(data, len, error);
}

/* resolves parentCommit (full id or a prefix of at least 5) in the repo */
static gboolean
parent_matches(const gchar *parent, const gchar *commit_id)
{
	return parent == NULL || g_str_has_prefix(commit_id, parent);
}

static void
reply_success(TesthubContext *ctx,
	      SoupServerMessage *msg,
	      TesthubRepo *repo,
	      const gchar *oid,
	      gint pr)
{
	JsonObject *obj = json_object_new();
	JsonNode *root = json_node_new(JSON_NODE_OBJECT);
	const gchar *prefix = testhub_repo_type_to_url_prefix(repo->type);
	g_autofree gchar *url =
		g_strdup_printf("%s/%s%s/commit/%s", ctx->base_url, prefix, repo->id, oid);

	json_object_set_boolean_member(obj, "success", TRUE);
	json_object_set_string_member(obj, "commitOid", oid);
	json_object_set_string_member(obj, "commitUrl", url);
	json_object_set_string_member(obj, "hookOutput", "");
	if (pr > 0) {
		g_autofree gchar *pr_url = g_strdup_printf("%s/%s%s/discussions/%d",
							   ctx->base_url,
							   prefix,
							   repo->id,
							   pr);

		json_object_set_string_member(obj, "pullRequestUrl", pr_url);
	}
	json_node_take_object(root, obj);
	testhub_reply_json(msg, SOUP_STATUS_OK, root);
}

/* moves the branch / PR ref or opens a PR; returns the PR number or 0, -1 on error */
static gint
publish(TesthubContext *ctx,
	TesthubRepo *repo,
	CommitTarget *target,
	gboolean create_pr,
	const gchar *oid,
	GError **error)
{
	g_autofree gchar *ref = NULL;
	guint n = 0;

	if (create_pr) {
		n = next_pr_number(repo);
		ref = g_strdup_printf("refs/pr/%u", n);
		repo->next_pr = n + 1;
	} else if (target->pr != NULL) {
		ref = g_strdup_printf("refs/pr/%s", target->pr->name);
	} else {
		ref = g_strdup(target->branch->name);
	}
	/* set_branch also bumps last_modified and saves the repo */
	if (!testhub_store_set_branch(ctx->store, repo, ref, oid, error))
		return -1;
	if (repo->type == TESTHUB_REPO_SPACE && g_strcmp0(ref, "main") == 0)
		testhub_spaces_on_commit(repo);
	return (gint)n;
}

void
testhub_handle_commit(TesthubContext *ctx,
		      SoupServerMessage *msg,
		      TesthubRepo *repo,
		      const gchar *rev,
		      const TesthubUser *user)
{
	g_autoptr(TesthubCommitRequest) req = NULL;
	g_autoptr(TesthubCommit) base = NULL;
	g_autoptr(GPtrArray) ops = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *oid = NULL;
	g_autofree gchar *pr_base = NULL;
	g_autofree gchar *old_head = NULL;
	g_autofree gchar *updated_ref = NULL;
	const gchar *head;
	const gchar *parent;
	gboolean create_pr = is_create_pr(msg);
	CommitTarget target;
	gint pr;

	if (user == NULL) {
		testhub_reply_error(msg,
				    SOUP_STATUS_UNAUTHORIZED,
				    NULL,
				    "Invalid username or password.");
		return;
	}
	req = parse_request(msg, &error);
	if (req == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		return;
	}
	/* commits go to branches (or an open PR); PRs are opened from branches */
	if (!find_target(repo, rev, &target) || (create_pr && target.branch == NULL)) {
		g_autofree gchar *text = g_strdup_printf("Invalid rev id: %s", rev);

		testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", text);
		return;
	}
	head = target.branch != NULL ? target.branch->target : target.pr->target;
	parent = head;
	if (create_pr && req->parent_commit != NULL) {
		/* with create_pr the parent is the PR base, any commit of the repo */
		if (strlen(req->parent_commit) == 40)
			pr_base = testhub_store_resolve_revision(ctx->store,
								 repo,
								 req->parent_commit);
		if (pr_base == NULL) {
			g_autofree gchar *text =
				g_strdup_printf("Invalid rev id: %s", req->parent_commit);

			testhub_reply_error(msg, SOUP_STATUS_NOT_FOUND, "RevisionNotFound", text);
			return;
		}
		parent = pr_base;
	} else if (!parent_matches(req->parent_commit, head)) {
		testhub_reply_error(msg,
				    SOUP_STATUS_PRECONDITION_FAILED,
				    NULL,
				    MSG_PARENT_MISMATCH);
		return;
	}
	if (!check_contents(ctx, req, msg))
		return;
	base = testhub_store_load_commit(ctx->store, parent, &error);
	if (base == NULL) {
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
		return;
	}
	ops = build_ops(ctx, req, base, msg);
	if (ops == NULL)
		return;
	oid = testhub_store_write_commit(ctx->store,
					 parent,
					 ops,
					 req->summary,
					 req->description,
					 user->name,
					 &error);
	if (oid == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
			testhub_reply_error(msg,
					    SOUP_STATUS_NOT_FOUND,
					    "EntryNotFound",
					    error->message);
		else if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
			testhub_reply_error(msg, SOUP_STATUS_BAD_REQUEST, NULL, error->message);
		else
			testhub_reply_error(msg,
					    SOUP_STATUS_INTERNAL_SERVER_ERROR,
					    NULL,
					    error->message);
		return;
	}
	old_head = create_pr ? NULL : g_strdup(head);
	pr = publish(ctx, repo, &target, create_pr, oid, &error);
	if (pr < 0) {
		testhub_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, error->message);
		return;
	}
	/* the PR shows in the repo's discussions, with this commit */
	if (pr > 0)
		testhub_discussions_pr_opened(ctx,
					      repo,
					      (guint)pr,
					      user->name,
					      req->summary,
					      req->description,
					      target.branch->name,
					      parent,
					      oid);
	else if (target.pr != NULL)
		testhub_discussions_pr_commit(ctx,
					      repo,
					      (guint)g_ascii_strtoull(target.pr->name, NULL, 10),
					      user->name,
					      req->summary,
					      oid);
	reply_success(ctx, msg, repo, oid, pr);
	updated_ref = pr > 0              ? g_strdup_printf("refs/pr/%d", pr)
		      : target.pr != NULL ? g_strdup_printf("refs/pr/%s", target.pr->name)
					  : g_strdup_printf("refs/heads/%s", target.branch->name);
	testhub_webhooks_emit(ctx,
			      repo,
			      "repo.content",
			      "update",
			      testhub_webhooks_updated_ref(NULL, updated_ref, old_head, oid));
}
