#include <string.h>

#include "crypto/md_block.h"

size_t wb_md_absorb(const wb_md_shape *md, size_t fill, const uint8_t *data, size_t len)
{
    while (len > 0) {
        size_t n = md->block_size - fill;
        if (n > len) n = len;
        memcpy(md->block + fill, data, n);
        fill += n;
        data += n;
        len -= n;
        if (fill == md->block_size) {
            md->compress(md->state, md->block);
            fill = 0;
        }
    }
    return fill;
}

void wb_md_finish(const wb_md_shape *md, size_t fill, uint64_t total)
{
    uint64_t bits = total * 8;
    md->block[fill++] = 0x80;
    if (fill > md->block_size - md->length_bytes) {
        memset(md->block + fill, 0, md->block_size - fill);
        md->compress(md->state, md->block);
        fill = 0;
    }
    memset(md->block + fill, 0, md->block_size - fill);
    for (int i = 0; i < 8; i++) md->block[md->block_size - 1 - i] = (uint8_t)(bits >> (8 * i));
    md->compress(md->state, md->block);
}
