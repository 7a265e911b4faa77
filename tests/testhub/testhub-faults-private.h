/* testhub-faults-private.h: the fault rules and their list, shared by
 * testhub-faults.c (parsing, matching, the admin surface) and
 * testhub-faults-request.c (applying a matching rule to each request) */
#pragma once

#include "testhub-faults.h"

G_BEGIN_DECLS

typedef enum {
	FAULT_STATUS,
	FAULT_RESET,
	FAULT_TRUNCATE,
	FAULT_SLOW,
	FAULT_NO_RANGE,  /* answer as a server that ignores Range (200, whole body) */
	FAULT_ENDLESS,   /* a chunked body that never ends (a hostile Hub) */
	FAULT_SLOW_HEAD, /* the status line and headers too in slow pieces */
	FAULT_REPLACE,   /* every `find` in the body becomes `replace` (a Hub that lies) */
} FaultAction;

typedef struct {
	gchar *method; /* NULL: any */
	GRegex *regex; /* NULL: any */
	gchar *origin; /* "hub", "cdn" or "any" */
	guint times;   /* 0: forever */
	guint skip;
	guint seen;
	guint fired;
	FaultAction action;
	guint status;
	guint retry_after;
	guint64 after_bytes;
	guint delay_ms;
	guint64 chunk_size;
	gchar *find;
	gchar *replace;
	gchar *location; /* status: a Location header; "{cdn}" is the CDN's URL */
	JsonNode *source;
} FaultRule;

struct _TesthubFaults {
	GPtrArray *rules;    /* FaultRule* */
	JsonArray *requests; /* request log */
};

/* The first live rule matching the request, counted as seen and fired (NULL: none). */
FaultRule *
testhub_faults_match_rule(TesthubFaults *faults,
			  const gchar *origin,
			  const gchar *method,
			  const gchar *path);
/* The first rule matching, without counting it (NULL: none). */
FaultRule *
testhub_faults_peek_rule(TesthubFaults *faults,
			 const gchar *origin,
			 const gchar *method,
			 const gchar *path);

G_END_DECLS
