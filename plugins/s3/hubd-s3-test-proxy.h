/* hubd-s3-test-proxy.h: a TCP proxy in front of s3rver that injects the faults s3rver cannot
 * make, for the S3 fault tests */
#pragma once

#include "hubd-plugin.h"
#include "hubd-s3-test-server.h"

G_BEGIN_DECLS

typedef enum {
	FAULT_NONE,
	FAULT_SLOWDOWN,
	FAULT_RESET_PARTS,
	FAULT_INTERNAL_PARTS, /* 500 InternalError for the next `slowdowns_left` parts */
	FAULT_INTERNAL_PART1, /* 500 InternalError for every try of part 1 */
	FAULT_TRUNCATE_GET,   /* a GET's answer cut after half its body */
	FAULT_RESET_GET,      /* the same, the connection reset (RST) */
	FAULT_NEW_ETAG,       /* a GET cut, the later ones naming another ETag */
	FAULT_PRECONDITION,   /* a GET cut, one with If-Match answered 412 as S3 does */
	FAULT_SLOW,           /* every byte passed on, 1 KiB per millisecond */
} FaultMode;

/* Starts the proxy in front of `s3rver` (which must outlive it), in threads. */
void
hubd_test_s3_proxy_start(HubdTestS3Server *s3rver);
/* Sets the fault made from now on and how many answers get it (-1: all);
 * the count of faults made starts again from 0. */
void
hubd_test_s3_set_fault(FaultMode mode, gint budget);
gint
hubd_test_s3_faults_made(void);
/* A backend under `prefix` through the proxy (`retries` attempts after the
 * first, 5 MiB parts), and one straight to s3rver. */
HubdStorage *
hubd_test_s3_proxied(const gchar *prefix, const gchar *retries);
HubdStorage *
hubd_test_s3_direct(const gchar *prefix);
guint16
hubd_test_s3_proxy_port(void);
/* connections the proxy accepted so far */
gint
hubd_test_s3_proxy_connections(void);
/* With `lose`, the next abort reaches s3rver and its answer becomes a 500;
 * pending until an abort came. */
void
hubd_test_s3_lose_abort_answer(gboolean lose);
gboolean
hubd_test_s3_abort_answer_pending(void);

G_END_DECLS
