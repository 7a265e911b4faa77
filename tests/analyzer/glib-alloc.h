/* glib-alloc.h: tells gcc's analyzer which GLib functions allocate and that g_free releases
 *
 * GLib 2.74 marks its allocators G_GNUC_MALLOC but names no deallocator, so
 * the analyzer cannot see leaks or double frees of GLib memory. Included
 * first (-include) by -Danalyzer=true builds only; the declarations repeat
 * GLib's with plain C types, so glib.h (and G_LOG_DOMAIN) stays untouched.
 * The first group never returns NULL (GLib aborts when memory runs out); the
 * second can, and the analyzer's possible-NULL warnings are off. */
#pragma once

#include <stddef.h>

struct _GError;

void
g_free(void *mem);
void
g_strfreev(char **str_array);

#define HUBD_ANALYZER_ALLOC         __attribute__((malloc, malloc(g_free, 1), returns_nonnull))
#define HUBD_ANALYZER_ALLOC_OR_NULL __attribute__((malloc, malloc(g_free, 1)))

void *
g_malloc(size_t n_bytes) HUBD_ANALYZER_ALLOC;
void *
g_malloc0(size_t n_bytes) HUBD_ANALYZER_ALLOC;
void *
g_malloc_n(size_t n_blocks, size_t n_block_bytes) HUBD_ANALYZER_ALLOC;
void *
g_malloc0_n(size_t n_blocks, size_t n_block_bytes) HUBD_ANALYZER_ALLOC;
char *
g_strdup_printf(const char *format, ...) HUBD_ANALYZER_ALLOC;
char *
g_strconcat(const char *string1, ...) HUBD_ANALYZER_ALLOC;
char *
g_build_filename(const char *first_element, ...) HUBD_ANALYZER_ALLOC;
char *
g_path_get_dirname(const char *file_name) HUBD_ANALYZER_ALLOC;
char *
g_path_get_basename(const char *file_name) HUBD_ANALYZER_ALLOC;
char *
g_base64_encode(const unsigned char *data, size_t len) HUBD_ANALYZER_ALLOC;
char *
g_ascii_strdown(const char *str, long len) HUBD_ANALYZER_ALLOC;
char *
g_utf8_make_valid(const char *str, long len) HUBD_ANALYZER_ALLOC;

char *
g_strdup(const char *str) HUBD_ANALYZER_ALLOC_OR_NULL;
char *
g_strndup(const char *str, size_t n) HUBD_ANALYZER_ALLOC_OR_NULL;
char *
g_uri_escape_string(const char *unescaped,
		    const char *reserved_chars_allowed,
		    int allow_utf8) HUBD_ANALYZER_ALLOC_OR_NULL;
struct _GKeyFile;
char *
g_key_file_get_string(struct _GKeyFile *key_file,
		      const char *group_name,
		      const char *key,
		      struct _GError **error) HUBD_ANALYZER_ALLOC_OR_NULL;

char **
g_strsplit(const char *string, const char *delimiter, int max_tokens)
	__attribute__((malloc, malloc(g_strfreev, 1), returns_nonnull));
