/* The JSON form of decoded values used by the shared vectors
 * (libs/protocol/vectors/README.md), with object keys sorted, so that a decoded
 * struct can be compared with a vector's "decoded" byte for byte. Host only. */
#ifndef WB_HOST_JSON_FORM_H
#define WB_HOST_JSON_FORM_H

#include <stddef.h>

#include "proto/manifest.h"
#include "proto/messages.h"

typedef struct {
    char *buf;
    size_t len;
    size_t cap;
} json_buf;

void json_free(json_buf *j);
void json_node(json_buf *j, const wb_node *node, const void *value);
/* {"body":…,"correlationId":…,"msgId":…,"type":"Stop","typeCode":11,"version":1} */
void json_message(json_buf *j, const wb_message *m);

#endif
