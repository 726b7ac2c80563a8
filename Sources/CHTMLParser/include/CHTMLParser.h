#ifndef CHTMLPARSER_H
#define CHTMLPARSER_H

/*
 * A plain-C facade over libxml2's HTML parser.
 *
 * Swift cannot import libxml2's headers next to Foundation on Linux (Debian's libxml2
 * pulls in the system ICU headers, which clash with Foundation's private ICU copy), so
 * this header exposes only plain C types. libxml2 is included by the .c file alone.
 *
 * The parser runs in recovery mode (broken markup, unquoted attributes, unclosed tags are
 * repaired the way browsers do), never touches the network, and reports no diagnostics.
 * The resulting tree is walked iteratively (no recursion, so arbitrarily deep nesting is
 * safe) and reported to the caller as a stream of events in document order.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Callbacks receiving the parsed document in document order. Every string is UTF-8;
/// pointers are valid only during the call.
typedef struct gw_html_handler {
    /// Opaque pointer handed back to every callback.
    void *context;
    /// An element opens. `name` is the lower-case tag name; `names[i]` / `values[i]` are
    /// its `attribute_count` attributes in source order (lower-case names).
    void (*element_start)(void *context, const char *name, size_t attribute_count,
                          const char *const *names, const char *const *values);
    /// The most recently opened element closes.
    void (*element_end)(void *context);
    /// A run of character data (text, or the raw content of script/style) of `length` bytes.
    void (*text)(void *context, const char *text, size_t length);
} gw_html_handler;

/// Parses `length` bytes of HTML in the character encoding `encoding` (an IANA name such
/// as "UTF-8" or "GB18030"; NULL lets libxml2 guess) and reports the tree to `handler`.
///
/// Elements nested deeper than `max_depth` are not reported as elements; their text is
/// reported inside the deepest reported ancestor, so hostile nesting cannot blow up the
/// caller. Returns 0 on success, -1 when libxml2 produced no document at all (e.g. empty
/// input) — then no callback was made.
int gw_html_parse(const char *bytes, size_t length, const char *encoding, size_t max_depth,
                  const gw_html_handler *handler);

/// The libxml2 version this facade was compiled against, e.g. 20914.
int gw_html_parser_version(void);

#ifdef __cplusplus
}
#endif

#endif
