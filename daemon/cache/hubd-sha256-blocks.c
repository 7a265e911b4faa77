/* hubd-sha256-blocks.c: SHA-256 with the x86 SHA extensions over whole runs
 * of blocks.
 *
 * nettle 3.8 (Debian 12) has SHA-NI code but calls it once per 64-byte
 * block, loading and storing the state around every call: 1.57-1.62 GiB/s
 * on a hot buffer here, against 1.73-1.80 GiB/s with the same instructions
 * over whole runs of blocks (OpenSSL's own loop: 1.63-1.71). Every
 * download and upload of an LFS file is hashed, and on two cores the hash is
 * the longest thread of a download, so the blocks are fed here, many per
 * call, and nettle keeps the rest: the partial block, the padding, the
 * digest. nettle's context is public and fixed by its soname (libnettle.so.8):
 * `count` counts whole blocks, `index` bytes waiting in `block`.
 *
 * The rounds follow the instructions' definitions in Intel's Software
 * Developer's Manual (SHA256RNDS2, SHA256MSG1, SHA256MSG2) and FIPS 180-4's
 * message schedule and constants. */
#define G_LOG_DOMAIN "HubdHash"

#include "hubd-sha256-blocks.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define HUBD_SHA_NI 1
#include <immintrin.h>
#endif

#ifdef HUBD_SHA_NI

/* FIPS 180-4 §4.2.2 */
static const guint32 K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

/* Four rounds: W + K for words 4i..4i+3 in `m`. SHA256RNDS2 does two rounds
 * with the low two words; after two calls the states are back in place. */
#define ROUNDS4(m, i)                                                                         \
	do {                                                                                  \
		__m128i wk_ =                                                                 \
			_mm_add_epi32((m), _mm_loadu_si128((const __m128i *)&K256[4 * (i)])); \
		s1 = _mm_sha256rnds2_epu32(s1, s0, wk_);                                      \
		wk_ = _mm_shuffle_epi32(wk_, 0x0e);                                           \
		s0 = _mm_sha256rnds2_epu32(s0, s1, wk_);                                      \
	} while (0)

/* The next four schedule words W[t..t+3] into m0, from W[t-16..t-1] in
 * m0..m3: W[t-16] + σ0(W[t-15]) (MSG1), + W[t-7..t-4], then + σ1 (MSG2). */
#define SCHEDULE(m0, m1, m2, m3)                                                                 \
	m0 = _mm_sha256msg2_epu32(                                                               \
		_mm_add_epi32(_mm_sha256msg1_epu32((m0), (m1)), _mm_alignr_epi8((m3), (m2), 4)), \
		(m3))

__attribute__((target("sha,ssse3,sse4.1"))) static void
hubd_sha256_ni_blocks(guint32 state[8], const guint8 *data, gsize n_blocks)
{
	/* big-endian words: reverse the bytes of each 32-bit lane */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
	__m128i badc = _mm_shuffle_epi32(abcd, 0xb1);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1b);
	/* the instructions want the state as ABEF and CDGH (A in the top lane) */
	__m128i s0 = _mm_alignr_epi8(badc, hgfe, 8);
	__m128i s1 = _mm_blend_epi16(hgfe, badc, 0xf0);

	for (; n_blocks > 0; n_blocks--, data += 64) {
		const __m128i s0_in = s0;
		const __m128i s1_in = s1;
		__m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), bswap);
		__m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), bswap);
		__m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), bswap);
		__m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), bswap);

		ROUNDS4(m0, 0);
		ROUNDS4(m1, 1);
		ROUNDS4(m2, 2);
		ROUNDS4(m3, 3);
		for (guint i = 4; i < 16; i += 4) {
			SCHEDULE(m0, m1, m2, m3);
			ROUNDS4(m0, i);
			SCHEDULE(m1, m2, m3, m0);
			ROUNDS4(m1, i + 1);
			SCHEDULE(m2, m3, m0, m1);
			ROUNDS4(m2, i + 2);
			SCHEDULE(m3, m0, m1, m2);
			ROUNDS4(m3, i + 3);
		}
		s0 = _mm_add_epi32(s0, s0_in);
		s1 = _mm_add_epi32(s1, s1_in);
	}
	/* back from ABEF / CDGH to A..H in memory order */
	{
		__m128i abef = _mm_shuffle_epi32(s0, 0x1b);
		__m128i ghcd = _mm_shuffle_epi32(s1, 0xb1);

		_mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(abef, ghcd, 0xf0));
		_mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(ghcd, abef, 8));
	}
}

#endif /* HUBD_SHA_NI */

gboolean
hubd_sha256_blocks_accelerated(void)
{
#ifdef HUBD_SHA_NI
	static gsize once = 0;
	static gboolean has;

	if (g_once_init_enter(&once)) {
		__builtin_cpu_init();
		has = __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") &&
		      __builtin_cpu_supports("ssse3");
		g_once_init_leave(&once, 1);
	}
	return has;
#else
	return FALSE;
#endif
}

void
hubd_sha256_blocks_update_with(struct sha256_ctx *ctx,
			       gsize len,
			       const guint8 *data,
			       gboolean accelerate)
{
#ifdef HUBD_SHA_NI
	gsize n_blocks;

	if (!accelerate || !hubd_sha256_blocks_accelerated() || len < 2 * SHA256_BLOCK_SIZE) {
		sha256_update(ctx, len, data);
		return;
	}
	if (ctx->index > 0) {
		/* nettle completes the waiting block, and compresses it */
		gsize take = SHA256_BLOCK_SIZE - ctx->index;

		sha256_update(ctx, take, data);
		data += take;
		len -= take;
	}
	n_blocks = len / SHA256_BLOCK_SIZE;
	hubd_sha256_ni_blocks(ctx->state, data, n_blocks);
	ctx->count += n_blocks;
	data += n_blocks * SHA256_BLOCK_SIZE;
	len -= n_blocks * SHA256_BLOCK_SIZE;
	if (len > 0)
		sha256_update(ctx, len, data);
#else
	(void)accelerate;
	sha256_update(ctx, len, data);
#endif
}

void
hubd_sha256_blocks_update(struct sha256_ctx *ctx, gsize len, const guint8 *data)
{
	hubd_sha256_blocks_update_with(ctx, len, data, TRUE);
}
