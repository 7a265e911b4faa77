/* testhub-spaces-private.h: a Space's state, shared by testhub-spaces.c (the
 * state machine and logs) and testhub-spaces-routes.c (the HTTP side) */
#pragma once

#include "testhub-spaces.h"

G_BEGIN_DECLS

typedef struct {
	gchar *line;
	gint64 when; /* unix seconds */
} LogLine;

typedef struct {
	SoupServerMessage *msg;
	TesthubSpace *space;
	gboolean build; /* the build log, else the run log */
	guint sent;     /* lines of the log already sent */
	guint keepalive_id;
	gulong finished_id;
} LogStream;

struct _TesthubSpace {
	gchar *id;
	gchar *sdk;
	const gchar *stage; /* static strings */
	gchar *hw_requested;
	gchar *hw_current;
	gint64 sleep_time; /* seconds; -1: never */
	gboolean dev_mode;
	gchar *error_message;
	gint64 build_started; /* monotonic µs */
	gint64 running_since; /* monotonic µs */
	guint build_ms;
	guint sleep_ms;        /* admin: sleep after this many ms instead of sleep_time s */
	gchar *fail;           /* NULL, "build" or "runtime" (admin) */
	GHashTable *secrets;   /* key -> JsonObject {description?, updatedAt} (values dropped) */
	GHashTable *variables; /* key -> JsonObject {value, description?, updatedAt} */
	GPtrArray *build_log;  /* LogLine* */
	GPtrArray *run_log;    /* LogLine* */
	GPtrArray *streams;    /* LogStream* */
	guint timer_id;
};

/* testhub-spaces.c */
void
testhub_space_set_stage(TesthubSpace *space, const gchar *stage);
void
testhub_space_log(TesthubSpace *space, gboolean build, const gchar *line);
/* Answers `msg` with the build or run log as server-sent events, kept open
 * while the log may grow. */
void
testhub_space_open_log_stream(TesthubSpace *space, SoupServerMessage *msg, gboolean build);

G_END_DECLS
