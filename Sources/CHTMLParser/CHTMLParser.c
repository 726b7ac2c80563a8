#include "CHTMLParser.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

static pthread_once_t gw_init_once = PTHREAD_ONCE_INIT;

/* Structured errors still reach the generic handler in a few code paths (encoding
 * conversion); crawled pages are routinely broken, so stay silent. */
static void gw_silent_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static void gw_init(void) {
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, gw_silent_error);
}

/* A growable pair of arrays for one element's attributes, reused across elements. */
typedef struct gw_attributes {
    size_t count;
    size_t capacity;
    const char **names;
    const char **values;
    xmlChar **owned; /* values allocated by libxml2, freed after the callback */
} gw_attributes;

static int gw_attributes_reserve(gw_attributes *attrs, size_t needed) {
    if (needed <= attrs->capacity) return 0;
    size_t capacity = attrs->capacity ? attrs->capacity * 2 : 8;
    while (capacity < needed) capacity *= 2;
    const char **names = realloc(attrs->names, capacity * sizeof *names);
    if (names == NULL) return -1;
    attrs->names = names;
    const char **values = realloc(attrs->values, capacity * sizeof *values);
    if (values == NULL) return -1;
    attrs->values = values;
    xmlChar **owned = realloc(attrs->owned, capacity * sizeof *owned);
    if (owned == NULL) return -1;
    attrs->owned = owned;
    attrs->capacity = capacity;
    return 0;
}

static void gw_emit_start(xmlDocPtr doc, xmlNodePtr node, gw_attributes *attrs,
                          const gw_html_handler *handler) {
    attrs->count = 0;
    for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next) {
        if (attr->name == NULL) continue;
        if (gw_attributes_reserve(attrs, attrs->count + 1) != 0) break;
        xmlChar *value = xmlNodeListGetString(doc, attr->children, 1);
        attrs->names[attrs->count] = (const char *)attr->name;
        attrs->values[attrs->count] = value ? (const char *)value : "";
        attrs->owned[attrs->count] = value;
        attrs->count++;
    }
    if (handler->element_start) {
        handler->element_start(handler->context, node->name ? (const char *)node->name : "",
                               attrs->count, attrs->names, attrs->values);
    }
    for (size_t i = 0; i < attrs->count; i++) {
        if (attrs->owned[i]) xmlFree(attrs->owned[i]);
    }
    attrs->count = 0;
}

int gw_html_parse(const char *bytes, size_t length, const char *encoding, size_t max_depth,
                  const gw_html_handler *handler) {
    pthread_once(&gw_init_once, gw_init);
    if (bytes == NULL || length == 0 || handler == NULL) return -1;
    int size = length > (size_t)INT_MAX ? INT_MAX : (int)length;

    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (ctxt == NULL) return -1;
    /* XML_PARSE_HUGE lifts libxml2's nesting limit of 256: without it, a page with
     * deeper (often unclosed) markup makes the parser halt and drop everything after. The
     * caller's depth cap below keeps the reported tree bounded instead. */
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                  HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    /* The caller decided the encoding (HTTP header, BOM, <meta>, sniffing); a second,
     * different guess from a <meta> tag inside the document must not override it. */
    if (encoding != NULL) options |= HTML_PARSE_IGNORE_ENC;
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, bytes, size, NULL, encoding, options);
    htmlFreeParserCtxt(ctxt);
    if (doc == NULL) return -1;

    gw_attributes attrs = {0};
    size_t depth = 0; /* number of element ancestors of `node` */
    xmlNodePtr node = doc->children;
    while (node != NULL) {
        int descend = 0;
        switch (node->type) {
        case XML_ELEMENT_NODE:
            if (depth < max_depth) gw_emit_start(doc, node, &attrs, handler);
            if (node->children != NULL) {
                descend = 1;
            } else if (depth < max_depth && handler->element_end) {
                handler->element_end(handler->context);
            }
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (node->content != NULL && handler->text) {
                handler->text(handler->context, (const char *)node->content,
                              strlen((const char *)node->content));
            }
            break;
        default:
            /* comments, processing instructions, the DTD: not part of the page */
            break;
        }
        if (descend) {
            node = node->children;
            depth++;
            continue;
        }
        /* Climb until a next sibling exists, closing the elements we leave. */
        while (node != NULL && node->next == NULL) {
            node = node->parent;
            if (node == NULL || node == (xmlNodePtr)doc) {
                node = NULL;
                break;
            }
            depth--;
            if (depth < max_depth && handler->element_end) handler->element_end(handler->context);
        }
        if (node != NULL) node = node->next;
    }

    free(attrs.names);
    free(attrs.values);
    free(attrs.owned);
    xmlFreeDoc(doc);
    return 0;
}

int gw_html_parser_version(void) { return LIBXML_VERSION; }
