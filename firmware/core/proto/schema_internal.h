/* Helpers shared by the schema decoder and encoder; not part of the API. */
#ifndef WB_PROTO_SCHEMA_INTERNAL_H
#define WB_PROTO_SCHEMA_INTERNAL_H

#include "proto/schema.h"

static inline bool wb_uint_is_wide(const wb_node *node)
{
    return node->max > 0xffffffffu;
}

uint64_t wb_uint_get(const wb_node *node, const void *value);
void wb_uint_put(const wb_node *node, void *value, uint64_t v);
bool wb_text_valid(const wb_node *node, wb_slice s);
bool wb_list_order_ok(const wb_node *node, const wb_list *list, wb_path *path);

#endif
