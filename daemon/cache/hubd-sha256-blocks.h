/* hubd-sha256-blocks.h: nettle's SHA-256, fed many blocks per call through
 * the x86 SHA extensions where the CPU has them */
#pragma once

#include <glib.h>
#include <nettle/sha2.h>

G_BEGIN_DECLS

/* The same as nettle's sha256_update(); sha256_digest() finishes as usual. */
void
hubd_sha256_blocks_update(struct sha256_ctx *ctx, gsize len, const guint8 *data);

/* Whether the CPU has the SHA extensions (and hubd was built for x86). */
gboolean
hubd_sha256_blocks_accelerated(void);

/* For tests: the same as hubd_sha256_blocks_update(), with the extensions
 * only if `accelerate` (and the CPU has them), else through nettle. */
void
hubd_sha256_blocks_update_with(struct sha256_ctx *ctx,
			       gsize len,
			       const guint8 *data,
			       gboolean accelerate);

G_END_DECLS
